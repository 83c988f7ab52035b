#!/usr/bin/env bash
# The default table in a real terminal: aiadvise runs inside tmux windows of 80 and 120 columns
# (so stdout is a terminal and its width comes from the window), and no line of what the terminal
# shows may have wrapped. capture-pane -J joins lines the terminal wrapped, so a line longer than
# the window shows up longer than the window.
#   width_in_tmux.sh AIADVISE_BINARY
# Prints "skipped: ..." and exits 0 when tmux is not installed (scripts/install-deps.sh installs it).
set -uo pipefail
bin=$(realpath "$1")
if ! command -v tmux >/dev/null; then
  echo "skipped: tmux is not installed"
  exit 0
fi
socket="aiadvise-width-$$"
work=$(mktemp -d)
trap 'tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$work"' EXIT
fail=0
cases=(
  "recommend --model llama-3.1-8b --qps 5 --tpot-ms 50"
  "recommend --model meta-llama/Llama-3.1-8B-Instruct --qps 20 --cloud azure"
  "recommend --model resnet-50 --phase training --dataset-samples 1.28M --epochs 90 --deadline-hours 24"
  "recommend --model xgboost --phase inference --qps 200 --ops-maturity low --traffic spiky"
  "recommend --model llama-3.1-405b --qps 1 --latency-ms 1 --explain"
  "estimate --model llama-3.1-8b --instance g5.xlarge --qps 2"
)
for width in 80 120; do
  for args in "${cases[@]}"; do
    out="$work/out"
    : >"$out"
    # NOTE: NO_COLOR keeps escape codes out of the capture; the width is the window's.
    tmux -L "$socket" -f /dev/null new-session -d -x "$width" -y 400 -e NO_COLOR=1 -e XDG_CONFIG_HOME="$work/no-config" \
      "stty cols $width 2>/dev/null; $bin $args; echo \"__EXIT \$?\"; sleep 30"
    for _ in $(seq 1 200); do
      tmux -L "$socket" capture-pane -p -J -S - -E - >"$out" 2>/dev/null
      grep -q "__EXIT" "$out" && break
      sleep 0.1
    done
    tmux -L "$socket" kill-server 2>/dev/null
    if ! grep -q "__EXIT 0" "$out"; then
      echo "FAIL width $width: aiadvise $args did not exit 0:"; tail -5 "$out"; fail=1; continue
    fi
    widest=$(sed '/__EXIT/d' "$out" | awk '{ n = length($0); if (n > m) m = n } END { print m + 0 }')
    lines=$(grep -vc "__EXIT" "$out")
    if ((widest > width)); then
      echo "FAIL width $width: aiadvise $args: a line of $widest columns"
      awk -v w="$width" 'length($0) > w' "$out" | head -3
      fail=1
    elif ((lines < 5)); then
      echo "FAIL width $width: aiadvise $args printed $lines lines"; fail=1
    else
      echo "ok   width $width: aiadvise $args ($lines lines, widest $widest)"
    fi
  done
done
exit $fail
