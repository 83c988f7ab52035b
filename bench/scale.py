#!/usr/bin/python3
"""How `recommend` grows with the catalog: synthetic user catalogs of N instances merged over the
default one, wall time (median) and peak RSS of `recommend` and of `catalog validate` (loading and
validating only). Results go to stdout as Markdown.

The synthetic instances are the default catalog's own instances cycled (AWS, GCP, Azure; CPU, GPU,
TPU, Neuron), each copy with its own id and name and a price varied by up to 10%, so every one is a
real candidate the engine has to size and score. Their source says "synthetic".

Usage: bench/scale.py BUILD/aiadvise [--sizes 1000,10000,100000] [--runs 3] [--keep DIR]
"""
import argparse
import json
import os
import statistics
import tempfile

from measure import peak_rss_mib, wall_seconds

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOAD = ["--model", "llama-3.1-8b", "--qps", "5", "--tpot-ms", "50", "--format", "json"]
COPIED = ["cloud", "family", "vcpus", "memory_gib", "cpu", "accelerator", "accelerator_count", "network_gbps",
          "region", "price_parts"]


def base_instances():
    out = []
    for cloud in ("aws", "gcp", "azure"):
        with open(os.path.join(ROOT, "data", "catalog", f"instances-{cloud}.json")) as f:
            out += json.load(f)["instances"]
    return out


def synthetic_catalog(n, base):
    instances = []
    for i in range(n):
        b = base[i % len(base)]
        copy = i // len(base)
        e = {"id": f"{b['id']}-syn{copy}", "name": f"{b['name']}-syn{copy}"}
        e.update({k: b[k] for k in COPIED if k in b})
        if "price_usd_per_hour" in b and "price_parts" not in b:
            e["price_usd_per_hour"] = round(b["price_usd_per_hour"] * (1 + (i * 7919 % 100) / 1000), 6)
        elif "price_usd_per_hour" in b:
            e["price_usd_per_hour"] = b["price_usd_per_hour"]
        e["source"] = "synthetic (bench/scale.py), copied from " + b["id"]
        e["as_of"] = "2026-11-26"
        instances.append(e)
    return {"instances": instances}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="write the synthetic catalogs here and keep them")
    opts = parser.parse_args()
    base = base_instances()
    work = opts.keep or tempfile.mkdtemp(prefix="aiadvise-scale-")
    os.makedirs(work, exist_ok=True)
    rows = []
    floor = statistics.median(wall_seconds(opts.binary, ["--version"]) for _ in range(10))
    default = statistics.median(wall_seconds(opts.binary, ["recommend"] + WORKLOAD) for _ in range(10))
    rows.append(("default catalog only", len(base), "-", "recommend", default * 1000, peak_rss_mib(opts.binary, ["recommend"] + WORKLOAD)))
    for n in (int(s) for s in opts.sizes.split(",")):
        path = os.path.join(work, f"synthetic-{n}.json")
        with open(path, "w") as f:
            json.dump(synthetic_catalog(n, base), f)
        mib = os.path.getsize(path) / (1 << 20)
        for label, args in (("catalog validate", ["--max-input-bytes", str(1 << 30), "--catalog", path, "catalog", "validate"]),
                            ("recommend", ["--max-input-bytes", str(1 << 30), "--catalog", path, "recommend"] + WORKLOAD)):
            walls = [wall_seconds(opts.binary, args) for _ in range(opts.runs)]
            rows.append((f"+ {n:,} synthetic", len(base) + n, f"{mib:.1f}", label, statistics.median(walls) * 1000,
                         peak_rss_mib(opts.binary, args)))
        if not opts.keep:
            os.remove(path)
    if not opts.keep:
        os.rmdir(work)
    print(f"Machine: {os.cpu_count()} CPUs; runs per row: {opts.runs} (10 for the first row); "
          f"process floor (--version): {floor * 1000:.2f} ms; binary: {opts.binary}\n")
    print("| catalog | instances | user file MiB | command | median ms | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for label, count, mib, command, ms, rss in rows:
        print(f"| {label} | {count:,} | {mib} | {command} | {ms:.1f} | {rss:.1f} |")


if __name__ == "__main__":
    main()
