#!/usr/bin/env bash
# The second command of the README's Quick start; .ci/run calls it. Installs what is missing, then:
#   1. release: builds aiadvise and runs every test;
#   2. sanitize: builds with -Werror, AddressSanitizer and UndefinedBehaviorSanitizer and runs the
#      tests again, less those that only repeat the release stage's checks of packaging, install,
#      terminal, browser and schema output with a slower binary, and the calibration-equality test
#      (the same fit, 5 minutes under the sanitizers; the calibration unit tests still run);
#   3. fuzz: builds the libFuzzer targets with clang-14 and runs each from its seed corpus for at
#      least AIADVISE_FUZZ_SECONDS (default 40; 0 skips the stage), as many at a time as there are
#      cores (scripts/fuzz.sh --fresh; on two cores that is 3 x AIADVISE_FUZZ_SECONDS of wall time).
# Ends with one summary line with the counts; the exit status is non-zero if a build, a test or a
# fuzz target failed. Every stage runs even when an earlier one failed, so one run shows everything.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
fuzz_seconds=${AIADVISE_FUZZ_SECONDS:-40}
[[ $fuzz_seconds =~ ^[0-9]+$ ]] || { echo "test.sh: AIADVISE_FUZZ_SECONDS must be a whole number of seconds, got '$fuzz_seconds'" >&2; exit 2; }
status=0
summary=()
timings=()

# Wall-clock seconds since $1, as "3m07s".
elapsed() { local s=$((SECONDS - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
# 1234567 -> 1,234,567
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

for preset in release sanitize; do
  start=$SECONDS
  echo "== $preset: configure and build" >&2
  if ! { cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" -j "$jobs"; }; then
    status=1
    summary+=("$preset build FAILED")
    timings+=("$preset $(elapsed "$start")")
    continue
  fi
  echo "== $preset: test" >&2
  log=build/$preset/ctest.log
  exclude=()
  [[ $preset == sanitize ]] && exclude=(-E '^(install|browser|terminal|schema)[.]|^calibration: the committed factors')
  ctest --preset "$preset" -j "$jobs" "${exclude[@]}" 2>&1 | tee "$log" || true
  # ctest ends with "100% tests passed, 0 tests failed out of 189" (skipped tests count as passed and
  # are listed under "The following tests did not run").
  counts=$(grep -oE '[0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
  if [[ -z $counts ]]; then
    status=1
    summary+=("$preset tests did not run")
  else
    read -r failed _ _ _ _ total <<<"$counts"
    skipped=$(sed -n '/The following tests did not run:/,/^$/p' "$log" | grep -c '^[[:space:]]*[0-9]\+ - ' || true)
    text="$preset $((total - failed))/$total tests passed"
    ((skipped == 0)) || text+=" ($skipped skipped)"
    if ((failed > 0)); then
      status=1
      text+=", $failed FAILED"
    fi
    summary+=("$text")
  fi
  timings+=("$preset $(elapsed "$start")")
done

if ((fuzz_seconds == 0)); then
  summary+=("fuzz skipped (AIADVISE_FUZZ_SECONDS=0)")
else
  start=$SECONDS
  rm -f build/fuzz/results.tsv
  fuzz_status=0
  ./scripts/fuzz.sh --fresh -j "$jobs" "$fuzz_seconds" || fuzz_status=$?
  timings+=("fuzz $(elapsed "$start")")
  if [[ -s build/fuzz/results.tsv ]]; then
    # results.tsv: target seconds inputs exec/s cov0 cov ft seeds corp0 corp rss crashes exit
    read -r targets lo hi inputs crashes failed < <(awk -F'\t' '
      {n++; runs += $3; crashes += $12; if ($12 > 0 || $13 != 0) bad++
       if (n == 1 || $2 < lo) lo = $2; if ($2 > hi) hi = $2}
      END {printf "%d %d %d %d %d %d\n", n, lo, hi, runs, crashes, bad}' build/fuzz/results.tsv)
    secs="$lo s"
    ((lo == hi)) || secs="$lo-$hi s"
    text="fuzz $targets targets ($secs each), $(thousands "$inputs") inputs, $crashes crashes"
    ((failed == 0)) || text+=", $failed targets FAILED (inputs in build/fuzz/crashes/)"
    summary+=("$text")
  else
    summary+=("fuzz build FAILED")
  fi
  ((fuzz_status == 0)) || status=1
fi

echo "timings: $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g'), total $(elapsed 0)"
echo "summary: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')"
exit $status
