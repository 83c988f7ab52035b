#!/usr/bin/env bash
# Builds the .deb with CPack, then checks it without installing it (no root needed): its control
# fields, that it holds the binary, the man page and the shell completions, and that the extracted
# binary runs (--version, and a recommend from another directory).
# Usage: check_deb.sh BUILD_DIR
set -euo pipefail

build_dir=$(cd "${1:?usage: check_deb.sh BUILD_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_deb: FAIL: $*" >&2; exit 1; }

rm -f "$build_dir"/aiadvise_*.deb
cmake --build "$build_dir" --target package >"$work/package.log" 2>&1 || { cat "$work/package.log" >&2; fail "cmake --build --target package failed"; }
debs=("$build_dir"/aiadvise_*.deb)
[[ -f ${debs[0]} ]] || fail "no aiadvise_*.deb in $build_dir"
deb=${debs[0]}

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == aiadvise ]] || fail "Package is '$(field Package)', expected aiadvise"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"
depends=$(field Depends)
for lib in libfmt9 libspdlog1.10 libc6 libstdc++6; do
  [[ $depends == *"$lib"* ]] || fail "Depends '$depends' lacks $lib"
done

dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/bin/aiadvise ./usr/share/man/man1/aiadvise.1 ./usr/share/bash-completion/completions/aiadvise \
         ./usr/share/zsh/vendor-completions/_aiadvise ./usr/share/fish/vendor_completions.d/aiadvise.fish \
         ./usr/share/aiadvise/catalog/instances-aws.json ./usr/share/aiadvise/schema/recommendation.schema.json \
         ./usr/share/doc/aiadvise/README.md; do
  grep -q " $f\$" "$work/contents" || fail "$f is not in the package"
done

dpkg-deb -x "$deb" "$work/root"
bin=$work/root/usr/bin/aiadvise
version=$("$bin" --version) || fail "the packaged aiadvise --version failed"
[[ $version == "aiadvise $(field Version) "* ]] || fail "--version says '$version', the package is $(field Version)"
mkdir "$work/elsewhere"
out=$(cd "$work/elsewhere" && XDG_CONFIG_HOME="$work/no-config" "$bin" recommend --model llama-3.1-8b --qps 2 --format json) ||
  fail "the packaged aiadvise did not recommend from another directory"
[[ $out == *'"verdict": "ok"'* ]] || fail "the packaged aiadvise's recommendation has no ok verdict"
grep -q 'complete' "$work/root/usr/share/bash-completion/completions/aiadvise" || fail "the bash completion is not a completion script"

echo "check_deb: $(basename "$deb") ($(field Installed-Size) KiB installed, Depends: $depends): contents, --version and recommend OK"
