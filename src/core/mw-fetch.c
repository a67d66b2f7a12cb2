/* mw-fetch.c
 *
 * The one HTTP client of the process: bounded, polite GETs of status pages
 * and capped sends for probes, each with a whole-request deadline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mw-fetch.h"
#include "mw-reader.h"

/* A hanging page must never queue another one behind it, and every page
 * of the tests lives on 127.0.0.1, so per-host limits are as high as the
 * total. */
#define MAX_CONNS 64
/* The first read of a body whose length is not announced; the buffer
 * doubles from there, up to the size cap. */
#define FIRST_CHUNK (16 * 1024)
/* Every read offers at least this much room: libsoup's chunked decoder
 * reads the end of a body (the trailers) into the caller's buffer, and
 * refuses a buffer of a byte or two. */
#define MIN_ROOM 256

struct _MwFetcher
{
  GObject      parent_instance;

  SoupSession *session;   /* nullable until needed: honours the proxy settings */
  SoupSession *direct;    /* nullable until needed: pages on this machine */
  guint        timeout;   /* seconds */
  gsize        max_size;  /* bytes */
};

G_DEFINE_FINAL_TYPE (MwFetcher, mw_fetcher, G_TYPE_OBJECT)

/* The process shares its sessions (connection pools, TLS cache) between
 * every fetcher alive; each goes away with the last of them.
 *
 * Pages on this machine go through a session of their own that never
 * asks for a proxy: a proxy elsewhere cannot reach our loopback, and
 * GIO's proxy resolver costs more than the whole fetch of a local page
 * (it loads its modules, GSettings and libproxy, and libproxy reads
 * /etc/services for every connection). It takes a session with no
 * resolver at all: GIO's proxy enumerator makes the default resolver
 * as it is built, even for a session that brings its own (measured:
 * 2 ms of a 24 ms run over 50 pages). That session does not follow
 * redirects: a page that moves is asked for again on the other one,
 * whose next hop may leave the machine. Everything else honours the
 * system's proxy settings, except for this machine. */
static SoupSession *shared_session;
static SoupSession *shared_direct;

typedef struct {
  SoupMessage  *message;
  GUri         *uri;           /* as asked, before any redirect: names the host in errors */
  gboolean      page;          /* a status-page GET, not a probe send */
  gboolean      direct;        /* sent without proxy, redirects not followed */
  char         *sent_etag;
  char         *sent_last_modified;

  GCancellable *cancellable;   /* ours: fired by the deadline or the caller's */
  GCancellable *outer;
  gulong        outer_id;
  GSource      *deadline;
  gboolean      timed_out;
  guint         timeout;
  gsize         max_size;

  gint64        started;
  gint64        latency_us;
  gint64        retry_after;

  GInputStream *stream;
  guint8       *body;
  gsize         body_len;
  gsize         body_size;     /* allocated */
} Request;

static void
request_free (gpointer data)
{
  Request *req = data;

  if (req->deadline != NULL)
    {
      g_source_destroy (req->deadline);
      g_source_unref (req->deadline);
    }
  if (req->outer != NULL)
    {
      g_cancellable_disconnect (req->outer, req->outer_id);
      g_object_unref (req->outer);
    }
  g_clear_object (&req->message);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->stream);
  g_free (req->body);
  g_free (req->sent_etag);
  g_free (req->sent_last_modified);
  g_free (req);
}

void
mw_fetch_result_free (MwFetchResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->body, g_bytes_unref);
  g_free (result->etag);
  g_free (result->last_modified);
  g_free (result);
}

static void
mw_fetcher_dispose (GObject *object)
{
  MwFetcher *self = MW_FETCHER (object);

  g_clear_object (&self->session);
  g_clear_object (&self->direct);

  G_OBJECT_CLASS (mw_fetcher_parent_class)->dispose (object);
}

static void
mw_fetcher_class_init (MwFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_fetcher_dispose;
}

static void
mw_fetcher_init (MwFetcher *self)
{
  self->timeout = MW_FETCH_DEFAULT_TIMEOUT;
  self->max_size = MW_FETCH_DEFAULT_MAX_SIZE;
}

/* Proxy resolver {{{ */

/* The system's proxy settings (GIO's default resolver), except that
 * this machine is always reached directly. */
#define MW_TYPE_PROXY_RESOLVER (mw_proxy_resolver_get_type ())
G_DECLARE_FINAL_TYPE (MwProxyResolver, mw_proxy_resolver, MW, PROXY_RESOLVER, GObject)

struct _MwProxyResolver
{
  GObject parent_instance;
};

static void mw_proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwProxyResolver, mw_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER, mw_proxy_resolver_iface_init))

static char **
no_proxy (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");
  return proxies;
}

static gboolean
mw_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
mw_proxy_resolver_lookup (GProxyResolver  *resolver,
                          const char      *uri,
                          GCancellable    *cancellable,
                          GError         **error)
{
  if (mw_url_is_loopback (uri))
    return no_proxy ();

  return g_proxy_resolver_lookup (g_proxy_resolver_get_default (), uri, cancellable, error);
}

static void
default_lookup_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), res, &error);

  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
mw_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                const char          *uri,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, mw_proxy_resolver_lookup_async);

  if (mw_url_is_loopback (uri))
    {
      g_task_return_pointer (task, no_proxy (), (GDestroyNotify) g_strfreev);
      return;
    }

  g_proxy_resolver_lookup_async (g_proxy_resolver_get_default (), uri, cancellable,
                                 default_lookup_cb, g_steal_pointer (&task));
}

static char **
mw_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mw_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = mw_proxy_resolver_is_supported;
  iface->lookup = mw_proxy_resolver_lookup;
  iface->lookup_async = mw_proxy_resolver_lookup_async;
  iface->lookup_finish = mw_proxy_resolver_lookup_finish;
}

static void
mw_proxy_resolver_class_init (MwProxyResolverClass *klass)
{
}

static void
mw_proxy_resolver_init (MwProxyResolver *self)
{
}

/* }}} */

/* The session for pages on this machine (@direct) or for the rest,
 * created when first needed. */
static SoupSession *
get_session (MwFetcher *self,
             gboolean   direct)
{
  SoupSession **mine = direct ? &self->direct : &self->session;
  SoupSession **shared = direct ? &shared_direct : &shared_session;

  if (*mine != NULL)
    return *mine;

  if (*shared != NULL)
    return *mine = g_object_ref (*shared);

  /* No SoupCache: validators are sent by hand, so that a 304 reaches us
   * and means "unchanged" instead of being replayed as a 200. The
   * session's own timeout is a backstop; the deadline is ours. */
  *mine = soup_session_new_with_options ("user-agent", "modelwatch/" PACKAGE_VERSION,
                                         "max-conns", MAX_CONNS,
                                         "max-conns-per-host", MAX_CONNS,
                                         "timeout", 0,
                                         NULL);
  if (direct)
    {
      soup_session_set_proxy_resolver (*mine, NULL);
    }
  else
    {
      g_autoptr(GProxyResolver) resolver = g_object_new (MW_TYPE_PROXY_RESOLVER, NULL);

      soup_session_set_proxy_resolver (*mine, resolver);
    }

  *shared = *mine;
  g_object_add_weak_pointer (G_OBJECT (*shared), (gpointer *) shared);

  return *mine;
}

MwFetcher *
mw_fetcher_new (void)
{
  return g_object_new (MW_TYPE_FETCHER, NULL);
}

SoupSession *
mw_fetcher_get_session (MwFetcher *self)
{
  g_return_val_if_fail (MW_IS_FETCHER (self), NULL);

  return get_session (self, FALSE);
}

/**
 * mw_fetcher_set_timeout:
 * @seconds: the deadline of a whole request, from sending it to the last
 *   byte of the answer; 0 restores the default
 */
void
mw_fetcher_set_timeout (MwFetcher *self,
                        guint      seconds)
{
  g_return_if_fail (MW_IS_FETCHER (self));

  self->timeout = seconds > 0 ? seconds : MW_FETCH_DEFAULT_TIMEOUT;
}

guint
mw_fetcher_get_timeout (MwFetcher *self)
{
  g_return_val_if_fail (MW_IS_FETCHER (self), 0);

  return self->timeout;
}

void
mw_fetcher_set_max_size (MwFetcher *self,
                         gsize      bytes)
{
  g_return_if_fail (MW_IS_FETCHER (self));

  self->max_size = bytes > 0 ? bytes : MW_FETCH_DEFAULT_MAX_SIZE;
}

/**
 * mw_fetch_parse_retry_after:
 * @value: (nullable): a Retry-After header: delay-seconds or an HTTP date
 * @now: (nullable): the current time, for dates; NULL for the clock
 *
 * Returns: the number of seconds to wait (0 for a date in the past), or
 *   -1 when @value is absent or unreadable
 */
gint64
mw_fetch_parse_retry_after (const char *value,
                            GDateTime  *now)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *text = NULL;
  GTimeSpan span;

  if (value == NULL)
    return -1;

  text = g_strstrip (g_strdup (value));
  if (*text == '\0')
    return -1;

  if (g_ascii_isdigit (*text))
    {
      char *end = NULL;
      guint64 secs = g_ascii_strtoull (text, &end, 10);

      if (end == NULL || *end != '\0')
        return -1;
      /* a day is already absurd for a status page; keep arithmetic sane */
      return (gint64) MIN (secs, (guint64) G_MAXINT32);
    }

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return -1;

  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();

  span = g_date_time_difference (date, now);
  if (span <= 0)
    return 0;

  return (span + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

static char *
format_size (gsize bytes)
{
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
    return g_strdup_printf (_("%u MiB"), (guint) (bytes >> 20));
  if (bytes >= 1024 && bytes % 1024 == 0)
    return g_strdup_printf (_("%u KiB"), (guint) (bytes >> 10));
  return g_strdup_printf (_("%zu bytes"), bytes);
}

/* GIO's messages are one line already, but a proxy's may not be. */
static char *
one_line (const char *message)
{
  char *text = g_strdup (message != NULL ? message : "");

  g_strdelimit (text, "\r\n", ' ');
  return g_strstrip (text);
}

static gboolean
deadline_cb (gpointer data)
{
  Request *req = data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);

  g_clear_pointer (&req->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    gpointer      data)
{
  Request *req = data;

  g_cancellable_cancel (req->cancellable);
}

/* The host (and port) a request went to, for its error messages. Only
 * a failure needs it, so it is not worked out for every request. */
static char *
request_host (Request *req)
{
  g_autofree char *url = g_uri_to_string (req->uri);

  return mw_url_host (url);
}

/* Turns a transport error into a one-line MwSourceError naming the host. */
static void
return_transport_error (GTask  *task,
                        GError *error)
{
  Request *req = g_task_get_task_data (task);
  g_autofree char *host = request_host (req);

  if (req->timed_out)
    {
      g_task_return_new_error (task, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TIMEOUT,
                               _("%s did not answer within %u s"), host, req->timeout);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
    }
  else if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS) ||
           g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_BAD_URI))
    {
      g_task_return_new_error (task, MW_SOURCE_ERROR, MW_SOURCE_ERROR_REDIRECTS,
                               _("%s redirects in a loop"), host);
    }
  else
    {
      g_autofree char *reason = one_line (error->message);

      g_task_return_new_error (task, MW_SOURCE_ERROR, MW_SOURCE_ERROR_NETWORK,
                               _("cannot reach %s (%s)"), host, reason);
    }
}

static void
return_too_large (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  g_autofree char *host = request_host (req);
  g_autofree char *size = format_size (req->max_size);

  g_task_return_new_error (task, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TOO_LARGE,
                           _("%s sent more than %s"), host, size);
}

static MwFetchResult *
result_new (Request *req)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->message);
  MwFetchResult *result = g_new0 (MwFetchResult, 1);
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");

  result->status = soup_message_get_status (req->message);
  /* A 304 may omit the validators; the ones we sent still hold. */
  result->etag = g_strdup (etag != NULL ? etag : (result->status == 304 ? req->sent_etag : NULL));
  result->last_modified = g_strdup (last_modified != NULL ? last_modified :
                                    (result->status == 304 ? req->sent_last_modified : NULL));
  result->retry_after = req->retry_after;
  result->latency_us = req->latency_us;

  return result;
}

static void
finish_body (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  MwFetchResult *result = result_new (req);

  if (req->body_len == 0)
    {
      result->body = g_bytes_new (NULL, 0);
    }
  else
    {
      /* The monitor keeps the last body of every page: no more slack
       * than the room of the last read. */
      if (req->body_size - req->body_len > MIN_ROOM)
        req->body = g_realloc (req->body, req->body_len);
      result->body = g_bytes_new_take (g_steal_pointer (&req->body), req->body_len);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) mw_fetch_result_free);
}

/* Makes room for the next read. The buffer never grows much past the
 * cap: reading a byte over it is how a page is found too large, and the
 * body read so far is never over it. */
static void
ensure_room (Request *req)
{
  gsize limit = req->max_size <= G_MAXSIZE - MIN_ROOM ? req->max_size + MIN_ROOM : G_MAXSIZE;
  gsize size;

  if (req->body_size - req->body_len >= MIN_ROOM)
    return;

  size = MAX (req->body_size * 2, FIRST_CHUNK);
  size = MAX (size, req->body_len + MIN_ROOM);
  req->body_size = MIN (size, limit);
  req->body = g_realloc (req->body, req->body_size);
}

/* What one read gave: %FALSE once the request is complete, read or
 * failed. */
static gboolean
take_read (GTask  *task,
           gssize  n,
           GError *error)
{
  Request *req = g_task_get_task_data (task);

  if (n < 0)
    {
      return_transport_error (task, error);
      return FALSE;
    }

  if (n == 0)
    {
      finish_body (task);
      return FALSE;
    }

  req->body_len += n;
  if (req->body_len > req->max_size)
    {
      return_too_large (task);
      return FALSE;
    }

  return TRUE;
}

static void read_body (GTask *task);

static gboolean
readable_cb (GObject  *stream,
             gpointer  data)
{
  read_body (g_object_ref (data));

  return G_SOURCE_REMOVE;
}

static void
read_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &error);

  if (take_read (task, n, error))
    read_body (g_steal_pointer (&task));
}

/* Reads the body to its end into one buffer, sized from Content-Length
 * when the answer gives one. A pollable stream (libsoup's always is) is
 * read the way GIO's own async read does it, without a task and a fresh
 * 64 KiB allocation and copy per chunk: everything that has arrived at
 * once, then wait for the socket. Takes a reference to @task. */
static void
read_body (GTask *task)
{
  g_autoptr(GTask) owned = task;
  Request *req = g_task_get_task_data (task);
  GPollableInputStream *pollable;

  if (!G_IS_POLLABLE_INPUT_STREAM (req->stream) ||
      !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (req->stream)))
    {
      ensure_room (req);
      g_input_stream_read_async (req->stream, req->body + req->body_len,
                                 req->body_size - req->body_len, G_PRIORITY_DEFAULT,
                                 req->cancellable, read_cb, g_steal_pointer (&owned));
      return;
    }

  pollable = G_POLLABLE_INPUT_STREAM (req->stream);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      ensure_room (req);
      n = g_pollable_input_stream_read_nonblocking (pollable, req->body + req->body_len,
                                                    req->body_size - req->body_len,
                                                    req->cancellable, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          /* The source fires on cancellation too: the deadline ends a
           * page that drips. */
          GSource *source = g_pollable_input_stream_create_source (pollable, req->cancellable);

          g_source_set_callback (source, (GSourceFunc) G_CALLBACK (readable_cb),
                                 g_steal_pointer (&owned), g_object_unref);
          g_source_attach (source, g_task_get_context (task));
          g_source_unref (source);
          return;
        }

      if (!take_read (task, n, error))
        return;
    }
}

static void send_cb (GObject      *source,
                     GAsyncResult *res,
                     gpointer      data);

/* The statuses libsoup follows. */
static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    data)
{
  soup_message_headers_append (data, name, value);
}

static void
redirect_closed_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      data)
{
  g_autoptr(GTask) task = data;
  Request *req = g_task_get_task_data (task);
  MwFetcher *self = g_task_get_source_object (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  g_input_stream_close_finish (G_INPUT_STREAM (source), res, NULL);
  g_clear_object (&req->stream);

  if (g_cancellable_set_error_if_cancelled (req->cancellable, &error))
    {
      return_transport_error (task, error);
      return;
    }

  /* The same request afresh: a message is sent once. */
  message = soup_message_new_from_uri (soup_message_get_method (req->message),
                                       soup_message_get_uri (req->message));
  soup_message_headers_foreach (soup_message_get_request_headers (req->message), copy_header,
                                soup_message_get_request_headers (message));
  soup_message_set_flags (message, soup_message_get_flags (req->message) & ~SOUP_MESSAGE_NO_REDIRECT);

  g_set_object (&req->message, message);
  req->direct = FALSE;

  soup_session_send_async (get_session (self, FALSE), message, G_PRIORITY_DEFAULT,
                           req->cancellable, send_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;
  goffset length;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), res, &error);
  if (req->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  /* The headers have just been read; the last answer wins: after a
   * redirect, the page's own headers. (A redirect that libsoup follows
   * completes the send only once, with the last answer.) */
  req->latency_us = g_get_monotonic_time () - req->started;

  status = soup_message_get_status (req->message);
  headers = soup_message_get_response_headers (req->message);

  if (req->direct && is_redirect (status) &&
      soup_message_headers_get_one (headers, "Location") != NULL)
    {
      /* The next hop may leave this machine: ask again on the session
       * that follows redirects and honours the proxy settings. */
      g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL,
                                  redirect_closed_cb, g_steal_pointer (&task));
      return;
    }

  req->retry_after = mw_fetch_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                                 NULL);

  if (req->page && status == SOUP_STATUS_NOT_MODIFIED)
    {
      g_task_return_pointer (task, result_new (req), (GDestroyNotify) mw_fetch_result_free);
      return;
    }

  if (req->page && !SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *host = request_host (req);

      g_task_return_new_error (task, MW_SOURCE_ERROR, MW_SOURCE_ERROR_HTTP,
                               _("%s answered HTTP %u"), host, status);
      return;
    }

  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      if (length > (goffset) req->max_size)
        {
          return_too_large (task);
          return;
        }

      /* the whole body, and room for the read that finds its end */
      req->body_size = (gsize) MAX (length, 0) + MIN_ROOM;
      req->body = g_malloc (req->body_size);
    }

  read_body (g_steal_pointer (&task));
}

static void
start_request (MwFetcher    *self,
               GTask        *task,
               SoupMessage  *message,
               gboolean      page,
               gboolean      direct,
               GCancellable *cancellable)
{
  Request *req = g_new0 (Request, 1);

  req->message = g_object_ref (message);
  req->uri = g_uri_ref (soup_message_get_uri (message));
  req->page = page;
  req->direct = direct;
  req->timeout = self->timeout;
  req->max_size = self->max_size;
  req->retry_after = -1;
  req->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, req, request_free);

  if (cancellable != NULL)
    {
      req->outer = g_object_ref (cancellable);
      req->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb), req, NULL);
    }

  /* A whole-request deadline: the session's idle timeout would let a
   * page that drips one byte a second hang forever. */
  req->deadline = g_timeout_source_new (req->timeout * 1000);
  g_source_set_callback (req->deadline, deadline_cb, req, NULL);
  g_source_set_name (req->deadline, "[modelwatch] fetch deadline");
  g_source_attach (req->deadline, g_main_context_get_thread_default ());

  req->started = g_get_monotonic_time ();

  soup_session_send_async (get_session (self, direct), message, G_PRIORITY_DEFAULT,
                           req->cancellable, send_cb, g_object_ref (task));
}

/**
 * mw_fetcher_get_async:
 * @url: an absolute http(s) URL
 * @etag: (nullable): the ETag of the copy we have
 * @last_modified: (nullable): the Last-Modified of the copy we have
 *
 * Fetches a status page. Redirects are followed; a 304 completes with a
 * result of status 304 and no body.
 */
void
mw_fetcher_get_async (MwFetcher           *self,
                      const char          *url,
                      const char          *etag,
                      const char          *last_modified,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;
  gboolean direct;
  Request *req;

  g_return_if_fail (MW_IS_FETCHER (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_fetcher_get_async);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_task_return_new_error (task, MW_SOURCE_ERROR, MW_SOURCE_ERROR_NETWORK,
                               _("cannot reach %s (not an http or https address)"), url);
      return;
    }

  message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  direct = mw_host_is_loopback (g_uri_get_host (uri));
  if (direct)
    soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json, application/xml;q=0.9, */*;q=0.5");
  if (etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", etag);
  if (last_modified != NULL)
    soup_message_headers_replace (headers, "If-Modified-Since", last_modified);

  start_request (self, task, message, TRUE, direct, cancellable);

  req = g_task_get_task_data (task);
  req->sent_etag = g_strdup (etag);
  req->sent_last_modified = g_strdup (last_modified);
}

/**
 * mw_fetcher_get_finish:
 * @retry_after_out: (out) (optional): Retry-After in seconds, or -1; set
 *   on errors too, so that a 429 or 503 can be honoured
 */
MwFetchResult *
mw_fetcher_get_finish (MwFetcher     *self,
                       GAsyncResult  *result,
                       gint64        *retry_after_out,
                       GError       **error)
{
  Request *req;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  req = g_task_get_task_data (G_TASK (result));
  if (retry_after_out != NULL)
    *retry_after_out = req != NULL ? req->retry_after : -1;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mw_fetcher_send_async:
 * @message: the request; the caller sets its flags (a probe that carries
 *   a key sets %SOUP_MESSAGE_NO_REDIRECT)
 *
 * Sends any request and completes with its status and capped body,
 * whatever the status. latency_us measures the time from sending to the
 * answer's headers. Request headers are never logged.
 */
void
mw_fetcher_send_async (MwFetcher           *self,
                       SoupMessage         *message,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MW_IS_FETCHER (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_fetcher_send_async);

  start_request (self, task, message, FALSE, FALSE, cancellable);
}

MwFetchResult *
mw_fetcher_send_finish (MwFetcher     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
