# Every tool has a man page that documents every long option its --help
# lists, and an EXIT STATUS section; every page renders cleanly.
. "$(dirname "$0")/lib.sh"

for var in SCX_BUILD SCX_RUN SCX_PROMPT SCX_GENERATE SCX_BENCH SCX_MESSAGING SCX_VM SCX_WORKLOAD SCX_TUNE; do
    tool=${!var:-}
    [ -n "$tool" ] || continue
    name=$(basename "$tool")
    page="$SRC/man/$name.1.scd"
    [ -f "$page" ] || fail "missing man page $page"
    expect_in "$page" "# EXIT STATUS"
    expect_in "$page" "# EXAMPLES"
    "$tool" --help > help.txt
    for opt in $(grep -oE -- '--[a-z][a-z0-9_-]*' help.txt | sort -u); do
        grep -qE -- "(\*|, )$opt(\*| |=|$)" "$page" || fail "$name(1) does not document $opt"
    done
done

# Every page renders without a complaint from scdoc or groff, and every
# scxkit page it refers to exists. scripts/setup.sh installs groff-base.
command -v groff > /dev/null || { echo "groff is not installed (scripts/setup.sh installs groff-base)"; exit 77; }
for page in "$SRC"/man/*.scd; do
    name=$(basename "$page" .scd)
    scdoc < "$page" > page.roff 2> render.err || { cat render.err; fail "scdoc refuses $name"; }
    [ ! -s render.err ] || { cat render.err; fail "scdoc complains about $name"; }
    preconv -e utf-8 page.roff | groff -man -Tutf8 -ww -z 2> render.err
    [ ! -s render.err ] || { cat render.err; fail "groff warns about $name"; }
    for ref in $(grep -oE '\*(scx[a-z-]*|libscx)\*\([0-9]\)' "$page" | tr -d '*' | sort -u); do
        target=${ref%(*}.${ref#*(}
        [ -f "$SRC/man/${target%)}.scd" ] || fail "$name refers to $ref, which is not in man/"
    done
done
