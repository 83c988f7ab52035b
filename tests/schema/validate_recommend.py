#!/usr/bin/python3
"""Runs `aiadvise recommend --format json` on diverse workloads and validates every report against
data/schema/recommendation.schema.json (with workload.schema.json for its `workload`) using
python3-jsonschema, then checks that the report's workload reproduces the report byte for byte.

Usage: validate_recommend.py AIADVISE DATA_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

WORKLOADS = [
    ["--model", "llama-3.1-8b", "--qps", "5", "--tpot-ms", "50"],
    ["--model", "llama-2-70b", "--precision", "fp16", "--qps", "1", "--explain"],
    ["--model", "llama-3.1-70b", "--qps", "0.5", "--cloud", "aws"],
    ["--model", "resnet-50", "--phase", "training", "--dataset-samples", "1.28M", "--epochs", "90", "--deadline-hours", "24"],
    ["--model", "llama-2-7b", "--phase", "fine-tuning", "--method", "qlora", "--dataset-tokens", "10M"],
    ["--model", "xgboost", "--qps", "100", "--ops-maturity", "low", "--traffic", "spiky"],
    ["--family", "classical-clustering", "--phase", "training", "--dataset-samples", "1M"],
    ["--model", "stable-diffusion-1.5", "--qps", "0.5", "--explain"],
    ["--model", "bert-base", "--mode", "batch", "--dataset-samples", "10M"],
    ["--model", "all-minilm-l6-v2", "--qps", "0.5", "--traffic", "intermittent", "--cloud", "aws"],
    ["--model", "llama-3.1-8b", "--qps", "1", "--budget-usd-per-hour", "0.05"],
    ["--model", "mixtral-8x7b", "--qps", "1", "--cloud", "gcp", "--explain"],
]


def main() -> int:
    binary, data = sys.argv[1], sys.argv[2]
    schema_dir = os.path.join(data, "schema")
    with open(os.path.join(schema_dir, "recommendation.schema.json")) as f:
        schema = json.load(f)
    with open(os.path.join(schema_dir, "workload.schema.json")) as f:
        workload_schema = json.load(f)
    try:
        from referencing import Registry, Resource
        resource = Resource.from_contents(workload_schema)
        registry = Registry().with_resources([(workload_schema["$id"], resource), ("workload.schema.json", resource)])
        validator = jsonschema.Draft202012Validator(schema, registry=registry)
    except ImportError:  # python3-jsonschema 4.10 (Debian 12) has no referencing package
        resolver = jsonschema.RefResolver.from_schema(
            schema, store={workload_schema["$id"]: workload_schema, "workload.schema.json": workload_schema})
        validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    workload_validator = jsonschema.Draft202012Validator(workload_schema)

    passed = failed = 0
    for args in WORKLOADS:
        name = " ".join(args)
        run = subprocess.run([binary, "recommend", *args, "--format", "json"], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {name}: exit {run.returncode}: {run.stderr.strip()}")
            failed += 1
            continue
        report = json.loads(run.stdout)
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(report)]
        errors += [f"workload/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in workload_validator.iter_errors(report["workload"])]
        # The workload reproduces the report.
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(report["workload"], f)
            path = f.name
        extra = ["--explain"] if "--explain" in args else []
        again = subprocess.run([binary, "recommend", "--workload", path, "--format", "json", *extra], capture_output=True, text=True)
        os.unlink(path)
        if again.stdout != run.stdout:
            errors.append("feeding the workload back gives a different report")
        if errors:
            failed += 1
            print(f"FAIL {name}:")
            for e in errors[:10]:
                print(f"  {e}")
        else:
            passed += 1
    print(f"recommend outputs: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
