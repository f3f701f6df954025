#!/bin/sh
# SPDX-License-Identifier: MIT
# Run one libFuzzer target for a bounded time (SCX_FUZZ_SECONDS, default 10)
# from its seed corpus. New inputs go to a corpus in the build directory,
# never into the source tree; a crash leaves its input there too and fails
# the test.
set -eu
target=$1 seeds=$2 work=$3
seconds=${SCX_FUZZ_SECONDS:-10}
mkdir -p "$work/corpus" "$work/artifacts"
exec "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -error_exitcode=1 -timeout_exitcode=1 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
