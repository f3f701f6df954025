# Kernel mode with only 'default' needs neither root nor sched_ext: every run
# of the command is kept, in a valid scxkit.bench/1 document.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_BENCH" --json -r 4 default -- sh -c 'echo hello'
[ ! -s err ] || fail "stderr must stay empty when it is not a terminal"
python3 - out <<'PY' || fail "bad scxkit.bench/1 document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "scxkit.bench/1", d["schema"]
assert d["complete"] is True and d["failure"] is None
assert d["mode"] == "kernel" and d["workload"]["command"] == ["sh", "-c", "echo hello"]
assert d["metric"] == {"name": "wall_s", "unit": "s", "better": "lower", "source": "wall", "default": True, "regex": None}, d["metric"]
assert d["runs"] == 4 and d["warmup"] == 1 and d["order"] == "interleaved"
(r,) = d["results"]
assert r["command"] == "default" and r["default"] is True and r["policy_path"] is None
assert "kernel's own scheduler" in r["stands_for"]
assert len(r["times"]) == 4 and r["exit_codes"] == [0, 0, 0, 0]
assert [s["run"] for s in r["samples"]] == [1, 2, 3, 4]
assert len(r["warmup_samples"]) == 1
assert all(s["ok"] and s["value"] == s["wall_s"] > 0 for s in r["samples"])
assert all(s["detail"]["sched_ext"]["before"] in ("absent", "disabled") for s in r["samples"])
assert r["min"] <= r["median"] <= r["max"]
assert r["median_ci"]["low"] <= r["median"] <= r["median_ci"]["high"] and r["median_ci"]["level"] == 0.95
assert d["comparisons"] == [] and d["better_than"] is None
PY

# -o writes the same document; the table goes to stdout.
expect_exit 0 "$SCX_BENCH" -r 2 -w 0 -o saved.json default -- true
expect_in out "default: the kernel's own scheduler"
expect_in out "median"
json_get saved.json 'd["results"][0]["n"]' | grep -x 2 >/dev/null || fail "-o document"

# A figure printed by the command instead of wall time.
expect_exit 0 "$SCX_BENCH" --json -r 3 -w 0 --metric-regex 'Total time: ([0-9.]+)' --metric total_s \
    default -- sh -c 'echo "# 20 sender and receiver threads per group"; echo " Total time: 0.250 [sec]"'
[ "$(json_get out 'd["results"][0]["median"]')" = "0.25" ] || fail "regex metric"
[ "$(json_get out 'd["metric"]["unit"]')" = "s" ] || fail "unit from the metric name"

# Progress on a terminal only: through a pseudo-terminal it shows up.
if command -v script >/dev/null; then
    SHELL=/bin/sh script -qec "'$SCX_BENCH' -r 2 -w 0 default -- true >/dev/null" typescript >/dev/null 2>&1 ||
        fail "scx-bench under script(1) failed"
    grep -q "run 1/2: default" typescript || { cat typescript; fail "no progress on a terminal"; }
fi
