#!/usr/bin/python3
"""Batch throughput: `aiadvise recommend --batch` and `check --batch` on N mixed workloads (ten
workload templates: LLM serving, 70B serving, CNN serving and training, XGBoost, BERT batch,
diffusion, LoRA, k-means, Mixtral; `check` proposes an instance for each), one process, with
aiadvise's default threads (--jobs: the CPUs it may use, at most 8) unless --jobs N is given.

Two streams, because batch mode reuses a decision for a workload it has already seen in the run
(scoring::Memo), and the text it wrote for it (cli::OutputCache), and fleets repeat shapes:
  repeated  the ten templates cycled: after the first ten lines every decision comes from the memo
  distinct  the same templates with their numbers (load, dataset size, deadline) drawn at random:
            every workload differs, so every decision is computed afresh
Prints workloads per second and the peak RSS of each run. --verify also checks, for the repeated
stream, that every line equals the first line of its template (which was computed afresh), apart
from check's "name", "workload_name" and "line" (reading the output makes those runs slower: time without it).

Usage: bench/batch.py BUILD/aiadvise [--count N] [--streams repeated,distinct] [--seed S] [--jobs N] [--verify]
(--jobs is passed on to aiadvise; leave it out for a binary older than the option.)
"""
import argparse
import json
import os
import random
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
# For the distinct stream: each template's numbers, drawn between these bounds (factors of the
# template's own value), so every workload is a different decision of the same kind.
VARIED = {"qps": (0.25, 4), "dataset_samples": (0.2, 5), "dataset_tokens": (0.2, 5), "deadline_hours": (0.5, 3)}


def repeated(count):
    return [TEMPLATES[i % len(TEMPLATES)] for i in range(count)]


def distinct(count, rng):
    out, seen = [], set()
    while len(out) < count:
        w = dict(TEMPLATES[len(out) % len(TEMPLATES)])
        for key, (lo, hi) in VARIED.items():
            if key in w:
                w[key] = float(f"{w[key] * rng.uniform(lo, hi):.6g}")
        key = json.dumps(w, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        out.append(w)
    return out


def run(binary, args, lines, verify=False):
    """Runs one batch; returns (wall seconds, peak RSS in MiB or None, problems found by --verify)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
        path = f.name
    # NOTE: the peak RSS comes from GNU time, which starts aiadvise from its own small process: a
    # process started straight from Python inherits Python's peak (the workload lists) in ru_maxrss.
    rss_file = path + ".rss"
    timer = ["/usr/bin/time", "-f", "%M", "-o", rss_file] if os.path.exists("/usr/bin/time") else []
    try:
        env = dict(os.environ, AIADVISE_PROGRESS="0")
        start = time.perf_counter()
        proc = subprocess.Popen([*timer, binary, *args, "--batch", path], stdout=subprocess.PIPE if verify else subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env)
        problems = check_lines(proc.stdout) if verify else 0
        stderr = proc.stderr.read()
        proc.wait()
        wall = time.perf_counter() - start
        rss = None
        if timer and os.path.exists(rss_file):
            with open(rss_file) as f:
                rss = int(f.read().split()[-1]) / 1024
    finally:
        os.unlink(path)
        if os.path.exists(rss_file):
            os.unlink(rss_file)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args} exited {proc.returncode}: {stderr[:500]}")
    return wall, rss, problems


def check_lines(stream):
    """Every line of the repeated stream equals the first line of its template."""
    first, problems = {}, 0
    for k, raw in enumerate(stream):
        line = json.loads(raw)
        line.pop("name", None)
        line.pop("workload_name", None)  # check: the name again
        line.pop("line", None)
        t = k % len(TEMPLATES)
        if t not in first:
            first[t] = line
        elif line != first[t]:
            problems += 1
            if problems <= 3:
                print(f"verify: line {k + 1} differs from line {t + 1} (same workload)")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--streams", default="repeated,distinct")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, help="passed on as --jobs N (default: aiadvise's own default)")
    parser.add_argument("--verify", action="store_true")
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    rows, problems = [], 0
    for stream in opts.streams.split(","):
        workloads = repeated(opts.count) if stream == "repeated" else distinct(opts.count, rng)
        proposals = [{"name": f"w{i}", "workload": w, "proposed": {"instance": PROPOSED[i % len(PROPOSED)]}}
                     for i, w in enumerate(workloads)]
        verify = opts.verify and stream == "repeated"
        for command, lines in (("recommend", workloads), ("check", proposals)):
            args = [command] + ([] if opts.jobs is None else ["--jobs", str(opts.jobs)])
            wall, rss, bad = run(opts.binary, args, lines, verify)
            problems += bad
            rows.append((f"{command} --batch", stream, opts.count, wall, opts.count / wall, rss))
    print("| command | stream | workloads | wall s | workloads/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for command, stream, count, wall, rate, rss in rows:
        print(f"| {command} | {stream} | {count} | {wall:.2f} | {rate:.0f} | {'-' if rss is None else f'{rss:.1f}'} |")
    if opts.verify:
        print(f"\nverify: {'every repeated line equals its first computation' if problems == 0 else f'{problems} lines differ'}")
        if problems:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
