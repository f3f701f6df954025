# --machine FILE: a machine file (what scx-fidelity --calibrate writes) sets
# the simulator's costs as --machine K=V would; comments and blank lines are
# skipped; a missing file is 66, a bad line 64 naming the file and line.
. "$(dirname "$0")/lib.sh"
cat > fast.machine <<'M'
# fitted somewhere
cs_ns=1500   # a comment after a value

hop_ns=10us,decision_ns=200
M
expect_exit 0 "$SCX_RUN" --json --sim messaging:groups=1,loops=10 --machine fast.machine "$SCX_FIFO_SO"
cp out file.json
expect_exit 0 "$SCX_RUN" --json --sim messaging:groups=1,loops=10 --machine cs_ns=1500,hop_ns=10000,decision_ns=200 "$SCX_FIFO_SO"
cp out list.json
python3 - file.json list.json <<'PY' || fail "a machine file is not the same as its list"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert a["machine"] == b["machine"], (a["machine"], b["machine"])
assert a["metrics"] == b["metrics"]
PY
json_get file.json 'd["machine"]["cs_ns"] == 1500 and d["machine"]["hop_ns"] == 10000' > ok
[ "$(cat ok)" = True ] || fail "the file's values are not in the report: $(json_get file.json 'd["machine"]')"
# A different cost, a different run.
expect_exit 0 "$SCX_RUN" --json --sim messaging:groups=1,loops=10 "$SCX_FIFO_SO"
cmp -s out file.json && fail "the machine file changed nothing"

expect_exit 66 "$SCX_RUN" --sim messaging --machine missing.machine "$SCX_FIFO_SO"
expect_in err "missing.machine"
printf 'cs_ns=1us\nhop_ns=fast\n' > bad.machine
expect_exit 64 "$SCX_RUN" --sim messaging --machine bad.machine "$SCX_FIFO_SO"
expect_in err "bad.machine:2:"
expect_in err "hop_ns"
