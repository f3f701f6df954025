#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The scxkit experiment loop as a search: requirement -> K generated
# candidates -> each built (build repairs) and validated in the simulator
# (runtime repairs) -> the valid ones screened in the simulator -> the best
# benchmarked against the best policy so far -> kept or reverted. Every
# round's artifacts stay in OUT/round-NN/; OUT/summary.txt, OUT/summary.json
# and OUT/metric.svg sum it up at the end, with what the model cost. See
# scxkit(7) and examples/experiment/README.md.
#
# Usage: experiment.sh [OPTIONS] [REQUIREMENTS_FILE]
#
# The scx-* tools are taken from $SCX_BIN if set, else from PATH.
set -eu

usage() {
    cat <<'EOF'
Usage: experiment.sh [OPTIONS] [REQUIREMENTS_FILE]

Run N rounds of: prompt -> generate K candidates -> build each (build
repairs) -> validate each (runtime repairs) -> screen the valid ones -> bench
the best -> keep or revert. Round i asks for line i of REQUIREMENTS_FILE
(cycling); default: requirements.txt next to this script.

Options:
  -o, --out DIR          where rounds and the summary go (default: ./experiment-out;
                         must not exist yet, or be an earlier experiment's output)
  -n, --rounds N         rounds (default: one per requirement)
  -k, --repairs K        repairs per candidate after a failed build (default 2)
      --runtime-repairs R
                         repairs per candidate after a failed validation
                         (ejected, crashed, refused, too slow): the model gets
                         the failure in words and data and the last events
                         before it (default 2; 0: give up at once)
      --candidates K     candidates per round (default 1): each asked for with
                         its own sampling seed and temperature, built and
                         validated; the valid ones are screened in the
                         simulator and only the best is benchmarked
      --screen-runs N    simulator runs per candidate when screening (default 3)
      --tune             before each round asks for new code, tune the best
                         policy's parameters in the simulator (scx-tune);
                         values significantly better than its defaults are
                         kept in best/params and set on the best policy in
                         the bench (best.so:NAME=VALUE,...)
      --tune-budget N    simulator runs a tuning pass may spend (scx-tune's
                         --budget; default 30)
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
With --candidates K > 1 and no provider configured, the recorded example
answers for three candidates (recorded-k3/) are replayed.

The summary gives per round and in total: build and runtime repairs,
candidates, the model's requests, tokens in and out, its wall time and cost
(when scx-generate knows the prices, see scx-generate(1)), and the loop's
own wall time without the model.

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
runtime_repairs=2
candidates=1
screen_runs=3
tune=0
tune_budget=30
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
    --runtime-repairs) runtime_repairs=${2:?}; shift ;;
    --candidates) candidates=${2:?}; shift ;;
    --screen-runs) screen_runs=${2:?}; shift ;;
    --tune) tune=1 ;;
    --tune-budget) tune_budget=${2:?}; shift ;;
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
for n in "$repairs" "$runtime_repairs" "$candidates" "$screen_runs" "$tune_budget" "$cpus" "$runs" ${rounds:+"$rounds"}; do
    case $n in ''|*[!0-9]*) say "experiment: '$n' is not a number"; exit 64 ;; esac
done
[ "$candidates" -ge 1 ] && [ "$candidates" -le 16 ] || { say "experiment: --candidates must be from 1 to 16"; exit 64; }
[ "$screen_runs" -ge 1 ] || { say "experiment: --screen-runs must be at least 1"; exit 64; }
[ "$tune_budget" -ge 1 ] || { say "experiment: --tune-budget must be at least 1"; exit 64; }
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
[ "$tune" = 0 ] || tools="$tools scx-tune"
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
    [ "$candidates" = 1 ] || replay=$here/recorded-k3
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

# generate PROMPT SOURCE DIR NAME [SCX-GENERATE OPTION...]: one model call;
# its report (usage, latency, cost) is DIR/NAME.generation.json.
generate() {
    g_prompt=$1 g_src=$2 g_dir=$3 g_name=$4
    shift 4
    XDG_CACHE_HOME=$gen_cache scx-generate -i "$g_prompt" -o "$g_src" --json --log "$g_dir/transcripts" \
        ${replay:+--replay "$replay"} "$@" > "$g_dir/$g_name.generation.json" 2>> "$g_dir/log.txt"
}

# Validation gate: every built-in workload, small, must complete.
VALIDATE="messaging:groups=2,loops=50 cpu:tasks=8,duration=200ms latency:duration=200ms interactive:duration=200ms fork:jobs=40"

# best_subject: the best policy as a scx-bench subject, with its tuned
# parameters (best/params, from --tune) when it has some.
best_subject() {
    if [ -s best/params ]; then
        printf 'best/best.so:%s\n' "$(paste -sd, best/params)"
    else
        printf 'best/best.so\n'
    fi
}

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
    scx-bench "$@" -r "$runs" --better-than "$(best_subject)" -o "$b_rd/bench.json" "$b_so" $b_extra \
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
# Screening: the valid candidates of a round, a few runs each in the
# simulator; the best median goes on to the full bench. On a kernel or a VM
# the screen is the simulator's model of the same workload (makespan_s).
screen_workload=$workload screen_metric=$metric
if [ "$kernel" = 1 ] || [ "$vm" = 1 ]; then
    screen_metric=makespan_s
fi

# now: seconds since the epoch, with a fraction.
now() { date +%s.%N; }

# tune_best DIR: a tuning pass on the best policy (scx-tune), in the
# simulator like the screening (a search; on a kernel or a VM the bench
# judges). Its parameters, when significantly better than the defaults,
# become best/params (NAME=VALUE lines), which best_subject passes to the
# bench; a kept candidate starts again from its own defaults.
tune_best() {
    t_dir=$1
    t_rc=0
    scx-tune --sim "$screen_workload" -m "$screen_metric" --cpus "$cpus" --budget "$tune_budget" \
        -o "$t_dir/tune.json" best/best.so > "$t_dir/params" 2>> "$t_dir/log.txt" || t_rc=$?
    case $t_rc in
    0) cp "$t_dir/params" best/params
       say "round $i: tuned the best policy: $(paste -sd' ' best/params)" ;;
    1) say "round $i: tuning found no parameters significantly better than the best policy's" ;;
    65) say "round $i: nothing to tune: the best policy declares no parameters (see $out/$t_dir/log.txt)" ;;
    *) say "round $i: tuning failed (exit $t_rc, see $out/$t_dir/log.txt); the best policy keeps its parameters" ;;
    esac
}

# candidate ROUND_DIR DIR NAME N: ask for candidate N of the round in DIR
# (the round's directory itself when there is one candidate), build it
# (build repairs), validate it (runtime repairs). Sets c_outcome ("" when
# valid), c_build_repairs, c_runtime_repairs. Attempt a's files: policy.cpp
# (the last) or policy-a.cpp (replaced), build-a.json, run-a.json (its
# failed validation), repair-a.prompt.json (the prompt that asked for it).
candidate() {
    c_rd=$1 c_dir=$2 c_name=$3 c_n=$4
    c_so=$c_dir/$c_name.so
    c_outcome= c_build_repairs=0 c_runtime_repairs=0
    mkdir -p "$c_dir/transcripts"
    set --
    if [ "$candidates" -gt 1 ]; then
        # Its own seed, and a temperature that grows with N: the providers
        # that have no seed (anthropic) still answer differently.
        c_temp=$(awk -v n="$c_n" 'BEGIN { t = 0.2 + 0.3 * (n - 1); if (t > 1.4) t = 1.4; printf "%.1f", t }')
        set -- --seed "$((i * 100 + c_n))" --temperature "$c_temp"
    fi
    c_gen_opts="$*"
    # shellcheck disable=SC2086
    generate "$c_rd/prompt.json" "$c_dir/policy.cpp" "$c_dir" round $c_gen_opts || { c_outcome=generate_failed; return; }
    c_attempt=0
    while :; do
        if ! scx-build --json "$c_dir/policy.cpp" -o "$c_so" > "$c_dir/build-$c_attempt.json" 2>> "$c_dir/log.txt"; then
            if [ "$c_build_repairs" -ge "$repairs" ]; then
                c_outcome=build_failed
                return
            fi
            c_build_repairs=$((c_build_repairs + 1))
            say "round $i:${c_label} build failed, repair $c_build_repairs of $repairs"
            set -- --fix "$c_dir/build-$c_attempt.json"
        else
            # Validate in the simulator: every built-in workload must complete.
            c_failed=
            for w in $VALIDATE; do
                wname=${w%%:*}
                if ! scx-run --sim "$w" --cpus "$cpus" --json "$c_so" \
                        > "$c_dir/validate-$wname.json" 2>> "$c_dir/log.txt"; then
                    c_failed=$w
                    break
                fi
            done
            [ -n "$c_failed" ] || return 0
            kind=$(jq -r '.exit.kind // "error"' "$c_dir/validate-$wname.json" 2>/dev/null || echo error)
            # No run document: the run could not happen at all; nothing to tell.
            if [ "$c_runtime_repairs" -ge "$runtime_repairs" ] ||
               ! jq -e '.schema == "scxkit.run/1"' "$c_dir/validate-$wname.json" > /dev/null 2>&1; then
                c_outcome="invalid:$wname:$kind"
                return
            fi
            c_runtime_repairs=$((c_runtime_repairs + 1))
            reason=$(jq -r '.exit.reason' "$c_dir/validate-$wname.json")
            say "round $i:${c_label} $wname failed at run time ($kind: $reason), runtime repair $c_runtime_repairs of $runtime_repairs"
            # The failed run's report, and the last events before the
            # failure: the simulator is deterministic, so the same run with
            # --events fails the same way; only the tail is kept.
            mv "$c_dir/validate-$wname.json" "$c_dir/run-$c_attempt.json"
            if scx-run --sim "$c_failed" --cpus "$cpus" --events "$c_dir/.events.jsonl" "$c_so" \
                    > /dev/null 2>> "$c_dir/log.txt" || [ -s "$c_dir/.events.jsonl" ]; then
                tail -n 40 "$c_dir/.events.jsonl" > "$c_dir/run-$c_attempt.events.jsonl"
            fi
            rm -f "$c_dir/.events.jsonl"
            set -- --fix "$c_dir/run-$c_attempt.json"
            [ ! -s "$c_dir/run-$c_attempt.events.jsonl" ] || set -- "$@" --events "$c_dir/run-$c_attempt.events.jsonl"
        fi
        # Ask again: the failure and the failing source go back to the model.
        c_next=$((c_attempt + 1))
        scx-prompt "$@" --base "$c_dir/policy.cpp" -o "$c_dir/repair-$c_next.prompt.json" "$req" 2>> "$c_dir/log.txt" ||
            die "round $i: scx-prompt --fix failed (see $out/$c_dir/log.txt)"
        # Keep the failed source next to its report.
        cp "$c_dir/policy.cpp" "$c_dir/policy-$c_attempt.cpp"
        c_attempt=$c_next
        # shellcheck disable=SC2086
        generate "$c_dir/repair-$c_attempt.prompt.json" "$c_dir/policy.cpp" "$c_dir" "repair-$c_attempt" $c_gen_opts ||
            { c_outcome=generate_failed; return; }
    done
}

# cost DIR: what the model cost for every call under DIR (candidates and
# repairs): requests, tokens in and out, wall time, USD (null when a price
# or a usage is unknown).
cost() {
    find "$1" -name '*.generation.json' -exec cat {} + 2>/dev/null |
    jq -cs '{requests: (map(.attempts // 1) | add // 0),
             input_tokens: (map(.usage.input_tokens // 0 | if . < 0 then 0 else . end) | add // 0),
             output_tokens: (map(.usage.output_tokens // 0 | if . < 0 then 0 else . end) | add // 0),
             model_s: (map(.latency_s // 0) | add // 0),
             cost_usd: (if length > 0 and all(.cost_usd != null) then map(.cost_usd) | add else null end)}'
}

status=0
i=1
while [ "$i" -le "$rounds" ]; do
    t_round=$(now)
    name=round-$(printf '%02d' "$i")
    rd=$name
    so=$rd/$name.so
    mkdir -p "$rd/transcripts"
    line=$(( (i - 1) % nreq + 1 ))
    req=$(grep -v -e '^[[:space:]]*$' -e '^#' "$reqfile" | sed -n "${line}p")
    printf '%s\n' "$req" > "$rd/requirement.txt"
    say "round $i: $req"

    # A tuning pass on the best policy before asking for new code.
    [ "$tune" = 0 ] || tune_best "$rd"

    # Prompt: the best source so far, the requirement, the last bench and the history.
    set -- --base best/best.cpp --history "$history"
    [ -f best/bench.json ] && set -- "$@" --feedback best/bench.json
    scx-prompt "$@" -o "$rd/prompt.json" "$req" 2>> "$rd/log.txt" ||
        die "round $i: scx-prompt failed (see $out/$rd/log.txt)"

    outcome=
    verdict=
    value=
    # The candidates: one in the round's directory, or K in cand-N/.
    r_build_repairs=0 r_runtime_repairs=0 valid=
    cands_json=
    n=1
    while [ "$n" -le "$candidates" ]; do
        if [ "$candidates" = 1 ]; then
            c_label= cdir=$rd cname=$name
        else
            c_label=" candidate $n:" cdir=$rd/cand-$n cname=$name-c$n
        fi
        candidate "$rd" "$cdir" "$cname" "$n"
        r_build_repairs=$((r_build_repairs + c_build_repairs))
        r_runtime_repairs=$((r_runtime_repairs + c_runtime_repairs))
        [ "$candidates" = 1 ] || say "round $i:$c_label ${c_outcome:-valid}"
        [ -n "$c_outcome" ] || valid="$valid $n"
        cands_json="$cands_json$(jq -cn --argjson n "$n" --arg o "${c_outcome:-valid}" \
            --argjson b "$c_build_repairs" --argjson r "$c_runtime_repairs" \
            '{candidate: $n, outcome: $o, build_repairs: $b, runtime_repairs: $r}')
"
        [ "$candidates" = 1 ] && outcome=$c_outcome
        n=$((n + 1))
    done

    # Screen the valid candidates; the best one becomes the round's policy.
    if [ "$candidates" -gt 1 ]; then
        set -- $valid
        if [ $# = 0 ]; then
            outcome=$(printf '%s' "$cands_json" | jq -rs 'map(.outcome) | .[0]')
        else
            pick=$1
            if [ $# -gt 1 ]; then
                sos=
                for n in "$@"; do sos="$sos $rd/cand-$n/$name-c$n.so"; done
                # shellcheck disable=SC2086
                if scx-bench --sim "$screen_workload" --cpus "$cpus" -m "$screen_metric" -r "$screen_runs" -i \
                        -o "$rd/screen.json" $sos > "$rd/screen.txt" 2>> "$rd/log.txt" ||
                   [ -f "$rd/screen.json" ]; then
                    pick=$(jq -r '(.metric.better) as $dir
                        | [.results[] | select(.median != null)]
                        | sort_by(if $dir == "higher" then -.median else .median end)
                        | .[0].subject // empty | sub(".*-c"; "")' "$rd/screen.json")
                    [ -n "$pick" ] || pick=$1
                fi
                say "round $i: screened candidates$valid ($screen_runs runs each): candidate $pick is the best"
            fi
            cp "$rd/cand-$pick/policy.cpp" "$rd/policy.cpp"
            cp "$rd/cand-$pick/$name-c$pick.so" "$so"
            printf '%s\n' "$pick" > "$rd/candidate"
        fi
    fi

    # Bench against the best so far; keep only a significant improvement.
    if [ -z "$outcome" ]; then
        rc=0
        first=
        [ "$i" = 1 ] && first=default
        bench "$so" "$rd" $first || rc=$?
        if [ -f "$rd/bench.json" ]; then
            # The reference is "best" ("best:NAME=VALUE,..." when tuned).
            verdict=$(jq -r --arg s "$name" '.comparisons[] | select(.subject == $s and (.reference | test("^best(:|$)"))) | .verdict' \
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
        rm -f best/params
    fi
    say "round $i: $outcome${verdict:+ (verdict $verdict)}${value:+, $metric $value}"

    # What the round cost: the model's calls, and the loop's own time.
    round_cost=$(cost "$rd")
    wall=$(awk -v a="$t_round" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
    jq -cn --argjson round "$i" --arg req "$req" --arg outcome "$outcome" --arg verdict "$verdict" \
        --arg metric "$metric" --arg value "$value" \
        --argjson build_repairs "$r_build_repairs" --argjson runtime_repairs "$r_runtime_repairs" \
        --argjson cands "$(printf '%s' "$cands_json" | jq -cs .)" \
        --arg pick "$(cat "$rd/candidate" 2>/dev/null || echo 1)" \
        --argjson cost "$round_cost" --argjson wall "$wall" \
        '{schema: "scxkit.history/1", type: "round", round: $round, change: $req, outcome: $outcome,
          verdict: (if $verdict == "" then null else $verdict end),
          repairs: ($build_repairs + $runtime_repairs), build_repairs: $build_repairs,
          runtime_repairs: $runtime_repairs,
          candidates: $cands, chosen: (if ($cands | map(select(.outcome == "valid")) | length) > 0
                                      then ($pick | tonumber) else null end),
          cost: ($cost + {wall_s: $wall, loop_s: ([$wall - $cost.model_s, 0] | max)}),
          metrics: (if $value == "" or $value == "null" then {} else {($metric): ($value | tonumber)} end)}' \
        >> "$history"
    i=$((i + 1))
done

"$here/summary.sh" "$out" "$metric"
exit $status
