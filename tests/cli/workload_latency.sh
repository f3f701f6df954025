# scx-workload latency: one process per group holding a message thread and
# its worker threads; requests answered, wake-ups counted by role.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_WORKLOAD" --json latency:groups=2,workers=3,work=500us,think=1ms,duration=300ms
cp out lat.json
validate lat.json
python3 - lat.json <<'PY' || fail "lat.json"
import json, sys
d = json.load(open(sys.argv[1]))
m, tasks = d["metrics"], d["tasks"]
def check(ok, what):
    if not ok:
        sys.exit(f"FAIL: {what}: {json.dumps(d)}")
check([t["role"] for t in tasks] == (["message"] + ["worker"] * 3) * 2, "2 groups of a message thread and 3 workers")
check(d["workload"]["tasks_are"] == "threads" and d["workload"]["processes"] == 2, "threads in 2 processes")
# The workers are threads of their message thread's process.
check(all(t["pid"] == tasks[i // 4 * 4]["pid"] for i, t in enumerate(tasks)), "group processes")
check(len({t["pid"] for t in tasks}) == 2 and len({t["tid"] for t in tasks}) == 8, "two processes, eight threads")
check(m["makespan_s"] == 0.3, "makespan_s")
# Work items are the workers' replies.
check(m["work_items"] > 0, "requests answered")
check(m["work_items"] == sum(t["work_items"] for t in tasks if t["role"] == "worker"), "work items")
check(all(t["work_items"] == 0 for t in tasks if t["role"] == "message"), "message threads do no work")
# Each wake-up counts once overall, once in its role, once in its task.
check(m["wakeups"] == sum(r["wakeups"] for r in d["roles"]) == sum(t["wakeups"] for t in tasks), "wake-ups")
check([r["name"] for r in d["roles"]] == ["message", "worker"], "roles")
check(all(r["wakeups"] > 0 for r in d["roles"]), "both roles wake up")
p = [m["wakeup_latency_" + q] for q in ("p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns")]
check(p == sorted(p), "percentiles in order")
# Think times are at least 0.5 ms: no more rounds than 300 ms allows.
check(m["work_items"] <= 2 * 3 * 600, "requests bounded")
PY
