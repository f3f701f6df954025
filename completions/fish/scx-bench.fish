# fish completion for scx-bench(1)
set -l metrics makespan_s throughput wakeup_latency_p50_ns wakeup_latency_p90_ns wakeup_latency_p99_ns wakeup_latency_p999_ns run_delay_p99_ns worst_runnable_wait_ns fairness_jain utilisation idle_while_runnable_s context_switches migrations wall_s messaging_s
complete -c scx-bench -l vm -d 'On a sched_ext kernel booted under QEMU'
complete -c scx-bench -l sim -x -a 'messaging cpu latency interactive fork (__fish_complete_suffix .json)' -d 'Benchmark in the simulator on WORKLOAD'
complete -c scx-bench -l cpus -x -d 'Number of simulated CPUs'
complete -c scx-bench -l seed -x -d 'Seed of the first simulator run'
complete -c scx-bench -s m -l metric -x -a "$metrics" -d 'Metric to compare'
complete -c scx-bench -l workload -x -a 'messaging cpu latency interactive fork' -d 'Run a native workload on the kernel'
complete -c scx-bench -l metric-regex -x -d 'Measure the first number matching RE in the command output'
complete -c scx-bench -l run-arg -x -d 'Pass ARG to every scx-run'
complete -c scx-bench -l param -x -d 'Set a parameter of every policy subject: NAME=VALUE'
complete -c scx-bench -l timeout -x -d 'Stop a run that takes longer'
complete -c scx-bench -s r -l runs -x -d 'Measured runs per subject'
complete -c scx-bench -s w -l warmup -x -d 'Warm-up runs per subject'
complete -c scx-bench -l lower-is-better -d 'A lower metric is better'
complete -c scx-bench -l higher-is-better -d 'A higher metric is better'
complete -c scx-bench -s i -l ignore-failure -d 'Keep going after a failed run'
complete -c scx-bench -l alpha -x -d 'Significance level'
complete -c scx-bench -l compare -r -F -a '(__fish_complete_suffix .json)' -d 'Compare with an earlier scx-bench result'
complete -c scx-bench -l better-than -x -a 'default (__fish_complete_suffix .so) (__fish_complete_suffix .json)' -d 'Exit 0 only if significantly better than REF'
complete -c scx-bench -l json -d 'Print the scxkit.bench/1 document'
complete -c scx-bench -s o -l output -r -F -d 'Also write the scxkit.bench/1 document'
complete -c scx-bench -l plot -r -F -a '(__fish_complete_suffix .svg)' -d 'Write a box plot (SVG)'
complete -c scx-bench -s h -l help -d 'Show help'
complete -c scx-bench -s V -l version -d 'Show version'
complete -c scx-bench -k -x -n 'not contains -- -- (commandline -opc)' -a 'default (__fish_complete_suffix .so)'
function __scx_bench_command
    set -l i (contains -i -- -- (commandline -opc))
    and __fish_complete_subcommand --fcs-skip=$i
end
complete -c scx-bench -x -n 'contains -- -- (commandline -opc)' -a '(__scx_bench_command)'
