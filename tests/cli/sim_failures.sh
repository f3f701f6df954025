# A policy that throws, crashes or never returns: a clear error, exit 1, a
# document that says what happened, and nothing hangs.
. "$(dirname "$0")/lib.sh"
P=$SCX_TEST_POLICIES

expect_exit 1 "$SCX_RUN" --sim cpu:duration=1s --cpus 2 "$P/throws.so"
expect_in err "policy 'throws' threw an exception in schedule(): deliberate failure"
[ "$(json_get out 'd["exit"]["kind"]')" = error ] || fail "throw: exit kind"

expect_exit 1 timeout 60 "$SCX_RUN" --sim cpu:duration=1s --cpus 2 --trace trace.json --events ev.jsonl "$P/crashes.so"
[ -z "$(ls -A | grep -E 'trace|ev\.')" ] || fail "a crashed run left files behind: $(ls -A)"
expect_in err "policy 'crashes' was killed by"
expect_in err "SIGSEGV"
expect_in err "in schedule()"
[ "$(json_get out 'd["exit"]["kind"]')" = crash ] || fail "crash: exit kind"
[ "$(json_get out 'd["exit"]["reason"]')" = "policy crashed" ] || fail "crash: reason"

expect_exit 1 timeout 60 "$SCX_RUN" --sim cpu:duration=1s --cpus 2 --policy-timeout 500ms "$P/spins.so"
expect_in err "policy 'spins' did not return from schedule() within 500 ms"
[ "$(json_get out 'd["exit"]["kind"]')" = hang ] || fail "hang: exit kind"

# Broken objects are refused before any simulation, with the loader's codes.
expect_exit 65 "$SCX_RUN" --sim cpu "$P/wrong_abi.so"
expect_in err "built for policy ABI 999"
expect_exit 66 "$SCX_RUN" --sim cpu missing.so
expect_in err "No such file"
[ ! -s out ] || fail "stdout must stay empty on a load error"
