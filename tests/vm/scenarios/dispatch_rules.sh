# The decision rules of <scx/policy.hpp> hold on the kernel: bad_dispatch
# checks every return value of dispatch() (a CPU out of range, a seq never
# issued and a task not waiting: -EINVAL; an older record of the task:
# cancelled, 0; a CPU outside the affinity: 0, bounced) and throws on the
# first surprise. select_check throws when select_cpu() returns a CPU
# outside the task's affinity. Tasks pinned to CPU 1 exercise both.
. /scx/lib.sh
counter() { sed -n "s/.*\"type\":\"final\".*\"$2\":\([0-9]*\).*/\1/p" "$1"; }

note "bad_dispatch"
start_run run.json $TEST_POLICIES/bad_dispatch.so --interval 0
taskset -c 1 scx-messaging -f simple -g 1 -l 20 || fail "messaging on cpu1 failed under bad_dispatch"
messaging -g 1 -l 20 || fail "messaging failed under bad_dispatch"
stop_run
cat run.json.err
[ "$RUN_RC" = 0 ] || fail "bad_dispatch: exit $RUN_RC (a dispatch() return value broke the contract)"
emit_json run.json
expect_in run.json '"kind":"done"'
for c in nr_bounce_dispatches nr_cancel_dispatches nr_failed_dispatches; do
    n=$(counter run.json $c)
    note "$c $n"
    [ "${n:-0}" -gt 0 ] || fail "$c is ${n:-missing}, expected > 0"
done

note "select_check"
start_run run.json $TEST_POLICIES/select_check.so --interval 0
taskset -c 1 scx-messaging -f simple -g 1 -l 20 || fail "messaging on cpu1 failed under select_check"
taskset -c 0 scx-messaging -f simple -g 1 -l 20 || fail "messaging on cpu0 failed under select_check"
stop_run
cat run.json.err
[ "$RUN_RC" = 0 ] || fail "select_check: exit $RUN_RC (select_cpu returned a CPU outside the affinity?)"
emit_json run.json
expect_in run.json '"kind":"done"'
