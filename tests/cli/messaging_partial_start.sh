# A start that fails half way (no address space left for more thread stacks,
# or no descriptors) is a temporary failure, 75, with a message: never death
# by SIGPIPE (141) from a thread writing to a peer already cleaned up.
. "$(dirname "$0")/lib.sh"

for i in 1 2 3; do
    expect_exit 75 sh -c 'ulimit -v 300000 && exec "$0" -t -g 2000 -l 1' "$SCX_MESSAGING"
    expect_in err "scx-messaging: error:"
done
