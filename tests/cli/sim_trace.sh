# --trace writes Chrome/Perfetto trace JSON (traceEvents with ph, ts, pid,
# tid; one track per CPU); --events writes JSON Lines with a type each.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_RUN" --sim messaging:groups=1,loops=20 --cpus 2 --trace trace.json --events ev.jsonl "$SCX_FIFO_SO"
python3 - trace.json ev.jsonl <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
ev = t["traceEvents"]
assert ev, "no events"
for e in ev:
    for k in ("ph", "pid", "tid"):
        assert k in e, (k, e)
    if e["ph"] != "M":
        assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0, e
runs = [e for e in ev if e["ph"] == "X"]
assert runs and all(e["dur"] >= 0 for e in runs)
assert {e["tid"] for e in runs} <= {0, 1}
names = {e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
assert names == {"CPU 0", "CPU 1"}, names
assert any(e["cat"] == "scheduler" for e in runs)
lines = [json.loads(l) for l in open(sys.argv[2])]
assert lines[0]["type"] == "header" and lines[0]["schema"] == "scxkit.events/1"
assert lines[-1]["type"] == "end"
types = {l["type"] for l in lines}
for ty in ("wakeup", "enqueue", "dequeue", "dispatch", "insert", "run", "stop", "exit", "sched_run"):
    assert ty in types, ty
assert all("t" in l for l in lines[1:])
# A task that blocks says on what (messaging on sockets: a receive waits
# for data; the main thread waits for its children); nothing else does.
stops = [l for l in lines if l["type"] == "stop"]
assert all(("on" in l) == (l["reason"] == "block") for l in stops), stops
on = {l["on"] for l in stops if "on" in l}
assert "data" in on and on <= {"data", "space", "child", "children", "gate"}, on
PY

# With processes on pipes, tasks also sleep on a pipe's mutex (the
# simulator's pipe_write/pipe_read; default on two CPUs queues writers on it).
expect_exit 0 "$SCX_RUN" --sim messaging:groups=1,loops=50,pipe=1 --cpus 2 --machine lock_pct=80,syscall_pct=500 \
    --events ev2.jsonl default
python3 - ev2.jsonl <<'PY' || fail "no task slept on a pipe's mutex"
import json, sys
on = [json.loads(l).get("on") for l in open(sys.argv[1])]
assert on.count("mutex") > 0 and on.count("data") > 0, (on.count("mutex"), on.count("data"))
PY

# An unwritable trace is an I/O error, and stdout stays empty.
expect_exit 74 "$SCX_RUN" --sim cpu:duration=10ms --cpus 1 --trace /nonexistent/dir/t.json "$SCX_FIFO_SO"
expect_in err "cannot write /nonexistent/dir/t.json"
[ ! -s out ] || fail "stdout must stay empty"
