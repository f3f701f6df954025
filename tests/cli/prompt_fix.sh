# scx-prompt --fix quotes scx-build's errors with their source lines and
# starts from the source that failed.
. "$(dirname "$0")/lib.sh"

sed 's/d.slice_ns = slice_ns;/d.slice_ns = SLICE_TYPO;/' "$FIFO_CPP" > broken.cpp
line=$(grep -n 'SLICE_TYPO' broken.cpp | cut -d: -f1)
"$SCX_BUILD" --json broken.cpp -o broken.so > build.json || true

expect_exit 0 "$SCX_PROMPT" --fix build.json "prefer short bursts"
cp out prompt.json
json_get prompt.json 'd["messages"][0]["content"]' > text
expect_in text "## Build errors in the current policy"
expect_in text "broken.cpp:$line:"
expect_in text "error:"
expect_in text "SLICE_TYPO"
expect_in text "   $line |             d.slice_ns = SLICE_TYPO;"
expect_in text "Fix every error above and return the complete corrected source"
expect_in text "## Current policy (broken.cpp)"
[ "$(json_get prompt.json 'd["metadata"]["fix"]["errors"] >= 1')" = True ] || fail "fix metadata"
[ "$(json_get prompt.json 'd["metadata"]["base"]["path"]')" = broken.cpp ] || fail "base should be the failing source"

# A requirement is optional when repairing.
expect_exit 0 "$SCX_PROMPT" --fix build.json

# Built from standard input: the source must be named.
"$SCX_BUILD" --json - -o b.so < broken.cpp > stdin-build.json || true
expect_exit 64 "$SCX_PROMPT" --fix stdin-build.json "x"
expect_in err "name the failing source with --base FILE"
expect_exit 0 "$SCX_PROMPT" --fix stdin-build.json --base broken.cpp "x"
expect_in out "<stdin>:$line:"

# A build that stopped before compiling: its message is quoted.
printf 'int main() { return 0; }\n' > nopolicy.cpp
"$SCX_BUILD" --json nopolicy.cpp -o n.so > stopped.json || true
expect_exit 0 "$SCX_PROMPT" --fix stopped.json
expect_in out "scx-build stopped before compiling"
expect_in out "registers no policy"

# Bad build documents.
echo '{"schema": "scxkit.build/1", "diagnostics": [' > bad.json
expect_exit 65 "$SCX_PROMPT" --fix bad.json "x"
expect_in err "bad.json:2:0: invalid JSON"
echo '{"schema": "scxkit.bench/1"}' > wrong.json
expect_exit 65 "$SCX_PROMPT" --fix wrong.json "x"
expect_in err 'schema is "scxkit.bench/1", expected "scxkit.build/1" (scx-build --json) or "scxkit.run/1" (scx-run --json)'
# A run document (scx-prompt --fix RUN.json, tests/cli/prompt_fix_run.sh) needs its exit.
echo '{"schema": "scxkit.run/1"}' > norun.json
expect_exit 65 "$SCX_PROMPT" --fix norun.json --base broken.cpp "x"
expect_in err 'norun.json: no "exit" object'
expect_exit 66 "$SCX_PROMPT" --fix missing.json "x"
