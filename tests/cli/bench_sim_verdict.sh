# --better-than in the simulator, both ways: on messaging, the reference FIFO
# policy finishes well ahead of the latency policy (which favours short
# waits over throughput), so fifo passes and latency fails.
. "$(dirname "$0")/lib.sh"
LATENCY=$SCX_POLICY_DIR/latency.so
W=messaging:groups=2,loops=50

expect_exit 0 "$SCX_BENCH" --sim $W --cpus 4 -r 8 --better-than "$LATENCY" default
expect_in out "default vs latency"
expect_in out "Significantly better than latency"

expect_exit 1 "$SCX_BENCH" --sim $W --cpus 4 -r 8 --json --better-than default "$LATENCY"
expect_in err "not significantly better than default"
python3 - out <<'PY' || fail "verdict in the document"
import json, sys
d = json.load(open(sys.argv[1]))
(c,) = d["comparisons"]
assert (c["subject"], c["reference"], c["verdict"]) == ("latency", "default", "worse"), c
assert c["ratio"] > 1 and c["ratio_ci"]["low"] > 1 and c["p_value"] < 0.05
assert d["better_than"] == {"reference": "default", "reference_file": None, "satisfied": False}
assert d["baseline"] == "default" and d["complete"] is True
PY

# The reference given by path is added to the subjects when not listed.
expect_exit 0 "$SCX_BENCH" --sim $W --cpus 4 -r 8 --json --better-than "$LATENCY" "$SCX_FIFO_SO"
[ "$(json_get out '[r["command"] for r in d["results"]]')" = "['fifo', 'latency']" ] || fail "subjects"
