# scx-bench on the real kernel: fifo against the kernel's own scheduler on
# the native messaging workload (small). Every fifo run attaches the
# scheduler, is checked "enabled (scxkit)" before and after the workload,
# and detaches; the machine ends on its own scheduler. A failing workload and
# an ejected policy are failed runs (exit 1) that still leave it there.
. /scx/lib.sh
[ "$(state)" = disabled ] || fail "sched_ext state is '$(state)' before the test"

rc=0
scx-bench --json -r 3 -w 1 --workload messaging:groups=1,loops=20 -o bench.json \
    default $POLICIES/fifo.so > out.json 2> err || rc=$?
cat err
[ "$rc" = 0 ] || { cat out.json; fail "scx-bench exited $rc"; }
[ "$(state)" = disabled ] || fail "state is '$(state)' after scx-bench"
cmp -s out.json bench.json || fail "-o and standard output differ"
expect_in bench.json '"complete": true'
expect_in bench.json '"source": "scx-messaging"'
# fifo: 1 warm-up + 3 runs, each seen enabled with scxkit's ops before and
# after the workload, disabled after scx-run stopped, scx-run exit 0.
count() { grep -c -- "$1" bench.json; }
[ "$(count '"before": "enabled (scxkit)"')" = 4 ] || fail "fifo runs not all checked enabled before"
[ "$(count '"after": "enabled (scxkit)"')" = 4 ] || fail "fifo runs not all checked enabled after"
[ "$(count '"after_stop": "disabled"')" = 8 ] || fail "runs not all followed by disabled (4 fifo, 4 default)"
# default: 1 warm-up + 3 runs with sched_ext disabled before and after.
[ "$(count '"before": "disabled"')" = 4 ] || fail "default runs not all checked disabled"
[ "$(count '"after": "disabled"')" = 4 ] || fail "default runs not all checked disabled after"
echo "SCX-VM-BENCH $(tr -d '\n' < bench.json)"

# The table on a kernel run names the comparison.
scx-bench -r 2 -w 0 default $POLICIES/fifo.so -- scx-messaging -g 1 -l 10 > table.txt 2> err ||
    { cat err; fail "scx-bench with a command failed"; }
cat table.txt
expect_in table.txt "fifo vs default"
[ "$(state)" = disabled ] || fail "state is '$(state)' after the second benchmark"

# Two policies with the same file name in two directories: both run (their
# labels are their paths, which must not become part of a file name).
mkdir -p a b
cp $POLICIES/fifo.so a/fifo.so
cp $POLICIES/fifo.so b/fifo.so
scx-bench -r 1 -w 0 a/fifo.so b/fifo.so -- true > same.txt 2> err ||
    { cat err; fail "scx-bench with a/fifo.so and b/fifo.so failed"; }
expect_in same.txt "b/fifo.so vs a/fifo.so"
[ "$(state)" = disabled ] || fail "state is '$(state)' after the same-name benchmark"

# A workload that fails: exit 1, the reason, the scheduler gone.
rc=0
scx-bench -r 1 -w 0 $POLICIES/fifo.so -- sh -c 'exit 3' > out2 2> err2 || rc=$?
cat err2
[ "$rc" = 1 ] || fail "a failing workload gave exit $rc"
expect_in err2 "the workload exited with status 3"
[ "$(state)" = disabled ] || fail "state is '$(state)' after a failed run"

# A policy that never dispatches, hosted for SCHED_EXT tasks only
# (--partial): scx-bench sees it enabled, the workload's tasks stall, the
# watchdog ejects it and they finish on the default scheduler; the run
# fails with the kernel's reason, as scx-run reports it.
rc=0
scx-bench -r 1 -w 0 --run-arg=--partial --run-arg=--timeout-ms=2000 $TEST_POLICIES/never_dispatch.so \
    -- scx-messaging --sched-ext -g 1 -l 10 > out3 2> err3 || rc=$?
cat err3
[ "$rc" = 1 ] || fail "an ejected policy gave exit $rc"
expect_in err3 "the scheduler was not enabled any more after the workload"
expect_in err3 "runnable task stall"
wait_state disabled 5 || fail "state is '$(state)' after the ejection"

# The same policy for every task: the workload's tasks that do not find an
# idle CPU wait for ever, the watchdog ejects the policy (scx-bench, which
# hosts it, is dispatched directly and reports): a failed run, the reason.
rc=0
scx-bench -r 1 -w 0 --run-arg=--timeout-ms=2000 $TEST_POLICIES/never_dispatch.so -- scx-messaging -g 1 -l 10 \
    > out4 2> err4 || rc=$?
cat err4
[ "$rc" = 1 ] || fail "a stalling policy gave exit $rc"
expect_in err4 "runnable task stall"
wait_state disabled 5 || fail "state is '$(state)' after the ejection"
messaging -g 1 -l 20 > /dev/null || fail "the machine is not healthy after the ejections"
