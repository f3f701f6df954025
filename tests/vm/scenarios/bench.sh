# Benchmark, not a test (tests/vm/bench.sh runs it): native messaging under
# the default scheduler, each reference policy and the BPF-only FIFO, with
# medians, decisions per second, attach/detach latency and select_cpu cost.
. /scx/lib.sh
ARGS=${scx_bench_args:--g 2 -l 100}
RUNS=${scx_bench_runs:-5}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { tail -n 1 "$1" | sed -n "s/.*\"$2\":\([0-9.e+-]*\).*/\1/p"; }
peak() { grep '"type":"stats"' "$1" | sed -n 's/.*"decisions_per_s":\([0-9.e+-]*\).*/\1/p' | sort -g | tail -n 1; }

bench() {
    name=$1; shift
    times=$(scx-messaging -f simple -r "$RUNS" $ARGS | tr '\n' ' ')
    echo "BENCH $name: messaging $ARGS x$RUNS: $times-> median $(echo "$times" | median) s"
}

messaging -g 1 -l 20 > /dev/null   # warm up caches and page tables
bench default
for so in $POLICIES/*.so; do
    name=$(basename "$so" .so)
    start_run run.json "$so" --interval 100ms
    t0=$(field run.json nr_user_dispatches)
    bench "$name"
    stop_run
    [ "$RUN_RC" = 0 ] || { cat run.json.err; fail "$name: exit $RUN_RC"; }
    echo "BENCH $name: decisions by the policy $(field run.json nr_user_dispatches), in BPF $(field run.json nr_kernel_dispatches), cancelled $(field run.json nr_cancel_dispatches), congestion $(field run.json nr_congestion); peak $(peak run.json) decisions/s over 100 ms; attach $(field run.json attach_s) s, detach $(field run.json detach_s) s, load $(field run.json load_s) s; policy page faults $(field run.json worker_minor_faults)"
done
start_run run.json --bpf-only --interval 0
bench bpf-only
stop_run
echo "BENCH bpf-only: attach $(field run.json attach_s) s, detach $(field run.json detach_s) s"

start_run run.json $TEST_POLICIES/select_cost.so --interval 0
messaging $ARGS > /dev/null
stop_run
echo "BENCH select_cpu: $(grep select_cpu run.json.err)"

# Attach/detach latency over several cycles, seen from outside: exec of
# scx-run to state "enabled", SIGINT to state "disabled".
for i in 1 2 3 4 5; do
    scx-run --json --interval 0 $POLICIES/fifo.so > run.json 2> run.json.err &
    RUN_PID=$!
    wait_state enabled 20 || fail "not enabled"
    kill -INT $RUN_PID; wait $RUN_PID
    echo "BENCH cycle $i: load $(field run.json load_s) s, attach $(field run.json attach_s) s, detach $(field run.json detach_s) s"
done
