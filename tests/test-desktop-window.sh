#!/bin/sh
# test-desktop-window.sh FIXTURE_SERVER — the status window as a user meets
# it: Xvfb, a private session bus, the real service reading three loopback
# status pages (a major outage, all clear, one answering HTTP 503), then the
# window. A screenshot is kept (tests/artifacts/window.png in the build dir);
# the accessibility tree must name the providers, the models and their
# health; the window must start the service through D-Bus activation; a
# second launch must present the same window; closing the window ends its
# process while the service keeps running.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/service-test-lib.sh"

fail () {
  echo "FAIL: $*" >&2
  for log in "$tmp"/*.log; do
    [ -f "$log" ] || continue
    echo "--- $log" >&2
    tail -n 30 "$log" >&2
  done
  exit 1
}

if [ "${1:-}" != "--inner" ]; then
  need Xvfb dbus-run-session gdbus import xdotool curl
  if ! /usr/bin/python3 -c 'import gi; gi.require_version("Atspi", "2.0"); from gi.repository import Atspi' 2>/dev/null \
     || [ ! -x /usr/libexec/at-spi-bus-launcher ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "FAIL: AT-SPI is missing (gir1.2-atspi-2.0, at-spi2-core)" >&2
      exit 1
    fi
    echo "SKIP: AT-SPI is missing" >&2
    exit 77
  fi
  : "${MODELWATCH_BIN:?MODELWATCH_BIN must point at the built modelwatch}"
  : "${MODELWATCH_WINDOW_BIN:?MODELWATCH_WINDOW_BIN must point at the built modelwatch-window}"
  setup_tmp desktop-window

  "$1" --port-file "$tmp/port" \
    --route "/anthropic/api/v2/summary.json=statuspage-anthropic-summary-major-outage.json" \
    --route "/openai/api/v2/summary.json=incidentio-openai-summary-shim-allclear.json" \
    --route "/example/api/v2/summary.json=statuspage-anthropic-summary.json" \
    >"$tmp/fixture-server.log" 2>&1 &
  pids="$pids $!"
  wait_for 10 test -s "$tmp/port" || fail "the fixture server did not start"
  port=$(cat "$tmp/port")
  curl -fsS "http://127.0.0.1:$port/_control/set?path=/example/api/v2/summary.json&status=503" >/dev/null

  cat >"$tmp/catalog.json" <<CATALOG
{
  "version": 1,
  "providers": [{
    "id": "anthropic",
    "name": "Anthropic",
    "status_page": {"url": "http://127.0.0.1:$port/anthropic", "platform": "statuspage"},
    "components": {"api": "k8w3r06qmzrp", "claude.ai": "rwppv331jlwc", "claude-code": "yyzkbfz2thpt"},
    "models": [
      {"id": "claude-opus-4-7", "name": "Claude Opus 4.7", "components": ["k8w3r06qmzrp"], "match": ["Opus 4.7"]},
      {"id": "claude-sonnet-4-6", "name": "Claude Sonnet 4.6", "components": ["k8w3r06qmzrp"], "match": ["Sonnet 4.6"]}
    ]
  }, {
    "id": "openai",
    "name": "OpenAI",
    "status_page": {"url": "http://127.0.0.1:$port/openai", "platform": "statuspage"},
    "components": {"responses": "01JP8CD9JR3HR6Y7G4Q75N4DVW"},
    "models": [
      {"id": "gpt-5", "name": "GPT-5", "components": ["01JP8CD9JR3HR6Y7G4Q75N4DVW"], "match": ["GPT-5"]}
    ]
  }, {
    "id": "example",
    "name": "Example AI",
    "status_page": {"url": "http://127.0.0.1:$port/example", "platform": "statuspage"},
    "models": [
      {"id": "example-1", "name": "Example One", "match": ["Example One"]}
    ]
  }],
  "fallbacks": {"anthropic/claude-opus-4-7": ["anthropic/claude-sonnet-4-6", "openai/gpt-5"]}
}
CATALOG

  # -displayfd picks a free display, so parallel tests never collide.
  exec 5>"$tmp/display"
  Xvfb -displayfd 5 -screen 0 1024x900x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  pids="$pids $!"
  wait_for 10 test -s "$tmp/display" || fail "Xvfb did not start"
  DISPLAY=":$(cat "$tmp/display")"
  export DISPLAY tmp port artifacts
  dbus-run-session -- sh "$here/test-desktop-window.sh" --inner
  exit 0
fi

# Inside the private session bus, on the private display.
pids=""
trap cleanup EXIT
# The test environment turns accessibility off; this test is about it.
unset NO_AT_BRIDGE GTK_A11Y
export GSK_RENDERER=cairo GDK_BACKEND=x11 GSETTINGS_BACKEND=memory

name_owner () {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetNameOwner "$1"
}

snapshot () {
  gdbus call --session --dest io.github.modelwatch.Monitor --object-path /io/github/modelwatch/Monitor \
    --method org.freedesktop.DBus.Properties.Get io.github.modelwatch.Monitor1 Snapshot
}

window_ids () {
  xdotool search --onlyvisible --name '^Modelwatch$' 2>/dev/null || true
}

# No service runs: the window must start it through D-Bus activation. The
# session bus reads services from $XDG_DATA_HOME/dbus-1/services.
# (--background: the service must not open a window of its own.)
mkdir -p "$XDG_DATA_HOME/dbus-1/services"
cat >"$XDG_DATA_HOME/dbus-1/services/io.github.modelwatch.Monitor.service" <<SERVICE
[D-BUS Service]
Name=io.github.modelwatch.Monitor
Exec=/bin/sh -c 'exec "$MODELWATCH_BIN" --background --no-tray --no-notify --catalog "$tmp/catalog.json" >"$tmp/service.log" 2>&1'
SERVICE
name_owner io.github.modelwatch.Monitor >/dev/null 2>&1 && fail "a service already runs"

"$MODELWATCH_WINDOW_BIN" >"$tmp/window.log" 2>&1 &
window=$!
pids="$pids $window"
wait_for 20 sh -c "[ -n \"\$(xdotool search --onlyvisible --name '^Modelwatch\$' 2>/dev/null)\" ]" \
  || fail "the window never appeared"
wait_for 15 name_owner io.github.modelwatch.Monitor || fail "the window did not start the service"
service=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.GetConnectionUnixProcessID io.github.modelwatch.Monitor | sed 's/.*uint32 \([0-9]*\).*/\1/')
pids="$pids $service"
echo "ok: the window started the service through D-Bus activation (pid $service)"
wait_for 20 sh -c "$(command -v gdbus) call --session --dest io.github.modelwatch.Monitor \
  --object-path /io/github/modelwatch/Monitor --method org.freedesktop.DBus.Properties.Get \
  io.github.modelwatch.Monitor1 Snapshot | grep -q 'HTTP 503'" \
  || fail "the service never read the 503 page: $(snapshot)"
wid=$(window_ids | head -n 1)

# The accessible tree names what the user sees.
names=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  sleep 1
  names=$(/usr/bin/python3 "$here/atspi-names.py" modelwatch-window 2>"$tmp/atspi.log" || true)
  printf '%s\n' "$names" >"$tmp/atspi-names.txt"
  if printf '%s\n' "$names" | grep -q 'Claude Sonnet 4.6'; then break; fi
done
for word in "Anthropic" "OpenAI" "Example AI" "Claude Opus 4.7" "Claude Sonnet 4.6" \
            "Major outage" "Operational" "Unknown" "Check Now" \
            "Claude Opus 4.7 and 1 more: major outage" "Elevated errors on Claude Opus 4.7" \
            "Use instead: GPT-5" "Unknown: 127.0.0.1:$port answered HTTP 503"; do
  printf '%s\n' "$names" | grep -qF "$word" \
    || fail "the accessible tree lacks “$word” (see $tmp/atspi-names.txt)"
done
for word in "Service Is Not Running" "Waiting for the First Check"; do
  printf '%s\n' "$names" | grep -qF "$word" \
    && fail "the accessible tree reads out a hidden page: “$word” (see $tmp/atspi-names.txt)"
done
echo "ok: the accessible tree names providers, models and health words, and no hidden page"

# Let the reveal animation finish, then keep a picture.
sleep 1
import -window "$wid" "$artifacts/window.png" || fail "no screenshot"
echo "ok: screenshot in $artifacts/window.png"

# A second launch presents the same window instead of opening another, at
# the model it names (as the notifications' "Details" action does).
"$MODELWATCH_WINDOW_BIN" --model example/example-1 >"$tmp/window2.log" 2>&1 \
  || fail "the second launch failed"
sleep 1
import -window "$wid" "$artifacts/window-model.png" || fail "no screenshot"
[ "$(window_ids | wc -l)" -eq 1 ] || fail "a second launch opened a second window"
kill -0 "$window" 2>/dev/null || { wait "$window"; fail "the first window went away on a second launch (exit status $?)"; }
echo "ok: a second launch presents the existing window"

# Ctrl+W closes the window; its process ends, the service stays.
# No window manager runs: focus the window by hand and type for real (XTEST),
# since GTK ignores synthetic key events sent to a window.
wid=$(window_ids | tail -n 1)
xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid" || true
sleep 0.5
xdotool key --clearmodifiers ctrl+w
wait_for 10 sh -c "! kill -0 $window 2>/dev/null" || fail "the window process outlived its window"
wait "$window" || fail "the window process exited with an error"
kill -0 "$service" 2>/dev/null || fail "the service ended with the window"
name_owner io.github.modelwatch.Monitor >/dev/null || fail "the service left the bus with the window"
echo "ok: closing the window ends its process; the service keeps running"
