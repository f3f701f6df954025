#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the documents a VM boot printed on its console against their JSON
Schemas (libscx/schemas, scx-json(5)), on the host after the VM exited:

  SCX-VM-JSON {...}   every line of an scx-run kernel-mode output (emit_json
                      in guest/lib.sh): statistics lines, then the final
                      report; scxkit.run/1, mode "kernel", each run's lines
                      ending with its final report
  SCX-VM-BENCH {...}  a kernel-mode scxkit.bench/1 document, complete, every
                      run measured with the scheduler checked around it

Prints every problem with its console line; exit 1 if there is any."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import validate_json  # noqa: E402 (the schemas and the validator of the cli tests)


def check_run(doc):
    """What the schema leaves open: this is kernel mode."""
    if doc.get("type") == "final" and doc.get("mode") != "kernel":
        return [f"mode is {doc.get('mode')!r}, expected 'kernel'"]
    return []


def check_bench(doc):
    """A kernel benchmark that succeeded: every sample kept with its checks."""
    if doc["mode"] != "kernel":
        return [f"mode is {doc['mode']!r}, expected 'kernel'"]
    if doc["complete"] is not True:
        return ["not complete: " + str(doc["failure"])]
    out = []
    for r in doc["results"]:
        if len(r["times"]) != doc["runs"] or len(r["samples"]) != doc["runs"]:
            out.append(f"{r['command']}: {len(r['samples'])} samples for {doc['runs']} runs")
        for s in r["samples"] + r["warmup_samples"]:
            where = f"{r['command']} run {s['run']}"
            if not (s["ok"] and s["value"] > 0):
                out.append(f"{where}: no value")
                continue
            checks = s["detail"]["sched_ext"]
            want = ("disabled", "disabled") if r["default"] else ("enabled (scxkit)", "enabled (scxkit)")
            if (checks["before"], checks["after"]) != want:
                out.append(f"{where}: sched_ext {checks}")
            if checks.get("after_stop") != "disabled" or s["detail"]["exit"]["kind"] != "done":
                out.append(f"{where}: not stopped cleanly")
    return out


def main(path):
    schemas = validate_json.Schemas(os.path.normpath(validate_json.DEFAULT_DIR))
    kinds = {"SCX-VM-JSON ": ("scxkit.run/1", check_run), "SCX-VM-BENCH ": ("scxkit.bench/1", check_bench)}
    bad = 0
    count = {"stats": 0, "final": 0, "bench": 0}
    last_run = None  # the last SCX-VM-JSON line of the current run of them
    lines = open(path, errors="replace").read().splitlines()
    for n, line in enumerate(lines + [""], 1):
        prefix = next((p for p in kinds if line.startswith(p)), None)
        if prefix != "SCX-VM-JSON " and last_run is not None:
            if last_run.get("type") != "final":
                print(f"console line {n - 1}: the run's lines do not end with its final report")
                bad += 1
            last_run = None
        if prefix is None:
            continue
        schema_id, semantic = kinds[prefix]
        try:
            doc = validate_json.parse(line[len(prefix):])
        except ValueError as e:
            print(f"console line {n}: not JSON ({e}): {line[:200]}")
            bad += 1
            continue
        found = validate_json.problems(schemas.by_id(schema_id), doc)
        if not found:
            found = semantic(doc)
        for p in found[:validate_json.MAX_ERRORS]:
            print(f"console line {n}: {p} ({schema_id})")
        if found:
            print(f"  {line[:300]}")
            bad += 1
        if prefix == "SCX-VM-JSON ":
            last_run = doc if isinstance(doc, dict) else {}
            if last_run.get("type") in ("stats", "final"):
                count[last_run["type"]] += 1
        else:
            count["bench"] += 1
    print(f"check_json: {count['final']} scxkit.run/1 final reports and {count['stats']} statistics lines, "
          f"{count['bench']} scxkit.bench/1 documents: {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
