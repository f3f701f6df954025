# A model that echoes the API key inside its code block: the key is
# redacted from the policy written to -o, from standard output, from
# --json's "code" and from the transcript - every output, as scx-generate(1)
# promises. Each provider that takes a key.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
KEY=sk-test-EcHoEd-0123456789
export OPENAI_API_KEY=$KEY ANTHROPIC_API_KEY=$KEY

start_server echokey
for p in openai anthropic; do
    e=$URL; [ $p = openai ] && e=$URL/v1
    expect_exit 0 "$SCX_GENERATE" -i prompt.json -p $p -e "$e" -o $p.cpp --log logs
    expect_in $p.cpp 'static const char *api_key = "[redacted]"; // from your request'
    expect_exit 0 "$SCX_GENERATE" -i prompt.json -p $p -e "$e" --no-stream
    cp out $p-stdout.cpp
    expect_in $p-stdout.cpp '"[redacted]"'
    expect_exit 0 "$SCX_GENERATE" -i prompt.json -p $p -e "$e" --json -o $p-json.cpp
    json_get out 'd["code"]' > $p-code.cpp
    expect_in $p-code.cpp '"[redacted]"'
done
[ "$(request_get 1 'r["headers"]["authorization"]')" = "Bearer $KEY" ] || fail "the key was not sent"
if grep -rqF -- "$KEY" ./*.cpp out err logs "$XDG_CACHE_HOME"; then
    grep -rlF -- "$KEY" ./*.cpp out err logs "$XDG_CACHE_HOME"
    fail "the key leaked"
fi
