/* mw-fixture-server.c
 *
 * The scriptable test server (mw-test-server.c) as a process of its own,
 * for the shell end-to-end tests: serves fixtures on 127.0.0.1, writes its
 * port to a file, and takes further changes through /_control/.
 *
 *   mw-fixture-server [--port-file FILE] [--route PATH=FIXTURE]...
 *
 * FIXTURE names a file of tests/fixtures/ (G_TEST_SRCDIR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "mw-test-server.h"

int
main (int    argc,
      char **argv)
{
  g_autofree char *port_file = NULL;
  g_auto(GStrv) routes = NULL;
  GOptionEntry entries[] = {
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file, "Write the port to FILE once listening", "FILE" },
    { "route", 0, 0, G_OPTION_ARG_STRING_ARRAY, &routes, "Serve FIXTURE at PATH", "PATH=FIXTURE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  MwTestServer *server;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "mw-fixture-server: %s\n", error->message);
      return 64;
    }

  server = mw_test_server_new ();

  for (guint i = 0; routes != NULL && routes[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (routes[i], "=", 2);

      if (parts[0] == NULL || parts[1] == NULL)
        {
          fprintf (stderr, "mw-fixture-server: --route takes PATH=FIXTURE, not “%s”\n", routes[i]);
          return 64;
        }
      mw_test_server_set_fixture (server, parts[0], parts[1]);
    }

  port = g_strdup_printf ("%u\n", mw_test_server_get_port (server));
  printf ("%s", port);
  fflush (stdout);

  /* written whole, then renamed: a reader never sees half a number */
  if (port_file != NULL && !g_file_set_contents (port_file, port, -1, &error))
    {
      fprintf (stderr, "mw-fixture-server: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);

  mw_test_server_free (server);
  return 0;
}
