# SPDX-License-Identifier: MIT
#
# man_examples.sh PAGE.scd [--keep DIR] - run the EXAMPLES of one man page
# (cli suite); --keep copies the directory they ran in to DIR afterwards,
# and writes the numbers of the examples left to the vm suite to DIR.vm.
#
# The examples run in order, each in a bash with -e and pipefail, in one
# fresh directory, as a reader would type them one after the other: a later
# example may use the files an earlier one made. The build tree's tools are
# first on PATH, and the installed paths the examples name are replaced by
# the build tree's (below). A language model is the local stand-in server
# (tests/support/llm/server.py), reached through the environment the pages
# document (OPENAI_BASE_URL, ANTHROPIC_BASE_URL, OLLAMA_HOST); it answers
# every request with a policy that builds. Examples that run a command with
# sudo need root and a sched_ext kernel: the vm suite runs those
# (tests/vm/scenarios/man_examples.sh), in a copy of the directory the
# others left here (run.sh uses --keep), so that they may use what the
# earlier examples made; here they are listed as such. Any example that
# fails fails the test. A page without examples fails too.
. "${SCX_SOURCE_ROOT:?run through meson test}/tests/cli/lib.sh"
. "$SRC/tests/cli/lib-llm.sh"

page=${1:?usage: man_examples.sh PAGE.scd [--keep DIR]}
keep=
[ "${2:-}" != --keep ] || keep=${3:?--keep needs a directory}
name=$(basename "$page" .scd)
build=${SCX_BUILD_ROOT:?}
tools=$(dirname "$SCX_RUN")

llm=no
if [ "${SCX_HAVE_LLM:-0}" = 1 ]; then
    start_server ok
    export OPENAI_BASE_URL="$URL/v1" ANTHROPIC_BASE_URL="$URL" OLLAMA_HOST="$URL"
    export OPENAI_API_KEY=sk-test ANTHROPIC_API_KEY=sk-test
    llm=yes
fi

# Installed locations as the pages name them (prefix /usr on Debian) ->
# this build. A local OpenAI-compatible server on port 8080 -> the stand-in.
# The seed experiment's size (24 groups, 2000 loops: tens of seconds a run)
# is scaled down here; the log shows each example as it ran.
maps=(
    --map /usr/share/scxkit/policies "$SRC/policies"
    --map /usr/lib/x86_64-linux-gnu/scxkit/policies "$build/policies"
    --map /usr/share/doc/scxkit/examples "$SRC/examples"
    --map /usr/share/scxkit/schemas "$SRC/libscx/schemas"
    --map http://127.0.0.1:8080 "${URL:-http://127.0.0.1:9}"
    --sub '-g 24 -l 2000\b' '-g 2 -l 100'
    --sub 'groups=24,loops=2000\b' 'groups=2,loops=100'
)
python3 "$SRC/tests/support/man_examples.py" "${maps[@]}" "$T/examples" "$page" > "$T/manifest"
[ -s "$T/manifest" ] || fail "$name has no examples (a fenced block under # EXAMPLES)"

# What an installed scxkit offers: the tools on PATH, libscx through
# pkg-config and the dynamic linker. On PATH each tool is a wrapper that
# notes an exit status of the usage/environment class (64-78: a wrong
# option, bad or missing input, an internal error): the example is wrong
# even where it goes on (a test in an if, a || fallback), while 1 (the thing
# failed: a build, a verdict) may be what it shows.
mkdir "$T/bin"
for exe in "$tools"/scx-*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    cat > "$T/bin/${exe##*/}" <<EOF
#!/bin/bash
"$exe" "\$@"
rc=\$?
[ \$rc -lt 64 ] || [ \$rc -gt 78 ] || echo "${exe##*/} exited \$rc" >> "$T/sysexits"
exit \$rc
EOF
    chmod 755 "$T/bin/${exe##*/}"
done
export PATH="$T/bin:$tools:$PATH"
export PKG_CONFIG_PATH="$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$build/libscx${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
unset MAKEFLAGS MFLAGS

mkdir "$T/work"
ran=0 vm=0 skipped=0 failed=0 skip_from=
while IFS=$'\t' read -r n kind file caption; do
    echo "=== $name example $n ($kind): $caption"
    sed 's/^/    /' "$file"
    # Without the llm feature, an example that calls a model (scx-generate
    # other than --replay, or a provider's settings) cannot run, nor can the
    # page's later examples, which may use what it would have made.
    if [ "$llm" = no ] && { [ -n "$skip_from" ] ||
            grep -qE 'OPENAI_|ANTHROPIC_|OLLAMA_HOST' "$file" ||
            { grep -q 'scx-generate' "$file" && ! grep -q -- '--replay' "$file"; }; }; then
        if [ -z "$skip_from" ]; then
            echo "--- SKIPPED: scxkit was built without the llm feature, and the example calls a model"
            skip_from=$n
        else
            echo "--- SKIPPED: it may need what example $skip_from (skipped: no llm feature) makes"
        fi
        skipped=$((skipped + 1))
        continue
    fi
    if [ "$kind" = kernel ]; then
        echo "--- not run here: needs root and a sched_ext kernel; the vm suite runs it (vm test man-examples)"
        echo "$n" >> "$T/vm-examples"
        vm=$((vm + 1))
        continue
    fi
    rc=0
    rm -f "$T/sysexits"
    case $kind in
    make) (cd "$T/work" && timeout 300 make -f "$file") 2> "$T/stderr" || rc=$? ;;
    *) (cd "$T/work" && timeout 300 bash -eo pipefail "$file" < /dev/null) 2> "$T/stderr" || rc=$? ;;
    esac
    cat "$T/stderr"
    if [ $rc -ne 0 ]; then
        echo "--- FAILED: exit status $rc"
        failed=$((failed + 1))
    elif [ -s "$T/sysexits" ] || grep -q "^Try 'scx-" "$T/stderr"; then
        echo "--- FAILED: a tool reported a usage or environment error"
        cat "$T/sysexits" 2> /dev/null || true
        failed=$((failed + 1))
    else
        echo "--- ok"
        ran=$((ran + 1))
    fi
done < "$T/manifest"

echo "$name: $ran ran, $failed failed, $vm left to the vm suite, $skipped skipped"
[ $failed -eq 0 ] || fail "$failed example(s) of $name failed"
if [ -n "$keep" ]; then
    mkdir -p "$keep"
    cp -a "$T/work/." "$keep/"
    touch "$T/vm-examples"
    cp "$T/vm-examples" "$keep.vm"
fi
