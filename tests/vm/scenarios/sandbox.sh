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

# Policy code that runs before the first schedule(): a global constructor
# (inside dlopen, under the loading-stage filter) and init() (under the
# strict filter). Refused before attach: exit 1, the call named, the state
# never leaves "disabled", nothing created.
written=/tmp/scx-hostile-written
for what in ctor_exec:execve:loaded ctor_write:openat:loaded init_socket:socket:init init_write:openat:init; do
    name=${what%%:*} rest=${what#*:}
    call=${rest%%:*} when=${rest#*:}
    note "$name"
    rm -f $written
    run_fg run.json $TEST_POLICIES/hostile_$name.so
    cat run.json.err
    [ "$RUN_RC" = 1 ] || fail "scx-run exited $RUN_RC for hostile_$name, expected 1"
    [ "$(state)" = disabled ] || fail "state is '$(state)' after hostile_$name"
    [ ! -e $written ] || fail "hostile_$name created $written"
    expect_in run.json.err "forbidden system call ($call)"
    expect_in run.json.err "$when"
    expect_in run.json.err '"exit_status":1'
done
# A constructor that stacks a seccomp filter of its own (turning the
# host's next seccomp() into a no-op) is refused before init().
note ctor_seccomp
run_fg run.json $TEST_POLICIES/hostile_ctor_seccomp.so
cat run.json.err
[ "$RUN_RC" = 1 ] || fail "scx-run exited $RUN_RC for hostile_ctor_seccomp, expected 1"
[ "$(state)" = disabled ] || fail "state is '$(state)' after hostile_ctor_seccomp"
cat run.json run.json.err > both
expect_in both "seccomp filter(s) of its own"
messaging -g 1 -l 20 || fail "the machine is not healthy"
