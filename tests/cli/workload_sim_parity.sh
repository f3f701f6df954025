# One spec, the same work: scx-workload reads every workload's parameters
# as the simulator does (same defaults for the same CPUs, same rendering),
# and names its metrics as the simulator's run document does.
. "$(dirname "$0")/lib.sh"

for spec in cpu:duration=50ms latency:duration=50ms interactive:duration=50ms fork:jobs=4,work=1ms; do
    expect_exit 0 "$SCX_WORKLOAD" --json "$spec"
    cp out native.json
    cpus=$(json_get native.json 'd["cpus"]')
    expect_exit 0 "$SCX_RUN" --sim "$spec" --cpus "$cpus" --json "$SCX_FIFO_SO"
    cp out sim.json
    python3 - native.json sim.json "$spec" <<'PY' || fail "$spec"
import json, sys
n, s = (json.load(open(f)) for f in sys.argv[1:3])
def check(ok, what):
    if not ok:
        sys.exit(f"FAIL: {sys.argv[3]}: {what}")
for key in ("params", "tasks", "throughput_unit"):
    check(n["workload"][key] == s["workload"][key], f"workload.{key}: {n['workload'][key]} vs {s['workload'][key]}")
extra = set(n["metrics"]) - set(s["metrics"])
check(extra == {"elapsed_s"}, f"metrics the simulator has not: {extra}")
PY
done
