# Every output is checked before the paid request: -o naming a directory or
# a path in a directory that does not exist, a --log directory that cannot
# be made, a closed standard output when the code or --json goes there. The
# stand-in server must see no request; a good file is never touched.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-llm.sh"
need_llm
make_prompt
export OPENAI_API_KEY=sk-test-output-0123456789
start_server ok
gen() { "$SCX_GENERATE" -i prompt.json -e "$URL/v1" "$@"; }

mkdir dir
expect_exit 74 gen -o dir
expect_in err "scx-generate: error: cannot write dir: Is a directory"
expect_exit 74 gen -o dir/ --json
expect_in err "cannot write dir/: Is a directory"
[ "$(json_get out 'd["error"]["exit_status"]')" = 74 ] || fail "--json error document"
expect_exit 74 gen -o no/such/dir/p.cpp
expect_in err "cannot write no/such/dir/p.cpp: No such file or directory"

touch afile
expect_exit 74 gen --log afile/logs -o p.cpp
expect_in err "scx-generate: error: transcripts (--log afile/logs): cannot create directory afile/logs: Not a directory"
expect_exit 74 gen --log afile -o p.cpp
expect_in err "transcripts (--log afile): cannot create directory afile: not a directory"
[ ! -e p.cpp ] || fail "p.cpp written"

expect_exit 74 sh -c "'$SCX_GENERATE' -i prompt.json -e '$URL/v1' >&-"
expect_in err "scx-generate: error: cannot write standard output: Bad file descriptor"
expect_exit 74 sh -c "'$SCX_GENERATE' -i prompt.json -e '$URL/v1' -o p.cpp --json >&-"
[ ! -e p.cpp ] || fail "p.cpp written"

if [ "$(id -u)" != 0 ]; then
    mkdir ro && chmod 555 ro
    expect_exit 74 gen -o ro/p.cpp
    expect_in err "cannot write ro/p.cpp: Permission denied"
fi
[ "$(requests)" = 0 ] || fail "$(requests) request(s) reached the server before the outputs were checked"
ls -A dir | grep . && fail "temporary files left in dir"

# With the code in a file, standard output is not needed; logs are made.
expect_exit 0 sh -c "'$SCX_GENERATE' -i prompt.json -e '$URL/v1' -o p.cpp --log logs >&-"
expect_in p.cpp "SCX_POLICY("
ls logs/*.json >/dev/null || fail "no transcript"
[ "$(requests)" = 1 ] || fail "expected one request"
