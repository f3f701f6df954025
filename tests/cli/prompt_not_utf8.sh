# Text that is not UTF-8 (here a Latin-1 e-acute, byte 0xe9) is refused,
# naming the input, line, column and byte offset - never turned into a
# message without content. Every input of scx-prompt: requirement arguments
# and standard input, --base, the source --fix starts from, --system,
# --feedback, --history; and the prompt scx-generate reads.
. "$(dirname "$0")/lib.sh"

E=$(printf '\xe9')
HINT="convert the text to UTF-8, e.g. with iconv -f LATIN1 -t UTF-8"

expect_exit 65 "$SCX_PROMPT" "prefer short bursts" "caf${E} tasks"
expect_in err "scx-prompt: error: the requirement (argument 2):1:4: not valid UTF-8 (byte 0xe9 at offset 3): $HINT"
[ ! -s out ] || fail "nothing may be written on an error"

printf 'keep latency low\nfor caf%s tasks\n' "$E" > req.txt
expect_exit 65 "$SCX_PROMPT" < req.txt
expect_in err "the requirement (<stdin>):2:8: not valid UTF-8 (byte 0xe9 at offset 24)"

{ head -3 "$FIFO_CPP"; printf '// caf%s\n' "$E"; tail -n +4 "$FIFO_CPP"; } > latin1.cpp
expect_exit 65 "$SCX_PROMPT" --base latin1.cpp "x"
expect_in err "base policy: latin1.cpp:4:7: not valid UTF-8 (byte 0xe9 at offset "

# --fix starts from the failing source that the build report names.
sed 's/d.slice_ns = slice_ns;/d.slice_ns = SLICE_TYPO;/' latin1.cpp > broken.cpp
"$SCX_BUILD" --json broken.cpp -o broken.so > build.json || true
expect_exit 65 "$SCX_PROMPT" --fix build.json
expect_in err "base policy: broken.cpp:4:7: not valid UTF-8"

printf 'You write schedulers, s%sr.\n' "$E" > sys.txt
expect_exit 65 "$SCX_PROMPT" --system sys.txt "x"
expect_in err "sys.txt:1:24: not valid UTF-8 (byte 0xe9 at offset 23)"

# JSON inputs: jansson refuses them; the message says where and why.
sed "s/\"policy\": \"[^\"]*\"/\"policy\": \"caf${E}\"/" "$SRC/tests/cli/data/run.json" > run.json
grep -q "caf${E}" run.json || fail "the test did not plant the byte"
expect_exit 65 "$SCX_PROMPT" -f run.json "x"
expect_in err "run.json:"
expect_in err ": not valid UTF-8 (byte 0xe9 at offset "
{ cat "$SRC/tests/cli/data/history.jsonl"; printf '{"type":"round","round":9,"change":"caf%s","outcome":"kept"}\n' "$E"; } > h.jsonl
n=$(wc -l < h.jsonl)
expect_exit 65 "$SCX_PROMPT" --history h.jsonl "x"
expect_in err "h.jsonl:$n:40: not valid UTF-8 (byte 0xe9)"

"$SCX_PROMPT" "x" > prompt.json
sed "s/\"requirement\": \"x\"/\"requirement\": \"caf${E}\"/" prompt.json > bad.json
grep -q "caf${E}" bad.json || fail "the test did not plant the byte"
expect_exit 65 "$SCX_GENERATE" -i bad.json --replay none
expect_in err "scx-generate: error: bad.json:"
expect_in err ": not valid UTF-8 (byte 0xe9 at offset "

# UTF-8 itself passes through unchanged.
expect_exit 0 "$SCX_PROMPT" "pr$(printf '\xc3\xa9')f$(printf '\xc3\xa9')rer caf$(printf '\xc3\xa9')"
expect_in out "pr$(printf '\xc3\xa9')f$(printf '\xc3\xa9')rer caf$(printf '\xc3\xa9')"

# scx-generate's configuration file is text too.
printf '# models\nmodel = caf%s\n' "$E" > latin1.conf
expect_exit 65 "$SCX_GENERATE" -i prompt.json -c latin1.conf --replay none
expect_in err "scx-generate: error: latin1.conf:2:12: not valid UTF-8 (byte 0xe9 at offset 20)"
