#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts aiadvise on PATH.
#   AIADVISE_INSTALL=build     build from the action's own sources (AIADVISE_ACTION_PATH) with the
#                              distribution's packages (Debian 12, Ubuntu 22.04/24.04 runners)
#   AIADVISE_INSTALL=deb:PATH  install a .deb built by cpack
#   AIADVISE_INSTALL=path      use the aiadvise already on PATH
set -euo pipefail
mode=${AIADVISE_INSTALL:-build}
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
case $mode in
  path)
    command -v aiadvise >/dev/null || { echo "aiadvise is not on PATH (install: path)" >&2; exit 2; } ;;
  deb:*)
    "${sudo_cmd[@]}" dpkg -i "${mode#deb:}" ;;
  build)
    src=${AIADVISE_ACTION_PATH:?AIADVISE_ACTION_PATH is not set}
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends build-essential cmake ninja-build pkg-config \
      libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
    build=${RUNNER_TEMP:-/tmp}/aiadvise-build
    cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAIADVISE_BUILD_TESTS=OFF -DAIADVISE_MAN=OFF
    cmake --build "$build" --target aiadvise
    "${sudo_cmd[@]}" install -m 0755 "$build/aiadvise" /usr/local/bin/aiadvise ;;
  *)
    echo "unknown install mode '$mode': build, deb:PATH or path" >&2; exit 2 ;;
esac
aiadvise --version
