# OpenAI Chat Completions against the stand-in: streamed and whole answers,
# the request the API expects, usage and the scxkit.generation/1 document.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
start_server ok --require-key
export OPENAI_API_KEY=sk-test-openai

expect_exit 0 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" -m gpt-test
expect_in out 'SCX_POLICY(ShortBursts, "short_bursts")'
expect_not_in out '```'
expect_not_in out 'Here is a policy'
[ "$(request_get 1 'r["path"]')" = /v1/chat/completions ] || fail "path"
[ "$(request_get 1 'r["headers"]["authorization"]')" = "Bearer sk-test-openai" ] || fail "key not sent"
[ "$(request_get 1 'r["body"]["model"]')" = gpt-test ] || fail "model"
[ "$(request_get 1 'r["body"]["stream"]')" = True ] || fail "stream"
[ "$(request_get 1 'r["body"]["stream_options"]["include_usage"]')" = True ] || fail "include_usage"
[ "$(request_get 1 'r["body"]["messages"][0]["role"]')" = system ] || fail "system message first"
[ "$(request_get 1 'r["body"]["messages"][1]["content"]' | grep -c 'short CPU bursts')" -ge 1 ] || fail "requirement"
[ "$(request_get 1 '"seed" in r["body"]')" = False ] || fail "a seed nobody asked for"

# Whole answer, JSON report, output file.
expect_exit 0 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --no-stream --json -o p.cpp -t 0.2 --max-tokens 4000 --seed 42
[ "$(request_get 2 'r["body"]["seed"]')" = 42 ] || fail "seed"
[ "$(request_get 2 'r["body"]["stream"]')" = False ] || fail "--no-stream"
[ "$(request_get 2 'r["body"]["temperature"]')" = 0.2 ] || fail "temperature"
[ "$(request_get 2 'r["body"]["max_tokens"]')" = 4000 ] || fail "max_tokens"
expect_in p.cpp 'SCX_POLICY(ShortBursts'
[ "$(json_get out 'd["schema"]')" = scxkit.generation/1 ] || fail schema
[ "$(json_get out 'd["ok"]')" = True ] || fail ok
[ "$(json_get out 'd["provider"]')" = openai ] || fail provider
[ "$(json_get out 'd["model"]')" = gpt-4o ] || fail "model (default)"
[ "$(json_get out 'd["finish_reason"]')" = stop ] || fail finish_reason
[ "$(json_get out 'd["usage"]["output_tokens"] > 0')" = True ] || fail usage
[ "$(json_get out 'd["code"] == open("p.cpp").read()')" = True ] || fail "code in JSON"
[ "$(json_get out 'd["attempts"]')" = 1 ] || fail attempts
[ "$(json_get out 'd["cost_usd"]')" = None ] || fail "cost without a price"

# Streamed with usage and a price from the configuration file: cost.
mkdir -p "$XDG_CONFIG_HOME/scxkit"
printf 'price_input = 2.5\nprice_output = 10\n' > "$XDG_CONFIG_HOME/scxkit/generate.conf"
expect_exit 0 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --json
python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
u = d["usage"]
want = (u["input_tokens"] * 2.5 + u["output_tokens"] * 10) / 1e6
assert abs(d["cost_usd"] - want) < 1e-9, (d["cost_usd"], want)
assert d["streamed"] is True and d["first_token_s"] is not None
PY
