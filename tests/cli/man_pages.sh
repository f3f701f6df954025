# Every tool has a man page that documents every long option its --help
# lists, and an EXIT STATUS section.
. "$(dirname "$0")/lib.sh"

for var in SCX_BUILD SCX_RUN SCX_PROMPT SCX_GENERATE SCX_BENCH SCX_MESSAGING; do
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
