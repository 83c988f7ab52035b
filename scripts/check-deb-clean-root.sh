#!/usr/bin/env bash
# Installs the .deb with `dpkg -i` (no apt, no other package) in a clean Debian 12 root made by
# debootstrap --variant=minbase, and runs the installed aiadvise there. Proves the Depends are what
# a bare system has. Run by ctest (install.deb_clean_root) and usable by hand:
#   scripts/check-deb-clean-root.sh BUILD_DIR        # the .deb in BUILD_DIR (cpack builds it if absent)
# The root is debootstrapped once (about 3 minutes and 40 MB from the Debian mirror) and cached as a
# tarball in ${AIADVISE_CLEAN_ROOT_CACHE:-~/.cache/aiadvise}; each run unpacks a fresh copy.
# Needs root (chroot) and debootstrap; without them it prints "skipped: ..." and exits 0.
set -euo pipefail

build_dir=$(cd "${1:?usage: check-deb-clean-root.sh BUILD_DIR}" && pwd)
cache=${AIADVISE_CLEAN_ROOT_CACHE:-${HOME:-/root}/.cache/aiadvise}
mirror=${AIADVISE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
fail() { echo "check-deb-clean-root: FAIL: $*" >&2; exit 1; }

if [[ $(id -u) -ne 0 ]]; then echo "skipped: needs root for chroot"; exit 0; fi
if ! command -v debootstrap >/dev/null; then echo "skipped: debootstrap is not installed (scripts/install-deps.sh installs it)"; exit 0; fi

debs=("$build_dir"/aiadvise_*.deb)
if [[ ! -f ${debs[0]} ]]; then
  cmake --build "$build_dir" --target package >/dev/null || fail "cpack failed"
  debs=("$build_dir"/aiadvise_*.deb)
fi
deb=${debs[0]}

work=$(mktemp -d)
cleanup() {
  # Never follow a mount out of the root: unmount what we mounted, then delete.
  mountpoint -q "$work/root/proc" 2>/dev/null && umount "$work/root/proc"
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

tarball=$cache/debian12-minbase.tar.gz
if [[ ! -s $tarball ]]; then
  mkdir -p "$cache"
  echo "check-deb-clean-root: debootstrap --variant=minbase bookworm (once; cached in $tarball)" >&2
  if ! debootstrap --variant=minbase bookworm "$work/seed" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -5 "$work/debootstrap.log" >&2
    echo "skipped: debootstrap could not build a Debian 12 root from $mirror (see the lines above)"
    exit 0
  fi
  tar -C "$work/seed" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf --one-file-system "$work/seed"
fi

mkdir "$work/root"
tar -C "$work/root" -xzf "$tarball"
grep -q '^VERSION_ID="12"' "$work/root/etc/os-release" || fail "the cached root is not Debian 12"
in_root() { chroot "$work/root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
if in_root dpkg -s aiadvise >/dev/null 2>&1; then fail "aiadvise is already in the clean root"; fi
cp "$deb" "$work/root/tmp/"
mount -t proc proc "$work/root/proc"
in_root dpkg -i "/tmp/$(basename "$deb")" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i failed in a clean Debian 12 root"; }
status=$(in_root dpkg-query -W -f='${Status} ${Version}' aiadvise)
[[ $status == "install ok installed "* ]] || fail "dpkg says '$status'"
version=$(in_root aiadvise --version) || fail "the installed aiadvise does not run"
out=$(in_root sh -c 'cd /tmp && aiadvise check --model bert-base --qps 5 --proposed c7i.xlarge --format json') || [[ $? == 1 ]] ||
  fail "the installed aiadvise check failed"
[[ $out == *'"schema_version": 1'* ]] || fail "aiadvise check printed no report"
in_root man -w aiadvise >/dev/null 2>&1 || [[ -f $work/root/usr/share/man/man1/aiadvise.1.gz ]] || fail "no man page installed"
echo "check-deb-clean-root: dpkg -i $(basename "$deb") in a clean Debian 12 root: $status; $version; check runs"
