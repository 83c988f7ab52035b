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
  set -- catalog list gpus
fi
exec build/release/aiadvise "$@"
