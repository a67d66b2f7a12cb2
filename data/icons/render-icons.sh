#!/bin/sh
# render-icons.sh — renders the hand-drawn health icons (hicolor/scalable)
# to the PNG sizes that the tray sends as IconPixmap and that hicolor
# installs. Run it after editing an SVG and commit the PNGs it writes.
# Needs rsvg-convert (Debian: librsvg2-bin).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$(dirname "$0")/hicolor"
for svg in scalable/apps/modelwatch-*.svg; do
  name=$(basename "$svg" .svg)
  for size in 16 22 24 32 48; do
    mkdir -p "${size}x${size}/apps"
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio \
      --output "${size}x${size}/apps/$name.png" "$svg"
  done
done
