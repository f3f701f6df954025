# Every scxkit.prompt/1, scxkit.generation/1 and scxkit.transcript/1 is
# valid against its schema: scx-prompt plain, with --fix, --feedback,
# --history and --system; scx-generate --json and --log against the local
# stand-in for each provider wire format, replayed, and when the call fails
# (no code in the reply, server errors, nothing listening, a missing
# prompt). The schema holds every transcript to its promise: the API key
# reads "[redacted]".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
D="$SRC/tests/cli/data"

expect_exit 0 "$SCX_PROMPT" -o plain.json "prefer tasks with short CPU bursts"
sed 's/d.slice_ns = slice_ns;/d.slice_ns = SLICE_TYPO;/' "$FIFO_CPP" > broken.cpp
expect_exit 1 "$SCX_BUILD" --json broken.cpp -o broken.so
cp out build.json
expect_exit 0 "$SCX_PROMPT" --fix build.json -o fix.json "prefer tasks with short CPU bursts"
expect_exit 0 "$SCX_RUN" --sim cpu:tasks=3,duration=20ms --cpus 2 --json "$SCX_FIFO_SO"
cp out run.json
expect_exit 0 "$SCX_PROMPT" -f run.json -f "$D/bench.json" --history "$D/history.jsonl" -o measured.json "keep latency low"
printf 'You write schedulers.\n' > system.txt
expect_exit 0 "$SCX_PROMPT" --system system.txt -b "$SRC/policies/vruntime.cpp" -o system.json "be fair"
[ "$(json_get fix.json 'd["metadata"]["fix"]["errors"]')" -ge 1 ] || fail "--fix not recorded"
[ "$(json_get measured.json 'len(d["metadata"]["feedback"])')" = 2 ] || fail "--feedback not recorded"
[ "$(json_get measured.json 'd["metadata"]["history"]["rounds"]')" = 3 ] || fail "--history not recorded"
validate plain.json fix.json measured.json system.json run.json

export OPENAI_API_KEY=sk-test-openai-0123456789 ANTHROPIC_API_KEY=sk-ant-test-0123456789
start_server ok,nocode,ok --require-key
expect_exit 0 "$SCX_GENERATE" -i plain.json -e "$URL/v1" --json --log logs -o openai.cpp
cp out gen-openai.json
expect_exit 65 "$SCX_GENERATE" -i plain.json -e "$URL/v1" --json --log faillogs -o nocode.cpp
cp out gen-nocode.json
[ "$(json_get gen-nocode.json 'd["reply_saved"] is not None')" = True ] || fail "the reply without code was not saved"
expect_exit 0 "$SCX_GENERATE" -i fix.json -p anthropic -e "$URL" --no-stream --json --log logs -o anthropic.cpp
cp out gen-anthropic.json
OLLAMA_HOST="127.0.0.1:$(cat "$T/port")" expect_exit 0 "$SCX_GENERATE" -i measured.json -p ollama -m qwen-test \
    --json --log logs -o ollama.cpp
cp out gen-ollama.json
start_server 500
expect_exit 75 "$SCX_GENERATE" -i plain.json -e "$URL/v1" --retries 1 --json --log faillogs -o p.cpp
cp out gen-500.json
stop_server
expect_exit 75 "$SCX_GENERATE" -i plain.json -e "http://127.0.0.1:1/v1" --retries 0 --json --log faillogs -o p.cpp
cp out gen-refused.json
expect_exit 66 "$SCX_GENERATE" -i missing.json --json -o p.cpp
cp out gen-missing.json
[ "$(ls logs | wc -l)" = 3 ] || fail "expected 3 transcripts of calls that worked, got: $(ls logs)"
[ "$(ls faillogs | wc -l)" = 3 ] || fail "expected 3 transcripts of calls that failed, got: $(ls faillogs)"
! grep -l 'sk-test-openai\|sk-ant-test' logs/* faillogs/* || fail "a transcript holds an API key"

# Replayed from the transcripts of the calls that worked, and logged again.
unset OPENAI_API_KEY ANTHROPIC_API_KEY
expect_exit 0 "$SCX_GENERATE" -i plain.json --replay logs --json --log relogs -o replayed.cpp
cp out gen-replay.json
[ "$(json_get gen-replay.json 'd["replayed_from"]["match"]')" = hash ] || fail "not replayed by hash"

validate gen-*.json logs/*.json faillogs/*.json relogs/*.json
