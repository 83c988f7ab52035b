#!/usr/bin/env bash
# Lays out the root of aiadvise's container image: the binary and exactly the shared libraries it
# loads (as ldd lists them, with the dynamic loader), plus an empty /tmp and /work. The Dockerfile's
# build stage runs it and the final stage is `FROM scratch` with this tree.
#   scripts/container-rootfs.sh BINARY DEST [--check]
# --check then runs the binary inside DEST with chroot (root only; "skipped: ..." otherwise), which
# proves the image needs nothing else: a test of the final image without a container engine.
set -euo pipefail
bin=${1:?usage: container-rootfs.sh BINARY DEST [--check]}
dest=${2:?usage: container-rootfs.sh BINARY DEST [--check]}
fail() { echo "container-rootfs: FAIL: $*" >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest/usr/local/bin" "$dest/tmp" "$dest/work"
chmod 1777 "$dest/tmp"
cp "$bin" "$dest/usr/local/bin/aiadvise"
strip --strip-unneeded "$dest/usr/local/bin/aiadvise" 2>/dev/null || true
# "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
mapfile -t libs < <(ldd "$bin" | awk '/=>/ && $3 ~ /^\// {print $3} /^[[:space:]]*\// {print $1}')
((${#libs[@]} > 0)) || fail "ldd lists no libraries for $bin"
for lib in "${libs[@]}"; do
  mkdir -p "$dest$(dirname "$lib")"
  cp -L "$lib" "$dest$lib"
done
files=$(find "$dest" -type f | wc -l)
echo "container-rootfs: $dest: aiadvise and ${#libs[@]} libraries ($files files, $(du -sh "$dest" | cut -f1))"

if [[ ${3:-} == --check ]]; then
  if [[ $(id -u) -ne 0 ]]; then echo "skipped: --check needs root for chroot"; exit 0; fi
  run() { chroot "$dest" /usr/local/bin/aiadvise "$@"; }
  run --version >/dev/null || fail "aiadvise does not start in the image's root"
  out=$(cd / && chroot "$dest" /usr/local/bin/aiadvise check --model bert-base --qps 5 --proposed c7i.xlarge --format json) || [[ $? == 1 ]] ||
    fail "aiadvise check failed in the image's root"
  [[ $out == *'"schema_version": 1'* ]] || fail "no report from aiadvise check in the image's root"
  ((files == ${#libs[@]} + 1)) || fail "the root holds $files files, expected the binary and ${#libs[@]} libraries"
  echo "container-rootfs: aiadvise --version and check run in the image's root with nothing else in it"
fi
