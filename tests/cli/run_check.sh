# scx-run --check loads a policy and refuses foreign or broken objects with
# a clear message and exit status.
. "$(dirname "$0")/lib.sh"
P=$SCX_TEST_POLICIES

expect_exit 0 "$SCX_RUN" --check --json "$SCX_FIFO_SO"
[ "$(json_get out 'd["policy"]')" = "fifo" ] || fail "name"
[ "$(json_get out 'd["ok"]')" = "True" ] || fail "ok"

expect_exit 65 "$SCX_RUN" --check "$P/wrong_abi.so"
expect_in err "built for policy ABI 999"
expect_in err "rebuild it"

expect_exit 65 "$SCX_RUN" --check "$P/no_entry.so"
expect_in err "is not an scxkit policy"

expect_exit 65 "$SCX_RUN" --check "$P/undefined_symbol.so"
expect_in err "undefined symbol: scx_test_symbol_defined_nowhere"

expect_exit 1 "$SCX_RUN" --check "$P/throws.so"
expect_in err "threw an exception in schedule()"

expect_exit 66 "$SCX_RUN" --check missing.so
expect_in err "No such file"

cp "$FIFO_CPP" notso.so
expect_exit 65 "$SCX_RUN" --check notso.so
expect_in err "not a shared object"
[ ! -s out ] || fail "stdout must stay empty on error"
