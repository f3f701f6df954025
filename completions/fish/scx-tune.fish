# fish completion for scx-tune(1)
set -l metrics makespan_s throughput wakeup_latency_p50_ns wakeup_latency_p90_ns wakeup_latency_p99_ns wakeup_latency_p999_ns run_delay_p99_ns worst_runnable_wait_ns fairness_jain utilisation idle_while_runnable_s context_switches migrations wall_s messaging_s
complete -c scx-tune -l sim -x -a 'messaging cpu latency interactive fork (__fish_complete_suffix .json)' -d 'Tune in the simulator on WORKLOAD'
complete -c scx-tune -l vm -d 'On a sched_ext kernel booted under QEMU'
complete -c scx-tune -l workload -x -a 'messaging cpu latency interactive fork' -d 'Run a native workload on the kernel'
complete -c scx-tune -l cpus -x -d 'Number of simulated CPUs'
complete -c scx-tune -s m -l metric -x -a "$metrics" -d 'Metric to optimise'
complete -c scx-tune -l metric-regex -x -d 'Measure the first number matching RE in the command output'
complete -c scx-tune -l lower-is-better -d 'A lower metric is better'
complete -c scx-tune -l higher-is-better -d 'A higher metric is better'
complete -c scx-tune -l run-arg -x -d 'Pass ARG to every scx-run'
complete -c scx-tune -l timeout -x -d 'Stop a run that takes longer'
complete -c scx-tune -s b -l budget -x -d 'Runs the search may spend'
complete -c scx-tune -l candidates -x -d 'At most N candidates in the first rung'
complete -c scx-tune -l eta -x -d 'Keep the best 1/N at each rung'
complete -c scx-tune -l seed -x -d 'Seed of the sample and of the first run'
complete -c scx-tune -l only -x -d 'Search these parameters only'
complete -c scx-tune -l fix -x -d 'Hold a parameter at NAME=VALUE'
complete -c scx-tune -s r -l runs -x -d 'Runs of the final comparison per side'
complete -c scx-tune -l alpha -x -d 'Significance level'
complete -c scx-tune -l json -d 'Print the scxkit.tune/1 document'
complete -c scx-tune -s o -l output -r -F -d 'Also write the scxkit.tune/1 document'
complete -c scx-tune -l plot -r -F -a '(__fish_complete_suffix .svg)' -d 'Write the metric over the trials (SVG)'
complete -c scx-tune -s h -l help -d 'Show help'
complete -c scx-tune -s V -l version -d 'Show version'
complete -c scx-tune -k -x -n 'not contains -- -- (commandline -opc)' -a '(__fish_complete_suffix .so)'
function __scx_tune_command
    set -l i (contains -i -- -- (commandline -opc))
    and __fish_complete_subcommand --fcs-skip=$i
end
complete -c scx-tune -x -n 'contains -- -- (commandline -opc)' -a '(__scx_tune_command)'
