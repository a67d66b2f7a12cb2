/* mw-probe.h
 *
 * Our own probes of provider APIs: level 1 (no key, reachability and
 * latency), level 2 (a free per-model call with the user's key) and
 * level 3 (a tiny generation, opt-in, within a daily budget), damped so
 * that one slow answer is not an outage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-catalog.h"
#include "mw-fetch.h"
#include "mw-snapshot.h"

G_BEGIN_DECLS

#define MW_TYPE_PROBER (mw_prober_get_type ())
G_DECLARE_FINAL_TYPE (MwProber, mw_prober, MW, PROBER, GObject)

MwProber           *mw_prober_new                (MwCatalog           *catalog,
                                                  MwFetcher           *fetcher);
void                mw_prober_set_interval       (MwProber            *self,
                                                  guint                seconds);
guint               mw_prober_get_interval       (MwProber            *self);
/* FALSE for `status --once`: each probe is taken as observed. */
void                mw_prober_set_damping        (MwProber            *self,
                                                  gboolean             damping);
void                mw_prober_start              (MwProber            *self);
void                mw_prober_stop               (MwProber            *self);
void                mw_prober_check_async        (MwProber            *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean            mw_prober_check_finish       (MwProber            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* transfer none; NULL when the provider has no probe or no result yet */
const MwProbeState *mw_prober_get_provider_state (MwProber            *self,
                                                  const char          *provider_id);
/* transfer none; global model id -> MwProbeState*, or NULL */
GHashTable         *mw_prober_get_model_states   (MwProber            *self,
                                                  const char          *provider_id);

/* Added by the probe implementation. */
#define MW_PROBE_DEFAULT_INTERVAL     60   /* seconds, ± 10 % jitter */
#define MW_PROBE_MIN_INTERVAL         30   /* seconds, for non-loopback hosts */
#define MW_PROBE_DEFAULT_DAILY_BUDGET 24   /* generation calls per model per UTC day */

/* Tests: replaces GNetworkMonitor's answer (which never pauses probes of
 * loopback hosts) for every host. */
void                mw_prober_set_network_available (MwProber         *self,
                                                  gboolean             available);
void                mw_prober_set_daily_budget   (MwProber            *self,
                                                  guint                calls);
/* Seconds between two generation probes of a model; by default the day
 * divided by the budget, so that the budget lasts all day. */
void                mw_prober_set_generate_spacing (MwProber          *self,
                                                  guint                seconds);
/* The database the budget is kept in; by default the one at
 * mw_history_default_path(), opened at the first generation probe. */
void                mw_prober_set_history_path   (MwProber            *self,
                                                  const char          *path);
void                mw_prober_list_models_async  (MwProber            *self,
                                                  const char          *provider_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GStrv               mw_prober_list_models_finish (MwProber            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
