#!/bin/sh
# bench-service-memory.sh [MINUTES] — a benchmark, not a test.
#
# Runs the service (tray, notifications, D-Bus API) with the whole
# built-in catalog rewritten to poll loopback fixtures every second, for
# MINUTES (default 10), next to bench-floor (an idle GLib program linking
# the same libraries), and prints the resident memory and CPU time of both.
#
# Every provider is pointed at a Statuspage fixture on 127.0.0.1 and its
# API probes are removed, so nothing leaves the machine; the catalog keeps
# its real providers, models and fallbacks.
#
#   ninja -C _build && tests/bench-service-memory.sh 2    # from the source tree
#   MODELWATCH_BUILDDIR=build tests/bench-service-memory.sh
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
builddir=${MODELWATCH_BUILDDIR:-$src/_build}
export MODELWATCH_BIN=${MODELWATCH_BIN:-$builddir/src/service/modelwatch}
export G_TEST_SRCDIR=$here G_TEST_BUILDDIR=$builddir/tests
floor_bin=$builddir/tests/bench-floor
server_bin=$builddir/tests/mw-fixture-server
. "$here/service-test-lib.sh"

if [ "${1:-}" != "--inner" ]; then
  minutes=${1:-10}
  need dbus-run-session status-notifier-watcher curl /usr/bin/python3
  for bin in "$MODELWATCH_BIN" "$floor_bin" "$server_bin"; do
    [ -x "$bin" ] || { echo "build first: $bin is missing" >&2; exit 1; }
  done
  setup_tmp bench
  start_fixture_server "$server_bin" statuspage-anthropic-summary.json
  /usr/bin/python3 - "$src/data/catalog/providers.json" "$port" >"$tmp/catalog.json" <<'PY'
import json, sys
catalog = json.load(open(sys.argv[1]))
for provider in catalog["providers"]:
    provider.pop("api", None)
    provider["status_page"] = {"url": "http://127.0.0.1:%s" % sys.argv[2], "platform": "statuspage"}
print(json.dumps(catalog))
PY
  export tmp port minutes floor_bin
  dbus-run-session -- sh "$here/bench-service-memory.sh" --inner
  exit 0
fi

pids=""
trap cleanup EXIT

# rss_kib PID, cpu_seconds PID
rss_kib () { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
cpu_seconds () {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

status-notifier-watcher >/dev/null 2>&1 &
pids="$pids $!"
"$MODELWATCH_BIN" --background --catalog "$tmp/catalog.json" --interval 1 >"$tmp/service.log" 2>&1 &
service=$!
pids="$pids $service"
"$floor_bin" &
floor=$!
pids="$pids $floor"

wait_for 20 gdbus introspect --session --dest io.github.modelwatch.Monitor \
  --object-path /io/github/modelwatch/Monitor || { echo "the service did not start" >&2; exit 1; }
start_rss=$(rss_kib "$service")
sleep "${MW_BENCH_SECONDS:-$(( minutes * 60 ))}"

hits=$(curl -fsS "http://127.0.0.1:$port/_control/hits?path=/api/v2/summary.json")
printf '\n%-34s %12s %12s %14s\n' "process (${minutes} min, 1 s interval)" "RSS start" "RSS end" "CPU time"
printf '%-34s %9s KiB %9s KiB %12s s\n' "modelwatch (service, tray)" "$start_rss" "$(rss_kib "$service")" \
  "$(cpu_seconds "$service")"
printf '%-34s %12s %9s KiB %12s s\n' "bench-floor (same libraries, idle)" "" "$(rss_kib "$floor")" \
  "$(cpu_seconds "$floor")"
printf '\n%s polls of the fixture page; %s providers\n' "$hits" \
  "$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["providers"]))' "$tmp/catalog.json")"
