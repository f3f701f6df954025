# 7. Twenty attach/detach cycles; the host checks the console for kernel
# warnings. Prints attach and detach latencies.
. /scx/lib.sh
i=0
while [ $i -lt 20 ]; do
    i=$((i + 1))
    start_run run.json $POLICIES/fifo.so --interval 0
    stop_run
    [ "$RUN_RC" = 0 ] || { cat run.json.err; fail "cycle $i: scx-run exited $RUN_RC"; }
    [ "$(state)" = disabled ] || fail "cycle $i: state '$(state)' after exit"
    tail -n 1 run.json | sed 's/.*"attach_s":\([0-9.e-]*\).*"detach_s":\([0-9.e-]*\).*/attach \1 s, detach \2 s/'
done
emit_json run.json
