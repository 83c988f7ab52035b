#!/usr/bin/env bash
# Installs what is missing, builds aiadvise twice (release, and -Werror with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs every test in both. The second command of the README's
# Quick start; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
status=0
for preset in release sanitize; do
  echo "== $preset: configure and build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== $preset: test" >&2
  if ! ctest --preset "$preset" -j "$jobs"; then
    status=1
  fi
done
exit $status
