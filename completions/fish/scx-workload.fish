# fish completion for scx-workload(1)
complete -c scx-workload -f
complete -c scx-workload -n 'not __fish_seen_subcommand_from cpu latency interactive fork' -a 'cpu' -d 'CPU hogs for a duration'
complete -c scx-workload -n 'not __fish_seen_subcommand_from cpu latency interactive fork' -a 'latency' -d 'schbench-like wake-ups'
complete -c scx-workload -n 'not __fish_seen_subcommand_from cpu latency interactive fork' -a 'interactive' -d 'Periodic bursts beside CPU hogs'
complete -c scx-workload -n 'not __fish_seen_subcommand_from cpu latency interactive fork' -a 'fork' -d 'make-like DAG of jobs'
complete -c scx-workload -l json -d 'Print an scxkit.native/1 document'
complete -c scx-workload -s s -l seed -x -d 'Seed of the random work and sleep lengths'
complete -c scx-workload -l sched-ext -d 'Run every task in the SCHED_EXT class'
complete -c scx-workload -s h -l help -d 'Show help'
complete -c scx-workload -s V -l version -d 'Show version'
