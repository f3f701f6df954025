# 4. A policy that crashes (SIGSEGV), one that throws, and one whose exit()
# throws: the default scheduler is back at once and scx-run says what
# happened (exit 1), never "done".
. /scx/lib.sh
note "segfault"
run_fg run.json $TEST_POLICIES/crash.so
[ "$RUN_RC" = 1 ] || { cat run.json.err; fail "scx-run exited $RUN_RC after a crash, expected 1"; }
wait_state disabled 2 || fail "state is '$(state)' after the crash"
cat run.json.err
emit_json run.json
expect_in run.json '"kind":"crash"'
expect_in run.json.err 'SIGSEGV'

note "exception"
run_fg run.json $TEST_POLICIES/throws.so
[ "$RUN_RC" = 1 ] || { cat run.json.err; fail "scx-run exited $RUN_RC after an exception, expected 1"; }
wait_state disabled 2 || fail "state is '$(state)' after the exception"
cat run.json.err
emit_json run.json
expect_in run.json '"kind":"error"'
expect_in run.json 'threw an exception in schedule()'

note "exception in exit()"
start_run run.json $TEST_POLICIES/throws_exit.so --interval 0
messaging -g 1 -l 5 || fail "messaging failed under throws_exit"
stop_run
[ "$RUN_RC" = 1 ] || { cat run.json.err; fail "scx-run exited $RUN_RC after exit() threw, expected 1"; }
wait_state disabled 2 || fail "state is '$(state)' after exit() threw"
cat run.json.err
emit_json run.json
expect_in run.json '"kind":"error"'
expect_in run.json 'threw an exception in exit(): deliberate failure in exit()'
messaging -g 1 -l 20 || fail "the machine is not healthy"
