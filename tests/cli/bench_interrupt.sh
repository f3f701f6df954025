# SIGINT stops the benchmark at once: the running command is stopped, the
# exit status is 130 and no output file is written.
. "$(dirname "$0")/lib.sh"

"$SCX_BENCH" -r 50 -w 0 -o b.json default -- sh -c 'echo $$ >> pids; sleep 30' >out 2>err &
bench=$!
for _ in $(seq 100); do [ -s pids ] && break; sleep 0.05; done
[ -s pids ] || fail "the workload never started"
kill -INT "$bench"
rc=0; wait "$bench" || rc=$?
[ "$rc" = 130 ] || { cat err; fail "exit status $rc, expected 130"; }
expect_in err "interrupted"
[ ! -e b.json ] || fail "an interrupted benchmark wrote its output"
for pid in $(cat pids); do
    if kill -0 "$pid" 2>/dev/null; then fail "workload $pid still running"; fi
done
