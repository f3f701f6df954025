# Every scxkit.bench/1 and scxkit.messaging/1 is valid against its schema:
# scx-bench in the simulator (a comparison, --compare with an earlier
# result, --better-than, a policy that stalls), on the kernel with only
# the kernel's own scheduler (needs neither root nor sched_ext): the wall
# time of a command, a figure read with --metric-regex, the native
# messaging workload; scx-messaging --json with sockets and processes,
# pipes and threads.
. "$(dirname "$0")/lib.sh"
P=$SCX_POLICY_DIR
W=cpu:tasks=3,duration=20ms

expect_exit 0 "$SCX_BENCH" --json --sim $W --cpus 2 -r 3 -w 1 "$P/fifo.so" "$P/vruntime.so"
cp out sim.json
expect_exit 0 "$SCX_BENCH" --sim $W --cpus 2 -r 3 -w 0 -o compared.json --compare sim.json "$P/vruntime.so"
rc=0
"$SCX_BENCH" --json --sim $W --cpus 2 -r 3 -w 0 -m fairness_jain --better-than "$P/fifo.so" "$P/vruntime.so" \
    > better.json 2> err || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat err; fail "--better-than exited $rc"; }
[ "$(json_get better.json 'd["better_than"]["satisfied"]')" = "$([ $rc = 0 ] && echo True || echo False)" ] ||
    fail "better_than.satisfied disagrees with the exit status $rc"
expect_exit 1 "$SCX_BENCH" --json --sim cpu:tasks=3,duration=200ms --cpus 1 -r 2 -w 0 \
    "$P/fifo.so" "$SCX_TEST_POLICIES/never_dispatch.so" --run-arg=--watchdog=50ms
cp out stalled.json
[ "$(json_get stalled.json 'd["complete"]')" = False ] || fail "a stalled policy gave a complete benchmark"
[ "$(json_get compared.json 'd["compare_file"]')" = sim.json ] || fail "--compare not recorded"

expect_exit 0 "$SCX_BENCH" --json -r 2 default -- sh -c 'echo hello'
cp out wall.json
expect_exit 0 "$SCX_BENCH" --json -r 2 -w 0 --metric-regex 'took ([0-9.]+)' --lower-is-better default -- echo took 1.5
cp out regex.json
expect_exit 0 "$SCX_BENCH" --json -r 2 -w 0 --workload messaging:groups=1,loops=5 default
cp out native.json
[ "$(json_get native.json 'd["metric"]["source"]')" = scx-messaging ] || fail "native workload source"

expect_exit 0 "$SCX_MESSAGING" --json -g 1 -l 5
cp out messaging.json
expect_exit 0 "$SCX_MESSAGING" --json -g 2 -l 5 --pipe --thread --repeat 2
cp out messaging-threads.json
validate sim.json compared.json better.json stalled.json wall.json regex.json native.json messaging.json messaging-threads.json
