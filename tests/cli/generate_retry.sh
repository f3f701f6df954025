# Temporary failures are retried with backoff, honouring Retry-After /
# retry-after-ms; when retries run out the exit status is 75 and an existing
# output file is left alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
export OPENAI_API_KEY=sk-test ANTHROPIC_API_KEY=sk-ant-test

# 429 with retry-after-ms: 600 (OpenAI), then success.
start_server 429,ok
start=$(date +%s%N)
expect_exit 0 "$SCX_GENERATE" -i prompt.json -e "$URL/v1"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$(requests)" = 2 ] || fail "expected 2 requests, got $(requests)"
[ "$elapsed_ms" -ge 550 ] || fail "did not wait for retry-after-ms (${elapsed_ms} ms)"
expect_in err "rate limited"
expect_in err "retrying in 0.6 s (attempt 2 of 4)"
expect_in out 'SCX_POLICY(ShortBursts'
stop_server

# 500, then success (Anthropic; exponential backoff).
start_server 500,ok
expect_exit 0 "$SCX_GENERATE" -i prompt.json -p anthropic -e "$URL" --json
[ "$(json_get out 'd["attempts"]')" = 2 ] || fail attempts
expect_in err "server error (HTTP 500"
stop_server

# 529 overloaded, Retry-After: 1 (Anthropic), then success.
start_server 529,ok
expect_exit 0 "$SCX_GENERATE" -i prompt.json -p anthropic -e "$URL"
expect_in err "overloaded"
stop_server

# Always failing: 1 + 2 attempts, then 75; p.cpp untouched.
start_server 500
echo "// a good policy" > p.cpp
expect_exit 75 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --retries 2 -o p.cpp
[ "$(requests)" = 3 ] || fail "expected 3 requests, got $(requests)"
expect_in err "gave up after 3 attempts"
[ "$(cat p.cpp)" = "// a good policy" ] || fail "p.cpp clobbered"
stop_server

# A connection refused is retried too, then 75.
expect_exit 75 "$SCX_GENERATE" -i prompt.json -e "http://127.0.0.1:1/v1" --retries 1
expect_in err "cannot connect to http://127.0.0.1:1/v1/chat/completions"
