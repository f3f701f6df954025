# A policy's parameters through scx-run: --check lists the declarations
# (JSON and table), --param changes what the policy does (measurably, in
# the simulator) and is recorded in the report; an unknown name, a bad or
# out-of-range value is refused with exit status 65 and a message naming
# it, --param for something that is not a policy with 64; declarations
# that break the rules and an old-ABI policy are refused with 65.
. "$(dirname "$0")/lib.sh"
P=$SCX_TEST_POLICIES
VR=$SCX_POLICY_DIR/vruntime.so

# The declarations, in order, with every field.
expect_exit 0 "$SCX_RUN" --check --json "$VR"
validate --schema scxkit.check/1 out
[ "$(json_get out '[p["name"] for p in d["params"]]')" = "['slice_max_ns', 'slice_min_ns', 'max_lag_ns', 'max_burst_ns']" ] ||
    fail "vruntime's parameters: $(json_get out 'd["params"]')"
[ "$(json_get out '[d["params"][1][k] for k in ("type", "default", "min", "max", "unit")]')" = \
  "['int', 1000000, 50000, 100000000, 'ns']" ] || fail "slice_min_ns: $(json_get out 'd["params"][1]')"
[ "$(json_get out 'd["abi"]')" = 2 ] || fail "abi"

# Every kind of type, as JSON types.
expect_exit 0 "$SCX_RUN" --check --json --param enabled=yes --param ratio=0.5 "$P/params.so"
validate --schema scxkit.check/1 out
[ "$(json_get out '[(p["name"], p["type"], p["default"], p["value"]) for p in d["params"]]')" = \
  "[('slice_ns', 'int', 5000000, 5000000), ('offset', 'int', -3, -3), ('ratio', 'real', 0.25, 0.5), ('enabled', 'bool', False, True), ('small', 'int', 7, 7)]" ] ||
    fail "params.so: $(json_get out 'd["params"]')"

# A policy without parameters: an empty list.
expect_exit 0 "$SCX_RUN" --check --json "$P/prints.so"
[ "$(json_get out 'd["params"]')" = "[]" ] || fail "a policy without parameters lists some"

# The table.
expect_exit 0 "$SCX_RUN" --check --table --param slice_ns=2ms "$SCX_FIFO_SO"
expect_in out "PARAMETER  TYPE  DEFAULT"
expect_in out "slice_ns   int   5000000 (now 2000000)  [100000, 100000000] ns  time slice of every task"

# --param changes the run: shorter slices, more context switches (slices
# end at a simulated tick, every 4 ms: about twice as many); the value is
# in the report. The default run's document has every default.
W=(--sim cpu:tasks=8 --cpus 4)
expect_exit 0 "$SCX_RUN" "${W[@]}" --json "$SCX_FIFO_SO"
validate out
mv out default.json
expect_exit 0 "$SCX_RUN" "${W[@]}" --json --param slice_ns=500us "$SCX_FIFO_SO"
validate out
[ "$(json_get default.json 'd["params"]')" = "{'slice_ns': 5000000}" ] || fail "default params"
[ "$(json_get out 'd["params"]')" = "{'slice_ns': 500000}" ] || fail "params in effect"
default_cs=$(json_get default.json 'd["metrics"]["context_switches"]')
short_cs=$(json_get out 'd["metrics"]["context_switches"]')
[ $((short_cs * 2)) -gt $((default_cs * 3)) ] || fail "slice_ns=500us: $short_cs context switches, 5ms: $default_cs"
echo "fifo, cpu:tasks=8 on 4 CPUs: $default_cs context switches at slice_ns=5ms, $short_cs at 500us"

# The same value written another way, the same bytes; the last one given wins.
expect_exit 0 "$SCX_RUN" "${W[@]}" --json --param slice_ns=1ms --param slice_ns=500000 "$SCX_FIFO_SO"
mv out again.json
expect_exit 0 "$SCX_RUN" "${W[@]}" --json --param slice_ns=0.5ms "$SCX_FIFO_SO"
cmp again.json out || fail "slice_ns=500000 and slice_ns=0.5ms differ"

# vruntime: shorter slices cut the interactive tasks' tail wake-up latency
# (beside CPU hogs, on 2 CPUs); no wake-up credit for sleepers changes how
# CPU time is shared by weight.
expect_exit 0 "$SCX_RUN" --sim interactive --cpus 2 --json "$VR"
mv out vr-default.json
expect_exit 0 "$SCX_RUN" --sim interactive --cpus 2 --json --param slice_max_ns=2ms "$VR"
before=$(json_get vr-default.json 'd["metrics"]["wakeup_latency_p99_ns"]')
after=$(json_get out 'd["metrics"]["wakeup_latency_p99_ns"]')
[ "$after" -lt "$before" ] || fail "vruntime slice_max_ns=2ms: p99 wake-up latency $after ns, default $before ns"
echo "vruntime, interactive on 2 CPUs: p99 wake-up latency $before ns at slice_max_ns=20ms, $after ns at 2ms"
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=8,nice=0/5 --cpus 2 --json "$VR"
mv out vr-nice.json
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=8,nice=0/5 --cpus 2 --json --param max_lag_ns=0 "$VR"
[ "$(json_get vr-nice.json 'd["metrics"]["fairness_jain"]')" != "$(json_get out 'd["metrics"]["fairness_jain"]')" ] ||
    fail "vruntime's max_lag_ns changes nothing"

# The text report shows them too.
expect_exit 0 "$SCX_RUN" "${W[@]}" --table --param slice_ns=2ms "$SCX_FIFO_SO"
expect_in out "params:"
expect_in out "slice_ns"
expect_in out "2000000 ns"

# Refusals: 65 for the policy's data, before anything runs; nothing on stdout.
expect_exit 65 "$SCX_RUN" "${W[@]}" --param foo=1 "$VR"
expect_in err "scx-run: error: $VR: no parameter 'foo' (its parameters: slice_max_ns, slice_min_ns, max_lag_ns, max_burst_ns)"
[ ! -s out ] || fail "stdout must stay empty on error"
expect_exit 65 "$SCX_RUN" --check --param slice_ns=1 "$SCX_FIFO_SO"
expect_in err "slice_ns=1: out of range [100000, 100000000] ns"
expect_exit 65 "$SCX_RUN" "${W[@]}" --param slice_ns=fast "$SCX_FIFO_SO"
expect_in err "slice_ns=fast: not a duration (examples: 5000000, 2ms, 500us)"
expect_exit 65 "$SCX_RUN" --check --param enabled=maybe "$P/params.so"
expect_in err "enabled=maybe: not a boolean"
expect_exit 65 "$SCX_RUN" --check --param x=1 "$P/prints.so"
expect_in err "no parameter 'x' (it declares none)"
expect_exit 65 "$SCX_RUN" --check --json --param foo=1 "$VR"
tail -n 1 err > err.json
[ "$(json_get err.json 'd["error"]["exit_status"]')" = 65 ] || fail "--json error document"

# Usage: not NAME=VALUE, or parameters for what is no policy.
expect_exit 64 "$SCX_RUN" --check --param slice_ns "$SCX_FIFO_SO"
expect_in err "expected NAME=VALUE"
expect_in err "Try 'scx-run --help'"
expect_exit 64 "$SCX_RUN" "${W[@]}" --param slice_ns=2ms default
expect_in err "has no parameters: --param is for a policy shared object"

# Declarations that break the rules, and a policy of the ABI before.
expect_exit 65 "$SCX_RUN" --check "$P/bad_params_1.so"
expect_in err "parameter 'Bad-Name': invalid name"
expect_exit 65 "$SCX_RUN" "${W[@]}" "$P/bad_params_3.so"
expect_in err "parameter 'outside': default 5 is outside its range [0, 2]"
expect_exit 65 "$SCX_RUN" --check "$P/old_abi.so"
expect_in err "built for policy ABI 1, but this scxkit uses ABI 2 (rebuild it"

# A parameter's default computed by a forbidden call: stopped as any
# constructor that tries it.
for mode in check sim; do
    args=(--check)
    [ $mode = check ] || args=("${W[@]}")
    expect_exit 1 "$SCX_RUN" "${args[@]}" --json "$P/hostile_param_exec.so"
    [ "$(json_get out 'd["exit"]["kind"]')" = sandbox ] || fail "hostile_param_exec ($mode): $(cat out)"
    expect_in out "forbidden system call (execve)"
done
