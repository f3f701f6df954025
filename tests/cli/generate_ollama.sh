# Ollama's native chat API against the stand-in: NDJSON stream, whole
# answer, OLLAMA_HOST without a scheme, options.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
start_server ok

OLLAMA_HOST="127.0.0.1:$(cat "$T/port")" expect_exit 0 "$SCX_GENERATE" -i prompt.json -p ollama -m qwen-test --json \
    -t 0 --max-tokens 3000 --seed 9
[ "$(json_get out 'd["ok"]')" = True ] || fail ok
[ "$(json_get out 'd["model"]')" = qwen-test ] || fail model
[ "$(json_get out 'd["finish_reason"]')" = stop ] || fail finish_reason
[ "$(json_get out 'd["usage"]["output_tokens"] > 0')" = True ] || fail usage
[ "$(request_get 1 'r["path"]')" = /api/chat ] || fail path
[ "$(request_get 1 'r["body"]["options"]')" = "{'temperature': 0.0, 'seed': 9, 'num_predict': 3000}" ] || fail options
[ "$(request_get 1 '"authorization" in r["headers"]')" = False ] || fail "no key expected"

expect_exit 0 "$SCX_GENERATE" -i prompt.json -p ollama -e "$URL" --no-stream
expect_in out 'SCX_POLICY(ShortBursts'
[ "$(request_get 2 'r["body"]["stream"]')" = False ] || fail "stream false"
