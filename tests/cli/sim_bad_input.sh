# Bad command lines and workload files: clear messages, documented codes.
. "$(dirname "$0")/lib.sh"

expect_exit 64 "$SCX_RUN" --sim nope "$SCX_FIFO_SO"
expect_in err "unknown workload 'nope'"
expect_in err "Try 'scx-run --help'."
expect_exit 64 "$SCX_RUN" --sim messaging:grups=2 "$SCX_FIFO_SO"
expect_in err "unknown parameter 'grups'"
expect_exit 64 "$SCX_RUN" --sim messaging:loops=-1 "$SCX_FIFO_SO"
expect_exit 64 "$SCX_RUN" --sim cpu --cpus 0 "$SCX_FIFO_SO"
expect_exit 64 "$SCX_RUN" --sim cpu --machine warp=9 "$SCX_FIFO_SO"
expect_in err "unknown machine parameter 'warp'"
expect_exit 64 "$SCX_RUN" --sim cpu --slice 1ns "$SCX_FIFO_SO"
expect_exit 64 "$SCX_RUN" --sim cpu
expect_in err "missing POLICY.so"
expect_exit 64 "$SCX_RUN" --sim
expect_exit 66 "$SCX_RUN" --sim missing.json "$SCX_FIFO_SO"
expect_in err "missing.json"
printf '{"schema": "scxkit.workload/1", "tasks": [{"name": "t", "program": [{"fly": 1}]}]}' > bad.json
expect_exit 65 "$SCX_RUN" --sim bad.json "$SCX_FIFO_SO"
expect_in err "bad.json: tasks[0].program[0]: unknown op 'fly'"
printf '{"schema": "scxkit.workload/1",' > broken.json
expect_exit 65 "$SCX_RUN" --sim ./broken.json "$SCX_FIFO_SO"
expect_in err "broken.json:1:"
[ ! -s out ] || fail "stdout must stay empty on errors"
expect_exit 64 "$SCX_RUN" --sim cpu --trace - "$SCX_FIFO_SO"
expect_in err "need a file name"
if [ -w /dev/full ]; then
    expect_exit 74 sh -c "'$SCX_RUN' --sim cpu:duration=10ms --cpus 1 '$SCX_FIFO_SO' > /dev/full"
    expect_in err "cannot write standard output"
fi

# The simulated-time limit ends a workload that never finishes.
printf '{"schema": "scxkit.workload/1", "tasks": [{"name": "forever", "program": [{"loop": "forever", "do": [{"run": "1ms"}]}]}]}' > forever.json
expect_exit 1 "$SCX_RUN" --sim forever.json --cpus 1 --max-time 100ms "$SCX_FIFO_SO"
expect_in err "did not complete"
[ "$(json_get out 'd["exit"]["kind"]')" = limit ] || fail "limit kind"
