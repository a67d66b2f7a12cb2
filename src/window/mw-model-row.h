/* mw-model-row.h
 *
 * One model inside a provider row: its health, since when, why, from which
 * source, and what to use instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-snapshot.h"

G_BEGIN_DECLS

#define MW_TYPE_MODEL_ROW (mw_model_row_get_type ())
G_DECLARE_FINAL_TYPE (MwModelRow, mw_model_row, MW, MODEL_ROW, AdwActionRow)

MwModelRow *mw_model_row_new        (void);
void        mw_model_row_update     (MwModelRow         *self,
                                     const MwModelState *model,
                                     MwSnapshot         *snapshot);
const char *mw_model_row_get_model_id (MwModelRow       *self);
MwHealth    mw_model_row_get_health (MwModelRow         *self);

G_END_DECLS
