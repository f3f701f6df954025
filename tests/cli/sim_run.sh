# scx-run --sim prints one scxkit.run/1 document with the promised members,
# and exits 0 when the workload completes.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_RUN" --sim messaging:groups=2,loops=10 --cpus 4 "$SCX_FIFO_SO"
[ ! -s err ] || fail "stderr not empty: $(cat err)"
python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "scxkit.run/1", d["schema"]
assert d["type"] == "final" and d["mode"] == "sim"
assert d["policy"] == "fifo" and d["policy_path"].endswith("fifo.so")
assert d["workload"]["name"] == "messaging"
p = d["workload"]["params"]
assert p["groups"] == 2 and p["loops"] == 10 and p["pipe"] == 0 and p["thread"] == 0, p
assert d["workload"]["throughput_unit"] == "messages/s"
assert d["seed"] == 1 and d["cpus"] == 4
assert d["exit"] == {"kind": "done", "reason": "", "message": ""}, d["exit"]
for c in ("nr_queued", "nr_scheduled", "nr_running", "nr_online_cpus", "nr_user_dispatches",
          "nr_kernel_dispatches", "nr_cancel_dispatches", "nr_bounce_dispatches",
          "nr_failed_dispatches", "nr_congestion"):
    assert isinstance(d["counters"][c], int), c
m = d["metrics"]
for k in ("makespan_s", "throughput", "wakeup_latency_p50_ns", "wakeup_latency_p90_ns",
          "wakeup_latency_p99_ns", "wakeup_latency_p999_ns", "run_delay_p50_ns", "run_delay_p99_ns",
          "fairness_jain", "utilisation", "idle_while_runnable_s", "context_switches", "migrations",
          "user_dispatches", "kernel_dispatches", "congestion_events", "worst_runnable_wait_ns"):
    assert k in m, k
for k, v in m.items():
    assert isinstance(v, (int, float)) and not isinstance(v, bool), k
assert m["work_items"] == 2 * 400 * 10
assert abs(m["throughput"] - m["work_items"] / m["makespan_s"]) < 1e-6 * m["throughput"]
assert 0 < m["utilisation"] <= 1 and 0 < m["fairness_jain"] <= 1
# The tasks' CPU time within the makespan: switches into them counted, the
# start-up before it (80 tasks created, each saying it is ready) not.
assert 0 < m["makespan_cpu_s"] <= 4 * m["makespan_s"] * 1.0001, m
assert m["makespan_cpu_s"] < m["task_cpu_s"] + m["overhead_s"], m
PY
# With no interval marked (cpu), the interval is the whole run: the hogs'
# CPU time and the switches into them, no more than the CPUs had.
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=3,duration=100ms --cpus 2 default
python3 - out <<'PY' || fail "makespan_cpu_s of a run with no interval marked"
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
assert abs(m["makespan_cpu_s"] - (m["task_cpu_s"] + m["overhead_s"])) < 0.001 * m["makespan_cpu_s"], m
assert m["makespan_cpu_s"] <= 2 * m["makespan_s"] * 1.0001, m
PY

# --table forces the table, --json the document (whatever stdout is).
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=2,duration=50ms --cpus 1 --table "$SCX_FIFO_SO"
expect_in out "makespan_s"
expect_in out "work-ms/s"
expect_not_in out "{"
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=2,duration=50ms --cpus 1 --table --json "$SCX_FIFO_SO"
json_get out 'd["schema"]' >/dev/null

# On a terminal the table is the default.
if script -qec true /dev/null >/dev/null 2>&1; then
    script -qec "'$SCX_RUN' --sim cpu:tasks=2,duration=50ms --cpus 1 '$SCX_FIFO_SO'" /dev/null > tty.txt
    expect_in tty.txt "makespan_s"
    expect_not_in tty.txt '"schema"'
fi

# -v reports wall-clock figures on stderr only.
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=2,duration=50ms --cpus 1 -v "$SCX_FIFO_SO"
expect_in err "events/s"
expect_not_in out "wall"

# What a policy prints goes to stderr; stdout carries only the document.
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=2,duration=100ms --cpus 1 --json "$SCX_TEST_POLICIES/prints.so"
json_get out 'd["exit"]["kind"]' >/dev/null || fail "stdout is not the document"
expect_in err "dispatching 100"
