/* mw-assess.h
 *
 * The health rules of DESIGN.md as pure functions: from a catalog entry,
 * what its page said (or why it could not be read) and our probes, to the
 * state of the provider and of each of its models.  No I/O, no clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-catalog.h"
#include "mw-observation.h"
#include "mw-snapshot.h"

G_BEGIN_DECLS

MwProviderState *mw_assess_provider (const MwProvider   *provider,
                                     MwObservations     *observations,
                                     const GError       *page_error,
                                     GDateTime          *fetched_at,
                                     const MwProbeState *provider_probe,
                                     GHashTable         *model_probes);

GPtrArray       *mw_match_models    (const MwProvider   *provider,
                                     const char         *text);
gboolean         mw_text_says_many_models (const char   *text);

G_END_DECLS
