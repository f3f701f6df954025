# SIGINT or SIGTERM during a compile: the compiler's whole process group
# (c++ and cc1plus) is stopped, scx-build exits 130, nothing is written or
# removed, and its temporary directory is gone. The source includes a FIFO
# nobody writes to, so the compiler waits in open() for ever without using
# CPU or memory; every process of the run names the private TMPDIR.
. "$(dirname "$0")/lib.sh"

mkdir tmp
mkfifo never.fifo
{ echo "#include \"$T/never.fifo\""; cat "$FIFO_CPP"; } > slow.cpp

survivors() { pgrep -f "$T/tmp/" || true; }
# Whatever happens, nothing of this run outlives the test.
trap 'for p in $(survivors); do kill -KILL "$p" 2>/dev/null || true; done; rm -rf "$T"' EXIT

# A background job of a script ignores SIGINT unless it has a process group
# of its own (job control), as a job started from a terminal does.
set -m
for sig in INT TERM; do
    cp "$SCX_FIFO_SO" slow.so   # an older build: an interrupted one leaves it
    json=; [ "$sig" = INT ] || json=--json
    TMPDIR="$T/tmp" "$SCX_BUILD" $json slow.cpp -o slow.so >out 2>err &
    build=$!
    # Wait for the compiler (driver, then its front end; one process for a
    # compiler that runs its front end in-process).
    for _ in $(seq 600); do [ -n "$(survivors)" ] && break; sleep 0.1; done
    [ -n "$(survivors)" ] || { cat err; fail "SIG$sig: the compiler never started"; }
    for _ in $(seq 100); do [ "$(survivors | wc -l)" -ge 2 ] && break; sleep 0.1; done

    kill -"$sig" "$build"
    rc=0; wait "$build" || rc=$?
    # scx-build waited for the group to end; allow a dying process a moment.
    for _ in $(seq 50); do [ -z "$(survivors)" ] && break; sleep 0.1; done
    if [ -n "$(survivors)" ]; then
        ps -o pid,pgid,args -p "$(survivors | paste -sd, -)" || true
        fail "SIG$sig: a compiler process of the build survived it"
    fi
    [ -z "$(ls -A tmp)" ] || { ls -lA tmp; fail "SIG$sig: temporary files left in TMPDIR"; }
    ! ls -A | grep -q '^\.slow\.so\.tmp' || fail "SIG$sig: the pending output next to slow.so was left"
    [ "$rc" = 130 ] || { cat err; fail "SIG$sig: exit status $rc, expected 130"; }
    expect_in err "scx-build: error: interrupted: the compiler was stopped; slow.so was not written"
    if [ -n "$json" ]; then
        validate --schema scxkit.build/1 out
        [ "$(json_get out 'd["error"]["code"]')" = interrupted ] || fail "SIG$sig: error code"
    fi
    cmp -s slow.so "$SCX_FIFO_SO" || fail "SIG$sig: the older slow.so was touched by an interrupted build"
done

# Waiting for its source - on standard input from a pipe nobody writes to
# yet, or a FIFO nobody has opened for writing - scx-build stops at SIGINT
# too. (A signal that lands just before the read starts is only noted: a
# later one ends the wait, so the signal is sent until scx-build exits.)
mkfifo empty.fifo
exec 3<>empty.fifo   # a writer that never writes: reading blocks, opening does not
for src in - never.fifo; do
    "$SCX_BUILD" "$src" -o waiting.so <empty.fifo >out 2>err &
    build=$!
    sleep 1
    for _ in $(seq 30); do
        kill -INT "$build" 2>/dev/null || break
        sleep 1
    done
    if kill -0 "$build" 2>/dev/null; then
        kill -KILL "$build"
        fail "$src: SIGINT did not stop scx-build waiting for its source"
    fi
    rc=0; wait "$build" || rc=$?
    [ "$rc" = 130 ] || { cat err; fail "$src: exit status $rc, expected 130"; }
    expect_in err "scx-build: error: interrupted while reading"
    [ ! -e waiting.so ] || fail "$src: waiting.so written"
    ! ls -A | grep -q '^\.waiting\.so\.tmp' || fail "$src: the pending output was left"
done
exec 3>&-
