/* mw-provider-row.h
 *
 * One provider: an expandable row with its health, its page's headline and
 * its probe, holding its models, open incidents and components.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-model-row.h"
#include "mw-snapshot.h"

G_BEGIN_DECLS

#define MW_TYPE_PROVIDER_ROW (mw_provider_row_get_type ())
G_DECLARE_FINAL_TYPE (MwProviderRow, mw_provider_row, MW, PROVIDER_ROW, AdwExpanderRow)

MwProviderRow *mw_provider_row_new             (void);
void           mw_provider_row_update          (MwProviderRow         *self,
                                                const MwProviderState *provider,
                                                MwSnapshot            *snapshot);
gboolean       mw_provider_row_suggest_expanded (MwProviderRow        *self);
const char    *mw_provider_row_get_provider_id (MwProviderRow         *self);
MwHealth       mw_provider_row_get_health      (MwProviderRow         *self);
MwModelRow    *mw_provider_row_find_model_row  (MwProviderRow         *self,
                                                const char            *global_id);
GtkWidget     *mw_provider_row_find_incident_row (MwProviderRow       *self,
                                                  const char          *incident_id);

G_END_DECLS
