# Sourced (after lib.sh) by the tests of scx-prompt and scx-generate that
# talk to the local stand-in provider, tests/support/llm/server.py.

# Hermetic: nothing from the caller's environment chooses a provider or key.
unset OPENAI_API_KEY OPENAI_BASE_URL ANTHROPIC_API_KEY ANTHROPIC_BASE_URL OLLAMA_HOST \
      SCX_PROVIDER SCX_MODEL SCX_ENDPOINT SCX_API_KEY

SERVER="$SRC/tests/support/llm/server.py"
LLM_PID=
trap 'stop_server; rm -rf "$T"' EXIT

# stop_server: stop the stand-in started last (if any).
stop_server() {
    if [ -n "$LLM_PID" ]; then
        kill "$LLM_PID" 2>/dev/null || true
        wait "$LLM_PID" 2>/dev/null || true
        LLM_PID=
    fi
}

# need_llm: skip (77) when scxkit was built without libcurl.
need_llm() {
    [ "${SCX_HAVE_LLM:-0}" = 1 ] || { echo "built without the llm feature"; exit 77; }
}

# start_server SCRIPT [ARGS...]: start the stand-in with the behaviours in
# SCRIPT (see server.py); sets $URL (http://127.0.0.1:PORT) and logs each
# request as a JSON line in $T/requests.jsonl. One server per test.
start_server() {
    local script=$1; shift
    stop_server
    rm -f "$T/port" "$T/requests.jsonl"
    touch "$T/requests.jsonl"
    python3 "$SERVER" --port-file "$T/port" --log "$T/requests.jsonl" --script "$script" "$@" \
        2>"$T/server.err" &
    LLM_PID=$!
    local i
    for i in $(seq 200); do
        [ -s "$T/port" ] && break
        sleep 0.05
    done
    [ -s "$T/port" ] || { cat "$T/server.err"; fail "the stand-in server did not start"; }
    URL="http://127.0.0.1:$(cat "$T/port")"
}

# requests: how many requests the server received.
requests() { wc -l < "$T/requests.jsonl" | tr -d ' '; }

# request_get N EXPR: evaluate a Python expression on request N (1-based), `r`.
request_get() {
    python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2])-1]; print(eval(sys.argv[3]))' \
        "$T/requests.jsonl" "$1" "$2"
}

# A prompt for the tests.
make_prompt() {
    "$SCX_PROMPT" "prefer tasks with short CPU bursts" > "$T/prompt.json"
}
