# --partial schedules only SCHED_EXT tasks; --bpf-only needs no policy;
# --duration stops by itself; a COMMAND after -- is the run's workload;
# idle bypass can be turned off by a policy.
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

note "command"
# The run lasts as long as the command, which runs under the policy; its
# result is in the report, its output on standard error.
scx-run --json --interval 0 $POLICIES/fifo.so -- sh -c 'scx-messaging -f simple -g 1 -l 20; echo hello-from-workload >&2; exit 3' \
    > run.json 2> run.json.err || fail "a command run: exit $?"
emit_json run.json
expect_in run.json '"command":{"argv":["sh","-c",'
expect_in run.json '"exit_code":3'
expect_in run.json '"before":"enabled (scxkit)"'
expect_in run.json '"after":"enabled (scxkit)"'
expect_in run.json '"after_stop":"disabled"'
expect_in run.json.err 'hello-from-workload'
tail -n 1 run.json | grep -q '"nr_user_dispatches":[1-9]' || fail "the command's tasks did not reach the policy"
[ "$(state)" = disabled ] || fail "command: state '$(state)'"
# The native workload, with its own figure.
scx-run --json --interval 0 --workload messaging:groups=1,loops=20 $POLICIES/vruntime.so > run.json 2> run.json.err ||
    { cat run.json.err; fail "--workload: exit $?"; }
emit_json run.json
expect_in run.json '"messaging_s":'
# The kernel's own scheduler has no policy to attach: refused, nothing changed.
rc=0
scx-run --bpf-only --workload nope > out 2> err || rc=$?
[ "$rc" = 64 ] || fail "an unknown native workload gave $rc"

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
expect_in run.json '"kind":"ejected"'
expect_in run.json 'sysrq'
