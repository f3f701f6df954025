# Every tool: --help on stdout with exit 0, --version, bad options -> 64.
. "$(dirname "$0")/lib.sh"

for var in $(env | sed -n 's/^\(SCX_[A-Z]*\)=.*/\1/p' | sort); do
    case $var in SCX_BUILD|SCX_RUN|SCX_PROMPT|SCX_GENERATE|SCX_BENCH|SCX_TUNE) ;; *) continue ;; esac
    tool=${!var}
    name=$(basename "$tool")
    expect_exit 0 "$tool" --help
    expect_in out "Usage: $name"
    [ ! -s err ] || fail "$name --help wrote to stderr"
    expect_exit 0 "$tool" --version
    expect_in out "$name (scxkit) "
    expect_exit 64 "$tool" --no-such-option
    expect_in err "Try '$name --help'."
    [ ! -s out ] || fail "$name usage error wrote to stdout"
done
