#!/bin/sh
# SPDX-License-Identifier: MIT
#
# initramfs.sh BUILD_ROOT OUTPUT.cpio.gz - the VM's whole userland: static
# busybox, scxkit's tools and policies from the build tree, the shared
# libraries they need (as ldd resolves them), the guest scripts and the
# scenarios. With SCX_VM_EXAMPLES (a directory of extracted man page
# examples, see run.sh) also those, jq, perf and a sudo that only runs its
# command. Exit status: 0 ok, 77 busybox-static is not installed.
set -eu

build=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
busybox=${SCX_VM_BUSYBOX:-/bin/busybox}

if ! [ -x "$busybox" ] || ! file -L "$busybox" | grep -q 'statically linked'; then
    echo "initramfs.sh: a static busybox is needed at $busybox (package busybox-static)" >&2
    exit 77
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/scx-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" \
         "$root/run" "$root/lib64" "$root/lib/x86_64-linux-gnu" "$root/scx/bin" "$root/scx/policies" \
         "$root/scx/test-policies" "$root/scx/scenarios"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# Every executable and policy, and every library any of them needs.
for exe in "$build"/tools/scx-run "$build"/tools/scx-messaging "$build"/tools/scx-workload "$build"/tools/scx-bench; do
    cp "$exe" "$root/scx/bin/"
done
cp "$build"/policies/*.so "$root/scx/policies/"
cp "$build"/tests/support/policies/*.so "$root/scx/test-policies/"
extra=
if [ -n "${SCX_VM_EXAMPLES:-}" ]; then
    cp -r "$SCX_VM_EXAMPLES" "$root/scx/examples"
    printf '#!/bin/sh\n# Everything runs as root in the test VM.\nexec "$@"\n' > "$root/bin/sudo"
    chmod 755 "$root/bin/sudo"
    for prog in jq perf; do
        path=$(command -v "$prog" || true)
        # Debian's /usr/bin/perf may be a wrapper script choosing perf_<version>.
        if [ -n "$path" ] && ! file -L "$path" | grep -q ELF; then
            path=$(ls /usr/bin/"${prog}"_[0-9]* 2>/dev/null | sort -V | tail -n 1)
        fi
        if [ -z "$path" ]; then
            echo "initramfs.sh: $prog is not installed (scripts/setup.sh installs it)" >&2
            exit 1
        fi
        cp -L "$path" "$root/bin/$prog"
        extra="$extra $path"
    done
fi
# ldd the originals: their RUNPATH ($ORIGIN/...) finds libscx in the build tree.
for obj in "$build"/tools/scx-run "$build"/tools/scx-messaging "$build"/tools/scx-workload "$build"/tools/scx-bench "$build"/policies/*.so \
           "$build"/tests/support/policies/*.so $extra; do
    ldd "$obj" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }'
done | sort -u | while read -r lib; do
    case $lib in
    */ld-linux*) cp -L "$lib" "$root/lib64/" ;;
    *) cp -L "$lib" "$root/lib/x86_64-linux-gnu/" ;;
    esac
done

cat > "$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > "$root/etc/group" <<'GR'
root:x:0:
nogroup:x:65534:
GR
cp "$here/guest/init" "$root/init"
cp "$here/guest/lib.sh" "$root/scx/lib.sh"
cp "$here"/scenarios/*.sh "$root/scx/scenarios/"
chmod 755 "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
