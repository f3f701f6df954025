#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check every final document a VM scenario printed (lines "SCX-VM-JSON
{...}") against scxkit.run/1, and every benchmark document (lines
"SCX-VM-BENCH {...}") against scxkit.bench/1 (see scx-json(5)). Exit 1 on
the first bad one."""
import json
import sys

REQUIRED = {"schema": str, "type": str, "mode": str, "policy": str, "exit": dict,
            "counters": dict, "metrics": dict}
EXIT = {"kind": str, "code": int, "reason": str, "message": str}
COUNTERS = ["nr_queued", "nr_scheduled", "nr_running", "nr_online_cpus", "nr_user_dispatches",
            "nr_kernel_dispatches", "nr_cancel_dispatches", "nr_bounce_dispatches",
            "nr_failed_dispatches", "nr_congestion"]


def check(doc):
    for key, typ in REQUIRED.items():
        if not isinstance(doc.get(key), typ):
            return f"{key} missing or not {typ.__name__}"
    if doc["schema"] != "scxkit.run/1" or doc["type"] != "final" or doc["mode"] != "kernel":
        return "schema/type/mode"
    for key, typ in EXIT.items():
        if not isinstance(doc["exit"].get(key), typ):
            return f"exit.{key} missing or not {typ.__name__}"
    for key in COUNTERS:
        if not isinstance(doc["counters"].get(key), int):
            return f"counters.{key} missing"
    for key, value in doc["metrics"].items():
        if not isinstance(value, (int, float)):
            return f"metrics.{key} is not a number"
    for key in ("duration_s", "attach_s", "detach_s", "decisions_per_s"):
        if key not in doc["metrics"]:
            return f"metrics.{key} missing"
    return None


def check_bench(doc):
    """scxkit.bench/1 from a kernel run: every sample kept with its checks."""
    if doc.get("schema") != "scxkit.bench/1" or doc.get("mode") != "kernel":
        return "schema/mode"
    if doc.get("complete") is not True:
        return "not complete: " + str(doc.get("failure"))
    for r in doc.get("results", []):
        for key in ("command", "mean", "stddev", "median", "user", "system", "min", "max", "times", "exit_codes"):
            if key not in r:
                return f"results[].{key} (hyperfine's) missing"
        if len(r["times"]) != doc["runs"] or len(r["samples"]) != doc["runs"]:
            return f"{r['command']}: {len(r['samples'])} samples for {doc['runs']} runs"
        for s in r["samples"] + r["warmup_samples"]:
            if not (s["ok"] and isinstance(s["value"], (int, float)) and s["value"] > 0):
                return f"{r['command']} run {s['run']}: no value"
            checks = s["detail"]["sched_ext"]
            want = ("disabled", "disabled") if r["default"] else ("enabled (scxkit)", "enabled (scxkit)")
            if (checks["before"], checks["after"]) != want:
                return f"{r['command']} run {s['run']}: sched_ext {checks}"
            if not r["default"] and (checks["after_stop"] != "disabled" or s["detail"]["scx_run"]["exit_code"] != 0):
                return f"{r['command']} run {s['run']}: not stopped cleanly"
    return None


n = 0
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\r\n")
    if line.startswith("SCX-VM-BENCH "):
        try:
            err = check_bench(json.loads(line[len("SCX-VM-BENCH "):]))
        except (ValueError, KeyError, TypeError) as e:
            err = f"{type(e).__name__}: {e}"
        if err:
            print(f"bad scxkit.bench/1 document ({err}): {line[:300]}")
            sys.exit(1)
        continue
    if not line.startswith("SCX-VM-JSON "):
        continue
    n += 1
    try:
        doc = json.loads(line[len("SCX-VM-JSON "):])
    except ValueError as e:
        print(f"invalid JSON: {e}: {line[:200]}")
        sys.exit(1)
    err = check(doc)
    if err:
        print(f"bad scxkit.run/1 document ({err}): {line[:300]}")
        sys.exit(1)
sys.exit(0)
