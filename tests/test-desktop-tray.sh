#!/bin/sh
# test-desktop-tray.sh FIXTURE_SERVER — the tray as a user sees it: Xvfb,
# a private session bus and the Xfce panel (4.18, whose systray plugin is a
# StatusNotifierWatcher and host that renders menus with libdbusmenu-gtk3).
# Screenshots (kept in tests/artifacts/ of the build dir) must show our icon
# in the panel, a menu on right-click, the status window on left-click, and
# a different icon once the fixture page recovers.
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

# count_colour IMAGE COLOUR: pixels within 12 % of COLOUR.
count_colour () {
  convert "$1" -alpha off -fuzz 12% -fill black +opaque "$2" -fill white -opaque "$2" \
    -colorspace Gray -format '%[fx:round(mean*w*h)]' info:
}

# bbox_colour IMAGE COLOUR: WxH+X+Y of the pixels near COLOUR.
bbox_colour () {
  convert "$1" -alpha off -fuzz 12% -fill black +opaque "$2" -fill white -opaque "$2" \
    -format '%@' info:
}

major_red='#e01b24'
ok_green='#26a269'

if [ "${1:-}" != "--inner" ]; then
  need Xvfb xfce4-panel dbus-run-session gdbus import convert xdotool xwininfo curl
  : "${MODELWATCH_BIN:?MODELWATCH_BIN must point at the built modelwatch}"
  setup_tmp desktop-tray
  start_fixture_server "$1" statuspage-anthropic-summary-major-outage.json
  write_catalog

  # -displayfd picks a free display, so parallel tests never collide.
  exec 5>"$tmp/display"
  Xvfb -displayfd 5 -screen 0 800x600x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  pids="$pids $!"
  wait_for 10 test -s "$tmp/display" || fail "Xvfb did not start"
  DISPLAY=":$(cat "$tmp/display")"
  export DISPLAY tmp port
  dbus-run-session -- sh "$here/test-desktop-tray.sh" --inner
  exit 0
fi

# Inside the private session bus, on the private display.
pids=""
kill_pids=""
trap cleanup EXIT

# A panel along the top with the systray plugin only.
mkdir -p "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml"
cat >"$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml" <<'PANEL'
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="32"/>
      <property name="background-style" type="uint" value="1"/>
      <property name="background-rgba" type="array">
        <value type="double" value="0.9"/>
        <value type="double" value="0.9"/>
        <value type="double" value="0.9"/>
        <value type="double" value="1"/>
      </property>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray">
      <property name="square-icons" type="bool" value="true"/>
    </property>
  </property>
</channel>
PANEL

# The panel gets SIGKILL at the end: its SIGTERM handler is a plain
# signal() handler that calls into GLib and GTK, so a SIGTERM that lands
# while the panel holds a lock (a tooltip or a relayout under way) can
# deadlock it, and it ignores every later SIGTERM.
xfce4-panel --disable-wm-check >"$tmp/panel.log" 2>&1 &
kill_pids="$kill_pids $!"
wait_for 20 gdbus introspect --session --dest org.kde.StatusNotifierWatcher \
  --object-path /StatusNotifierWatcher || fail "the panel's tray never owned the watcher name"

# Left-click opens the status window: a stand-in records that it ran.
cat >"$tmp/fake-window" <<WINDOW
#!/bin/sh
touch "$tmp/window-opened"
WINDOW
chmod +x "$tmp/fake-window"
MODELWATCH_WINDOW_BIN="$tmp/fake-window" "$MODELWATCH_BIN" --background --no-notify \
  --catalog "$tmp/catalog.json" --interval 1 >"$tmp/service.log" 2>&1 &
service=$!
pids="$pids $service"
item="org.kde.StatusNotifierItem-$service-1"

wait_for 15 sh -c "$(command -v gdbus) call --session --dest org.kde.StatusNotifierWatcher \
  --object-path /StatusNotifierWatcher --method org.freedesktop.DBus.Properties.Get \
  org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems | grep -q '$item'" \
  || fail "the panel never registered the item"
wait_for 15 sh -c "$(command -v gdbus) call --session --dest $item --object-path /StatusNotifierItem \
  --method org.freedesktop.DBus.Properties.Get org.kde.StatusNotifierItem IconName \
  | grep -q modelwatch-major-outage" || fail "the service never saw the major outage"

# 1. The major-outage icon (red octagon) is in the panel.
found=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  sleep 0.5
  import -window root "$tmp/1-major-outage.png"
  convert "$tmp/1-major-outage.png" -crop 800x40+0+0 +repage "$tmp/1-panel.png"
  red=$(count_colour "$tmp/1-panel.png" "$major_red")
  if [ "$red" -gt 20 ]; then found=yes; break; fi
done
[ -n "$found" ] || fail "no red major-outage icon in the panel (see $tmp/1-major-outage.png)"
box=$(bbox_colour "$tmp/1-panel.png" "$major_red")
echo "ok: major-outage icon in the panel at $box ($red red pixels)"

# The icon's centre, from the bounding box WxH+X+Y.
w=${box%%x*}; rest=${box#*x}; h=${rest%%+*}; rest=${rest#*+}; x=${rest%%+*}; y=${rest#*+}
cx=$(( x + w / 2 )); cy=$(( y + h / 2 ))

# 2. A right-click opens our menu: a new override-redirect window appears
#    below the panel, with the provider line (see 2-menu.png).
before=$(xwininfo -root -children | grep -c '^ *0x' || true)
xdotool mousemove "$cx" "$cy" click 3
menu=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  sleep 0.5
  after=$(xwininfo -root -children | grep -c '^ *0x' || true)
  import -window root "$tmp/2-menu.png"
  convert "$tmp/2-menu.png" -crop 400x300+0+40 +repage "$tmp/2-menu-area.png"
  # The menu area is the desktop's black unless a menu is drawn there.
  lit=$(convert "$tmp/2-menu-area.png" -alpha off -colorspace Gray -threshold 50% \
          -format '%[fx:round(mean*w*h)]' info:)
  if [ "$lit" -gt 5000 ]; then menu=yes; break; fi
done
[ -n "$menu" ] || fail "no menu under the icon after a right-click (windows $before -> $after, see $tmp/2-menu.png)"
echo "ok: right-click opened a menu ($lit lit pixels, windows $before -> $after)"

# The provider line has the models' submenu: the keyboard walks into it
# (Down skips the insensitive headline), and it opens right of the menu.
right_before=$(convert "$tmp/2-menu.png" -crop 400x300+300+40 +repage -alpha off -colorspace Gray \
                 -threshold 50% -format '%[fx:round(mean*w*h)]' info:)
xdotool key Down Right
submenu=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  sleep 0.3
  import -window root "$tmp/2-submenu.png"
  right=$(convert "$tmp/2-submenu.png" -crop 400x300+300+40 +repage -alpha off -colorspace Gray \
            -threshold 50% -format '%[fx:round(mean*w*h)]' info:)
  if [ "$right" -gt $(( right_before + 3000 )) ]; then submenu=yes; break; fi
done
[ -n "$submenu" ] || fail "the provider line opened no submenu (see $tmp/2-submenu.png)"
echo "ok: the provider's submenu opened ($right lit pixels right of the menu)"
xdotool key Escape Escape
sleep 0.5

# 3. A left-click activates the item, which opens the status window.
xdotool mousemove "$cx" "$cy" click 1
wait_for 5 test -e "$tmp/window-opened" || fail "left-click did not open the status window"
echo "ok: left-click opened the status window"

# 4. The page recovers: the icon turns into the green check.
set_fixture statuspage-anthropic-summary.json
wait_for 15 sh -c "$(command -v gdbus) call --session --dest $item --object-path /StatusNotifierItem \
  --method org.freedesktop.DBus.Properties.Get org.kde.StatusNotifierItem IconName \
  | grep -q modelwatch-operational" || fail "the service never saw the recovery"
found=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  sleep 0.5
  import -window root "$tmp/3-operational.png"
  convert "$tmp/3-operational.png" -crop 800x40+0+0 +repage "$tmp/3-panel.png"
  red=$(count_colour "$tmp/3-panel.png" "$major_red")
  green=$(count_colour "$tmp/3-panel.png" "$ok_green")
  if [ "$red" -lt 5 ] && [ "$green" -gt 20 ]; then found=yes; break; fi
done
[ -n "$found" ] || fail "the icon did not change to operational (red $red, green $green; see $tmp/3-operational.png)"
echo "ok: the icon changed to the operational check ($green green pixels)"

# 5. Hovering shows the tooltip with the headline (see 4-tooltip.png).
xdotool mousemove 400 300
sleep 1
import -window root "$tmp/4-before-hover.png"
convert "$tmp/4-before-hover.png" -crop 400x100+0+34 +repage "$tmp/4-before-area.png"
xdotool mousemove "$cx" "$cy"
tooltip=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  sleep 0.5
  import -window root "$tmp/4-tooltip.png"
  convert "$tmp/4-tooltip.png" -crop 400x100+0+34 +repage "$tmp/4-tooltip-area.png"
  changed=$(compare -metric AE -fuzz 10% "$tmp/4-before-area.png" "$tmp/4-tooltip-area.png" null: 2>&1 || true)
  if [ "${changed%%.*}" -gt 150 ] 2>/dev/null; then tooltip=yes; break; fi
done
[ -n "$tooltip" ] || fail "no tooltip when hovering the icon (see $tmp/4-tooltip.png)"
echo "ok: hovering shows a tooltip ($changed pixels changed below the icon)"

kill -TERM "$service"
wait "$service" || fail "the service exited with $? after SIGTERM"
if grep -E "CRITICAL|WARNING" "$tmp/service.log"; then
  fail "the service logged warnings"
fi
echo "ok: screenshots in $tmp"
