# A source on standard input builds; its diagnostics name <stdin>.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_BUILD" - -o s.so < "$FIFO_CPP"
[ -f s.so ] || fail "s.so missing"

printf '#include <scx/policy.hpp>\nstruct P : scx::Policy { void schedule(scx::Context &c) override { c.nope(); } };\nSCX_POLICY(P, "p")\n' \
    | expect_exit 1 "$SCX_BUILD" --json - -o bad.so
[ "$(json_get out 'd["diagnostics"][0]["file"]')" = "<stdin>" ] || fail "file should be <stdin>"
[ "$(json_get out 'd["diagnostics"][0]["line"]')" = "2" ] || fail "line"
expect_in out "nope"
