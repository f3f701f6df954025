# Bad command lines and bad prompts: usage errors (64), malformed or
# wrong-schema prompts (65, with line and column), missing input (66).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
"$SCX_PROMPT" "x" > prompt.json

expect_exit 64 "$SCX_GENERATE" --frobnicate
expect_in err "Try 'scx-generate --help'."
expect_exit 64 "$SCX_GENERATE" -i prompt.json extra
expect_in err "unexpected argument 'extra'"
expect_exit 64 "$SCX_GENERATE" -i prompt.json -t 3
expect_exit 64 "$SCX_GENERATE" -i prompt.json --max-tokens 0
expect_exit 64 "$SCX_GENERATE" -i prompt.json --seed x
expect_exit 64 "$SCX_GENERATE" -i prompt.json --timeout soon
expect_exit 64 "$SCX_GENERATE" -i prompt.json --retries -1
expect_exit 64 "$SCX_GENERATE" -i prompt.json -p gemini
expect_exit 64 "$SCX_GENERATE" -i prompt.json -p openai --replay x
expect_exit 64 "$SCX_GENERATE" -i prompt.json -p replay
expect_in err "needs --replay SOURCE"

expect_exit 66 "$SCX_GENERATE" -i missing.json --replay x
printf '{\n  "schema": "scxkit.prompt/1",\n  "messages": [\n}\n' > bad.json
expect_exit 65 "$SCX_GENERATE" -i bad.json --replay x
expect_in err "bad.json:4:1: invalid JSON"
expect_exit 65 "$SCX_GENERATE" --replay x < bad.json
expect_in err "<stdin>:4:1"
echo '{"schema": "scxkit.build/1"}' > wrong.json
expect_exit 65 "$SCX_GENERATE" -i wrong.json --replay x
expect_in err 'schema is "scxkit.build/1", expected "scxkit.prompt/1"'
echo '{"schema": "scxkit.prompt/2", "messages": []}' > newer.json
expect_exit 65 "$SCX_GENERATE" -i newer.json --replay x
expect_in err "unsupported version"
echo '{"schema": "scxkit.prompt/1", "system": "s", "messages": [{"role": "assistant", "content": "x"}]}' > last.json
expect_exit 65 "$SCX_GENERATE" -i last.json --replay x
expect_in err "the last message must be the user's"

# The output directory must be writable before any call is made.
expect_exit 74 "$SCX_GENERATE" -i prompt.json --replay x -o "$T/no/such/dir/p.cpp"

# With --json, every failure also prints an scxkit.generation/1 document.
expect_exit 65 "$SCX_GENERATE" -i wrong.json --replay x --json
[ "$(json_get out 'd["schema"]')" = scxkit.generation/1 ] || fail "--json error document"
[ "$(json_get out 'd["ok"]')" = False ] || fail "ok should be false"
[ "$(json_get out 'd["error"]["exit_status"]')" = 65 ] || fail "exit status in the document"
