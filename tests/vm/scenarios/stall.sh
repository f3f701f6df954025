# 3. A policy that never dispatches: the kernel's watchdog ejects it
# ("runnable task stall"); scx-run exits 1 and reports why.
. /scx/lib.sh
run_fg run.json $TEST_POLICIES/never_dispatch.so --timeout-ms 2000
[ "$RUN_RC" = 1 ] || { cat run.json.err; fail "scx-run exited $RUN_RC, expected 1"; }
wait_state disabled 2 || fail "state is '$(state)' after the ejection"
cat run.json.err
emit_json run.json
expect_in run.json '"kind":"stall"'
expect_in run.json.err 'the scheduler stopped: stall'
messaging -g 1 -l 20 || fail "the machine is not healthy after the ejection"
