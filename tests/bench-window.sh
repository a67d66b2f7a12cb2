#!/bin/sh
# bench-window.sh FIXTURE_SERVER — not a test: how long `modelwatch-window`
# takes from its start to the first frame that shows data, and how much
# memory it holds, against a running service that watches 20 providers
# (a generated catalog on loopback pages). Prints a table.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/service-test-lib.sh"

runs=${BENCH_RUNS:-5}

if [ "${1:-}" != "--inner" ]; then
  need Xvfb dbus-run-session gdbus
  : "${MODELWATCH_BIN:?MODELWATCH_BIN must point at the built modelwatch}"
  : "${MODELWATCH_WINDOW_BIN:?MODELWATCH_WINDOW_BIN must point at the built modelwatch-window}"
  setup_tmp bench-window

  fixtures="statuspage-anthropic-summary-major-outage.json incidentio-openai-summary-shim-allclear.json
    statuspage-anthropic-summary.json statuspage-anthropic-summary-two-incidents-trimmed.json"
  set -- "$1"
  i=0
  for n in $(seq 1 20); do
    fixture=$(echo $fixtures | cut -d' ' -f$(( i % 4 + 1 )))
    set -- "$@" --route "/p$n/api/v2/summary.json=$fixture"
    i=$(( i + 1 ))
  done
  server=$1
  shift
  "$server" --port-file "$tmp/port" "$@" >"$tmp/fixture-server.log" 2>&1 &
  pids="$pids $!"
  wait_for 10 test -s "$tmp/port" || { echo "the fixture server did not start" >&2; exit 1; }
  port=$(cat "$tmp/port")

  {
    echo '{"version": 1, "providers": ['
    for n in $(seq 1 20); do
      [ "$n" -gt 1 ] && echo ','
      cat <<PROVIDER
  {"id": "p$n", "name": "Provider $n",
   "status_page": {"url": "http://127.0.0.1:$port/p$n", "platform": "statuspage"},
   "components": {"api": "k8w3r06qmzrp", "claude.ai": "rwppv331jlwc"},
   "models": [
     {"id": "large", "name": "Provider $n Large", "components": ["k8w3r06qmzrp"], "match": ["Opus 4.7"]},
     {"id": "medium", "name": "Provider $n Medium", "components": ["k8w3r06qmzrp"], "match": ["Sonnet 4.6"]},
     {"id": "small", "name": "Provider $n Small", "components": ["k8w3r06qmzrp"], "match": ["Haiku 4.5"]}
   ]}
PROVIDER
    done
    echo '], "fallbacks": {}}'
  } >"$tmp/catalog.json"

  exec 5>"$tmp/display"
  Xvfb -displayfd 5 -screen 0 1024x900x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  pids="$pids $!"
  wait_for 10 test -s "$tmp/display" || { echo "Xvfb did not start" >&2; exit 1; }
  DISPLAY=":$(cat "$tmp/display")"
  export DISPLAY tmp runs
  dbus-run-session -- sh "$here/bench-window.sh" --inner
  exit 0
fi

pids=""
trap cleanup EXIT
export GDK_BACKEND=x11 GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GTK_A11Y=none
export G_MESSAGES_DEBUG=modelwatch-window

"$MODELWATCH_BIN" --background --no-tray --no-notify --catalog "$tmp/catalog.json" >"$tmp/service.log" 2>&1 &
pids="$pids $!"
wait_for 20 sh -c "$(command -v gdbus) call --session --dest io.github.modelwatch.Monitor \
  --object-path /io/github/modelwatch/Monitor --method org.freedesktop.DBus.Properties.Get \
  io.github.modelwatch.Monitor1 Snapshot | grep -q 'Provider 20 Small'" \
  || { echo "the service never published 20 providers" >&2; exit 1; }
wait_for 20 sh -c "$(command -v gdbus) call --session --dest io.github.modelwatch.Monitor \
  --object-path /io/github/modelwatch/Monitor --method org.freedesktop.DBus.Properties.Get \
  io.github.modelwatch.Monitor1 Snapshot | grep -q 'checked_at\": \"'" || true

# measure RENDERER: one run; prints "ms rss_kib"
measure () {
  : >"$tmp/window.log"
  start=$(date +%s%N)
  GSK_RENDERER=$1 ${BENCH_WRAP:-} "$MODELWATCH_WINDOW_BIN" >"$tmp/window.log" 2>&1 &
  window=$!
  wait_for 30 grep -q 'first frame with data at' "$tmp/window.log" \
    || { echo "no frame with data (see $tmp/window.log)" >&2; kill "$window"; exit 1; }
  frame_us=""
  while [ -z "$frame_us" ]; do
    frame_us=$(sed -n 's/.*first frame with data at \([0-9][0-9]*\) us.*/\1/p' "$tmp/window.log" | head -n 1)
  done
  sleep 2
  rss=$(ps -o rss= -p "$window" | tr -d ' ')
  kill "$window"
  wait "$window" 2>/dev/null || true
  cat "$tmp/window.log" >>"$tmp/windows.log"
  echo "$(( (frame_us * 1000 - start) / 1000000 )) $rss"
}

printf '%-10s %5s %22s %22s\n' renderer runs "first data frame ms" "resident KiB"
printf '%-10s %5s %22s %22s\n' "" "" "median (min-max)" "median (min-max)"
for renderer in ${BENCH_RENDERERS:-cairo gl}; do
  : >"$tmp/results"
  for run in $(seq 1 "$runs"); do
    measure "$renderer" >>"$tmp/results"
  done
  ms=$(cut -d' ' -f1 "$tmp/results" | sort -n)
  kib=$(cut -d' ' -f2 "$tmp/results" | sort -n)
  mid=$(( (runs + 1) / 2 ))
  printf '%-10s %5s %22s %22s\n' "$renderer" "$runs" \
    "$(echo "$ms" | sed -n "${mid}p") ($(echo "$ms" | head -n1)-$(echo "$ms" | tail -n1))" \
    "$(echo "$kib" | sed -n "${mid}p") ($(echo "$kib" | head -n1)-$(echo "$kib" | tail -n1))"
done
echo "20 providers, 60 models; Xvfb 1024x900; the service already running."
