#!/usr/bin/python3
# atspi-names.py APP_NAME — prints every name, description and text of the
# accessible tree of the running application APP_NAME, one per line, as a
# screen reader would find them. Exits 1 when no such application is on
# the accessibility bus.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402


def walk(accessible, depth, out):
    if accessible is None or depth > 60:
        return
    try:
        role = accessible.get_role_name()
        name = accessible.get_name() or ""
        description = accessible.get_description() or ""
    except Exception:
        return
    text = ""
    try:
        iface = accessible.get_text_iface()
        if iface is not None:
            text = Atspi.Text.get_text(iface, 0, Atspi.Text.get_character_count(iface))
    except Exception:
        pass
    for value in (name, description, text):
        for line in value.splitlines():
            if line.strip():
                out.append("%s\t%s" % (role, line.strip()))
    try:
        count = accessible.get_child_count()
    except Exception:
        return
    for i in range(count):
        try:
            child = accessible.get_child_at_index(i)
        except Exception:
            continue
        walk(child, depth + 1, out)


def main():
    wanted = sys.argv[1]
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_name() == wanted:
            out = []
            walk(app, 0, out)
            print("\n".join(out))
            return 0
    print("no application %r on the accessibility bus" % wanted, file=sys.stderr)
    return 1


sys.exit(main())
