/* test-fetch.c
 *
 * The fetcher against broken sources on 127.0.0.1: each failure is one
 * MwSourceError with a one-line message naming the host, within the
 * deadline; validators round-trip; Retry-After is read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-fetch.h"
#include "mw-reader.h"
#include "mw-test-server.h"

typedef struct {
  gboolean       done;
  MwFetchResult *result;
  GError        *error;
  gint64         retry_after;
  gint64         finished_at;
} Call;

static void
call_clear (Call *call)
{
  g_clear_pointer (&call->result, mw_fetch_result_free);
  g_clear_error (&call->error);
  call->done = FALSE;
}

static void
get_cb (GObject      *source,
        GAsyncResult *res,
        gpointer      data)
{
  Call *call = data;

  call->result = mw_fetcher_get_finish (MW_FETCHER (source), res, &call->retry_after, &call->error);
  call->finished_at = g_get_monotonic_time ();
  call->done = TRUE;
}

static void
send_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  Call *call = data;

  call->result = mw_fetcher_send_finish (MW_FETCHER (source), res, &call->error);
  call->finished_at = g_get_monotonic_time ();
  call->done = TRUE;
}

/* GETs @path and waits at most @wait_ms; returns the elapsed time in ms. */
static gint64
get (MwFetcher    *fetcher,
     MwTestServer *server,
     const char   *path,
     const char   *etag,
     const char   *last_modified,
     Call         *call,
     guint         wait_ms)
{
  g_autofree char *url = mw_test_server_url (server, path);
  gint64 start = g_get_monotonic_time ();

  call_clear (call);
  mw_fetcher_get_async (fetcher, url, etag, last_modified, NULL, get_cb, call);
  g_assert_true (mw_test_wait_until (&call->done, wait_ms));

  return (call->finished_at - start) / 1000;
}

/* The test server answers a delayed route from a timeout that outlives
 * it: let every delayed answer go out before a test frees its server. */
static void
drain (guint ms)
{
  gboolean never = FALSE;

  mw_test_wait_until (&never, ms);
}

static void
assert_one_line_naming_host (const GError *error,
                             MwTestServer *server)
{
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", mw_test_server_get_port (server));

  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, host));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_fetch_ok (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autoptr(GBytes) fixture = mw_test_fixture_bytes ("statuspage-anthropic-summary.json");
  g_autofree char *ua = g_strdup_printf ("modelwatch/%s", PACKAGE_VERSION);
  Call call = { 0 };

  mw_test_server_set_fixture (server, "/api/v2/summary.json", "statuspage-anthropic-summary.json");
  get (fetcher, server, "/api/v2/summary.json", NULL, NULL, &call, 5000);

  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 200);
  g_assert_true (g_bytes_equal (call.result->body, fixture));
  g_assert_cmpint (call.result->retry_after, ==, -1);
  g_assert_cmpint (call.result->latency_us, >, 0);
  g_assert_cmpstr (mw_test_server_get_request_header (server, "/api/v2/summary.json", "User-Agent"), ==, ua);
  /* nothing conditional on a first request */
  g_assert_null (mw_test_server_get_request_header (server, "/api/v2/summary.json", "If-None-Match"));
  g_assert_null (mw_test_server_get_request_header (server, "/api/v2/summary.json", "If-Modified-Since"));

  call_clear (&call);
}

static void
test_fetch_http_error (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autofree char *expected = g_strdup_printf ("127.0.0.1:%u answered HTTP 500", mw_test_server_get_port (server));
  Call call = { 0 };

  mw_test_server_set_body (server, "/api/v2/summary.json", 500, "text/plain", "oops", -1);
  get (fetcher, server, "/api/v2/summary.json", NULL, NULL, &call, 5000);

  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_HTTP);
  g_assert_cmpstr (call.error->message, ==, expected);
  g_assert_null (call.result);
  g_assert_cmpint (call.retry_after, ==, -1);

  /* 404 too: a page that moved is an error, not an empty page */
  get (fetcher, server, "/nowhere.json", NULL, NULL, &call, 5000);
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_HTTP);
  g_assert_nonnull (strstr (call.error->message, "HTTP 404"));

  call_clear (&call);
}

static void
test_fetch_retry_after (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  Call call = { 0 };

  mw_test_server_set_body (server, "/a", 429, "text/plain", "slow down", -1);
  mw_test_server_set_header (server, "/a", "Retry-After", "120");
  get (fetcher, server, "/a", NULL, NULL, &call, 5000);
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_HTTP);
  g_assert_nonnull (strstr (call.error->message, "answered HTTP 429"));
  g_assert_cmpint (call.retry_after, ==, 120);

  mw_test_server_set_body (server, "/b", 503, "text/plain", "down", -1);
  mw_test_server_set_header (server, "/b", "Retry-After", "Wed, 21 Oct 2037 07:28:00 GMT");
  get (fetcher, server, "/b", NULL, NULL, &call, 5000);
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_HTTP);
  g_assert_cmpint (call.retry_after, >, 3600 * 24 * 365);

  call_clear (&call);
}

static void
test_parse_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 6, 5, 15, 10, 0);

  g_assert_cmpint (mw_fetch_parse_retry_after (NULL, now), ==, -1);
  g_assert_cmpint (mw_fetch_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (mw_fetch_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (mw_fetch_parse_retry_after ("12abc", now), ==, -1);
  g_assert_cmpint (mw_fetch_parse_retry_after ("0", now), ==, 0);
  g_assert_cmpint (mw_fetch_parse_retry_after ("120", now), ==, 120);
  g_assert_cmpint (mw_fetch_parse_retry_after (" 7 ", now), ==, 7);
  g_assert_cmpint (mw_fetch_parse_retry_after ("Fri, 05 Jun 2026 15:12:30 GMT", now), ==, 150);
  /* a date in the past means "now", not a negative wait */
  g_assert_cmpint (mw_fetch_parse_retry_after ("Fri, 05 Jun 2026 15:00:00 GMT", now), ==, 0);
  /* the obsolete formats HTTP still allows */
  g_assert_cmpint (mw_fetch_parse_retry_after ("Friday, 05-Jun-26 15:11:00 GMT", now), ==, 60);
}

static void
test_fetch_passes_bodies_through (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *url = mw_test_server_url (server, "/challenge");
  const char *truncated = "{\"page\": {\"id\": \"x\", \"name\": \"Claude\"}, \"components\": [{\"id\": ";
  const char *html = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>";
  Call call = { 0 };

  /* A 200 whose body is broken is the reader's business: the fetcher
   * hands it over untouched. */
  mw_test_server_set_body (server, "/truncated", 200, "application/json", truncated, -1);
  get (fetcher, server, "/truncated", NULL, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpmem (g_bytes_get_data (call.result->body, NULL), g_bytes_get_size (call.result->body),
                   truncated, strlen (truncated));

  mw_test_server_set_body (server, "/challenge", 200, "text/html", html, -1);
  get (fetcher, server, "/challenge", NULL, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (call.result->body), ==, strlen (html));

  node = mw_parse_json (url, call.result->body, &error);
  g_assert_null (node);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_CHALLENGE);

  call_clear (&call);
}

static void
test_fetch_reset (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autofree char *prefix = g_strdup_printf ("cannot reach 127.0.0.1:%u (", mw_test_server_get_port (server));
  Call call = { 0 };

  mw_test_server_set_fixture (server, "/reset", "statuspage-anthropic-summary.json");
  mw_test_server_set_reset (server, "/reset");
  get (fetcher, server, "/reset", NULL, NULL, &call, 5000);

  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (call.error->message, prefix));
  g_assert_true (g_str_has_suffix (call.error->message, ")"));
  assert_one_line_naming_host (call.error, server);

  call_clear (&call);
}

static void
test_fetch_refused (void)
{
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = NULL;
  guint16 port;
  Call call = { 0 };

  /* a port that was free a moment ago: nothing listens there now */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/api/v2/summary.json", port);

  mw_fetcher_get_async (fetcher, url, NULL, NULL, NULL, get_cb, &call);
  g_assert_true (mw_test_wait_until (&call.done, 5000));
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (call.error->message, "cannot reach 127.0.0.1:"));

  call_clear (&call);
}

static void
test_fetch_slow (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autofree char *expected = g_strdup_printf ("127.0.0.1:%u did not answer within 1 s",
                                               mw_test_server_get_port (server));
  Call call = { 0 };
  gint64 ms;

  mw_fetcher_set_timeout (fetcher, 1);
  g_assert_cmpuint (mw_fetcher_get_timeout (fetcher), ==, 1);
  mw_test_server_set_fixture (server, "/slow", "statuspage-anthropic-summary.json");
  mw_test_server_set_delay (server, "/slow", 2500);

  ms = get (fetcher, server, "/slow", NULL, NULL, &call, 6000);
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TIMEOUT);
  g_assert_cmpstr (call.error->message, ==, expected);
  g_assert_cmpint (ms, >=, 900);
  g_assert_cmpint (ms, <, 1800);

  call_clear (&call);
  drain (1700);
}

/* A server that sends its headers at once and then one byte every 100 ms:
 * an idle timeout never fires, only a whole-request deadline does. */
static guint drip_id;

static gboolean
drip_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, " ", 1);
  soup_server_message_unpause (msg);
  return G_SOURCE_CONTINUE;
}

static void
drip_stop (SoupServerMessage *msg,
           gpointer           data)
{
  g_clear_handle_id (&drip_id, g_source_remove);
}

static void
drip_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg), SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), "application/json", NULL);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, "{", 1);
  drip_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 100, drip_cb, g_object_ref (msg), g_object_unref);
  g_signal_connect (msg, "finished", G_CALLBACK (drip_stop), NULL);
  g_signal_connect (msg, "disconnected", G_CALLBACK (drip_stop), NULL);
}

static void
test_fetch_slow_drip (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  Call call = { 0 };
  gint64 start;

  soup_server_add_handler (server, NULL, drip_handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  mw_fetcher_set_timeout (fetcher, 1);
  start = g_get_monotonic_time ();
  mw_fetcher_get_async (fetcher, url, NULL, NULL, NULL, get_cb, &call);
  g_assert_true (mw_test_wait_until (&call.done, 5000));

  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (call.error->message, "did not answer within 1 s"));
  g_assert_cmpint ((call.finished_at - start) / 1000, <, 1800);

  call_clear (&call);
  g_clear_handle_id (&drip_id, g_source_remove);
  soup_server_disconnect (server);
}

static void
test_fetch_too_large (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autofree char *expected = g_strdup_printf ("127.0.0.1:%u sent more than 4 MiB", mw_test_server_get_port (server));
  g_autofree char *big = g_malloc (5u << 20);
  Call call = { 0 };

  memset (big, ' ', 5u << 20);
  big[0] = '{';
  mw_test_server_set_body (server, "/big", 200, "application/json", big, 5u << 20);
  get (fetcher, server, "/big", NULL, NULL, &call, 10000);
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TOO_LARGE);
  g_assert_cmpstr (call.error->message, ==, expected);

  /* exactly at the cap is fine; one byte over is not */
  mw_fetcher_set_max_size (fetcher, 1024);
  mw_test_server_set_body (server, "/edge", 200, "application/json", big, 1024);
  get (fetcher, server, "/edge", NULL, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpuint (g_bytes_get_size (call.result->body), ==, 1024);

  mw_test_server_set_body (server, "/edge", 200, "application/json", big, 1025);
  get (fetcher, server, "/edge", NULL, NULL, &call, 5000);
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (call.error->message, "sent more than 1 KiB"));

  call_clear (&call);
}

/* A body with no Content-Length, sent in chunks some time apart: the
 * fetcher cannot size its buffer up front, waits between reads, and
 * still applies the size cap to the byte. GET /chunked/SIZE/CHUNK. */
typedef struct {
  SoupServerMessage *msg;
  gsize              size;
  gsize              chunk;
  gsize              sent;
  guint              id;
} Chunks;

static gboolean
chunk_cb (gpointer data)
{
  Chunks *chunks = data;
  SoupMessageBody *body = soup_server_message_get_response_body (chunks->msg);
  gsize n = MIN (chunks->chunk, chunks->size - chunks->sent);
  guint8 *bytes = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    bytes[i] = (guint8) ((chunks->sent + i) % 251);
  soup_message_body_append_take (body, bytes, n);
  chunks->sent += n;
  if (chunks->sent == chunks->size)
    soup_message_body_complete (body);
  soup_server_message_unpause (chunks->msg);

  if (chunks->sent < chunks->size)
    return G_SOURCE_CONTINUE;
  chunks->id = 0;
  return G_SOURCE_REMOVE;
}

static void
chunks_stop (SoupServerMessage *msg,
             Chunks            *chunks)
{
  g_clear_handle_id (&chunks->id, g_source_remove);
}

static void
chunks_release (gpointer data)
{
  Chunks *chunks = data;

  g_object_unref (chunks->msg);
}

static void
chunked_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           data)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  Chunks *chunks = g_new0 (Chunks, 1);

  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  chunks->msg = msg;
  chunks->size = g_ascii_strtoull (parts[2], NULL, 10);
  chunks->chunk = g_ascii_strtoull (parts[3], NULL, 10);
  g_object_set_data_full (G_OBJECT (msg), "chunks", chunks, g_free);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg), SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), "application/json", NULL);
  chunk_cb (chunks);
  if (chunks->sent < chunks->size)
    {
      g_object_ref (msg);
      chunks->id = g_timeout_add_full (G_PRIORITY_DEFAULT, 30, chunk_cb, chunks, chunks_release);
    }
  g_signal_connect (msg, "finished", G_CALLBACK (chunks_stop), chunks);
  g_signal_connect (msg, "disconnected", G_CALLBACK (chunks_stop), chunks);
}

static void
assert_chunked_body (GBytes *body,
                     gsize   size)
{
  const guint8 *bytes;
  gsize len;

  g_assert_nonnull (body);
  bytes = g_bytes_get_data (body, &len);
  g_assert_cmpuint (len, ==, size);
  for (gsize i = 0; i < len; i++)
    if (bytes[i] != (guint8) (i % 251))
      g_assert_cmpuint (bytes[i], ==, i % 251);
}

static void
test_fetch_chunked (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  Call call = { 0 };
  gint64 start;

  soup_server_add_handler (server, "/chunked", chunked_handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* 100 000 bytes in 15 chunks, 30 ms apart: read whole, and the
   * latency is the headers', which came with the first chunk, not the
   * last byte's */
  url = g_strconcat (base, "chunked/100000/7000", NULL);
  start = g_get_monotonic_time ();
  mw_fetcher_get_async (fetcher, url, NULL, NULL, NULL, get_cb, &call);
  g_assert_true (mw_test_wait_until (&call.done, 5000));
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 200);
  assert_chunked_body (call.result->body, 100000);
  g_assert_cmpint ((call.finished_at - start) / 1000, >=, 14 * 30);
  g_assert_cmpint (call.result->latency_us, >, 0);
  g_assert_cmpint (call.result->latency_us, <, 14 * 30 * 1000 / 2);

  /* exactly at the cap in small chunks is fine; one byte over is not */
  mw_fetcher_set_max_size (fetcher, 1024);
  call_clear (&call);
  g_free (url);
  url = g_strconcat (base, "chunked/1024/300", NULL);
  mw_fetcher_get_async (fetcher, url, NULL, NULL, NULL, get_cb, &call);
  g_assert_true (mw_test_wait_until (&call.done, 5000));
  g_assert_no_error (call.error);
  assert_chunked_body (call.result->body, 1024);

  call_clear (&call);
  g_free (url);
  url = g_strconcat (base, "chunked/1025/300", NULL);
  mw_fetcher_get_async (fetcher, url, NULL, NULL, NULL, get_cb, &call);
  g_assert_true (mw_test_wait_until (&call.done, 5000));
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (call.error->message, "sent more than 1 KiB"));

  /* an empty chunked body is an empty page, not an error */
  call_clear (&call);
  g_free (url);
  url = g_strconcat (base, "chunked/0/300", NULL);
  mw_fetcher_get_async (fetcher, url, NULL, NULL, NULL, get_cb, &call);
  g_assert_true (mw_test_wait_until (&call.done, 5000));
  g_assert_no_error (call.error);
  g_assert_cmpuint (g_bytes_get_size (call.result->body), ==, 0);

  call_clear (&call);
  drain (200);
  soup_server_disconnect (server);
}

static void
test_fetch_redirects (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autofree char *expected = g_strdup_printf ("127.0.0.1:%u redirects in a loop", mw_test_server_get_port (server));
  g_autofree char *to_b = mw_test_server_url (server, "/b");
  g_autofree char *to_a = mw_test_server_url (server, "/a");
  Call call = { 0 };

  /* a status page that moved is followed */
  mw_test_server_set_fixture (server, "/new", "statuspage-anthropic-summary.json");
  mw_test_server_set_redirect (server, "/old", "/new");
  get (fetcher, server, "/old", NULL, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 200);
  g_assert_cmpuint (mw_test_server_get_hits (server, "/new"), ==, 1);

  mw_test_server_set_redirect (server, "/a", to_b);
  mw_test_server_set_redirect (server, "/b", to_a);
  get (fetcher, server, "/a", NULL, NULL, &call, 5000);
  g_assert_error (call.error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_REDIRECTS);
  g_assert_cmpstr (call.error->message, ==, expected);

  call_clear (&call);
}

static void
test_fetch_conditional (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  const char *date = "Fri, 05 Jun 2026 15:08:00 GMT";
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  Call call = { 0 };

  mw_test_server_set_fixture (server, "/etag", "statuspage-anthropic-summary.json");
  mw_test_server_set_etag (server, "/etag", "W/\"abc123\"");
  get (fetcher, server, "/etag", NULL, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 200);
  g_assert_cmpstr (call.result->etag, ==, "W/\"abc123\"");
  etag = g_strdup (call.result->etag);

  get (fetcher, server, "/etag", etag, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpstr (mw_test_server_get_request_header (server, "/etag", "If-None-Match"), ==, "W/\"abc123\"");
  g_assert_cmpuint (call.result->status, ==, 304);
  g_assert_null (call.result->body);
  g_assert_cmpstr (call.result->etag, ==, "W/\"abc123\"");

  mw_test_server_set_fixture (server, "/lm", "statuspage-anthropic-summary.json");
  mw_test_server_set_last_modified (server, "/lm", date);
  get (fetcher, server, "/lm", NULL, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpstr (call.result->last_modified, ==, date);
  last_modified = g_strdup (call.result->last_modified);

  get (fetcher, server, "/lm", NULL, last_modified, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpstr (mw_test_server_get_request_header (server, "/lm", "If-Modified-Since"), ==, date);
  g_assert_cmpuint (call.result->status, ==, 304);
  g_assert_null (call.result->body);
  g_assert_cmpstr (call.result->last_modified, ==, date);

  /* a changed page answers 200 again despite the old validator */
  mw_test_server_set_etag (server, "/etag", "W/\"def456\"");
  get (fetcher, server, "/etag", etag, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 200);
  g_assert_nonnull (call.result->body);
  g_assert_cmpstr (call.result->etag, ==, "W/\"def456\"");

  call_clear (&call);
}

/* A hanging page must not hold up the pages behind it on the same host. */
static void
test_fetch_no_queueing (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autofree char *slow = mw_test_server_url (server, "/hang");
  Call hanging[12] = { 0 };
  Call quick = { 0 };
  gint64 ms;

  mw_test_server_set_fixture (server, "/hang", "statuspage-anthropic-summary.json");
  mw_test_server_set_delay (server, "/hang", 3000);
  mw_test_server_set_fixture (server, "/quick", "statuspage-anthropic-summary.json");

  for (guint i = 0; i < G_N_ELEMENTS (hanging); i++)
    mw_fetcher_get_async (fetcher, slow, NULL, NULL, NULL, get_cb, &hanging[i]);

  ms = get (fetcher, server, "/quick", NULL, NULL, &quick, 5000);
  g_assert_no_error (quick.error);
  g_assert_cmpint (ms, <, 1500);

  for (guint i = 0; i < G_N_ELEMENTS (hanging); i++)
    {
      g_assert_true (mw_test_wait_until (&hanging[i].done, 6000));
      g_assert_no_error (hanging[i].error);
      call_clear (&hanging[i]);
    }
  call_clear (&quick);
}

static void
test_fetch_cancel (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *url = mw_test_server_url (server, "/hang");
  Call call = { 0 };

  mw_test_server_set_fixture (server, "/hang", "statuspage-anthropic-summary.json");
  mw_test_server_set_delay (server, "/hang", 1000);
  mw_fetcher_get_async (fetcher, url, NULL, NULL, cancellable, get_cb, &call);
  g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_true (mw_test_wait_until (&call.done, 2000));
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  call_clear (&call);
  drain (1000);
}

static void
test_send_any_status (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autofree char *url = mw_test_server_url (server, "/v1/models");
  g_autofree char *moved = mw_test_server_url (server, "/moved");
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(SoupMessage) redirect = NULL;
  const char *body = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"}}";
  Call call = { 0 };

  mw_test_server_set_body (server, "/v1/models", 401, "application/json", body, -1);
  message = soup_message_new ("GET", url);
  mw_fetcher_send_async (fetcher, message, NULL, send_cb, &call);
  g_assert_true (mw_test_wait_until (&call.done, 5000));
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 401);
  g_assert_cmpuint (g_bytes_get_size (call.result->body), ==, strlen (body));
  g_assert_cmpint (call.result->latency_us, >, 0);
  g_assert_cmpint (call.result->latency_us, <, 5 * G_USEC_PER_SEC);

  /* a probe that carries a key never follows a redirect: it sees it */
  call_clear (&call);
  mw_test_server_set_redirect (server, "/moved", url);
  redirect = soup_message_new ("GET", moved);
  soup_message_add_flags (redirect, SOUP_MESSAGE_NO_REDIRECT);
  mw_fetcher_send_async (fetcher, redirect, NULL, send_cb, &call);
  g_assert_true (mw_test_wait_until (&call.done, 5000));
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 302);
  g_assert_cmpuint (mw_test_server_get_hits (server, "/v1/models"), ==, 1);

  call_clear (&call);
}

/* Pages on this machine never go through a proxy, which could not reach
 * them; a redirect that leaves the machine does. Run in a subprocess:
 * the proxy settings are read once per process. */
static void
test_fetch_loopback_bypasses_proxy (void)
{
  g_autoptr(MwTestServer) server = NULL;
  g_autoptr(MwTestServer) proxy = NULL;
  g_autoptr(MwFetcher) fetcher = NULL;
  g_autofree char *proxy_url = NULL;
  g_auto(GStrv) proxies = NULL;
  g_autoptr(GError) error = NULL;
  Call call = { 0 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* The environment's proxy, as libproxy reads it (GNOME's resolver
   * would read GSettings instead); the proxy stands in for the hosts
   * elsewhere. */
  proxy = mw_test_server_new ();
  proxy_url = mw_test_server_url (proxy, NULL);
  g_unsetenv ("XDG_CURRENT_DESKTOP");
  g_unsetenv ("GNOME_DESKTOP_SESSION_ID");
  g_unsetenv ("GIO_USE_PROXY_RESOLVER");
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");
  g_setenv ("http_proxy", proxy_url, TRUE);

  /* ...and the one in force for hosts elsewhere */
  proxies = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), "http://status.example.invalid/",
                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (proxies);
  g_assert_true (g_str_has_prefix (proxies[0], proxy_url));

  server = mw_test_server_new ();
  fetcher = mw_fetcher_new ();

  mw_test_server_set_fixture (server, "/page", "statuspage-anthropic-summary.json");
  mw_test_server_set_fixture (proxy, "/page", "statuspage-anthropic-summary.json");
  get (fetcher, server, "/page", NULL, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 200);
  g_assert_cmpuint (mw_test_server_get_hits (server, "/page"), ==, 1);
  g_assert_cmpuint (mw_test_server_get_hits (proxy, "/page"), ==, 0);

  mw_test_server_set_fixture (proxy, "/new", "statuspage-anthropic-summary.json");
  mw_test_server_set_redirect (server, "/moved", "http://status.example.invalid/new");
  get (fetcher, server, "/moved", NULL, NULL, &call, 5000);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.result->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (call.result->body), >, 0);
  g_assert_cmpuint (mw_test_server_get_hits (proxy, "/new"), ==, 1);

  call_clear (&call);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fetch/ok", test_fetch_ok);
  g_test_add_func ("/fetch/http-error", test_fetch_http_error);
  g_test_add_func ("/fetch/retry-after", test_fetch_retry_after);
  g_test_add_func ("/fetch/parse-retry-after", test_parse_retry_after);
  g_test_add_func ("/fetch/bodies-pass-through", test_fetch_passes_bodies_through);
  g_test_add_func ("/fetch/reset", test_fetch_reset);
  g_test_add_func ("/fetch/refused", test_fetch_refused);
  g_test_add_func ("/fetch/slow", test_fetch_slow);
  g_test_add_func ("/fetch/slow-drip", test_fetch_slow_drip);
  g_test_add_func ("/fetch/too-large", test_fetch_too_large);
  g_test_add_func ("/fetch/chunked", test_fetch_chunked);
  g_test_add_func ("/fetch/redirects", test_fetch_redirects);
  g_test_add_func ("/fetch/conditional", test_fetch_conditional);
  g_test_add_func ("/fetch/no-queueing", test_fetch_no_queueing);
  g_test_add_func ("/fetch/cancel", test_fetch_cancel);
  g_test_add_func ("/fetch/send-any-status", test_send_any_status);
  g_test_add_func ("/fetch/loopback-bypasses-proxy", test_fetch_loopback_bypasses_proxy);

  return g_test_run ();
}
