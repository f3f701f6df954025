# scx-fidelity --against: the kernel's figures read from a recorded
# document (data/fidelity-vm.json: default, fifo and bpf-fifo on two
# workloads, measured in the VM under MTTCG, 7 runs), only the simulator
# runs; the kernel side comes through unchanged and everything derived is
# recomputed; --calibrate fits a machine file to it that fits better than
# the defaults and that --sim takes, leaving the costs --hold names alone;
# several documents of one matrix
# merge. No VM needed. Bad documents, documents of different kernels or
# matrices, and options that would change the recorded plan are refused.
. "$(dirname "$0")/lib.sh"
F=$SCX_FIDELITY
DOC=$SCX_SOURCE_ROOT/tests/cli/data/fidelity-vm.json
cp "$DOC" rec.json

# The policies are not where the document ran them: found by name in
# --policy-dir (default $SCX_POLICY_DIR).
expect_exit 0 "$F" --against rec.json
expect_in out "recorded in rec.json"
expect_in out "Overall Kendall tau-b"
expect_exit 0 "$F" --against rec.json --json -s 3
cp out again.json
validate again.json
python3 - rec.json again.json <<'PY' || fail "the recorded kernel side"
import json, math, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert b["kernel"]["recorded"] == "rec.json"
assert b["kernel"]["release"] == a["kernel"]["release"] and b["kernel"]["accelerator"] == a["kernel"]["accelerator"]
assert b["runs"] == a["runs"] == 7 and b["simulator"]["seed"] == 3
assert [s["label"] for s in b["schedulers"]] == ["default", "fifo", "bpf-fifo"]
# The BPF-only FIFO: the recorded document is from when the FIFO policy
# stood in for it in the simulator; today's simulator runs its own BPF-only
# mode, with no policy, options or parameters.
assert a["schedulers"][2]["path"].endswith("fifo.so") and a["schedulers"][2]["simulator_options"]
assert b["schedulers"][2]["kind"] == "bpf-only" and b["schedulers"][2]["path"] is None, b["schedulers"][2]
assert b["schedulers"][2]["simulator_params"] == {} and b["schedulers"][2]["simulator_options"] == []
assert b["schedulers"][1]["simulator_params"] == {}
assert b["schedulers"][1]["path"].startswith(__import__("os").environ["SCX_POLICY_DIR"])
for wa, wb in zip(a["workloads"], b["workloads"], strict=True):
    assert wa["workload"] == wb["workload"] and wa["metric"] == wb["metric"]
    for ca, cb in zip(wa["cells"], wb["cells"], strict=True):
        assert ca["kernel"] == cb["kernel"], (ca["kernel"], cb["kernel"])
        assert len(cb["simulator"]["values"]) == 7
    # Derived again: the ratio agreement and tau-b from the two sides.
    ref = wb["cells"][0]
    for c in wb["cells"]:
        sr = c["simulator"]["median"] / ref["simulator"]["median"]
        kr = c["kernel"]["median"] / ref["kernel"]["median"]
        assert abs(c["agreement"] - (sr / kr - 1)) < 1e-9
    # Its interval, from seven runs a side: none for default; around the
    # agreement for the others, and wider where the kernel's runs scatter.
    assert ref["agreement_ci"] is None
    for c in wb["cells"][1:]:
        ci = c["agreement_ci"]
        assert ci["low"] <= c["agreement"] <= ci["high"], c
        assert ci["high"] - ci["low"] > 0, c
    assert wb["kernel_self"] == wa["kernel_self"]
o = b["overall"]
cis = [c["agreement_ci"] for w in b["workloads"] for c in w["cells"][1:]]
ags = [c["agreement"] for w in b["workloads"] for c in w["cells"][1:]]
reach = sum(abs(a) <= 0.25 or (ci["low"] <= 0.25 and ci["high"] >= -0.25) for a, ci in zip(ags, cis))
assert o["ratios_reaching_tolerance"] == reach >= o["ratios_within_tolerance"], o
assert o["worst"]["agreement_ci"] in cis
PY
# A kernel whose runs scatter more gives wider intervals: the same
# medians, every run but the median one moved away from it (its ratio to
# the median cubed).
python3 - rec.json > wide.json <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
for w in d["workloads"]:
    for c in w["cells"]:
        v = c["kernel"]["values"]
        m = statistics.median(v)
        c["kernel"]["values"] = [m * (x / m) ** 3 for x in v]
print(json.dumps(d))
PY
expect_exit 0 "$F" --against wide.json --json -s 3
python3 - again.json out <<'PY' || fail "the agreement's interval does not widen with the kernel's scatter"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
for wa, wb in zip(a["workloads"], b["workloads"], strict=True):
    for ca, cb in zip(wa["cells"][1:], wb["cells"][1:], strict=True):
        assert abs(ca["agreement"] - cb["agreement"]) < 1e-9
        wid = lambda c: c["agreement_ci"]["high"] - c["agreement_ci"]["low"]
        assert wid(cb) > wid(ca), (wa["workload"], ca["scheduler"], ca["agreement_ci"], cb["agreement_ci"])
PY
expect_exit 0 "$F" --against rec.json -s 3
expect_in out "sim/kernel ratio (95 % interval)"
expect_in out "once the runs' scatter is counted"
# The simulated tasks' CPU time within the makespan, beside the kernel's:
# default's on messaging is the median over the seeds of scx-run's.
for seed in 3 4 5 6 7 8 9; do
    "$SCX_RUN" --sim messaging:groups=2,loops=100,thread=1 --cpus 2 --seed $seed default > run.json ||
        fail "scx-run --sim, seed $seed"
    json_get run.json 'd["metrics"]["makespan_cpu_s"]' >> cpu.txt
done
python3 - again.json cpu.txt <<'PY' || fail "the simulator's task CPU time is not in the document"
import json, statistics, sys
d = json.load(open(sys.argv[1]))
want = statistics.median(float(x) for x in open(sys.argv[2]))
got = d["workloads"][0]["cells"][0]["simulator"]["model"]["makespan_cpu_s"]
assert abs(got - want) < 1e-6 * want, (got, want)
PY
# Another seed, other simulator figures, the same kernel's.
expect_exit 0 "$F" --against rec.json --json
cmp -s out again.json && fail "-s changed nothing"

# Several documents of one matrix count as one: every run of each.
python3 - rec.json > rec2.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for w in d["workloads"]:
    for c in w["cells"]:
        c["kernel"]["values"] = [v * 1.5 for v in c["kernel"]["values"]]
print(json.dumps(d))
PY
expect_exit 0 "$F" --against rec.json --against rec2.json --json
cp out merged.json
expect_exit 0 "$F" --against rec.json --against rec2.json
expect_in out "recorded in rec.json, rec2.json"
python3 - rec.json merged.json <<'PY' || fail "the merged kernel side"
import json, statistics, sys
a, m = (json.load(open(f)) for f in sys.argv[1:])
assert m["kernel"]["recorded"] == "rec.json, rec2.json"
for wa, wm in zip(a["workloads"], m["workloads"], strict=True):
    for ca, cm in zip(wa["cells"], wm["cells"], strict=True):
        ka, km = ca["kernel"], cm["kernel"]
        want = ka["values"] + [v * 1.5 for v in ka["values"]]
        assert len(km["values"]) == len(want), (ka, km)
        assert all(abs(x - y) <= 1e-9 * y for x, y in zip(km["values"], want)), (ka, km)
        assert abs(km["median"] - statistics.median(km["values"])) < 1e-9 * km["median"]
        assert len(cm["simulator"]["values"]) == 7
PY
sed 's/"release": "[^"]*"/"release": "6.1.0-other"/' rec.json > other.json
expect_exit 64 "$F" --against rec.json --against other.json
expect_in err "different kernels"
python3 - rec.json > fewer.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
del d["workloads"][1]
print(json.dumps(d))
PY
expect_exit 64 "$F" --against rec.json --against fewer.json
expect_in err "not the same matrix"

# --calibrate against the recorded figures: far better than the defaults.
expect_exit 0 "$F" --against rec.json --calibrate -o fitted.machine
[ ! -s out ] || fail "--calibrate -o printed the file too"
expect_in fitted.machine "recorded in rec.json"
for k in syscall_pct cs_ns mm_ns migrate_ns llc_migrate_ns wake_idle_ns hop_ns decision_ns lock_pct syscall_ns wake_ns timer_ns socket_pct; do
    grep -qE "^$k=[0-9]+$" fitted.machine || { cat fitted.machine; fail "no $k in the machine file"; }
done
python3 - fitted.machine <<'PY' || fail "the fit is worse than the defaults"
import re, sys
text = open(sys.argv[1]).read()
# What is fitted: the error, with tau-b's shortfall from 0.8 added; the
# emulator is far slower than the hardware the defaults describe, so the
# error falls a long way, and tau-b gives up at most a pair or two for it.
m = re.search(r"Kendall tau-b, every workload's pairs: (-?[0-9.]+) -> (-?[0-9.]+)", text)
assert m, text
before, after = map(float, m.groups())
assert min(after, 0.8) >= min(before, 0.8) - 0.1, (before, after)
m = re.search(r"typical factor off, every cell: ([0-9.]+) -> ([0-9.]+)", text)
assert m and float(m.group(1)) > 2 and float(m.group(2)) < float(m.group(1)) / 1.5, text
PY
# A search that also starts from a machine (--sim-arg=--machine=): the
# file says so, it ends no worse than that machine, and what the machine
# sets that the fit does not (a timer's tail) stays in the file.
expect_exit 0 "$F" --against rec.json --calibrate --sim-arg=--machine=$PWD/fitted.machine \
    --sim-arg=--machine=timer_tail_pct=5,timer_tail_ns=300us -o refit.machine
expect_in refit.machine "the search also started from, and the figures before the fit are with: --machine=$PWD/fitted.machine --machine=timer_tail_pct=5,timer_tail_ns=300us"
grep -qx "timer_tail_pct=5" refit.machine && grep -qx "timer_tail_ns=300000" refit.machine ||
    { cat refit.machine; fail "the machine's timer tail did not stay in the refitted file"; }
python3 - refit.machine <<'PY' || fail "the search from a machine ended worse than it"
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"typical factor off, every cell: ([0-9.]+) -> ([0-9.]+)", text)
assert m and float(m.group(2)) <= float(m.group(1)) * 1.05, text
# What the fit minimises: the start is judged on every run with the rest.
m = re.search(r"what the fit minimises \(.*\): ([0-9.e+-]+) -> ([0-9.e+-]+)", text)
assert m and float(m.group(2)) <= float(m.group(1)), text
PY
# --hold: the named costs stay where the given machine puts them (the
# simulator's defaults where it says nothing; cs_ns carries the switching
# costs it scales, hop_ns the decision cost), the file says which, and only
# the rest is fitted (here one factor, the system calls).
expect_exit 0 "$F" --against rec.json --calibrate --hold cs_ns,mm_ns,wake_idle_ns,hop_ns,lock_pct \
    --hold syscall_ns,wake_ns,timer_ns,socket_pct \
    --sim-arg=--machine=cs_ns=12345,mm_ns=6789,hop_ns=50000,timer_ns=0,socket_pct=70 -o held.machine
expect_in held.machine "held where the given machine puts them (--hold): cs_ns mm_ns wake_idle_ns hop_ns lock_pct syscall_ns wake_ns timer_ns socket_pct"
for kv in cs_ns=12345 migrate_ns=24690 llc_migrate_ns=123450 mm_ns=6789 wake_idle_ns=2000 hop_ns=50000 \
    decision_ns=2000 lock_pct=40 syscall_ns=0 wake_ns=1000 timer_ns=0 socket_pct=70; do
    grep -qx "$kv" held.machine || { cat held.machine; fail "--hold did not keep $kv"; }
done
grep -qE '^syscall_pct=[0-9]+$' held.machine && ! grep -qx "syscall_pct=100" held.machine ||
    { cat held.machine; fail "the cost not held was not fitted"; }
expect_exit 64 "$F" --against rec.json --calibrate --hold cs_ns,bogus
expect_in err "--hold bogus: not a fitted cost (syscall_pct, cs_ns,"
expect_exit 64 "$F" --against rec.json --calibrate --hold cs_ns,
expect_in err "an empty cost name"
expect_exit 64 "$F" --against rec.json --hold cs_ns
expect_in err "--hold is for --calibrate"

# The machine file compared again with the same figures: the fit is there.
expect_exit 0 "$F" --against rec.json --json --sim-arg=--machine=$PWD/fitted.machine
cp out fitted.json
python3 - again.json fitted.json <<'PY' || fail "the machine file did not reach the simulator"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert b["simulator"]["options"] and b["simulator"]["options"][0].startswith("--machine=")
assert a["workloads"][0]["cells"][0]["simulator"] != b["workloads"][0]["cells"][0]["simulator"]
PY

# Refused: options that are the document's, a missing file, a document of
# another kind, a broken one, a policy found nowhere.
expect_exit 64 "$F" --against rec.json -w cpu
expect_in err "does not apply with --against"
expect_exit 64 "$F" --against rec.json -r 3
expect_exit 64 "$F" --against rec.json --kernel
expect_exit 64 "$F" --against rec.json default bpf-fifo
expect_in err "no SCHEDULER with --against"
expect_exit 66 "$F" --against missing.json
cp "$SCX_SOURCE_ROOT/tests/cli/data/run.json" run.json
expect_exit 65 "$F" --against run.json
expect_in err "scxkit.fidelity/1"
python3 - rec.json > cut.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
del d["workloads"][1]["cells"][2]
print(json.dumps(d))
PY
expect_exit 65 "$F" --against cut.json
expect_in err "not one cell per scheduler"
echo '{"schema": "scxkit.fidelity/1", "kernel": ' > trunc.json
expect_exit 65 "$F" --against trunc.json
mkdir empty
expect_exit 66 "$F" --against rec.json --policy-dir empty
expect_in err "fifo.so"
