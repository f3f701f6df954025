# A compile error yields exit 1, JSON diagnostics on the right line with the
# source line quoted, and no shared object (a stale one is removed).
. "$(dirname "$0")/lib.sh"

sed 's/d.slice_ns = slice_ns;/d.slice_ns = SLICE_TYPO;/' "$FIFO_CPP" > broken.cpp
line=$(grep -n 'SLICE_TYPO' broken.cpp | cut -d: -f1)
cp "$SCX_FIFO_SO" broken.so   # an older build: must not pass for this one

expect_exit 1 "$SCX_BUILD" --json broken.cpp -o broken.so
[ ! -e broken.so ] || fail "stale broken.so left behind"
[ "$(json_get out 'd["removed_stale"]')" = "True" ] || fail "removed_stale not reported"
[ "$(json_get out 'd["ok"]')" = "False" ] || fail "ok should be false"
[ "$(json_get out 'd["output"]')" = "None" ] || fail "output should be null"
[ "$(json_get out 'd["diagnostics"][0]["severity"]')" = "error" ] || fail "severity"
[ "$(json_get out 'd["diagnostics"][0]["file"]')" = "broken.cpp" ] || fail "file"
[ "$(json_get out 'd["diagnostics"][0]["line"]')" = "$line" ] || fail "line, expected $line"
json_get out 'd["diagnostics"][0]["source_line"]' | grep 'd.slice_ns = SLICE_TYPO;' >/dev/null || fail "source line not quoted"
json_get out 'd["diagnostics"][0]["message"]' | grep 'SLICE_TYPO' >/dev/null || fail "message"
expect_in err "was not written"

# Human mode: compiler-style text on stderr.
expect_exit 1 "$SCX_BUILD" broken.cpp -o broken.so
expect_in err "broken.cpp:"
expect_in err "error:"
expect_in err " | "
