# The base FIFO policy builds, reports itself in JSON and loads.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_BUILD" --json "$FIFO_CPP" -o fifo.so
[ -x fifo.so ] || fail "fifo.so not written"
[ "$(json_get out 'd["schema"]')" = "scxkit.build/1" ] || fail "schema"
[ "$(json_get out 'd["ok"]')" = "True" ] || fail "ok"
[ "$(json_get out 'd["policy"]')" = "fifo" ] || fail "policy name"
[ "$(json_get out 'd["errors"]')" = "0" ] || fail "errors"
[ "$(json_get out 'd["warnings"]')" = "0" ] || fail "fifo.cpp must build without warnings"
[ "$(json_get out 'd["output"]')" = "fifo.so" ] || fail "output"
[ -s err ] && { cat err; fail "stderr not empty on success"; }

expect_exit 0 "$SCX_RUN" --check --json fifo.so
[ "$(json_get out 'd["dispatched"]')" = "8" ] || fail "fifo did not dispatch every task"

# Default output name: SOURCE with .so, next to it.
cp "$FIFO_CPP" mine.cpp
expect_exit 0 "$SCX_BUILD" mine.cpp
[ -f mine.so ] || fail "default output mine.so missing"
