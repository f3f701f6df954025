# What a wake-up costs and in which order a gate wakes: every wake-up a send
# or receive makes costs the waker wake_ns (scaled with syscall_pct): on one
# CPU, a ping-pong's every round trip pays two; syscall_ns adds its fixed
# cost to every send and receive; a gate (poll) wakes the last task to wait
# first; timer_ns makes a timer fire late, timer_tail_pct later still;
# socket_pct scales a socket's calls (on top of syscall_pct), not a pipe's.
. "$(dirname "$0")/lib.sh"
cat > pp.json <<'W'
{"schema": "scxkit.workload/1", "name": "pp",
 "channels": [{"name": "ping", "kind": "pipe"}, {"name": "pong", "kind": "pipe"}],
 "tasks": [
   {"name": "a", "program": [{"loop": 100, "do": [{"send": "ping"}, {"recv": "pong", "item": true}]}]},
   {"name": "b", "program": [{"loop": 100, "do": [{"recv": "ping"}, {"send": "pong"}]}]}]}
W
for w in 0 50us; do
    expect_exit 0 "$SCX_RUN" --json --sim pp.json --cpus 1 --machine "wake_ns=$w" "$SCX_FIFO_SO"
    cp out "pp-$w.json"
done
expect_exit 0 "$SCX_RUN" --json --sim pp.json --cpus 1 --machine wake_ns=50us,syscall_pct=200 "$SCX_FIFO_SO"
cp out pp-50us-200.json
expect_exit 0 "$SCX_RUN" --json --sim pp.json --cpus 1 --machine wake_ns=0,syscall_ns=10us "$SCX_FIFO_SO"
cp out pp-entry.json
python3 - <<'PY' || fail "wake_ns"
import json
a, b, c, e = (json.load(open(f)) for f in ("pp-0.json", "pp-50us.json", "pp-50us-200.json", "pp-entry.json"))
# syscall_ns: 10 us more for each of the 400 sends and receives, unscaled.
assert e["machine"]["syscall_ns"] == 10000, e["machine"]
assert 0.0039 < e["metrics"]["makespan_s"] - a["metrics"]["makespan_s"] < 0.0041, (a["metrics"], e["metrics"])
assert b["machine"]["wake_ns"] == 50000, b["machine"]
ta, tb, tc = (d["metrics"]["makespan_s"] for d in (a, b, c))
# 200 wake-ups, one CPU: 10 ms more at 50 us, 20 ms at 200 % (where the
# other system calls double too: 200 of 2 x 400 ns more).
assert 0.0095 < tb - ta < 0.0105, (ta, tb)
assert 0.019 < tc - ta < 0.025, (ta, tc)
PY

# socket_pct: on a socket pair, 300 % is what syscall_pct=300 is, and with
# syscall_pct=200 what 600 is; on pipes it changes nothing.
sed 's/"pipe"/"socket"/g' pp.json > sp.json
for m in "" socket_pct=300 syscall_pct=300 syscall_pct=200,socket_pct=300 syscall_pct=600; do
    for w in pp sp; do
        expect_exit 0 "$SCX_RUN" --json --sim $w.json --cpus 1 --machine "jitter_pct=0${m:+,$m}" "$SCX_FIFO_SO"
        cp out "$w-${m:-base}.json"
    done
done
python3 - <<'PY' || fail "socket_pct"
import json
t = lambda f: json.load(open(f + ".json"))["metrics"]["makespan_s"]
assert json.load(open("sp-socket_pct=300.json"))["machine"]["socket_pct"] == 300
assert t("pp-socket_pct=300") == t("pp-base"), (t("pp-socket_pct=300"), t("pp-base"))
assert t("sp-socket_pct=300") == t("sp-syscall_pct=300") > t("sp-base") * 1.5, (t("sp-socket_pct=300"), t("sp-base"))
assert t("sp-syscall_pct=200,socket_pct=300") == t("sp-syscall_pct=600"), (t("sp-syscall_pct=200,socket_pct=300"), t("sp-syscall_pct=600"))
PY

cat > gate.json <<'W'
{"schema": "scxkit.workload/1", "name": "gate", "gates": ["go"],
 "tasks": [
   {"name": "w", "count": 4, "program": [{"wait_gate": "go"}, {"run": "10us"}]},
   {"name": "opener", "program": [{"sleep": "1ms"}, {"open_gate": "go"}]}]}
W
expect_exit 0 "$SCX_RUN" --json --sim gate.json --cpus 1 --events ev.jsonl default
python3 - <<'PY' || fail "gate order"
import json
ev = [json.loads(l) for l in open("ev.jsonl")][1:]
# The four waiters blocked in creation order, once each, before the gate opened.
blocked = [e["pid"] for e in ev if e["type"] == "stop" and e["comm"].startswith("w") and e["reason"] == "block"]
woke = [e["pid"] for e in ev if e["type"] == "wakeup" and e["comm"].startswith("w") and not e.get("new")]
assert len(blocked) == 4 and blocked == sorted(blocked), blocked
assert woke == blocked[::-1], (blocked, woke)
PY

# Opening a gate is a system call that pays for its wake-ups: at 100 us a
# wake-up, the opener's call lasts 400 us, and on one CPU the woken tasks
# (lazily rescheduled) run after it.
expect_exit 0 "$SCX_RUN" --json --sim gate.json --cpus 1 --machine wake_ns=100us,jitter_pct=0 --events ev2.jsonl default
python3 - <<'PY' || fail "gate cost"
import json
ev = [json.loads(l) for l in open("ev2.jsonl")][1:]
opened = max(e["t"] for e in ev if e["type"] == "wakeup" and e["comm"].startswith("w") and not e.get("new"))
first = min(e["t"] for e in ev if e["type"] == "run" and e["comm"].startswith("w") and e["t"] >= opened)
assert first - opened >= 400000, (opened, first)
PY

# timer_ns: a timer wakes its sleeper that much after it is due; the
# sleeper's wake-up latency counts from the due time (as a native sleep
# measures it), so each of 100 sleeps ends 50 us later and reports 50 us
# more latency, on both paths (the EEVDF model and a policy).
cat > sleeper.json <<'W'
{"schema": "scxkit.workload/1", "name": "sleeper",
 "tasks": [{"name": "s", "program": [{"loop": 100, "do": [{"sleep": "1ms"}, {"run": "10us", "item": true}]}]}]}
W
for s in default "$SCX_FIFO_SO"; do
    for t in 0 50us; do
        expect_exit 0 "$SCX_RUN" --json --sim sleeper.json --cpus 1 --machine "timer_ns=$t,jitter_pct=0" "$s"
        cp out "sl-$t.json"
    done
    python3 - <<'PY' || fail "timer_ns with $s"
import json
a, b = (json.load(open(f)) for f in ("sl-0.json", "sl-50us.json"))
assert a["machine"]["timer_ns"] == 0 and b["machine"]["timer_ns"] == 50000, b["machine"]
ma, mb = a["metrics"], b["metrics"]
assert ma["wakeups"] == mb["wakeups"] >= 99, (ma, mb)
assert 0.0049 < mb["makespan_s"] - ma["makespan_s"] < 0.0051, (ma["makespan_s"], mb["makespan_s"])
for p in ("wakeup_latency_p50_ns", "wakeup_latency_p99_ns"):
    assert 48000 < mb[p] - ma[p] < 52000, (p, ma[p], mb[p])
PY
done

# timer_tail_pct / timer_tail_ns: some timers fire later still - with a
# chance of pct % x (1 + busy CPUs) / (1 + CPUs), a further uniform 0 to
# 2 x timer_tail_ns. At 100 % on 2 CPUs: about a third of 200 sleeps wake
# late when the sleeper is alone, about two thirds beside a hog; the delay
# averages about 1 ms, never more than 2 ms; wake-up latency counts it.
cat > sl2.json <<'W'
{"schema": "scxkit.workload/1", "name": "sleeper",
 "tasks": [{"name": "s", "program": [{"loop": 200, "do": [{"sleep": "1ms"}, {"run": "10us", "item": true}]}]}]}
W
cat > sl2h.json <<'W'
{"schema": "scxkit.workload/1", "name": "sleeper-and-hog",
 "tasks": [{"name": "s", "program": [{"loop": 200, "do": [{"sleep": "1ms"}, {"run": "10us", "item": true}]}]},
           {"name": "hog", "program": [{"run": "1s"}]}]}
W
for s in default "$SCX_FIFO_SO"; do
    for w in sl2 sl2h; do
        expect_exit 0 "$SCX_RUN" --json --sim "$w.json" --cpus 2 \
            --machine timer_tail_pct=100,timer_tail_ns=1ms,jitter_pct=0 --events "$w.ev" "$s"
        cp out "$w.out"
    done
    python3 - <<'PY' || fail "timer_tail with $s"
import json
def late(name):
    ev = [json.loads(l) for l in open(name + ".ev")][1:]
    asleep, out = None, []
    for e in ev:
        if e.get("comm") != "s":
            continue
        if e["type"] == "stop" and e["reason"] == "sleep":
            asleep = e["t"]
        elif e["type"] == "wakeup" and asleep is not None:
            out.append(e["t"] - asleep - 1000000)
            asleep = None
    assert len(out) == 200 and min(out) >= 0, (name, len(out), min(out))
    return [x for x in out if x > 0]
alone, beside = late("sl2"), late("sl2h")
assert 40 <= len(alone) <= 95 and 110 <= len(beside) <= 160, (len(alone), len(beside))
for l in (alone, beside):
    assert max(l) < 2000000 and 800000 < sum(l) / len(l) < 1200000, (max(l), sum(l) / len(l))
m = json.load(open("sl2.out"))
assert m["machine"]["timer_tail_pct"] == 100 and m["machine"]["timer_tail_ns"] == 1000000, m["machine"]
assert m["metrics"]["wakeup_latency_p99_ns"] > 1000000, m["metrics"]
PY
done
