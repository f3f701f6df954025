#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The main job, on a fresh machine: install what is needed, build scxkit,
# then
#  1. build the FIFO and vruntime policies with scx-build and compare them in
#     the simulator on the workload of the original experiment,
#     `perf bench sched messaging -t -g 24 -l 2000` (24 groups of 20 sender
#     and 20 receiver threads, 19.2 million messages), on 8 simulated CPUs;
#  2. run the experiment loop (examples/experiment): requirement -> generated
#     policy -> build (with repairs) -> validation -> benchmark -> kept or
#     reverted, for three requirements, and print its summary table. Without
#     a configured language model it uses the recorded example answers
#     shipped in examples/experiment/recorded; with OPENAI_API_KEY (or
#     ANTHROPIC_API_KEY, OLLAMA_HOST, SCX_PROVIDER...) it asks the live model.
set -eu
cd "$(dirname "$0")/.."

scripts/setup.sh

builddir=${SCX_BUILDDIR:-build}
if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" >"$builddir.setup.log" 2>&1 || { cat "$builddir.setup.log" >&2; exit 1; }
    rm -f "$builddir.setup.log"
fi
ninja -C "$builddir" >/dev/null || ninja -C "$builddir"
bin="$builddir/tools"
out="$builddir/demo"
mkdir -p "$out"

for p in fifo vruntime; do
    echo "== scx-build policies/$p.cpp"
    "$bin/scx-build" --json "policies/$p.cpp" -o "$out/$p.so" > "$out/$p.build.json"
    python3 - "$out/$p.build.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"  policy {d['policy']!r}: ok={d['ok']} errors={d['errors']} warnings={d['warnings']} "
      f"cached={d['cached']} in {d['duration_s']:.3f} s -> {d['output']}")
PY
    echo "== scx-run --check $out/$p.so"
    "$bin/scx-run" --check "$out/$p.so" | sed 's/^/  /'
done

workload=messaging:groups=24,loops=2000,thread=1
for p in fifo vruntime; do
    echo "== scx-run --sim $workload --cpus 8 $out/$p.so"
    "$bin/scx-run" --sim "$workload" --cpus 8 --json -v "$out/$p.so" > "$out/$p.run.json"
done
echo "== simulated perf bench sched messaging -t -g 24 -l 2000, 8 CPUs"
python3 - "$out/fifo.run.json" "$out/vruntime.run.json" <<'PY'
import json, sys
docs = [json.load(open(f)) for f in sys.argv[1:]]
rows = [
    ("exit", lambda d: d["exit"]["kind"], "{}"),
    ("makespan (s)", lambda d: d["metrics"]["makespan_s"], "{:.4f}"),
    ("throughput (M msg/s)", lambda d: d["metrics"]["throughput"] / 1e6, "{:.3f}"),
    ("wake-up latency p50 (ms)", lambda d: d["metrics"]["wakeup_latency_p50_ns"] / 1e6, "{:.3f}"),
    ("wake-up latency p99 (ms)", lambda d: d["metrics"]["wakeup_latency_p99_ns"] / 1e6, "{:.3f}"),
    ("run delay p99 (ms)", lambda d: d["metrics"]["run_delay_p99_ns"] / 1e6, "{:.3f}"),
    ("utilisation", lambda d: d["metrics"]["utilisation"], "{:.3f}"),
    ("idle while runnable (CPU s)", lambda d: d["metrics"]["idle_while_runnable_s"], "{:.4f}"),
    ("context switches", lambda d: d["metrics"]["context_switches"], "{}"),
    ("migrations", lambda d: d["metrics"]["migrations"], "{}"),
    ("scheduler calls", lambda d: d["metrics"]["scheduler_runs"], "{}"),
    ("user / kernel dispatches", lambda d: f'{d["metrics"]["user_dispatches"]} / {d["metrics"]["kernel_dispatches"]}', "{}"),
    ("congestion events", lambda d: d["metrics"]["congestion_events"], "{}"),
    ("worst runnable wait (ms)", lambda d: d["metrics"]["worst_runnable_wait_ns"] / 1e6, "{:.3f}"),
]
print(f"  {'':30}" + "".join(f"{d['policy']:>16}" for d in docs))
for name, get, fmt in rows:
    print(f"  {name:30}" + "".join(f"{fmt.format(get(d)):>16}" for d in docs))
PY
echo "  (full documents: $out/fifo.run.json $out/vruntime.run.json; see scx-json(5))"

echo
echo "== the experiment loop (examples/experiment, see scxkit(7))"
SCX_BIN=$(cd "$bin" && pwd) examples/experiment/experiment.sh -o "$out/experiment"
echo "  (every round's prompt, transcript, source, build, validation and bench: $out/experiment/round-*;"
echo "   the metric over rounds: $out/experiment/metric.svg)"
