# The validator behind the schema tests cannot pass silently: the schemas
# themselves are valid, real documents pass, and each violation planted in
# a copy of one fails with the file, the JSON pointer and what is wrong.
. "$(dirname "$0")/lib.sh"
V="$SRC/tests/support/validate_json.py"

expect_exit 0 python3 "$V" --check-schemas -v
expect_in out "12 schemas valid"

expect_exit 0 "$SCX_RUN" --sim cpu:tasks=2,duration=10ms --cpus 2 --json "$SCX_FIFO_SO"
cp out run.json
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=2,duration=10ms --cpus 2 --events ev.jsonl --json "$SCX_FIFO_SO"
expect_exit 0 "$SCX_BUILD" --json "$FIFO_CPP" -o fifo.so
cp out build.json
expect_exit 0 python3 "$V" -v run.json build.json
expect_in out "run.json: valid scxkit.run/1"
expect_exit 0 python3 "$V" --schema scxkit.events/1 ev.jsonl

# mutate IN OUT EXPR...: OUT is IN with the Python statements EXPR applied to `d`.
mutate() {
    local in=$1 out=$2; shift 2
    python3 - "$in" "$out" "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for statement in sys.argv[3:]:
    exec(statement)
json.dump(d, open(sys.argv[2], "w"))
PY
}
# invalid FILE WANT... : the validator rejects FILE (exit 1) and says each WANT.
invalid() {
    local file=$1; shift
    expect_exit 1 python3 "$V" "$file"
    local w
    for w in "$@"; do expect_in out "$w"; done
}

mutate run.json kind.json 'd["exit"]["kind"] = "boom"'
invalid kind.json "kind.json: /exit/kind: 'boom' is not one of ['done', 'stall'" "(scxkit.run/1)"
mutate run.json nometric.json 'del d["metrics"]["makespan_s"]'
invalid nometric.json "nometric.json: /metrics: 'makespan_s' is a required property"
mutate run.json text.json 'd["metrics"]["speed"] = "fast"'
invalid text.json "text.json: /metrics/speed: 'fast' is not of type 'number'"
mutate run.json negative.json 'd["counters"]["nr_queued"] = -1'
invalid negative.json "negative.json: /counters/nr_queued: -1 is less than the minimum of 0"
mutate run.json extra.json 'd["exit"]["why"] = "x"'
invalid extra.json "extra.json: /exit: Additional properties are not allowed ('why' was unexpected)"
mutate run.json noexit.json 'del d["exit"]'
invalid noexit.json "noexit.json: (top level): 'exit' is a required property"
mutate run.json major.json 'd["schema"] = "scxkit.run/2"'
invalid major.json 'major.json: unknown schema "scxkit.run/2"'
mutate run.json noschema.json 'del d["schema"]'
invalid noschema.json 'noschema.json: no "schema" member'
# Members the documents may gain in minor versions pass at the top level.
mutate run.json newer.json 'd["added_later"] = {"x": 1}'
expect_exit 0 python3 "$V" newer.json

mutate build.json built.json 'd["output"] = None'
invalid built.json "built.json: /output: None is not of type 'string'"

# A transcript that leaks the API key.
printf '{"schema": "scxkit.transcript/1", "started_at": "2026-01-01T00:00:00.000Z", "provider": "openai",
 "model": "m", "url": "u", "request_hash": "%064d", "conversation": {"system": "", "messages": [{"role": "user", "content": "x"}]},
 "request": {"headers": {"Authorization": "Bearer sk-leaked"}, "body": {}, "stream": false}, "attempts": [],
 "response": null, "usage": null, "timings": {"latency_s": null, "first_token_s": null}, "replayed_from": null}' 0 > leak.json
invalid leak.json "leak.json: /request/headers/Authorization: '[redacted]' was expected"

# JSON Lines: the line number; a stream must name its schema somewhere.
python3 - ev.jsonl <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
lines[2] = lines[2].replace('"t":', '"t":"x","was_t":', 1)
open("badev.jsonl", "w").write("\n".join(lines) + "\n")
open("headless.jsonl", "w").write("\n".join(lines[1:]) + "\n")
PY
expect_exit 1 python3 "$V" --schema scxkit.events/1 badev.jsonl
expect_in out "badev.jsonl:3: /t: 'x' is not of type 'integer'"
invalid badev.jsonl "badev.jsonl:3: /t: 'x' is not of type 'integer'"
invalid headless.jsonl 'headless.jsonl: no "schema" member on any line (give --schema)'

# Workload files: an unknown op, an op that counts no work item, a typo.
w='{"schema": "scxkit.workload/1", "tasks": [{"name": "t", "program": [OP]}]}'
echo "${w/OP/{\"fly\": 1\}}" > fly.json
invalid fly.json "fly.json: /tasks/0/program/0: {'fly': 1} is none of the forms allowed (One key naming the op"
echo "${w/OP/{\"sleep\": \"1ms\", \"item\": true\}}" > sleepitem.json
invalid sleepitem.json "sleepitem.json: /tasks/0/program/0:"
echo "${w/OP/{\"run\": \"fast\"\}}" > fast.json
invalid fast.json "fast.json: /tasks/0/program/0/run: 'fast' is none of the forms allowed"
echo "${w/\"program\"/\"cont\": 2, \"program\"}" | sed 's/OP/{"run": 1}/' > typo.json
invalid typo.json "typo.json: /tasks/0: Additional properties are not allowed ('cont' was unexpected)"

printf '{"schema": "scxkit.experiment/1", "metric": "m", "rounds": [{"round": 1, "requirement": "r", "outcome": "kept",
 "repairs": 0, "verdict": "maybe", "p_value": 0.5, "ratio": 1, "median": 1, "median_ci": null, "best_median": 1, "unit": "s"}]}' > exp.json
invalid exp.json "exp.json: /rounds/0/verdict: 'maybe' is not one of ['better', 'worse', '~', None]"

printf '{"schema": "scxkit.run/1",' > broken.json
invalid broken.json "broken.json: not JSON"

# Usage, missing files, an invalid schema.
expect_exit 64 python3 "$V"
expect_exit 64 python3 "$V" --bogus run.json
expect_exit 66 python3 "$V" missing.json
expect_exit 66 python3 "$V" --schema scxkit.nothing/1 run.json
mkdir badschemas
printf '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "scxkit.run/1", "type": "thing"}' \
    > badschemas/scxkit.run-1.schema.json
expect_exit 70 python3 "$V" --schema-dir badschemas run.json
expect_in err "badschemas/scxkit.run-1.schema.json is invalid: /type"

# The VM suite's checker of kernel-mode output (tests/vm/check_json.py) on a
# console made here: scx-run's lines must end with a final report, and each
# line is held to scxkit.run/1.
python3 - run.json <<'PY'
import json, sys
counters = json.load(open(sys.argv[1]))["counters"]
stats = dict(type="stats", time_s=0.5, nr_enqueued=3, nr_sched_dispatches=1, decisions_per_s=10.0, **counters)
metrics = dict.fromkeys(["duration_s", "load_s", "attach_s", "detach_s", "decisions_per_s", "kernel_dispatches_per_s",
                         "nr_enqueued", "nr_sched_dispatches", "nr_heartbeats", "nr_wakeups_sent", "schedule_calls",
                         "restarts", "denied_syscalls", "worker_minor_faults", "worker_major_faults", "heap_bytes"], 0)
final = {"schema": "scxkit.run/1", "type": "final", "mode": "kernel", "policy": "fifo", "policy_path": "/scx/fifo.so",
         "exit": {"kind": "stall", "code": 1026, "reason": "runnable task stall", "message": "x[1] failed to run for 2s"},
         "counters": counters, "metrics": metrics, "host": {"kernel": "7.3.0", "user": "nobody"}}
run = lambda *docs: ["SCX-VM-JSON " + json.dumps(d) for d in docs]
ok = ["SCX-VM: BOOTED"] + run(stats, stats, final) + ["-- x"] + run(final)
open("good.console", "w").write("\n".join(ok) + "\n")
open("cut.console", "w").write("\n".join(ok + run(stats)) + "\n")
nohost = dict(final); del nohost["host"]
open("nohost.console", "w").write("\n".join(ok + run(nohost)) + "\n")
PY
expect_exit 0 python3 "$SRC/tests/vm/check_json.py" good.console
expect_in out "2 scxkit.run/1 final reports and 2 statistics lines"
expect_exit 1 python3 "$SRC/tests/vm/check_json.py" cut.console
expect_in out "console line 7: the run's lines do not end with its final report"
expect_exit 1 python3 "$SRC/tests/vm/check_json.py" nohost.console
expect_in out "console line 7: (top level): 'host' is a required property (scxkit.run/1)"
