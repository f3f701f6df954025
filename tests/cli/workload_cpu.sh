# scx-workload cpu: as many hog processes as asked, the nice values given in
# turn, the duration kept; the document is valid scxkit.native/1. Bounds
# only: the figures depend on the machine's load.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_WORKLOAD" --json cpu:tasks=3,duration=200ms,nice=0/5
cp out cpu.json
validate cpu.json
python3 - cpu.json <<'PY' || fail "cpu.json"
import json, sys
d = json.load(open(sys.argv[1]))
m, tasks = d["metrics"], d["tasks"]
def check(ok, what):
    if not ok:
        sys.exit(f"FAIL: {what}: {json.dumps(d)}")
check(d["workload"]["params"] == {"tasks": 3, "duration": "200ms", "nice": "0/5"}, "params")
check([t["role"] for t in tasks] == ["hog"] * 3, "three hogs")
check([t["nice"] for t in tasks] == [0, 5, 0], "nice values in turn")
check(len({t["pid"] for t in tasks}) == 3 and d["workload"]["tasks_are"] == "processes", "three processes")
check(m["makespan_s"] == 0.2, "makespan_s is the duration")
# Started together, stopped at the deadline: not before it, not long after.
check(0.2 <= m["elapsed_s"] < 10, "elapsed_s")
# A work item is 1 ms of CPU: no more than the hogs could do in 200 ms,
# and each one is CPU time really used.
check(0 < m["work_items"] <= 3 * 200, "work_items")
check(m["work_items"] == sum(t["work_items"] for t in tasks), "work items of the tasks")
check(abs(m["throughput"] - m["work_items"] / 0.2) < 1e-6, "throughput")
check(m["work_items"] / 1000 <= m["task_cpu_s"], "CPU behind the work")
check(m["wakeups"] == 0 and m["wakeup_latency_max_ns"] == 0, "hogs never sleep")
check(m["tasks"] == 3, "tasks")
if d["schedstat"]:
    check(0 < m["fairness_jain"] <= 1 and all(t["wait_s"] is not None for t in tasks), "schedstat figures")
PY

# Text for a person: the workload with its defaults filled in.
expect_exit 0 "$SCX_WORKLOAD" cpu:tasks=1,duration=20ms
expect_in out "cpu:tasks=1,duration=20ms,nice=0 (1 tasks, processes"
expect_in out "work-ms/s"
