#!/usr/bin/python3
"""Validates examples/aiadvise.json against data/schema/project.schema.json (with workload.schema.json
resolved locally), makes sure the schema rejects a few broken project files, and checks the
structure of `aiadvise check --project examples/aiadvise.json --format json`: summary counts add
up, every workload has a verdict, every finding has rule, severity and message.

Usage: validate_check.py AIADVISE_BINARY SOURCE_DIR
"""
import json
import pathlib
import subprocess
import sys

import jsonschema

PROJECT_ID = "https://aiadvise.dev/schema/project.schema.json"
WORKLOAD_ID = "https://aiadvise.dev/schema/workload.schema.json"

INVALID = [
    {},
    {"workloads": {}},
    {"workloads": [{"name": "a"}]},
    {"workloads": [{"name": "a", "workload": {"model": "bert-base"}, "proposed": {"instance": "g5.xlarge", "count": 0}}]},
    {"workloads": [{"name": "a", "workload": {"model": "bert-base"}, "proposed": {"count": 2}}]},
    {"workloads": [{"name": "a", "workload": {"model": "bert-base"}, "colour": "blue"}]},
    {"workloads": [{"name": "a", "workload": {"model": "bert-base", "qps": "12"}}]},
    {"workloads": [], "terraform": {"resources": {"aws_instance.x": 3}}},
]


def make_validator(schema_dir):
    project = json.loads((schema_dir / "project.schema.json").read_text())
    workload = json.loads((schema_dir / "workload.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(project)
    assert project["$id"] == PROJECT_ID, project["$id"]
    try:
        from referencing import Registry, Resource

        resource = Resource.from_contents(workload)
        registry = Registry().with_resources([(WORKLOAD_ID, resource), ("workload.schema.json", resource)])
        return jsonschema.Draft202012Validator(project, registry=registry)
    except ImportError:  # python3-jsonschema < 4.18
        resolver = jsonschema.RefResolver.from_schema(project, store={WORKLOAD_ID: workload, "workload.schema.json": workload})
        return jsonschema.Draft202012Validator(project, resolver=resolver)


def main():
    binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
    passed, failed = 0, 0

    def expect(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}")

    validator = make_validator(source / "data" / "schema")
    example = source / "examples" / "aiadvise.json"
    errors = list(validator.iter_errors(json.loads(example.read_text())))
    expect(not errors, f"{example}: " + "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors))
    for fixture in sorted((source / "tests" / "fixtures" / "check").glob("*.json")):
        errors = list(validator.iter_errors(json.loads(fixture.read_text())))
        expect(not errors, f"{fixture}: " + "; ".join(e.message for e in errors))
    for doc in INVALID:
        expect(not validator.is_valid(doc), f"schema accepts {json.dumps(doc)}")

    run = subprocess.run([binary, "check", "--project", str(example), "--format", "json"], capture_output=True, text=True,
                         check=False, timeout=120)
    expect(run.returncode in (0, 1), f"check exited {run.returncode}: {run.stderr}")
    expect(run.stderr == "", f"check wrote to stderr: {run.stderr}")
    report = json.loads(run.stdout)
    summary = report["summary"]
    workloads = report["workloads"]
    expect(summary["workloads"] == len(workloads), "summary.workloads counts the workloads")
    expect(summary["pass"] + summary["warn"] + summary["fail"] == summary["workloads"], "pass + warn + fail = workloads")
    for verdict in ("pass", "warn", "fail"):
        expect(summary[verdict] == sum(w["verdict"] == verdict for w in workloads), f"summary.{verdict} matches the verdicts")
    expect(summary["failed"] == (run.returncode == 1), "summary.failed matches the exit code")
    expect(summary["fail_on"] in ("fail", "warn"), "summary.fail_on")
    rank = {"pass": 0, "warn": 1, "fail": 2}
    for w in workloads:
        name = w.get("name", "?")
        expect(w.get("verdict") in rank, f"{name}: verdict")
        expect(all(k in w for k in ("proposed", "estimate", "findings", "best", "workload")), f"{name}: fields")
        for f in w.get("findings", []):
            expect(isinstance(f.get("rule"), str) and f["rule"] and f.get("severity") in ("warn", "fail") and
                   isinstance(f.get("message"), str) and f["message"], f"{name}: finding {f}")
        worst = max((rank[f["severity"]] for f in w.get("findings", [])), default=0)
        expect(rank.get(w.get("verdict"), -1) == worst, f"{name}: verdict is its worst finding")
    expect(isinstance(report.get("skipped"), list) and isinstance(report.get("warnings"), list), "skipped and warnings are lists")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
