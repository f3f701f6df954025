# 8. Every reference policy runs the messaging workload and CPU hogs to
# completion, and is still attached afterwards.
. /scx/lib.sh
n=0
for so in $POLICIES/*.so; do
    name=$(basename "$so" .so)
    note "$name"
    start_run run.json "$so" --interval 1s
    messaging -g 2 -l 50 || fail "$name: messaging failed"
    messaging -t -g 1 -l 50 || fail "$name: messaging (threads) failed"
    hogs=
    for h in 1 2 3; do timeout 2 sh -c 'while :; do :; done' & hogs="$hogs $!"; done
    for h in $hogs; do wait "$h" || true; done
    [ "$(state)" = enabled ] || { cat run.json.err; fail "$name: ejected during the workload"; }
    stop_run
    [ "$RUN_RC" = 0 ] || { cat run.json.err; fail "$name: scx-run exited $RUN_RC"; }
    emit_json run.json
    expect_in run.json "\"policy\":\"$name\""
    tail -n 1 run.json | grep -q '"nr_user_dispatches":[1-9]' || fail "$name: no decision went through the policy"
    n=$((n + 1))
done
[ $n -gt 0 ] || fail "no reference policy found"
echo "$n policies"
