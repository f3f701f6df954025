# The default metric follows the workload: workloads that run for a fixed
# duration (latency, interactive, cpu) have the same makespan under every
# policy, so their default is one that varies; a metric that does not vary
# gives a note, not a verdict; a reference whose median is 0 gives no ratio
# (null with a reason), never NaN in the document.
. "$(dirname "$0")/lib.sh"
P=$SCX_POLICY_DIR

metric() { json_get out 'd["metric"]["name"], d["metric"]["default"]'; }
expect_exit 0 "$SCX_BENCH" --json --sim latency:duration=100ms --cpus 2 -r 2 default "$P/vruntime.so"
[ "$(metric)" = "('wakeup_latency_p99_ns', True)" ] || fail "latency default metric: $(metric)"
expect_exit 0 "$SCX_BENCH" --json --sim interactive:duration=100ms --cpus 2 -r 2 default "$P/vruntime.so"
[ "$(metric)" = "('wakeup_latency_p99_ns', True)" ] || fail "interactive default metric: $(metric)"
expect_exit 0 "$SCX_BENCH" --json --sim cpu:tasks=3,duration=50ms --cpus 2 -r 2 default "$P/vruntime.so"
[ "$(metric)" = "('throughput', True)" ] || fail "cpu default metric: $(metric)"
[ "$(json_get out 'd["metric"]["better"]')" = higher ] || fail "throughput: higher is better"
expect_exit 0 "$SCX_BENCH" --json --sim messaging:groups=1,loops=5 --cpus 2 -r 2 default "$P/vruntime.so"
[ "$(metric)" = "('makespan_s', True)" ] || fail "messaging default metric: $(metric)"
expect_exit 0 "$SCX_BENCH" --json --sim messaging:groups=1,loops=5 --cpus 2 -r 2 -m makespan_s default "$P/vruntime.so"
[ "$(metric)" = "('makespan_s', False)" ] || fail "--metric is not a default"

# makespan_s of a fixed-duration workload is that duration for everyone.
expect_exit 0 "$SCX_BENCH" --sim latency:duration=100ms --cpus 2 -r 6 -m makespan_s default "$P/vruntime.so"
expect_in out "every run of every subject gave the same makespan_s"
expect_in out "choose another with --metric"

# failed_dispatches: 0 in every run of both (default has no dispatches at all);
# no ratio, a reason, no NaN.
expect_exit 0 "$SCX_BENCH" --json --sim messaging:groups=1,loops=5 --cpus 2 -r 6 -m failed_dispatches --lower-is-better \
    default "$P/vruntime.so"
python3 - out <<'PY' || fail "zero medians"
import json, sys
def no_nan(x):
    raise ValueError("not JSON: " + x)
d = json.load(open(sys.argv[1]), parse_constant=no_nan)
assert all(r["median"] == 0 for r in d["results"]), [r["median"] for r in d["results"]]
(c,) = d["comparisons"]
assert c["ratio"] is None and c["ratio_ci"]["low"] is None and c["ratio_ci"]["high"] is None, c
assert "median is 0" in c["ratio_undefined"], c
assert c["verdict"] == "~" and c["p_value"] == 1
assert any("no ratio of medians" in n for n in d["notes"]), d["notes"]
assert any("gave the same failed_dispatches" in n for n in d["notes"]), d["notes"]
PY
validate out
