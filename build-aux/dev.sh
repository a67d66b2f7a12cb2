#!/bin/sh
# dev.sh — the two commands of the README.
#   build-aux/dev.sh run [ARGS…]   install what is missing, build, run Modelwatch
#   build-aux/dev.sh test          install what is missing, build, run every test
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$(dirname "$0")/.."
builddir=${MODELWATCH_BUILDDIR:-_build}
cmd=${1:-run}
[ $# -gt 0 ] && shift

werror=false
[ "${CI:-}" = "true" ] && werror=true

case "$cmd" in
  run)
    build-aux/deps.sh
    ;;
  test)
    build-aux/deps.sh --tests
    ;;
  *)
    echo "usage: build-aux/dev.sh run|test" >&2
    exit 64
    ;;
esac

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --prefix="$PWD/$builddir/install" -Dwerror=$werror >/dev/null
fi
ninja -C "$builddir" >/dev/null || ninja -C "$builddir"

case "$cmd" in
  run)
    ninja -C "$builddir" install >/dev/null
    export XDG_DATA_DIRS="$PWD/$builddir/install/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
    export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/install/share/glib-2.0/schemas"
    exec "$PWD/$builddir/install/bin/modelwatch" "$@"
    ;;
  test)
    status=0
    meson test -C "$builddir" --no-rebuild --print-errorlogs "$@" || status=$?

    # CI (or MODELWATCH_SANITIZE=1) also runs the suites under AddressSanitizer
    # and UndefinedBehaviorSanitizer, in a build directory of their own.
    asan_log=""
    if [ "${CI:-}" = "true" ] || [ "${MODELWATCH_SANITIZE:-}" = "1" ]; then
      asan_dir=${MODELWATCH_ASAN_BUILDDIR:-_build-asan}
      MODELWATCH_ASAN_BUILDDIR=$asan_dir build-aux/sanitize.sh || status=1
      asan_log="$asan_dir/meson-logs/testlog.json $asan_dir/meson-logs/testlog-desktop.json"
    fi

    # One closing line for every test that ran, in both builds.
    passed=0 failed=0 skipped=0
    for log in "$builddir/meson-logs/testlog.json" $asan_log; do
      [ -f "$log" ] || continue
      passed=$((passed + $(grep -c '"result": "OK"' "$log" || true)))
      skipped=$((skipped + $(grep -c '"result": "SKIP"' "$log" || true)))
      failed=$((failed + $(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)))
    done
    echo "tests: $passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ] || status=1
    exit $status
    ;;
esac
