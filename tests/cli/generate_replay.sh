# A live session recorded with --log is replayed offline: matched by the
# request's hash, else in recorded order across separate calls; stderr says
# the answer is replayed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
export OPENAI_API_KEY=sk-test
"$SCX_PROMPT" "prefer short bursts" > p1.json
"$SCX_PROMPT" "maximise throughput" > p2.json
"$SCX_PROMPT" "something never recorded" > p3.json

if [ "${SCX_HAVE_LLM:-0}" = 1 ]; then
    start_server ok,multi
    "$SCX_GENERATE" -i p1.json -e "$URL/v1" --log rec > /dev/null
    "$SCX_GENERATE" -i p2.json -e "$URL/v1" --log rec > /dev/null
    stop_server
else
    mkdir rec # without libcurl: record by hand in the same format
    for i in 1 2; do
        python3 - "p$i.json" "rec/2026010${i}T000000Z-1-0-openai.json" "$SRC/tests/support/llm/$([ $i = 1 ] && echo answer || echo multi).md" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
t = {"schema": "scxkit.transcript/1", "provider": "openai", "model": "gpt-4o",
     "conversation": {"system": p["system"], "messages": p["messages"]},
     "response": {"text": open(sys.argv[3]).read(), "finish_reason": "stop", "truncated": False, "model": "gpt-4o"},
     "usage": {"input_tokens": 10, "output_tokens": 20}}
json.dump(t, open(sys.argv[2], "w"))
PY
    done
fi
[ "$(ls rec | wc -l)" = 2 ] || fail "expected two transcripts"

# By hash, in any order.
expect_exit 0 "$SCX_GENERATE" -i p2.json --replay rec --json
expect_in err "replaying a recorded answer, no model was called"
expect_in err "matched by hash"
[ "$(json_get out 'd["provider"]')" = replay ] || fail provider
[ "$(json_get out 'd["replayed_from"]["match"]')" = hash ] || fail match
json_get out 'd["code"]' | grep HalfBurst >/dev/null || fail "wrong answer for p2"
expect_exit 0 "$SCX_GENERATE" -i p1.json -p replay --replay rec
expect_in out ShortBursts

# No match: sequence from the start, across separate calls, then used up.
rm -rf "$XDG_CACHE_HOME/scxkit/replay"
expect_exit 0 "$SCX_GENERATE" -i p3.json --replay rec
expect_in err "matched by sequence"
expect_in out ShortBursts
expect_exit 0 "$SCX_GENERATE" -i p3.json --replay rec
expect_in out HalfBurst
expect_exit 69 "$SCX_GENERATE" -i p3.json --replay rec
expect_in err "have been served"

# One transcript file is always served.
one=$(ls rec/*.json | head -1)
expect_exit 0 "$SCX_GENERATE" -i p3.json --replay "$one"
expect_in out ShortBursts

# A replayed call can be logged and replayed again.
expect_exit 0 "$SCX_GENERATE" -i p1.json --replay "$one" --log rec2
expect_exit 0 "$SCX_GENERATE" -i p1.json --replay rec2
expect_in out ShortBursts

expect_exit 66 "$SCX_GENERATE" -i p1.json --replay missing-dir
echo '{"schema": "scxkit.transcript/1", "conversation": {"system": "", "messages": []}, "response": null}' > failed.json
expect_exit 65 "$SCX_GENERATE" -i p1.json --replay failed.json
expect_in err "has no reply"
