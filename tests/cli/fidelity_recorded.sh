# The simulator against the kernel figures recorded in bench/data (default
# matrices from the VM: Debian 7.3.4, 2 vCPUs, multi-threaded TCG, 7 runs
# each) with the machine file fitted to the first four: the pooled Kendall
# tau-b and the ratios within 25 % stay where they are (a-d: 0.83, 19 of
# 20), default's messaging makespans within 25 % of the kernel's on a-d
# (1.04x, 0.86x) and its latency workload's and the interactive workload's
# p50 and p99 within 25 % (0.92x, 0.82x; 0.97x, 1.09x). A change to the
# simulator that breaks its agreement with that kernel fails here; one that
# means to change it refits (scxkit(7), FIDELITY) and says so. The sets
# recorded later (e-h, k-l) and all twelve pooled are held to their figures
# too.
. "$(dirname "$0")/lib.sh"
DATA=$SCX_SOURCE_ROOT/bench/data

# pooled LABEL "a b ..." TAU CHECKS: the shipped machine file against the
# named matrices: every cell has their runs (7 each), the pooled tau-b is
# at least TAU with 19 of 20 ratios within 25 %, and CHECKS (Python, on
# the document d) hold; the document is left in pooled.json.
pooled() {
    label=$1 sets=$2 tau=$3 checks=$4
    set --
    for x in $sets; do set -- "$@" --against "$DATA/vm-tcg-2cpu-$x.json"; done
    expect_exit 0 "$SCX_FIDELITY" --json "$@" --sim-arg=--machine="$DATA/vm-tcg-2cpu.machine"
    cp out pooled.json
    python3 - pooled.json "$label" "$(($# / 2 * 7))" "$tau" "$checks" <<'PY' ||
import json, sys
d = json.load(open(sys.argv[1]))
label, runs, tau = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
o = d["overall"]
print("%s: pooled tau-b %.2f, ratios within 25 %%: %d of %d" % (label, o["tau_b"], o["ratios_within_tolerance"], o["ratio_pairs"]))
assert all(len(c["kernel"]["values"]) == runs for w in d["workloads"] for c in w["cells"])
assert o["tau_b"] >= tau and o["ratios_within_tolerance"] >= 19, o
msg = [w for w in d["workloads"] if w["workload"].startswith("messaging")]
def within(w, name, lo=0.75, hi=1.25):
    sim, kern = (w["cells"][0][side]["model"][name] for side in ("simulator", "kernel"))
    assert lo < sim / kern < hi, (w["workload"], name, sim, kern)
def latencies_within():
    for w in d["workloads"]:
        if w["workload"].startswith(("latency", "interactive")):
            for p in ("wakeup_latency_p50_ns", "wakeup_latency_p99_ns"):
                within(w, p)
exec(sys.argv[5])
PY
        fail "the simulator no longer orders schedulers as matrices $sets do"
}

# a-d: 0.83, 19 of 20; the fourth counted the kernel's context switches on
# messaging (default's set beside the simulator's); default against the
# kernel's EEVDF within the issue's 25 %: makespans (1.04x, 0.86x) and
# wake-up latency percentiles.
pooled "a-d" "a b c d" 0.82 '
assert len(d["workloads"]) == 5 and len(d["schedulers"]) == 5
assert msg and all(w["cells"][0]["kernel"]["model"]["context_switches"] > 1000 for w in msg)
assert all(w["cells"][0]["simulator"]["model"]["context_switches"] > 0 for w in msg)
for w in msg:
    within(w, "makespan_s")
latencies_within()'
validate pooled.json

# e-h, recorded after the kernel backend began to keep per-CPU queues in
# vtime order (and read as bpf-only documents of today's kind): as when
# they were recorded (tau-b 0.75, 19 of 20; scxkit(7), FIDELITY).
pooled "e-h" "e f g h" 0.74 '
assert d["schedulers"][4]["kind"] == "bpf-only" and d["schedulers"][4]["path"] is None'

# k and l, recorded after scx-messaging began to count its tasks' CPU time:
# the kernel's is in every messaging cell (some, no more than the two CPUs
# had in the run), the simulator's beside it (scxkit(7), FIDELITY); tau-b
# 0.83, 19 of 20.
pooled "k-l" "k l" 0.82 '
for w in msg:
    for c in w["cells"]:
        k, s = c["kernel"]["model"]["makespan_cpu_s"], c["simulator"]["model"]["makespan_cpu_s"]
        assert 0 < k <= 2 * c["kernel"]["model"]["makespan_s"], (w["workload"], c["scheduler"], k)
        assert 0 < s, (w["workload"], c["scheduler"], s)'

# All twelve pooled (i and j recorded after the guest's supervisor stopped
# making statistics lines): tau-b 0.87, 19 of 20, and default's latency
# percentiles within 25 % of the kernel's.
pooled "all twelve" "a b c d e f g h i j k l" 0.84 'latencies_within()'
