#!/usr/bin/env bash
# A clean machine without pandoc (and without Catch2, with the tests switched off) configures and
# builds aiadvise: configure says the man page is not built, the build succeeds, the binary runs and
# installs without a man page. pandoc is hidden by a PATH of links to every other program.
# Usage: check_no_pandoc.sh SOURCE_DIR WORK_DIR
set -euo pipefail
source_dir=$(cd "${1:?usage: check_no_pandoc.sh SOURCE_DIR WORK_DIR}" && pwd)
work=${2:?usage: check_no_pandoc.sh SOURCE_DIR WORK_DIR}
fail() { echo "check_no_pandoc: FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/bin"
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [[ -d $d ]] || continue
  for f in "$d"/*; do
    name=$(basename "$f")
    [[ $name == pandoc* || -e $work/bin/$name || ! -x $f || -d $f ]] && continue
    ln -s "$f" "$work/bin/$name"
  done
done
export PATH=$work/bin
if command -v pandoc >/dev/null; then fail "pandoc is still on PATH"; fi

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# Debug (no optimisation) compiles about twice as fast; what is tested is configure and build without pandoc.
cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAIADVISE_BUILD_TESTS=OFF "${launcher[@]}" \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; fail "configure failed without pandoc"; }
grep -q "Man page aiadvise(1): NOT built: pandoc was not found" "$work/configure.log" ||
  { cat "$work/configure.log" >&2; fail "configure did not say that the man page is not built"; }
cmake --build "$work/build" -j "$(nproc 2>/dev/null || echo 2)" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; fail "build failed without pandoc"; }
"$work/build/aiadvise" --version >/dev/null || fail "the binary does not run"
cmake --install "$work/build" --prefix "$work/prefix" >/dev/null || fail "install failed"
[[ -x $work/prefix/bin/aiadvise && ! -e $work/prefix/share/man/man1/aiadvise.1.gz ]] || fail "install: binary missing or a man page present"
echo "check_no_pandoc: configured and built with pandoc hidden and tests off; configure said: $(grep -o 'Man page.*found' "$work/configure.log")"
rm -rf "$work"
