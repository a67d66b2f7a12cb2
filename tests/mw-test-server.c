/* mw-test-server.c
 *
 * A scriptable status-page server on 127.0.0.1 for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-test-server.h"

typedef struct {
  guint       status;
  char       *content_type;
  GBytes     *body;
  char       *etag;
  char       *last_modified;
  GHashTable *headers;        /* extra response headers */
  guint       delay_ms;
  char       *location;
  gboolean    reset;
  guint       hits;
  GHashTable *last_request;   /* request headers of the last hit, lower-case names */
  GBytes     *last_body;
} Route;

struct _MwTestServer {
  SoupServer *server;
  guint       port;
  GHashTable *routes;         /* path -> Route */
};

static void
route_free (gpointer data)
{
  Route *r = data;

  g_free (r->content_type);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->etag);
  g_free (r->last_modified);
  g_hash_table_unref (r->headers);
  g_free (r->location);
  g_clear_pointer (&r->last_request, g_hash_table_unref);
  g_clear_pointer (&r->last_body, g_bytes_unref);
  g_free (r);
}

static Route *
route_get (MwTestServer *self,
           const char   *path)
{
  Route *r = g_hash_table_lookup (self->routes, path);

  if (r == NULL)
    {
      r = g_new0 (Route, 1);
      r->status = 404;
      r->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (self->routes, g_strdup (path), r);
    }

  return r;
}

char *
mw_test_fixture_path (const char *name)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  if (srcdir == NULL)
    srcdir = ".";

  return g_build_filename (srcdir, "fixtures", name, NULL);
}

GBytes *
mw_test_fixture_bytes (const char *name)
{
  g_autofree char *path = mw_test_fixture_path (name);
  g_autoptr(GError) error = NULL;
  GMappedFile *mapped = g_mapped_file_new (path, FALSE, &error);
  GBytes *bytes;

  if (mapped == NULL)
    g_error ("cannot read fixture %s: %s", name, error->message);

  bytes = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);

  return bytes;
}

static const char *
guess_content_type (const char *name)
{
  if (g_str_has_suffix (name, ".json"))
    return "application/json";
  if (g_str_has_suffix (name, ".xml") || g_str_has_suffix (name, ".rss") || g_str_has_suffix (name, ".atom"))
    return "application/xml";
  if (g_str_has_suffix (name, ".html"))
    return "text/html";
  return "application/octet-stream";
}

void
mw_test_server_set_fixture (MwTestServer *self,
                            const char   *path,
                            const char   *fixture_name)
{
  g_autoptr(GBytes) bytes = mw_test_fixture_bytes (fixture_name);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  mw_test_server_set_body (self, path, 200, guess_content_type (fixture_name), data, (gssize) len);
}

void
mw_test_server_set_body (MwTestServer *self,
                         const char   *path,
                         guint         status,
                         const char   *content_type,
                         const char   *body,
                         gssize        length)
{
  Route *r = route_get (self, path);

  r->status = status;
  g_free (r->content_type);
  r->content_type = g_strdup (content_type);
  g_clear_pointer (&r->body, g_bytes_unref);
  if (body != NULL)
    r->body = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
  g_clear_pointer (&r->location, g_free);
  r->reset = FALSE;
}

void
mw_test_server_set_etag (MwTestServer *self,
                         const char   *path,
                         const char   *etag)
{
  Route *r = route_get (self, path);

  g_free (r->etag);
  r->etag = g_strdup (etag);
}

void
mw_test_server_set_last_modified (MwTestServer *self,
                                  const char   *path,
                                  const char   *http_date)
{
  Route *r = route_get (self, path);

  g_free (r->last_modified);
  r->last_modified = g_strdup (http_date);
}

void
mw_test_server_set_header (MwTestServer *self,
                           const char   *path,
                           const char   *name,
                           const char   *value)
{
  Route *r = route_get (self, path);

  if (value == NULL)
    g_hash_table_remove (r->headers, name);
  else
    g_hash_table_insert (r->headers, g_strdup (name), g_strdup (value));
}

void
mw_test_server_set_delay (MwTestServer *self,
                          const char   *path,
                          guint         delay_ms)
{
  route_get (self, path)->delay_ms = delay_ms;
}

void
mw_test_server_set_redirect (MwTestServer *self,
                             const char   *path,
                             const char   *location)
{
  Route *r = route_get (self, path);

  r->status = 302;
  g_free (r->location);
  r->location = g_strdup (location);
}

void
mw_test_server_set_reset (MwTestServer *self,
                          const char   *path)
{
  route_get (self, path)->reset = TRUE;
}

guint
mw_test_server_get_hits (MwTestServer *self,
                         const char   *path)
{
  Route *r = g_hash_table_lookup (self->routes, path);

  return r != NULL ? r->hits : 0;
}

const char *
mw_test_server_get_request_header (MwTestServer *self,
                                   const char   *path,
                                   const char   *name)
{
  Route *r = g_hash_table_lookup (self->routes, path);
  g_autofree char *lower = g_ascii_strdown (name, -1);

  if (r == NULL || r->last_request == NULL)
    return NULL;

  return g_hash_table_lookup (r->last_request, lower);
}

GBytes *
mw_test_server_get_request_body (MwTestServer *self,
                                 const char   *path)
{
  Route *r = g_hash_table_lookup (self->routes, path);

  return r != NULL ? r->last_body : NULL;
}

static void
respond (SoupServerMessage *msg,
         Route             *r)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  GHashTableIter iter;
  gpointer key, value;

  if (r->reset)
    {
      GIOStream *stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return;
    }

  g_hash_table_iter_init (&iter, r->headers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    soup_message_headers_replace (resp, key, value);

  if (r->location != NULL)
    {
      soup_message_headers_replace (resp, "Location", r->location);
      soup_server_message_set_status (msg, r->status, NULL);
      return;
    }

  if (r->etag != NULL)
    soup_message_headers_replace (resp, "ETag", r->etag);
  if (r->last_modified != NULL)
    soup_message_headers_replace (resp, "Last-Modified", r->last_modified);

  if ((r->etag != NULL && g_strcmp0 (soup_message_headers_get_one (req, "If-None-Match"), r->etag) == 0) ||
      (r->last_modified != NULL && g_strcmp0 (soup_message_headers_get_one (req, "If-Modified-Since"), r->last_modified) == 0))
    {
      soup_server_message_set_status (msg, 304, NULL);
      return;
    }

  soup_server_message_set_status (msg, r->status, NULL);
  if (r->body != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (r->body, &len);

      soup_server_message_set_response (msg, r->content_type ? r->content_type : "application/json",
                                        SOUP_MEMORY_COPY, data, len);
    }
}

typedef struct {
  SoupServerMessage *msg;
  Route             *route;
  MwTestServer      *server;
  char              *path;
} Delayed;

static gboolean
delayed_respond (gpointer data)
{
  Delayed *d = data;
  Route *r = g_hash_table_lookup (d->server->routes, d->path);

  if (r != NULL)
    respond (d->msg, r);
  if (r == NULL || !r->reset)
    soup_server_message_unpause (d->msg);
  g_object_unref (d->msg);
  g_free (d->path);
  g_free (d);

  return G_SOURCE_REMOVE;
}

static void
handle_control (MwTestServer      *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  const char *target = query ? g_hash_table_lookup (query, "path") : NULL;
  g_autofree char *answer = NULL;

  if (target == NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }

  if (g_str_equal (path, "/_control/set"))
    {
      const char *fixture = g_hash_table_lookup (query, "fixture");
      const char *status = g_hash_table_lookup (query, "status");
      const char *delay = g_hash_table_lookup (query, "delay_ms");

      if (fixture != NULL)
        mw_test_server_set_fixture (self, target, fixture);
      if (status != NULL)
        route_get (self, target)->status = (guint) g_ascii_strtoull (status, NULL, 10);
      if (delay != NULL)
        mw_test_server_set_delay (self, target, (guint) g_ascii_strtoull (delay, NULL, 10));
      answer = g_strdup ("ok\n");
    }
  else if (g_str_equal (path, "/_control/hits"))
    {
      answer = g_strdup_printf ("%u\n", mw_test_server_get_hits (self, target));
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, answer, strlen (answer));
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  MwTestServer *self = user_data;
  Route *r;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  SoupMessageBody *body;

  if (g_str_has_prefix (path, "/_control/"))
    {
      handle_control (self, msg, path, query);
      return;
    }

  r = route_get (self, path);
  r->hits++;

  g_clear_pointer (&r->last_request, g_hash_table_unref);
  r->last_request = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_insert (r->last_request, g_ascii_strdown (name, -1), g_strdup (value));

  g_clear_pointer (&r->last_body, g_bytes_unref);
  body = soup_server_message_get_request_body (msg);
  if (body != NULL && body->length > 0)
    r->last_body = g_bytes_new (body->data, body->length);

  if (r->delay_ms > 0)
    {
      Delayed *d = g_new0 (Delayed, 1);

      d->msg = g_object_ref (msg);
      d->server = self;
      d->path = g_strdup (path);
      soup_server_message_pause (msg);
      g_timeout_add (r->delay_ms, delayed_respond, d);
      return;
    }

  respond (msg, r);
}

MwTestServer *
mw_test_server_new (void)
{
  MwTestServer *self = g_new0 (MwTestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, route_free);
  self->server = soup_server_new ("server-header", "mw-test-server", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("cannot listen on 127.0.0.1: %s", error->message);

  uris = soup_server_get_uris (self->server);
  self->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

void
mw_test_server_free (MwTestServer *self)
{
  if (self == NULL)
    return;

  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_hash_table_unref (self->routes);
  g_free (self);
}

guint
mw_test_server_get_port (MwTestServer *self)
{
  return self->port;
}

char *
mw_test_server_url (MwTestServer *self,
                    const char   *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", self->port, path ? path : "");
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
mw_test_wait_until (gboolean *done,
                    guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return *done;
}

MwProvider *
mw_test_provider_new (const char         *platform,
                      const char         *page_url,
                      const char * const *options,
                      const char * const *components)
{
  MwProvider *p = g_new0 (MwProvider, 1);

  p->id = g_strdup ("test");
  p->name = g_strdup ("Test");
  p->platform = g_strdup (platform);
  p->page_url = g_strdup (page_url);
  p->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p->components = g_ptr_array_new ();
  p->models = g_ptr_array_new ();

  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (options[i], "=", 2);

      g_hash_table_insert (p->options, g_strdup (kv[0]), g_strdup (kv[1] ? kv[1] : ""));
    }

  for (guint i = 0; components != NULL && components[i] != NULL; i++)
    {
      MwComponentRef *ref = g_new0 (MwComponentRef, 1);

      ref->key = g_strdup (components[i]);
      ref->id = g_strdup (components[i]);
      g_ptr_array_add (p->components, ref);
    }

  return p;
}

void
mw_test_provider_free (MwProvider *provider)
{
  if (provider == NULL)
    return;

  for (guint i = 0; i < provider->components->len; i++)
    {
      MwComponentRef *ref = g_ptr_array_index (provider->components, i);

      g_free (ref->key);
      g_free (ref->id);
      g_free (ref);
    }
  g_ptr_array_unref (provider->components);
  g_ptr_array_unref (provider->models);
  g_hash_table_unref (provider->options);
  g_free (provider->id);
  g_free (provider->name);
  g_free (provider->platform);
  g_free (provider->page_url);
  g_free (provider);
}

MwObservations *
mw_test_parse_fixtures (const char         *platform,
                        const MwProvider   *provider,
                        const char * const *fixtures,
                        GError            **error)
{
  const MwReader *reader = mw_reader_lookup (platform);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_auto(GStrv) urls = NULL;

  g_assert_nonnull (reader);
  urls = reader->urls (provider);
  g_assert_cmpuint (g_strv_length (urls), ==, g_strv_length ((GStrv) fixtures));

  for (guint i = 0; fixtures[i] != NULL; i++)
    g_ptr_array_add (bodies, mw_test_fixture_bytes (fixtures[i]));

  return reader->parse (provider, (GBytes * const *) bodies->pdata, bodies->len, error);
}

void
mw_test_launcher_pass_sanitizers (GSubprocessLauncher *launcher)
{
  static const char * const names[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "G_SLICE" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_getenv (names[i]) != NULL)
      g_subprocess_launcher_setenv (launcher, names[i], g_getenv (names[i]), TRUE);
}

const MwIncidentObs *
mw_test_find_incident (MwObservations *obs,
                       const char     *name)
{
  for (guint i = 0; i < obs->incidents->len; i++)
    {
      const MwIncidentObs *incident = g_ptr_array_index (obs->incidents, i);

      if (g_strcmp0 (incident->name, name) == 0)
        return incident;
    }

  g_error ("no incident %s", name);
}

void
mw_test_assert_page_changed (const GError *error,
                             int           code,
                             const char   *host)
{
  g_assert_error (error, MW_SOURCE_ERROR, code);
  g_assert_nonnull (strstr (error->message, host));
  g_assert_nonnull (strstr (error->message, "page format changed"));
  g_assert_null (strchr (error->message, '\n'));
}
