#!/bin/sh
# deps.sh — installs the Debian 12 packages that Modelwatch's build (and, with
# --tests, its test suite; with --fuzz, its fuzzers) needs. Quiet and quick
# when nothing is missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

build_pkgs="meson ninja-build gcc pkg-config gettext desktop-file-utils
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin libsoup-3.0-dev libjson-glib-dev
  libgtk-4-dev libadwaita-1-dev libnotify-dev libsecret-1-dev libsqlite3-dev libgdk-pixbuf-2.0-dev
  hicolor-icon-theme adwaita-icon-theme librsvg2-common dbus dbus-x11 xauth
  appstream"
test_pkgs="xvfb xdotool imagemagick curl python3 python3-gi python3-dbus python3-dbusmock
  gir1.2-atspi-2.0 at-spi2-core xfce4-panel xfconf haskell-status-notifier-item-utils
  gnome-keyring libsecret-tools sqlite3 time valgrind fonts-dejavu-core librsvg2-bin x11-utils"

fuzz_pkgs="clang libclang-rt-14-dev"

pkgs=$build_pkgs
[ "${1:-}" = "--tests" ] && pkgs="$pkgs $test_pkgs"
[ "${1:-}" = "--fuzz" ] && pkgs="$pkgs $fuzz_pkgs"

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  # Debian's installer leaves sudo out when a root password is set.
  echo "deps.sh: sudo is not installed; as root, run: apt-get install --no-install-recommends$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
