# Anthropic Messages against the stand-in: the event stream, the whole
# answer, the headers and body the API requires.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
start_server ok --require-key
export ANTHROPIC_API_KEY=sk-ant-test

expect_exit 0 "$SCX_GENERATE" -i prompt.json -p anthropic -e "$URL" --json
[ "$(json_get out 'd["ok"]')" = True ] || fail ok
[ "$(json_get out 'd["finish_reason"]')" = end_turn ] || fail finish_reason
[ "$(json_get out 'd["usage"]["input_tokens"] > 0 and d["usage"]["output_tokens"] > 1')" = True ] || fail usage
json_get out 'd["code"]' | grep 'SCX_POLICY(ShortBursts' >/dev/null || fail code
[ "$(request_get 1 'r["path"]')" = /v1/messages ] || fail path
[ "$(request_get 1 'r["headers"]["x-api-key"]')" = sk-ant-test ] || fail "key header"
[ "$(request_get 1 'r["headers"]["anthropic-version"]')" = 2023-06-01 ] || fail "version header"
[ "$(request_get 1 'len(r["body"]["system"]) > 100')" = True ] || fail "system text"
[ "$(request_get 1 'r["body"]["max_tokens"]')" = 8192 ] || fail "default max_tokens"
[ "$(request_get 1 '[m["role"] for m in r["body"]["messages"]]')" = "['user']" ] || fail "messages"

expect_exit 0 "$SCX_GENERATE" -i prompt.json -p anthropic -e "$URL" --no-stream -t 0.7 --seed 3
[ "$(request_get 2 'r["body"]["temperature"]')" = 0.7 ] || fail "temperature"
[ "$(request_get 2 '"seed" in r["body"]')" = False ] || fail "anthropic has no seed field"
expect_in err "the anthropic API has no sampling seed"
expect_in out 'SCX_POLICY(ShortBursts'

# ANTHROPIC_BASE_URL and SCX_PROVIDER instead of flags.
ANTHROPIC_BASE_URL="$URL" SCX_PROVIDER=anthropic expect_exit 0 "$SCX_GENERATE" -i prompt.json
expect_in out 'SCX_POLICY(ShortBursts'
