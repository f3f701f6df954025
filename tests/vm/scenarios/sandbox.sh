# 5. A policy that opens a file, forks or execs: the call is denied, the run
# stops with a report naming the call (exit 1), the machine stays healthy.
. /scx/lib.sh
for what in open:openat fork:clone exec:execve; do
    kind=${what%%:*} call=${what#*:}
    note "$kind"
    run_fg run.json $TEST_POLICIES/hostile_$kind.so
    [ "$RUN_RC" = 1 ] || { cat run.json.err; fail "scx-run exited $RUN_RC for hostile_$kind, expected 1"; }
    wait_state disabled 2 || fail "state is '$(state)' after hostile_$kind"
    cat run.json.err
    emit_json run.json
    expect_in run.json '"kind":"sandbox"'
    expect_in run.json "forbidden system call ($call"
    expect_in run.json '"denied_syscalls":'
done
messaging -g 1 -l 20 || fail "the machine is not healthy"
