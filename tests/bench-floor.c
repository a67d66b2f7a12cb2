/* bench-floor.c
 *
 * The memory floor for bench-service-memory.sh: an idle GLib main loop in
 * a process that loads the same libraries as the service (each one is
 * touched, so that --as-needed keeps it) and does nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <glib-unix.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libnotify/notify.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  /* Held only for what creating them loads and allocates. */
  G_GNUC_UNUSED g_autoptr(SoupSession) session = soup_session_new ();
  G_GNUC_UNUSED g_autoptr(JsonParser) parser = json_parser_new ();
  G_GNUC_UNUSED g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_debug ("%s %s %s %d", sqlite3_libversion (), g_type_name (GDK_TYPE_PIXBUF),
           g_type_name (SECRET_TYPE_SERVICE), notify_is_initted ());

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  return 0;
}
