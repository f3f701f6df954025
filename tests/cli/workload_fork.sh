# scx-workload fork: every job a process, each run once; make (the tool)
# waits for them; a job's wake-ups are its I/O waits.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_WORKLOAD" --json fork:jobs=6,levels=3,parallel=2,work=2ms,io=200us,chunks=2
cp out fork.json
validate fork.json
python3 - fork.json <<'PY' || fail "fork.json"
import json, sys
d = json.load(open(sys.argv[1]))
m, tasks = d["metrics"], d["tasks"]
def check(ok, what):
    if not ok:
        sys.exit(f"FAIL: {what}: {json.dumps(d)}")
check([t["role"] for t in tasks] == ["make"] + ["job"] * 6, "make and six jobs")
check(len({t["pid"] for t in tasks}) == 7, "a process each")
check(m["work_items"] == 6 and all(t["work_items"] == 1 for t in tasks[1:]), "each job done once")
check(all(t["wakeups"] == 2 for t in tasks[1:]), "two I/O waits a job")
check(0 < m["makespan_s"] < 60 and abs(m["throughput"] - 6 / m["makespan_s"]) < 1e-6, "throughput")
check(m["elapsed_s"] == m["makespan_s"], "elapsed_s")
PY
