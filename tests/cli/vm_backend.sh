# The VM backend end to end, from the tools: scx-run --vm and scx-bench --vm
# boot a Debian sched_ext kernel under QEMU (no root needed, the host's own
# kernel untouched), run the policy there and report like kernel mode, with
# where it ran; a session serves several tools; a guest that panics is an
# error naming the cause and the kept console log. Skips (77) only without
# QEMU or a kernel.
. "$(dirname "$0")/lib.sh"
P=$SCX_TEST_POLICIES
command -v qemu-system-x86_64 >/dev/null || { echo "SKIP: no qemu-system-x86_64"; exit 77; }
rc=0
"$SCX_VM" fetch > /dev/null 2> fetch.err || rc=$?
[ $rc = 0 ] || { cat fetch.err; [ $rc = 69 ] && exit 77; fail "scx-vm fetch: $rc"; }

# What can be booted.
expect_exit 0 "$SCX_RUN" --vm --kernel list
grep -qP '^[0-9.]+\+deb[0-9]+-amd64\tcached$' out || fail "no cached kernel listed"

# One run, one boot: the policy runs the workload in the guest.
expect_exit 0 "$SCX_RUN" --vm --json --interval 0 "$SCX_FIFO_SO" -- scx-messaging -f simple -g 1 -l 20
validate --lines out
tail -n 1 out > run.json
python3 - run.json <<'PY' || fail "the VM run's report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "vm" and d["exit"]["kind"] == "done", d["exit"]
assert d["policy"] == "fifo" and d["policy_path"].endswith("/fifo.so")
assert d["host"]["accelerator"] in ("kvm", "tcg", "tcg-single") and d["host"]["cpus"] == 2
assert "+deb" in d["host"]["kernel"] and d["host"]["user"] == "nobody"
assert d["command"]["exit_code"] == 0 and d["sched_ext"]["before"] == "enabled (scxkit)"
assert d["counters"]["nr_user_dispatches"] > 0
PY

# A policy's parameters reach scx-run in the guest (the report has the
# value in effect); a bad one is refused on the host, before any boot.
expect_exit 0 "$SCX_RUN" --vm --json --interval 0 --param slice_ns=2ms "$SCX_FIFO_SO" -- scx-messaging -f simple -g 1 -l 20
tail -n 1 out > params.json
[ "$(json_get params.json 'd["params"]')" = "{'slice_ns': 2000000}" ] || fail "--param in the VM: $(cat params.json)"
expect_exit 65 "$SCX_RUN" --vm --param slice=2ms "$SCX_FIFO_SO" -- true
expect_in err "no parameter 'slice' (its parameters: slice_ns)"

# Multi-threaded TCG, asked for (the suite's SCX_VM_ACCEL is tcg-single):
# the report says so and counts the boots QEMU's fault cost.
expect_exit 0 "$SCX_RUN" --vm --accel tcg --json --interval 0 "$SCX_FIFO_SO" -- scx-messaging -f simple -g 1 -l 20
validate --lines out
tail -n 1 out > mttcg.json
json_get mttcg.json 'd["host"]["accelerator"] in ("kvm", "tcg") and d["host"]["reboots"] >= 0 and d["exit"]["kind"] == "done"' > ok
[ "$(cat ok)" = True ] || fail "multi-threaded TCG run: $(json_get mttcg.json 'd["host"]')"

# A session: one boot for several tools.
# A failed check must not leave the session's VM running.
trap '"$SCX_VM" stop --session "$T/session" >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
S=$("$SCX_VM" start --session "$T/session")
[ "$S" = "$T/session" ] || fail "start printed '$S'"
export SCX_VM_SESSION=$S
expect_exit 0 "$SCX_VM" exec -- sh -c 'uname -r; nproc'
expect_in out "+deb"

# The kernel's own scheduler, on the native workload, with its figure.
expect_exit 0 "$SCX_RUN" --vm --json --interval 0 --workload messaging:groups=1,loops=20 default
tail -n 1 out > default.json
[ "$(json_get default.json 'd["policy"]')" = default ] || fail "default's policy"
[ "$(json_get default.json '"messaging_s" in d["metrics"]')" = True ] || fail "no messaging_s"
# The kernel's context switches of the 40 tasks: each blocked at least at
# the start gate (one may come after it opened).
[ "$(json_get default.json 'd["metrics"]["voluntary_switches"] >= 39 and d["metrics"]["context_switches"] >= d["metrics"]["voluntary_switches"]')" = True ] ||
    fail "no context switch counts: $(cat default.json)"
[ "$(json_get default.json 'd["sched_ext"]["before"]')" = disabled ] || fail "default ran with sched_ext enabled"

# A hostile policy in the guest: contained there as on any host.
cp "$P/hostile_fork.so" .
expect_exit 1 "$SCX_RUN" --vm --json --interval 0 hostile_fork.so -- scx-messaging -f simple -g 1 -l 10
tail -n 1 out > hostile.json
[ "$(json_get hostile.json 'd["exit"]["kind"]')" = sandbox ] || fail "hostile_fork was not a sandbox exit"
expect_in hostile.json "forbidden system call (clone"

# scx-bench --vm: every subject in one boot (here the session's), interleaved.
expect_exit 0 "$SCX_BENCH" --vm -r 2 -w 0 --json --workload messaging:groups=1,loops=20 default "$SCX_FIFO_SO"
validate out
python3 - out <<'PY' || fail "the VM benchmark"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "vm" and d["complete"] is True
assert d["host"]["accelerator"] in ("kvm", "tcg", "tcg-single") and d["host"]["cpus"] == 2, d["host"]
for r in d["results"]:
    assert len(r["samples"]) == 2 and all(s["ok"] for s in r["samples"]), r["command"]
    for s in r["samples"]:
        want = "disabled" if r["default"] else "enabled (scxkit)"
        assert s["detail"]["sched_ext"]["before"] == want, s["detail"]
PY

# The guest's supervisor makes statistics lines only for a reader: scx-run
# --vm forwards them (its guest has no --interval 0), scx-bench reads none
# (its guest gets --interval 0, so that no line's cost lands in a run).
argv_of_parent='tr "\0" " " < /proc/$PPID/cmdline'
expect_exit 0 "$SCX_RUN" --vm --json --capture-output default -- sh -c "$argv_of_parent"
tail -n 1 out > sup.json
case "$(json_get sup.json 'd["command"]["stdout"]')" in
    "scx-run --json default "*) ;;
    *) fail "scx-run --vm's guest: $(cat sup.json)" ;;
esac
expect_exit 0 "$SCX_BENCH" --vm -r 1 -w 0 --json "$SCX_FIFO_SO" -- sh -c "$argv_of_parent > /tmp/bench-supervisor"
expect_exit 0 "$SCX_RUN" --vm --json --capture-output default -- cat /tmp/bench-supervisor
tail -n 1 out > sup.json
case "$(json_get sup.json 'd["command"]["stdout"]')" in
    "scx-run --json --interval 0 /tmp/scx/"*) ;;
    *) fail "scx-bench --vm's guest: $(cat sup.json)" ;;
esac

# The simulator's other workloads run natively: latency, measured by the
# p99 wake-up latency its threads saw, as in the simulator; --metric picks
# another figure of the report.
expect_exit 0 "$SCX_BENCH" --vm -r 1 -w 0 --json --workload latency:groups=1,duration=300ms default "$SCX_FIFO_SO"
validate out
python3 - out <<'PY' || fail "the VM benchmark of a native latency workload"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["metric"]["name"] == "wakeup_latency_p99_ns" and d["metric"]["unit"] == "ns", d["metric"]
for r in d["results"]:
    s = r["samples"][0]
    assert s["ok"] and s["value"] > 0, s
    assert "scx-workload" in " ".join(s["detail"]["command"]["argv"]), s["detail"]["command"]
PY
expect_exit 0 "$SCX_BENCH" --vm -r 1 -w 0 --json --metric throughput --workload cpu:tasks=2,duration=200ms default
json_get out 'd["metric"]["name"] == "throughput" and d["metric"]["better"] == "higher" and d["results"][0]["samples"][0]["value"] > 0' > ok
[ "$(cat ok)" = True ] || fail "cpu throughput on the VM"

# The experiment loop on the session's VM: validated in the simulator,
# benchmarked in the guest, and the session left running.
export SCX_BIN
SCX_BIN=$(dirname "$SCX_RUN")
expect_exit 0 "$SRC/examples/experiment/experiment.sh" --vm -o exp -n 1 -r 2 \
    -w messaging:groups=1,loops=20
expect_in err "using the VM of session $S"
expect_in err "bench on the VM's sched_ext kernel"
expect_in err "round 1: "
python3 - exp/round-01/bench.json <<'PY' || fail "the experiment's VM benchmark"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "vm" and d["metric"]["name"] == "messaging_s", (d["mode"], d["metric"])
assert {r["subject"] for r in d["results"]} == {"round-01", "best", "default"}, d["results"]
PY
expect_exit 0 "$SCX_VM" exec -- true

expect_exit 0 "$SCX_VM" stop
[ ! -e "$S" ] || fail "the session's directory is still there"
unset SCX_VM_SESSION

# A guest kernel that panics: a clear error, the cause and the console log
# named and kept; nothing left running.
expect_exit 69 "$SCX_RUN" --vm --interval 0 "$SCX_FIFO_SO" -- sh -c 'echo c > /proc/sysrq-trigger'
expect_in err "in trouble"
log=$(sed -n 's/.*console log: \([^)]*\)).*/\1/p' err | head -n 1)
[ -s "$log" ] || fail "the console log '$log' was not kept"
grep -q 'Kernel panic\|sysrq' "$log" || fail "the console log does not show the panic"
pgrep -f "qemu-system-x86_64.*$(dirname "$log")" >/dev/null && fail "QEMU still runs"
rm -rf "$(dirname "$log")"

# A kernel of one's own is checked.
expect_exit 65 "$SCX_RUN" --vm "$SCX_FIFO_SO" --kernel /etc/hostname -- true
expect_in err "not an x86 kernel image"
cp "$("$SCX_VM" fetch)" bzImage
expect_exit 65 "$SCX_RUN" --vm "$SCX_FIFO_SO" --kernel "$T/bzImage" -- true
expect_in err "no configuration found"
grep -v 'CONFIG_SCHED_CLASS_EXT' "$(dirname "$("$SCX_VM" fetch)")/config" > bzImage.config
expect_exit 65 "$SCX_RUN" --vm "$SCX_FIFO_SO" --kernel "$T/bzImage" -- true
expect_in err "built without CONFIG_SCHED_CLASS_EXT"
