# Same seed, policy and workload: byte-identical document, trace and event
# log. Another seed: another run.
. "$(dirname "$0")/lib.sh"

run() { "$SCX_RUN" --sim messaging:groups=2,loops=30 --cpus 3 --seed "$1" --trace "t$2.json" --events "e$2.jsonl" \
    "$SCX_POLICY_DIR/vruntime.so" > "d$2.json"; }
run 7 1
run 7 2
run 8 3
cmp d1.json d2.json || fail "documents differ"
cmp t1.json t2.json || fail "traces differ"
cmp e1.jsonl e2.jsonl || fail "event logs differ"
if cmp -s d1.json d3.json; then fail "seed changes nothing"; fi
[ "$(json_get d3.json 'd["seed"]')" = 8 ] || fail "seed not reported"
