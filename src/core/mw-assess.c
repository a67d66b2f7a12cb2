/* mw-assess.c — PLACEHOLDER until the health rules land.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-assess.h"

MwProviderState *mw_assess_provider (const MwProvider *provider, MwObservations *observations, const GError *page_error, GDateTime *fetched_at, const MwProbeState *provider_probe, GHashTable *model_probes) { return NULL; }
GPtrArray *mw_match_models (const MwProvider *provider, const char *text) { return g_ptr_array_new (); }
gboolean mw_text_says_many_models (const char *text) { return FALSE; }
