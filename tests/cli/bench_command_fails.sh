# A workload that fails stops the benchmark with exit status 1 and says
# which run failed and why; the document still records every run made.
. "$(dirname "$0")/lib.sh"

expect_exit 1 "$SCX_BENCH" --json -r 3 default -- sh -c 'echo "cannot connect" >&2; exit 3'
expect_in err "scx-bench: error: default, warm-up run 1: the workload exited with status 3: cannot connect"
[ "$(json_get out 'd["complete"]')" = "False" ] || fail "complete must be false"
[ "$(json_get out 'd["results"][0]["warmup_samples"][0]["exit_code"]')" = "3" ] || fail "exit code kept"

# --ignore-failure runs everything, keeps every exit code, and still fails.
expect_exit 1 "$SCX_BENCH" --json -i -r 3 -w 0 default -- sh -c 'exit 2'
[ "$(json_get out 'd["results"][0]["exit_codes"]')" = "[2, 2, 2]" ] || fail "exit codes"
[ "$(json_get out 'd["results"][0]["n"]')" = "0" ] || fail "failed runs are not statistics"
[ "$(json_get out 'd["results"][0]["median"]')" = "None" ] || fail "no median without a successful run"
expect_in err "run 1: the workload exited with status 2"

# Killed by a signal.
expect_exit 1 "$SCX_BENCH" -r 1 -w 0 default -- sh -c 'kill -KILL $$'
expect_in err "killed by signal 9"

# --timeout stops a run that hangs (and what it started).
start=$(date +%s)
expect_exit 1 "$SCX_BENCH" -r 1 -w 0 --timeout 300ms default -- sh -c 'sleep 30 & sleep 30'
[ $(( $(date +%s) - start )) -lt 10 ] || fail "--timeout did not stop the run"
expect_in err "did not finish within 0.3 s"

# A regular expression that finds nothing fails the run, saying so.
expect_exit 1 "$SCX_BENCH" -r 1 -w 0 --metric-regex 'Total time: ([0-9.]+)' --lower-is-better default -- echo nothing
expect_in err "matched nothing"

# A command that does not exist cannot be benchmarked at all.
expect_exit 69 "$SCX_BENCH" -r 1 default -- scx-no-such-command-anywhere
expect_in err "cannot run scx-no-such-command-anywhere"
