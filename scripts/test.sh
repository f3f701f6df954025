#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Set up, build, and run every test suite (unit, cli, vm, fuzz). The last
# line of output is "N passed, N failed, N skipped"; the exit status is 0
# only when nothing failed. Extra arguments go to `meson test` (e.g. a suite:
# scripts/test.sh --suite unit).
set -eu
cd "$(dirname "$0")/.."

scripts/setup.sh

builddir=${SCX_BUILDDIR:-build}
opts="-Dwerror=true -Dbpf=enabled -Dllm=enabled -Dman=enabled -Dtests=enabled -Dfuzz=enabled"
if [ -f "$builddir/build.ninja" ]; then
    # shellcheck disable=SC2086
    meson setup --reconfigure "$builddir" $opts >"$builddir.setup.log" 2>&1 ||
        { cat "$builddir.setup.log" >&2; exit 1; }
else
    # shellcheck disable=SC2086
    meson setup "$builddir" $opts >"$builddir.setup.log" 2>&1 ||
        { cat "$builddir.setup.log" >&2; exit 1; }
fi
rm -f "$builddir.setup.log"
ninja -C "$builddir" >/dev/null || ninja -C "$builddir"

rm -f "$builddir/meson-logs/testlog.json"
status=0
meson test -C "$builddir" --no-rebuild --print-errorlogs "$@" || status=$?

python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError:
    lines = []
for line in lines:
    if not line.strip():
        continue
    result = json.loads(line).get("result", "")
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
if not lines:
    failed = 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
