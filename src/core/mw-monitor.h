/* mw-monitor.h
 *
 * Schedules every source and probe, merges what they observe into one
 * snapshot and tells its listeners when it changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-catalog.h"
#include "mw-fetch.h"
#include "mw-probe.h"
#include "mw-snapshot.h"

G_BEGIN_DECLS

#define MW_MONITOR_DEFAULT_INTERVAL 120  /* seconds, status pages */
#define MW_MONITOR_MIN_INTERVAL      30  /* seconds, non-loopback hosts */

#define MW_TYPE_MONITOR (mw_monitor_get_type ())
G_DECLARE_FINAL_TYPE (MwMonitor, mw_monitor, MW, MONITOR, GObject)

MwMonitor  *mw_monitor_new                (MwCatalog           *catalog);
MwCatalog  *mw_monitor_get_catalog        (MwMonitor           *self);
MwFetcher  *mw_monitor_get_fetcher        (MwMonitor           *self);
MwProber   *mw_monitor_get_prober         (MwMonitor           *self);
void        mw_monitor_set_interval       (MwMonitor           *self,
                                           guint                seconds);
guint       mw_monitor_get_interval       (MwMonitor           *self);
void        mw_monitor_set_timeout        (MwMonitor           *self,
                                           guint                seconds);
void        mw_monitor_set_probes_enabled (MwMonitor           *self,
                                           gboolean             enabled);
/* Only these providers are polled (NULL: all); the others stay unknown.
 * For `status --provider` and `pick`, which need no other page. */
void        mw_monitor_set_provider_filter (MwMonitor          *self,
                                           const char * const  *provider_ids);
/* Once: no damping, no history; used by `status --once`. */
void        mw_monitor_set_once           (MwMonitor           *self,
                                           gboolean             once);
void        mw_monitor_start              (MwMonitor           *self);
void        mw_monitor_stop               (MwMonitor           *self);
gboolean    mw_monitor_get_checking       (MwMonitor           *self);
MwSnapshot *mw_monitor_get_snapshot       (MwMonitor           *self);

/* Polls every source (and probe) now; completes when all have answered
 * or timed out. */
void        mw_monitor_check_async        (MwMonitor           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean    mw_monitor_check_finish       (MwMonitor           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Signals:
 *   "changed" (MwSnapshot *snapshot): the snapshot differs from the last one.
 *   "polled"  (const char *provider_id, MwSnapshot *snapshot): a poll of one
 *             provider's page finished, changed or not; the notifier's
 *             damping counts these.
 */

G_END_DECLS
