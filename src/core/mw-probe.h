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

G_END_DECLS
