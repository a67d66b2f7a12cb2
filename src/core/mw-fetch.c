/* mw-fetch.c — PLACEHOLDER until the fetcher lands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-fetch.h"

struct _MwFetcher { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (MwFetcher, mw_fetcher, G_TYPE_OBJECT)

static void mw_fetcher_class_init (MwFetcherClass *klass) { }
static void mw_fetcher_init (MwFetcher *self) { }

void mw_fetch_result_free (MwFetchResult *result) { }
MwFetcher *mw_fetcher_new (void) { return g_object_new (MW_TYPE_FETCHER, NULL); }
SoupSession *mw_fetcher_get_session (MwFetcher *self) { return NULL; }
void mw_fetcher_set_timeout (MwFetcher *self, guint seconds) { }
guint mw_fetcher_get_timeout (MwFetcher *self) { return 0; }
void mw_fetcher_set_max_size (MwFetcher *self, gsize bytes) { }
void mw_fetcher_get_async (MwFetcher *self, const char *url, const char *etag, const char *last_modified, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data) { }
MwFetchResult *mw_fetcher_get_finish (MwFetcher *self, GAsyncResult *result, gint64 *retry_after_out, GError **error) { return NULL; }
void mw_fetcher_send_async (MwFetcher *self, SoupMessage *message, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data) { }
MwFetchResult *mw_fetcher_send_finish (MwFetcher *self, GAsyncResult *result, GError **error) { return NULL; }
