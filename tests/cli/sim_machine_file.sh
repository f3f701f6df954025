# --machine FILE: a machine file (what scx-fidelity --calibrate writes) sets
# the simulator's costs as --machine K=V would; comments and blank lines are
# skipped; a missing file is 66, a bad line 64 naming the file and line;
# syscall_pct scales the system calls, not the CPU work.
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

# syscall_pct: the workloads' system calls (send, receive, spawn) cost more
# on a slower machine; CPU work (run ops) is CPU time and does not change.
mk() { "$SCX_RUN" --json --sim "$1" --machine "syscall_pct=$2" "$SCX_FIFO_SO" > "$3" 2> err || fail "scx-run $1 syscall_pct=$2: $(cat err)"; }
mk messaging:groups=1,loops=50,pipe=1 100 m100.json
mk messaging:groups=1,loops=50,pipe=1 400 m400.json
mk cpu:duration=200ms 100 c100.json
mk cpu:duration=200ms 400 c400.json
python3 - <<'PY' || fail "syscall_pct"
import json
m100, m400, c100, c400 = (json.load(open(f)) for f in ("m100.json", "m400.json", "c100.json", "c400.json"))
assert m400["machine"]["syscall_pct"] == 400 and m100["machine"]["syscall_pct"] == 100
a, b = m100["metrics"]["makespan_s"], m400["metrics"]["makespan_s"]
# 50 loops x 20 receivers: every message is a write and a read of 400 ns,
# now 1.6 us; the makespan grows by most of that factor (not all of it is
# system calls: context switches and wake-ups stay as they were).
assert 2.5 < b / a < 4.5, (a, b)
assert c100["metrics"]["throughput"] == c400["metrics"]["throughput"], (c100["metrics"], c400["metrics"])
PY
expect_exit 64 "$SCX_RUN" --sim messaging --machine syscall_pct=0 "$SCX_FIFO_SO"
expect_in err "syscall_pct"
