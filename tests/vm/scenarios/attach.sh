# 1. The FIFO policy attaches (state enabled, ops "scxkit"), native messaging
# completes under it, SIGINT detaches (state disabled), exit 0, final JSON.
. /scx/lib.sh
[ "$(state)" = disabled ] || fail "sched_ext state is '$(state)' before the test"
start_run run.json $POLICIES/fifo.so --interval 500ms
messaging -g 2 -l 50 || fail "messaging failed under fifo"
messaging -t -p -g 2 -l 50 || fail "messaging (threads, pipes) failed under fifo"
[ "$(state)" = enabled ] || fail "scheduler gone after the workload: $(cat run.json.err)"
stop_run
[ "$RUN_RC" = 0 ] || { cat run.json.err; fail "scx-run exited $RUN_RC after SIGINT"; }
wait_state disabled 5 || fail "state is still '$(state)' after scx-run exited"
# The policy's staged copy (loaded by the unprivileged worker) is gone.
for d in /tmp/scx-run.*; do [ ! -e "$d" ] || fail "staged policy left behind: $d"; done
cat run.json.err
emit_json run.json
expect_in run.json '"type":"stats"'
# The current values (queued, running, online CPUs) of every stats line are
# the kernel's, not zeros.
if grep '"type":"stats"' run.json | grep -v '"nr_online_cpus":[1-9]'; then
    fail "a stats line reports no online CPU"
fi
expect_in run.json '"schema":"scxkit.run/1"'
expect_in run.json '"kind":"done"'
expect_in run.json '"policy":"fifo"'
tail -n 1 run.json | grep -q '"nr_user_dispatches":[1-9]' || fail "no decision went through the policy"
