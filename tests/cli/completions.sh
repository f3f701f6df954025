# Every completion file parses, and completes every long option that the
# tool's --help lists.
. "$(dirname "$0")/lib.sh"
C="$SRC/completions"

for var in SCX_BUILD SCX_RUN SCX_PROMPT SCX_GENERATE SCX_BENCH SCX_MESSAGING SCX_VM SCX_WORKLOAD SCX_TUNE; do
    tool=${!var:-}
    [ -n "$tool" ] || continue
    name=$(basename "$tool")
    for f in "$C/bash/$name" "$C/zsh/_$name" "$C/fish/$name.fish"; do
        [ -f "$f" ] || fail "missing completion file $f"
    done
    bash -n "$C/bash/$name" || fail "bash completion for $name does not parse"
    zsh -n "$C/zsh/_$name" || fail "zsh completion for $name does not parse"
    fish -n "$C/fish/$name.fish" || fail "fish completion for $name does not parse"

    # The bash completion really loads and registers itself.
    bash -c ". '$C/bash/$name' && complete -p $name" >/dev/null || fail "bash completion for $name not registered"

    "$tool" --help > help.txt
    for opt in $(grep -oE -- '--[a-z][a-z0-9_-]*' help.txt | sort -u); do
        grep -qF -- "$opt" "$C/bash/$name" || fail "bash completion for $name lacks $opt"
        grep -qE -- "(^|[^a-z_-])$opt([^a-z_-]|$)" "$C/zsh/_$name" || fail "zsh completion for $name lacks $opt"
        grep -qE -- "-l ${opt#--}( |$)" "$C/fish/$name.fish" || fail "fish completion for $name lacks $opt"
    done
done
