/* mw-fallback.h
 *
 * Which model to use instead: the first model of a degraded model's chain
 * that is operational with fresh data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-catalog.h"
#include "mw-snapshot.h"

G_BEGIN_DECLS

/* Sets ->fallback of every degraded model in @providers (of MwProviderState). */
void      mw_fallback_fill    (MwCatalog          *catalog,
                               GPtrArray          *providers);
/* The first healthy model of @models (global ids), or NULL. */
char     *mw_fallback_pick    (MwSnapshot         *snapshot,
                               const char * const *models);
gboolean  mw_model_is_healthy (const MwModelState *model);
/* Whether a model of this health gets a suggestion: maintenance and worse. */
gboolean  mw_fallback_wanted  (MwHealth            health);

G_END_DECLS
