# A source with a Latin-1 byte that the compiler echoes in its diagnostics
# (a static_assert message, an #error line) still gets every diagnostic, with
# the byte replaced by U+FFFD and the locations kept - it used to lose them
# all to "compiler diagnostics: invalid JSON" (exit 65).
. "$(dirname "$0")/lib.sh"

{
    cat "$FIFO_CPP"
    printf 'static_assert(sizeof(int) == 3, "taille incorrecte: caf\xe9");\n'
    printf 'int typo = SLICE_TYPO;\n'
    printf '#error caf\xe9 cr\xe8me\n'
} > latin1.cpp
assert_line=$(grep -an 'static_assert(sizeof(int) == 3' latin1.cpp | cut -d: -f1)
typo_line=$(grep -an 'SLICE_TYPO' latin1.cpp | cut -d: -f1)
error_line=$(grep -an '^#error' latin1.cpp | cut -d: -f1)

expect_exit 1 "$SCX_BUILD" --json latin1.cpp -o latin1.so
validate --schema scxkit.build/1 out
[ "$(json_get out 'd["errors"]')" = 3 ] || fail "expected 3 errors"
# Each message, as the compiler wrote it but for the byte, on its own line.
have() {
    python3 - out "$1" "$2" <<'EOF' || fail "no diagnostic '$2' on line $1"
import json, sys
d = json.load(open(sys.argv[1]))
line, text = int(sys.argv[2]), sys.argv[3]
sys.exit(0 if any(x["line"] == line and text in x["message"] and x["file"] == "latin1.cpp"
                  for x in d["diagnostics"]) else 1)
EOF
}
have "$assert_line" "static assertion failed: taille incorrecte: caf�"
have "$typo_line" "SLICE_TYPO"
have "$error_line" "caf� cr�me"
# The quoted source line carries the byte replaced too.
json_get out '[x["source_line"] for x in d["diagnostics"] if x["line"] == '"$assert_line"'][0]' |
    grep -qF '"taille incorrecte: caf�"' || fail "source line not quoted"

# Text mode prints them all, and the summary counts them.
expect_exit 1 "$SCX_BUILD" latin1.cpp -o latin1.so
expect_in err "latin1.cpp:$typo_line:"
expect_in err "latin1.cpp:$error_line:"
expect_in err "latin1.cpp: 3 errors; latin1.so was not written"
expect_not_in err "invalid JSON"
