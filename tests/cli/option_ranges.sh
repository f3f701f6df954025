# One option, one range, one wording: scx-generate's options and the same
# settings in its configuration file accept the same values and refuse the
# rest with the same words (the file's message starts with file:line, exit
# 65, the option's is a usage error, 64); scx-messaging's -g and -l refuse
# with one range each, the one the workload accepts.
. "$(dirname "$0")/lib.sh"
"$SCX_PROMPT" "x" > prompt.json

# same OPTION SETTING VALUE MESSAGE: --OPTION VALUE and "SETTING = VALUE"
# are both refused with MESSAGE (with "SETTING" for "OPTION" in the file).
same() {
    local option=$1 setting=$2 value=$3 message=$4
    expect_exit 64 "$SCX_GENERATE" -i prompt.json --replay none "--$option" "$value"
    expect_in err "scx-generate: ${message//@/--$option}"
    printf '%s = %s\n' "$setting" "$value" > c.conf
    expect_exit 65 "$SCX_GENERATE" -i prompt.json --replay none -c c.conf
    expect_in err "scx-generate: error: c.conf:1: ${message//@/$setting}"
}
same timeout timeout 0 "@ must be at least 1ms"
same timeout timeout 500us "@ must be at least 1ms"
same connect-timeout connect_timeout soon "invalid duration 'soon' for @ (examples: 10s, 250ms, 1.5, 2m)"
same temperature temperature 3 "invalid value '3' for @ (expected a number from 0 to 2)"
same retries retries 101 "invalid value '101' for @ (expected an integer from 0 to 100)"
same seed seed -1 "invalid value '-1' for @ (expected an integer from 0 to 2147483647)"
same seed seed 2147483648 "invalid value '2147483648' for @ (expected an integer from 0 to 2147483647)"
same max-tokens max_tokens 0 "invalid value '0' for @ (expected an integer from 1 to 10000000)"

expect_exit 64 "$SCX_GENERATE" -i prompt.json -p gemini
expect_in err "unknown provider 'gemini' (from flag): expected openai, anthropic, ollama or replay"
printf 'provider = gemini\n' > c.conf
expect_exit 65 "$SCX_GENERATE" -i prompt.json -c c.conf
expect_in err "c.conf:1: unknown provider 'gemini': expected openai, anthropic, ollama or replay"

# Values both accept: any unit, beyond a day (the settings pass; the
# missing replay source is what stops it).
printf 'timeout = 1500us\nconnect_timeout = 2000m\n' > ok.conf
expect_exit 66 "$SCX_GENERATE" -i prompt.json --replay none -c ok.conf
expect_exit 66 "$SCX_GENERATE" -i prompt.json --replay none --timeout 1500us --connect-timeout 2000m
expect_in err "none"

expect_exit 64 "$SCX_MESSAGING" -g 20000
expect_in err "scx-messaging: invalid value '20000' for --group (expected an integer from 1 to 10000)"
expect_exit 64 "$SCX_MESSAGING" -l 214748365
expect_in err "invalid value '214748365' for --nr_loops (expected an integer from 1 to 214748364)"
