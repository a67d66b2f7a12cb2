#!/bin/sh
# sanitize.sh — builds Modelwatch with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs the test suites against that build.
#
#   build-aux/sanitize.sh [--no-desktop] [MESON TEST ARGS…]
#
# MESON TEST ARGS (e.g. a test name) narrow the unit and integration run.
#
# Any memory error, undefined behaviour or leak (in a test or in a process a
# test spawns: they inherit the environment) aborts that process, so the test
# fails and so does this script. The build directory is
# $MODELWATCH_ASAN_BUILDDIR (default build-asan), configured once.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$(dirname "$0")/.."
builddir=${MODELWATCH_ASAN_BUILDDIR:-build-asan}
desktop=true
if [ "${1:-}" = "--no-desktop" ]; then
  desktop=false
  shift
fi

build-aux/deps.sh --tests

if [ ! -f "$builddir/build.ninja" ]; then
  # b_lundef=false: the sanitizer runtime is linked into executables only,
  # so anything linked without it must be allowed undefined references.
  meson setup "$builddir" -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true >/dev/null
fi
ninja -C "$builddir" >/dev/null || ninja -C "$builddir"

# GLib 2.74's GSlice keeps freed blocks in its own magazines, where ASan sees
# neither use-after-free nor leaks: make every slice a plain malloc.
export G_SLICE=always-malloc
# fast_unwind_on_malloc=0: full stacks through the system libraries, which
# are built without frame pointers, so that tests/lsan.supp can match them.
asan_common="abort_on_error=1:fast_unwind_on_malloc=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"

status=0
rm -f "$builddir"/meson-logs/testlog.json "$builddir"/meson-logs/testlog-desktop.json

# Leaks matter most in the core and the service: unit and integration tests
# (and every modelwatch process they spawn) run with leak detection.
ASAN_OPTIONS="detect_leaks=1:$asan_common" \
  meson test -C "$builddir" --no-rebuild --print-errorlogs --timeout-multiplier 3 \
    --suite unit --suite integration "$@" || status=1

if $desktop; then
  # The desktop tests run GTK under Xvfb: fontconfig, Pango and Mesa keep
  # caches to the end of the process that would need whole-library
  # suppressions, so leak detection is off here; memory errors and undefined
  # behaviour still abort. test-service-valgrind cannot run an ASan binary.
  tests=$(meson test -C "$builddir" --no-rebuild --list --suite desktop 2>/dev/null |
          sed -n 's|^.* / ||p' | grep -v '^test-service-valgrind$' || true)
  if [ -n "$tests" ]; then
    # shellcheck disable=SC2086
    ASAN_OPTIONS="detect_leaks=0:$asan_common" \
      meson test -C "$builddir" --no-rebuild --print-errorlogs --timeout-multiplier 3 \
        --logbase testlog-desktop $tests || status=1
  fi
fi

# One closing line over both runs, in the form CI reads.
count () {
  cat "$builddir"/meson-logs/testlog.json "$builddir"/meson-logs/testlog-desktop.json 2>/dev/null |
    grep -c "\"result\": \"$1\"" || true
}
passed=$(count OK)
skipped=$(count SKIP)
failed=$(( $(count FAIL) + $(count ERROR) + $(count TIMEOUT) + $(count UNEXPECTEDPASS) ))
echo "sanitizers: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || status=1

exit $status
