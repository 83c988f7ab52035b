#!/usr/bin/env bash
# Renders the HTML reports in headless Chromium and checks what the browser made of them.
#
#   tests/browser/render_html.sh AIADVISE [OUT_DIR]
#
# 1. `recommend --format html` (a training job: cost against time for every feasible option) and
#    `check --format html` (the example project) are written to OUT_DIR.
# 2. `chromium --dump-dom` loads each page from file:// with networking features off; the rendered
#    DOM must hold the chart (svg#chart, one circle.point per feasible option, the Pareto points,
#    the recommended point, a label on every Pareto point) and the recommended instance, and the
#    check page one row per workload.
# 3. `chromium --screenshot` renders the recommendation page at 1280x1600; the result must be a
#    non-empty PNG of that size. The terminal chart (`recommend --chart`) is rendered the same way
#    from an HTML <pre>. OUT_DIR keeps recommend.html, check.html, recommend-html.png and
#    recommend-chart.png (the README's docs/images screenshots are made this way).
#
# Exits 0 with "skipped: ..." when no Chromium is installed; 1 on any failed check.
set -euo pipefail

aiadvise=${1:?usage: render_html.sh AIADVISE [OUT_DIR]}
aiadvise=$(cd "$(dirname "$aiadvise")" && pwd)/$(basename "$aiadvise")

chromium=""
for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome-stable google-chrome; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1; then
    chromium=$(command -v "$candidate")
    break
  fi
done
if [ -z "$chromium" ]; then
  echo "skipped: chromium is not installed (scripts/install-deps.sh installs it)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${2:-$work/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Chromium with nothing to reach and nothing kept: its own profile and home in the scratch directory.
browse() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  HOME="$work" timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
    --disable-default-apps --hide-scrollbars --user-data-dir="$profile" "$@" 2>"$work/chromium.log"
}

count() { { grep -o -- "$1" "$2" || true; } | wc -l | tr -d ' '; }

# The workload: resnet-50 training, 24 h deadline (hundreds of feasible options).
workload=(--model resnet-50 --phase training --dataset-samples 1.28M --epochs 90 --deadline-hours 24)

# ---- the recommendation page --------------------------------------------------------------------
"$aiadvise" --no-config recommend "${workload[@]}" --format html >"$out/recommend.html"
"$aiadvise" --no-config recommend "${workload[@]}" --format json >"$work/recommend.json"
instance=$(sed -n 's/.*id="recommended-instance">\([^<]*\)<.*/\1/p' "$out/recommend.html" | head -n 1)
[ -n "$instance" ] || fail "recommend.html names no recommended instance"
# The same instance as the JSON report's recommendation.
grep -q "\"instance\": \"$instance\"" "$work/recommend.json" || fail "the JSON report does not recommend '$instance'"
points=$(count '<circle class="point' "$out/recommend.html")
[ "$points" -gt 10 ] || fail "expected many feasible points in the page, found $points"
if grep -Eq '(src|href)=|https?://|<script|<link' "$out/recommend.html"; then
  fail "recommend.html references something outside itself"
fi

if ! browse --dump-dom "file://$out/recommend.html" >"$work/recommend.dom"; then
  fail "chromium could not load recommend.html: $(tail -n 5 "$work/chromium.log")"
fi
grep -q '<svg id="chart"' "$work/recommend.dom" || fail "rendered DOM has no svg#chart"
dom_points=$(count '<circle class="point' "$work/recommend.dom")
[ "$dom_points" = "$points" ] || fail "rendered DOM has $dom_points points, the page $points"
[ "$(count '<circle class="point pareto' "$work/recommend.dom")" -ge 1 ] || fail "rendered DOM marks no Pareto point"
[ "$(count 'recommended" cx=' "$work/recommend.dom")" = 1 ] || fail "rendered DOM does not mark exactly one recommended point"
grep -q 'class="pareto-front"' "$work/recommend.dom" || fail "rendered DOM has no Pareto front line"
# Every point on the front is labelled: the pick with "recommended: ...", the others by name.
front=$(count '<circle class="point pareto' "$work/recommend.dom")
labels=$(($(count 'class="pareto-label"' "$work/recommend.dom") + $(count 'class="pick-label"' "$work/recommend.dom")))
picked_on_front=$(count '<circle class="point pareto recommended' "$work/recommend.dom")
[ "$labels" -ge "$((front + 1 - picked_on_front))" ] || fail "rendered DOM labels $labels points; the front has $front"
grep -q "id=\"recommended-instance\">$instance<" "$work/recommend.dom" || fail "rendered DOM does not show '$instance'"
for id in recommendation reasons alternatives excluded assumed; do
  grep -q "id=\"$id\"" "$work/recommend.dom" || fail "rendered DOM has no #$id"
done

# ---- the check page -----------------------------------------------------------------------------
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
set +e
"$aiadvise" --no-config check --project "$source_dir/examples/aiadvise.json" --format html >"$out/check.html"
code=$?
set -e
[ "$code" -le 1 ] || fail "check --format html exited $code"
if browse --dump-dom "file://$out/check.html" >"$work/check.dom"; then
  rows=$(count '<tr class="workload ' "$work/check.dom")
  [ "$rows" -ge 1 ] || fail "rendered check page has no workload rows"
  grep -q 'id="summary"' "$work/check.dom" || fail "rendered check page has no #summary"
else
  fail "chromium could not load check.html: $(tail -n 5 "$work/chromium.log")"
fi

# ---- screenshots --------------------------------------------------------------------------------
check_png() {  # FILE WIDTH HEIGHT
  [ -s "$1" ] || { fail "$1 was not written"; return; }
  local size signature
  size=$(wc -c <"$1" | tr -d ' ')
  signature=$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')
  [ "$signature" = 89504e470d0a1a0a ] || fail "$1 is not a PNG"
  [ "$size" -gt 10000 ] || fail "$1 is only $size bytes: a blank page?"
  # Width and height from the IHDR chunk (bytes 16-23, big-endian).
  local dims
  dims=$(od -An -tu1 -j16 -N8 "$1" | tr -s ' ' | sed 's/^ //')
  read -r w1 w2 w3 w4 h1 h2 h3 h4 <<<"$dims"
  local width=$(((w1 << 24) + (w2 << 16) + (w3 << 8) + w4)) height=$(((h1 << 24) + (h2 << 16) + (h3 << 8) + h4))
  [ "$width" = "$2" ] && [ "$height" = "$3" ] || fail "$1 is ${width}x${height}, expected $2x$3"
}

rm -f "$out/recommend-html.png"
browse --screenshot="$out/recommend-html.png" --window-size=1280,1600 "file://$out/recommend.html" >/dev/null ||
  fail "chromium could not screenshot recommend.html: $(tail -n 5 "$work/chromium.log")"
check_png "$out/recommend-html.png" 1280 1600

# The terminal chart, as a terminal would show it, in a <pre>.
LC_ALL=C.UTF-8 "$aiadvise" --no-config recommend "${workload[@]}" --format table --chart >"$work/chart.txt"
grep -q '█' "$work/chart.txt" || fail "recommend --chart drew no Unicode bars under a UTF-8 locale"
# The screenshot shows the end of the output: the options table, then the bars.
sed -n '/^Options/,$p' "$work/chart.txt" >"$work/chart-tail.txt"
lines=$(($(wc -l <"$work/chart-tail.txt" | tr -d ' ') + 2))
height=$((lines * 19 + 56))
{
  printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>aiadvise recommend --chart</title><style>\n'
  printf 'body{margin:0;background:#1e1e2e}pre{margin:0;padding:24px 28px;color:#e5e7eb;font:14px/19px "DejaVu Sans Mono",monospace;white-space:pre-wrap}\n'
  printf '.prompt{color:#94e2d5}.muted{color:#7f849c}</style></head><body><pre><span class="prompt">$ aiadvise recommend %s --chart</span>\n' "${workload[*]}"
  printf '<span class="muted">[... workload, compute, instance and deployment with their reasons ...]</span>\n'
  sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' "$work/chart-tail.txt"
  printf '</pre></body></html>\n'
} >"$out/chart.html"
rm -f "$out/recommend-chart.png"
browse --screenshot="$out/recommend-chart.png" --window-size=1280,"$height" "file://$out/chart.html" >/dev/null ||
  fail "chromium could not screenshot the chart: $(tail -n 5 "$work/chromium.log")"
check_png "$out/recommend-chart.png" 1280 "$height"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "ok: $points points rendered, recommended $instance; screenshots in $out"
