# scx-fidelity end to end on a small matrix: the same schedulers and
# workloads in the simulator and on a sched_ext kernel under QEMU, one
# boot; the document is valid, has every cell on both sides, both
# orderings hold every scheduler, tau-b is what the medians say. Bad input
# is refused before a boot; --against compares again without a boot.
# Skips (77) only without QEMU or a kernel.
. "$(dirname "$0")/lib.sh"
command -v qemu-system-x86_64 >/dev/null || { echo "SKIP: no qemu-system-x86_64"; exit 77; }
rc=0
"$SCX_VM" fetch > /dev/null 2> fetch.err || rc=$?
[ $rc = 0 ] || { cat fetch.err; [ $rc = 69 ] && exit 77; fail "scx-vm fetch: $rc"; }

F=$SCX_FIDELITY
# Refused at once: a workload with no native counterpart, a misspelt
# parameter, a metric of unknown direction, a missing policy, an
# unwritable output.
expect_exit 64 "$F" -w nosuch:x=1
expect_in err "unknown native workload"
expect_exit 64 "$F" -w latency:requests=5
expect_in err "unknown parameter 'requests'"
expect_exit 64 "$F" -w cpu@colour
expect_exit 66 "$F" default ./missing.so
expect_exit 64 "$F" --kernel --cpus 2
expect_exit 64 "$F" --bogus
mkdir ro && chmod 555 ro
[ "$(id -u)" = 0 ] || { expect_exit 73 "$F" -o ro/x.json; }

expect_exit 0 "$F" -r 2 -o fid.json -w messaging:groups=1,loops=20,thread=1 -w latency:duration=300ms \
    default "$SCX_POLICY_DIR/fifo.so" bpf-fifo
validate fid.json
expect_in out "Overall Kendall tau-b"
python3 - fid.json <<'PY' || fail "the fidelity document"
import json, math, sys
d = json.load(open(sys.argv[1]))
assert d["kernel"]["backend"] == "vm" and d["kernel"]["cpus"] == 2 and d["simulator"]["cpus"] == 2, d["kernel"]
labels = [s["label"] for s in d["schedulers"]]
assert labels == ["default", "fifo", "bpf-fifo"], labels
assert d["schedulers"][2]["kind"] == "bpf-only" and d["schedulers"][2]["path"] is None
assert d["schedulers"][2]["simulator_options"] == [] and d["schedulers"][2]["simulator_params"] == {}
assert [w["workload"] for w in d["workloads"]] == ["messaging:groups=1,loops=20,thread=1", "latency:duration=300ms"]
assert [w["metric"] for w in d["workloads"]] == ["makespan_s", "wakeup_latency_p99_ns"]
def tau(x, y):
    c = dd = tx = ty = n = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            n += 1
            a, b = x[i] - x[j], y[i] - y[j]
            tx += a == 0; ty += b == 0
            if a and b:
                c += (a > 0) == (b > 0); dd += (a > 0) != (b > 0)
    return (c - dd) / math.sqrt((n - tx) * (n - ty))
for w in d["workloads"]:
    cells = w["cells"]
    assert [c["scheduler"] for c in cells] == labels
    for c in cells:
        for side in ("simulator", "kernel"):
            s = c[side]
            assert len(s["values"]) == 2 and not s["failures"], (w["workload"], c["scheduler"], side, s)
            assert min(s["values"]) <= s["median"] <= max(s["values"])
            assert abs(s["ratio"] - s["median"] / cells[0][side]["median"]) < 1e-9
    assert sorted(w["simulator_order"]) == sorted(labels) and sorted(w["kernel_order"]) == sorted(labels)
    sim = [c["simulator"]["median"] for c in cells]; ker = [c["kernel"]["median"] for c in cells]
    assert abs(w["kendall"]["tau_b"] - tau(sim, ker)) < 1e-9, w["kendall"]
    best = min(cells, key=lambda c: c["kernel"]["median"])["scheduler"]
    assert w["kernel_order"][0] == best
    # default's model figures, for the comparison with the kernel's EEVDF.
    assert cells[0]["kernel"]["model"] and cells[0]["simulator"]["model"], "no model figures for default"
    # Two runs: the kernel against itself compares run 1 with run 2.
    assert w["kernel_self"]["pairs"] == 3, w["kernel_self"]
    odd = [c["kernel"]["values"][0] for c in cells]; even = [c["kernel"]["values"][1] for c in cells]
    assert abs(w["kernel_self"]["tau_b"] - tau(odd, even)) < 1e-9, w["kernel_self"]
assert d["kernel_self"]["pairs"] == 6
o = d["overall"]
assert o["pairs"] == 6 and o["ratio_pairs"] == 4 and o["worst"] is not None
assert -1 <= o["tau_b"] <= 1
PY

# --against: the recorded kernel side again, no boot; the same figures.
expect_exit 0 "$F" --against fid.json --json
cp out again.json
python3 - fid.json again.json <<'PY' || fail "--against did not keep the recorded kernel side"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert b["kernel"]["recorded"] == "fid.json" and a["kernel"]["recorded"] is None
for wa, wb in zip(a["workloads"], b["workloads"]):
    for ca, cb in zip(wa["cells"], wb["cells"]):
        assert ca["kernel"] == cb["kernel"] and ca["simulator"] == cb["simulator"], (ca, cb)
    assert wa["kendall"] == wb["kendall"] and wa["kernel_self"] == wb["kernel_self"]
PY

# --calibrate: a machine file fitted to the VM's kernel, that --sim takes.
expect_exit 64 "$F" --calibrate --json
expect_exit 0 "$F" --calibrate -r 1 -o fitted.machine -w messaging:groups=1,loops=20,thread=1 default bpf-fifo
[ ! -s out ] || fail "--calibrate -o printed the file too"
expect_in fitted.machine "# kernel "
expect_in fitted.machine "typical factor off"
for k in syscall_pct cs_ns mm_ns migrate_ns llc_migrate_ns wake_idle_ns hop_ns decision_ns; do
    grep -qE "^$k=[0-9]+$" fitted.machine || { cat fitted.machine; fail "no $k in the machine file"; }
done
expect_exit 0 "$SCX_RUN" --json --sim messaging:groups=1,loops=20,thread=1 --machine fitted.machine "$SCX_FIFO_SO"
hop=$(sed -n 's/^hop_ns=//p' fitted.machine)
json_get out "d['machine']['hop_ns'] == $hop" > ok
[ "$(cat ok)" = True ] || fail "the fitted hop_ns is not the simulator's"
