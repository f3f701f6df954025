# scx-run's kernel mode on a machine that cannot run it: usage errors first,
# then root (77), then sched_ext (69), each with a message that says why.
. "$(dirname "$0")/lib.sh"

expect_exit 64 "$SCX_RUN"
expect_in err "missing POLICY.so"
expect_exit 64 "$SCX_RUN" --slice 1ns "$SCX_FIFO_SO"
expect_in err "--slice"
expect_exit 64 "$SCX_RUN" --timeout-ms 5 "$SCX_FIFO_SO"
expect_exit 64 "$SCX_RUN" --interval soon "$SCX_FIFO_SO"
expect_in err "invalid duration"
expect_exit 64 "$SCX_RUN" --bpf-only "$SCX_FIFO_SO"
expect_exit 64 "$SCX_RUN" --frobnicate "$SCX_FIFO_SO"

# A build without the bpf feature says so, root or not.
if [ "${SCX_HAVE_BPF:-1}" = 0 ]; then
    expect_exit 69 "$SCX_RUN" "$SCX_FIFO_SO"
    expect_in err "not available in this build"
    exit 0
fi

# Not root: 77, whatever the kernel.
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed"
    expect_exit 77 setpriv --reuid=65534 --regid=65534 --clear-groups "$SCX_RUN" "$SCX_FIFO_SO"
else
    expect_exit 77 "$SCX_RUN" "$SCX_FIFO_SO"
fi
expect_in err "needs root"
[ ! -s out ] || fail "stdout must stay empty on error"

# Root on a kernel without sched_ext: 69 naming what is missing.
if [ "$(id -u)" = 0 ] && [ ! -e /sys/kernel/sched_ext ]; then
    expect_exit 69 "$SCX_RUN" "$SCX_FIFO_SO"
    expect_in err "has no sched_ext"
    expect_in err "CONFIG_SCHED_CLASS_EXT"
    [ ! -s out ] || fail "stdout must stay empty on error"
fi
