#!/bin/sh
# test-service-watcher.sh FIXTURE_SERVER — the real service under
# dbus-run-session with the real standalone StatusNotifierWatcher (Debian:
# haskell-status-notifier-item-utils): the item registers, follows the
# fixture page's health, registers again when the watcher restarts,
# answers the D-Bus API and quits cleanly on SIGTERM.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/service-test-lib.sh"

fail () {
  echo "FAIL: $*" >&2
  for log in "$tmp"/*.log; do
    echo "--- $log" >&2
    tail -n 30 "$log" >&2
  done
  exit 1
}

if [ "${1:-}" != "--inner" ] && [ "${1:-}" != "--activation" ]; then
  need status-notifier-watcher dbus-run-session gdbus curl
  : "${MODELWATCH_BIN:?MODELWATCH_BIN must point at the built modelwatch}"
  setup_tmp service-watcher
  start_fixture_server "$1" statuspage-anthropic-summary-major-outage.json
  write_catalog
  export tmp port
  dbus-run-session -- sh "$here/test-service-watcher.sh" --inner

  # D-Bus activation through our .service file (its Exec pointed at the
  # build and at the fixture catalog): what the window relies on.
  mkdir -p "$tmp/services"
  sed -e "s|@bindir@/modelwatch|$MODELWATCH_BIN|" \
      -e "s|--background|--background --no-notify --catalog $tmp/catalog.json|" \
      "$here/../data/io.github.modelwatch.Monitor.service.in" \
      >"$tmp/services/io.github.modelwatch.Monitor.service"
  cat >"$tmp/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  dbus-run-session --config-file="$tmp/session.conf" -- sh "$here/test-service-watcher.sh" --activation

  # Logs are kept only when something failed.
  rm -rf "$tmp"
  exit 0
fi

# Inside the private session bus.
pids=""
trap cleanup EXIT

if [ "$1" = "--activation" ]; then
  snapshot=$(gdbus call --session --dest io.github.modelwatch.Monitor --object-path /io/github/modelwatch/Monitor \
    --method org.freedesktop.DBus.Properties.Get io.github.modelwatch.Monitor1 Snapshot) \
    || fail "D-Bus activation of io.github.modelwatch.Monitor failed"
  pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetConnectionUnixProcessID io.github.modelwatch.Monitor \
    | sed -n 's/.*uint32 \([0-9]*\).*/\1/p')
  [ -n "$pid" ] && kill -0 "$pid" || fail "no activated service process ($pid)"
  echo "ok: D-Bus activation started the service (pid $pid)"
  kill -TERM "$pid"
  # Let it leave the bus before the bus goes away.
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  exit 0
fi

# Opening the status window runs this stand-in, which records it.
printf '#!/bin/sh\ntouch "%s/window-opened"\n' "$tmp" >"$tmp/fake-window"
chmod +x "$tmp/fake-window"
export MODELWATCH_WINDOW_BIN="$tmp/fake-window"

# Bad options stop it before it starts anything.
rc=0
"$MODELWATCH_BIN" --background --no-notify --catalog "$tmp/catalog.json" --interval 0 \
  >"$tmp/bad-interval.log" 2>&1 || rc=$?
[ "$rc" -eq 64 ] || fail "--interval 0 exited with $rc, not 64"
rc=0
"$MODELWATCH_BIN" --background --no-notify --catalog "$tmp/missing.json" >"$tmp/bad-catalog.log" 2>&1 || rc=$?
[ "$rc" -eq 78 ] || fail "a missing catalog exited with $rc, not 78"
grep -q "missing.json" "$tmp/bad-catalog.log" || fail "the catalog error does not name the file"
echo "ok: bad options exit 64 and 78"

# The service first: no watcher yet, and nothing may break.
"$MODELWATCH_BIN" --background --no-notify --catalog "$tmp/catalog.json" --interval 1 \
  >"$tmp/service.log" 2>&1 &
service=$!
pids="$pids $service"
wait_for 10 gdbus introspect --session --dest io.github.modelwatch.Monitor \
  --object-path /io/github/modelwatch/Monitor || fail "the service did not come up"
item="org.kde.StatusNotifierItem-$service-1"

status-notifier-watcher >"$tmp/watcher.log" 2>&1 &
watcher=$!
pids="$pids $watcher"
wait_for 15 sh -c "$(command -v gdbus) call --session --dest org.kde.StatusNotifierWatcher \
  --object-path /StatusNotifierWatcher --method org.freedesktop.DBus.Properties.Get \
  org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems | grep -q '$item'" \
  || fail "the item never appeared in RegisteredStatusNotifierItems ($(registered_items 2>&1))"
echo "ok: registered as $item"

# The icon shows the page's major outage, and follows it back.
wait_for 15 sh -c "$(command -v gdbus) call --session --dest $item --object-path /StatusNotifierItem \
  --method org.freedesktop.DBus.Properties.Get org.kde.StatusNotifierItem IconName \
  | grep -q modelwatch-major-outage" || fail "icon is $(item_property "$item" IconName), not major outage"
item_property "$item" Status | grep -q NeedsAttention || fail "status is not NeedsAttention"
echo "ok: major outage icon"

gdbus monitor --session --dest io.github.modelwatch.Monitor >"$tmp/monitor.log" 2>&1 &
monitor=$!
pids="$pids $monitor"
sleep 0.5
set_fixture statuspage-anthropic-summary.json
wait_for 15 sh -c "$(command -v gdbus) call --session --dest $item --object-path /StatusNotifierItem \
  --method org.freedesktop.DBus.Properties.Get org.kde.StatusNotifierItem IconName \
  | grep -q modelwatch-operational" || fail "icon is $(item_property "$item" IconName), not operational"
item_property "$item" Status | grep -q "'Active'" || fail "status is not Active"
echo "ok: operational icon"
wait_for 5 grep -q "io.github.modelwatch.Monitor1.Changed" "$tmp/monitor.log" \
  || fail "no Changed signal on the bus when the page recovered"
kill "$monitor" 2>/dev/null || true
echo "ok: Changed signal"

# The panel restarts: a new watcher gets the item again.
kill "$watcher"
wait "$watcher" 2>/dev/null || true
status-notifier-watcher >"$tmp/watcher2.log" 2>&1 &
watcher=$!
pids="$pids $watcher"
wait_for 15 sh -c "$(command -v gdbus) call --session --dest org.kde.StatusNotifierWatcher \
  --object-path /StatusNotifierWatcher --method org.freedesktop.DBus.Properties.Get \
  org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems | grep -q '$item'" \
  || fail "the item did not register with the restarted watcher"
echo "ok: registered again after the watcher restarted"

# The D-Bus API.
api="gdbus call --session --dest io.github.modelwatch.Monitor --object-path /io/github/modelwatch/Monitor"
$api --method io.github.modelwatch.Monitor1.CheckNow >/dev/null || fail "CheckNow failed"
snapshot=$($api --method org.freedesktop.DBus.Properties.Get io.github.modelwatch.Monitor1 Snapshot)
echo "$snapshot" | grep -q '\\"id\\":\\"anthropic\\"' || echo "$snapshot" | grep -q '"id":"anthropic"' \
  || fail "Snapshot lacks the provider: $snapshot"
pick=$($api --method io.github.modelwatch.Monitor1.Pick "['anthropic/claude-opus-4-7']")
[ "$pick" = "('anthropic/claude-opus-4-7',)" ] || fail "Pick answered $pick"
$api --method io.github.modelwatch.Monitor1.Mute '' 60 >/dev/null || fail "Mute failed"
echo "ok: CheckNow, Snapshot, Pick, Mute"

# A second start with --background finds the first and exits at once;
# without it, it asks the first to open the window.
"$MODELWATCH_BIN" --background --no-notify >"$tmp/second.log" 2>&1 \
  || fail "a second --background start failed"
[ -e "$tmp/window-opened" ] && fail "--background opened the window"
"$MODELWATCH_BIN" >"$tmp/third.log" 2>&1 || fail "a second start failed"
wait_for 5 test -e "$tmp/window-opened" || fail "a second start did not open the window"
echo "ok: unique instance; a second start opens the window"

# SIGTERM quits cleanly, without a warning on the way.
kill -TERM "$service"
i=0
while kill -0 "$service" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$service" 2>/dev/null && fail "the service ignored SIGTERM"
rc=0
wait "$service" || rc=$?
[ "$rc" -eq 0 ] || fail "the service exited with $rc after SIGTERM"
if grep -E "CRITICAL|WARNING|Gtk" "$tmp/service.log"; then
  fail "the service logged warnings"
fi
echo "ok: clean exit on SIGTERM"

# Quit from the menu, as a host clicks it.
"$MODELWATCH_BIN" --background --no-notify --catalog "$tmp/catalog.json" --interval 1 \
  >"$tmp/service2.log" 2>&1 &
service=$!
pids="$pids $service"
item="org.kde.StatusNotifierItem-$service-1"
wait_for 15 sh -c "$(command -v gdbus) call --session --dest org.kde.StatusNotifierWatcher \
  --object-path /StatusNotifierWatcher --method org.freedesktop.DBus.Properties.Get \
  org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems | grep -q '$item'" \
  || fail "the restarted service did not register"
layout=$(gdbus call --session --dest "$item" --object-path /MenuBar \
  --method com.canonical.dbusmenu.GetLayout -- 0 -1 "['label']")
quit_id=$(echo "$layout" | sed -n "s/.*(\([0-9]*\), {'label': <'_Quit'>}.*/\1/p")
[ -n "$quit_id" ] || fail "no Quit item in the menu: $layout"
gdbus call --session --dest "$item" --object-path /MenuBar --method com.canonical.dbusmenu.Event \
  "$quit_id" clicked '<0>' 0 >/dev/null || fail "clicking Quit failed"
i=0
while kill -0 "$service" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$service" 2>/dev/null && fail "Quit in the menu did not quit"
rc=0
wait "$service" || rc=$?
[ "$rc" -eq 0 ] || fail "the service exited with $rc after Quit"
echo "ok: Quit in the menu"
