#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Install everything scxkit needs to build, test and run its VM tests on
# Debian 12 (bookworm). Idempotent and quiet; when everything is present it
# only checks and returns within a second or so.
#
# Newer libbpf, bpftool and meson come from bookworm-backports, on the same
# mirror the machine already uses (read from apt's own configuration, so no
# mirror is named here).
set -eu

log=${TMPDIR:-/tmp}/scxkit-setup.log
say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Packages from the release itself.
BASE_PKGS="g++ pkg-config ninja-build python3 git ca-certificates
 libjansson-dev libcurl4-openssl-dev libcmocka-dev libseccomp-dev libelf-dev zlib1g-dev
 clang-16 llvm-16 libclang-rt-16-dev lld-16 scdoc
 qemu-system-x86 busybox-static cpio zstd gzip file debian-archive-keyring util-linux
 bash-completion zsh fish jq make python3-jsonschema"
# Packages that must come from bookworm-backports, with the minimum version.
BPO_PKGS="libbpf-dev:1:1.4 bpftool:7.5 meson:1.7"

[ -r /etc/debian_version ] || die "this script supports Debian 12 (bookworm) only"

SUDO=
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "run as root, or install sudo"
    SUDO=sudo
fi

# missing: print the packages (and backports packages below their minimum
# version) that are not installed yet.
missing() {
    for p in $BASE_PKGS; do
        dpkg-query -W -f='${db:Status-Abbrev}\n' "$p" 2>/dev/null | grep -q '^ii' || echo "$p"
    done
    for spec in $BPO_PKGS; do
        p=${spec%%:*}
        min=${spec#*:}
        v=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$p" 2>/dev/null | sed -n 's/^ii *//p')
        if [ -z "$v" ] || dpkg --compare-versions "$v" lt "$min"; then
            echo "$p/bookworm-backports"
        fi
    done
}

todo=$(missing | tr '\n' ' ')
if [ -z "$(echo "$todo" | tr -d ' ')" ]; then
    exit 0
fi
say "installing: $todo"

# The backports source, derived from the mirror apt already uses.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ "$codename" = bookworm ] || die "expected Debian bookworm, found '${codename:-unknown}'"
list=/etc/apt/sources.list.d/scxkit-bookworm-backports.list
if ! apt-get indextargets --format '$(RELEASE)' 2>/dev/null | grep -qx 'bookworm-backports'; then
    mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
             awk '$2 == "bookworm" { print $1; exit }')
    [ -n "$mirror" ] || die "cannot find the Debian mirror in apt's configuration"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-backports main" |
        $SUDO tee "$list" >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >"$log" 2>&1; then
    cat "$log" >&2
    die "apt-get update failed (log: $log)"
fi
base=
bpo=
for p in $todo; do
    case $p in
    */bookworm-backports) bpo="$bpo ${p%/*}" ;;
    *) base="$base $p" ;;
    esac
done
if [ -n "$bpo" ] && ! $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports $bpo >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "installing$bpo from bookworm-backports failed (log: $log)"
fi
if [ -n "$base" ] && ! $SUDO apt-get install -y -qq --no-install-recommends $base >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "installing$base failed (log: $log)"
fi
left=$(missing | tr '\n' ' ')
[ -z "$(echo "$left" | tr -d ' ')" ] || die "still missing after installation: $left"
say "done"
