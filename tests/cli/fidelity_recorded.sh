# The simulator against the kernel figures recorded in bench/data (four
# default matrices from the VM: Debian 7.3.4, 2 vCPUs, multi-threaded TCG,
# 7 runs each; the fourth with the kernel's context switches) with the
# machine file fitted to them: the pooled Kendall tau-b and the ratios
# within 25 % stay where the fit put them (0.83, 19 of 20), default's
# messaging makespans within 25 % of the kernel's (1.04x, 0.86x) and its
# latency workload's and the interactive workload's p50 and p99 within 25 %
# (0.92x, 0.82x; 0.97x, 1.09x). A change to
# the simulator that breaks its agreement with that kernel fails here; one
# that means to change it refits (scxkit(7), FIDELITY) and says so. A second
# set of four (e-h), recorded later, is held to its figures too.
. "$(dirname "$0")/lib.sh"
DATA=$SCX_SOURCE_ROOT/bench/data
expect_exit 0 "$SCX_FIDELITY" --json --against "$DATA/vm-tcg-2cpu-a.json" --against "$DATA/vm-tcg-2cpu-b.json" \
    --against "$DATA/vm-tcg-2cpu-c.json" --against "$DATA/vm-tcg-2cpu-d.json" \
    --sim-arg=--machine="$DATA/vm-tcg-2cpu.machine"
cp out fitted.json
validate fitted.json
python3 - fitted.json <<'PY' || fail "the simulator no longer orders schedulers as the recorded kernel does"
import json, sys
d = json.load(open(sys.argv[1]))
o = d["overall"]
print("pooled tau-b %.2f, ratios within 25 %%: %d of %d" % (o["tau_b"], o["ratios_within_tolerance"], o["ratio_pairs"]))
assert len(d["workloads"]) == 5 and len(d["schedulers"]) == 5
assert all(len(c["kernel"]["values"]) == 28 for w in d["workloads"] for c in w["cells"])
assert o["tau_b"] >= 0.82 and o["ratios_within_tolerance"] >= 19, o
# The fourth matrix counted the kernel's context switches on messaging:
# default's are set beside the simulator's.
msg = [w for w in d["workloads"] if w["workload"].startswith("messaging")]
assert msg and all(w["cells"][0]["kernel"]["model"]["context_switches"] > 1000 for w in msg)
assert all(w["cells"][0]["simulator"]["model"]["context_switches"] > 0 for w in msg)
# default against the kernel's EEVDF within the issue's 25 %: makespans
# (1.04x and 0.86x) and wake-up latency percentiles.
for w in msg:
    sim, kern = (w["cells"][0][side]["model"]["makespan_s"] for side in ("simulator", "kernel"))
    assert 0.75 < sim / kern < 1.25, (w["workload"], sim, kern)
for w in d["workloads"]:
    for p in ("wakeup_latency_p50_ns", "wakeup_latency_p99_ns"):
        if w["workload"].startswith(("latency", "interactive")):
            sim, kern = (w["cells"][0][side]["model"][p] for side in ("simulator", "kernel"))
            assert 0.75 < sim / kern < 1.25, (w["workload"], p, sim, kern)
PY

# The four matrices recorded after the kernel backend began to keep per-CPU
# queues in vtime order (and read as bpf-only documents of today's kind):
# the same machine file orders them as it did when they were recorded
# (tau-b 0.75, 19 of 20; scxkit(7), FIDELITY).
expect_exit 0 "$SCX_FIDELITY" --json --against "$DATA/vm-tcg-2cpu-e.json" --against "$DATA/vm-tcg-2cpu-f.json" \
    --against "$DATA/vm-tcg-2cpu-g.json" --against "$DATA/vm-tcg-2cpu-h.json" \
    --sim-arg=--machine="$DATA/vm-tcg-2cpu.machine"
python3 - out <<'PY' || fail "the simulator no longer orders schedulers as the second recorded kernel does"
import json, sys
d = json.load(open(sys.argv[1]))
o = d["overall"]
print("second set: pooled tau-b %.2f, ratios within 25 %%: %d of %d" % (o["tau_b"], o["ratios_within_tolerance"], o["ratio_pairs"]))
assert all(len(c["kernel"]["values"]) == 28 for w in d["workloads"] for c in w["cells"])
assert d["schedulers"][4]["kind"] == "bpf-only" and d["schedulers"][4]["path"] is None
assert o["tau_b"] >= 0.74 and o["ratios_within_tolerance"] >= 19, o
PY

# k and l, recorded after scx-messaging began to count its tasks' CPU time:
# the kernel's is in every messaging cell, the simulator's beside it
# (scxkit(7), FIDELITY), and the
# same machine file orders them as the others (tau-b 0.83, 19 of 20).
expect_exit 0 "$SCX_FIDELITY" --json --against "$DATA/vm-tcg-2cpu-k.json" --against "$DATA/vm-tcg-2cpu-l.json" \
    --sim-arg=--machine="$DATA/vm-tcg-2cpu.machine"
python3 - out <<'PY' || fail "the simulator no longer orders schedulers as the k and l matrices do"
import json, sys
d = json.load(open(sys.argv[1]))
o = d["overall"]
print("k and l: pooled tau-b %.2f, ratios within 25 %%: %d of %d" % (o["tau_b"], o["ratios_within_tolerance"], o["ratio_pairs"]))
assert all(len(c["kernel"]["values"]) == 14 for w in d["workloads"] for c in w["cells"])
assert o["tau_b"] >= 0.82 and o["ratios_within_tolerance"] >= 19, o
for w in d["workloads"]:
    if w["workload"].startswith("messaging"):
        for c in w["cells"]:
            k, s = c["kernel"]["model"]["makespan_cpu_s"], c["simulator"]["model"]["makespan_cpu_s"]
            # Some CPU time, no more than the two CPUs had in the run.
            assert 0 < k <= 2 * c["kernel"]["model"]["makespan_s"], (w["workload"], c["scheduler"], k)
            assert 0 < s, (w["workload"], c["scheduler"], s)
PY

# All twelve matrices pooled (i and j recorded after the guest's supervisor
# stopped making statistics lines): tau-b 0.87, 19 of 20, and default's
# latency percentiles within 25 % of the kernel's.
set --
for x in a b c d e f g h i j k l; do set -- "$@" --against "$DATA/vm-tcg-2cpu-$x.json"; done
expect_exit 0 "$SCX_FIDELITY" --json "$@" --sim-arg=--machine="$DATA/vm-tcg-2cpu.machine"
python3 - out <<'PY' || fail "the simulator no longer orders schedulers as the twelve recorded matrices do"
import json, sys
d = json.load(open(sys.argv[1]))
o = d["overall"]
print("all twelve: pooled tau-b %.2f, ratios within 25 %%: %d of %d" % (o["tau_b"], o["ratios_within_tolerance"], o["ratio_pairs"]))
assert all(len(c["kernel"]["values"]) == 84 for w in d["workloads"] for c in w["cells"])
assert o["tau_b"] >= 0.84 and o["ratios_within_tolerance"] >= 19, o
for w in d["workloads"]:
    if w["workload"].startswith(("latency", "interactive")):
        for p in ("wakeup_latency_p50_ns", "wakeup_latency_p99_ns"):
            sim, kern = (w["cells"][0][side]["model"][p] for side in ("simulator", "kernel"))
            assert 0.75 < sim / kern < 1.25, (w["workload"], p, sim, kern)
PY
