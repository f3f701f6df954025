# The hostile-policy corpus on the kernel (the same policies as
# tests/cli/hostile_corpus.sh on check and sim): each is stopped with its
# exit kind and exit status 1 (or refused before the scheduler is attached),
# the machine is back on the default scheduler, nothing it tried to create
# exists, and no process of the run survives it. Prints how long each took.
. /scx/lib.sh
WRITTEN=/tmp/scx-hostile-written
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# case  how-it-ends: a run exit kind, or "refused" (before attach)  what the
# message names
cases='
hostile_crash crash SIGSEGV
hostile_init_crash refused SIGSEGV
hostile_loop stall runnable
hostile_init_loop refused init()
hostile_exit exited exit
hostile_fork sandbox clone
hostile_exec sandbox execve
hostile_system sandbox signals
hostile_socket sandbox socket
hostile_write sandbox openat
hostile_kill_parent sandbox kill
hostile_init_write refused openat
hostile_ctor_exec refused execve
hostile_alloc oom memory
never_dispatch stall runnable
'
echo "$cases" | while read -r name want word; do
    [ -n "$name" ] || continue
    note "$name"
    rm -f $WRITTEN
    t0=$(uptime_s)
    RUN_RC=0
    timeout 60 scx-run --json --interval 0 --timeout-ms 2000 --policy-timeout 2s $TEST_POLICIES/$name.so \
        -- scx-messaging -f simple -g 1 -l 20 > run.json 2> run.json.err || RUN_RC=$?
    t1=$(uptime_s)
    cat run.json.err
    [ "$RUN_RC" = 1 ] || { cat run.json; fail "$name: exit $RUN_RC, expected 1"; }
    wait_state disabled 5 || fail "$name: state '$(state)' afterwards"
    if [ "$want" = refused ]; then
        [ ! -s run.json ] || { cat run.json; fail "$name: a report although the scheduler was never attached"; }
        expect_in run.json.err "$word"
    else
        emit_json run.json
        tail -n 1 run.json | grep -q "\"kind\":\"$want\"" || { cat run.json; fail "$name: exit kind is not $want"; }
        expect_in run.json "$word"
    fi
    [ ! -e $WRITTEN ] || fail "$name created $WRITTEN"
    if ps -o args | grep -q '[s]leep 31337' || ps -o comm | grep -q '[s]cx-worker'; then
        ps; fail "$name: a process of the run survived it"
    fi
    echo "HOSTILE $name kernel $want $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
done || exit 1

# Unknown pids: each refused and counted, the workload runs to its end.
note "hostile_unknown_pid"
scx-run --json --interval 0 $TEST_POLICIES/hostile_unknown_pid.so -- scx-messaging -f simple -g 1 -l 20 \
    > run.json 2> run.json.err || { cat run.json.err; fail "hostile_unknown_pid: exit $?"; }
emit_json run.json
tail -n 1 run.json | grep -q '"nr_failed_dispatches":[1-9]' || fail "unknown pids were not refused"
messaging -g 1 -l 20 > /dev/null || fail "the machine is not healthy after the corpus"
