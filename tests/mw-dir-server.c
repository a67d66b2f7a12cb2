/* mw-dir-server.c
 *
 * Serves a directory on 127.0.0.1 for the benchmark, and prints its port
 * on the first line of stdout. Files are read once and kept in memory, so
 * that the server is the same cheap, steady partner for every client
 * measured against it.
 *
 *   mw-dir-server DIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <libsoup/soup.h>

static GHashTable *files;   /* request path -> GBytes */
static GHashTable *clients; /* GSocket -> itself, the connections seen */

/* libsoup's server does not notice a client that closes an idle
 * keep-alive connection: the socket stays in CLOSE-WAIT for the life of
 * the process. A benchmark opens thousands of connections, which would
 * run into the usual limit of 1024 open files and then measure the
 * server's troubles. So every 200 ms the idle sockets whose peer has
 * gone are closed here. */
static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL && !g_hash_table_contains (clients, socket))
    g_hash_table_add (clients, g_object_ref (socket));
}

static gboolean
peer_has_gone (GSocket *socket)
{
  char byte;
  GInputVector vector = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;

  if (g_socket_is_closed (socket))
    return TRUE;
  if ((g_socket_condition_check (socket, G_IO_IN | G_IO_HUP) & (G_IO_IN | G_IO_HUP)) == 0)
    return FALSE;

  /* Readable: a request on its way (> 0) or the end of the stream (0). */
  return g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, NULL) == 0;
}

static gboolean
sweep_cb (gpointer data)
{
  GHashTableIter iter;
  GSocket *socket;

  g_hash_table_iter_init (&iter, clients);
  while (g_hash_table_iter_next (&iter, (gpointer *) &socket, NULL))
    {
      if (peer_has_gone (socket))
        {
          g_socket_close (socket, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
load_dir (const char *root,
          const char *relative)
{
  g_autofree char *dir_path = g_build_filename (root, relative, NULL);
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = *relative != '\0' ? g_build_path ("/", relative, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      char *data = NULL;
      gsize len = 0;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        load_dir (root, child_rel);
      else if (g_file_get_contents (child, &data, &len, NULL))
        g_hash_table_insert (files, g_strconcat ("/", child_rel, NULL), g_bytes_new_take (data, len));
    }

  g_clear_pointer (&dir, g_dir_close);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  GBytes *body = g_hash_table_lookup (files, path);
  gconstpointer bytes;
  gsize len;

  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  bytes = g_bytes_get_data (body, &len);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, bytes, len);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s DIR\n", argv[0]);
      return 64;
    }

  files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  clients = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  load_dir (argv[1], "");

  server = soup_server_new ("server-header", "mw-dir-server", NULL);
  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), NULL);
  /* GSocketListener's backlog of 10 would make the 11th of 50
   * simultaneous connections wait a second for a SYN retry: that
   * measures the server, not the clients. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  if (socket != NULL)
    g_socket_set_listen_backlog (socket, 1024);
  if (socket == NULL ||
      !g_socket_bind (socket, address, TRUE, &error) ||
      !g_socket_listen (socket, &error) ||
      !soup_server_listen_socket (server, socket, 0, &error) ||
      (bound = g_socket_get_local_address (socket, &error)) == NULL)
    {
      fprintf (stderr, "cannot listen on 127.0.0.1: %s\n", error->message);
      return 1;
    }

  printf ("%u\n", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  fflush (stdout);

  g_timeout_add (200, sweep_cb, NULL);
  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);

  return 0;
}
