#!/usr/bin/env bash
# The generated man page renders without groff warnings and documents every command.
# Usage: check_man.sh MAN_PAGE BINARY
set -euo pipefail
page=${1:?usage: check_man.sh MAN_PAGE BINARY}
bin=${2:?usage: check_man.sh MAN_PAGE BINARY}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_man: FAIL: $*" >&2; exit 1; }

# -ww: every warning; a malformed page (unknown macro, bad escape) writes to stderr.
LC_ALL=C.UTF-8 groff -man -Tutf8 -ww "$page" >"$work/text" 2>"$work/err" || fail "groff failed: $(cat "$work/err")"
if [[ -s $work/err ]]; then fail "groff warned: $(cat "$work/err")"; fi
# Plain text, without overstrike bold or underline.
sed -e 's/.\x08//g' -e 's/\x1b\[[0-9;]*m//g' "$work/text" >"$work/plain"

for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
  grep -q "^$section" "$work/plain" || fail "no $section section"
done
for command in "catalog list" "catalog show" "catalog validate" "catalog import" "catalog diff" recommend estimate check \
               "rules list" "rules fields" completion "config show"; do
  grep -q "$command" "$work/plain" || fail "the page does not mention '$command'"
done
for variable in AIADVISE_CATALOG NO_COLOR XDG_CONFIG_HOME AIADVISE_CLOUD AIADVISE_REGION AIADVISE_SPOT \
                AIADVISE_MAX_COST_RATIO AIADVISE_MIN_COST_DIFFERENCE AIADVISE_FAIL_ON AIADVISE_CONFIG; do
  grep -q "$variable" "$work/plain" || fail "ENVIRONMENT does not mention $variable"
done
# Every long option in the binary's --help output is documented.
missing=()
for args in "" "catalog list" "catalog show" "catalog validate" "catalog import" "catalog diff" recommend estimate check "rules list" "config show"; do
  # shellcheck disable=SC2086
  for option in $("$bin" $args --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "$option" "$work/plain" || missing+=("$option ($args)")
  done
done
((${#missing[@]} == 0)) || fail "options in --help but not in the man page: ${missing[*]}"
echo "check_man: $(wc -l <"$work/plain") lines, no groff warnings, every command, variable and option documented"
