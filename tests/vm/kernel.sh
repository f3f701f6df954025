#!/bin/sh
# SPDX-License-Identifier: MIT
#
# kernel.sh [VERSION] - fetch a Debian sched_ext kernel for the VM tests and
# print the directory holding its `vmlinuz` and `config`.
#
# VERSION: "newest" (default: whatever trixie-backports' linux-image-amd64
# depends on today), or an ABI such as 7.3.4+deb13-amd64, 7.3.4+deb13, 7.3.4
# or a package name such as linux-image-6.16.12+deb13-amd64.
#
# The package is fetched with a private apt state (sources list, lists,
# archives; the system's own apt state is never touched) from the mirror the
# host already uses, and cached by ABI under $SCX_VM_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/scxkit/vm). Exit status: 0 ok, 69 no network
# or package not found, 1 the kernel lacks sched_ext or BTF.
set -eu

want=${1:-newest}
suite=${SCX_VM_SUITE:-trixie-backports}
cache=${SCX_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scxkit/vm}
say() { printf 'kernel.sh: %s\n' "$*" >&2; }
die() { code=$1; shift; say "error: $*"; exit "$code"; }

# A cached ABI needs no network at all.
normalize() {
    v=${1#linux-image-}
    v=${v#linux-binary-}
    case $v in *-amd64) ;; *+deb*) v=$v-amd64 ;; esac
    echo "$v"
}
if [ "$want" != newest ]; then
    abi=$(normalize "$want")
    if [ -f "$cache/kernels/$abi/vmlinuz" ] && [ -f "$cache/kernels/$abi/config" ]; then
        echo "$cache/kernels/$abi"
        exit 0
    fi
fi

# VM tests run in parallel: one fetch at a time, the others then find it cached.
mkdir -p "$cache"
exec 9> "$cache/fetch.lock"
flock 9
if [ "$want" != newest ] && [ -f "$cache/kernels/$abi/vmlinuz" ] && [ -f "$cache/kernels/$abi/config" ]; then
    echo "$cache/kernels/$abi"
    exit 0
fi

mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
         awk '$2 !~ /security/ && $1 !~ /security/ { print $1; exit }')
[ -n "$mirror" ] || die 69 "cannot find a Debian mirror in apt's configuration (apt-get indextargets)"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die 69 "$keyring is missing (install debian-archive-keyring)"

apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/cache"
echo "deb [signed-by=$keyring] $mirror $suite main" > "$apt_dir/sources.list"
set -- -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" \
    -o Dir::Cache::Archives="$apt_dir/archives" -o Dir::State::Status=/dev/null \
    -o APT::Architecture=amd64 -o Debug::NoLocking=1
# Refresh the index at most once an hour.
if [ -z "$(find "$apt_dir/lists" -name '*_Packages' -mmin -60 2>/dev/null)" ]; then
    apt-get "$@" -qq update >"$apt_dir/update.log" 2>&1 ||
        { cat "$apt_dir/update.log" >&2; die 69 "apt-get update for $suite failed"; }
fi

if [ "$want" = newest ]; then
    abi=$(apt-cache "$@" depends linux-image-amd64 2>/dev/null |
          sed -n 's/.*Depends: linux-image-\(.*-amd64\)$/\1/p' | head -n 1)
    [ -n "$abi" ] || die 69 "cannot resolve linux-image-amd64 in $suite"
else
    abi=$(normalize "$want")
    case $abi in
    *+deb*) ;;
    *)  # A bare upstream version: take the packaged ABI that starts with it.
        abi=$(apt-cache "$@" pkgnames "linux-image-$want" 2>/dev/null |
              sed -n "s/^linux-image-\\($want+deb[0-9]*-amd64\\)$/\\1/p" | sort -V | tail -n 1)
        [ -n "$abi" ] || die 69 "no linux-image-$want*-amd64 in $suite" ;;
    esac
fi
dir="$cache/kernels/$abi"
if [ -f "$dir/vmlinuz" ] && [ -f "$dir/config" ]; then
    echo "$dir"
    exit 0
fi

# Newer kernels split the image into linux-binary (vmlinuz) and linux-base
# (config); older ones ship both in linux-image.
image="linux-image-$abi"
apt-cache "$@" show "$image" >/dev/null 2>&1 || die 69 "package $image is not in $suite"
if apt-cache "$@" depends "$image" 2>/dev/null | grep -q "linux-binary-$abi"; then
    pkgs="linux-binary-$abi"
    # The config comes with linux-base, when the archive still has it.
    if apt-cache "$@" show "linux-base-$abi" 2>/dev/null | grep -q "^Package:"; then
        pkgs="$pkgs linux-base-$abi"
    fi
else
    pkgs=$image
fi
say "fetching $pkgs"
work=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "$@" -qq download $pkgs) >"$work/download.log" 2>&1 ||
    { cat "$work/download.log" >&2; die 69 "apt-get download $pkgs failed"; }
for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
done
vmlinuz=$(find "$work/root" \( -path '*/boot/vmlinuz-*' -o -path '*/modules/*/vmlinuz' \) -type f | head -n 1)
config=$(find "$work/root" \( -path '*/boot/config-*' -o -path '*/modules/*/config' \) -type f | head -n 1)
[ -n "$vmlinuz" ] || die 69 "no vmlinuz in $pkgs"
mkdir -p "$work/out"
if [ -n "$config" ]; then
    grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$config" || die 1 "$abi is built without CONFIG_SCHED_CLASS_EXT"
    grep -qx 'CONFIG_DEBUG_INFO_BTF=y' "$config" || die 1 "$abi is built without CONFIG_DEBUG_INFO_BTF"
    cp "$config" "$work/out/config"
else
    say "no config package for $abi: sched_ext is checked when the VM boots"
    echo "# no config package in the archive for $abi" > "$work/out/config"
fi
cp "$vmlinuz" "$work/out/vmlinuz"
mkdir -p "$cache/kernels"
rm -rf "$dir"
mv "$work/out" "$dir"
echo "$dir"
