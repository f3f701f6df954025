# Every reference policy completes every built-in workload (small sizes),
# without a stall.
. "$(dirname "$0")/lib.sh"

for policy in fifo vruntime latency; do
    for w in messaging:groups=2,loops=50 messaging:groups=2,loops=50,pipe=1,thread=1 \
             cpu:tasks=6,duration=200ms,nice=0/5 latency:duration=200ms interactive:duration=200ms \
             fork:jobs=24,work=5ms; do
        expect_exit 0 "$SCX_RUN" --sim "$w" --cpus 3 --json "$SCX_POLICY_DIR/$policy.so"
        kind=$(json_get out 'd["exit"]["kind"]')
        [ "$kind" = done ] || fail "$policy on $w: exit $kind"
        [ "$(json_get out 'd["policy"]')" = "$policy" ] || fail "policy name"
        [ "$(json_get out 'd["metrics"]["work_items"] > 0')" = True ] || fail "$policy on $w did no work"
    done
done
