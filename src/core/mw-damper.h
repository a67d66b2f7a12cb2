/* mw-damper.h
 *
 * Decides which health changes of a model are worth telling a person
 * about, from the sequence of polls alone: no clock, no bus, no screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-health.h"

G_BEGIN_DECLS

typedef struct {
  MwHealth min_health;       /* notify from: DEGRADED, PARTIAL_OUTAGE or MAJOR_OUTAGE */
  guint    official_polls;   /* polls an official state below major must hold (2) */
  guint    major_polls;      /* polls a major outage must hold (1) */
  guint    probe_polls;      /* polls a probe-driven state must hold (1: the prober damps 3/2) */
  guint    recovery_polls;   /* polls "operational" must hold before a recovery (2) */
  guint    reminder_seconds; /* 0 = no reminders */
} MwDamperConfig;

void mw_damper_config_init_default (MwDamperConfig *config);

typedef enum {
  MW_DAMPER_NONE,
  MW_DAMPER_DEGRADED,   /* a degradation to tell about */
  MW_DAMPER_CHANGED,    /* a told degradation changed severity */
  MW_DAMPER_REMINDER,   /* a told degradation still holds */
  MW_DAMPER_RECOVERED,  /* a told degradation is over */
} MwDamperEvent;

typedef struct {
  MwHealth   health;      /* the health at this poll */
  gboolean   probe_driven;/* our probe alone explains the health */
  GDateTime *since;       /* nullable: when the health began, else the poll time */
} MwDamperInput;

typedef struct {
  MwHealth   health;      /* the health that was told (DEGRADED, CHANGED, REMINDER) */
  GDateTime *since;       /* when the degradation began */
  GTimeSpan  down_for;    /* RECOVERED: from the degradation to the recovery */
} MwDamperInfo;

typedef struct _MwDamper MwDamper;

MwDamper      *mw_damper_new          (const MwDamperConfig *config);
void           mw_damper_free         (MwDamper             *self);
void           mw_damper_set_config   (MwDamper             *self,
                                       const MwDamperConfig *config);
const MwDamperConfig *mw_damper_get_config (MwDamper        *self);

MwDamperEvent  mw_damper_observe      (MwDamper             *self,
                                       const char           *model_id,
                                       const MwDamperInput  *input,
                                       GDateTime            *at,
                                       gboolean              muted,
                                       MwDamperInfo         *info);
gboolean       mw_damper_is_told      (MwDamper             *self,
                                       const char           *model_id);
gboolean       mw_damper_is_recovering (MwDamper            *self,
                                       const char           *model_id);
void           mw_damper_forget       (MwDamper             *self,
                                       const char           *model_id);
GDateTime     *mw_damper_get_since    (MwDamper             *self,
                                       const char           *model_id);

const char    *mw_damper_event_to_string (MwDamperEvent      event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDamper, mw_damper_free)

G_END_DECLS
