#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Re-record the example answers in recorded/ (for maintainers).
#
# The answers in answers/*.md were written for this demo; no particular
# model produced them. This script serves them, in file-name order, from the
# local stand-in provider of the test suite (tests/support/llm/server.py,
# OpenAI wire format), runs the experiment loop against it with transcripts
# enabled, and keeps the transcripts as recorded/NN-*.json, which the replay
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
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

set --
for a in "$here"/answers/*.md; do
    set -- "$@" --answer "$a"
done
python3 "$root/tests/support/llm/server.py" --port-file "$work/port" --script ok "$@" 2>"$work/server.err" &
pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$work/port" ] || { cat "$work/server.err" >&2; exit 1; }

env -u ANTHROPIC_API_KEY -u OLLAMA_HOST -u SCX_ENDPOINT -u OPENAI_BASE_URL \
    SCX_PROVIDER=openai SCX_MODEL=example-answers OPENAI_API_KEY=not-a-real-key \
    OPENAI_BASE_URL="http://127.0.0.1:$(cat "$work/port")/v1" \
    "$here/experiment.sh" -o "$work/out" "$here/requirements.txt"

rm -rf "$here/recorded.new"
mkdir "$here/recorded.new"
n=0
for t in $(ls "$work"/out/round-*/transcripts/*.json | sort); do
    n=$((n + 1))
    cp "$t" "$here/recorded.new/$(printf '%02d' "$n")-$(basename "$(dirname "$(dirname "$t")")").json"
done
[ "$n" -gt 0 ] || { echo "record: no transcript was written" >&2; exit 1; }
cat > "$here/recorded.new/README" <<'EOF'
Recorded example answers
========================

The *.json files here are transcripts (scxkit.transcript/1) that the replay
provider of scx-generate serves, so that the experiment loop runs offline.

The answers in them were written by hand for this demo (see ../answers/):
no particular language model wrote them, and they make no claim about what
any model would answer. They were recorded by ../record.sh, which serves
them through the test suite's local stand-in for the OpenAI API; the model
name "example-answers" says so. The first answer deliberately contains a
compile error, and the second is its repair, so that the loop's repair path
runs offline too.
EOF
rm -rf "$here/recorded"
mv "$here/recorded.new" "$here/recorded"
echo "record: $n transcripts in $here/recorded" >&2
