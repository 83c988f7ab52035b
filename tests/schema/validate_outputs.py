#!/usr/bin/python3
"""Runs `aiadvise estimate --format json` for a range of workloads and checks each output against
data/schema/estimate.schema.json (and its `workload` against workload.schema.json) with
python3-jsonschema, then feeds each `workload` back through --workload and requires the very same
output, byte for byte. A few invalid workloads must be rejected by both the schema and the binary.

Usage: validate_outputs.py AIADVISE_BINARY DATA_DIR
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import jsonschema

WORKLOAD_ID = "https://aiadvise.dev/schema/workload.schema.json"

# (workload flags, flags that pick the instance) for each case.
CASES = [
    (["--model", "llama-3.1-8b"], []),
    (["--model", "llama-3.1-8b", "--qps", "2", "--output-tokens", "200"], ["--instance", "g5.xlarge"]),
    (["--model", "llama-2-70b", "--precision", "fp16"], ["--instance", "g5.xlarge"]),
    (["--model", "resnet-50", "--phase", "training", "--dataset-samples", "1.28M", "--epochs", "35"],
     ["--instance", "p5.48xlarge"]),
    (["--family", "classical-trees", "--phase", "training", "--dataset-samples", "10M", "--features", "50"],
     ["--instance", "c7i.8xlarge"]),
    (["--model", "llama-2-7b", "--phase", "fine-tuning", "--method", "qlora", "--gradient-checkpointing"],
     ["--instance", "g6.xlarge"]),
    (["--model", "stable-diffusion-1.5", "--mode", "batch", "--denoising-steps", "30", "--deadline-hours", "10",
      "--spot"], ["--instance", "v5litepod-4"]),
    (["--model", "bert-base", "--mode", "batch", "--precision", "int8", "--input-tokens", "128"],
     ["--instance", "inf2.xlarge"]),
    (["--model", "mixtral-8x7b", "--ttft-ms", "500", "--tpot-ms", "50", "--cloud", "aws"],
     ["--instance", "p4d.24xlarge"]),
    (["--family", "classical-clustering", "--phase", "training", "--spot", "--priorities", "cost,ease"],
     ["--instance", "n2-standard-16"]),
    (["--model", "llama-3.1-70b", "--phase", "training", "--dataset-tokens", "1T", "--deadline-hours", "240"],
     ["--instance", "trn1.32xlarge"]),
    (["--model", "xgboost", "--qps", "500", "--traffic", "spiky", "--ops-maturity", "low"],
     ["--instance", "Standard_D8s_v5", "--count", "2"]),
    (["--family", "llm-decoder", "--params", "13B", "--precision", "int4", "--optimizations", "quantized"], []),
    (["--model", "t5-base", "--phase", "fine-tuning", "--method", "lora", "--dataset-samples", "20000"],
     ["--instance", "a2-highgpu-1g"]),
]

# Workloads the reader rejects; the schema must reject them too.
INVALID = [
    {"model": "llama-2-7b", "qps": "12"},
    {"model": "llama-2-7b", "qps": 0},
    {"model": "llama-2-7b", "batch_size": 2.5},
    {"model": "llama-2-7b", "qpss": 1},
    {"model": "llama-2-7b", "method": "lora"},
    {"model": "resnet-50", "phase": "training", "mode": "batch"},
    {"model": "resnet-50", "phase": "training", "qps": 3},
    {"model": "llama-2-7b", "epochs": 2},
    {"model": "llama-2-7b", "precision": "bf61"},
    {"model": "llama-2-7b", "cloud": ["ibm"]},
    {"qps": 1},
]


def run(binary, args):
    return subprocess.run([binary, "estimate", *args, "--format", "json"], capture_output=True, text=True,
                          check=False, timeout=60)


def make_validators(schema_dir):
    workload_schema = json.loads((schema_dir / "workload.schema.json").read_text())
    estimate_schema = json.loads((schema_dir / "estimate.schema.json").read_text())
    for schema in (workload_schema, estimate_schema):
        jsonschema.Draft202012Validator.check_schema(schema)
    assert workload_schema["$id"] == WORKLOAD_ID, workload_schema["$id"]
    try:
        from referencing import Registry, Resource

        resource = Resource.from_contents(workload_schema)
        registry = Registry().with_resources([(WORKLOAD_ID, resource), ("workload.schema.json", resource)])
        estimate = jsonschema.Draft202012Validator(estimate_schema, registry=registry)
    except ImportError:  # python3-jsonschema before 4.18
        resolver = jsonschema.RefResolver.from_schema(
            estimate_schema, store={WORKLOAD_ID: workload_schema, "workload.schema.json": workload_schema})
        estimate = jsonschema.Draft202012Validator(estimate_schema, resolver=resolver)
    return estimate, jsonschema.Draft202012Validator(workload_schema)


def errors_of(validator, instance):
    return ["/" + "/".join(str(p) for p in e.absolute_path) + ": " + e.message for e in validator.iter_errors(instance)]


def main():
    binary = sys.argv[1]
    data = pathlib.Path(sys.argv[2])
    estimate_validator, workload_validator = make_validators(data / "schema")
    passed = failed = 0

    def report(ok, what, problems=()):
        nonlocal passed, failed
        if ok:
            passed += 1
            return
        failed += 1
        print(f"FAIL {what}")
        for p in problems:
            print(f"  {p}")

    with tempfile.TemporaryDirectory() as tmp:
        for index, (workload_args, instance_args) in enumerate(CASES):
            what = " ".join(["estimate", *workload_args, *instance_args, "--format", "json"])
            first = run(binary, workload_args + instance_args)
            if first.returncode != 0:
                report(False, what, [f"exit {first.returncode}", first.stderr.strip()])
                continue
            try:
                doc = json.loads(first.stdout)
            except ValueError as e:
                report(False, what, [f"not JSON: {e}"])
                continue
            report(not errors_of(estimate_validator, doc), what + " (estimate schema)",
                   errors_of(estimate_validator, doc))
            report(not errors_of(workload_validator, doc["workload"]), what + " (workload schema)",
                   errors_of(workload_validator, doc["workload"]))
            if instance_args:
                report("instance" in doc, what + " (has an instance)")

            path = os.path.join(tmp, f"workload-{index}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc["workload"], f, indent=2)
            second = run(binary, ["--workload", path] + instance_args)
            same = second.returncode == 0 and second.stdout == first.stdout
            problems = []
            if not same:
                problems = [f"exit {second.returncode}", second.stderr.strip()]
                a, b = first.stdout.splitlines(), second.stdout.splitlines()
                for line, (x, y) in enumerate(zip(a, b)):
                    if x != y:
                        problems += [f"line {line + 1}: {x.strip()} != {y.strip()}"]
                        break
                else:
                    problems += [f"{len(a)} lines against {len(b)}"]
            report(same, what + " (round trip through --workload)", problems)

        for index, workload in enumerate(INVALID):
            what = f"invalid workload {json.dumps(workload)}"
            report(bool(errors_of(workload_validator, workload)), what + " (rejected by the schema)")
            path = os.path.join(tmp, f"invalid-{index}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(workload, f)
            result = run(binary, ["--workload", path])
            report(result.returncode == 2 and result.stdout == "", what + " (rejected by aiadvise with exit 2)",
                   [f"exit {result.returncode}", result.stderr.strip()])

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
