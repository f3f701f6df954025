# The hostile-policy corpus on every backend this machine has (check and
# simulator; the kernel in tests/vm/scenarios/hostile.sh): each policy is
# stopped with its own exit kind and exit status 1, the tool reports (it is
# never killed, never hangs), nothing it tried to create exists, and no
# process of the run survives it. Prints how long each took to be stopped.
. "$(dirname "$0")/lib.sh"
P=$SCX_TEST_POLICIES
WRITTEN=/tmp/scx-hostile-written

# case  check-kind  sim-kind  the call named (sandbox)
cat > cases <<'CASES'
hostile_crash           crash     crash     -
hostile_init_crash      crash     crash     -
hostile_loop            hang      hang      -
hostile_init_loop       hang      hang      -
hostile_exit            exited    exited    -
hostile_fork            sandbox   sandbox   clone
hostile_exec            sandbox   sandbox   execve
hostile_system          sandbox   sandbox   -
hostile_socket          sandbox   sandbox   socket
hostile_write           sandbox   sandbox   openat
hostile_open            sandbox   sandbox   openat
hostile_init_write      sandbox   sandbox   openat
hostile_kill_parent     sandbox   sandbox   kill
hostile_ctor_exec       sandbox   sandbox   execve
hostile_alloc           oom       oom       -
never_dispatches        error     stall     -
hostile_unknown_pid     done      done      -
CASES

# Each policy runs from a copy in $T: every process of the run has $T in
# its command line, so a survivor is easy to find.
while read -r name check_kind sim_kind call; do
    cp "$P/$name.so" "$T/$name.so"
    for mode in check sim; do
        want_kind=$check_kind
        args=(--check)
        if [ $mode = sim ]; then
            want_kind=$sim_kind
            args=(--sim messaging:groups=1,loops=20 --cpus 2 --watchdog 100ms)
        fi
        want_rc=1
        [ "$want_kind" = done ] && want_rc=0
        rm -f "$WRITTEN"
        start=$(date +%s.%N)
        expect_exit $want_rc timeout 60 "$SCX_RUN" "${args[@]}" --policy-timeout 500ms --json "$T/$name.so"
        end=$(date +%s.%N)
        kind=$(json_get out 'd["exit"]["kind"]')
        [ "$kind" = "$want_kind" ] || { cat out err; fail "$name ($mode): exit kind $kind, expected $want_kind"; }
        if [ "$call" != - ]; then
            expect_in out "forbidden system call ($call)"
        fi
        [ "$want_kind" = done ] || [ -s err ] || fail "$name ($mode): no message on standard error"
        [ ! -e "$WRITTEN" ] || fail "$name ($mode) created $WRITTEN"
        if pgrep -f "sleep 31337" >/dev/null || pgrep -f "$T/" >/dev/null; then
            ps -ef | grep -E "31337|$T/" | grep -v grep || true
            fail "$name ($mode): a process of the run survived it"
        fi
        if [ $mode = check ]; then validate --schema scxkit.check/1 out; else validate out; fi
        printf '%-22s %-5s %-8s %.2f s\n' "$name" "$mode" "$kind" "$(echo "$end - $start" | bc)"
    done
done < cases

# Unknown pids are refused one by one and counted; the real tasks run.
expect_exit 0 "$SCX_RUN" --sim messaging:groups=1,loops=20 --cpus 2 --json "$T/hostile_unknown_pid.so"
[ "$(json_get out 'd["counters"]["nr_failed_dispatches"] > 0')" = True ] || fail "unknown pids were not refused"

# The memory limit can be lower, and 0 lifts it (the allocation is then
# simply too big for the machine: still an oom).
expect_exit 1 "$SCX_RUN" --check --policy-memory 64M --json "$T/hostile_alloc.so"
expect_in out '"kind": "oom"'
expect_in err "64 MiB"
expect_exit 64 "$SCX_RUN" --check --policy-memory 1M "$T/hostile_alloc.so"
expect_in err "at least 32M"

# The run's own time limit, in every mode: a policy that keeps the
# simulator busy for ever is stopped by --timeout, not by the call timeout.
expect_exit 1 timeout 60 "$SCX_RUN" --sim messaging:groups=10,loops=1000000 --cpus 2 --timeout 1s --json "$SCX_FIFO_SO"
[ "$(json_get out 'd["exit"]["kind"]')" = timeout ] || fail "--timeout did not stop the simulation"
expect_in err "(--timeout)"
