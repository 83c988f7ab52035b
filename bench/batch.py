#!/usr/bin/python3
"""Batch throughput: `aiadvise recommend --batch` and `check --batch` on N mixed workloads (ten
families cycled), one process, one thread. Prints workloads per second and peak RSS.

Usage: bench/batch.py BUILD/aiadvise [--count N]
"""
import argparse
import json
import resource
import subprocess
import tempfile
import time

TEMPLATES = [
    {"model": "llama-3.1-8b", "qps": 2},
    {"model": "llama-2-70b", "precision": "fp16", "qps": 1},
    {"model": "resnet-50", "qps": 20},
    {"model": "xgboost", "qps": 100},
    {"model": "bert-base", "mode": "batch", "dataset_samples": 1e7},
    {"model": "stable-diffusion-1.5", "qps": 0.5},
    {"model": "llama-2-7b", "phase": "fine-tuning", "method": "lora", "dataset_tokens": 2e7},
    {"model": "resnet-50", "phase": "training", "dataset_samples": 1.28e6, "epochs": 90, "deadline_hours": 24},
    {"family": "classical-clustering", "phase": "training", "dataset_samples": 1e6},
    {"model": "mixtral-8x7b", "qps": 1},
]
PROPOSED = ["g5.xlarge", "p4d.24xlarge", "c7i.large", "c7i.large", "g6.xlarge", "g5.xlarge", "g6e.xlarge", "p5.48xlarge",
            "c7i.2xlarge", "g6e.12xlarge"]


def run(binary, args, lines):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
        path = f.name
    start = time.perf_counter()
    proc = subprocess.run([binary, *args, "--batch", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args} exited {proc.returncode}: {proc.stderr[:500]}")
    return wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--count", type=int, default=1000)
    opts = parser.parse_args()
    workloads = [TEMPLATES[i % len(TEMPLATES)] for i in range(opts.count)]
    proposals = [{"name": f"w{i}", "workload": TEMPLATES[i % len(TEMPLATES)], "proposed": {"instance": PROPOSED[i % len(PROPOSED)]}}
                 for i in range(opts.count)]
    rec = run(opts.binary, ["recommend"], workloads)
    chk = run(opts.binary, ["check"], proposals)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"| command | workloads | wall s | workloads/s |")
    print(f"|---|---|---|---|")
    print(f"| recommend --batch | {opts.count} | {rec:.2f} | {opts.count / rec:.0f} |")
    print(f"| check --batch | {opts.count} | {chk:.2f} | {opts.count / chk:.0f} |")
    print(f"\nPeak RSS of the larger run: {rss:.1f} MiB")


if __name__ == "__main__":
    main()
