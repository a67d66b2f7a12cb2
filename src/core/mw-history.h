/* mw-history.h
 *
 * The local SQLite record ($XDG_STATE_HOME/modelwatch/history.db). For
 * now it holds what must survive a restart: the generation probes spent
 * per model per UTC day, which the daily budget is checked against.
 * It never stores keys, request bodies or answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MW_HISTORY_ERROR (mw_history_error_quark ())

typedef enum {
  MW_HISTORY_ERROR_OPEN,      /* the database cannot be opened or created */
  MW_HISTORY_ERROR_QUERY,     /* a statement failed */
} MwHistoryError;

/* What one model spent on one day. */
typedef struct {
  guint   calls;
  guint64 input_tokens;
  guint64 output_tokens;
  double  cost_usd;         /* our estimate, an upper bound */
  gint64  last_at;          /* unix time of the model's last call, any day; 0 = never */
} MwProbeSpend;

#define MW_TYPE_HISTORY (mw_history_get_type ())
G_DECLARE_FINAL_TYPE (MwHistory, mw_history, MW, HISTORY, GObject)

GQuark      mw_history_error_quark       (void);
char       *mw_history_default_path      (void);
MwHistory  *mw_history_new               (const char    *path,
                                          GError       **error);
const char *mw_history_get_path          (MwHistory     *self);
char       *mw_history_day               (GDateTime     *at);

gboolean    mw_history_get_probe_spend   (MwHistory     *self,
                                          const char    *model_id,
                                          const char    *day,
                                          MwProbeSpend  *spend,
                                          GError       **error);
gboolean    mw_history_reserve_probe_call (MwHistory    *self,
                                          const char    *model_id,
                                          const char    *day,
                                          guint          budget,
                                          gint64         now,
                                          guint          min_spacing,
                                          MwProbeSpend  *spend,
                                          GError       **error);
gboolean    mw_history_add_probe_usage   (MwHistory     *self,
                                          const char    *model_id,
                                          const char    *day,
                                          guint64        input_tokens,
                                          guint64        output_tokens,
                                          double         cost_usd,
                                          GError       **error);

G_END_DECLS
