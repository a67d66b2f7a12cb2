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

#include "mw-health.h"

G_BEGIN_DECLS

#define MW_HISTORY_ERROR (mw_history_error_quark ())

typedef enum {
  MW_HISTORY_ERROR_OPEN,      /* the database cannot be opened or created */
  MW_HISTORY_ERROR_QUERY,     /* a statement failed */
  MW_HISTORY_ERROR_NOT_FOUND, /* mw_history_open_existing(): no database yet */
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

/* Transitions and uptime {{{ */

/* Rows older than this are pruned when the service starts. */
#define MW_HISTORY_KEEP_DAYS 90

typedef enum {
  MW_HISTORY_KIND_MODEL,
  MW_HISTORY_KIND_PROVIDER,
} MwHistoryKind;

typedef enum {
  MW_HISTORY_SOURCE_OFFICIAL,
  MW_HISTORY_SOURCE_PROBE,
} MwHistorySource;

/* One change of health of a model or a provider, as the snapshots showed
 * it. Only snapshot fields: never a key, a request or an answer. */
typedef struct {
  gint64          at;          /* unix time */
  char           *subject;     /* global model id, or provider id */
  MwHistoryKind   kind;
  gboolean        initial;     /* first state of a watch session: no old health */
  MwHealth        old_health;  /* UNKNOWN when @initial */
  MwHealth        new_health;
  char           *reason;      /* nullable: incident title, page or probe error */
  MwHistorySource source;      /* which signal made the change */
  gint64          duration;    /* read back only: seconds spent in @old_health, -1 if not known */
} MwTransition;

/* What the history knows of one subject over a window of time. */
typedef struct {
  char          *subject;
  MwHistoryKind  kind;
  gint64         since;
  gint64         until;
  gint64         up_seconds;     /* operational or maintenance */
  gint64         known_seconds;  /* any health but unknown, while watched */
  GPtrArray     *transitions;    /* of MwTransition, since <= at <= until, oldest first */
} MwTimeline;

MwTransition *mw_transition_new              (const char     *subject,
                                              MwHistoryKind   kind);
void          mw_transition_free             (MwTransition   *transition);
void          mw_timeline_free               (MwTimeline     *timeline);
double        mw_timeline_get_uptime         (const MwTimeline *timeline);
const char   *mw_history_kind_to_string      (MwHistoryKind   kind);
const char   *mw_history_source_to_string    (MwHistorySource source);

MwHistory    *mw_history_open_existing       (const char     *path,
                                              GError        **error);
gint64        mw_history_begin_session       (MwHistory      *self,
                                              gint64          now,
                                              GError        **error);
gboolean      mw_history_touch_session       (MwHistory      *self,
                                              gint64          session,
                                              gint64          now,
                                              GError        **error);
gboolean      mw_history_record              (MwHistory      *self,
                                              gint64          session,
                                              gint64          now,
                                              GPtrArray      *transitions,
                                              GError        **error);
gboolean      mw_history_prune               (MwHistory      *self,
                                              gint64          before,
                                              guint          *n_removed,
                                              GError        **error);
GPtrArray    *mw_history_get_timelines       (MwHistory      *self,
                                              const char     *subject,
                                              gint64          since,
                                              gint64          until,
                                              GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwTransition, mw_transition_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwTimeline, mw_timeline_free)

/* }}} */

G_END_DECLS
