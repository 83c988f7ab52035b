#!/usr/bin/env bash
# Golden command-line cases, run against the real binary: each folder under cases/ holds
#   args           the arguments, one per line
#   stdin          (optional) what to feed on standard input
#   expected_exit  the exit code
#   expected_err   (optional) stderr, exactly
#   expected_out   (optional) stdout, exactly; when absent, stdout must be empty unless
#   out_contains   (optional) lists lines that stdout must contain
#   env            (optional) NAME=VALUE lines (raw bytes) added to the environment of the run
#   setup          (optional) a bash script run first, in a scratch copy of the case folder where
#                  the command then runs (FIFOs, symbolic links, large generated inputs)
# Every case runs in a scratch copy of its folder, with a 60-second limit (a case that waits for
# input, or works on after its reader left, fails instead of hanging).
# Run with REGENERATE=1 to rewrite expected_err/expected_out from the current binary for review.
# Also checks what only a real process shows: a full disk, a closed pipe, progress, memory limits.
#
# Usage: run_golden.sh BIN CASESDIR [PART]
#   PART  K/N: only the cases whose place in sorted order is K modulo N (1 <= K <= N), no process
#         checks; "process": only the process checks. Without it, everything. ctest runs the parts
#         as separate tests so that they share the cores (tests/CMakeLists.txt).
set -uo pipefail
bin=$(realpath "$1")
cases=$2
part=${3:-all}
shard=0 shards=1 run_cases=1 run_process=1
if [[ $part =~ ^([0-9]+)/([0-9]+)$ ]] && ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= BASH_REMATCH[2])); then
  shard=$((BASH_REMATCH[1] - 1)) shards=${BASH_REMATCH[2]} run_process=0
elif [[ $part == process ]]; then
  run_cases=0
elif [[ $part != all ]]; then
  echo "run_golden.sh: PART must be K/N (1 <= K <= N) or 'process', got '$part'" >&2
  exit 2
fi
pass=0
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

index=-1
for dir in "$cases"/*/; do
  ((run_cases)) || break
  index=$((index + 1))
  ((index % shards == shard)) || continue
  name=$(basename "$dir")
  mapfile -t args <"$dir/args"
  envs=()
  [[ -f $dir/env ]] && mapfile -t envs <"$dir/env"
  run=$work/case
  rm -rf "$run" && cp -r "$dir" "$run"
  if [[ -f $run/setup ]] && ! (cd "$run" && bash ./setup >"$work/setup.log" 2>&1); then
    echo "FAIL $name: setup failed:"; cat "$work/setup.log"; fail=$((fail + 1)); continue
  fi
  input=/dev/null
  [[ -f $run/stdin ]] && input=stdin
  (cd "$run" && env "${envs[@]}" timeout -k 5 60 "$bin" "${args[@]}" <"$input" >"$work/out" 2>"$work/err")
  code=$?
  if [[ ${REGENERATE:-0} == 1 ]]; then
    echo "$code" >"$dir/expected_exit"
    cp "$work/err" "$dir/expected_err"
    [[ -s $work/out && ! -f $dir/out_contains ]] && cp "$work/out" "$dir/expected_out"
  fi
  ok=1
  expected_code=$(cat "$dir/expected_exit")
  [[ $code == "$expected_code" ]] || { echo "FAIL $name: exit $code, expected $expected_code"; ok=0; }
  if [[ -f $dir/expected_err ]] && ! diff -u "$dir/expected_err" "$work/err"; then
    echo "FAIL $name: stderr differs"; ok=0
  fi
  if [[ -f $dir/expected_out ]]; then
    diff -u "$dir/expected_out" "$work/out" || { echo "FAIL $name: stdout differs"; ok=0; }
  elif [[ -f $dir/out_contains ]]; then
    while IFS= read -r line; do
      grep -qF -- "$line" "$work/out" || { echo "FAIL $name: stdout lacks: $line"; ok=0; }
    done <"$dir/out_contains"
  elif [[ -s $work/out ]]; then
    echo "FAIL $name: stdout should be empty, got:"; head -5 "$work/out"; ok=0
  fi
  if ((ok)); then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done

if ((run_cases && pass + fail == 0)); then
  echo "FAIL: no case ran (part $part of $cases)"; fail=1
fi
if ((!run_process)); then
  echo "cli golden ($part): $pass passed, $fail failed"
  ((fail == 0))
  exit
fi

# A full disk is an I/O error with its own message and exit code 4.
if [[ -w /dev/full ]]; then
  "$bin" catalog list gpus >/dev/full 2>"$work/err"
  code=$?
  if [[ $code == 4 ]] && grep -q "cannot write the result to standard output: No space left on device" "$work/err"; then
    pass=$((pass + 1))
  else
    echo "FAIL dev-full: exit $code"; cat "$work/err"; fail=$((fail + 1))
  fi
fi

# A reader that stops early is not an error: no message, and aiadvise's own status is 0.
"$bin" catalog list instances 2>"$work/err" | head -1 >/dev/null
code=${PIPESTATUS[0]}
if [[ $code == 0 ]] && ! grep -q error "$work/err"; then
  pass=$((pass + 1))
else
  echo "FAIL closed-pipe: exit $code"; cat "$work/err"; fail=$((fail + 1))
fi

# Batch progress: on stderr only when asked (or on a terminal), never in a pipe or a CI log.
printf '{"model":"xgboost","qps":5}\n%.0s' $(seq 1 40) >"$work/p.jsonl"
AIADVISE_PROGRESS=1 "$bin" recommend --batch "$work/p.jsonl" >/dev/null 2>"$work/err"
if grep -q "lines/s" "$work/err"; then pass=$((pass + 1)); else echo "FAIL progress: not shown when asked"; fail=$((fail + 1)); fi
env -u AIADVISE_PROGRESS "$bin" recommend --batch "$work/p.jsonl" >/dev/null 2>"$work/err"
if ! grep -q "lines/s" "$work/err"; then pass=$((pass + 1)); else echo "FAIL progress: shown in a pipe"; fail=$((fail + 1)); fi

# A batch whose reader left stops at once, quietly: 200,000 distinct workloads (minutes of work)
# must end within the 60-second limit after `head -c 100` closes the pipe, with no error.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"model\":\"llama-3.1-8b\",\"qps\":%.3f}\n", 0.5 + i / 1000 }' >"$work/many.jsonl"
timeout -k 5 60 "$bin" recommend --batch "$work/many.jsonl" 2>"$work/err" | head -c 100 >/dev/null
code=${PIPESTATUS[0]}
if [[ $code == 0 && ! -s $work/err ]]; then
  pass=$((pass + 1))
else
  echo "FAIL batch-closed-pipe: exit $code (124: still working after the reader left)"; head -5 "$work/err"; fail=$((fail + 1))
fi

# A program that writes a line and waits for its answer before it writes the next (a coprocess)
# gets each answer while it still holds standard input open, with one thread and with several.
for jobs in 1 2; do
  coproc BATCH { timeout -k 5 60 "$bin" recommend --batch - --jobs "$jobs" 2>/dev/null; }
  answered=0
  for qps in 3 7; do
    printf '{"model":"xgboost","qps":%s}\n' "$qps" >&"${BATCH[1]}"
    if IFS= read -r -t 20 reply <&"${BATCH[0]}" && [[ $reply == *'"verdict"'* ]]; then answered=$((answered + 1)); fi
  done
  exec {BATCH[1]}>&-
  wait "$BATCH_PID"
  code=$?
  if [[ $answered == 2 && $code == 0 ]]; then
    pass=$((pass + 1))
  else
    echo "FAIL batch-coprocess --jobs $jobs: $answered of 2 lines answered before the input closed, exit $code"; fail=$((fail + 1))
  fi
done

# Memory: an allocation failure is exit 3 with a message, never an abort; and at the input caps the
# run stays within the documented bound (docs/reliability.md, "Memory"), so that the cap, not the
# address-space limit, stops it. Not under AddressSanitizer, which reserves terabytes of address
# space and cannot run under `ulimit -v`. (ldd's output is read whole first: with pipefail,
# `ldd | grep -q` fails when grep stops reading early and ldd gets SIGPIPE, which once ran these
# checks under AddressSanitizer.)
libs=$(ldd "$bin" 2>/dev/null || true)
if [[ $libs != *libasan* ]]; then
  # The documented bound at a 16 MiB cap: 24 x 16 MiB + 64 MiB of resident memory; the address
  # space limit allows another 256 MiB for what is mapped but not resident (libraries, the 32 MiB
  # reserve for out-of-memory handling).
  bound_kib=$(((24 * 16 + 64 + 256) * 1024))
  python3 -c 'import sys; n=(16<<20)//3-8; sys.stdout.write("{\"instances\":[" + "{},"*(n-1) + "{}]}")' >"$work/objects.json"
  (ulimit -v 400000; "$bin" --no-config --catalog "$work/objects.json" catalog validate >"$work/out" 2>"$work/err")
  code=$?
  if [[ $code == 3 ]] && grep -q "out of memory" "$work/err" && [[ ! -s $work/out ]]; then
    pass=$((pass + 1))
  else
    echo "FAIL out-of-memory: exit $code, expected 3 with a message"; head -5 "$work/err"; fail=$((fail + 1))
  fi
  (ulimit -v "$bound_kib"; "$bin" --no-config --max-input-bytes 16777216 --catalog "$work/objects.json" catalog validate >"$work/out" 2>"$work/err")
  code=$?
  if [[ $code == 2 ]] && grep -q "more JSON values than this run may hold" "$work/err"; then
    pass=$((pass + 1))
  else
    echo "FAIL memory-at-caps: exit $code, expected 2 (the value cap) within ${bound_kib} KiB"; head -5 "$work/err"; fail=$((fail + 1))
  fi
fi

echo "cli golden: $pass passed, $fail failed"
((fail == 0))
