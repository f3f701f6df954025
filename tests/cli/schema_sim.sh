# Every scxkit.run/1 that scx-run --sim writes is valid against its schema,
# whatever the outcome: each built-in workload and the workload files done,
# a stall, an exception, a crash, a hang, the time limit, a deadlock. The
# --events logs (scxkit.events/1) of a normal run, of refused decisions and
# of a stall, and every workload file in the tests and in scx-json(5), are
# valid too.
. "$(dirname "$0")/lib.sh"
P=$SCX_TEST_POLICIES
sim() { timeout 60 "$SCX_RUN" --json --cpus 3 --sim "$@"; }

for w in messaging:groups=1,loops=10 cpu:tasks=3,duration=20ms latency:duration=20ms \
         interactive:duration=20ms fork:jobs=6; do
    expect_exit 0 sim "$w" "$SCX_POLICY_DIR/vruntime.so"
    cp out "run-${w%%:*}.json"
done
for f in "$SRC"/tests/cli/data/*.workload.json; do
    cp "$f" .
    expect_exit 0 sim "$(basename "$f")" --events "$(basename "$f" .json).events" "$SCX_FIFO_SO"
    cp out "run-$(basename "$f")"
done

expect_exit 1 sim cpu:tasks=2,duration=200ms --watchdog 50ms --events stall.events "$P/never_dispatch.so"
cp out stall.json
expect_exit 1 sim cpu:tasks=8,duration=50ms "$P/throws.so"
cp out error.json
expect_exit 1 sim cpu:tasks=8,duration=50ms "$P/crashes.so"
cp out crash.json
expect_exit 1 sim cpu:tasks=8,duration=1s --policy-timeout 300ms "$P/spins.so"
cp out hang.json
printf '{"schema": "scxkit.workload/1", "tasks": [{"name": "forever", "program": [{"loop": "forever", "do": [{"run": "1ms"}]}]}]}' > forever.json
expect_exit 1 sim forever.json --max-time 20ms "$SCX_FIFO_SO"
cp out limit.json
printf '{"schema": "scxkit.workload/1", "channels": [{"name": "c"}], "tasks": [{"name": "waits", "program": [{"recv": "c"}]}]}' > stuck.json
expect_exit 1 sim stuck.json "$SCX_FIFO_SO"
cp out deadlock.json
cp "$SRC/tests/cli/data/pinned.workload.json" pinned.json
expect_exit 0 sim pinned.json --events refused.events "$P/bad_dispatch.so"
cp out refused.json

kinds=""
for k in stall error crash hang limit deadlock; do
    kinds="$kinds $(json_get $k.json 'd["exit"]["kind"]')"
done
[ "$kinds" = " stall error crash hang limit deadlock" ] || fail "exit kinds:$kinds"
grep -q '"type":"stall"' stall.events || fail "no stall event"
for ty in reject bounce cancel; do
    grep -q "\"type\":\"$ty\"" refused.events || fail "no $ty event"
done

# ./*.json: the runs, and the copies of data/*.workload.json.
validate ./*.json
validate --schema scxkit.events/1 ./*.events

# The sample documents in scx-json(5): each ``` block is a document, or
# history lines - but for the EXAMPLES section, whose blocks are shell
# examples (the man_examples_scx-json.5 test runs them).
python3 - "$SRC/man/scx-json.5.scd" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r"^# EXAMPLES\n.*?(?=^# )", "", text, flags=re.S | re.M)
for i, block in enumerate(re.findall(r"^```\n(.*?)^```$", text, re.S | re.M)):
    history = block.startswith('{"type":"round"')
    open(f"example-{i}." + ("history" if history else "json"), "w").write(block)
PY
ls example-*.json example-*.history >/dev/null || fail "an example is missing from scx-json(5)"
validate example-*.json
validate --schema scxkit.history/1 example-*.history
