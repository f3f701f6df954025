# Progress goes to stderr only when it is a terminal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
command -v script >/dev/null || { echo "no script(1)"; exit 77; }
make_prompt
start_server ok
export OPENAI_API_KEY=sk-test

# Not a terminal: no progress line.
expect_exit 0 "$SCX_GENERATE" -i prompt.json -e "$URL/v1" -o p.cpp
expect_not_in err "receiving"
[ ! -s err ] || fail "unexpected stderr: $(cat err)"

# A terminal (script(1) gives the command a pseudo-terminal).
script -qec "'$SCX_GENERATE' -i prompt.json -e '$URL/v1' -o p2.cpp" /dev/null > tty.out
expect_in tty.out "scx-generate: receiving: ~"
expect_in tty.out " tokens, "
cmp -s p.cpp p2.cpp || fail "different code on a terminal"
