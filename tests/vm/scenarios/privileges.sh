# 6. The process running the policy has no privileges: uid != 0, no
# effective capabilities, no_new_privs, seccomp filter mode.
. /scx/lib.sh
start_run run.json $POLICIES/fifo.so
worker=
for st in /proc/[0-9]*/status; do
    if grep -q '^Name:	scx-worker$' "$st" && grep -q "^PPid:	$RUN_PID\$" "$st"; then
        worker=$st
    fi
done
[ -n "$worker" ] || fail "no scx-worker child of scx-run"
cat "$worker"
grep -q '^Uid:	65534	65534	65534	65534$' "$worker" || fail "uid is not 65534 (nobody)"
grep -q '^Gid:	65534	65534	65534	65534$' "$worker" || fail "gid is not 65534"
grep -q '^Groups:[[:space:]]*$' "$worker" || fail "supplementary groups remain"
grep -q '^CapEff:	0000000000000000$' "$worker" || fail "effective capabilities remain"
grep -q '^CapPrm:	0000000000000000$' "$worker" || fail "permitted capabilities remain"
grep -q '^CapBnd:	0000000000000000$' "$worker" || fail "bounding set not empty"
grep -q '^NoNewPrivs:	1$' "$worker" || fail "no_new_privs is not set"
grep -q '^Seccomp:	2$' "$worker" || fail "no seccomp filter"
grep -q '^VmLck:' "$worker" && ! grep -q '^VmLck:	 *0 kB$' "$worker" || fail "memory is not locked"
# The supervisor keeps root (it holds the link), the worker never has it.
grep -q '^Uid:	0	' /proc/$RUN_PID/status || fail "supervisor is not root"
stop_run
[ "$RUN_RC" = 0 ] || fail "scx-run exited $RUN_RC"
emit_json run.json
expect_in run.json '"user":"nobody"'
