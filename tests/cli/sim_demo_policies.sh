# The reference policies behave as their comments promise: vruntime shares
# CPU by weight (a nice -5 hog gets more than a nice 0 one, fifo ignores
# weights); latency cuts interactive wake-up latency below fifo's.
. "$(dirname "$0")/lib.sh"

for p in fifo vruntime; do
    expect_exit 0 "$SCX_RUN" --sim cpu:tasks=4,duration=2s,nice=0/-5 --cpus 1 --json "$SCX_POLICY_DIR/$p.so"
    cp out "cpu-$p.json"
done
for p in fifo latency; do
    expect_exit 0 "$SCX_RUN" --sim interactive:duration=2s --cpus 2 --json "$SCX_POLICY_DIR/$p.so"
    cp out "ia-$p.json"
done
python3 - <<'PY'
import json
f, v = (json.load(open(f"cpu-{p}.json"))["metrics"] for p in ("fifo", "vruntime"))
# Jain's index over weight-normalised shares: near 1 when weights are honoured.
assert v["fairness_jain"] > 0.95, v["fairness_jain"]
assert f["fairness_jain"] < v["fairness_jain"], (f["fairness_jain"], v["fairness_jain"])
fi, la = (json.load(open(f"ia-{p}.json"))["metrics"] for p in ("fifo", "latency"))
assert la["wakeup_latency_p99_ns"] < fi["wakeup_latency_p99_ns"], (la["wakeup_latency_p99_ns"], fi["wakeup_latency_p99_ns"])
PY
