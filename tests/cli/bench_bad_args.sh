# Bad command lines: a clear message, exit status 64 (or 65/66 for bad or
# missing files), nothing run and nothing written.
. "$(dirname "$0")/lib.sh"

usage() { expect_exit 64 "$SCX_BENCH" "$@"; expect_in err "Try 'scx-bench --help'."; [ ! -s out ] || fail "stdout: $*"; }

usage default
expect_in err "missing the workload"
usage -- true
expect_in err "missing SUBJECT"
usage --sim messaging default -- true
expect_in err "with --sim the simulator runs WORKLOAD"
usage --cpus 4 default -- true
expect_in err "--cpus applies only with --sim"
usage --sim messaging --metric-regex 'x' default
usage -r 0 default -- true
expect_in err "invalid value '0' for --runs"
usage --alpha 2 default -- true
expect_in err "invalid value '2' for --alpha (expected a number between 0 and 1)"
usage --alpha 0 default -- true
usage --alpha 0.05x default -- true
expect_in err "invalid value '0.05x' for --alpha"
usage --alpha nan default -- true
usage --timeout soon default -- true
usage --metric-regex '([0-9' default -- true
expect_in err "invalid --metric-regex"
usage --metric-regex 'n=([0-9]+)' default -- true
expect_in err "add --lower-is-better or --higher-is-better"
usage --lower-is-better --higher-is-better default -- true
usage --metric makespan_s default -- true
expect_in err "wall time"
usage default default -- true
expect_in err "listed twice"
usage --workload messaging default -- true
expect_in err "two workloads"
usage --sim messaging --workload messaging default
usage --workload messaging:groupz=2 default
expect_in err "unknown messaging parameter 'groupz'"
usage --workload nosuch default
usage --workload messaging --metric-regex '([0-9.]+)' default
usage --better-than default -- true
expect_in err "needs another subject"
usage --compare a.json --better-than b.json default -- true
expect_in err "--better-than b.json and --compare a.json name two different earlier results"
# A bare ".json" is no file name: a missing policy, as for set_better_than.
expect_exit 66 "$SCX_BENCH" --compare a.json --better-than .json default -- true
expect_in err "cannot open policy .json"
# Standard output carries one document: the JSON or the SVG, not both.
usage --json --plot - default -- true
expect_in err "--json and --plot - both write to standard output"
usage -o - --plot - default -- true
expect_in err "-o - and --plot - both write to standard output"
usage --json -o - --plot - default -- true
usage -o same.out --plot same.out default -- true
expect_in err "name the same file"

expect_exit 66 "$SCX_BENCH" missing.so -- true
expect_in err "missing.so"
expect_exit 66 "$SCX_BENCH" --compare missing.json default -- true
printf '{"schema": "scxkit.bench/1",' > broken.json
expect_exit 65 "$SCX_BENCH" --compare broken.json default -- true
expect_in err "broken.json:"
printf '{"schema": "scxkit.build/1"}' > build.json
expect_exit 65 "$SCX_BENCH" --compare build.json default -- true

# An earlier result measured differently cannot be compared with.
expect_exit 0 "$SCX_BENCH" -r 2 -w 0 -o wall.json default -- true
expect_exit 65 "$SCX_BENCH" -r 2 --compare wall.json --metric-regex '([0-9]+)' --metric count --lower-is-better \
    default -- echo 1
expect_in err "cannot compare with wall.json"

# Outputs are checked before any run: nothing runs, nothing is written.
expect_exit 74 "$SCX_BENCH" -r 1 -o "$T/no/such/dir/b.json" default -- touch ran
[ ! -e ran ] || fail "a run happened before the output was found unwritable"
expect_exit 74 "$SCX_BENCH" -r 1 --plot "$T/no/such/dir/b.svg" default -- touch ran
[ ! -e ran ] || fail "a run happened before the plot was found unwritable"

# Policies on the kernel need root, then sched_ext.
cp "$SCX_FIFO_SO" fifo.so
if [ "$(id -u)" = 0 ]; then
    if [ ! -d /sys/kernel/sched_ext ]; then
        expect_exit 69 "$SCX_BENCH" fifo.so -- true
        expect_in err "this kernel has no sched_ext"
    fi
    if command -v setpriv >/dev/null; then
        chmod 755 "$T"
        expect_exit 77 setpriv --reuid=65534 --regid=65534 --clear-groups "$SCX_BENCH" "$T/fifo.so" -- true
        expect_in err "needs root"
    fi
else
    expect_exit 77 "$SCX_BENCH" fifo.so -- true
    expect_in err "needs root"
fi
