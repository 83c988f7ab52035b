"""Shared by the benchmark scripts: wall time of one run, and peak RSS of one run."""
import subprocess
import time


def wall_seconds(binary, args):
    """Wall time of one run; stops the benchmark if the command fails."""
    start = time.perf_counter()
    proc = subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{args} exited {proc.returncode}: {proc.stderr[:2000]}")
    return wall


def peak_rss_mib(binary, args):
    """Peak RSS of one run. GNU time (Debian package `time`) starts aiadvise from its own small
    process, so the figure is aiadvise's alone (a child of this Python process would report Python's
    peak, which can be larger)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", binary] + args, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True)
    return int(out.stderr.strip().splitlines()[-1]) / 1024
