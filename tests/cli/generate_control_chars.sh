# A control character in an API key or an endpoint (a CR LF would inject an
# HTTP header) is refused before any request: 64 for --endpoint, 65 for the
# configuration file (file:line), 69 for the environment, naming where the
# value came from and never printing the key.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
start_server ok
CRLF=$'\r\nX-Injected: yes'
SECRET=sk-test-InJeCt-0123456789

for var in OPENAI_API_KEY SCX_API_KEY; do
    env "$var=$SECRET$CRLF" "$SCX_GENERATE" -i prompt.json -e "$URL/v1" >out 2>err && fail "$var accepted" || [ $? = 69 ] ||
        { cat err; fail "$var: exit status"; }
    expect_in err "scx-generate: error: the API key from $var contains a carriage return (0x0d) at character 26:"
    expect_in err "keys go into an HTTP header and must not contain control characters"
done
ANTHROPIC_API_KEY="$SECRET"$'\n' expect_exit 69 "$SCX_GENERATE" -i prompt.json -p anthropic -e "$URL"
expect_in err "the API key from ANTHROPIC_API_KEY contains a line feed (0x0a) at character 26"

OPENAI_API_KEY=$SECRET expect_exit 64 "$SCX_GENERATE" -i prompt.json -e "$URL/v1$CRLF"
expect_in err "the endpoint from --endpoint contains a carriage return (0x0d) at character"
expect_in err "Try 'scx-generate --help'."
for var in OPENAI_BASE_URL SCX_ENDPOINT; do
    env OPENAI_API_KEY=$SECRET "$var=$URL/v1$CRLF" "$SCX_GENERATE" -i prompt.json >out 2>err && fail "$var accepted" ||
        [ $? = 69 ] || { cat err; fail "$var: exit status"; }
    expect_in err "the endpoint from $var contains a carriage return (0x0d)"
done
OLLAMA_HOST="127.0.0.1:1$CRLF" expect_exit 69 "$SCX_GENERATE" -i prompt.json -p ollama
expect_in err "the endpoint from OLLAMA_HOST contains"

printf 'api_key = %s\001x\n' "$SECRET" > key.conf
chmod 600 key.conf
expect_exit 65 "$SCX_GENERATE" -i prompt.json -c key.conf -e "$URL/v1"
expect_in err "the API key from key.conf:1 contains byte 0x01 at character 26"
printf 'endpoint = %s/v1\033[0m\n' "$URL" > url.conf
OPENAI_API_KEY=$SECRET expect_exit 65 "$SCX_GENERATE" -i prompt.json -c url.conf
expect_in err "the endpoint from url.conf:1 contains byte 0x1b"

[ "$(requests)" = 0 ] || fail "a request reached the server"
if grep -qF -- "$SECRET" err out; then fail "the key was printed"; fi

# A clean key still works.
OPENAI_API_KEY=$SECRET expect_exit 0 "$SCX_GENERATE" -i prompt.json -e "$URL/v1"
[ "$(request_get 1 'r["headers"]["authorization"]')" = "Bearer $SECRET" ] || fail "the key was not sent"
