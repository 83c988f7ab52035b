#!/usr/bin/python3
"""Hostile inputs at scale (issue 16): wall time, peak RSS, exit status and stderr size of runs that
used to be quadratic, unbounded in memory, or to go on after the reader left.

  diag-unknown-20k     a workload with 20,000 unknown keys (about 250 KB): one diagnostic each
  diag-duplicate-20k   a workload with the same key 20,000 times
  diag-100k            100,000 unknown keys in a 1 MB workload
  config-64mib         a 64 MiB configuration file of empty objects ({"x": [{}, {}, ...]})
  catalog-dir-6x64mib  a catalog directory of six such files
  project-100k         a project file of 100,000 workloads, each with a proposed instance (13.6 MB)
  batch-1m-bad         `recommend --batch` over a million lines that are not JSON
  batch-urandom-10s    `recommend --batch /dev/urandom`, stopped after 10 seconds
  batch-closed-pipe    `recommend --batch` over 100,000 distinct workloads, the reader closing the
                       pipe after 100 bytes (`| head -c 100`): seconds until aiadvise exits

Peak RSS comes from GNU time (/usr/bin/time, Debian package `time`, installed by
scripts/install-deps.sh); inputs are written to a temporary directory and removed afterwards.

Usage: bench/hostile.py BUILD/aiadvise [CASE...]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

MIB = 1 << 20


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def empty_objects(path, size, key):
    # {"KEY": [{},{},...]} of exactly `size` bytes (give or take a few).
    head, tail = '{"%s":[' % key, "{}]}"
    count = (size - len(head) - len(tail)) // 3
    with open(path, "w", encoding="ascii") as f:
        f.write(head)
        chunk = "{}," * 65536
        left = count
        while left > 0:
            n = min(left, 65536)
            f.write(chunk if n == 65536 else "{}," * n)
            left -= n
        f.write(tail)
    return path


def timed(binary, args, stdin=None, timeout=None):
    """(wall seconds, CPU seconds, peak RSS MiB, exit status, stderr bytes) of one run under GNU time.
    CPU time (user + system) is the figure to compare on a loaded machine."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        cmd = ["/usr/bin/time", "-f", "@@rss %M %U %S", binary] + args
        if timeout:
            cmd = ["timeout", "-s", "INT", str(timeout)] + cmd
        proc = subprocess.run(cmd, stdin=stdin or subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        wall = time.perf_counter() - start
        err.seek(0, os.SEEK_END)
        size = err.tell()
        err.seek(max(0, size - 4096))
        tail = err.read().decode("utf-8", "replace")
    rss, cpu, stats = None, None, 0
    for line in tail.splitlines():
        if line.startswith("@@rss "):
            fields = line.split()
            rss = int(fields[1]) / 1024
            cpu = float(fields[2]) + float(fields[3])
            stats = len(line) + 1
    code = proc.returncode
    # GNU time exits with the command's status; `timeout` with 124 when it had to stop it; GNU
    # time adds a line of its own when the status is not 0.
    other = sum(len(l) + 1 for l in tail.splitlines() if l.startswith("Command exited with non-zero status") or
                l.startswith("Command terminated by signal"))
    return wall, cpu, rss, code, size - stats - other


def closed_pipe(binary, args):
    """Seconds from start until aiadvise exits when its reader closes the pipe after 100 bytes."""
    start = time.perf_counter()
    proc = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(100)
    proc.stdout.close()
    try:
        _, err = proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return time.perf_counter() - start, proc.returncode, len(err)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    wanted = sys.argv[2:]
    base = ["--no-config"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="aiadvise-hostile-") as tmp:
        def want(name):
            return not wanted or name in wanted

        if want("diag-unknown-20k"):
            keys = ",".join(f'"unknown_{i}":0' for i in range(20000))
            path = write(f"{tmp}/unknown.json", '{"model":"llama-3.1-8b",' + keys + "}")
            rows.append(("diag-unknown-20k", os.path.getsize(path)) + timed(binary, base + ["recommend", "--workload", path]))
        if want("diag-duplicate-20k"):
            keys = ",".join('"qps":1' for _ in range(20000))
            path = write(f"{tmp}/duplicate.json", '{"model":"llama-3.1-8b",' + keys + "}")
            rows.append(("diag-duplicate-20k", os.path.getsize(path)) + timed(binary, base + ["recommend", "--workload", path]))
        if want("diag-100k"):
            keys = ",".join(f'"k{i}":0' for i in range(100000))
            path = write(f"{tmp}/100k.json", '{"model":"llama-3.1-8b",' + keys + "}")
            rows.append(("diag-100k", os.path.getsize(path)) + timed(binary, base + ["recommend", "--workload", path]))
        if want("config-64mib"):
            path = empty_objects(f"{tmp}/config.json", 64 * MIB - 64, "x")
            rows.append(("config-64mib", os.path.getsize(path)) + timed(binary, ["--config", path, "config", "show"]))
            os.remove(path)
        if want("catalog-dir-6x64mib"):
            os.mkdir(f"{tmp}/catalog")
            for i in range(6):
                empty_objects(f"{tmp}/catalog/part{i}.json", 64 * MIB - 64, "instances")
            total = sum(os.path.getsize(f"{tmp}/catalog/part{i}.json") for i in range(6))
            rows.append(("catalog-dir-6x64mib", total) + timed(binary, base + ["--catalog", f"{tmp}/catalog", "catalog", "validate"]))
            for i in range(6):
                os.remove(f"{tmp}/catalog/part{i}.json")
        if want("project-100k"):
            path = f"{tmp}/project.json"
            with open(path, "w", encoding="ascii") as f:
                f.write('{"workloads":[')
                for i in range(100000):
                    entry = {"name": f"w{i}", "workload": {"model": "llama-3.1-8b", "qps": 1 + (i % 50) / 10},
                             "proposed": {"instance": "g5.xlarge", "count": 1 + i % 4}}
                    f.write(("," if i else "") + json.dumps(entry, separators=(",", ":")))
                f.write("]}")
            rows.append(("project-100k", os.path.getsize(path)) +
                        timed(binary, base + ["check", "--project", path, "--format", "json"]))
            os.remove(path)
        if want("batch-1m-bad"):
            path = f"{tmp}/bad.jsonl"
            with open(path, "w", encoding="ascii") as f:
                f.write("x\n" * 1000000)
            rows.append(("batch-1m-bad", os.path.getsize(path)) + timed(binary, base + ["recommend", "--batch", path]))
            os.remove(path)
        if want("batch-urandom-10s"):
            rows.append(("batch-urandom-10s", 0) + timed(binary, base + ["recommend", "--batch", "/dev/urandom"], timeout=10))
        if want("batch-closed-pipe"):
            path = f"{tmp}/distinct.jsonl"
            with open(path, "w", encoding="ascii") as f:
                for i in range(100000):
                    f.write(json.dumps({"model": "llama-3.1-8b", "qps": round(0.5 + i * 0.001, 3)}) + "\n")
            seconds, code, err = closed_pipe(binary, base + ["recommend", "--batch", path])
            rows.append(("batch-closed-pipe", os.path.getsize(path), seconds, None, None, code, err))
            os.remove(path)

    print("| case | input bytes | wall (s) | CPU (s) | peak RSS (MiB) | exit | stderr bytes |")
    print("|---|---|---|---|---|---|---|")
    for name, size, wall, cpu, rss, code, err in rows:
        print(f"| {name} | {size:,} | {wall:.2f} | {'-' if cpu is None else f'{cpu:.2f}'} | "
              f"{'-' if rss is None else f'{rss:,.0f}'} | {code} | {err:,} |")


if __name__ == "__main__":
    main()
