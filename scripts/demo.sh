#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The main job, on a fresh machine: install what is needed, build scxkit,
# build the base FIFO policy with scx-build and show the result.
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

echo "== scx-build policies/fifo.cpp"
"$bin/scx-build" --json policies/fifo.cpp -o "$out/fifo.so" > "$out/fifo.build.json"
python3 - "$out/fifo.build.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"  policy {d['policy']!r}: ok={d['ok']} errors={d['errors']} warnings={d['warnings']} "
      f"cached={d['cached']} in {d['duration_s']:.3f} s -> {d['output']}")
PY
echo "== scx-run --check $out/fifo.so"
"$bin/scx-run" --check "$out/fifo.so" | sed 's/^/  /'
