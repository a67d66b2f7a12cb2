/* mw-health.c
 *
 * The health scale: names, labels, icons and the worst-of rule.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-health.h"

static const char * const words[] = {
  [MW_HEALTH_UNKNOWN] = "unknown",
  [MW_HEALTH_OPERATIONAL] = "operational",
  [MW_HEALTH_MAINTENANCE] = "maintenance",
  [MW_HEALTH_DEGRADED] = "degraded",
  [MW_HEALTH_PARTIAL_OUTAGE] = "partial_outage",
  [MW_HEALTH_MAJOR_OUTAGE] = "major_outage",
};

const char *
mw_health_to_string (MwHealth health)
{
  g_return_val_if_fail (health <= MW_HEALTH_LAST, "unknown");

  return words[health];
}

gboolean
mw_health_from_string (const char *word,
                       MwHealth   *health)
{
  g_return_val_if_fail (health != NULL, FALSE);

  for (guint i = 0; word != NULL && i < G_N_ELEMENTS (words); i++)
    {
      if (g_str_equal (word, words[i]))
        {
          *health = (MwHealth) i;
          return TRUE;
        }
    }

  *health = MW_HEALTH_UNKNOWN;
  return FALSE;
}

const char *
mw_health_to_label (MwHealth health)
{
  switch (health)
    {
    case MW_HEALTH_OPERATIONAL:
      return _("Operational");
    case MW_HEALTH_MAINTENANCE:
      return _("Maintenance");
    case MW_HEALTH_DEGRADED:
      return _("Degraded");
    case MW_HEALTH_PARTIAL_OUTAGE:
      return _("Partial outage");
    case MW_HEALTH_MAJOR_OUTAGE:
      return _("Major outage");
    case MW_HEALTH_UNKNOWN:
    default:
      return _("Unknown");
    }
}

/* Each level has its own shape, so that colour is never the only cue. */
const char *
mw_health_icon_name (MwHealth health)
{
  switch (health)
    {
    case MW_HEALTH_OPERATIONAL:
      return "modelwatch-operational";
    case MW_HEALTH_MAINTENANCE:
      return "modelwatch-maintenance";
    case MW_HEALTH_DEGRADED:
      return "modelwatch-degraded";
    case MW_HEALTH_PARTIAL_OUTAGE:
      return "modelwatch-partial-outage";
    case MW_HEALTH_MAJOR_OUTAGE:
      return "modelwatch-major-outage";
    case MW_HEALTH_UNKNOWN:
    default:
      return "modelwatch-unknown";
    }
}

/**
 * mw_health_worst:
 *
 * Returns: the more severe of @a and @b; %MW_HEALTH_UNKNOWN only when both
 *   are unknown, since "unknown" means that no signal is known.
 */
MwHealth
mw_health_worst (MwHealth a,
                 MwHealth b)
{
  if (a == MW_HEALTH_UNKNOWN)
    return b;
  if (b == MW_HEALTH_UNKNOWN)
    return a;
  return MAX (a, b);
}

gboolean
mw_health_is_degraded (MwHealth health)
{
  return health >= MW_HEALTH_DEGRADED;
}

/* The exit code of `modelwatch status` for an overall health. */
int
mw_health_exit_code (MwHealth health)
{
  switch (health)
    {
    case MW_HEALTH_MAJOR_OUTAGE:
      return 2;
    case MW_HEALTH_DEGRADED:
    case MW_HEALTH_PARTIAL_OUTAGE:
      return 1;
    case MW_HEALTH_UNKNOWN:
      return 3;
    case MW_HEALTH_OPERATIONAL:
    case MW_HEALTH_MAINTENANCE:
    default:
      return 0;
    }
}

/**
 * mw_health_from_words:
 * @table: a platform's words and what they mean
 * @n_words: the number of rows of @table
 * @word: (nullable): the word a page used
 *
 * Returns: the health of @word, or %MW_HEALTH_UNKNOWN for a word outside
 *   @table (and for %NULL): a word we do not know is never operational
 */
MwHealth
mw_health_from_words (const MwHealthWord *table,
                      gsize               n_words,
                      const char         *word)
{
  for (gsize i = 0; word != NULL && i < n_words; i++)
    if (g_str_equal (word, table[i].word))
      return table[i].health;

  return MW_HEALTH_UNKNOWN;
}

/**
 * mw_health_from_component_status:
 * @status: a Statuspage or incident.io component status word
 *
 * Any word not in the table is %MW_HEALTH_UNKNOWN, never operational.
 */
MwHealth
mw_health_from_component_status (const char *status)
{
  static const MwHealthWord map[] = {
    { "operational", MW_HEALTH_OPERATIONAL },
    { "under_maintenance", MW_HEALTH_MAINTENANCE },
    { "degraded_performance", MW_HEALTH_DEGRADED },
    { "partial_outage", MW_HEALTH_PARTIAL_OUTAGE },
    { "major_outage", MW_HEALTH_MAJOR_OUTAGE },
    { "full_outage", MW_HEALTH_MAJOR_OUTAGE },
  };

  return mw_health_from_words (map, G_N_ELEMENTS (map), status);
}

/**
 * mw_health_from_impact:
 * @impact: an incident impact or page indicator word
 *
 * "none" maps to degraded: an open incident is never less than that.
 */
MwHealth
mw_health_from_impact (const char *impact)
{
  static const MwHealthWord map[] = {
    { "none", MW_HEALTH_DEGRADED },
    { "minor", MW_HEALTH_DEGRADED },
    { "major", MW_HEALTH_PARTIAL_OUTAGE },
    { "critical", MW_HEALTH_MAJOR_OUTAGE },
    { "maintenance", MW_HEALTH_MAINTENANCE },
  };

  if (impact == NULL)
    return MW_HEALTH_DEGRADED;

  return mw_health_from_words (map, G_N_ELEMENTS (map), impact);
}
