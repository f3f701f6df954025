# A simulator benchmark of 'default' (the EEVDF model) against vruntime: a valid
# scxkit.bench/1 document with every sample, a seed per run shared by both
# subjects, and the same numbers every time (the simulator is deterministic).
. "$(dirname "$0")/lib.sh"
VRUNTIME=$SCX_POLICY_DIR/vruntime.so

expect_exit 0 "$SCX_BENCH" --sim messaging:groups=2,loops=20 --cpus 2 -r 4 --seed 11 --json default "$VRUNTIME"
[ ! -s err ] || fail "stderr must stay empty when it is not a terminal"
cp out first.json
python3 - first.json <<'PY' || fail "bad scxkit.bench/1 document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "scxkit.bench/1" and d["complete"] is True
assert d["mode"] == "sim" and d["workload"] == {"spec": "messaging:groups=2,loops=20", "command": None}
assert d["cpus"] == 2 and d["runs"] == 4 and d["warmup"] == 0
assert d["metric"]["name"] == "makespan_s" and d["metric"]["better"] == "lower" and d["metric"]["source"] == "scx-run"
assert d["seeds"]["first"] == 11 and d["seeds"]["last"] == 14
default, vr = d["results"]
assert default["command"] == "default" and default["default"] is True
assert default["policy_path"] is None and "model of the Linux default scheduler (EEVDF)" in default["stands_for"]
assert vr["command"] == "vruntime" and vr["default"] is False
for r in (default, vr):
    assert len(r["times"]) == 4 and len(r["samples"]) == 4 and r["exit_codes"] == [0] * 4, r["command"]
    assert [s["seed"] for s in r["samples"]] == [11, 12, 13, 14]
    for s in r["samples"]:
        assert s["ok"] and s["value"] == s["detail"]["metrics"]["makespan_s"]
        assert s["detail"]["exit"]["kind"] == "done" and s["detail"]["cpus"] == 2
        assert s["detail"]["workload"]["name"] == "messaging"
    assert r["min"] <= r["median_ci"]["low"] <= r["median"] <= r["median_ci"]["high"] <= r["max"]
(c,) = d["comparisons"]
assert c["subject"] == "vruntime" and c["reference"] == "default"
# Deterministic: vruntime differs from default the same way in each of the
# 4 paired runs, and the exact signed-rank p of 4 pairs all one way is 2/16,
# not significant.
assert c["test"] == "wilcoxon-signed-rank" and c["p_value"] == 0.125 and c["ratio"] != 1, c
assert c["v"] in (0, 10), c
assert c["verdict"] == "~", c
PY

# Deterministic: the same command gives the same samples.
expect_exit 0 "$SCX_BENCH" --sim messaging:groups=2,loops=20 --cpus 2 -r 4 --seed 11 --json default "$VRUNTIME"
[ "$(json_get out '[r["times"] for r in d["results"]]')" = "$(json_get first.json '[r["times"] for r in d["results"]]')" ] ||
    fail "the same seeds gave other samples"

# The table names what stands for 'default' and the seeds.
expect_exit 0 "$SCX_BENCH" --sim messaging:groups=2,loops=20 --cpus 2 -r 3 -w 1 default "$VRUNTIME"
expect_in out "Simulator, workload messaging:groups=2,loops=20, 2 CPUs"
expect_in out "default: the simulator's model of the Linux default scheduler (EEVDF)"
expect_in out "seeds 1-3 (run i uses the same seed for every subject)"
expect_in out "vruntime vs default"

# Another metric, by name; one the report does not have is refused.
expect_exit 0 "$SCX_BENCH" --sim latency --cpus 2 -r 3 --json --metric wakeup_latency_p99_ns "$VRUNTIME"
[ "$(json_get out 'd["metric"]["unit"]')" = ns ] || fail "unit of wakeup_latency_p99_ns"
expect_exit 65 "$SCX_BENCH" --sim latency --cpus 2 -r 3 --metric no_such_metric_s "$VRUNTIME"
expect_in err "has no metric 'no_such_metric_s' (it has: makespan_s, throughput"

# A saved simulator result compares with a rerun as identical: "~".
expect_exit 0 "$SCX_BENCH" --sim messaging:groups=2,loops=20 --cpus 2 -r 4 --seed 11 --compare first.json default "$VRUNTIME"
expect_in out "vruntime vs vruntime (first.json)"
grep -qE "vruntime vs vruntime \(first.json\) +1\.0+ .* 1\.0+ +~" out || { cat out; fail "a rerun should be '~' against itself"; }
