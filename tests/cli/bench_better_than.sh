# --better-than turns the exit status into a keep/revert verdict: 0 only when
# significantly better. Here the reference is an earlier result: this run's
# own samples, rescaled, make an old result that is clearly slower, clearly
# faster, or indistinguishable.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_BENCH" --json -r 10 -w 0 default -- true
cp out now.json

# rescale FACTOR OUT: the same document with every value multiplied.
rescale() {
    python3 - now.json "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); f = float(sys.argv[2])
for r in d["results"]:
    for s in r["samples"]:
        s["value"] *= f
    r["times"] = [t * f for t in r["times"]]
json.dump(d, open(sys.argv[3], "w"))
PY
}
rescale 1000 slow.json
rescale 0.001 fast.json

expect_exit 0 "$SCX_BENCH" -r 10 -w 0 --better-than slow.json default -- true
expect_in out "Significantly better than slow.json"
expect_in out "default vs default (slow.json)"
expect_in out "better"

expect_exit 1 "$SCX_BENCH" -r 10 -w 0 --better-than fast.json default -- true
expect_in out "Not significantly better than fast.json"
expect_in out "worse"
expect_in err "not significantly better than fast.json"

# Half the old runs far below, half far above whatever this run measures:
# U sits at its midpoint, p = 1, no significant difference ("~"), so not
# better either.
python3 - now.json straddle.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    for i, s in enumerate(r["samples"]):
        s["value"] *= 0.001 if i % 2 else 1000
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 1 "$SCX_BENCH" --json -r 10 -w 0 --better-than straddle.json default -- true
python3 - out <<'PY' || fail "--better-than verdict in the document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["better_than"] == {"reference": None, "reference_file": "straddle.json", "satisfied": False}, d["better_than"]
(c,) = d["comparisons"]
assert c["verdict"] == "~" and c["p_value"] == 1, c
assert c["test"] == "mann-whitney-u" and c["method"] in ("exact", "normal")
assert 0 <= c["p_value"] <= 1 and c["n"] == 10 and c["n_reference"] == 10
PY

# --compare alone reports the comparison and keeps exit status 0.
expect_exit 0 "$SCX_BENCH" -r 10 -w 0 --compare fast.json default -- true
expect_in out "worse"
