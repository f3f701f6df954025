# A pipe's mutex: a write holds it for lock_pct of its cost. Another writer
# spins while the owner runs (two CPUs: it gets the pipe when the owner lets
# it go), and sleeps when the owner was preempted inside that part of its
# call (one CPU: the default scheduler's tick preempts the long write; the
# owner lets the mutex go when it runs again). lock_pct=0: no mutex.
. "$(dirname "$0")/lib.sh"
cat > lock.json <<'W'
{"schema": "scxkit.workload/1", "name": "lock",
 "channels": [{"name": "p", "kind": "pipe"}],
 "tasks": [
   {"name": "a", "program": [{"send": "p", "cost": "50ms"}]},
   {"name": "b", "program": [{"sleep": "1ms"}, {"send": "p", "cost": "10us"}]},
   {"name": "r", "program": [{"sleep": "200ms"}, {"recv": "p"}, {"recv": "p", "item": true}]}]}
W
for cpus in 1 2; do
    for pct in 0 40 100; do
        expect_exit 0 "$SCX_RUN" --json --sim lock.json --cpus $cpus --machine "lock_pct=$pct,jitter_pct=0" \
            --events "ev-$cpus-$pct.jsonl" default
        cp out "run-$cpus-$pct.json"
    done
done
python3 - <<'PY' || fail "pipe mutex"
import json
def events(cpus, pct):
    ev = [json.loads(l) for l in open(f"ev-{cpus}-{pct}.jsonl")][1:]
    name = {e["pid"]: e["comm"] for e in ev if "comm" in e}
    exit_t = {e["comm"]: e["t"] for e in ev if e["type"] == "exit"}
    blocks = [e for e in ev if e["type"] == "stop" and e["comm"] == "b" and e["reason"] == "block"]
    return exit_t, blocks
assert json.load(open("run-2-40.json"))["machine"]["lock_pct"] == 40
ms = 1000000
# Two CPUs: a runs its write without a break; b spins until a's part under
# the mutex is over (40 % or all of 50 ms), never sleeping on it.
for pct, until in ((0, 1 * ms), (40, 20 * ms), (100, 50 * ms)):
    ex, blocks = events(2, pct)
    assert not blocks, (pct, blocks)
    assert until <= ex["b"] < until + ms, (pct, ex)
# One CPU: the tick preempts a inside its write; b then runs and, with a
# mutex, sleeps on it until a has run again; without one it writes at once.
ex, blocks = events(1, 0)
assert not blocks and ex["b"] < ex["a"], ex
for pct in (40, 100):
    ex, blocks = events(1, pct)
    assert len(blocks) == 1, (pct, blocks)
    assert blocks[0]["t"] < 20 * ms and ex["b"] > blocks[0]["t"], (pct, blocks, ex)
PY
