# CPU hotplug while a policy runs: the kernel asks for a restart, scx-run
# reloads and attaches again by itself.
. /scx/lib.sh
[ -e /sys/devices/system/cpu/cpu1/online ] || { echo "no hotpluggable CPU"; exit 0; }
start_run run.json $POLICIES/fifo.so --interval 0
# What to look at when it goes wrong: scx-run's messages and report, the
# kernel's.
why() {
    cat run.json.err; tail -n 2 run.json
    dmesg | grep -iE 'sched_ext|scx' | tail -n 10
}
# The kernel drops the scheduler, then scx-run loads and attaches again.
replug() {
    echo "$1" > /sys/devices/system/cpu/cpu1/online || fail "cannot set cpu1 online=$1"
    wait_state disabled 5 || note "no detach seen (state $(state))"
    wait_state enabled 30 || { why; fail "not running again after cpu1 online=$1 (state $(state))"; }
    kill -0 "$RUN_PID" || { why; fail "scx-run exited"; }
}
# Under load: tasks keep going through the policy while CPU 1 leaves and
# comes back (a task sent to a CPU in hotplug, either way, must not wait in
# that CPU's queue until the hotplug stalls).
( while :; do messaging -g 1 -l 20 > /dev/null 2>&1; done ) &
LOAD_PID=$!
trap 'kill "$LOAD_PID" 2>/dev/null; cleanup' EXIT
replug 0
replug 1
replug 0
replug 1
kill "$LOAD_PID"; wait "$LOAD_PID" 2>/dev/null
messaging -g 1 -l 50 || { why; fail "messaging failed after hotplug"; }
stop_run
[ "$RUN_RC" = 0 ] || { why; fail "scx-run exited $RUN_RC"; }
emit_json run.json
tail -n 1 run.json | grep -qE '"restarts":[4-8],' || fail "not one restart per hotplug (4)"
