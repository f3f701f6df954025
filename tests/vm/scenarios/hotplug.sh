# CPU hotplug while a policy runs: the kernel asks for a restart, scx-run
# reloads and attaches again by itself.
. /scx/lib.sh
[ -e /sys/devices/system/cpu/cpu1/online ] || { echo "no hotpluggable CPU"; exit 0; }
start_run run.json $POLICIES/fifo.so --interval 0
echo 0 > /sys/devices/system/cpu/cpu1/online || fail "cannot take cpu1 offline"
sleep 3
[ "$(state)" = enabled ] || { cat run.json.err; fail "not running again after cpu1 went offline (state $(state))"; }
echo 1 > /sys/devices/system/cpu/cpu1/online || fail "cannot bring cpu1 back"
sleep 3
[ "$(state)" = enabled ] || { cat run.json.err; fail "not running again after cpu1 came back (state $(state))"; }
messaging -g 1 -l 50 || fail "messaging failed after hotplug"
stop_run
[ "$RUN_RC" = 0 ] || { cat run.json.err; fail "scx-run exited $RUN_RC"; }
emit_json run.json
tail -n 1 run.json | grep -q '"restarts":[1-9]' || fail "no restart recorded"
