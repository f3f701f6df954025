#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh [--kernel VERSION] [--smp SPEC] SCENARIO... - boot a Debian sched_ext kernel
# under QEMU with an initramfs of this build, run the scenarios in one boot,
# and judge them: each must print its PASS marker, the boot must reach DONE,
# and the console must show no Oops, BUG, WARNING or panic. Every JSON
# document a scenario emits (scx-run's output, scx-bench's document) is
# checked against its JSON Schema by check_json.py, on the host.
#
# Environment: SCX_BUILD_ROOT (set by meson), SCX_VM_KERNEL (default
# "newest"), SCX_VM_KEEP=1 keeps the console log, SCX_VM_SMP (QEMU's -smp,
# default 2; --smp overrides it, e.g. 4,cores=2,threads=2 for SMT).
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

qemu=$(command -v qemu-system-x86_64 || true)
if [ -z "$qemu" ]; then
    echo "SKIP: qemu-system-x86_64 is not installed (package qemu-system-x86)"
    exit 77
fi
rc=0
kdir=$("$here/kernel.sh" "$kernel") || rc=$?
if [ $rc -ne 0 ]; then
    [ $rc -eq 69 ] && { echo "SKIP: no sched_ext kernel could be fetched ($kernel)"; exit 77; }
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/scx-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The man_examples scenario runs the man pages' examples that need root and
# a sched_ext kernel (see tests/support/man_examples.py), with the installed
# paths they name mapped to the initramfs, and the workloads scaled down for
# two emulated CPUs (smaller messaging runs, 3 s for a --duration, 3 runs of
# each benchmark subject). They run after the page's other examples, in a copy of
# the directory those left (run here first, as in the cli suite). They need
# jq and perf in the VM as well.
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
    export SCX_VM_EXAMPLES="$work/examples"
    # Several benchmarks in a row: more than the default 300 s per scenario.
    SCX_VM_APPEND="scx_timeout=780 ${SCX_VM_APPEND:-}"
    ;;
esac
rc=0
"$here/initramfs.sh" "$build" "$work/initramfs.cpio.gz" || rc=$?
[ $rc -eq 77 ] && { echo "SKIP: cannot build the initramfs"; exit 77; }
[ $rc -eq 0 ] || exit 1

# Single-threaded TCG: multi-threaded TCG oopses now and then while the
# kernel patches its text at boot. KVM when it works: /dev/kvm can exist and still fail (nested, MSRs), so
# probe it once per host boot with an empty run and remember the answer.
accel="-accel tcg,thread=single -cpu max"
if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ "${SCX_VM_ACCEL:-auto}" != tcg ]; then
    cache=${SCX_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scxkit/vm}
    probe="$cache/kvm-probe.$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)"
    if [ ! -f "$probe" ]; then
        timeout 20 "$qemu" -accel kvm -cpu host -machine q35 -smp 1 -m 256M -kernel "$kdir/vmlinuz" \
            -initrd "$work/initramfs.cpio.gz" -append "console=ttyS0 panic=-1 quiet" -nographic \
            -no-reboot -monitor none -nic none -serial "file:$work/probe.log" </dev/null >/dev/null 2>&1 || true
        if grep -q '^SCX-VM: DONE' "$work/probe.log" 2>/dev/null; then echo kvm; else echo tcg; fi > "$probe"
    fi
    [ "$(cat "$probe")" = kvm ] && accel="-accel kvm -cpu host"
fi
scenarios=$(echo "$*" | tr ' ' ',')
log="$work/console.log"
start=$(date +%s)
# shellcheck disable=SC2086
timeout "${SCX_VM_TIMEOUT:-900}" "$qemu" $accel -machine q35 -smp "$smp" -m 1G \
    -kernel "$kdir/vmlinuz" -initrd "$work/initramfs.cpio.gz" \
    -append "console=ttyS0 panic=-1 quiet loglevel=4 scx_scenarios=$scenarios ${SCX_VM_APPEND:-}" \
    -nographic -no-reboot -monitor none -nic none -serial "file:$log.raw" </dev/null >/dev/null 2>&1 || true
tr -d '\r' < "$log.raw" > "$log"
elapsed=$(( $(date +%s) - start ))
[ "${SCX_VM_KEEP:-0}" = 1 ] && cp "$log" "${TMPDIR:-/tmp}/scx-vm-$(echo "$scenarios" | tr ',' '-').log"

failed=0
bad() { echo "FAIL: $*"; failed=1; }
grep -q 'SCX-VM: BOOTED' "$log" || bad "the VM did not boot"
for s in "$@"; do
    grep -q "^SCX-VM: PASS $s\$" "$log" || bad "scenario $s did not pass"
done
grep -q '^SCX-VM: DONE' "$log" || bad "the VM did not finish (timeout or hang)"
if grep -nE 'Oops|BUG:|WARNING:|Kernel panic|panic\(|Call Trace' "$log"; then
    bad "kernel trouble on the console"
fi
if ! python3 "$here/check_json.py" "$log"; then
    bad "a JSON document is invalid against its schema"
fi
echo "kernel $(basename "$kdir"), $elapsed s, scenarios: $*"
grep '^----- ' "$log" || true
if [ $failed -ne 0 ] || [ "${SCX_VM_VERBOSE:-0}" = 1 ]; then
    echo "----- console"
    cat "$log"
fi
exit $failed
