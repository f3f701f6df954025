# scx-tune refuses what it cannot do, before any run: usage errors exit 64, a
# policy without parameters or a bad --only/--fix 65, a missing policy 66.
. "$(dirname "$0")/lib.sh"
VRUNTIME=$SCX_POLICY_DIR/vruntime.so

expect_exit 64 "$SCX_TUNE" --sim interactive
expect_in err "no policy given"
expect_exit 64 "$SCX_TUNE" --sim interactive "$VRUNTIME" "$VRUNTIME"
expect_in err "one policy at a time"
expect_exit 64 "$SCX_TUNE" --sim interactive -b 1 "$VRUNTIME"
expect_in err "--budget"
expect_exit 64 "$SCX_TUNE" --sim interactive --eta 1 "$VRUNTIME"
expect_exit 64 "$SCX_TUNE" --sim interactive --json --plot - "$VRUNTIME"
expect_exit 64 "$SCX_TUNE" --sim interactive --no-such-option "$VRUNTIME"
expect_in err "Try 'scx-tune --help'."
[ ! -s out ] || fail "a usage error wrote to stdout"

expect_exit 66 "$SCX_TUNE" --sim interactive no-such-policy.so
expect_in err "no-such-policy.so"

# A policy that declares no parameters: nothing to tune.
expect_exit 65 "$SCX_TUNE" --sim interactive "$SCX_TEST_POLICIES/pin_cpu0.so"
expect_in err "declares no parameters"

expect_exit 65 "$SCX_TUNE" --sim interactive --fix no_such_param=1 "$VRUNTIME"
expect_in err "no parameter 'no_such_param'"
expect_exit 65 "$SCX_TUNE" --sim interactive --fix slice_max_ns=1 "$VRUNTIME"
expect_in err "out of range"
expect_exit 65 "$SCX_TUNE" --sim interactive --fix nonsense "$VRUNTIME"
expect_in err "NAME=VALUE"
expect_exit 65 "$SCX_TUNE" --sim interactive --only no_such_param "$VRUNTIME"
expect_in err "no parameter 'no_such_param'"
[ ! -s out ] || fail "an error wrote to stdout"
