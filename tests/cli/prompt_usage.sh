# scx-prompt's inputs: requirement from stdin then arguments, the default
# base, --system, --text, -o, -v; usage errors.
. "$(dirname "$0")/lib.sh"

expect_exit 64 "$SCX_PROMPT"
expect_in err "no requirement"
expect_in err "Try 'scx-prompt --help'."
expect_exit 64 "$SCX_PROMPT" --frobnicate x

# Default base: the fifo.cpp of this build tree (installed: the installed one).
expect_exit 0 "$SCX_PROMPT" "prefer short bursts"
[ "$(json_get out 'd["schema"]')" = scxkit.prompt/1 ] || fail schema
[ "$(json_get out 'd["metadata"]["base"]["path"]')" = "$SRC/policies/fifo.cpp" ] || fail "default base"
[ "$(json_get out 'd["metadata"]["base"]["sha256"]')" = "$(sha256sum "$FIFO_CPP" | cut -d' ' -f1)" ] || fail "base hash"

# Standard input first, then the arguments.
echo "keep latency low" | "$SCX_PROMPT" "for interactive tasks" > p.json
[ "$(json_get p.json 'd["metadata"]["requirement"]')" = "$(printf 'keep latency low\n\nfor interactive tasks')" ] ||
    fail "requirement: $(json_get p.json 'd["metadata"]["requirement"]')"

# --system replaces the system text; -o writes atomically; -v reports size.
echo "You write schedulers." > sys.txt
expect_exit 0 "$SCX_PROMPT" --system sys.txt -o p2.json -v "x"
[ ! -s out ] || fail "stdout should be empty with -o"
[ "$(json_get p2.json 'd["system"]')" = "You write schedulers." ] || fail "--system"
[ "$(json_get p2.json 'd["metadata"]["system"]')" = sys.txt ] || fail "system metadata"
expect_in err "characters, ~"
expect_in err "tokens (estimated at 4 characters per token)"
expect_in err "api "
chars=$(json_get p2.json 'd["metadata"]["chars"]')
expect_in err "scx-prompt: $chars characters"
: > empty.txt
expect_exit 65 "$SCX_PROMPT" --system empty.txt "x"

# --text: system text, then the user message, plain.
expect_exit 0 "$SCX_PROMPT" --text "prefer short bursts"
head -1 out | grep "^You are an expert" >/dev/null || fail "--text should start with the system text"
expect_in out "## Requirement"
expect_in out "prefer short bursts"

expect_exit 66 "$SCX_PROMPT" --base missing.cpp "x"
expect_in err "base policy: cannot open missing.cpp"
expect_exit 74 "$SCX_PROMPT" -o "$T/no/such/dir/p.json" "x"
