# A JSON workload file (scx-json(5), scxkit.workload/1) runs like a built-in:
# ping-pong over two pipes, a gate, spawned helpers, weights and affinity.
. "$(dirname "$0")/lib.sh"

cp "$SRC/tests/cli/data/pingpong.workload.json" pingpong.json
for policy in fifo vruntime latency; do
    expect_exit 0 "$SCX_RUN" --sim pingpong.json --cpus 3 --json "$SCX_POLICY_DIR/$policy.so"
    python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exit"]["kind"] == "done", d["exit"]
assert d["workload"]["name"] == "pingpong"
assert d["workload"]["throughput_unit"] == "round trips/s"
assert d["workload"]["params"]["file"] == "pingpong.json"
m = d["metrics"]
assert m["work_items"] == 400, m["work_items"]
assert m["makespan_s"] > 0 and m["wakeups"] > 0
PY
done
