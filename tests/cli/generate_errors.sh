# Final errors are not retried and name their cause; broken answers never
# turn into a half policy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
export OPENAI_API_KEY=sk-test ANTHROPIC_API_KEY=sk-ant-test
echo "// a good policy" > p.cpp
untouched() { [ "$(cat p.cpp)" = "// a good policy" ] || fail "p.cpp clobbered"; }

start_server 401
expect_exit 77 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" -o p.cpp
[ "$(requests)" = 1 ] || fail "401 was retried"
expect_in err "authentication failed (HTTP 401"
expect_in err "the key came from OPENAI_API_KEY"
untouched
stop_server

start_server 404
expect_exit 69 "$SCX_GENERATE" -i prompt.json -p ollama -e "$URL" -m nosuchmodel
expect_in err 'model "nosuchmodel" not found'
[ "$(requests)" = 1 ] || fail "404 was retried"
stop_server

# Exhausted quota: OpenAI answers 429, but retrying cannot help.
start_server quota
expect_exit 69 "$SCX_GENERATE" -i prompt.json -e "$URL/v1"
[ "$(requests)" = 1 ] || fail "quota was retried"
expect_in err "quota or credit exhausted"
# Anthropic: 400 "credit balance is too low".
expect_exit 69 "$SCX_GENERATE" -i prompt.json -p anthropic -e "$URL"
expect_in err "credit balance is too low"
stop_server

start_server malformed
expect_exit 65 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" -o p.cpp
expect_in err "malformed JSON in the stream from openai"
untouched
expect_exit 65 "$SCX_GENERATE" -i prompt.json -p ollama -e "$URL"
expect_in err "malformed JSON in the stream from ollama"
expect_exit 65 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --no-stream
expect_in err "malformed JSON in the answer from openai"
stop_server

# A stream cut half-way: retried, then 75 - never half a policy.
start_server truncated
for p in openai anthropic ollama; do
    e=$URL; [ $p = openai ] && e=$URL/v1
    expect_exit 75 "$SCX_GENERATE" -i prompt.json -p $p -e "$e" --retries 1 -o p.cpp
    expect_in err "the stream ended before the reply was complete"
    untouched
done
expect_exit 75 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --retries 0 --no-stream -o p.cpp
untouched
stop_server

# Slower than --timeout.
start_server slow --delay 5
expect_exit 75 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --timeout 1s --retries 0 -o p.cpp
expect_in err "within 1 s (--timeout)"
untouched
stop_server

# Cut by the token limit: exit 65, the partial reply saved.
start_server length
expect_exit 65 "$SCX_GENERATE" -i prompt.json -p anthropic -e "$URL" -o p.cpp
expect_in err 'cut off at the token limit (finish reason "max_tokens")'
expect_in err "the reply was saved to $XDG_CACHE_HOME/scxkit/replies/"
untouched
