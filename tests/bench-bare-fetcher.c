/* bench-bare-fetcher.c
 *
 * The reference point of tests/bench-status.sh: the least a libsoup 3 +
 * json-glib program can do for the same job as `modelwatch status --once`,
 * that is GET every URL in parallel and parse each body into a JsonNode.
 * It prints nothing; a failed request or an unparsable body is exit 1.
 *
 *   bench-bare-fetcher URL_FILE      (one URL a line)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

static guint pending;
static gboolean failed;
static gboolean parse = TRUE;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(SoupMessage) msg = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gconstpointer bytes;
  gsize len;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    failed = TRUE;
  else if (parse)
    {
      g_autoptr(JsonNode) root = NULL;

      bytes = g_bytes_get_data (body, &len);
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, bytes, (gssize) len, &error))
        root = json_parser_steal_root (parser);
      failed |= root == NULL;
    }

  pending--;
  g_main_context_wakeup (NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) urls = NULL;

  gboolean floor = argc == 3 && g_strcmp0 (argv[1], "--floor") == 0;

  if ((argc != 2 && !floor) || !g_file_get_contents (argv[argc - 1], &text, NULL, NULL))
    {
      g_printerr ("usage: bench-bare-fetcher [--floor] URL_FILE\n");
      return 64;
    }

  /* as many connections as pages, like curl --parallel-max */
  session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  if (floor)
    {
      /* libsoup's own floor: no parsing, and no proxy resolver (GIO's
       * would load its modules), as Modelwatch fetches pages on this
       * machine */
      parse = FALSE;
      soup_session_set_proxy_resolver (session, NULL);
    }
  urls = g_strsplit (text, "\n", -1);
  for (guint i = 0; urls[i] != NULL; i++)
    {
      SoupMessage *msg;

      if (*urls[i] == '\0')
        continue;
      msg = soup_message_new (SOUP_METHOD_GET, urls[i]);
      if (msg == NULL)
        return 64;
      pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, msg);
    }

  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  return failed ? 1 : 0;
}
