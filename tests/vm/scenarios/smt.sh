# On an SMT machine (the `smt` boot: QEMU -smp 4,cores=2,threads=2) the
# kernel backend reads two threads per core from sysfs, and select_cpu(),
# which then prefers whole idle cores, still only returns CPUs the task may
# use: select_check throws otherwise. Tasks pinned to one thread, to both
# threads of a core, to threads of two cores, and not pinned at all.
. /scx/lib.sh
# cat, not read: the shell's byte-at-a-time read gets nothing from this file.
sib=$(cat /sys/devices/system/cpu/cpu0/topology/thread_siblings_list)
case $sib in
*-*|*,*) note "cpu0 siblings $sib" ;;
*) fail "cpu0 has no SMT sibling ('$sib'): boot with --smp 4,cores=2,threads=2" ;;
esac

start_run run.json $TEST_POLICIES/select_check.so --interval 0
for cpus in 1 2,3 1,2; do
    taskset -c $cpus scx-messaging -f simple -g 1 -l 20 || fail "messaging on CPUs $cpus failed under select_check"
done
messaging -g 1 -l 20 || fail "messaging failed under select_check"
stop_run
cat run.json.err
[ "$RUN_RC" = 0 ] || fail "select_check: exit $RUN_RC (select_cpu returned a CPU outside the affinity?)"
emit_json run.json
expect_in run.json '"kind":"done"'
