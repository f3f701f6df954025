# The compiler's limits: past --compile-timeout or --compile-memory its
# whole process group is stopped and the build fails (exit 1) saying which
# limit; the default memory limit stops #include "/dev/zero" on its own; no
# process of the build and no temporary file survive; bad values are usage
# errors in the shared wording.
. "$(dirname "$0")/lib.sh"

mkdir tmp
mkfifo never.fifo
{ echo "#include \"$T/never.fifo\""; cat "$FIFO_CPP"; } > slow.cpp
{ echo '#include "/dev/zero"'; cat "$FIFO_CPP"; } > zero.cpp

survivors() { pgrep -f "$T/tmp/" || true; }
trap 'for p in $(survivors); do kill -KILL "$p" 2>/dev/null || true; done; rm -rf "$T"' EXIT

# Nothing of the build is left: no process, no temporary file, no output.
nothing_left() {
    for _ in $(seq 50); do [ -z "$(survivors)" ] && break; sleep 0.1; done
    [ -z "$(survivors)" ] || fail "$1: a compiler process of the build survived it"
    [ -z "$(ls -A tmp)" ] || { ls -lA tmp; fail "$1: temporary files left in TMPDIR"; }
    [ ! -e "$2" ] || fail "$1: $2 written"
}

# The time limit. The compiler waits for ever on the FIFO.
start=$(date +%s)
TMPDIR="$T/tmp" expect_exit 1 "$SCX_BUILD" --compile-timeout 1s slow.cpp -o slow.so
expect_in err "scx-build: error: slow.cpp: the compiler was stopped after 1 s (--compile-timeout); slow.so was not written"
[ "$(grep -c 'compile-timeout' err)" = 1 ] || fail "the stop is said more than once"
[ $(($(date +%s) - start)) -lt 60 ] || fail "a 1 s limit took more than a minute to stop the compiler"
nothing_left "--compile-timeout" slow.so
# The build document carries it as an error without a location, which
# scx-prompt --fix quotes.
TMPDIR="$T/tmp" expect_exit 1 "$SCX_BUILD" --json --compile-timeout 1 slow.cpp -o slow.so
validate --schema scxkit.build/1 out
[ "$(json_get out 'd["ok"]')" = False ] || fail "ok"
[ "$(json_get out 'd["diagnostics"][-1]["message"]')" = "the compiler was stopped after 1 s (--compile-timeout)" ] ||
    fail "the stop is not the last diagnostic"
"$SCX_PROMPT" --fix out --base slow.cpp --text > fix.txt
expect_in fix.txt "the compiler was stopped after 1 s (--compile-timeout)"
nothing_left "--compile-timeout --json" slow.so

# The default memory limit stops #include "/dev/zero" by itself, at about
# half of it resident (the front end doubles its buffer). A safety net three
# times as high keeps a broken limit from taking the machine; the peak
# resident size of the compiler tells which limit stopped it.
rss_kib=$(TMPDIR="$T/tmp" python3 - "$SCX_BUILD" zero.cpp -o zero.so 2>err <<'EOF'
import resource, subprocess, sys
resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
rc = subprocess.run(sys.argv[1:]).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
)
read -r rc rss_kib <<<"$rss_kib"
[ "$rc" = 1 ] || { cat err; fail "#include \"/dev/zero\": exit status $rc, expected 1"; }
expect_in err "the compiler ran out of memory at its limit of 2 GiB (--compile-memory)"
expect_in err "zero.so was not written"
echo "#include \"/dev/zero\" under the default limit: peak resident size $((rss_kib / 1024)) MiB"
[ "$rss_kib" -lt $((1536 * 1024)) ] || fail "the compiler reached $((rss_kib / 1024)) MiB under a 2 GiB limit"
nothing_left "#include \"/dev/zero\"" zero.so

TMPDIR="$T/tmp" expect_exit 1 "$SCX_BUILD" --json --compile-memory 256M zero.cpp -o zero.so
json_get out 'd["diagnostics"][-1]["message"]' | grep -qF "the compiler ran out of memory at its limit of 256 MiB (--compile-memory)" ||
    fail "the memory stop is not the last diagnostic"
nothing_left "--compile-memory 256M" zero.so

# Limits that leave room do not get in the way, and 0 turns them off.
TMPDIR="$T/tmp" expect_exit 0 "$SCX_BUILD" --no-cache --compile-memory 512M --compile-timeout 0 "$FIFO_CPP" -o fifo.so
TMPDIR="$T/tmp" expect_exit 0 "$SCX_BUILD" --no-cache --compile-memory 0 --compile-timeout 10m "$FIFO_CPP" -o fifo.so
[ -z "$(ls -A tmp)" ] || fail "a successful build left temporary files"

# Bad values: the wording every tool shares.
expect_exit 64 "$SCX_BUILD" --compile-timeout soon "$FIFO_CPP" -o x.so
expect_in err "invalid duration 'soon' for --compile-timeout (examples: 10s, 250ms, 1.5, 2m)"
expect_exit 64 "$SCX_BUILD" --compile-timeout 500ms "$FIFO_CPP" -o x.so
expect_in err "--compile-timeout must be 0 (no limit) or at least 1s"
expect_exit 64 "$SCX_BUILD" --compile-memory lots "$FIFO_CPP" -o x.so
expect_in err "invalid size 'lots' for --compile-memory (examples: 512M, 4G)"
expect_exit 64 "$SCX_BUILD" --compile-memory 1M "$FIFO_CPP" -o x.so
expect_in err "--compile-memory must be 0 (no limit) or at least 64M"
expect_in err "Try 'scx-build --help'."
