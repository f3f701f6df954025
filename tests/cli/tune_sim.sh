# scx-tune on the simulator: vruntime's parameters for the interactive
# workload's p99 wake-up latency within a small budget. The document is valid
# and lists every trial (the budget spent exactly, run i of every candidate on
# seed i), the comparison is a valid scxkit.bench/1 document on seeds after
# the search's, the printed values feed scx-run --param, the plot is drawn,
# and the same seed gives the same search.
. "$(dirname "$0")/lib.sh"
VRUNTIME=$SCX_POLICY_DIR/vruntime.so
WL=interactive:duration=100ms,tasks=4

rc=0
"$SCX_TUNE" --sim "$WL" --cpus 2 -b 10 -r 4 --seed 3 -o tune.json --plot tune.svg "$VRUNTIME" >best.txt 2>err || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat err; fail "exit status $rc"; }
validate tune.json
python3 - tune.json best.txt "$rc" <<'PY' || fail "bad scxkit.tune/1 document"
import json, sys
d = json.load(open(sys.argv[1]))
best = open(sys.argv[2]).read().splitlines()
rc = int(sys.argv[3])
assert d["schema"] == "scxkit.tune/1" and d["complete"] is True
assert d["mode"] == "sim" and d["cpus"] == 2
assert d["metric"] == {"name": "wakeup_latency_p99_ns", "unit": "ns", "better": "lower"}, d["metric"]
m = d["method"]
assert m["budget"] == 10 and m["first_run_seed"] == 3
assert sum(r["budget"] for r in m["rungs"]) == 10
assert d["runs_used"] == len(d["trials"]) == 10, (d["runs_used"], len(d["trials"]))
assert [t["trial"] for t in d["trials"]] == list(range(1, 11))
for t in d["trials"]:
    assert t["ok"] and t["seed"] == 3 + t["run"] - 1, t
cands = d["candidates"]
assert cands[0]["default"] is True and all(not c["default"] for c in cands[1:])
assert len({json.dumps(c["params"], sort_keys=True) for c in cands}) == len(cands), "duplicate candidates"
names = [p["name"] for p in d["space"]]
assert names and set(cands[0]["params"]) == set(names)
for c in cands:
    trials = [t for t in d["trials"] if t["candidate"] == c["id"]]
    assert len(trials) == c["runs"] >= 1, c
b = d["best"]
assert [l.split("=", 1)[0] for l in best] == names, best
assert {l.split("=", 1)[0]: l.split("=", 1)[1] for l in best} == b["params"]
assert d["verdict"]["better"] == (rc == 0)
if b["candidate"] == 0:
    assert d["comparison"] is None and rc == 1
else:
    c = d["comparison"]
    assert c["schema"] == "scxkit.bench/1" and c["runs"] == 4 and c["complete"] is True
    last = max(t["seed"] for t in d["trials"])
    assert c["seeds"]["first"] == last + 1, (c["seeds"], last)
    assert [r["command"] for r in c["results"]] == ["vruntime", b["label"]]
    json.dump(c, open("comparison.json", "w"))
PY
[ ! -e comparison.json ] || { validate comparison.json; expect_in err "vruntime"; }
grep -q '<svg' tune.svg || fail "no SVG"
expect_in tune.svg "rung 1: "

# The values feed scx-run.
# shellcheck disable=SC2046
"$SCX_RUN" --sim "$WL" --cpus 2 $(sed 's/^/--param /' best.txt) "$VRUNTIME" >run.json 2>run.err ||
    { cat run.err; fail "scx-run refused the tuned values"; }
python3 - run.json best.txt <<'PY' || fail "scx-run did not run with the tuned values"
import json, sys
d = json.load(open(sys.argv[1]))
want = dict(l.split("=", 1) for l in open(sys.argv[2]).read().splitlines())
got = d["params"]
assert set(got) == set(want), (got, want)
for k, v in want.items():
    assert (got[k] is (v == "true")) if v in ("true", "false") else float(v) == float(got[k]), (k, v, got[k])
PY

# The same seed, the same search (the document's wall times aside).
rc2=0
"$SCX_TUNE" --sim "$WL" --cpus 2 -b 10 -r 4 --seed 3 --json "$VRUNTIME" >again.json 2>/dev/null || rc2=$?
[ "$rc2" = "$rc" ] || fail "exit status $rc2 the second time, $rc the first"
python3 - tune.json again.json <<'PY' || fail "the same seed gave another search"
import json, sys
def strip(d):
    d.pop("wall_s")
    for t in d["trials"]:
        t.pop("wall_s")
    c = d.pop("comparison")
    return d, [[s["value"] for s in r["samples"]] for r in c["results"]] if c else None
a, b = (strip(json.load(open(f))) for f in sys.argv[1:3])
assert a == b
PY
