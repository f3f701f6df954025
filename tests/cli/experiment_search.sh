# The experiment loop as a search, offline: three candidates per round from
# the recorded example answers (recorded-k3/), a candidate that stalls at
# run time and is repaired from the failure (runtime repair), one that does
# not compile and is repaired (build repair), screening, and the cost of
# every model call in the history and the summary. Then a runtime repair
# and candidates' seeds and temperatures on a live wire protocol (the local
# stand-in for OpenAI), and the options' refusals.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
export SCX_BIN
SCX_BIN=$(dirname "$SCX_RUN")
X="$SRC/examples/experiment"

# The recording's own settings (default runs), so that every request is the
# recorded one, later rounds' measurements included.
expect_exit 0 "$X/experiment.sh" -o exp --candidates 3
E=exp
expect_in err "provider: recorded example answers ($X/recorded-k3)"
expect_in err "round 1: candidate 1: fork failed at run time (stall: runnable task stall), runtime repair 1 of 2"
expect_in err "round 2: candidate 2: build failed, repair 1 of 2"
expect_in err "round 1: screened candidates 1 2 3 (3 runs each): candidate "
# Every recorded answer matches its request exactly: re-record
# (examples/experiment/record.sh) after a change to the prompt or the loop.
grep -h "replaying a recorded answer" $E/round-0*/cand-*/log.txt > replayed
[ "$(wc -l < replayed)" = 11 ] || fail "expected 11 model calls, got $(wc -l < replayed)"
if grep -v "matched by hash" replayed >&2; then
    fail "a recorded answer no longer matches its request; run examples/experiment/record.sh"
fi

# The runtime repair: the stalled run, its last events, the prompt that
# quotes them, the failed source kept, and the repaired candidate valid.
C=$E/round-01/cand-1
[ "$(json_get $C/run-0.json 'd["exit"]["kind"]')" = stall ] || fail "run-0.json should be the stall"
[ -s $C/run-0.events.jsonl ] || fail "no events of the stalled run"
[ "$(json_get $C/repair-1.prompt.json 'd["metadata"]["fix"]["kind"]')" = run ] || fail "repair-1 is not a runtime repair"
json_get $C/repair-1.prompt.json 'd["messages"][-1]["content"]' > rp.txt
expect_in rp.txt "## Run-time failure of the current policy"
expect_in rp.txt "Exit kind: stall"
expect_in rp.txt "Workload: fork ("
expect_in rp.txt "The last scheduling events before the failure"
expect_in rp.txt "## Requirement"
expect_in $C/policy-0.cpp "held_.clear();"
expect_in $C/policy.cpp "ctx.set_pending(held_.size());"
for w in messaging cpu latency interactive fork; do
    [ "$(json_get $C/validate-$w.json 'd["exit"]["kind"]')" = done ] || fail "the repaired candidate failed $w"
done
# The build repair of round 2, candidate 2.
[ "$(json_get $E/round-02/cand-2/build-0.json 'd["ok"]')" = False ] || fail "round 2 candidate 2 should not build"
[ "$(json_get $E/round-02/cand-2/repair-1.prompt.json 'd["metadata"]["fix"]["kind"]')" = build ] || fail "build repair kind"

# Each round: the screening of the valid candidates, the chosen one's
# source and object in the round's directory, its bench.
for r in 1 2 3; do
    R=$E/round-0$r
    [ "$(json_get $R/screen.json 'd["schema"]')" = scxkit.bench/1 ] || fail "round $r screen"
    [ "$(json_get $R/screen.json 'd["runs"]')" = 3 ] || fail "round $r screen runs"
    pick=$(cat $R/candidate)
    cmp $R/policy.cpp $R/cand-$pick/policy.cpp || fail "round $r: policy.cpp is not candidate $pick's"
    cmp $R/round-0$r.so $R/cand-$pick/round-0$r-c$pick.so || fail "round $r: the object is not candidate $pick's"
    [ "$(json_get $R/bench.json 'd["runs"]')" = 8 ] || fail "round $r bench runs"
    # The candidates asked with their own seeds and temperatures.
    for n in 1 2 3; do
        [ "$(json_get $R/cand-$n/round.generation.json 'd["provider"]')" = replay ] || fail "round $r candidate $n not replayed"
    done
done

# History and summary: repairs of both kinds, candidates, the choice, the
# cost; the totals are the sums; the summary's picks are the screens'.
python3 - "$E" <<'PY' || fail "history or summary is wrong"
import json, sys, glob
e = sys.argv[1]
hist = [json.loads(l) for l in open(f"{e}/history.jsonl")]
summ = json.load(open(f"{e}/summary.json"))
assert [h["runtime_repairs"] for h in hist] == [1, 0, 0], hist
assert [h["build_repairs"] for h in hist] == [0, 1, 0], hist
assert all(h["repairs"] == h["build_repairs"] + h["runtime_repairs"] for h in hist)
for h, s in zip(hist, summ["rounds"]):
    assert len(h["candidates"]) == 3 and all(c["outcome"] == "valid" for c in h["candidates"]), h
    assert s["chosen"] == h["chosen"] == int(open(f"{e}/round-%02d/candidate" % h["round"]).read())
    screen = json.load(open(f"{e}/round-%02d/screen.json" % h["round"]))
    med = {r["subject"]: r["median"] for r in screen["results"]}
    for c in s["candidates"]:
        assert c["screen_median"] == med["round-%02d-c%d" % (h["round"], c["candidate"])]
    best = min if screen["metric"]["better"] == "lower" else max
    assert med["round-%02d-c%d" % (h["round"], s["chosen"])] == best(med.values())
    c = h["cost"]
    gens = [json.load(open(g)) for g in glob.glob(f"{e}/round-%02d/**/*.generation.json" % h["round"], recursive=True)]
    assert c["requests"] == len(gens) == sum(g["attempts"] for g in gens), (c, len(gens))
    assert c["input_tokens"] == sum(g["usage"]["input_tokens"] for g in gens) > 0
    assert c["output_tokens"] == sum(g["usage"]["output_tokens"] for g in gens) > 0
    assert c["cost_usd"] is None          # no price configured: unknown, not invented
    assert 0 <= c["loop_s"] <= c["wall_s"] and abs(c["wall_s"] - c["loop_s"] - c["model_s"]) < 0.01
    assert s["cost"] == c and s["build_repairs"] == h["build_repairs"]
t = summ["total"]
assert t["rounds"] == 3 and t["candidates"] == 9 and t["runtime_repairs"] == 1 and t["build_repairs"] == 1
assert t["cost"]["requests"] == 11 == sum(h["cost"]["requests"] for h in hist)
assert t["cost"]["input_tokens"] == sum(h["cost"]["input_tokens"] for h in hist)
assert t["cost"]["cost_usd"] is None
assert abs(t["cost"]["wall_s"] - sum(h["cost"]["wall_s"] for h in hist)) < 0.01
PY
# shellcheck disable=SC2046
validate $(find $E -name '*.json' -not -path '*/.cache/*') $E/history.jsonl "$X"/recorded-k3/*.json
expect_in $E/summary.txt "repairs"
expect_in $E/summary.txt "Cost: the model"
grep -E '^total +11 ' $E/summary.txt >/dev/null || fail "no total line in the cost table"
grep -E '^1 +[a-z_]+ .* 0\+1 +[123]/3 ' $E/summary.txt >/dev/null || fail "round 1's repairs and choice in the table"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' $E/metric.svg || fail "metric.svg is not XML"
expect_in $E/metric.svg "runtime repair(s)</title>r1</text>"
expect_in $E/metric.svg "build repair(s)</title>b1</text>"
# Cost is left out of the prompts: the history the model reads has no wall times.
json_get $E/round-03/prompt.json 'd["messages"][-1]["content"]' > p3.txt
expect_in p3.txt "round 1: prefer tasks with short CPU bursts"
expect_not_in p3.txt "wall_s"

# No runtime repairs: the stalling candidate is given up; the others go on.
expect_exit 0 "$X/experiment.sh" -o exp0 -n 1 --candidates 3 --runtime-repairs 0 --screen-runs 2 -r 3
expect_in err "round 1: candidate 1: invalid:fork:stall"
[ ! -e exp0/round-01/cand-1/repair-1.prompt.json ] || fail "a runtime repair with --runtime-repairs 0"
[ "$(json_get exp0/summary.json 'd["rounds"][0]["candidates"][0]["outcome"]')" = invalid:fork:stall ] || fail "candidate outcome"

# A tuning pass before the round asks for code: the base (fifo) declares
# slice_ns; scx-tune's values become the bench's reference "best:slice_ns=...".
expect_exit 0 "$X/experiment.sh" -o tuned -n 1 --tune --tune-budget 12 -r 4
expect_in err "round 1: tuned the best policy: slice_ns="
[ "$(json_get tuned/round-01/tune.json 'd["schema"]')" = scxkit.tune/1 ] || fail "tune.json schema"
grep -q '^slice_ns=[0-9]' tuned/round-01/params || fail "no tuned slice_ns in round-01/params"
[ "$(json_get tuned/round-01/bench.json 'any(r["subject"].startswith("best:slice_ns=") for r in d["results"])')" = True ] ||
    fail "the bench's reference is not the tuned best policy"

# Bad values.
for bad in "--candidates 0" "--candidates 17" "--candidates x" "--runtime-repairs -1" "--screen-runs 0" "--tune-budget 0"; do
    # shellcheck disable=SC2086
    expect_exit 64 "$X/experiment.sh" -o bad $bad
done

# A live wire: a runtime repair, the failure in the request; then two
# candidates, each with its own seed and temperature in the request body.
need_llm
K3=$X/answers-k3
start_server ok --answer "$K3/01-r1-c1-hold-hogs.md" --answer "$K3/02-r1-c1-hold-hogs-runtime-repair.md"
OPENAI_BASE_URL="$URL/v1" OPENAI_API_KEY=test-key SCX_MODEL=stand-in \
    expect_exit 0 "$X/experiment.sh" -o live -n 1 -r 3
[ "$(requests)" = 2 ] || fail "expected a generation and a runtime repair, got $(requests) requests"
request_get 2 'r["body"]["messages"][-1]["content"]' > wire.txt
expect_in wire.txt "## Run-time failure of the current policy"
expect_in wire.txt "Exit kind: stall"
[ "$(request_get 1 '"seed" in r["body"] or "temperature" in r["body"]')" = False ] || fail "one candidate: no sampling options"
[ "$(json_get live/history.jsonl 'd["runtime_repairs"]')" = 1 ] || fail "live: runtime repairs"
[ "$(json_get live/round-01/validate-cpu.json 'd["exit"]["kind"]')" = done ] || fail "live: the repair should pass"

start_server ok --answer "$X/answers/02-short-bursts-repair.md"
OPENAI_BASE_URL="$URL/v1" OPENAI_API_KEY=test-key SCX_MODEL=stand-in \
    expect_exit 0 "$X/experiment.sh" -o live2 -n 1 -r 3 --candidates 2 --screen-runs 2
[ "$(requests)" = 2 ] || fail "expected two candidates, got $(requests) requests"
[ "$(request_get 1 'r["body"]["seed"]')" = 101 ] || fail "candidate 1 seed"
[ "$(request_get 2 'r["body"]["seed"]')" = 102 ] || fail "candidate 2 seed"
[ "$(request_get 1 'r["body"]["temperature"]')" = 0.2 ] || fail "candidate 1 temperature"
[ "$(request_get 2 'r["body"]["temperature"]')" = 0.5 ] || fail "candidate 2 temperature"
