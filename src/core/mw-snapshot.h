/* mw-snapshot.h
 *
 * The immutable state of everything Modelwatch watches at one moment, and
 * its JSON form (DESIGN.md, "status --json"), which is also what the
 * service publishes on D-Bus and what the window reads back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mw-health.h"

G_BEGIN_DECLS

typedef struct {
  char     *id;
  char     *name;
  MwHealth  health;
} MwComponentState;

typedef struct {
  GDateTime *at;                 /* nullable */
  char      *status;             /* nullable */
  char      *body;               /* nullable */
} MwUpdateState;

typedef struct {
  char       *id;
  char       *name;
  char       *status;            /* nullable */
  char       *impact;            /* nullable */
  char       *url;               /* nullable */
  MwHealth    health;
  gboolean    maintenance;
  GDateTime  *started_at;        /* nullable */
  GDateTime  *updated_at;        /* nullable */
  GStrv       models;            /* global ids named by the incident */
  GStrv       components;        /* names of the components it affects */
  GPtrArray  *updates;           /* of MwUpdateState, oldest first */
} MwIncidentState;

/* A signal we measured ourselves; health UNKNOWN when there is none yet. */
typedef struct {
  MwHealth   health;
  gint64     latency_ms;         /* -1 when unknown */
  GDateTime *checked_at;         /* nullable */
  char      *error;              /* nullable: one line */
  char      *detail;             /* nullable: "failing 3/3 (HTTP 503)" */
} MwProbeState;

typedef struct {
  char         *id;              /* global id "anthropic/claude-opus-4-7" */
  char         *name;
  MwHealth      health;          /* worst of official and probe */
  MwHealth      official;        /* UNKNOWN when the page could not be read */
  MwProbeState *probe;           /* nullable: no per-model or provider probe */
  GDateTime    *since;           /* nullable: when the current health began */
  char         *reason;          /* nullable: incident title or probe error */
  char         *fallback;        /* nullable: global id of the suggestion */
  gboolean      stale;           /* its data is older than it should be */
} MwModelState;

typedef struct {
  char         *id;
  char         *name;
  MwHealth      health;
  char         *page_url;
  MwHealth      page_health;     /* the official signal of the page */
  char         *description;     /* nullable: the page's headline */
  GDateTime    *fetched_at;      /* nullable: last successful read */
  char         *error;           /* nullable: why the page could not be read */
  GPtrArray    *components;      /* of MwComponentState, watched ones only */
  GPtrArray    *incidents;       /* of MwIncidentState */
  MwProbeState *probe;           /* nullable: the provider's API probe */
  GPtrArray    *models;          /* of MwModelState */
} MwProviderState;

typedef struct _MwSnapshot MwSnapshot;

#define MW_SNAPSHOT_ERROR (mw_snapshot_error_quark ())

typedef enum {
  MW_SNAPSHOT_ERROR_SYNTAX,   /* not JSON */
  MW_SNAPSHOT_ERROR_INVALID,  /* JSON, but not the shape of a snapshot */
} MwSnapshotError;

#define MW_TYPE_SNAPSHOT (mw_snapshot_get_type ())

GQuark           mw_snapshot_error_quark        (void);
GType            mw_snapshot_get_type           (void) G_GNUC_CONST;

MwSnapshot      *mw_snapshot_new                (GDateTime   *checked_at,
                                                 gboolean     offline,
                                                 GPtrArray   *providers);
MwSnapshot      *mw_snapshot_new_from_json      (const char  *json,
                                                 GError     **error);
MwSnapshot      *mw_snapshot_ref                (MwSnapshot  *self);
void             mw_snapshot_unref              (MwSnapshot  *self);

GDateTime       *mw_snapshot_get_checked_at     (MwSnapshot  *self);
MwHealth         mw_snapshot_get_health         (MwSnapshot  *self);
gboolean         mw_snapshot_get_offline        (MwSnapshot  *self);
guint            mw_snapshot_get_n_providers    (MwSnapshot  *self);
const MwProviderState *mw_snapshot_get_provider (MwSnapshot  *self,
                                                 guint        index);
const MwProviderState *mw_snapshot_find_provider (MwSnapshot *self,
                                                  const char *provider_id);
const MwModelState *mw_snapshot_find_model      (MwSnapshot  *self,
                                                 const char  *global_id);

JsonNode        *mw_snapshot_to_json_node       (MwSnapshot  *self,
                                                 const char * const *provider_ids);
char            *mw_snapshot_to_json            (MwSnapshot  *self,
                                                 const char * const *provider_ids,
                                                 gboolean     pretty);
gboolean         mw_snapshot_equal              (MwSnapshot  *a,
                                                 MwSnapshot  *b);

/* Constructors for the parts; the snapshot takes ownership of what it is given. */
MwProviderState *mw_provider_state_new          (const char  *id,
                                                 const char  *name);
void             mw_provider_state_free         (MwProviderState *state);
MwModelState    *mw_model_state_new             (const char  *global_id,
                                                 const char  *name);
void             mw_model_state_free            (MwModelState *state);
MwIncidentState *mw_incident_state_new          (const char  *id,
                                                 const char  *name);
void             mw_incident_state_free         (MwIncidentState *state);
MwProbeState    *mw_probe_state_new             (void);
MwProbeState    *mw_probe_state_copy            (const MwProbeState *state);
void             mw_probe_state_free            (MwProbeState *state);
MwComponentState *mw_component_state_new        (const char  *id,
                                                 const char  *name,
                                                 MwHealth     health);
void             mw_component_state_free        (MwComponentState *state);
MwUpdateState   *mw_update_state_new            (GDateTime   *at,
                                                 const char  *status,
                                                 const char  *body);
void             mw_update_state_free           (MwUpdateState *state);
MwProviderState *mw_provider_state_copy         (const MwProviderState *state);
MwModelState    *mw_model_state_copy            (const MwModelState *state);
MwIncidentState *mw_incident_state_copy         (const MwIncidentState *state);

char            *mw_format_iso8601              (GDateTime   *time);
char            *mw_format_duration             (GTimeSpan    span);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSnapshot, mw_snapshot_unref)

G_END_DECLS
