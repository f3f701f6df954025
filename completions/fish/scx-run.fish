# fish completion for scx-run(1)
complete -c scx-run -l check -d 'Load the policy and check it on the test backend'
complete -c scx-run -l sim -r -d 'Run on the simulator with a workload' \
    -a 'messaging\t"perf bench sched messaging" cpu\t"CPU hogs" latency\t"schbench-like" interactive\t"bursts beside hogs" fork\t"make-like DAG" (__fish_complete_suffix .json)'
complete -c scx-run -l cpus -x -d 'Simulated CPUs'
complete -c scx-run -l seed -x -d 'Random seed'
complete -c scx-run -l watchdog -x -d 'Watchdog timeout (simulated)'
complete -c scx-run -l slice -x -d 'Default slice'
complete -c scx-run -l machine -x -d 'Machine parameters KEY=VALUE,...' \
    -a 'smt= llc= hz= slice_ns= cs_ns= mm_ns= migrate_ns= llc_migrate_ns= wake_idle_ns= timer_ns= timer_tail_pct= timer_tail_ns= wake_ns= hop_ns= decision_ns= ring= jitter_pct= syscall_pct= syscall_ns= socket_pct= lock_pct='
complete -c scx-run -l eevdf -x -d 'Tunables of the default scheduler model KEY=VALUE,...' \
    -a 'base_slice_ns= scale_slice= migration_cost_ns= lazy_preempt= delay_dequeue= run_to_parity= preempt_short= hrtick= ttwu_queue= busy_factor='
complete -c scx-run -l max-time -x -d 'Simulated-time limit'
complete -c scx-run -l policy-timeout -x -d 'Wall-clock limit of one policy call'
complete -c scx-run -l trace -r -F -d 'Chrome/Perfetto trace file'
complete -c scx-run -l events -r -F -d 'Event log (JSON Lines)'
complete -c scx-run -l json -d 'JSON output'
complete -c scx-run -l table -d 'Table output'
complete -c scx-run -s v -l verbose -d 'Report wall-clock time and events per second'
complete -c scx-run -l user -x -a '(__fish_complete_users)' -d 'Run policy code as this unprivileged user (as root)'
complete -c scx-run -l interval -x -d 'Statistics interval'
complete -c scx-run -l duration -x -d 'Stop after this long'
complete -c scx-run -l timeout-ms -x -d 'Watchdog timeout in milliseconds'
complete -c scx-run -l workload -x -a 'messaging cpu latency interactive fork' -d 'Native workload while the policy is attached'
complete -c scx-run -l timeout -x -d 'Wall-clock limit of the whole run'
complete -c scx-run -l policy-memory -x -d "Memory limit of the policy's process"
complete -c scx-run -l capture-output -d "Keep the command's output in the report"
complete -c scx-run -l param -x -d "Set a policy parameter: NAME=VALUE (--check lists them)"
complete -c scx-run -l vm -d 'Run on a sched_ext kernel booted under QEMU'
complete -c scx-run -l kernel -r -a 'list newest' -d 'VM kernel: list, newest, VERSION or a bzImage'
complete -c scx-run -l memory -x -d "The VM's memory"
complete -c scx-run -l accel -x -a 'auto kvm tcg tcg-single' -d 'VM accelerator'
complete -c scx-run -l vm-session -r -a '(__fish_complete_directories)' -d 'Session started with scx-vm start'
complete -c scx-run -l partial -d 'Schedule only tasks in the SCHED_EXT class'
complete -c scx-run -l bpf-only -d 'No policy: global FIFO in BPF'
complete -c scx-run -s h -l help -d 'Show help'
complete -c scx-run -s V -l version -d 'Show version'
complete -c scx-run -k -x -a '(__fish_complete_suffix .so) default'
