# scx-prompt --fix RUN.json: a policy that builds but stalls at run time.
# The prompt says what a stall means, quotes the exit, the workload and the
# counters, and with --events the last events before it (the stall event:
# which task waited and how long); it asks for a fix that keeps the
# requirement and starts from the failing source.
. "$(dirname "$0")/lib.sh"

# The hand-written example candidate that holds CPU hogs without telling the
# runtime (examples/experiment/answers-k3).
sed -n '/^```cpp$/,/^```$/p' "$SRC/examples/experiment/answers-k3/01-r1-c1-hold-hogs.md" | sed '1d;$d' > hold.cpp
"$SCX_BUILD" hold.cpp -o hold.so 2>/dev/null || fail "the example candidate does not build"
W=fork:jobs=40
expect_exit 1 "$SCX_RUN" --sim "$W" --cpus 4 --json hold.so
cp out run.json
[ "$(json_get run.json 'd["exit"]["kind"]')" = stall ] || fail "the example candidate should stall"
# The stalled task in the document: the one the message names, and its wait.
[ "$(json_get run.json 'd["exit"]["message"].startswith("%s[%d] failed to run for %d.%03ds" % (d["exit"]["stalled"]["comm"], d["exit"]["stalled"]["pid"], d["exit"]["stalled"]["waited_ns"] // 10**9, d["exit"]["stalled"]["waited_ns"] // 10**6 % 1000))')" = True ] ||
    fail "exit.stalled disagrees with the message"
validate run.json
expect_exit 1 "$SCX_RUN" --sim "$W" --cpus 4 --events events.jsonl hold.so
[ "$(tail -n 2 events.jsonl | head -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["type"])')" = stall ] ||
    fail "the event stream should end with the stall"

expect_exit 0 "$SCX_PROMPT" --fix run.json --events events.jsonl --base hold.cpp "prefer tasks with short CPU bursts"
cp out prompt.json
json_get prompt.json 'd["messages"][0]["content"]' > text
expect_in text "## Run-time failure of the current policy"
expect_in text 'The policy "hold-hogs" built, but its run in the simulator failed.'
expect_in text "The watchdog ejected the policy: a runnable task waited longer"
expect_in text "Exit kind: stall"
expect_in text "Reason: runnable task stall"
expect_in text "Message: $(json_get run.json 'd["exit"]["message"]')"
expect_in text "failed to run for"
expect_in text "Stalled task: pid $(json_get run.json 'd["exit"]["stalled"]["pid"]') ($(json_get run.json 'd["exit"]["stalled"]["comm"]')), runnable and not dispatched for "
expect_in text "Workload: fork ("
expect_in text "CPUs: 4"
expect_in text "Watchdog limit: "
expect_in text "nr_user_dispatches: "
expect_in text "The last scheduling events before the failure"
# The stall event names the task the message names, and how long it waited.
stalled=$(json_get run.json 'd["exit"]["message"].split("[")[1].split("]")[0]')
grep -E "^t=[0-9.]+ms( cpu [0-9]+)? stall pid $stalled \\(.*\\) waited_ns=[0-9]+$" text >/dev/null ||
    fail "the stall event (pid $stalled, waited_ns) is not quoted"
[ "$(grep -cE '^t=[0-9.]+ms ' text)" = 20 ] || fail "expected the last 20 events"
expect_in text "## Current policy (hold.cpp)"
expect_in text "## Requirement"
expect_in text "failed at run time, as described above"
expect_in text "It must still meet the requirement"
expect_not_in text "## Build errors"
[ "$(json_get prompt.json 'd["metadata"]["fix"]["kind"]')" = run ] || fail "fix.kind"
[ "$(json_get prompt.json 'd["metadata"]["fix"]["exit"]')" = stall ] || fail "fix.exit"
[ "$(json_get prompt.json 'd["metadata"]["fix"]["events"]')" = events.jsonl ] || fail "fix.events"
[ "$(json_get prompt.json 'd["metadata"]["base"]["path"]')" = hold.cpp ] || fail "base"
validate prompt.json

# Without --events: the failure without the events.
expect_exit 0 "$SCX_PROMPT" --fix run.json --base hold.cpp
expect_in out "Exit kind: stall"
expect_not_in out "The last scheduling events"

# A build report is still a build report, and says so in the metadata.
sed 's/d.slice_ns = slice_ns;/d.slice_ns = SLICE_TYPO;/' "$FIFO_CPP" > broken.cpp
grep -q SLICE_TYPO broken.cpp || fail "fifo.cpp no longer has the line this test breaks"
"$SCX_BUILD" --json broken.cpp -o broken.so > build.json || true
expect_exit 0 "$SCX_PROMPT" --fix build.json
cp out bprompt.json
[ "$(json_get bprompt.json 'd["metadata"]["fix"]["kind"]')" = build ] || fail "build fix.kind"
[ "$(json_get bprompt.json 'd["metadata"]["fix"]["exit"]')" = None ] || fail "build fix.exit"

# Refusals: a run names no source (64), events belong to a run fix (64), a
# run that completed has nothing to fix (65), events that are not JSON (65).
expect_exit 64 "$SCX_PROMPT" --fix run.json "x"
expect_in err "name its source with --base FILE"
expect_exit 64 "$SCX_PROMPT" --fix build.json --events events.jsonl
expect_in err "--events goes with --fix RUN.json"
expect_exit 64 "$SCX_PROMPT" --events events.jsonl "x"
"$SCX_RUN" --sim cpu:tasks=2,duration=20ms --cpus 2 --json "$SCX_FIFO_SO" > done.json
expect_exit 65 "$SCX_PROMPT" --fix done.json --base hold.cpp
expect_in err "nothing to fix"
printf '{"type":"dispatch","t":1}\nnot json\n' > bad.jsonl
expect_exit 65 "$SCX_PROMPT" --fix run.json --events bad.jsonl --base hold.cpp
expect_in err "bad.jsonl:2"
expect_exit 66 "$SCX_PROMPT" --fix run.json --events missing.jsonl --base hold.cpp
