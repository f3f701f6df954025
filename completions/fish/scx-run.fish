# fish completion for scx-run(1)
complete -c scx-run -l check -d 'Load the policy and check it on the test backend'
complete -c scx-run -l json -d 'JSON output'
complete -c scx-run -s h -l help -d 'Show help'
complete -c scx-run -s V -l version -d 'Show version'
complete -c scx-run -k -x -a '(__fish_complete_suffix .so)'
