# Failures in the simulator: a policy that fails is a failed run (exit 1,
# with the simulator's reason); a bad workload stops the benchmark with a
# usage error.
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
expect_in err "unknown workload 'no-such-workload'"

# --run-arg reaches the backend: a 1 s watchdog ejects the policy that never
# dispatches after 1 to 1.5 s of simulated time (30 s by default); an
# option scx-run does not know, or one of another mode, is a usage error.
expect_exit 1 "$SCX_BENCH" --sim cpu:tasks=4,duration=10s --cpus 2 -r 1 --json --run-arg=--watchdog=1s \
    "$P/never_dispatches.so"
expect_in err "runnable task stall: cpu-hog["
expect_in err "failed to run for 1."
[ "$(json_get out 'd["scx_run_args"]')" = "['--watchdog=1s']" ] || fail "scx_run_args"
expect_exit 64 "$SCX_BENCH" --sim cpu --cpus 2 -r 1 --run-arg --no-such-scx-run-option default
expect_in err "--run-arg: unknown option --no-such-scx-run-option"
expect_exit 64 "$SCX_BENCH" --sim cpu --cpus 2 -r 1 --run-arg=--partial default
expect_in err "--partial is not an option of the sim backend"
