# A policy that never dispatches is ejected by the watchdog, which names the
# stalled task; the run exits 1 and still prints its document.
. "$(dirname "$0")/lib.sh"
P=$SCX_TEST_POLICIES

expect_exit 1 "$SCX_RUN" --sim cpu:tasks=4,duration=10s --cpus 2 --watchdog 2s "$P/never_dispatches.so"
expect_in err "policy 'never-dispatches' was ejected: runnable task stall"
expect_in err "cpu-hog["
expect_in err "failed to run for "
[ "$(json_get out 'd["exit"]["kind"]')" = stall ] || fail "exit kind"
[ "$(json_get out 'd["exit"]["reason"]')" = "runnable task stall" ] || fail "exit reason"
# Ejected between the timeout and one and a half times it (checked every timeout/2).
json_get out 'd["metrics"]["simulated_s"]' > t.txt
python3 -c 'import sys; t = float(open("t.txt").read()); sys.exit(0 if 2.0 < t <= 3.0 else 1)' || fail "ejected at $(cat t.txt) s"

expect_exit 64 "$SCX_RUN" --sim cpu --watchdog 0 "$SCX_FIFO_SO"
expect_in err "--watchdog must be at least 1ms"
