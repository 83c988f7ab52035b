#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (AddressSanitizer + UndefinedBehaviorSanitizer, the
# "fuzz" preset) and runs each for at least SECONDS (default 60), JOBS at a time (default: the
# number of cores), starting from a scratch copy of its committed seeds
# tests/fuzz/corpus/<target>/ (never written to). The targets are dealt round-robin to JOBS lanes
# that run side by side; a lane with fewer targets than the longest gives each of them more time,
# so no core idles (six targets on two cores: three per lane, each SECONDS). The copy is build/fuzz/corpus/<target>/, which keeps what earlier
# runs found so long runs build on each other; with --fresh it is
# build/fuzz/fresh-corpus/<target>/, emptied first, so a run starts from the seeds alone
# (scripts/test.sh does this).
#
# A crash, leak, timeout or out-of-memory input is saved in build/fuzz/crashes/<target>/ and fails
# the run; the script prints how to reproduce it and minimise it into
# tests/fuzz/regressions/<target>/, where the ordinary test suite replays it forever. Prints a
# Markdown table per target (inputs executed, executions per second, coverage and features from
# libFuzzer's final stats, corpus size, peak memory, crashes) and writes the figures,
# tab-separated, to build/fuzz/results.tsv (scripts/test.sh reads it). Exit status 1 if any target
# failed, 2 for a usage error.
#
# Each target runs with a dictionary (-dict): tests/fuzz/<target>.dict, else tests/fuzz/json.dict.
#
# Usage: scripts/fuzz.sh [--fresh] [-j JOBS] [SECONDS] [TARGET...]
#   scripts/fuzz.sh 3600 end_to_end      # an hour on one target
#   scripts/fuzz.sh --fresh 300          # five minutes per target from the seeds (docs/reliability.md)
set -euo pipefail
cd "$(dirname "$0")/.."

# NOTE: with two lanes the second lane (end_to_end, terraform) gets the longer runs: those two are the
# slowest per input and reach the most code.
all_targets=(catalog end_to_end workload terraform jsonl skypilot)
fresh=0
jobs=$(nproc 2>/dev/null || echo 2)
while (($#)); do
  case $1 in
    --fresh) fresh=1; shift ;;
    -j) jobs=${2:?-j needs a number}; shift 2 ;;
    -j*) jobs=${1#-j}; shift ;;
    -h|--help) sed -n '2,24s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive integer, got '$seconds'" >&2; exit 2; }
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: JOBS must be a positive integer, got '$jobs'" >&2; exit 2; }
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (targets: ${all_targets[*]})" >&2; exit 2; }
done

./scripts/install-deps.sh
echo "== fuzz: configure and build (clang-14, preset fuzz)" >&2
cmake --preset fuzz >/dev/null
build_start=$SECONDS
cmake --build --preset fuzz -j "$jobs"
echo "== fuzz: built in $((SECONDS - build_start)) s" >&2

root=build/fuzz
mkdir -p "$root/logs" "$root/results"
rm -f "$root/results/"*.tsv "$root/results.tsv"

# A number from libFuzzer's -print_final_stats=1 block: final_stat NAME LOG.
final_stat() { grep -oE "stat::$1: *[0-9]+" "$2" | grep -oE '[0-9]+$' | tail -1 || true; }

# One target: run_target TARGET SECONDS. Its figures go to $root/results/<target>.tsv; always
# returns 0 (failures are data).
run_target() {
  local t=$1 secs=$2 corpus=$root/corpus/$1 crashes=$root/crashes/$1 log=$root/logs/$1.log
  if ((fresh)); then
    corpus=$root/fresh-corpus/$1
    rm -rf "$corpus"
  fi
  mkdir -p "$corpus" "$crashes"
  # Inputs saved by earlier runs stay; only those newer than this marker count for this run.
  touch "$root/logs/$t.started"
  local seeds
  seeds=$(find "tests/fuzz/corpus/$t" -maxdepth 1 -type f ! -name '.*' | wc -l)
  find "tests/fuzz/corpus/$t" -maxdepth 1 -type f ! -name '.*' -exec cp -n -t "$corpus" {} +
  # A dictionary of the target's tokens: tests/fuzz/<target>.dict, else the JSON one.
  local dict=tests/fuzz/json.dict
  [[ -f tests/fuzz/$t.dict ]] && dict=tests/fuzz/$t.dict
  # The SkyPilot importer also starts from the real rows in ../shared/corpora/skypilot-sample (not
  # copied into the project): each with the leading byte that selects its cloud (0 aws, 1 gcp).
  if [[ $t == skypilot && -d ../shared/corpora/skypilot-sample ]]; then
    for f in ../shared/corpora/skypilot-sample/*.csv; do
      local byte='\x00'
      [[ $(basename "$f") == gcp-* ]] && byte='\x01'
      [[ -e "$corpus/shared-$(basename "$f")" ]] || { printf "$byte"; cat "$f"; } >"$corpus/shared-$(basename "$f")"
      seeds=$((seeds + 1))
    done
  fi
  local rc=0
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    "$root/tests/fuzz/fuzz_$t" -dict="$dict" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1 || rc=$?
  local runs speed rss inited done_line cov0 cov ft corp0 corp found
  runs=$(final_stat number_of_executed_units "$log")
  speed=$(final_stat average_exec_per_sec "$log")
  rss=$(final_stat peak_rss_mb "$log")
  inited=$(grep -E '^#[0-9]+[[:space:]]+INITED' "$log" | tail -1 || true)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+[A-Z]+[[:space:]]+cov:' "$log" | tail -1 || true)
  cov0=$(grep -oE 'cov: [0-9]+' <<<"$inited" | grep -oE '[0-9]+' || true)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+' || true)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+' || true)
  corp0=$(grep -oE 'corp: [0-9]+' <<<"$inited" | grep -oE '[0-9]+' || true)
  corp=$(grep -oE 'corp: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+' || true)
  found=$(find "$crashes" -maxdepth 1 -type f -newer "$root/logs/$t.started" | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$secs" "${runs:-0}" "${speed:-0}" \
    "${cov0:-?}" "${cov:-?}" "${ft:-?}" "$seeds" "${corp0:-?}" "${corp:-?}" "${rss:-?}" "$found" "$rc" >"$root/results/$t.tsv"
  echo "fuzz: $t done (exit $rc, ${runs:-0} inputs, $found crash files)" >&2
}

n=${#targets[@]}
((jobs <= n)) || jobs=$n
rounds=$(((n + jobs - 1) / jobs))
echo "== fuzz: $n targets, $jobs lanes side by side, $((rounds * seconds)) s per lane" >&2
for ((lane = 0; lane < jobs; lane++)); do
  (
    mine=$(((n - lane + jobs - 1) / jobs))
    for ((i = lane; i < n; i += jobs)); do run_target "${targets[i]}" $((seconds * rounds / mine)); done
  ) &
done
wait

status=0
failed=()
declare -A why=()
printf '\n| target | seconds | inputs executed | executions/s | coverage (cov, seeds -> end) | features (ft) | corpus (seeds -> end) | peak RSS (MB) | crashes |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for t in "${targets[@]}"; do
  if [[ ! -s $root/results/$t.tsv ]]; then
    printf '| %s | | no result | | | | | | |\n' "$t"
    failed+=("$t")
    why[$t]="no result"
    continue
  fi
  IFS=$'\t' read -r name secs runs speed cov0 cov ft seeds corp0 corp rss found rc <"$root/results/$t.tsv"
  cat "$root/results/$t.tsv" >>"$root/results.tsv"
  printf '| %s | %s | %s | %s | %s -> %s | %s | %s -> %s | %s | %s |\n' "$name" "$secs" "$runs" "$speed" "$cov0" "$cov" "$ft" "$corp0" "$corp" "$rss" "$found"
  if ((found > 0 || rc != 0)); then
    failed+=("$t")
    why[$t]="libFuzzer exit status $rc, $found new crash input(s)"
  fi
done

for t in "${failed[@]}"; do
  status=1
  log=$root/logs/$t.log
  echo >&2
  echo "fuzz: FAIL: $t (${why[$t]}); the end of $log:" >&2
  tail -n 40 "$log" >&2 || true
  find "$root/crashes/$t" -maxdepth 1 -type f -newer "$root/logs/$t.started" 2>/dev/null | while read -r f; do
    cat >&2 <<EOF2
fuzz: the input is saved in $f
  reproduce: $root/tests/fuzz/fuzz_$t $f
  minimise:  $root/tests/fuzz/fuzz_$t -minimize_crash=1 -max_total_time=60 -exact_artifact_path=tests/fuzz/regressions/$t/$(basename "$f") $f
  then fix the bug and commit tests/fuzz/regressions/$t/$(basename "$f"): the test suite replays it (tests/unit/fuzz/test_replay.cpp).
EOF2
  done || true
done
exit $status
