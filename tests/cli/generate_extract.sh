# Code extraction on real-looking replies: several fences (the one that
# registers a policy wins), no code at all (exit 65, the reply kept).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
export OPENAI_API_KEY=sk-test

start_server multi
expect_exit 0 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" --json -o p.cpp
expect_in p.cpp 'SCX_POLICY(HalfBurst, "half_burst")'
expect_not_in p.cpp 'scx-build half_burst.cpp'
[ "$(json_get out 'd["extraction"]')" = "{'method': 'fence', 'block': 2, 'blocks': 3}" ] || fail extraction
stop_server

start_server nocode
echo "// a good policy" > p.cpp
expect_exit 65 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" -o p.cpp --json --log logs
expect_in err "no plausible policy in the reply"
expect_in err "the reply was saved to"
saved=$(json_get out 'd["reply_saved"]')
[ -f "$saved" ] || fail "reply not saved at '$saved'"
expect_in "$saved" "Could you tell me more about your workload"
[ "$(json_get out 'd["ok"]')" = False ] || fail "ok should be false"
[ "$(json_get out 'd["error"]["exit_status"]')" = 65 ] || fail "error in JSON"
[ -f "$(json_get out 'd["transcript"]')" ] || fail "transcript not written"
[ "$(cat p.cpp)" = "// a good policy" ] || fail "p.cpp clobbered"
