#!/usr/bin/python3
"""Validates what `aiadvise check` writes for CI systems against the formats' own schemas:

- --format json against data/schema/check.schema.json (Draft 2020-12),
- --format sarif against the SARIF 2.1.0 JSON Schema (tests/schema/sarif-schema-2.1.0.json, OASIS),
- --format junit against the JUnit XSD (tests/schema/junit-10.xsd, Jenkins xUnit) with lxml, or
  xmllint when lxml is missing,

over the example project, every realistic plan fixture, a --baseline comparison and an empty run.
Also checks that SARIF results equal the JSON findings and that JUnit has one test case per workload.

Usage: validate_ci_formats.py AIADVISE_BINARY SOURCE_DIR
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import jsonschema


def main():
    binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
    fixtures = source / "tests" / "fixtures"
    check_schema = json.loads((source / "data" / "schema" / "check.schema.json").read_text())
    sarif_schema = json.loads((source / "tests" / "schema" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft202012Validator.check_schema(check_schema)
    jsonschema.Draft4Validator.check_schema(sarif_schema)
    check_validator = jsonschema.Draft202012Validator(check_schema)
    sarif_validator = jsonschema.Draft4Validator(sarif_schema)
    xsd = source / "tests" / "schema" / "junit-10.xsd"
    try:
        from lxml import etree

        junit_schema = etree.XMLSchema(etree.parse(str(xsd)))

        def junit_errors(text):
            doc = etree.fromstring(text.encode())
            return [] if junit_schema.validate(doc) else [str(e) for e in junit_schema.error_log]
    except ImportError:
        xmllint = shutil.which("xmllint")
        if not xmllint:
            print("FAIL: neither python3-lxml nor xmllint (libxml2-utils) is installed: scripts/install-deps.sh installs them")
            return 1

        def junit_errors(text):
            run = subprocess.run([xmllint, "--noout", "--schema", str(xsd), "-"], input=text, capture_output=True, text=True, check=False)
            return [] if run.returncode == 0 else [run.stderr]

    passed, failed = 0, 0

    def expect(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}")

    work = pathlib.Path(tempfile.mkdtemp())
    baseline = work / "baseline.json"
    runs = [
        ("example project", ["--project", str(source / "examples" / "aiadvise.json")]),
        ("aws.json", ["--project", str(fixtures / "check" / "terraform-project.json"), "--terraform-plan", str(fixtures / "terraform" / "aws.json")]),
        ("0.12 plan", ["--project", str(fixtures / "check" / "project-0.12.json"), "--terraform-plan", str(fixtures / "terraform" / "aws-0.12.json")]),
        ("for_each plan", ["--project", str(fixtures / "check" / "project-for-each.json"),
                           "--terraform-plan", str(fixtures / "terraform" / "aws-for-each.json"), "--fail-on", "warn"]),
        ("regional GKE", ["--project", str(fixtures / "check" / "project-regional.json"),
                          "--terraform-plan", str(fixtures / "terraform" / "gcp-regional.json")]),
        ("empty, allowed", ["--project", str(fixtures / "check" / "project-empty.json"),
                            "--terraform-plan", str(fixtures / "terraform" / "aws-0.12.json"), "--allow-empty"]),
        ("one workload from flags", ["--model", "bert-base", "--qps", "5", "--proposed", "g5.xlargee"]),
        ("baseline", ["--project", str(source / "examples" / "aiadvise.json"), "--max-cost-ratio", "1000", "--baseline", str(baseline)]),
    ]
    base = subprocess.run([binary, "check", "--project", str(source / "examples" / "aiadvise.json"), "--format", "json"],
                          capture_output=True, text=True, check=False, timeout=120)
    baseline.write_text(base.stdout)
    for name, args in runs:
        outputs = {}
        for fmt in ("json", "sarif", "junit"):
            run = subprocess.run([binary, "check", *args, "--format", fmt], capture_output=True, text=True, check=False, timeout=120)
            expect(run.returncode in (0, 1), f"{name} ({fmt}): exit {run.returncode}: {run.stderr}")
            outputs[fmt] = run.stdout
        try:
            report = json.loads(outputs["json"])
            sarif = json.loads(outputs["sarif"])
        except json.JSONDecodeError as e:
            expect(False, f"{name}: not JSON: {e}")
            continue
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in check_validator.iter_errors(report)]
        expect(not errors, f"{name}: check.schema.json: " + "; ".join(errors[:5]))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in sarif_validator.iter_errors(sarif)]
        expect(not errors, f"{name}: SARIF 2.1.0 schema: " + "; ".join(errors[:5]))
        errors = junit_errors(outputs["junit"])
        expect(not errors, f"{name}: junit-10.xsd: " + "; ".join(errors[:5]))
        findings = sum(len(w["findings"]) for w in report["workloads"])
        expect(len(sarif["runs"][0]["results"]) == findings, f"{name}: one SARIF result per finding")
        expect(outputs["junit"].count("<testcase ") == len(report["workloads"]), f"{name}: one JUnit test case per workload")
        if name == "baseline":
            expect("baseline" in report, "baseline: the report has a baseline section")
    shutil.rmtree(work)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
