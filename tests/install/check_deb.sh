#!/usr/bin/env bash
# Builds the packages with CPack, then checks the .deb without installing it (no root needed): its
# control fields (Depends from dpkg-shlibdeps), that it holds the binary, the compressed man page,
# the shell completions, copyright and changelog, that lintian finds no error or warning, that the
# extracted binary runs, and that the .tar.gz beside it holds the same files.
# Usage: check_deb.sh BUILD_DIR
set -euo pipefail

build_dir=$(cd "${1:?usage: check_deb.sh BUILD_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_deb: FAIL: $*" >&2; exit 1; }

rm -f "$build_dir"/aiadvise_*.deb "$build_dir"/aiadvise-*.tar.gz
cmake --build "$build_dir" --target package >"$work/package.log" 2>&1 || { cat "$work/package.log" >&2; fail "cmake --build --target package failed"; }
debs=("$build_dir"/aiadvise_*.deb)
[[ -f ${debs[0]} ]] || fail "no aiadvise_*.deb in $build_dir"
deb=${debs[0]}
tgzs=("$build_dir"/aiadvise-*.tar.gz)
[[ -f ${tgzs[0]} ]] || fail "no aiadvise-*.tar.gz beside the .deb"

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == aiadvise ]] || fail "Package is '$(field Package)', expected aiadvise"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"
[[ $(field Version) == *-1 ]] || fail "Version '$(field Version)' has no Debian revision"
depends=$(field Depends)
for lib in libc6 libstdc++6 libgcc-s1; do
  [[ $depends == *"$lib"* ]] || fail "Depends '$depends' lacks $lib"
done
# fmt and spdlog are compiled in: nothing a bare Debian 12 lacks.
for lib in libfmt libspdlog; do
  [[ $depends != *"$lib"* ]] || fail "Depends '$depends' names $lib, which a bare system does not have"
done

dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/bin/aiadvise ./usr/share/man/man1/aiadvise.1.gz ./usr/share/bash-completion/completions/aiadvise \
         ./usr/share/zsh/vendor-completions/_aiadvise ./usr/share/fish/vendor_completions.d/aiadvise.fish \
         ./usr/share/aiadvise/catalog/instances-aws.json ./usr/share/aiadvise/schema/recommendation.schema.json \
         ./usr/share/aiadvise/schema/check.schema.json ./usr/share/doc/aiadvise/README.md ./usr/share/doc/aiadvise/copyright \
         ./usr/share/doc/aiadvise/changelog.Debian.gz; do
  grep -q " $f\$" "$work/contents" || fail "$f is not in the package"
done

tar -tzf "${tgzs[0]}" >"$work/tgz"
for f in bin/aiadvise share/man/man1/aiadvise.1.gz share/doc/aiadvise/copyright; do
  grep -q "/$f\$" "$work/tgz" || fail "$f is not in $(basename "${tgzs[0]}")"
done

if command -v lintian >/dev/null; then
  # --fail-on error,warning: exit non-zero on either; the tags are printed for the log.
  lintian --fail-on error,warning --tag-display-limit 0 "$deb" >"$work/lintian" 2>&1 || { cat "$work/lintian" >&2; fail "lintian: errors or warnings"; }
  lintian_text="lintian clean ($(grep -c . "$work/lintian" || true) info/pedantic tag(s))"
else
  lintian_text="lintian not installed (scripts/install-deps.sh installs it): not run"
fi

dpkg-deb -x "$deb" "$work/root"
bin=$work/root/usr/bin/aiadvise
version=$("$bin" --version) || fail "the packaged aiadvise --version failed"
[[ $version == "aiadvise $(field Version | sed 's/-[^-]*$//') "* ]] || fail "--version says '$version', the package is $(field Version)"
mkdir "$work/elsewhere"
out=$(cd "$work/elsewhere" && XDG_CONFIG_HOME="$work/no-config" "$bin" recommend --model llama-3.1-8b --qps 2 --format json) ||
  fail "the packaged aiadvise did not recommend from another directory"
[[ $out == *'"verdict": "ok"'* ]] || fail "the packaged aiadvise's recommendation has no ok verdict"
grep -q 'complete' "$work/root/usr/share/bash-completion/completions/aiadvise" || fail "the bash completion is not a completion script"
man_text=$(zcat "$work/root/usr/share/man/man1/aiadvise.1.gz") || fail "the man page is not a compressed file"
grep -q '^\.TH' <<<"$man_text" || fail "the man page is not a compressed man page"

echo "check_deb: $(basename "$deb") ($(field Installed-Size) KiB installed, Depends: $depends), $(basename "${tgzs[0]}"): contents, $lintian_text, --version and recommend OK"
