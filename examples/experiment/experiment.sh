#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The scxkit experiment loop: requirement -> generated policy -> built (with
# repair rounds) -> validated in the simulator -> benchmarked against the
# best policy so far -> kept or reverted. Every round's artifacts stay in
# OUT/round-NN/; OUT/summary.txt, OUT/summary.json and OUT/metric.svg sum it
# up at the end. See scxkit(7) and examples/experiment/README.md.
#
# Usage: experiment.sh [OPTIONS] [REQUIREMENTS_FILE]
#
# The scx-* tools are taken from $SCX_BIN if set, else from PATH.
set -eu

usage() {
    cat <<'EOF'
Usage: experiment.sh [OPTIONS] [REQUIREMENTS_FILE]

Run N rounds of: prompt -> generate -> build (repairs) -> validate -> bench
-> keep or revert. Round i asks for line i of REQUIREMENTS_FILE (cycling);
default: requirements.txt next to this script.

Options:
  -o, --out DIR          where rounds and the summary go (default: ./experiment-out;
                         must not exist yet, or be an earlier experiment's output)
  -n, --rounds N         rounds (default: one per requirement)
  -k, --repairs K        repair attempts per round after a failed build (default 2)
  -b, --base FILE        policy source of round 0 (default: scxkit's fifo.cpp)
  -w, --workload SPEC    simulator workload of the bench (default interactive:
                         periodic short bursts beside CPU hogs)
  -m, --metric NAME      metric that decides (default wakeup_latency_p99_ns)
  -c, --cpus N           simulated CPUs (default 4)
  -r, --runs N           bench runs per subject (default 8)
      --kernel           bench on the running kernel (root, sched_ext) with the
                         native messaging workload (-w messaging:..., default
                         messaging:groups=4,loops=200; metric messaging_s)
                         after validating in the simulator
      --vm               the same on a sched_ext kernel booted under QEMU (no
                         root, any host kernel; default workload
                         messaging:groups=2,loops=100; -c sets the vCPUs,
                         default 2): one VM for the whole experiment, or
                         the session named by SCX_VM_SESSION (scx-vm(1))
      --live             ask the configured model even when no provider
                         variable is set (e.g. only a configuration file)
      --replay DIR       answer from recorded transcripts instead of a live model
                         (default when no provider is configured: the recorded
                         example answers shipped next to this script)
  -h, --help             show this help

A live model is used when one is configured: SCX_PROVIDER, SCX_ENDPOINT,
OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL or
OLLAMA_HOST in the environment, or scx-generate's configuration file;
scx-generate picks the provider from them (see scx-generate(1)).
Exit status: 0 the loop ran (whatever the verdicts), 1 a round could not be
judged, 64 usage, 69 a tool, the kernel or the VM is unavailable, 77 --kernel
without root, 130 interrupted.
EOF
}

say() { printf '%s\n' "$*" >&2; }
die() { say "experiment: error: $*"; exit "${2:-1}"; }

here=$(cd "$(dirname "$0")" && pwd)
out=experiment-out
rounds=
repairs=2
base=
workload=interactive
metric=wakeup_latency_p99_ns
cpus=4
runs=8
kernel=0
vm=0
cpus_set=0
live=0
replay=
reqfile=
workload_set=0
metric_set=0

while [ $# -gt 0 ]; do
    case $1 in
    -o|--out) out=${2:?}; shift ;;
    -n|--rounds) rounds=${2:?}; shift ;;
    -k|--repairs) repairs=${2:?}; shift ;;
    -b|--base) base=${2:?}; shift ;;
    -w|--workload) workload=${2:?}; workload_set=1; shift ;;
    -m|--metric) metric=${2:?}; metric_set=1; shift ;;
    -c|--cpus) cpus=${2:?}; cpus_set=1; shift ;;
    -r|--runs) runs=${2:?}; shift ;;
    --kernel) kernel=1 ;;
    --vm) vm=1 ;;
    --live) live=1 ;;
    --replay) replay=${2:?}; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) say "experiment: unknown option '$1'"; say "Try 'experiment.sh --help'."; exit 64 ;;
    *) [ -z "$reqfile" ] || { say "experiment: one requirements file only"; exit 64; }; reqfile=$1 ;;
    esac
    shift
done
for n in "$repairs" "$cpus" "$runs" ${rounds:+"$rounds"}; do
    case $n in ''|*[!0-9]*) say "experiment: '$n' is not a number"; exit 64 ;; esac
done
[ "$kernel$vm" != 11 ] || { say "experiment: --kernel and --vm exclude each other"; exit 64; }
[ -n "$reqfile" ] || reqfile=$here/requirements.txt
[ -r "$reqfile" ] || die "cannot read requirements file $reqfile" 66
nreq=$(grep -c -v -e '^[[:space:]]*$' -e '^#' "$reqfile" || true)
[ "$nreq" -gt 0 ] || die "$reqfile holds no requirement" 65
[ -n "$rounds" ] || rounds=$nreq

# Inputs by absolute path: the loop runs inside the output directory.
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
reqfile=$(abspath "$reqfile")
if [ -n "$base" ]; then
    [ -r "$base" ] || die "cannot read the base policy $base" 66
    base=$(abspath "$base")
fi

# Tools.
if [ -n "${SCX_BIN:-}" ]; then
    SCX_BIN=$(cd "$SCX_BIN" 2>/dev/null && pwd) || die "SCX_BIN: no such directory" 69
    PATH=$SCX_BIN:$PATH
    export PATH SCX_BIN
fi
tools="scx-prompt scx-generate scx-build scx-run scx-bench jq"
[ "$vm" = 0 ] || tools="$tools scx-vm"
for t in $tools; do
    command -v "$t" >/dev/null 2>&1 || die "$t not found (set SCX_BIN to the directory of the scx-* tools)" 69
done

# Provider: a live one when one is configured, else the recording.
conf=${XDG_CONFIG_HOME:-$HOME/.config}/scxkit/generate.conf
if [ "$live" = 1 ] && [ -n "$replay" ]; then
    say "experiment: --live and --replay exclude each other"; exit 64
fi
if [ -z "$replay" ] && [ "$live" = 0 ] && [ ! -f "$conf" ] &&
   [ -z "${SCX_PROVIDER:-}${SCX_ENDPOINT:-}${OPENAI_API_KEY:-}${OPENAI_BASE_URL:-}${ANTHROPIC_API_KEY:-}${ANTHROPIC_BASE_URL:-}${OLLAMA_HOST:-}" ]; then
    replay=$here/recorded
fi
if [ -n "$replay" ]; then
    [ -d "$replay" ] || [ -f "$replay" ] || die "no recorded answers at $replay" 66
    replay=$(abspath "$replay")
    provider_desc="recorded example answers ($replay)"
else
    # scx-generate picks the provider (see scx-generate(1) ENVIRONMENT).
    provider_desc="scx-generate's configured provider${SCX_PROVIDER:+ $SCX_PROVIDER}${SCX_MODEL:+ ($SCX_MODEL)}"
fi

if [ "$kernel" = 1 ] || [ "$vm" = 1 ]; then
    # Usage first, then the machine.
    # On a kernel the bench times scx-messaging: that is the metric.
    where=--kernel
    [ "$vm" = 0 ] || where=--vm
    [ "$metric_set" = 0 ] || say "experiment: warning: -m is ignored with $where (the metric is messaging_s)"
    metric=messaging_s
    if [ "$workload_set" = 1 ]; then
        case $workload in messaging|messaging:*) ;; *) die "$where runs the messaging workload (-w messaging:...)" 64 ;; esac
    elif [ "$vm" = 1 ]; then
        workload=messaging:groups=2,loops=100
    else
        workload=messaging:groups=4,loops=200
    fi
fi
if [ "$kernel" = 1 ]; then
    [ "$(id -u)" = 0 ] || die "--kernel needs root" 77
    [ -e /sys/kernel/sched_ext/state ] || die "--kernel needs a kernel with sched_ext (/sys/kernel/sched_ext is missing)" 69
fi

# The output directory: new, or an earlier experiment's (then replaced).
if [ -e "$out" ]; then
    [ -f "$out/.scxkit-experiment" ] || die "$out exists and is not an experiment's output; choose another --out" 74
    rm -rf "$out"
fi
mkdir -p "$out" || die "cannot create $out" 74
: > "$out/.scxkit-experiment"
out=$(cd "$out" && pwd)
# Work inside it with relative paths, so that prompts (which name their
# inputs) read the same whichever directory the experiment is in.
cd "$out"
# A private cache: replay cursors start at the beginning, saved replies stay here.
gen_cache=$out/.cache
mkdir -p "$gen_cache"

if [ -z "$base" ]; then
    # scx-prompt's own default base (the installed or source tree fifo.cpp).
    scx-prompt -o .base.json "base" 2>/dev/null && base=$(jq -r '.metadata.base.path // empty' .base.json)
    rm -f .base.json
fi
[ -n "$base" ] && [ -r "$base" ] || die "cannot read the base policy '$base' (give --base FILE)" 66

# generate PROMPT SOURCE ROUND_DIR NAME: one model call.
generate() {
    XDG_CACHE_HOME=$gen_cache scx-generate -i "$1" -o "$2" --json --log "$3/transcripts" \
        ${replay:+--replay "$replay"} > "$3/$4.generation.json" 2>> "$3/log.txt"
}

# Validation gate: every built-in workload, small, must complete.
VALIDATE="messaging:groups=2,loops=50 cpu:tasks=8,duration=200ms latency:duration=200ms interactive:duration=200ms fork:jobs=40"

# bench CANDIDATE.so ROUND_DIR [SUBJECT...]: the candidate against the best
# so far (--better-than). Other subjects are measured beside them (the
# first round adds 'default', the Linux default scheduler - its model in
# the simulator - so that the table says where the base and the first
# candidate stand); the verdict that decides is the candidate's.
bench() {
    b_so=$1 b_rd=$2
    shift 2
    b_extra="$*"
    if [ "$kernel" = 1 ]; then
        set -- --workload "$workload"
    elif [ "$vm" = 1 ]; then
        set -- --vm --workload "$workload"
    else
        set -- --sim "$workload" --cpus "$cpus" -m "$metric"
    fi
    # shellcheck disable=SC2086
    scx-bench "$@" -r "$runs" --better-than best/best.so -o "$b_rd/bench.json" "$b_so" $b_extra \
        > "$b_rd/bench.txt" 2>> "$b_rd/log.txt"
}

# Round 0: the base is the best so far.
mkdir -p best
cp "$base" best/best.cpp
scx-build --json best/best.cpp -o best/best.so > best/build.json ||
    die "the base policy $base does not build (see $out/best/build.json)"
history=history.jsonl
: > "$history"

# One VM for every round: the session named by SCX_VM_SESSION, or one
# started here and stopped whatever happens.
if [ "$vm" = 1 ]; then
    if [ -n "${SCX_VM_SESSION:-}" ]; then
        [ "$cpus_set" = 0 ] || say "experiment: warning: -c is ignored with SCX_VM_SESSION (the session's VM has its vCPUs)"
        say "experiment: using the VM of session $SCX_VM_SESSION"
    else
        say "experiment: booting a sched_ext kernel under QEMU (scx-vm start)"
        own_session=$out/.vm-session
        # shellcheck disable=SC2046
        SCX_VM_SESSION=$(scx-vm start --session "$own_session" $([ "$cpus_set" = 0 ] || echo --cpus "$cpus") 2>> vm.log) ||
            die "the VM did not start (see $out/vm.log)" 69
        export SCX_VM_SESSION
        trap 'rc=$?; scx-vm stop --session "$own_session" >> "$out/vm.log" 2>&1 || true; exit $rc' EXIT
        trap 'exit 130' INT TERM HUP
    fi
fi

say "experiment: $rounds round(s), provider: $provider_desc"
if [ "$kernel" = 1 ]; then
    say "experiment: bench on this kernel: $workload (scx-messaging), metric $metric, $runs runs per subject"
elif [ "$vm" = 1 ]; then
    say "experiment: bench on the VM's sched_ext kernel: $workload (scx-messaging), metric $metric, $runs runs per subject"
else
    say "experiment: bench in the simulator: $workload on $cpus CPUs, metric $metric, $runs runs per subject"
fi
status=0
i=1
while [ "$i" -le "$rounds" ]; do
    name=round-$(printf '%02d' "$i")
    rd=$name
    so=$rd/$name.so
    mkdir -p "$rd/transcripts"
    line=$(( (i - 1) % nreq + 1 ))
    req=$(grep -v -e '^[[:space:]]*$' -e '^#' "$reqfile" | sed -n "${line}p")
    printf '%s\n' "$req" > "$rd/requirement.txt"
    say "round $i: $req"

    # Prompt: the best source so far, the requirement, the last bench and the history.
    set -- --base best/best.cpp --history "$history"
    [ -f best/bench.json ] && set -- "$@" --feedback best/bench.json
    scx-prompt "$@" -o "$rd/prompt.json" "$req" 2>> "$rd/log.txt" ||
        die "round $i: scx-prompt failed (see $out/$rd/log.txt)"

    outcome=
    verdict=
    value=
    if ! generate "$rd/prompt.json" "$rd/policy.cpp" "$rd" round; then
        outcome=generate_failed
    fi

    # Build, and repair from the compiler's diagnostics up to K times.
    attempt=0
    while [ -z "$outcome" ]; do
        if scx-build --json "$rd/policy.cpp" -o "$so" > "$rd/build-$attempt.json" 2>> "$rd/log.txt"; then
            break
        fi
        if [ "$attempt" -ge "$repairs" ]; then
            outcome=build_failed
            break
        fi
        attempt=$((attempt + 1))
        say "round $i: build failed, repair $attempt of $repairs"
        scx-prompt --fix "$rd/build-$((attempt - 1)).json" --base "$rd/policy.cpp" \
            -o "$rd/repair-$attempt.prompt.json" "$req" 2>> "$rd/log.txt" ||
            die "round $i: scx-prompt --fix failed (see $out/$rd/log.txt)"
        # Keep the failed source next to its build report.
        cp "$rd/policy.cpp" "$rd/policy-$((attempt - 1)).cpp"
        if ! generate "$rd/repair-$attempt.prompt.json" "$rd/policy.cpp" "$rd" "repair-$attempt"; then
            outcome=generate_failed
        fi
    done

    # Validate in the simulator: every built-in workload must complete.
    if [ -z "$outcome" ]; then
        for w in $VALIDATE; do
            wname=${w%%:*}
            if ! scx-run --sim "$w" --cpus "$cpus" --json "$so" \
                    > "$rd/validate-$wname.json" 2>> "$rd/log.txt"; then
                kind=$(jq -r '.exit.kind // "error"' "$rd/validate-$wname.json" 2>/dev/null || echo error)
                outcome="invalid:$wname:$kind"
                break
            fi
        done
    fi

    # Bench against the best so far; keep only a significant improvement.
    if [ -z "$outcome" ]; then
        rc=0
        first=
        [ "$i" = 1 ] && first=default
        bench "$so" "$rd" $first || rc=$?
        if [ -f "$rd/bench.json" ]; then
            verdict=$(jq -r --arg s "$name" '.comparisons[] | select(.subject == $s and .reference == "best") | .verdict' \
                      "$rd/bench.json" | head -n1)
            value=$(jq -r --arg s "$name" '.results[] | select(.subject == $s) | .median' "$rd/bench.json")
        fi
        case $rc in
        0|1) if [ "$(jq -r .complete "$rd/bench.json" 2>/dev/null)" = true ]; then
                 if [ "$verdict" = better ]; then outcome=kept; else outcome=reverted; fi
             else
                 outcome=bench_failed
             fi ;;
        *) outcome=bench_failed; status=1 ;;
        esac
    fi

    if [ "$outcome" = kept ]; then
        cp "$rd/policy.cpp" best/best.cpp
        cp "$so" best/best.so
        cp "$rd/bench.json" best/bench.json
        printf '%s\n' "$i" > best/round
    fi
    say "round $i: $outcome${verdict:+ (verdict $verdict)}${value:+, $metric $value}"

    jq -cn --argjson round "$i" --arg req "$req" --arg outcome "$outcome" --arg verdict "$verdict" \
        --arg metric "$metric" --arg value "$value" --argjson repairs "$attempt" \
        '{schema: "scxkit.history/1", type: "round", round: $round, change: $req, outcome: $outcome,
          verdict: (if $verdict == "" then null else $verdict end), repairs: $repairs,
          metrics: (if $value == "" or $value == "null" then {} else {($metric): ($value | tonumber)} end)}' \
        >> "$history"
    i=$((i + 1))
done

"$here/summary.sh" "$out" "$metric"
exit $status
