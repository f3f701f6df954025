# Failures in the simulator: a policy that fails is a failed run (exit 1,
# with the simulator's reason); a bad workload or a missing scx-run stops the
# benchmark with scx-run's own exit status class.
. "$(dirname "$0")/lib.sh"
P=$SCX_TEST_POLICIES

expect_exit 1 "$SCX_BENCH" --sim messaging:groups=1,loops=5 --cpus 2 -r 3 --json default "$P/throws.so"
expect_in err "throws, run 1: the policy failed in the simulator: policy error: "
expect_in err "threw an exception in schedule()"
python3 - out <<'PY' || fail "failed run in the document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is False and "throws, run 1" in d["failure"]
default, throws = d["results"]
assert len(default["samples"]) == 1 and len(throws["samples"]) == 1
s = throws["samples"][0]
assert s["ok"] is False and s["value"] is None and s["exit_code"] == 1
assert s["detail"]["exit"]["kind"] == "error"
PY

# A crash (SIGSEGV in the policy) and a stall (never dispatches), with
# --ignore-failure: every run is made and recorded.
expect_exit 1 "$SCX_BENCH" --sim messaging:groups=1,loops=5 --cpus 2 -r 2 -i --json "$P/crashes.so" "$P/never_dispatches.so"
python3 - out <<'PY' || fail "crash and stall recorded"
import json, sys
d = json.load(open(sys.argv[1]))
crash, stall = d["results"]
assert [s["detail"]["exit"]["kind"] for s in crash["samples"]] == ["crash", "crash"]
assert [s["detail"]["exit"]["kind"] for s in stall["samples"]] == ["stall", "stall"]
assert crash["n"] == 0 and crash["failed"] == 2 and crash["exit_codes"] == [1, 1]
assert "runnable task stall" in stall["samples"][0]["failure"]
PY

expect_exit 64 "$SCX_BENCH" --sim no-such-workload -r 1 default
expect_in err "scx-run --sim (default, seed 1) exited with status 64: scx-run: unknown workload 'no-such-workload'"

SCX_RUN=$T/no/scx-run expect_exit 69 "$SCX_BENCH" --sim messaging -r 1 default
expect_in err "scx-run not found"
