# The man pages' examples that need root and a sched_ext kernel (those run
# with sudo; here sudo only runs its command), as run.sh extracted them into
# /scx/examples: each page's in order, with -e and pipefail, in a copy of the
# directory where the page's other examples ran on the host. Each must
# succeed and leave the machine on its own scheduler; every example listed
# in the manifest must have run.
. /scx/lib.sh
[ -f /scx/examples/manifest ] || fail "no examples in the initramfs"
[ "$(state)" = disabled ] || fail "sched_ext state is '$(state)' before the examples"

ran=0 failed=0 total=0
tab=$(printf '\t')
while IFS="$tab" read -r page num file caption; do
    total=$((total + 1))
    echo "=== $page example $num: $caption"
    sed 's/^/    /' "/scx/examples/$file"
    if [ ! -d "/tmp/examples/$page" ]; then
        mkdir -p "/tmp/examples/$page"
        cp -a "/scx/examples/$page/work/." "/tmp/examples/$page/"
    fi
    rc=0
    start=$(cut -d' ' -f1 /proc/uptime)
    (cd "/tmp/examples/$page" && timeout 240 sh -eo pipefail "/scx/examples/$file" < /dev/null) || rc=$?
    if ! wait_state disabled 10; then
        echo "--- FAILED: sched_ext is '$(state)' after the example"
        killall -INT scx-run 2>/dev/null
        wait_state disabled 10
        failed=$((failed + 1))
    elif [ $rc -ne 0 ]; then
        echo "--- FAILED: exit status $rc"
        failed=$((failed + 1))
    else
        echo "--- ok ($start..$(cut -d' ' -f1 /proc/uptime) s)"
        ran=$((ran + 1))
    fi
done < /scx/examples/manifest

echo "man page examples on the kernel: $ran ran, $failed failed, of $total"
[ $total -gt 0 ] || fail "the manifest lists no example"
[ $failed -eq 0 ] || fail "$failed example(s) failed"
