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

# Per-CPU queues are vtime-ordered (as in the simulator, tests/cli/
# sim_dispatch_rules.sh): cpu0_prio queues every task on CPU 0 by arrival, a
# niced one 100 ms later, so of three hogs, two at nice 0 and one at nice 10,
# the niced one runs only when it has waited 100 ms: about 5 % of CPU 0 (a
# FIFO queue would give it a third).
note "cpu0_prio"
start_run run.json $TEST_POLICIES/cpu0_prio.so --interval 0
sh -c 'while :; do :; done' &
hi1=$!
sh -c 'while :; do :; done' &
hi2=$!
sh -c 'while :; do :; done' &
lo=$!
renice -n 10 -p $lo > /dev/null || fail "renice failed"
sleep 3
# utime + stime of a process (clock ticks), or nothing when it is gone.
cpu_ticks() { _l=; read -r _l < /proc/$1/stat || return; set -- $_l; echo $(( ${14} + ${15} )); }
t_hi1=$(cpu_ticks $hi1) t_hi2=$(cpu_ticks $hi2) t_lo=$(cpu_ticks $lo)
kill $hi1 $hi2 $lo
wait $hi1 $hi2 $lo 2>/dev/null
[ -n "$t_hi1" ] && [ -n "$t_hi2" ] && [ -n "$t_lo" ] || fail "cpu0_prio: a hog is gone ('$t_hi1' '$t_hi2' '$t_lo')"
t_hi=$(( t_hi1 + t_hi2 ))
stop_run
cat run.json.err
[ "$RUN_RC" = 0 ] || fail "cpu0_prio: exit $RUN_RC"
note "cpu0_prio: CPU ticks nice 0 $t_hi, nice 10 $t_lo"
[ $(( t_hi + t_lo )) -gt 50 ] || fail "cpu0_prio: the hogs hardly ran ($t_hi + $t_lo ticks)"
[ $(( t_lo * 100 / (t_hi + t_lo) )) -lt 20 ] ||
    fail "cpu0_prio: nice 10 got $t_lo of $(( t_hi + t_lo )) ticks: CPU 0's queue is not in vtime order"
