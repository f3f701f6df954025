# fish completion for scx-build(1)
complete -c scx-build -s o -l output -r -F -d 'Shared object to write'
complete -c scx-build -l json -d 'Print an scxkit.build/1 report on stdout'
complete -c scx-build -s D -l define -x -d 'Preprocessor definition NAME[=VALUE]'
complete -c scx-build -l no-cache -d 'Always compile; do not use the build cache'
complete -c scx-build -s v -l verbose -d 'Show the compiler command and timing'
complete -c scx-build -s h -l help -d 'Show help'
complete -c scx-build -s V -l version -d 'Show version'
complete -c scx-build -k -x -a '(__fish_complete_suffix .cpp)'
