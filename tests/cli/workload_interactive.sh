# scx-workload interactive: bursting tasks and hogs as processes; every
# wake-up of a bursting task follows one of its bursts; hogs never wake.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$SCX_WORKLOAD" --json interactive:tasks=2,hogs=1,burst=500us,period=2ms,duration=200ms
cp out ia.json
validate ia.json
python3 - ia.json <<'PY' || fail "ia.json"
import json, sys
d = json.load(open(sys.argv[1]))
m, tasks = d["metrics"], d["tasks"]
def check(ok, what):
    if not ok:
        sys.exit(f"FAIL: {what}: {json.dumps(d)}")
check([t["role"] for t in tasks] == ["interactive", "interactive", "hog"], "roles")
check(len({t["pid"] for t in tasks}) == 3, "three processes")
check(d["workload"]["throughput_unit"] == "bursts/s", "unit")
check(all(0 < t["work_items"] and t["wakeups"] <= t["work_items"] for t in tasks[:2]), "a wake-up after each burst")
check(tasks[2]["work_items"] == tasks[2]["wakeups"] == 0, "the hog")
# A burst is at least 250 us and a sleep at least 1 ms: a bound on the count.
check(m["work_items"] <= 2 * 200, "bursts bounded")
check(m["wakeups"] == d["roles"][0]["wakeups"] > 0 and m["wakeup_latency_max_ns"] > 0, "wake-ups")
PY
