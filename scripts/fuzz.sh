#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (AddressSanitizer + UndefinedBehaviorSanitizer) and runs
# each for SECONDS (default 60), starting from tests/fuzz/corpus/<target>. New inputs go to
# build/fuzz/corpus/<target>, crashes to build/fuzz/crashes/<target>/; minimise a crash with
# `build/fuzz/tests/fuzz/fuzz_<target> -minimize_crash=1 CRASH` and keep it under
# tests/fuzz/regressions/<target>/ so the ordinary test suite replays it forever.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(catalog workload jsonl terraform end_to_end)

missing=()
for p in clang-14 libclang-rt-14-dev cmake ninja-build libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
status=0
printf '| target | seconds | inputs executed | executions/s | coverage (edges) | crashes |\n|---|---|---|---|---|---|\n'
for t in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$t
  crashes=build/fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  log=build/fuzz/$t.log
  set +e
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    build/fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
  set -e
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  speed=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  found=$(find "$crashes" -type f | wc -l)
  printf '| %s | %s | %s | %s | %s | %s |\n' "$t" "$seconds" "$runs" "$speed" "$cov" "$found"
  ((found == 0)) || status=1
done
exit $status
