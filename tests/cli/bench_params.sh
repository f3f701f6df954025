# scx-bench with policy parameters: FILE.so:NAME=VALUE,... is the policy
# tuned otherwise, labelled BASENAME:NAME=VALUE,..., so one policy can be
# compared with itself; --param applies to every policy subject (its own
# value wins); the document records both; a bad name or value stops the
# benchmark before any run (65), parameters for default are a usage error
# (64), and a path that exists as given is a path whatever its colons.
. "$(dirname "$0")/lib.sh"
FIFO=$SCX_FIFO_SO
W=(--sim cpu:tasks=8 --cpus 4 -r 2 -m context_switches)

# fifo against fifo with 500 us slices: more context switches, "worse"
# (six pairs: the fewest that can make a signed-rank test significant).
expect_exit 0 "$SCX_BENCH" "${W[@]}" -r 6 --json "$FIFO" "$FIFO:slice_ns=500us"
validate out
python3 - out <<'PY' || fail "bench document with parameters"
import json, sys
d = json.load(open(sys.argv[1]))
plain, short = d["results"]
assert plain["command"] == "fifo" and plain["params"] == {}, plain["command"]
assert short["command"] == "fifo:slice_ns=500us" and short["params"] == {"slice_ns": "500us"}, short["params"]
assert plain["policy_path"] == short["policy_path"]
for s in plain["samples"]:
    assert s["detail"]["params"] == {"slice_ns": 5000000}, s["detail"]
for s in short["samples"]:
    assert s["detail"]["params"] == {"slice_ns": 500000}, s["detail"]
assert short["median"] > 1.5 * plain["median"], (plain["median"], short["median"])
(c,) = d["comparisons"]
assert c["subject"] == "fifo:slice_ns=500us" and c["reference"] == "fifo" and c["verdict"] == "worse", c
PY

# --param for every policy subject; a subject's own value wins; default
# gets none.
expect_exit 0 "$SCX_BENCH" "${W[@]}" --json --param slice_ns=1ms default "$FIFO" "$FIFO:slice_ns=2ms"
validate out
[ "$(json_get out '[(r["command"], r["params"]) for r in d["results"]]')" = \
  "[('default', {}), ('fifo', {'slice_ns': '1ms'}), ('fifo:slice_ns=2ms', {'slice_ns': '2ms'})]" ] ||
    fail "params per subject: $(json_get out '[(r["command"], r["params"]) for r in d["results"]]')"
[ "$(json_get out '[r["samples"][0]["detail"].get("params") for r in d["results"]]')" = \
  "[None, {'slice_ns': 1000000}, {'slice_ns': 2000000}]" ] || fail "params in effect"

# The table names the subjects by their labels.
expect_exit 0 "$SCX_BENCH" "${W[@]}" "$FIFO" "$FIFO:slice_ns=2ms"
expect_in out "fifo:slice_ns=2ms vs fifo"

# Refused before any run: an unknown name, a value out of range (65).
expect_exit 65 "$SCX_BENCH" "${W[@]}" "$FIFO" "$FIFO:slice=2ms"
expect_in err "no parameter 'slice' (its parameters: slice_ns)"
[ ! -s out ] || fail "a benchmark ran"
expect_exit 65 "$SCX_BENCH" "${W[@]}" --param slice_ns=1s "$FIFO"
expect_in err "slice_ns=1s: out of range [100000, 100000000] ns"

# Usage: default with parameters, --param with no policy, not NAME=VALUE,
# the same subject twice.
expect_exit 64 "$SCX_BENCH" "${W[@]}" default:slice_ns=2ms "$FIFO"
expect_in err "the default scheduler has no parameters"
expect_exit 64 "$SCX_BENCH" "${W[@]}" --param slice_ns=2ms default
expect_in err "--param is for a policy"
expect_exit 64 "$SCX_BENCH" "${W[@]}" --param slice_ns "$FIFO"
expect_in err "expected NAME=VALUE"
expect_exit 64 "$SCX_BENCH" "${W[@]}" "$FIFO:slice_ns=2ms" "$FIFO:slice_ns=2ms"
expect_in err "is listed twice"
expect_exit 66 "$SCX_BENCH" "${W[@]}" missing.so:slice_ns=2ms
expect_in err "cannot open policy missing.so"

# A file whose name has a colon and an equals sign is a path.
cp "$FIFO" "odd:slice_ns=2ms.so"
expect_exit 0 "$SCX_BENCH" "${W[@]}" -r 1 --json "odd:slice_ns=2ms.so"
[ "$(json_get out 'd["results"][0]["params"]')" = "{}" ] || fail "an existing path was split"
