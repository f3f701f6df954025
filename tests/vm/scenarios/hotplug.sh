# CPU hotplug while a policy runs: the kernel asks for a restart, scx-run
# reloads and attaches again by itself.
. /scx/lib.sh
[ -e /sys/devices/system/cpu/cpu1/online ] || { echo "no hotpluggable CPU"; exit 0; }
start_run run.json $POLICIES/fifo.so --interval 0
# The kernel drops the scheduler, then scx-run loads and attaches again.
replug() {
    echo "$1" > /sys/devices/system/cpu/cpu1/online || fail "cannot set cpu1 online=$1"
    wait_state disabled 5 || note "no detach seen (state $(state))"
    wait_state enabled 30 || { cat run.json.err; fail "not running again after cpu1 online=$1 (state $(state))"; }
    kill -0 "$RUN_PID" || fail "scx-run exited"
}
replug 0
replug 1
messaging -g 1 -l 50 || fail "messaging failed after hotplug"
stop_run
[ "$RUN_RC" = 0 ] || { cat run.json.err; fail "scx-run exited $RUN_RC"; }
emit_json run.json
tail -n 1 run.json | grep -q '"restarts":[1-9]' || fail "no restart recorded"
