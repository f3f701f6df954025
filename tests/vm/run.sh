#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh [--kernel VERSION] [--smp SPEC] SCENARIO... - boot a Debian sched_ext
# kernel under QEMU with scx-vm (the tools' own VM: kernel fetching, the
# guest image, QEMU, the console's judgement), add the test suite's files to
# the guest (the scenarios, their runner, the test policies), run the
# scenarios in one boot, and judge them: each must print its PASS marker,
# the boot must reach DONE, and the console must show no Oops, BUG, WARNING
# or panic (scx-vm boot checks that too). Every JSON document a scenario
# emits (scx-run's output, scx-bench's document) is checked against its JSON
# Schema by check_json.py, on the host.
#
# Environment: SCX_BUILD_ROOT (set by meson), SCX_VM_KERNEL (default
# "newest"), SCX_VM_KEEP=1 keeps the console log, SCX_VM_SMP (QEMU's -smp,
# default 2; --smp overrides it, e.g. 4,cores=2,threads=2 for SMT),
# SCX_VM_ACCEL (scx-vm's --accel, default auto), SCX_VM_TIMEOUT (seconds,
# default 900).
# Exit status: 0 pass, 1 fail, 77 skip (no QEMU, or the kernel cannot be
# fetched).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${SCX_BUILD_ROOT:?run through meson test, or set SCX_BUILD_ROOT}
kernel=${SCX_VM_KERNEL:-newest}
smp=${SCX_VM_SMP:-2}
while [ $# -ge 2 ]; do
    case $1 in
    --kernel) kernel=$2 ;;
    --smp) smp=$2 ;;
    *) break ;;
    esac
    shift 2
done
[ $# -gt 0 ] || { echo "usage: run.sh [--kernel VERSION] [--smp SPEC] SCENARIO..." >&2; exit 64; }

if ! command -v "${SCX_VM_QEMU:-qemu-system-x86_64}" >/dev/null; then
    echo "SKIP: qemu-system-x86_64 is not installed (package qemu-system-x86)"
    exit 77
fi
scx_vm=${SCX_VM:-$build/tools/scx-vm}
rc=0
"$scx_vm" fetch "$kernel" > /dev/null || rc=$?
if [ $rc -ne 0 ]; then
    [ $rc -eq 69 ] && { echo "SKIP: no sched_ext kernel could be fetched ($kernel)"; exit 77; }
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/scx-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The test suite's files in the guest: the scenarios and their runner, the
# reference and test policies, scx-bench.
adds="--add $here/guest/run-scenarios:/scx/run-scenarios --add $here/guest/lib.sh:/scx/lib.sh
      --add $here/scenarios:/scx/scenarios --add $build/policies:/scx/policies
      --add $build/tests/support/policies:/scx/test-policies --add $build/tools/scx-bench:/scx/bin/scx-bench"
# The man_examples scenario runs the man pages' examples that need root and
# a sched_ext kernel (see tests/support/man_examples.py), with the installed
# paths they name mapped to the guest's, and the workloads scaled down for
# two emulated CPUs (smaller messaging runs, 3 s for a --duration, 3 runs of
# each benchmark subject). They run after the page's other examples, in a copy of
# the directory those left (run here first, as in the cli suite). They need
# jq and perf in the VM as well, and a sudo that only runs its command.
append=
case " $* " in
*" man_examples "*)
    mkdir "$work/examples"
    for page in "$here"/../../man/*.scd; do
        name=$(basename "$page" .scd)
        python3 "$here/../support/man_examples.py" \
            --map /usr/lib/x86_64-linux-gnu/scxkit/policies /scx/policies \
            --sub '-g [0-9]+ -l [0-9]+' '-g 1 -l 20' \
            --sub 'groups=[0-9]+,loops=[0-9]+' 'groups=1,loops=20' \
            --sub '--duration [0-9]+s' '--duration 3s' \
            --sub 'scx-bench ' 'scx-bench -r 3 ' \
            "$work/examples/$name" "$page" |
        awk -F '\t' -v page="$name" '$2 == "kernel" { n = split($3, p, "/"); print page "\t" $1 "\t" page "/" p[n] "\t" $4 }' \
            > "$work/examples/$name.kernel" || exit 1
        [ -s "$work/examples/$name.kernel" ] || continue
        if ! bash "$here/../support/man_examples.sh" "$page" --keep "$work/examples/$name/work" \
                > "$work/examples/$name.log" 2>&1; then
            cat "$work/examples/$name.log"
            echo "FAIL: the examples of $name before its kernel examples failed"
            exit 1
        fi
        # Those the host run left to this suite (not those it had to skip).
        [ ! -s "$work/examples/$name/work.vm" ] ||
            awk -F '\t' 'NR == FNR { vm[$1] = 1; next } vm[$2]' \
                "$work/examples/$name/work.vm" "$work/examples/$name.kernel" >> "$work/examples/manifest"
        grep -- '--- SKIPPED' "$work/examples/$name.log" | sort | uniq -c | sed "s/^ */$name: /" || true
    done
    printf '#!/bin/sh\n# Everything runs as root in the test VM.\nexec "$@"\n' > "$work/sudo"
    chmod 755 "$work/sudo"
    adds="$adds --add $work/examples:/scx/examples --add $work/sudo:/bin/sudo"
    for prog in jq perf; do
        path=$(command -v "$prog" || true)
        # Debian's /usr/bin/perf may be a wrapper script choosing perf_<version>.
        if [ -n "$path" ] && ! file -L "$path" | grep -q ELF; then
            path=$(ls /usr/bin/"${prog}"_[0-9]* 2>/dev/null | sort -V | tail -n 1)
        fi
        [ -n "$path" ] || { echo "FAIL: $prog is not installed (scripts/setup.sh installs it)"; exit 1; }
        adds="$adds --add $(readlink -f "$path"):/bin/$prog"
    done
    # Several benchmarks in a row: more than the default 300 s per scenario.
    append="scx_timeout=780"
    ;;
esac

scenarios=$(echo "$*" | tr ' ' ',')
log="$work/console.log"
start=$(date +%s)
boot_rc=0
# shellcheck disable=SC2086
"$scx_vm" boot --kernel "$kernel" --smp "$smp" --memory 1G --accel "${SCX_VM_ACCEL:-auto}" \
    --timeout "${SCX_VM_TIMEOUT:-900}s" $adds \
    --append "scx_scenarios=$scenarios ${SCX_VM_APPEND:-} $append" --console "$log" 2> "$work/boot.err" || boot_rc=$?
elapsed=$(( $(date +%s) - start ))
[ "${SCX_VM_KEEP:-0}" = 1 ] && cp "$log" "${TMPDIR:-/tmp}/scx-vm-$(echo "$scenarios" | tr ',' '-').log"

failed=0
bad() { echo "FAIL: $*"; failed=1; }
[ "$boot_rc" = 0 ] || bad "scx-vm boot: $(tail -n 1 "$work/boot.err")"
grep -q 'SCX-VM: BOOTED' "$log" || bad "the VM did not boot"
# A failed scenario's own output comes first: a log cut to its head (CI
# shows only that) still says why.
for s in "$@"; do
    grep -q "^SCX-VM: PASS $s\$" "$log" && continue
    bad "scenario $s did not pass"
    awk -v s="$s" '/^----- / { p = ($2 == s) } p' "$log" | tail -n 40
done
grep -q '^SCX-VM: DONE' "$log" || bad "the VM did not finish (timeout or hang)"
if grep -nE 'Oops|BUG:|WARNING:|Kernel panic|panic\(|Call Trace' "$log"; then
    bad "kernel trouble on the console"
fi
if ! python3 "$here/check_json.py" "$log"; then
    bad "a JSON document is invalid against its schema"
fi
echo "kernel $kernel, $(head -n 1 "$work/boot.err" | sed 's/^scx-vm: //'), $elapsed s, scenarios: $*"
grep '^----- ' "$log" || true
if [ $failed -ne 0 ] || [ "${SCX_VM_VERBOSE:-0}" = 1 ]; then
    echo "----- console"
    cat "$log"
fi
exit $failed
