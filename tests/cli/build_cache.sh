# An unchanged source is served from the cache; any change rebuilds.
. "$(dirname "$0")/lib.sh"

cp "$FIFO_CPP" p.cpp
expect_exit 0 "$SCX_BUILD" --json p.cpp -o a.so
[ "$(json_get out 'd["cached"]')" = "False" ] || fail "first build cached"
hash=$(json_get out 'd["hash"]')

expect_exit 0 "$SCX_BUILD" --json p.cpp -o b.so
[ "$(json_get out 'd["cached"]')" = "True" ] || fail "second build not cached"
[ "$(json_get out 'd["hash"]')" = "$hash" ] || fail "hash changed"
cmp a.so b.so || fail "cached object differs"

# Same content under another name and through stdin: still a hit.
cp p.cpp q.cpp
expect_exit 0 "$SCX_BUILD" --json q.cpp -o c.so
[ "$(json_get out 'd["cached"]')" = "True" ] || fail "renamed source not cached"
expect_exit 0 "$SCX_BUILD" --json - -o d.so < p.cpp
[ "$(json_get out 'd["cached"]')" = "True" ] || fail "stdin source not cached"

echo "// a change" >> p.cpp
expect_exit 0 "$SCX_BUILD" --json p.cpp -o e.so
[ "$(json_get out 'd["cached"]')" = "False" ] || fail "changed source served from cache"

expect_exit 0 "$SCX_BUILD" --json -DSOMETHING=1 p.cpp -o f.so
[ "$(json_get out 'd["cached"]')" = "False" ] || fail "new flags served from cache"

expect_exit 0 "$SCX_BUILD" --json --no-cache p.cpp -o g.so
[ "$(json_get out 'd["cached"]')" = "False" ] || fail "--no-cache used the cache"

# A warning survives a cache hit, reported under the new name.
sed 's/const int cpu = /int unused_var = 0; const int cpu = /' "$FIFO_CPP" > w.cpp
expect_exit 0 "$SCX_BUILD" --json w.cpp -o w.so
[ "$(json_get out 'd["warnings"]')" = "1" ] || fail "warning not reported"
cp w.cpp w2.cpp
expect_exit 0 "$SCX_BUILD" --json w2.cpp -o w2.so
[ "$(json_get out 'd["cached"]')" = "True" ] || fail "warning build not cached"
[ "$(json_get out 'd["diagnostics"][0]["file"]')" = "w2.cpp" ] || fail "cached diagnostic file name"
