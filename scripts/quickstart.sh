#!/usr/bin/env bash
# Installs what is missing, builds aiadvise (release) and runs a real recommendation on the
# embedded catalog. The first command of the README's Quick start.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target aiadvise
echo "+ build/release/aiadvise $*" >&2
if (($# == 0)); then
  set -- recommend --model llama-3.1-8b --qps 5 --tpot-ms 50
fi
exec build/release/aiadvise "$@"
