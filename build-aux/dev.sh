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
    exec meson test -C "$builddir" --print-errorlogs "$@"
    ;;
esac
