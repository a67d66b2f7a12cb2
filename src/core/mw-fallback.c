/* mw-fallback.c — PLACEHOLDER until the fallback policy lands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-fallback.h"

void mw_fallback_fill (MwCatalog *catalog, GPtrArray *providers) { }
char *mw_fallback_pick (MwSnapshot *snapshot, const char * const *models) { return NULL; }
gboolean mw_model_is_healthy (const MwModelState *model) { return FALSE; }
