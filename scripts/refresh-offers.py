#!/usr/bin/python3
"""Refreshes the regional offers of the default catalog (data/catalog/instances-*.json) from
public price sources, and checks that the catalog matches the snapshot it names.

The inputs are kept in data/sources/ as the minimal rows the catalog needs (data/sources/README.md
names each upstream file, repository, commit and date):
  gcp-vms.csv, azure-vms.csv  rows of SkyPilot's catalog format for the catalog's instance types,
                              from anycloud-sh/catalog (a maintained copy of SkyPilot's catalogs)
  aws-karpenter.csv           on-demand prices from Karpenter's generated price tables
  aws-skypilot.csv            AWS offers of the accelerated families from SkyPilot's own catalog
                              (aggregated per region: see data/sources/README.md)

Usage:
  scripts/refresh-offers.py --anycloud DIR --karpenter DIR   # re-read upstream checkouts, then derive
  scripts/refresh-offers.py                                   # derive offers from data/sources only
  scripts/refresh-offers.py --check                           # exit 1 if data/catalog differs from data/sources

How an offer is derived (docs/catalog.md, "Offers and regions"):
  - one offer per instance type and region; its price is the minimum non-empty Price over the
    region's rows (the rows repeat per zone), its spot price likewise, `zones` the zones listed;
  - GCP GPU machines (a2, a3, a4, g2) and "n1-standard-8+t4x1" entries: VM row + GPU row of the same
    zone, the cheapest zone;
  - TPU slices: the tpu-* rows (the whole slice);
  - Azure: a spot price equal to the on-demand price is no spot price (SkyPilot fills an empty
    Spot meter with the on-demand price), and is left out;
  - AWS: SkyPilot's rows where it has the region (they carry spot prices), else Karpenter's;
  - the home region (where an instance is priced when no --region is given) is the catalog's
    reference region (us-east-1, us-central1, eastus) where the instance is sold there, else the
    cheapest region.
"""
import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(ROOT, "data", "sources")
CATALOG = os.path.join(ROOT, "data", "catalog")
REFERENCE = {"aws": "us-east-1", "gcp": "us-central1", "azure": "eastus"}
MIN_PRICE, MAX_PRICE = 1e-6, 1e5

# GCP machine types whose VM row excludes the GPUs they always come with (as SkyPilot prices them).
GCP_ATTACHED = [("a2-highgpu-", "A100"), ("a2-megagpu-", "A100"), ("a2-ultragpu-", "A100-80GB"), ("a3-highgpu-", "H100"),
                ("a3-edgegpu-", "H100"), ("a3-megagpu-", "H100-MEGA"), ("a3-ultragpu-", "H200"), ("a4-highgpu-", "B200")]
GCP_G2 = {"g2-standard-4": 1, "g2-standard-8": 1, "g2-standard-12": 1, "g2-standard-16": 1, "g2-standard-24": 2,
          "g2-standard-32": 1, "g2-standard-48": 4, "g2-standard-96": 8}

GCP_COLUMNS = ["InstanceType", "vCPUs", "MemoryGiB", "AcceleratorName", "AcceleratorCount", "Region", "AvailabilityZone",
               "Price", "SpotPrice"]
AZURE_COLUMNS = ["InstanceType", "AcceleratorName", "AcceleratorCount", "vCPUs", "MemoryGiB", "Price", "SpotPrice", "Region"]


def fail(message):
    print(f"refresh-offers: {message}", file=sys.stderr)
    sys.exit(2)


def number(text):
    if text is None or text.strip() == "":
        return None
    value = float(text)
    return value if value > 0 else None


def part(text):
    """A price part: 0 counts (unlike number())."""
    if text is None or text.strip() == "":
        return None
    value = float(text)
    return value if value >= 0 else None


def git_commit(directory, path):
    out = subprocess.run(["git", "-C", directory, "log", "-1", "--format=%H %cs", "--", path], capture_output=True, text=True,
                         check=True).stdout.split()
    if len(out) != 2:
        fail(f"{directory}: no commit for {path}")
    return out[0], out[1]


def git_show(directory, path):
    return subprocess.run(["git", "-C", directory, "show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout


def load_catalog():
    out = {}
    for cloud in ("aws", "gcp", "azure"):
        with open(os.path.join(CATALOG, f"instances-{cloud}.json"), encoding="utf-8") as f:
            out[cloud] = json.load(f)
    return out


def gcp_attached(name):
    for prefix, gpu in GCP_ATTACHED:
        if name.startswith(prefix) and name.endswith("g") and name[len(prefix):-1].isdigit():
            return gpu, int(name[len(prefix):-1])
    if name in GCP_G2:
        return "L4", GCP_G2[name]
    return None


def gcp_combo(name):
    """'n1-standard-8+t4x1' -> ('n1-standard-8', 'T4', 1)."""
    m = re.fullmatch(r"(.+)\+([a-z0-9-]+)x(\d+)", name)
    return (m.group(1), m.group(2).upper(), int(m.group(3))) if m else None


def tpu_row_name(instance):
    """The tpu-* AcceleratorName of a TPU slice entry ('v5litepod-8' -> 'tpu-v5litepod-8')."""
    return "tpu-" + instance["name"] if instance.get("family", "").startswith("tpu-") else None


# --- reading upstream ----------------------------------------------------------------------------


def read_upstream(args, catalog):
    """Writes data/sources/*.csv and provenance.json from upstream checkouts."""
    provenance = {}
    os.makedirs(SOURCES, exist_ok=True)
    if args.anycloud:
        for cloud, columns in (("gcp", GCP_COLUMNS), ("azure", AZURE_COLUMNS)):
            path = f"{cloud}/vms.csv"
            commit, date = git_commit(args.anycloud, path)
            rows = list(csv.DictReader(io.StringIO(git_show(args.anycloud, path))))
            names = {i["name"] for i in catalog[cloud]["instances"]}
            wanted_vm, wanted_acc = set(), set()
            for name in names:
                combo = gcp_combo(name) if cloud == "gcp" else None
                if combo:
                    wanted_vm.add(combo[0])
                    wanted_acc.add((combo[1], combo[2]))
                    continue
                wanted_vm.add(name)
                attached = gcp_attached(name) if cloud == "gcp" else None
                if attached:
                    wanted_acc.add(attached)
            tpus = {tpu_row_name(i) for i in catalog[cloud]["instances"]} - {None}
            kept = []
            for r in rows:
                if r["InstanceType"]:
                    keep = r["InstanceType"] in wanted_vm
                elif r["AcceleratorName"] in tpus:
                    keep = True
                else:
                    count = number(r["AcceleratorCount"])
                    keep = count is not None and (r["AcceleratorName"], int(count)) in wanted_acc
                if keep:
                    kept.append([r[c] for c in columns])
            kept.sort(key=lambda x: [str(v) for v in x])
            with open(os.path.join(SOURCES, f"{cloud}-vms.csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(columns)
                w.writerows(kept)
            provenance[f"{cloud}-vms.csv"] = {
                "repository": "anycloud-sh/catalog", "path": path, "commit": commit, "date": date,
                "url": f"https://github.com/anycloud-sh/catalog/blob/{commit}/{path}",
                "rows_upstream": len(rows), "rows_kept": len(kept),
                "note": "a maintained copy of SkyPilot's catalog (schema of skypilot-org/skypilot-catalog); rows of the "
                        "catalog's instance types and the GPU and TPU rows they are priced with; GpuInfo dropped"}
    if args.karpenter:
        names = {i["name"] for i in catalog["aws"]["instances"]}
        kept = []
        files = {}
        for path in ("pkg/providers/pricing/zz_generated.pricing_aws.go", "pkg/providers/pricing/zz_generated.pricing_aws_us_gov.go"):
            commit, date = git_commit(args.karpenter, path)
            text = git_show(args.karpenter, path)
            generated = re.search(r"// generated at (\S+)", text)
            region = None
            for line in text.splitlines():
                m = re.match(r'\t"([a-z0-9-]+)": \{', line)
                if m:
                    region = m.group(1)
                    continue
                for t, price in re.findall(r'"([a-z0-9.-]+)": ([0-9.]+)', line):
                    if region and t in names:
                        kept.append([t, region, price])
            files[path] = {"commit": commit, "date": date, "generated_at": generated.group(1) if generated else None,
                           "url": f"https://github.com/aws/karpenter-provider-aws/blob/{commit}/{path}"}
        kept.sort()
        with open(os.path.join(SOURCES, "aws-karpenter.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["InstanceType", "Region", "Price"])
            w.writerows(kept)
        provenance["aws-karpenter.csv"] = {"repository": "aws/karpenter-provider-aws", "files": files,
                                           "rows_kept": len(kept),
                                           "note": "on-demand Linux prices of the catalog's AWS types (no spot prices)"}
    path = os.path.join(SOURCES, "provenance.json")
    old = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
    old.update(provenance)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(old, indent=2, sort_keys=True) + "\n")


# --- deriving offers -----------------------------------------------------------------------------


def read_rows(name):
    with open(os.path.join(SOURCES, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def put(offers, region, price=None, spot=None, zone=None):
    o = offers.setdefault(region, {"price": None, "spot": None, "zones": set()})
    if zone:
        o["zones"].add(zone)
    if price is not None and (o["price"] is None or price < o["price"]):
        o["price"] = price
    if spot is not None and (o["spot"] is None or spot < o["spot"]):
        o["spot"] = spot


def combine(vm_rows, acc_rows):
    """Per region: the cheapest zone's VM + GPU sum, on demand (with its parts) and spot."""
    def by_zone(rows):
        # NOTE: here an explicit 0 is a part of the price, not a missing one: SkyPilot prices A4
        # machines (B200) through the GPU row alone, with a VM row of 0.0.
        out = {}
        for r in rows:
            key = (r["Region"], r["AvailabilityZone"])
            price, spot = out.get(key, (None, None))
            p, s = part(r["Price"]), part(r["SpotPrice"])
            out[key] = (p if price is None or (p is not None and p < price) else price,
                        s if spot is None or (s is not None and s < spot) else spot)
        return out
    vm, acc = by_zone(vm_rows), by_zone(acc_rows)
    offers = {}
    for key, (vp, vs) in sorted(vm.items()):
        if key not in acc:
            continue
        ap, aspot = acc[key]
        o = offers.setdefault(key[0], {"price": None, "spot": None, "zones": set(), "parts": None})
        o["zones"].add(key[1])
        if vp is not None and ap is not None and vp + ap > 0:
            total = round(vp + ap, 9)
            if o["price"] is None or total < o["price"]:
                o["price"], o["parts"] = total, (vp, ap) if vp > 0 and ap > 0 else None
        if vs is not None and aspot is not None and vs + aspot > 0:
            total = round(vs + aspot, 9)
            if o["spot"] is None or total < o["spot"]:
                o["spot"] = total
    return offers


def gcp_offers(instances):
    rows = read_rows("gcp-vms.csv")
    vm, acc = {}, {}
    for r in rows:
        if r["InstanceType"]:
            vm.setdefault(r["InstanceType"], []).append(r)
        else:
            count = number(r["AcceleratorCount"])
            acc.setdefault((r["AcceleratorName"], int(count) if count else 0), []).append(r)
    out = {}
    for i in instances:
        name = i["name"]
        combo = gcp_combo(name)
        tpu = tpu_row_name(i)
        if tpu:
            offers = {}
            for r in acc.get((tpu, 1), []):
                put(offers, r["Region"], number(r["Price"]), number(r["SpotPrice"]), r["AvailabilityZone"])
            how = f"TPU slice: the {tpu} rows (the whole slice)"
        elif combo or gcp_attached(name):
            vm_name, gpu, count = combo if combo else (name,) + gcp_attached(name)
            offers = combine(vm.get(vm_name, []), acc.get((gpu, count), []))
            how = f"GPUs billed apart: {vm_name} VM row + {gpu} x{count} GPU row of the same zone, the cheapest zone; spot likewise"
        else:
            offers = {}
            for r in vm.get(name, []):
                put(offers, r["Region"], number(r["Price"]), number(r["SpotPrice"]), r["AvailabilityZone"])
            how = "the minimum Price and SpotPrice over each region's zone rows"
        out[i["id"]] = (offers, how)
    return out


def azure_offers(instances):
    rows = read_rows("azure-vms.csv")
    by_type = {}
    for r in rows:
        by_type.setdefault(r["InstanceType"], []).append(r)
    out = {}
    for i in instances:
        offers = {}
        for r in by_type.get(i["name"], []):
            price, spot = number(r["Price"]), number(r["SpotPrice"])
            if spot is not None and price is not None and spot == price:
                spot = None  # SkyPilot's stand-in for an Azure size without a Spot meter
            put(offers, r["Region"], price, spot)
        out[i["id"]] = (offers, "the region's row; a SpotPrice equal to Price is no spot price (SkyPilot fills a missing "
                                "Spot meter with the on-demand price) and is left out")
    return out


def aws_offers(instances):
    karpenter = {}
    for r in read_rows("aws-karpenter.csv"):
        karpenter.setdefault(r["InstanceType"], {})[r["Region"]] = number(r["Price"])
    skypilot = {}
    if os.path.exists(os.path.join(SOURCES, "aws-skypilot.csv")):
        for r in read_rows("aws-skypilot.csv"):
            skypilot.setdefault(r["InstanceType"], {})[r["Region"]] = (number(r["Price"]), number(r["SpotPrice"]),
                                                                       int(r["Zones"]) if r["Zones"] else None)
    out = {}
    for i in instances:
        offers = {}
        for region, price in karpenter.get(i["name"], {}).items():
            offers[region] = {"price": price, "spot": None, "zones": set(), "source": "karpenter"}
        for region, (price, spot, zones) in skypilot.get(i["name"], {}).items():
            offers[region] = {"price": price, "spot": spot, "zones": set(range(zones or 0)), "source": "skypilot"}
        out[i["id"]] = (offers, "SkyPilot's rows where it lists the region (minimum Price and SpotPrice over the zone rows), "
                                "else Karpenter's on-demand price (no spot)")
    return out


PRICE_WORDS = re.compile(r"price|spot|on-demand|derived: VM row|snapshot date|as_of/price_as_of|doubt|gpu row|omitted: no us-east",
                         re.IGNORECASE)


def strip_price_notes(notes):
    """Drops the fragments of old notes ('; ' separated, or sentences) that described the single
    price the entry had; the offers' derivation is in price_notes."""
    pieces = re.split(r"(;\s+|(?<=\.)\s+(?=[A-Z]))", notes or "")
    kept = []
    for k in range(0, len(pieces), 2):
        text, sep = pieces[k], pieces[k + 1] if k + 1 < len(pieces) else ""
        if text and not PRICE_WORDS.search(text):
            kept.append(text.rstrip(";") + (sep if sep else ""))
    return "".join(kept).strip().rstrip(";").strip()


def provenance():
    with open(os.path.join(SOURCES, "provenance.json"), encoding="utf-8") as f:
        return json.load(f)


def source_text(prov, key, aws_source=None):
    p = prov[key]
    if key == "aws-karpenter.csv":
        files = p["files"]
        first = next(iter(files.values()))
        return ("Karpenter generated price tables " + ", ".join(os.path.basename(k) for k in files) + " @" + first["commit"][:7] +
                " (" + first["url"] + ")"), first["generated_at"][:10] if first.get("generated_at") else first["date"]
    if p["repository"].startswith("skypilot-org/"):
        return f"SkyPilot catalog {p['repository']} {p['path']} @{p['commit'][:7]} ({p['url']})", p["date"]
    return f"SkyPilot catalog format via {p['repository']} {p['path']} @{p['commit'][:7]} ({p['url']})", p["date"]


def derive(catalog):
    prov = provenance()
    derived = {"gcp": gcp_offers(catalog["gcp"]["instances"]), "azure": azure_offers(catalog["azure"]["instances"]),
               "aws": aws_offers(catalog["aws"]["instances"])}
    changed = {}
    for cloud in ("aws", "gcp", "azure"):
        new = []
        for old in catalog[cloud]["instances"]:
            offers, how = derived[cloud][old["id"]]
            new.append(apply_offers(old, cloud, offers, how, prov))
        changed[cloud] = {"instances": new}
    return changed


def apply_offers(old, cloud, offers, how, prov):
    e = dict(old)
    for key in ("price_usd_per_hour", "spot_price_usd_per_hour", "price_parts"):
        e.pop(key, None)
    priced = {r: o for r, o in offers.items() if o["price"] is not None and MIN_PRICE <= o["price"] <= MAX_PRICE}
    if REFERENCE[cloud] in offers:
        home = REFERENCE[cloud]
    elif priced:
        home = min(priced, key=lambda r: (priced[r]["price"], r))
    elif offers:
        home = min(offers)
    else:
        home = REFERENCE[cloud]
    e["region"] = home
    if cloud == "aws":
        sky = [r for r, o in offers.items() if o.get("source") == "skypilot"]
        main = "aws-skypilot.csv" if sky and "aws-skypilot.csv" in prov else "aws-karpenter.csv"
    else:
        main = f"{cloud}-vms.csv"
    source, date = source_text(prov, main)
    e["price_source"] = source
    e["price_as_of"] = date
    rows = []
    for region in sorted(offers):
        o = offers[region]
        row = {"region": region}
        if o["price"] is not None and MIN_PRICE <= o["price"] <= MAX_PRICE:
            row["price_usd_per_hour"] = o["price"]
        if o["spot"] is not None and MIN_PRICE <= o["spot"] <= MAX_PRICE:
            row["spot_price_usd_per_hour"] = o["spot"]
        if o["zones"]:
            row["zones"] = len(o["zones"])
        if cloud == "aws" and o.get("source") and o["source"] != ("skypilot" if main == "aws-skypilot.csv" else "karpenter"):
            other = "aws-skypilot.csv" if o["source"] == "skypilot" else "aws-karpenter.csv"
            row["source"], row["as_of"] = source_text(prov, other)
        rows.append(row if "source" in row else compact(row))
    home_offer = offers.get(home)
    if home_offer and home_offer.get("parts") and home_offer["price"] is not None:
        e["price_parts"] = {"vm_usd_per_hour": home_offer["parts"][0], "accelerators_usd_per_hour": home_offer["parts"][1]}
    e["offers"] = rows
    notes = strip_price_notes(old.get("notes", ""))
    e["price_notes"] = (f"offers: {how}; {len(rows)} region(s), {len(priced)} priced; home region {home} (the reference region "
                        f"where sold there, else the cheapest); derived by scripts/refresh-offers.py from data/sources")
    e["notes"] = notes
    if not notes:
        e.pop("notes")
    # Keep the file's key order, with the offers at the end of the price fields.
    order = [k for k in old if k in e and k not in ("offers", "price_notes", "price_parts")]
    out = {k: e[k] for k in order}
    for k in ("price_parts", "price_source", "price_as_of", "price_notes", "offers"):
        if k in e:
            out[k] = e[k]
    for k in e:
        out.setdefault(k, e[k])
    return out


def compact(row):
    """The compact offer [region, price, spot price, zones] (docs/catalog.md), trailing unknowns left
    off: thousands of offers load faster as arrays than as objects."""
    items = [row["region"], row.get("price_usd_per_hour"), row.get("spot_price_usd_per_hour"), row.get("zones")]
    while items[-1] is None:
        items.pop()
    return items


def render(doc):
    """JSON as the data files write it (2-space indent), one offer per line."""
    marker = {}
    copy = {"instances": []}
    for k, i in enumerate(doc["instances"]):
        i = dict(i)
        if "offers" in i:
            token = f"@@offers{k}@@"
            marker[token] = i["offers"]
            i["offers"] = token
        copy["instances"].append(i)
    text = json.dumps(copy, indent=2, ensure_ascii=False)
    for token, offers in marker.items():
        lines = ",\n".join("        " + json.dumps(o, ensure_ascii=False) for o in offers)
        text = text.replace(f'"{token}"', "[\n" + lines + "\n      ]" if offers else "[]")
    return text + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anycloud", help="a checkout of anycloud-sh/catalog (GCP and Azure rows)")
    parser.add_argument("--karpenter", help="a checkout of aws/karpenter-provider-aws (AWS on-demand prices)")
    parser.add_argument("--check", action="store_true", help="only compare data/catalog with what data/sources derive")
    args = parser.parse_args()
    catalog = load_catalog()
    if args.anycloud or args.karpenter:
        read_upstream(args, catalog)
    derived = derive(catalog)
    stale = []
    for cloud, doc in derived.items():
        path = os.path.join(CATALOG, f"instances-{cloud}.json")
        text = render(doc)
        with open(path, encoding="utf-8") as f:
            current = f.read()
        if text == current:
            continue
        stale.append(path)
        if not args.check:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if args.check:
        for path in stale:
            print(f"refresh-offers: {os.path.relpath(path, ROOT)} does not match what data/sources derive "
                  f"(run scripts/refresh-offers.py and review the diff)", file=sys.stderr)
        sys.exit(1 if stale else 0)
    for cloud, doc in derived.items():
        n = sum(len(i["offers"]) for i in doc["instances"])
        regions = {o["region"] if isinstance(o, dict) else o[0] for i in doc["instances"] for o in i["offers"]
                   if (o.get("price_usd_per_hour") if isinstance(o, dict) else len(o) > 1 and o[1] is not None)}
        print(f"{cloud}: {len(doc['instances'])} instances, {n} offers, {len(regions)} priced regions")


if __name__ == "__main__":
    main()
