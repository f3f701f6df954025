# --plot writes a standalone SVG that is well-formed XML, with one row per
# subject; written atomically next to the other outputs.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_BENCH" -r 5 -w 0 --plot 'plot.svg' -o b.json default -- sh -c 'echo "<&>"'
[ -s plot.svg ] || fail "no plot"
xmllint --noout plot.svg || fail "plot.svg is not well-formed XML"
python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); assert d.documentElement.tagName == "svg"' plot.svg ||
    fail "plot.svg does not parse as SVG"
expect_in plot.svg 'xmlns="http://www.w3.org/2000/svg"'
expect_in plot.svg '>default</text>'
[ "$(grep -c '<circle' plot.svg)" = 5 ] || fail "one dot per run expected"
ls -a | grep '\.tmp-' >/dev/null && fail "temporary file left behind"

# --plot - puts the SVG alone on standard output (no table after it); --json
# and -o - together print the document once.
expect_exit 0 "$SCX_BENCH" -r 2 -w 0 --plot - -o b2.json default -- true
xmllint --noout out || fail "--plot - did not write only the SVG to stdout"
[ "$(json_get b2.json 'd["runs"]')" = 2 ] || fail "-o beside --plot -"
expect_exit 0 "$SCX_BENCH" -r 2 -w 0 --json -o - default -- true
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' out || fail "--json -o -: not one JSON document"
true
