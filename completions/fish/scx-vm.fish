# fish completion for scx-vm(1)
set -l cmds kernels fetch start exec stop boot agent
complete -c scx-vm -f -n "not __fish_seen_subcommand_from $cmds" -a 'kernels\t"list kernels" fetch\t"fetch a kernel" start\t"boot a session VM" exec\t"run a command in the session VM" stop\t"power the session VM off" boot\t"boot a test image" agent\t"serve the host (in the guest)"'
complete -c scx-vm -l kernel -r -d 'Kernel: newest, VERSION or a bzImage'
complete -c scx-vm -l cpus -x -d 'vCPUs'
complete -c scx-vm -l memory -x -d 'Memory (1G)'
complete -c scx-vm -l accel -x -a 'auto kvm tcg tcg-single' -d 'Accelerator'
complete -c scx-vm -l session -r -F -d 'Session directory'
complete -c scx-vm -l add -x -d 'HOST:GUEST file for boot'
complete -c scx-vm -l append -x -d 'More kernel command line'
complete -c scx-vm -l console -r -F -d 'Console output file'
complete -c scx-vm -l timeout -x -d 'Give up after DURATION'
complete -c scx-vm -s h -l help -d 'Show help'
complete -c scx-vm -s V -l version -d 'Show version'
