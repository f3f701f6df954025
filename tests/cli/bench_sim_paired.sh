# In the simulator run i of every subject uses the same seed: the runs are
# pairs, compared with the Wilcoxon signed-rank test and a bootstrap that
# resamples pairs. An earlier result with other seeds is not paired with
# this run (Mann-Whitney U, and a note saying so).
. "$(dirname "$0")/lib.sh"
LATENCY=$SCX_POLICY_DIR/latency.so
W=messaging:groups=2,loops=20

expect_exit 0 "$SCX_BENCH" --json --sim $W --cpus 2 -r 8 --seed 3 -o first.json default "$LATENCY"
python3 - out <<'PY' || fail "paired comparison"
import json, sys
d = json.load(open(sys.argv[1]))
(c,) = d["comparisons"]
assert c["paired"] is True and c["test"] == "wilcoxon-signed-rank", c
assert c["pairs"] == 8 and c["n"] == 8 and c["unpaired"] == 0 and c["u"] is None and c["v"] is not None, c
# latency is slower than fifo on every seed: V = 36, the smallest exact p.
assert c["v"] == 36 and c["method"] == "exact" and abs(c["p_value"] - 2 / 256) < 1e-12, c
assert c["verdict"] == "worse" and c["ratio_ci"]["low"] > 1, c
PY
expect_exit 0 "$SCX_BENCH" --sim $W --cpus 2 -r 8 --seed 3 default "$LATENCY"
expect_in out "Wilcoxon signed-rank, 8 pairs"
expect_in out "paired runs"

# Another seed range: the earlier result's runs are not this run's pairs.
expect_exit 0 "$SCX_BENCH" --json --sim $W --cpus 2 -r 8 --seed 100 --compare first.json "$LATENCY"
python3 - out <<'PY' || fail "unpaired comparison with an earlier result"
import json, sys
d = json.load(open(sys.argv[1]))
(c,) = d["comparisons"]
assert c["reference_file"] == "first.json" and c["paired"] is False and c["test"] == "mann-whitney-u", c
assert c["pairs"] is None and c["v"] is None and c["u"] is not None
assert any("not paired" in n for n in d["notes"]), d["notes"]
PY
validate first.json out
