# API keys never appear in argv, messages, JSON output, transcripts or saved
# replies - even when the provider echoes the key back in its error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
KEY=sk-test-SeCrEt-0123456789
export OPENAI_API_KEY=$KEY ANTHROPIC_API_KEY=$KEY

# There is no option for a key.
expect_exit 64 "$SCX_GENERATE" -i prompt.json --api-key "$KEY"

start_server 401,nocode,ok
expect_exit 77 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --json -v --log logs
[ "$(request_get 1 'r["headers"]["authorization"]')" = "Bearer $KEY" ] || fail "the key was not sent"
expect_in err "Incorrect API key provided: [redacted]"
expect_exit 65 "$SCX_GENERATE" -i prompt.json -p anthropic -e "$URL" --json -v --log logs
cp out out2; cp err err2
expect_exit 0 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --json -v --log logs
ls logs/*.json >/dev/null || fail "no transcripts"
grep -qi '"authorization": "\[redacted\]"' logs/*openai.json || fail "authorization header not shown redacted"
if grep -rqF -- "$KEY" out err out2 err2 logs "$XDG_CACHE_HOME"; then
    grep -rlF -- "$KEY" out err out2 err2 logs "$XDG_CACHE_HOME"
    fail "the key leaked"
fi
