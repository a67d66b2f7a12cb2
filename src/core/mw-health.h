/* mw-health.h
 *
 * The health scale every reader, probe and view reduces its signals to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * MwHealth:
 * @MW_HEALTH_UNKNOWN: no fresh, readable data; never shown as operational
 * @MW_HEALTH_OPERATIONAL: working as published
 * @MW_HEALTH_MAINTENANCE: planned maintenance in progress
 * @MW_HEALTH_DEGRADED: slower or erroring for some requests
 * @MW_HEALTH_PARTIAL_OUTAGE: failing for a part of requests or regions
 * @MW_HEALTH_MAJOR_OUTAGE: failing for most or all requests
 *
 * The values are ordered by severity, except %MW_HEALTH_UNKNOWN, which
 * mw_health_worst() treats as "no signal".
 */
typedef enum {
  MW_HEALTH_UNKNOWN,
  MW_HEALTH_OPERATIONAL,
  MW_HEALTH_MAINTENANCE,
  MW_HEALTH_DEGRADED,
  MW_HEALTH_PARTIAL_OUTAGE,
  MW_HEALTH_MAJOR_OUTAGE,
} MwHealth;

#define MW_HEALTH_LAST MW_HEALTH_MAJOR_OUTAGE

const char *mw_health_to_string    (MwHealth    health);
gboolean    mw_health_from_string  (const char *word,
                                    MwHealth   *health);
const char *mw_health_to_label     (MwHealth    health);
const char *mw_health_icon_name    (MwHealth    health);
MwHealth    mw_health_worst        (MwHealth    a,
                                    MwHealth    b);
gboolean    mw_health_is_degraded  (MwHealth    health);
int         mw_health_exit_code    (MwHealth    health);

/* One row of a platform's word table: what a page says, and what it means. */
typedef struct {
  const char *word;
  MwHealth    health;
} MwHealthWord;

MwHealth    mw_health_from_words   (const MwHealthWord *table,
                                    gsize               n_words,
                                    const char         *word);
MwHealth    mw_health_from_component_status (const char *status);
MwHealth    mw_health_from_impact           (const char *impact);

G_END_DECLS
