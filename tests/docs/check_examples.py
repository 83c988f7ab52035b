#!/usr/bin/env python3
"""Checks that the command examples in the documentation are what the binary prints.

A fenced block whose first line is `$ aiadvise ARGS` is an example: ARGS run against the binary
(80 columns, no user configuration, `-o table` when ARGS name no format: what a terminal shows),
and the rest of the block must be its output. A line `...` in a block stands for any number of
lines left out, so an excerpt is checked in order. A Markdown table shown as output is marked by a
comment on the line before it, `<!-- example (exit N): aiadvise ARGS -->`: each of its lines must
be a line of the output, in order (a table may show some of the rows). Usage: check_examples.py
BIN FILE...
Exit 0 when every example matches, 1 with a diff per mismatch, 2 on bad usage.
"""
import difflib
import os
import re
import shlex
import subprocess
import sys

FORMAT_OPTIONS = ("-o", "--output", "--format")
TABLE_EXAMPLE = re.compile(r"^<!-- example(?: \(exit (\d+)\))?: aiadvise (.*) -->$")


def examples(path):
    """Yields (line number, args, expected lines, expected exit, whole) for each example of a
    Markdown file; `whole` is False for a table, whose lines need only appear in order."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        table = TABLE_EXAMPLE.match(lines[i])
        if lines[i].startswith("```") and i + 1 < len(lines) and lines[i + 1].startswith("$ aiadvise "):
            start = i + 2
            end = start
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            yield i + 2, shlex.split(lines[i + 1][len("$ aiadvise "):]), lines[start:end], 0, True
            i = end
        elif table:
            end = i + 1
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            yield i + 1, shlex.split(table.group(2)), lines[i + 1:end], int(table.group(1) or 0), False
            i = end
        i += 1


def in_order(expected, actual):
    """True when every line of expected is a line of actual, in the same order."""
    at = 0
    for line in expected:
        while at < len(actual) and actual[at] != line:
            at += 1
        if at == len(actual):
            return False
        at += 1
    return bool(expected)


def matches(expected, actual):
    """True when actual holds expected's segments (split at `...` lines) in order, anchored at the
    ends unless the block starts or ends with `...`."""
    segments = [[]]
    for line in expected:
        if line == "...":
            segments.append([])
        else:
            segments[-1].append(line)
    at = 0
    for n, seg in enumerate(segments):
        if not seg:
            continue
        anchored_start = n == 0
        found = None
        for pos in range(at, len(actual) - len(seg) + 1):
            if actual[pos:pos + len(seg)] == seg:
                found = pos
                break
            if anchored_start:
                break
        if found is None:
            return False
        at = found + len(seg)
    return not segments[-1] or at == len(actual)


def main():
    if len(sys.argv) < 3:
        print("usage: check_examples.py BIN FILE...", file=sys.stderr)
        return 2
    binary, files = sys.argv[1], sys.argv[2:]
    env = dict(os.environ, COLUMNS="80")
    failed = checked = 0
    for path in files:
        for line, args, expected, exit_code, whole in examples(path):
            if not any(a in FORMAT_OPTIONS or a.startswith(("--output=", "--format=")) for a in args):
                args = args + ["-o", "table"]
            run = subprocess.run([binary, "--no-config"] + args, env=env, capture_output=True, text=True)
            actual = run.stdout.rstrip("\n").split("\n")
            checked += 1
            shown = matches(expected, actual) if whole else in_order(expected, actual)
            if run.returncode != exit_code or not shown:
                failed += 1
                print(f"{path}:{line}: `aiadvise {shlex.join(args)}` (exit {run.returncode}, expected {exit_code}) does not print "
                      "what the example shows:")
                sys.stdout.writelines(difflib.unified_diff([l + "\n" for l in expected], [l + "\n" for l in actual],
                                                           "documented", "printed"))
                if run.stderr:
                    print("stderr:", run.stderr.strip())
    print(f"examples: {checked} checked, {failed} differ")
    if checked == 0:
        print("no example found: the files have no block starting with `$ aiadvise` and no marked table")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
