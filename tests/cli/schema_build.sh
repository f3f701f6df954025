# Every scxkit.build/1 and scxkit.check/1 that scx-build and scx-run --check
# write is valid against its schema: a build, a cache hit, standard input,
# a compile error with notes and a warning that removes an older object, a
# source without a policy, a missing source; a policy that dispatches and one that does not.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_BUILD" --json "$FIFO_CPP" -o fifo.so
cp out built.json
expect_exit 0 "$SCX_BUILD" --json "$FIFO_CPP" -o fifo.so
cp out cached.json
[ "$(json_get cached.json 'd["cached"]')" = True ] || fail "the second build was not a cache hit"
expect_exit 0 "$SCX_BUILD" --json - -o stdin.so < "$FIFO_CPP"
cp out stdin.json

# A warning and an error with notes (a call that matches no overload).
sed -e 's/d.slice_ns = slice_ns;/d.slice_ns = SLICE_TYPO; int unused_here = 0;/' \
    -e 's/^};/void f(int); void f(const char *); void g() { f(1.5, 2); }\n};/' "$FIFO_CPP" > broken.cpp
cp fifo.so broken.so # an older object, removed by the failed build
expect_exit 1 "$SCX_BUILD" --json broken.cpp -o broken.so
cp out broken.json
python3 - broken.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["removed_stale"] is True, "the older object was not removed"
assert d["errors"] >= 2 and d["warnings"] >= 1, (d["errors"], d["warnings"])
assert any(x["notes"] for x in d["diagnostics"]), "no diagnostic with notes"
assert any(x.get("option") for x in d["diagnostics"]), "no diagnostic with its warning flag"
PY

printf 'int x;\n' > nopolicy.cpp
expect_exit 65 "$SCX_BUILD" --json nopolicy.cpp -o nopolicy.so
cp out nopolicy.json
expect_in nopolicy.json '"error"'
expect_exit 66 "$SCX_BUILD" --json missing.cpp -o missing.so
cp out missing.json
validate built.json cached.json stdin.json broken.json nopolicy.json missing.json

expect_exit 0 "$SCX_RUN" --check --json fifo.so
cp out check.json
expect_exit 1 "$SCX_RUN" --check --json "$SCX_TEST_POLICIES/never_dispatch.so"
cp out check-fails.json
[ "$(json_get check-fails.json 'd["ok"]')" = False ] || fail "never_dispatch passed the check"
validate check.json check-fails.json
