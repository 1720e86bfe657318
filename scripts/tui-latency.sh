#!/usr/bin/env bash
# Measures how long `tokensim tui` takes to show the result of a lever change on the
# 20,000-user default scenario cut to 7 days: from the key press to the frame that says
# "run 2 done". Drives the real binary in tmux (apt-get install -y tmux).
#
#   cargo build --release && scripts/tui-latency.sh [path/to/tokensim] [repeats]
set -euo pipefail
bin=${1:-target/release/tokensim}
repeats=${2:-5}
sock="tokensim-latency-$$"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT
wait_for() { # text -> prints milliseconds waited
  local start now
  start=$(date +%s%N)
  until tm capture-pane -p -t lat | grep -q -- "$1"; do sleep 0.01; done
  now=$(date +%s%N)
  echo $(((now - start) / 1000000))
}
tm new-session -d -x 120 -y 40 -s lat \
  "$bin tui --set scenario.horizon=7d --set outage.0.start=2026-03-04T09:00; sleep 60"
wait_for "run 1 done" >/dev/null
# Select the "AT lifetime max" lever (8th row) and move it up and down.
for _ in 1 2 3 4 5 6 7; do tm send-keys -t lat Down; done
for i in $(seq 1 "$repeats"); do
  gen=$((i + 1))
  if ((i % 2)); then key=Right; else key=Left; fi
  tm send-keys -t lat "$key"
  ms=$(wait_for "run $gen done")
  reported=$(tm capture-pane -p -t lat | grep -o "run $gen done in [^│]*")
  echo "change $i ($key): shown after ${ms} ms (key press to frame); status: $reported"
done
tm send-keys -t lat q
