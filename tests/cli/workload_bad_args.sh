# scx-workload refuses bad specs and options with 64 and a reason, before
# running anything; a nice value it may not set is 77.
. "$(dirname "$0")/lib.sh"

usage() {
    expect_exit 64 "$SCX_WORKLOAD" "$@"
    expect_in err "Try 'scx-workload --help'."
}
usage
expect_in err "missing the WORKLOAD"
usage nope
expect_in err "unknown workload 'nope' (native workloads: cpu, latency, interactive, fork"
usage messaging:groups=2
expect_in err "scx-messaging"
usage cpu:tasks=0
expect_in err "invalid value '0' for cpu parameter tasks (an integer from 1 to 100000)"
usage cpu:taks=3
expect_in err "unknown parameter 'taks' for workload cpu (known: tasks, duration, nice)"
usage latency:duration=0
expect_in err "invalid value '0' for latency parameter duration (a duration above zero"
usage interactive:burst=fast
expect_in err "invalid value 'fast' for interactive parameter burst"
usage cpu:nice=0/20
expect_in err "(integers from -20 to 19 separated by '/')"
usage fork:jobs=2,levels=3
expect_in err "levels must not exceed jobs"
usage cpu:tasks
expect_in err "is not key=value"
usage cpu latency
expect_in err "unexpected argument 'latency'"
usage --seed -1 cpu
expect_in err "invalid value '-1' for --seed"
usage --bogus cpu

expect_exit 0 "$SCX_WORKLOAD" --help
expect_in out "Usage: scx-workload"

# SCHED_EXT where the kernel has none: 69, nothing run.
if [ ! -e /sys/kernel/sched_ext ]; then
    expect_exit 69 "$SCX_WORKLOAD" --sched-ext cpu:tasks=1,duration=10ms
    expect_in err "switching to SCHED_EXT (a kernel with sched_ext is needed)"
fi

# Lowering a nice value needs CAP_SYS_NICE: as an unprivileged user, 77.
# Root checks it as nobody, when nobody can run the build tree's tool.
as_user=()
if [ "$(id -u)" = 0 ]; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
    if ! command -v setpriv > /dev/null || ! "${as_user[@]}" "$SCX_WORKLOAD" --version > /dev/null 2>&1; then
        echo "nobody cannot run $SCX_WORKLOAD here: the nice check is left out"
        exit 0
    fi
fi
expect_exit 77 "${as_user[@]}" "$SCX_WORKLOAD" cpu:tasks=1,duration=10ms,nice=-5
expect_in err "scx-workload: error: setting nice -5"
expect_in err "Permission denied"
expect_in err "CAP_SYS_NICE"
