# --partial schedules only SCHED_EXT tasks; --bpf-only needs no policy;
# --duration stops by itself; idle bypass can be turned off by a policy.
. /scx/lib.sh
note "partial"
start_run run.json $POLICIES/fifo.so --partial
scx-messaging --sched-ext -f simple -g 1 -l 50 || fail "messaging --sched-ext failed"
stop_run
[ "$RUN_RC" = 0 ] || { cat run.json.err; fail "--partial: exit $RUN_RC"; }
emit_json run.json
tail -n 1 run.json | grep -q '"nr_user_dispatches":[1-9]' || fail "--partial: SCHED_EXT tasks did not reach the policy"

note "bpf-only"
start_run run.json --bpf-only
messaging -g 1 -l 50 || fail "messaging failed under --bpf-only"
stop_run
[ "$RUN_RC" = 0 ] || { cat run.json.err; fail "--bpf-only: exit $RUN_RC"; }
emit_json run.json
expect_in run.json '"policy":"bpf-fifo"'

note "duration"
scx-run --json --duration 2s $POLICIES/fifo.so > run.json 2> run.json.err || fail "--duration: exit $?"
emit_json run.json
expect_in run.json '"reason":"duration reached"'
[ "$(state)" = disabled ] || fail "--duration: state '$(state)'"

note "bounce"
start_run run.json $TEST_POLICIES/pin_cpu0.so
taskset -c 1 scx-messaging -f simple -g 1 -l 20 || fail "messaging on cpu1 failed under pin_cpu0"
stop_run
[ "$RUN_RC" = 0 ] || { cat run.json.err; fail "pin_cpu0: exit $RUN_RC"; }
emit_json run.json
tail -n 1 run.json | grep -q '"nr_bounce_dispatches":[1-9]' || fail "no decision was bounced"

note "sysrq-s"
start_run run.json $POLICIES/fifo.so
echo S > /proc/sysrq-trigger
RUN_RC=0
wait "$RUN_PID" || RUN_RC=$?
[ "$RUN_RC" = 1 ] || { cat run.json.err; fail "SysRq-S: exit $RUN_RC, expected 1"; }
wait_state disabled 2 || fail "state '$(state)' after SysRq-S"
emit_json run.json
expect_in run.json '"kind":"sysrq"'
