# Bad input: clear message, documented exit status, no output file.
. "$(dirname "$0")/lib.sh"

printf 'int main() { return 0; }\n' > nopolicy.cpp
expect_exit 65 "$SCX_BUILD" nopolicy.cpp -o p.so
expect_in err "registers no policy"
expect_in err "SCX_POLICY"
[ ! -e p.so ] || fail "p.so written for a source without a policy"

# Mentioned only in a comment does not count.
printf '// SCX_POLICY(P, "p")\nint x;\n' > comment.cpp
expect_exit 65 "$SCX_BUILD" comment.cpp -o p.so

: > empty.cpp
expect_exit 65 "$SCX_BUILD" empty.cpp -o p.so
expect_in err "is empty"

expect_exit 66 "$SCX_BUILD" missing.cpp -o p.so
expect_in err "missing.cpp"
expect_in err "No such file"

expect_exit 74 "$SCX_BUILD" "$FIFO_CPP" -o "$T/no/such/dir/p.so"
expect_in err "cannot write"

mkdir adir
expect_exit 66 "$SCX_BUILD" adir -o p.so
expect_in err "is a directory"

# --json still prints a build document for errors found before compiling.
expect_exit 65 "$SCX_BUILD" --json nopolicy.cpp -o p.so
[ "$(json_get out 'd["error"]["code"]')" = "data" ] || fail "error code"
[ "$(json_get out 'd["error"]["exit_status"]')" = "65" ] || fail "exit status"

# Usage errors.
expect_exit 64 "$SCX_BUILD"
expect_in err "Try 'scx-build --help'."
expect_exit 64 "$SCX_BUILD" --frobnicate x.cpp
expect_in err "--frobnicate"
expect_exit 64 "$SCX_BUILD" - < "$FIFO_CPP"
expect_in err "-o FILE is required"
expect_exit 64 "$SCX_BUILD" a.cpp b.cpp

# Never delete or overwrite what is not an older build of the policy.
cp "$FIFO_CPP" same.cpp
expect_exit 64 "$SCX_BUILD" same.cpp -o same.cpp
expect_in err "is the source itself"
cmp same.cpp "$FIFO_CPP" || fail "the source was touched"
ln same.cpp hardlink.cpp
expect_exit 64 "$SCX_BUILD" same.cpp -o hardlink.cpp
echo "my notes" > notes.txt
echo | expect_exit 65 "$SCX_BUILD" - -o notes.txt
[ "$(cat notes.txt)" = "my notes" ] || fail "a non-ELF file at the output path was removed"
printf 'int main() { return 0; }\n' > nopolicy2.cpp
cp "$SCX_FIFO_SO" old.so
expect_exit 65 "$SCX_BUILD" nopolicy2.cpp -o old.so
[ ! -e old.so ] || fail "an older shared object survived a source without a policy"
expect_in err "the older old.so was removed"
