# Settings: flag > environment > configuration file > default; a bad
# configuration file (or value in it) is refused with its line; no key for the real OpenAI
# endpoint is a clear error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
start_server ok
conf="$XDG_CONFIG_HOME/scxkit/generate.conf"
mkdir -p "$(dirname "$conf")"
cat > "$conf" <<CONF
# global keys
provider = ollama
model = from-file
retries = 0
[ollama]
endpoint = $URL
model = from-section
CONF
model_of() { request_get "$(requests)" 'r["body"]["model"]'; }

expect_exit 0 "$SCX_GENERATE" -i prompt.json -v
[ "$(model_of)" = from-section ] || fail "section should win over global: $(model_of)"
expect_in err "provider ollama (generate.conf:2)"
SCX_MODEL=from-env expect_exit 0 "$SCX_GENERATE" -i prompt.json
[ "$(model_of)" = from-env ] || fail "environment should win over the file"
SCX_MODEL=from-env expect_exit 0 "$SCX_GENERATE" -i prompt.json -m from-flag
[ "$(model_of)" = from-flag ] || fail "flag should win over the environment"

# --config FILE replaces the default file; SCX_ENDPOINT wins over it.
printf 'provider = openai\nendpoint = http://127.0.0.1:1/v1\napi_key = sk-file\n' > other.conf
chmod 600 other.conf
SCX_ENDPOINT="$URL/v1" expect_exit 0 "$SCX_GENERATE" -i prompt.json -c other.conf
[ "$(request_get "$(requests)" 'r["headers"]["authorization"]')" = "Bearer sk-file" ] || fail "key from the file"
expect_not_in err "readable by others"
chmod 644 other.conf
SCX_ENDPOINT="$URL/v1" expect_exit 0 "$SCX_GENERATE" -i prompt.json -c other.conf
expect_in err "readable by others"

printf 'provider = openai\nmodle = x\n' > bad.conf
expect_exit 65 "$SCX_GENERATE" -i prompt.json -c bad.conf
expect_in err "bad.conf:2: unknown key 'modle'"
printf '[gemini]\n' > bad.conf
expect_exit 65 "$SCX_GENERATE" -i prompt.json -c bad.conf
expect_in err "bad.conf:1: unknown section [gemini]"
printf 'retries = many\n' > bad.conf
expect_exit 65 "$SCX_GENERATE" -i prompt.json -c bad.conf
expect_in err "bad.conf:1: invalid value 'many' for retries (expected an integer from 0 to 100)"
expect_exit 66 "$SCX_GENERATE" -i prompt.json -c missing.conf

SCX_PROVIDER=gemini expect_exit 64 "$SCX_GENERATE" -i prompt.json
expect_in err "unknown provider 'gemini' (from SCX_PROVIDER)"

# The real OpenAI endpoint without a key: say which variable to set.
rm "$conf"
expect_exit 69 "$SCX_GENERATE" -i prompt.json
expect_in err "no API key for openai: set OPENAI_API_KEY"
expect_exit 69 "$SCX_GENERATE" -i prompt.json -p anthropic
expect_in err "ANTHROPIC_API_KEY"
