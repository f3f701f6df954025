# Invalid decisions are refused with -EINVAL and counted, one for an older
# record of the task is cancelled (returns 0), a CPU outside the task's affinity is bounced to the shared
# queue: the test policy throws if any return value differs.
. "$(dirname "$0")/lib.sh"

cp "$SRC/tests/cli/data/pinned.workload.json" pinned.json
expect_exit 0 "$SCX_RUN" --sim pinned.json --cpus 2 --json "$SCX_TEST_POLICIES/bad_dispatch.so"
python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["counters"]
n = c["nr_user_dispatches"]
assert n >= 10, c
assert c["nr_bounce_dispatches"] == n, c
assert c["nr_cancel_dispatches"] == n - 2, c   # an older seq: every record but each task's first
assert c["nr_failed_dispatches"] == 5 * n, c
assert c["nr_kernel_dispatches"] == 0, c
assert d["workload"]["name"] == "pinned"
PY

# Per-CPU queues are vtime-ordered: cpu0_prio queues every task on CPU 0 by
# arrival, a niced one 100 ms later, so of three hogs, two at nice 0 and one
# at nice 10, the niced one runs only when it has waited 100 ms: about 5 %
# of the CPU (a FIFO queue would give it a third). The VM scenario
# dispatch_rules.sh checks the same on the kernel.
cat > prio.json <<'W'
{"schema": "scxkit.workload/1", "name": "prio", "duration": "1s",
 "tasks": [{"name": "hi", "count": 2, "program": [{"loop": "forever", "do": [{"run": "1s"}]}]},
           {"name": "lo", "nice": 10, "program": [{"loop": "forever", "do": [{"run": "1s"}]}]}]}
W
expect_exit 0 "$SCX_RUN" --sim prio.json --cpus 2 --json --events prio.jsonl "$SCX_TEST_POLICIES/cpu0_prio.so"
python3 - prio.jsonl <<'PY' || fail "per-CPU vtime order"
import json, sys
ran = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "stop" and e["comm"] in ("hi", "lo"):
        assert e["cpu"] == 0, e
        ran[e["comm"]] = ran.get(e["comm"], 0) + e["ran_ns"]
share = ran["lo"] / (ran["hi"] + ran["lo"])
assert 0.01 < share < 0.1, ran
PY
