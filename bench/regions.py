#!/usr/bin/python3
"""`recommend` over a user catalog of every region of the three clouds: SkyPilot vms.csv files
imported with `catalog import skypilot --region all`, then wall time (median and minimum of repeated
runs) and peak RSS of `recommend` and `catalog validate` with all of them, against the default
catalog alone. Results go to stdout as Markdown.

GCP and Azure: give SkyPilot's vms.csv for each (anycloud-sh/catalog gcp/vms.csv and azure/vms.csv
cover every region; data/sources holds only the rows the default catalog needs). AWS: give one with
--aws, or the script writes a synthetic one: every AWS instance type of the default catalog sold in
every region and zone where the SkyPilot sample (../shared/corpora/skypilot-sample/aws-vms.csv, real
rows) sells m5.xlarge, priced as the type's home price times that region's m5.xlarge price ratio.

Usage: bench/regions.py BUILD/aiadvise --gcp gcp/vms.csv --azure azure/vms.csv [--aws aws/vms.csv]
       [--runs 10] [--keep DIR]
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import tempfile
import time

from measure import peak_rss_mib, wall_seconds

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "..", "shared", "corpora", "skypilot-sample", "aws-vms.csv")
WORKLOAD = ["recommend", "--model", "llama-3.1-8b", "--qps", "5", "--tpot-ms", "50", "--format", "json"]
BIG = ["--max-input-bytes", str(1 << 30)]
HEADER = ["InstanceType", "AcceleratorName", "AcceleratorCount", "vCPUs", "MemoryGiB", "GpuInfo", "Price", "SpotPrice",
          "Region", "AvailabilityZone"]


def synthetic_aws(path):
    """Every AWS type of the default catalog in every region and zone the sample sells m5.xlarge."""
    with open(SAMPLE) as f:
        pattern = [r for r in csv.DictReader(f) if r["InstanceType"] == "m5.xlarge" and r["Price"]]
    base = next(float(r["Price"]) for r in pattern if r["Region"] == "us-east-1")
    with open(os.path.join(ROOT, "data", "catalog", "instances-aws.json")) as f:
        instances = json.load(f)["instances"]
    rows = 0
    with open(path, "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(HEADER)
        for i in instances:
            home = next((o for o in i.get("offers", []) if (o["region"] if isinstance(o, dict) else o[0]) == i["region"]), None)
            price = (home.get("price_usd_per_hour") if isinstance(home, dict) else home[1] if home and len(home) > 1 else None)
            if not price:
                continue
            for r in pattern:
                ratio = float(r["Price"]) / base
                spot = f"{float(r['SpotPrice']) / float(r['Price']) * price * ratio:.6f}" if r["SpotPrice"] else ""
                w.writerow([i["name"], "", "", f"{i['vcpus']:.1f}", f"{i['memory_gib']:.1f}", "", f"{price * ratio:.5g}", spot,
                            r["Region"], r["AvailabilityZone"]])
                rows += 1
    return rows


def run_import(binary, csv_path, cloud, out):
    start = time.perf_counter()
    proc = subprocess.run([binary] + BIG + ["catalog", "import", "skypilot", csv_path, "--cloud", cloud, "--region", "all",
                                            "-o", out, "--format", "json"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"import of {csv_path} exited {proc.returncode}: {proc.stderr[:2000]}")
    summary = json.loads(proc.stdout)
    with open(out) as f:
        doc = json.load(f)
    offers = sum(len(i.get("offers", [])) for i in doc.get("instances", []))
    return wall, summary, offers, os.path.getsize(out)


def timed(binary, args, runs):
    wall_seconds(binary, args)  # warm the page cache
    walls = [wall_seconds(binary, args) for _ in range(runs)]
    return statistics.median(walls) * 1000, min(walls) * 1000, peak_rss_mib(binary, args)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--gcp", required=True)
    parser.add_argument("--azure", required=True)
    parser.add_argument("--aws")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", help="write the imported catalogs here and keep them")
    opts = parser.parse_args()
    work = opts.keep or tempfile.mkdtemp(prefix="aiadvise-regions-")
    os.makedirs(work, exist_ok=True)
    aws = opts.aws
    note = "SkyPilot vms.csv given with --aws"
    if not aws:
        aws = os.path.join(work, "aws-synthetic-vms.csv")
        note = f"synthetic, {synthetic_aws(aws)} rows (see the script)"

    catalogs = []
    print(f"Machine: {os.cpu_count()} CPUs; runs per command: {opts.runs}; binary: {opts.binary}\n")
    print("| import (--region all) | wall s | rows read | rows bad | instances written | offers | file MB |")
    print("|---|---|---|---|---|---|---|")
    total = 0
    for cloud, path, label in (("aws", aws, note), ("gcp", opts.gcp, opts.gcp), ("azure", opts.azure, opts.azure)):
        out = os.path.join(work, f"{cloud}.json")
        wall, summary, offers, size = run_import(opts.binary, path, cloud, out)
        total += offers
        catalogs += ["--catalog", out]
        written = summary.get("instances_written", summary.get("written", "?"))
        print(f"| {cloud}: {label} | {wall:.2f} | {summary.get('rows_read', '?')} | {summary.get('rows_bad', '?')} | "
              f"{written} | {offers} | {size / 1e6:.1f} |")
    print(f"\nOffers in the user catalogs: {total}\n")

    print("| command | median ms | min ms | peak RSS MiB |")
    print("|---|---|---|---|")
    rows = [
        ("--version (process floor)", ["--version"]),
        ("recommend, default catalog", WORKLOAD),
        ("recommend, every region (home regions)", BIG + catalogs + WORKLOAD),
        ("recommend --region any, every region", BIG + catalogs + WORKLOAD + ["--region", "any"]),
        ("recommend --region eu-west-1,europe-west4,westeurope", BIG + catalogs + WORKLOAD + ["--region", "eu-west-1,europe-west4,westeurope"]),
        ("catalog validate, every region", BIG + catalogs + ["catalog", "validate"]),
    ]
    for label, args in rows:
        med, mn, rss = timed(opts.binary, args, opts.runs)
        print(f"| {label} | {med:.1f} | {mn:.1f} | {rss:.1f} |")


if __name__ == "__main__":
    main()
