#!/usr/bin/python3
"""Wall time and peak RSS of aiadvise commands, medians of repeated runs, against the process
floor (`aiadvise --version`) measured in the same run. Results go to stdout as Markdown.

Usage: bench/bench.py BUILD/aiadvise [--runs N]
"""
import argparse
import os
import statistics

from measure import peak_rss_mib, wall_seconds

COMMANDS = [
    ("--version (process floor)", ["--version"]),
    ("catalog validate", ["catalog", "validate"]),
    ("estimate llama-3.1-8b on g5.xlarge", ["estimate", "--model", "llama-3.1-8b", "--instance", "g5.xlarge", "--format", "json"]),
    ("recommend llama-3.1-8b, 5 qps, TPOT 50 ms", ["recommend", "--model", "llama-3.1-8b", "--qps", "5", "--tpot-ms", "50", "--format", "json"]),
    ("recommend resnet-50 training, 24 h deadline", ["recommend", "--model", "resnet-50", "--phase", "training", "--dataset-samples", "1.28M",
                                                   "--epochs", "90", "--deadline-hours", "24", "--format", "json"]),
    ("recommend xgboost inference, 100 qps", ["recommend", "--model", "xgboost", "--qps", "100", "--format", "json"]),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=30)
    opts = parser.parse_args()
    rows = []
    floor = None
    for label, args in COMMANDS:
        wall_seconds(opts.binary, args)  # warm the page cache
        walls = [wall_seconds(opts.binary, args) for _ in range(opts.runs)]
        median = statistics.median(walls)
        if floor is None:
            floor = median
        rows.append((label, median * 1000, min(walls) * 1000, median / floor, peak_rss_mib(opts.binary, args)))
    print(f"Machine: {os.cpu_count()} CPUs; runs per command: {opts.runs}; binary: {opts.binary}\n")
    print("| command | median ms | min ms | x floor | peak RSS MiB |")
    print("|---|---|---|---|---|")
    for label, med, mn, ratio, rss in rows:
        print(f"| {label} | {med:.2f} | {mn:.2f} | {ratio:.2f} | {rss:.1f} |")


if __name__ == "__main__":
    main()
