# SPDX-License-Identifier: MIT
# Sourced by every cli test: strict mode, a private work directory and cache,
# and small assertion helpers. Tool paths come from Meson as $SCX_BUILD etc.
set -euo pipefail

T=$(mktemp -d "${TMPDIR:-/tmp}/scx-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME="$T/cache"
export XDG_CONFIG_HOME="$T/config"
cd "$T"

SRC=${SCX_SOURCE_ROOT:?run through meson test}
FIFO_CPP="$SRC/policies/fifo.cpp"

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE CMD...: run CMD, capture stdout/stderr in $T/out, $T/err.
expect_exit() {
    local want=$1; shift
    local got=0
    "$@" >"$T/out" 2>"$T/err" || got=$?
    if [ "$got" != "$want" ]; then
        echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"
        fail "'$*' exited $got, expected $want"
    fi
}

# expect_in FILE TEXT: FILE contains TEXT (fixed string).
expect_in() {
    grep -qF -- "$2" "$1" || { echo "--- $1"; cat "$1"; fail "'$2' not found in $1"; }
}

expect_not_in() {
    if grep -qF -- "$2" "$1"; then echo "--- $1"; cat "$1"; fail "'$2' unexpectedly in $1"; fi
}

# json_get FILE EXPR: evaluate a Python expression on the parsed document `d`.
json_get() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# validate [--schema ID] [--lines] FILE...: every document (or JSON Lines
# stream) is valid against its JSON Schema in libscx/schemas (scx-json(5));
# the validator names the file, the JSON pointer and what is wrong.
validate() {
    python3 "$SRC/tests/support/validate_json.py" "$@" >"$T/validate.out" 2>&1 ||
        { cat "$T/validate.out"; fail "not valid against its schema: $*"; }
}
