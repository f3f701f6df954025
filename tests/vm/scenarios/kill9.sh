# 2. kill -9 of scx-run (the supervisor) or of the process running the
# policy returns the machine to the default scheduler at once, and a
# workload running meanwhile completes.
. /scx/lib.sh

worker_of() {
    for st in /proc/[0-9]*/status; do
        if grep -q '^Name:	scx-worker$' "$st" 2>/dev/null && grep -q "^PPid:	$1\$" "$st"; then
            basename "$(dirname "$st")"; return
        fi
    done
}

for victim in supervisor worker; do
    note "kill -9 of the $victim"
    start_run run.json $POLICIES/fifo.so
    messaging -g 2 -l 200 > msg.out 2>&1 &
    msg=$!
    sleep 1
    if [ $victim = supervisor ]; then pid=$RUN_PID; else pid=$(worker_of "$RUN_PID"); fi
    [ -n "$pid" ] || fail "no $victim process found"
    kill -9 "$pid"
    wait_state disabled 2 || fail "state is '$(state)' 2 s after kill -9 of the $victim"
    wait "$msg" || { cat msg.out; fail "messaging did not complete after kill -9 of the $victim"; }
    RUN_RC=0
    wait "$RUN_PID" || RUN_RC=$?
    if [ $victim = worker ]; then
        [ "$RUN_RC" = 1 ] || fail "scx-run exited $RUN_RC after its worker was killed, expected 1"
        emit_json run.json
        expect_in run.json '"kind":"crash"'
        expect_in run.json.err 'SIGKILL'
    fi
done
