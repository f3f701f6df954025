# The pipeline of scx-prompt(1): requirement -> prompt -> generated source
# -> shared object that loads and runs; then the repair loop: a reply that
# does not compile, scx-prompt --fix, a corrected reply.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
start_server ok,broken,ok
export OPENAI_BASE_URL="$URL/v1" OPENAI_API_KEY=sk-test

"$SCX_PROMPT" "prefer tasks with short CPU bursts" | "$SCX_GENERATE" | "$SCX_BUILD" - -o p.so
expect_exit 0 "$SCX_RUN" --check --json p.so
[ "$(json_get out 'd["policy"]')" = short_bursts ] || fail "policy name"
[ "$(json_get out 'd["ok"]')" = True ] || fail "check failed"

# Round 2 gets a policy with a compile error; repair it with --fix.
"$SCX_PROMPT" "use shorter slices for short bursts" | "$SCX_GENERATE" -o round2.cpp
expect_exit 1 "$SCX_BUILD" --json round2.cpp -o round2.so
cp out build.json
"$SCX_PROMPT" --fix build.json "use shorter slices for short bursts" > repair.json
[ "$(json_get repair.json 'd["metadata"]["base"]["path"]')" = round2.cpp ] || fail "repair base"
json_get repair.json 'd["messages"][0]["content"]' | grep "SHORT_NS" >/dev/null || fail "error not quoted"
"$SCX_GENERATE" -i repair.json -o round2.cpp
expect_exit 0 "$SCX_BUILD" round2.cpp -o round2.so
expect_exit 0 "$SCX_RUN" --check round2.so
[ "$(requests)" = 3 ] || fail "expected 3 requests"
