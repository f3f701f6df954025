#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Re-record the example answers in recorded/ and recorded-k3/ (for
# maintainers).
#
# The answers in answers/*.md and answers-k3/*.md were written for this
# demo; no particular model produced them. This script serves them, in
# file-name order, from the
# local stand-in provider of the test suite (tests/support/llm/server.py,
# OpenAI wire format), runs the experiment loop against it with transcripts
# enabled (with --candidates 3 for answers-k3/), and keeps the transcripts
# as recorded/NN-*.json and recorded-k3/NN-*.json, which the replay
# provider serves offline. Run it after changing answers/, the policy API or
# the prompt, so that the recording's requests match the loop's again.
#
# Usage: SCX_BIN=build/tools examples/experiment/record.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${SCX_BIN:=$root/build/tools}"
export SCX_BIN

work=$(mktemp -d "${TMPDIR:-/tmp}/scx-record.XXXXXX")
pid=
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# record ANSWERS_DIR DEST [EXPERIMENT_OPTION...]: serve ANSWERS_DIR/*.md in
# file-name order from the stand-in, run the loop against it, keep the
# transcripts in call order as DEST/NN-round-RR[-cN].json.
record() {
    answers=$1 dest=$2
    shift 2
    loop_opts="$*"
    set --
    for a in "$answers"/*.md; do
        set -- "$@" --answer "$a"
    done
    rm -rf "$work/out" "$work/port"
    python3 "$root/tests/support/llm/server.py" --port-file "$work/port" --script ok "$@" 2>"$work/server.err" &
    pid=$!
    i=0
    while [ ! -s "$work/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    [ -s "$work/port" ] || { cat "$work/server.err" >&2; exit 1; }

    # shellcheck disable=SC2086
    env -u ANTHROPIC_API_KEY -u OLLAMA_HOST -u SCX_ENDPOINT -u OPENAI_BASE_URL \
        SCX_PROVIDER=openai SCX_MODEL=example-answers OPENAI_API_KEY=not-a-real-key \
        OPENAI_BASE_URL="http://127.0.0.1:$(cat "$work/port")/v1" \
        "$here/experiment.sh" -o "$work/out" $loop_opts "$here/requirements.txt"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true

    rm -rf "$dest.new"
    mkdir "$dest.new"
    n=0
    # Call order: round by round, candidate by candidate, then by time.
    for t in $(find "$work/out" -path '*/transcripts/*.json' | sort); do
        n=$((n + 1))
        where=${t#"$work/out/"}
        where=${where%%/transcripts/*}
        where=$(printf '%s' "$where" | sed 's|/cand-|-c|')
        cp "$t" "$dest.new/$(printf '%02d' "$n")-$where.json"
    done
    [ "$n" -gt 0 ] || { echo "record: no transcript was written" >&2; exit 1; }
    readme > "$dest.new/README"
    rm -rf "$dest"
    mv "$dest.new" "$dest"
    echo "record: $n transcripts in $dest" >&2
}

readme() {
    cat <<'EOF'
Recorded example answers
========================

The *.json files here are transcripts (scxkit.transcript/1) that the replay
provider of scx-generate serves, so that the experiment loop runs offline:
recorded/ for one candidate per round (from ../answers/), recorded-k3/ for
--candidates 3 (from ../answers-k3/).

The answers in them were written by hand for this demo: no particular
language model wrote them, and they make no claim about what any model
would answer. They were recorded by ../record.sh, which serves them
through the test suite's local stand-in for the OpenAI API; the model name
"example-answers" says so. In recorded/, the first answer deliberately
contains a compile error and the second is its repair, so that the loop's
build repair runs offline. In recorded-k3/, round 1's first candidate
builds but stalls at run time (it holds CPU hogs without telling the
runtime) and its runtime repair fixes that, and round 2's second candidate
has a compile error and a build repair, so that both kinds of repair run
offline with three candidates.
EOF
}

record "$here/answers" "$here/recorded"
record "$here/answers-k3" "$here/recorded-k3" --candidates 3
