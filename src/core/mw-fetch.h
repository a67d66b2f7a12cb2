/* mw-fetch.h
 *
 * One SoupSession for the process and the polite, bounded GET every
 * source uses: a descriptive User-Agent, a whole-request deadline, a size
 * cap, validators sent by hand (304 = unchanged) and Retry-After parsed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define MW_FETCH_DEFAULT_TIMEOUT  15          /* seconds */
#define MW_FETCH_DEFAULT_MAX_SIZE (4u << 20)  /* bytes */

typedef struct {
  guint     status;        /* HTTP status; 304 when unchanged */
  GBytes   *body;          /* NULL on 304 */
  char     *etag;          /* nullable */
  char     *last_modified; /* nullable */
  gint64    retry_after;   /* seconds, -1 when absent */
  gint64    latency_us;    /* request sent to first byte of the answer */
} MwFetchResult;

void mw_fetch_result_free (MwFetchResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwFetchResult, mw_fetch_result_free)

#define MW_TYPE_FETCHER (mw_fetcher_get_type ())
G_DECLARE_FINAL_TYPE (MwFetcher, mw_fetcher, MW, FETCHER, GObject)

MwFetcher     *mw_fetcher_new          (void);
SoupSession   *mw_fetcher_get_session  (MwFetcher           *self);
void           mw_fetcher_set_timeout  (MwFetcher           *self,
                                        guint                seconds);
guint          mw_fetcher_get_timeout  (MwFetcher           *self);
void           mw_fetcher_set_max_size (MwFetcher           *self,
                                        gsize                bytes);

/* A GET of a status page. Any answer but 2xx and 304 is an MW_SOURCE_ERROR
 * with a one-line message naming the host; 429 and 5xx still fill
 * *retry_after_out (or -1) so the caller can back off. */
void           mw_fetcher_get_async    (MwFetcher           *self,
                                        const char          *url,
                                        const char          *etag,
                                        const char          *last_modified,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
MwFetchResult *mw_fetcher_get_finish   (MwFetcher           *self,
                                        GAsyncResult        *result,
                                        gint64              *retry_after_out,
                                        GError             **error);

/* Any request (probes): the answer's status and capped body, whatever the
 * status is; errors only for transport failures, timeouts and the cap. */
void           mw_fetcher_send_async   (MwFetcher           *self,
                                        SoupMessage         *message,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
MwFetchResult *mw_fetcher_send_finish  (MwFetcher           *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Retry-After (delay-seconds or an HTTP date) in seconds from @now (NULL:
 * the clock), or -1 when absent or unreadable. */
gint64         mw_fetch_parse_retry_after (const char       *value,
                                           GDateTime        *now);

G_END_DECLS
