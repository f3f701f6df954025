#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench.sh [--kernel VERSION] - boot the test VM once and print benchmark
# figures: native messaging under the default scheduler, every reference
# policy and the BPF-only FIFO (medians of several runs), decisions per
# second through the user-space round trip, attach/detach latency and the
# cost of ctx.select_cpu(). Run from a build directory's parent:
#   SCX_BUILD_ROOT=$PWD/build tests/vm/bench.sh
# SCX_BENCH_ARGS (default "-g 2 -l 100") and SCX_BENCH_RUNS (default 5)
# choose the workload. Figures under TCG are relative only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export SCX_VM_VERBOSE=1
export SCX_VM_APPEND="scx_bench_args=\"${SCX_BENCH_ARGS:--g 2 -l 100}\" scx_bench_runs=${SCX_BENCH_RUNS:-5}"
"$here/run.sh" "$@" bench | sed -n 's/^BENCH //p; /^kernel /p'
