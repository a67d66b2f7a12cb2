/* mw-probe.c — PLACEHOLDER until the probes land.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-probe.h"

struct _MwProber { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (MwProber, mw_prober, G_TYPE_OBJECT)

static void mw_prober_class_init (MwProberClass *klass) { }
static void mw_prober_init (MwProber *self) { }

MwProber *mw_prober_new (MwCatalog *catalog, MwFetcher *fetcher) { return g_object_new (MW_TYPE_PROBER, NULL); }
void mw_prober_set_interval (MwProber *self, guint seconds) { }
void mw_prober_set_damping (MwProber *self, gboolean damping) { }
void mw_prober_start (MwProber *self) { }
void mw_prober_stop (MwProber *self) { }
void mw_prober_check_async (MwProber *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data) { g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data); g_task_return_boolean (task, TRUE); }
gboolean mw_prober_check_finish (MwProber *self, GAsyncResult *result, GError **error) { return g_task_propagate_boolean (G_TASK (result), error); }
const MwProbeState *mw_prober_get_provider_state (MwProber *self, const char *provider_id) { return NULL; }
GHashTable *mw_prober_get_model_states (MwProber *self, const char *provider_id) { return NULL; }
