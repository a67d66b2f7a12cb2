/* mw-observation.h
 *
 * What one status page said at one moment, in platform-neutral terms:
 * components with health, open incidents and maintenances.  Every reader
 * in sources/ produces one of these; nothing above the readers knows which
 * platform a page runs on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mw-health.h"

G_BEGIN_DECLS

typedef struct {
  char     *id;           /* the platform's own id (or the name, if none) */
  char     *name;
  char     *group_name;   /* nullable: the section or group it sits in */
  char     *raw_status;   /* nullable: the word the page used */
  MwHealth  health;       /* UNKNOWN for a word outside the mapping */
} MwComponentObs;

typedef struct {
  GDateTime *at;          /* nullable */
  char      *status;      /* nullable: "investigating", "identified", … */
  char      *body;        /* nullable: plain text */
} MwUpdateObs;

typedef struct {
  char       *id;
  char       *name;          /* the title */
  char       *status;        /* nullable: platform lifecycle word */
  char       *impact;        /* nullable: the word the page used */
  char       *url;           /* nullable: a link a person can open */
  MwHealth    health;        /* impact mapped; at least DEGRADED when open */
  gboolean    maintenance;   /* an in-progress maintenance, not an incident */
  GDateTime  *started_at;    /* nullable */
  GDateTime  *updated_at;    /* nullable */
  GPtrArray  *updates;       /* of MwUpdateObs, oldest first */
  GPtrArray  *component_ids; /* of char*, every component the page links */
} MwIncidentObs;

/**
 * MwObservations:
 *
 * Immutable once a reader returns it. Only incidents that are open and
 * maintenances that are in progress are listed; resolved ones and
 * upcoming maintenances are dropped by the readers.
 */
typedef struct {
  char      *page_name;      /* nullable */
  char      *description;    /* nullable: the page's own headline */
  MwHealth   indicator;      /* page-wide indicator; UNKNOWN if none */
  GPtrArray *components;     /* of MwComponentObs, group headers dropped */
  GPtrArray *incidents;      /* of MwIncidentObs, newest first */
} MwObservations;

#define MW_TYPE_OBSERVATIONS (mw_observations_get_type ())

GType           mw_observations_get_type       (void) G_GNUC_CONST;
MwObservations *mw_observations_new            (void);
MwObservations *mw_observations_ref            (MwObservations *self);
void            mw_observations_unref          (MwObservations *self);

MwComponentObs *mw_observations_add_component  (MwObservations *self,
                                                const char     *id,
                                                const char     *name,
                                                MwHealth        health);
MwIncidentObs  *mw_observations_add_incident   (MwObservations *self,
                                                const char     *id,
                                                const char     *name);
const MwComponentObs *mw_observations_find_component (const MwObservations *self,
                                                      const char           *id_or_name);
void            mw_observations_sort_incidents (MwObservations *self);

void            mw_incident_obs_add_component  (MwIncidentObs  *incident,
                                                const char     *component_id);
gboolean        mw_incident_obs_has_component  (const MwIncidentObs *incident,
                                                const char          *component_id);
MwUpdateObs    *mw_incident_obs_add_update     (MwIncidentObs  *incident,
                                                GDateTime      *at,
                                                const char     *status,
                                                const char     *body);
void            mw_incident_obs_sort_updates   (MwIncidentObs  *incident);
const MwUpdateObs *mw_incident_obs_latest_update (const MwIncidentObs *incident);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwObservations, mw_observations_unref)

G_END_DECLS
