# The simulator's BPF-only mode (scx-run --sim --bpf-only): no policy and no
# user-space scheduler; a waking task takes an idle CPU, the others share one
# queue in arrival order, each run lasting the default slice (--machine
# slice_ns). Usage errors: with --check, with a policy, with --param.
. "$(dirname "$0")/lib.sh"
cat > hogs.json <<'W'
{"schema": "scxkit.workload/1", "name": "hogs", "duration": "100ms",
 "tasks": [{"name": "hog", "count": 3, "program": [{"loop": "forever", "do": [{"run": "1s"}]}]}]}
W
expect_exit 0 "$SCX_RUN" --json --sim hogs.json --cpus 1 --bpf-only --machine slice_ns=8ms --events ev.jsonl
cp out hogs.json.out
validate --lines ev.jsonl
python3 - <<'PY' || fail "FIFO rotation"
import json
d = json.load(open("hogs.json.out"))
assert d["policy"] == "bpf-fifo", d["policy"]
assert d["counters"]["nr_user_dispatches"] == 0, d["counters"]
assert d["counters"]["nr_kernel_dispatches"] > 0, d["counters"]
ev = [json.loads(l) for l in open("ev.jsonl")][1:]
# Nothing goes through user space.
kinds = {e["type"] for e in ev}
assert not kinds & {"enqueue", "dequeue", "dispatch", "sched_run"}, kinds
# The three hogs take turns in a fixed order, each for the 8 ms slice
# (charged at the 4 ms tick: 8 ms exactly).
runs = [e for e in ev if e["type"] == "run"]
order = [e["pid"] for e in runs]
assert len(order) >= 10, order
assert all(order[i] == order[i % 3] for i in range(len(order))), order
assert len(set(order[:3])) == 3, order
stops = [e for e in ev if e["type"] == "stop"]
lengths = sorted(s["ran_ns"] for s in stops)
assert 7_500_000 <= lengths[len(lengths) // 2] <= 8_500_000, lengths
PY

# On two CPUs a task waking with a CPU idle takes it at once (a bypass).
cat > sleepers.json <<'W'
{"schema": "scxkit.workload/1", "name": "sleepers",
 "tasks": [{"name": "s", "count": 2, "program": [{"loop": 20, "do": [{"run": "100us"}, {"sleep": "1ms"}]}]}]}
W
expect_exit 0 "$SCX_RUN" --json --sim sleepers.json --cpus 2 --bpf-only --events ev2.jsonl
python3 - <<'PY' || fail "idle CPUs"
import json
ev = [json.loads(l) for l in open("ev2.jsonl")][1:]
wakeups = [e for e in ev if e["type"] == "wakeup"]
bypass = [e for e in ev if e["type"] == "bypass"]
# Two starts and 2 x 20 wake-ups, every one onto an idle CPU.
assert len(wakeups) == 42 and len(bypass) == 42, (len(wakeups), len(bypass))
PY

expect_exit 64 "$SCX_RUN" --check --bpf-only
expect_in err "--bpf-only has no policy to check"
expect_exit 64 "$SCX_RUN" --sim cpu --bpf-only "$SCX_FIFO_SO"
expect_in err "--bpf-only takes no POLICY.so"
expect_exit 64 "$SCX_RUN" --sim cpu --bpf-only --param slice_ns=1ms
expect_in err "has no parameters"
