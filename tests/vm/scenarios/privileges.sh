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
# Two stacked filters: the loading stage (dlopen) and the running stage.
grep -q '^Seccomp_filters:	2$' "$worker" || fail "not two seccomp filters (loading and running stage)"
# No BPF descriptor but the task ring's map: no program, no other map.
wfd=${worker%/status}/fd
maps=0 progs=0
for fd in "$wfd"/*; do
    case $(readlink "$fd") in
    anon_inode:bpf-map) maps=$((maps + 1)) ;;
    anon_inode:bpf-prog|anon_inode:bpf_link|anon_inode:btf) progs=$((progs + 1)) ;;
    esac
done
ls -l "$wfd"
[ $maps = 1 ] && [ $progs = 0 ] || fail "the worker holds $maps BPF maps and $progs programs/links/BTF (expected 1 and 0)"
grep -q '^VmLck:' "$worker" && ! grep -q '^VmLck:	 *0 kB$' "$worker" || fail "memory is not locked"
# Resource limits: no core file, few descriptors, a bounded address space,
# no new processes.
limits=${worker%/status}/limits
cat "$limits"
grep -q '^Max core file size  *0  *0 ' "$limits" || fail "core files are not off"
grep -q '^Max open files  *64  *64 ' "$limits" || fail "open files not limited to 64"
grep -q '^Max processes  *0  *0 ' "$limits" || fail "processes not limited to 0"
grep -q '^Max address space  *4294967296  *4294967296 ' "$limits" || fail "address space not limited to 4 GiB"
# The supervisor keeps root (it holds the link), the worker never has it.
grep -q '^Uid:	0	' /proc/$RUN_PID/status || fail "supervisor is not root"
stop_run
[ "$RUN_RC" = 0 ] || fail "scx-run exited $RUN_RC"
emit_json run.json
expect_in run.json '"user":"nobody"'
