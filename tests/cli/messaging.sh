# scx-messaging runs perf's messaging workload and prints like perf; bad
# options are refused with 64.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_MESSAGING" -f simple -g 1 -l 10
grep -qxE '[0-9]+\.[0-9]{3}' out || fail "simple format: $(cat out)"

expect_exit 0 "$SCX_MESSAGING" -t -p -g 2 -l 5
expect_in out "# 20 sender and receiver threads per group"
expect_in out "# 2 groups == 80 threads run"
grep -qE '^     Total time: [0-9]+\.[0-9]{3} \[sec\]$' out || fail "default format: $(cat out)"

expect_exit 0 "$SCX_MESSAGING" --json -g 1 -l 5 -r 3
[ "$(json_get out 'd["schema"]')" = "scxkit.messaging/1" ] || fail "schema"
[ "$(json_get out 'len(d["duration_s"])')" = 3 ] || fail "three runs"
[ "$(json_get out 'd["messages"]')" = 2000 ] || fail "messages"
# Context switches per run, processes and threads alike: every one of the
# 40 tasks blocks at the start gate (one may arrive after it opened), and
# every receiver when its socket is empty.
for mode in "" -t; do
    expect_exit 0 "$SCX_MESSAGING" --json -g 1 -l 5 -r 2 $mode
    [ "$(json_get out 'len(d["voluntary_switches"]) == 2 and len(d["involuntary_switches"]) == 2')" = True ] ||
        fail "switch counts per run ($mode): $(cat out)"
    [ "$(json_get out 'all(v >= 39 for v in d["voluntary_switches"])')" = True ] ||
        fail "a voluntary switch per task ($mode): $(cat out)"
done
# The tasks' CPU time per run, from the start signal on: some, and no more
# than the CPUs had in that run's time (the processes' start-up, were it
# counted, would pass it).
cpus=$(nproc)
for mode in "" -t; do
    expect_exit 0 "$SCX_MESSAGING" --json -g 1 -l 50 -r 2 $mode
    json_get out "all(0 < c <= t * $cpus + 0.005 for c, t in zip(d['cpu_s'], d['duration_s'])) and len(d['cpu_s']) == 2" > ok
    [ "$(cat ok)" = True ] || fail "CPU time per run within the run's CPU capacity ($mode): $(cat out)"
done

expect_exit 0 "$SCX_MESSAGING" -f simple -g 1 -l 5 --repeat 2
[ "$(wc -l < out)" = 2 ] || fail "two lines for two runs"

expect_exit 64 "$SCX_MESSAGING" -g 0
expect_in err "Try 'scx-messaging --help'."
expect_exit 64 "$SCX_MESSAGING" -f fancy
expect_in err "unknown format"
expect_exit 64 "$SCX_MESSAGING" --bogus
expect_exit 64 "$SCX_MESSAGING" extra
