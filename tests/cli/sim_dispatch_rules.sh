# Invalid decisions are refused with -EINVAL and counted, one for an older
# record of the task is cancelled (returns 0), a CPU outside the task's affinity is bounced to the shared
# queue: the test policy throws if any return value differs.
. "$(dirname "$0")/lib.sh"

cp "$SRC/tests/cli/data/pinned.workload.json" pinned.json
expect_exit 0 "$SCX_RUN" --sim pinned.json --cpus 2 --json "$SCX_TEST_POLICIES/bad_dispatch.so"
python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["counters"]
n = c["nr_user_dispatches"]
assert n >= 10, c
assert c["nr_bounce_dispatches"] == n, c
assert c["nr_cancel_dispatches"] == n - 2, c   # an older seq: every record but each task's first
assert c["nr_failed_dispatches"] == 5 * n, c
assert c["nr_kernel_dispatches"] == 0, c
assert d["workload"]["name"] == "pinned"
PY
