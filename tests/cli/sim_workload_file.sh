# A JSON workload file (scx-json(5), scxkit.workload/1) runs like a built-in:
# ping-pong over two pipes, a gate, spawned helpers, weights and affinity.
. "$(dirname "$0")/lib.sh"

cat > pingpong.json <<'JSON'
{"schema": "scxkit.workload/1", "name": "pingpong", "throughput_unit": "round trips/s",
 "channels": [{"name": "ping", "kind": "pipe", "size": 64, "count": 2},
              {"name": "pong", "kind": "socket", "size": 64, "count": 2}],
 "gates": ["go"],
 "tasks": [
   {"name": "pinger", "count": 2, "nice": -5,
    "program": [{"wait_gate": "go"}, {"mark": "start"},
                {"loop": 200, "do": [{"send": "ping[$i]", "cost": "500ns"}, {"recv": "pong[$i]", "item": true}]},
                {"mark": "stop"}]},
   {"name": "ponger", "count": 2, "cpus": "1-2", "threads": true,
    "program": [{"loop": 200, "do": [{"recv": "ping[$i]"}, {"run": {"uniform": ["2us", "4us"]}}, {"send": "pong[$i]"}]}]},
   {"name": "starter", "program": [{"sleep": "1ms"}, {"open_gate": "go"},
                                   {"loop": 3, "do": [{"spawn": "helper"}]}, {"wait": "children"}]},
   {"name": "helper", "count": 3, "start": "spawn", "program": [{"run": {"exp": "100us"}}]}
 ]}
JSON
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
