# fish completion for scx-messaging(1)
complete -c scx-messaging -f
complete -c scx-messaging -s g -l group -x -d 'Number of groups'
complete -c scx-messaging -s l -l nr_loops -x -d 'Messages from each sender to each receiver'
complete -c scx-messaging -s p -l pipe -d 'Use pipes instead of socket pairs'
complete -c scx-messaging -s t -l thread -d 'Threads instead of processes'
complete -c scx-messaging -s f -l format -x -a 'default simple' -d 'Output format'
complete -c scx-messaging -s r -l repeat -x -d 'Number of runs'
complete -c scx-messaging -l sched-ext -d 'Run every task in the SCHED_EXT class'
complete -c scx-messaging -l json -d 'Print an scxkit.messaging/1 document'
complete -c scx-messaging -s h -l help -d 'Show help'
complete -c scx-messaging -s V -l version -d 'Show version'
