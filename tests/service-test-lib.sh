# service-test-lib.sh — shared by the end-to-end tests that run the real
# service: tool checks, a private temporary home, the fixture server and a
# catalog that points at it. Sourced, not run.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# need TOOL...: skip (77) when a tool is missing, or fail under CI=true.
need () {
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      if [ "${CI:-}" = "true" ]; then
        echo "FAIL: $tool is missing (install it with build-aux/deps.sh --tests)" >&2
        exit 1
      fi
      echo "SKIP: $tool is missing" >&2
      exit 77
    fi
  done
}

# Everything the test writes stays in $tmp (under the build dir when
# meson runs us); nothing reads the user's own configuration.
setup_tmp () {
  artifacts=${G_TEST_BUILDDIR:-${TMPDIR:-/tmp}}/artifacts
  mkdir -p "$artifacts"
  tmp=$(mktemp -d "$artifacts/$1.XXXXXX")
  export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
  export XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/runtime"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
  mkdir -p -m 700 "$XDG_RUNTIME_DIR"
  pids=""
  kill_pids=""
  trap cleanup EXIT
  trap 'exit 1' INT TERM
}

# cleanup: SIGTERM to everything in $pids, SIGKILL to $kill_pids and to
# whatever still runs 5 s later, so a test never hangs in its teardown
# waiting for a helper that ignores SIGTERM. (The shell reaps exited
# children whenever it waits for a command, such as sleep, so kill -0
# stops seeing them.)
cleanup () {
  for pid in ${kill_pids:-}; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  for pid in $pids; do
    kill "$pid" 2>/dev/null || true
  done
  i=0
  while [ $i -lt 25 ]; do
    alive=""
    for pid in $pids; do
      if kill -0 "$pid" 2>/dev/null; then alive="$alive $pid"; fi
    done
    [ -n "$alive" ] || break
    sleep 0.2
    i=$(( i + 1 ))
  done
  for pid in $alive; do
    echo "cleanup: $(cat "/proc/$pid/comm" 2>/dev/null) ($pid) ignored SIGTERM for 5 s; killed" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}

# wait_for SECONDS COMMAND...: retries COMMAND every 0.2 s.
wait_for () {
  limit=$(( $1 * 5 ))
  shift
  i=0
  while [ $i -lt $limit ]; do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
    i=$(( i + 1 ))
  done
  return 1
}

# start_fixture_server SERVER_BINARY FIXTURE: serves FIXTURE as a Statuspage summary.
start_fixture_server () {
  "$1" --port-file "$tmp/port" --route "/api/v2/summary.json=$2" >"$tmp/fixture-server.log" 2>&1 &
  pids="$pids $!"
  wait_for 10 test -s "$tmp/port" || { echo "FAIL: the fixture server did not start" >&2; exit 1; }
  port=$(cat "$tmp/port")
}

set_fixture () {
  curl -fsS "http://127.0.0.1:$port/_control/set?path=/api/v2/summary.json&fixture=$1" >/dev/null
}

# write_catalog: one Statuspage provider on the fixture server, no probes.
write_catalog () {
  cat >"$tmp/catalog.json" <<CATALOG
{
  "version": 1,
  "providers": [{
    "id": "anthropic",
    "name": "Anthropic",
    "status_page": {"url": "http://127.0.0.1:$port", "platform": "statuspage"},
    "components": {"api": "k8w3r06qmzrp"},
    "models": [
      {"id": "claude-opus-4-7", "name": "Claude Opus 4.7", "components": ["k8w3r06qmzrp"], "match": ["Opus 4.7"]},
      {"id": "claude-sonnet-4-6", "name": "Claude Sonnet 4.6", "components": ["k8w3r06qmzrp"], "match": ["Sonnet 4.6"]}
    ]
  }],
  "fallbacks": {"anthropic/claude-opus-4-7": ["anthropic/claude-sonnet-4-6"]}
}
CATALOG
}

item_property () {
  gdbus call --session --dest "$1" --object-path /StatusNotifierItem \
    --method org.freedesktop.DBus.Properties.Get org.kde.StatusNotifierItem "$2"
}

registered_items () {
  gdbus call --session --dest org.kde.StatusNotifierWatcher --object-path /StatusNotifierWatcher \
    --method org.freedesktop.DBus.Properties.Get org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems
}
