/* mw-monitor.c — PLACEHOLDER until the monitor lands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-monitor.h"

struct _MwMonitor { GObject parent_instance; };

G_DEFINE_FINAL_TYPE (MwMonitor, mw_monitor, G_TYPE_OBJECT)

static void mw_monitor_class_init (MwMonitorClass *klass) { }
static void mw_monitor_init (MwMonitor *self) { }

MwMonitor *mw_monitor_new (MwCatalog *catalog) { return g_object_new (MW_TYPE_MONITOR, NULL); }
MwCatalog *mw_monitor_get_catalog (MwMonitor *self) { return NULL; }
MwFetcher *mw_monitor_get_fetcher (MwMonitor *self) { return NULL; }
void mw_monitor_set_interval (MwMonitor *self, guint seconds) { }
guint mw_monitor_get_interval (MwMonitor *self) { return 0; }
void mw_monitor_set_timeout (MwMonitor *self, guint seconds) { }
void mw_monitor_set_probes_enabled (MwMonitor *self, gboolean enabled) { }
void mw_monitor_set_once (MwMonitor *self, gboolean once) { }
void mw_monitor_start (MwMonitor *self) { }
void mw_monitor_stop (MwMonitor *self) { }
gboolean mw_monitor_get_checking (MwMonitor *self) { return FALSE; }
MwSnapshot *mw_monitor_get_snapshot (MwMonitor *self) { return NULL; }
void mw_monitor_check_async (MwMonitor *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data) { g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data); g_task_return_boolean (task, TRUE); }
gboolean mw_monitor_check_finish (MwMonitor *self, GAsyncResult *result, GError **error) { return g_task_propagate_boolean (G_TASK (result), error); }
