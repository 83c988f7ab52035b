#!/usr/bin/env bash
# A clean machine without pandoc (and without Catch2, with the tests switched off) configures and
# builds aiadvise: configure says the man page is not built, the build succeeds, the binary runs and
# installs without a man page. pandoc is hidden in a private mount namespace: /dev/null (not
# executable) is bind-mounted over every pandoc, so neither PATH nor CMake's system paths find one.
# Needs root (unshare, mount); prints "skipped: ..." without it.
# Usage: check_no_pandoc.sh SOURCE_DIR WORK_DIR
set -euo pipefail
source_dir=$(cd "${1:?usage: check_no_pandoc.sh SOURCE_DIR WORK_DIR}" && pwd)
work=${2:?usage: check_no_pandoc.sh SOURCE_DIR WORK_DIR}
fail() { echo "check_no_pandoc: FAIL: $*" >&2; exit 1; }

if [[ ${AIADVISE_IN_NAMESPACE:-} != 1 ]]; then
  if [[ $(id -u) -ne 0 ]] || ! command -v unshare >/dev/null; then echo "skipped: needs root and unshare to hide pandoc"; exit 0; fi
  exec env AIADVISE_IN_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi
for p in $(type -ap pandoc) /usr/bin/pandoc /usr/local/bin/pandoc; do
  [[ -e $p ]] && mount --bind /dev/null "$p"
done
if [[ -x $(type -P pandoc || echo /nonexistent) ]] && pandoc --version >/dev/null 2>&1; then fail "pandoc still runs"; fi

rm -rf "$work"
mkdir -p "$work"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# What is tested is configure, build and install without pandoc, not the code generated: no
# optimisation and no debug information (build type None), and a unity build (CMake joins the sources
# of a target in batches, so the headers are parsed once per batch): about 1.5 minutes on two cores
# against 6.5 for a Debug build. A unity build needs the helpers of one folder's files to have
# distinct names even in anonymous namespaces (shared ones go in a header: src/render/fields.hpp).
cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_UNITY_BUILD=ON -DAIADVISE_BUILD_TESTS=OFF "${launcher[@]}" \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; fail "configure failed without pandoc"; }
grep -q "Man page aiadvise(1): NOT built: pandoc was not found" "$work/configure.log" ||
  { cat "$work/configure.log" >&2; fail "configure did not say that the man page is not built"; }
cmake --build "$work/build" -j "$(nproc 2>/dev/null || echo 2)" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; fail "build failed without pandoc"; }
"$work/build/aiadvise" --version >/dev/null || fail "the binary does not run"
cmake --install "$work/build" --prefix "$work/prefix" >/dev/null || fail "install failed"
[[ -x $work/prefix/bin/aiadvise && ! -e $work/prefix/share/man/man1/aiadvise.1.gz ]] || fail "install: binary missing or a man page present"
echo "check_no_pandoc: configured and built with pandoc hidden and tests off; configure said: $(grep -o 'Man page.*found' "$work/configure.log")"
rm -rf "$work"
