# Sourced by every VM scenario (busybox sh). The scheduler's own output goes
# to files, never to the console: a scheduler blocked on the serial line
# would stall scheduling.
set -u
POLICIES=/scx/policies
TEST_POLICIES=/scx/test-policies
SCX=/sys/kernel/sched_ext

RUN_PID=
# Never leave a scheduler running behind a failed scenario.
cleanup() {
    if [ -n "$RUN_PID" ] && kill -0 "$RUN_PID" 2>/dev/null; then
        kill -INT "$RUN_PID"; wait "$RUN_PID" 2>/dev/null
    fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "-- $*"; }
# Shell builtins only: every fork costs tens of milliseconds under TCG.
state() { _s=; read -r _s < $SCX/state 2>/dev/null; echo "$_s"; }
ops() { _o=; read -r _o < $SCX/root/ops 2>/dev/null; echo "$_o"; }

# wait_state STATE SECONDS: poll the sched_ext state every 10 ms.
# Helpers keep their variables in _names: scenarios use i, n, ...
wait_state() {
    _want=$1 _limit=$(( $2 * 100 )) _n=0
    while :; do
        _s=; read -r _s < $SCX/state 2>/dev/null
        [ "$_s" != "$_want" ] || break
        _n=$((_n + 1))
        [ $_n -le $_limit ] || return 1
        usleep 10000
    done
}

# start_run OUT ARGS...: start scx-run with JSON output in OUT (stderr in
# OUT.err), wait until the kernel runs it as "scxkit".
start_run() {
    _out=$1; shift
    scx-run --json "$@" > "$_out" 2> "$_out.err" &
    RUN_PID=$!
    _n=0
    until [ "$(state)" = enabled ]; do
        kill -0 "$RUN_PID" 2>/dev/null || { cat "$_out.err"; fail "scx-run exited before attaching"; }
        _n=$((_n + 1))
        [ $_n -le 2000 ] || { cat "$_out.err"; fail "state did not become enabled (state $(state))"; }
        usleep 10000
    done
    [ "$(ops)" = scxkit ] || fail "root/ops is '$(ops)', expected scxkit"
}

# run_fg OUT ARGS...: run scx-run to its end (a policy that is ejected or
# fails quickly); RUN_RC gets the exit status.
run_fg() {
    _out=$1; shift
    RUN_RC=0
    scx-run --json "$@" > "$_out" 2> "$_out.err" || RUN_RC=$?
}

# stop_run: SIGINT, wait; RUN_RC gets the exit status.
stop_run() {
    kill -INT "$RUN_PID"
    RUN_RC=0
    wait "$RUN_PID" || RUN_RC=$?
}

# Print scx-run's JSON output, statistics lines then the final report, for
# the host to validate against scxkit.run/1 (tests/vm/check_json.py).
emit_json() {
    [ -s "$1" ] || { echo "SCX-VM-JSON (no output in $1)"; return; }
    while IFS= read -r _l; do echo "SCX-VM-JSON $_l"; done < "$1"
}

expect_in() { grep -qF -- "$2" "$1" || { echo "--- $1"; cat "$1"; fail "'$2' not in $1"; }; }

messaging() { scx-messaging -f simple "$@"; }
