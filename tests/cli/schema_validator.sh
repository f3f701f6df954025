# The validator behind the schema tests cannot pass silently: the schemas
# themselves are valid, real documents pass, and each violation planted in
# a copy of one fails with the file, the JSON pointer and what is wrong.
. "$(dirname "$0")/lib.sh"
V="$SRC/tests/support/validate_json.py"

expect_exit 0 python3 "$V" --check-schemas -v
n=$(find "$SRC/libscx/schemas" -name '*.schema.json' | wc -l)
[ "$n" -gt 0 ] || fail "no schema in $SRC/libscx/schemas"
expect_in out "$n schemas valid"

expect_exit 0 "$SCX_RUN" --sim cpu:tasks=2,duration=10ms --cpus 2 --json "$SCX_FIFO_SO"
cp out run.json
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=2,duration=10ms --cpus 2 --events ev.jsonl --json "$SCX_FIFO_SO"
expect_exit 0 "$SCX_BUILD" --json "$FIFO_CPP" -o fifo.so
cp out build.json
expect_exit 0 python3 "$V" -v run.json build.json
expect_in out "run.json: valid scxkit.run/1"
expect_exit 0 python3 "$V" --schema scxkit.events/1 ev.jsonl

# Violations planted in copies of real documents, one per file, all
# validated in one run: each file must be rejected with its own message.
# Columns: the file made, the document it copies, a Python statement on `d`,
# what the validator must say.
cat > cases.tsv <<'EOF'
kind.json	run.json	d["exit"]["kind"] = "boom"	kind.json: /exit/kind: 'boom' is not one of ['done', 'stall'
nometric.json	run.json	del d["metrics"]["makespan_s"]	nometric.json: /metrics: 'makespan_s' is a required property
text.json	run.json	d["metrics"]["speed"] = "fast"	text.json: /metrics/speed: 'fast' is not of type 'number'
negative.json	run.json	d["counters"]["nr_queued"] = -1	negative.json: /counters/nr_queued: -1 is less than the minimum of 0
extra.json	run.json	d["exit"]["why"] = "x"	extra.json: /exit: Additional properties are not allowed ('why' was unexpected)
noexit.json	run.json	del d["exit"]	noexit.json: (top level): 'exit' is a required property
major.json	run.json	d["schema"] = "scxkit.run/2"	major.json: unknown schema "scxkit.run/2"
noschema.json	run.json	del d["schema"]	noschema.json: no "schema" member
built.json	build.json	d["output"] = None	built.json: /output: None is not of type 'string'
leak.json	transcript.json	d["request"]["headers"]["Authorization"] = "Bearer sk-leaked"	leak.json: /request/headers/Authorization: '[redacted]' was expected
fly.json	workload.json	d["tasks"][0]["program"][0] = {"fly": 1}	fly.json: /tasks/0/program/0: {'fly': 1} is none of the forms allowed (One key naming the op
sleepitem.json	workload.json	d["tasks"][0]["program"][0] = {"sleep": "1ms", "item": True}	sleepitem.json: /tasks/0/program/0: {'sleep': '1ms', 'item': True} is none of the forms
fast.json	workload.json	d["tasks"][0]["program"][0] = {"run": "fast"}	fast.json: /tasks/0/program/0/run: 'fast' is none of the forms allowed (A duration
typo.json	workload.json	d["tasks"][0]["cont"] = 2	typo.json: /tasks/0: Additional properties are not allowed ('cont' was unexpected)
durration.json	workload.json	d["durration"] = "1s"	durration.json: (top level): Additional properties are not allowed ('durration' was unexpected)
verdict.json	experiment.json	d["rounds"][0]["verdict"] = "maybe"	verdict.json: /rounds/0/verdict: 'maybe' is not one of ['better', 'worse', '~', None]
EOF
printf '{"schema": "scxkit.transcript/1", "started_at": "2026-01-01T00:00:00.000Z", "provider": "openai",
 "model": "m", "url": "u", "request_hash": "%064d", "conversation": {"system": "", "messages": [{"role": "user", "content": "x"}]},
 "request": {"headers": {"Authorization": "[redacted]"}, "body": {}, "stream": false}, "attempts": [],
 "response": null, "usage": null, "timings": {"latency_s": null, "first_token_s": null}, "replayed_from": null}' 0 > transcript.json
printf '{"schema": "scxkit.workload/1", "tasks": [{"name": "t", "program": [{"run": "1ms", "item": true}]}]}' > workload.json
printf '{"schema": "scxkit.experiment/1", "metric": "m", "rounds": [{"round": 1, "requirement": "r", "outcome": "kept",
 "repairs": 0, "verdict": "~", "p_value": 0.5, "ratio": 1, "median": 1, "median_ci": null, "best_median": 1, "unit": "s"}]}' \
    > experiment.json
# Members the documents may gain in minor versions pass at the top level.
printf 'newer.json\trun.json\td["added_later"] = {"x": 1}\n' > newer.tsv
python3 - cases.tsv newer.tsv <<'PY'
import json, sys
for table in sys.argv[1:]:
    for line in open(table):
        made, source, statement = line.rstrip("\n").split("\t")[:3]
        d = json.load(open(source))
        exec(statement)
        json.dump(d, open(made, "w"))
PY
expect_exit 0 python3 "$V" transcript.json workload.json experiment.json newer.json
# shellcheck disable=SC2046
expect_exit 1 python3 "$V" $(cut -f1 cases.tsv)
while IFS=$'\t' read -r _ _ _ want; do
    expect_in out "$want"
done < cases.tsv
[ "$(cut -d: -f1 out | sort -u | wc -l)" = "$(wc -l < cases.tsv)" ] || fail "not every file was reported"

# JSON Lines: the line number; a stream must name its schema somewhere.
python3 - ev.jsonl <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
open("headless.jsonl", "w").write("\n".join(lines[1:]) + "\n")
lines[2] = lines[2].replace('"t":', '"t":"x","was_t":', 1)
open("badev.jsonl", "w").write("\n".join(lines) + "\n")
PY
printf '{"schema": "scxkit.run/1",' > broken.json
expect_exit 1 python3 "$V" badev.jsonl headless.jsonl broken.json
expect_in out "badev.jsonl:3: /t: 'x' is not of type 'integer' (scxkit.events/1)"
expect_in out 'headless.jsonl: no "schema" member on any line (give --schema)'
expect_in out "broken.json: not JSON"
expect_exit 1 python3 "$V" --schema scxkit.events/1 headless.jsonl badev.jsonl
[ "$(cat out)" = "badev.jsonl:3: /t: 'x' is not of type 'integer' (scxkit.events/1)" ] || fail "--schema: $(cat out)"

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
         "counters": counters, "metrics": metrics, "host": {"kernel": "7.3.0", "user": "nobody", "cpus": 2}}
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
