#!/usr/bin/env bash
# Golden command-line cases, run against the real binary: each folder under cases/ holds
#   args           the arguments, one per line
#   stdin          (optional) what to feed on standard input
#   expected_exit  the exit code
#   expected_err   (optional) stderr, exactly
#   expected_out   (optional) stdout, exactly; when absent, stdout must be empty unless
#   out_contains   (optional) lists lines that stdout must contain
# Run with REGENERATE=1 to rewrite expected_err/expected_out from the current binary for review.
# Also checks what only a real process shows: a full disk and a closed pipe.
set -uo pipefail
bin=$1
cases=$2
pass=0
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for dir in "$cases"/*/; do
  name=$(basename "$dir")
  mapfile -t args <"$dir/args"
  if [[ -f $dir/stdin ]]; then
    (cd "$dir" && "$bin" "${args[@]}" <stdin >"$work/out" 2>"$work/err")
  else
    (cd "$dir" && "$bin" "${args[@]}" </dev/null >"$work/out" 2>"$work/err")
  fi
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

echo "cli golden: $pass passed, $fail failed"
((fail == 0))
