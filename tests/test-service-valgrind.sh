#!/bin/sh
# test-service-valgrind.sh FIXTURE_SERVER — the real service with its tray
# runs for a minute (MW_VALGRIND_SECONDS) under valgrind against a fixture
# page that keeps changing, with a watcher on the bus: no definite leak,
# no invalid access, no warning, and a clean exit on SIGTERM.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/service-test-lib.sh"

fail () {
  echo "FAIL: $*" >&2
  for log in "$tmp"/*.log; do
    echo "--- $log" >&2
    tail -n 60 "$log" >&2
  done
  exit 1
}

if [ "${1:-}" != "--inner" ]; then
  need valgrind status-notifier-watcher dbus-run-session gdbus curl
  : "${MODELWATCH_BIN:?MODELWATCH_BIN must point at the built modelwatch}"
  setup_tmp service-valgrind
  start_fixture_server "$1" statuspage-anthropic-summary.json
  write_catalog
  export tmp port
  dbus-run-session -- sh "$here/test-service-valgrind.sh" --inner
  rm -rf "$tmp"
  exit 0
fi

pids=""
trap cleanup EXIT
seconds=${MW_VALGRIND_SECONDS:-60}

status-notifier-watcher >"$tmp/watcher.log" 2>&1 &
pids="$pids $!"

supp="--suppressions=$here/modelwatch.supp"
[ -f /usr/share/glib-2.0/valgrind/glib.supp ] && supp="$supp --suppressions=/usr/share/glib-2.0/valgrind/glib.supp"
# shellcheck disable=SC2086
G_SLICE=always-malloc G_DEBUG=gc-friendly,fatal-criticals,fatal-warnings \
  valgrind --quiet --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --error-exitcode=99 --num-callers=30 $supp \
  "$MODELWATCH_BIN" --background --no-notify --catalog "$tmp/catalog.json" --interval 1 \
  >"$tmp/service.log" 2>&1 &
service=$!
pids="$pids $service"

wait_for 60 gdbus introspect --session --dest io.github.modelwatch.Monitor \
  --object-path /io/github/modelwatch/Monitor || fail "the service did not come up under valgrind"

# The page cycles through its states while the tray follows it; the menu
# is read as a host would.
fixtures="statuspage-anthropic-summary-major-outage.json statuspage-cloudflare-summary-replicate-maintenance.json
  statuspage-anthropic-summary-truncated.json statuspage-anthropic-summary.json"
end=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$end" ]; do
  for fixture in $fixtures; do
    set_fixture "$fixture"
    sleep 2
    gdbus call --session --dest "$(gdbus call --session --dest org.kde.StatusNotifierWatcher \
      --object-path /StatusNotifierWatcher --method org.freedesktop.DBus.Properties.Get \
      org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems | grep -o 'org.kde.StatusNotifierItem-[0-9-]*' | head -n 1)" \
      --object-path /MenuBar --method com.canonical.dbusmenu.GetLayout -- 0 -1 '[]' >/dev/null 2>&1 || true
  done
  gdbus call --session --dest io.github.modelwatch.Monitor --object-path /io/github/modelwatch/Monitor \
    --method io.github.modelwatch.Monitor1.CheckNow >/dev/null || fail "CheckNow failed under valgrind"
done

kill -TERM "$service"
rc=0
wait "$service" || rc=$?
[ "$rc" -eq 0 ] || fail "valgrind or the service exited with $rc (99 = errors or definite leaks)"
if grep -E "CRITICAL|WARNING|definitely lost|Invalid (read|write)" "$tmp/service.log"; then
  fail "the service logged warnings or valgrind errors"
fi
echo "ok: ${seconds}s under valgrind, no definite leak, no error, no warning"
