#!/bin/sh
# fuzz.sh — runs the libFuzzer targets (tests/fuzz) for the parsers that
# read what servers send, under AddressSanitizer and
# UndefinedBehaviorSanitizer, each seeded with the test fixtures.
#
#   build-aux/fuzz.sh [SECONDS [TARGET…]]
#
# SECONDS per target (default 60); TARGET is fuzz-json or fuzz-markup
# (default both). A finding stops the run, leaves the input that caused it
# in the build directory, and makes the script fail. The build directory
# is $MODELWATCH_FUZZ_BUILDDIR (default _build-fuzz), configured once.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-fuzz-json fuzz-markup}
builddir=${MODELWATCH_FUZZ_BUILDDIR:-_build-fuzz}

build-aux/deps.sh
build-aux/deps.sh --fuzz

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
for target in $targets; do
  ninja -C "$builddir" "tests/fuzz/$target" >/dev/null
done

export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for target in $targets; do
  corpus="$builddir/corpus-$target"
  mkdir -p "$corpus"
  case $target in
    fuzz-json) cp tests/fixtures/*.json "$corpus"/ ;;
    fuzz-markup) for f in tests/fixtures/*; do
                   case $f in *.xml|*.rss|*.atom) cp "$f" "$corpus"/ ;; esac
                 done ;;
  esac
  echo "$target: $seconds s"
  if ! "$builddir/tests/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
         -artifact_prefix="$builddir/$target-" -print_final_stats=1 "$corpus" 2>"$builddir/$target.log"; then
    tail -n 40 "$builddir/$target.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units" "$builddir/$target.log" || true
  fi
done
exit $status
