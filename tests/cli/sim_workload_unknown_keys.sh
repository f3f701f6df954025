# A misspelt key in a workload file is an error with its path and, when a
# known key is close, a "did you mean" - at every level - never a workload
# that silently does no work, as 'messaging:grups=2' is refused already.
. "$(dirname "$0")/lib.sh"

# w FILE JSON-TASKS [TOP-LEVEL MEMBERS]: write a workload file.
w() { printf '{"schema": "scxkit.workload/1", %s "tasks": %s}\n' "${3:-}" "$2" > "$1"; }
refused() {
    expect_exit 65 "$SCX_RUN" --sim "$1" --cpus 2 "$SCX_FIFO_SO"
    expect_in err "scx-run: error: $1: $2"
    [ ! -s out ] || fail "stdout must stay empty on errors"
}

w cout.json '[{"name": "hog", "cout": 4, "program": [{"run": "10ms", "item": true}]}]'
refused cout.json "tasks[0].cout: unknown key, did you mean 'count'?"
w durration.json '[{"name": "hog", "program": [{"loop": "forever", "do": [{"run": "1ms"}]}]}]' '"durration": "20ms",'
refused durration.json "durration: unknown key, did you mean 'duration'?"
w colour.json '[{"name": "hog", "colour": "red", "program": []}]'
refused colour.json "tasks[0].colour: unknown key (keys of a task: name, count, nice, weight, cpus, threads, start, daemon, program)"
w sise.json '[{"name": "t", "program": [{"send": "c"}]}]' '"channels": [{"name": "c", "kind": "pipe", "sise": 64}],'
refused sise.json "channels[0].sise: unknown key, did you mean 'size'?"
w itme.json '[{"name": "t", "program": [{"loop": 3, "do": [{"sleep": "1ms"}, {"run": "1ms", "itme": true}]}]}]'
refused itme.json "tasks[0].program[0].do[1].itme: unknown key in a 'run' op, did you mean 'item'?"
w sleepitem.json '[{"name": "t", "program": [{"sleep": "1ms", "item": true}]}]'
refused sleepitem.json "tasks[0].program[0].item: unknown key in a 'sleep' op (keys of a 'sleep' op: sleep)"
w rnu.json '[{"name": "t", "program": [{"rnu": "1ms"}]}]'
refused rnu.json "tasks[0].program[0]: unknown op 'rnu', did you mean 'run'?"
w two.json '[{"name": "t", "program": [{"run": "1ms", "sleep": "1ms"}]}]'
refused two.json "tasks[0].program[0]: one op per object: found 'run' and 'sleep'"
w expo.json '[{"name": "t", "program": [{"run": {"expo": "1ms"}}]}]'
refused expo.json "tasks[0].program[0].run.expo: unknown key, did you mean 'exp'?"
w both.json '[{"name": "t", "program": [{"run": {"exp": "1ms", "uniform": ["1ms", "2ms"]}}]}]'
refused both.json "tasks[0].program[0].run: a distribution is {\"uniform\": [min, max]} or {\"exp\": mean}"
w threads.json '[{"name": "t", "threads": "yes", "program": [{"run": "1ms"}]}]'
refused threads.json "tasks[0].threads: expected true or false"
w noexit.json '[{"name": "t", "program": [{"exit": false}]}]'
refused noexit.json "tasks[0].program[0].exit: expected true"

# The JSON Schema agrees: it refuses every one of them.
files="cout durration colour sise itme sleepitem rnu two expo both threads noexit"
# shellcheck disable=SC2046
expect_exit 1 python3 "$SRC/tests/support/validate_json.py" $(printf '%s.json ' $files)
for f in $files; do expect_in out "$f.json: "; done

# The files of the test suite and of scx-json(5) still run.
for f in "$SRC"/tests/cli/data/*.workload.json; do
    cp "$f" .
    expect_exit 0 "$SCX_RUN" --sim "$(basename "$f")" --cpus 3 "$SCX_FIFO_SO"
done
