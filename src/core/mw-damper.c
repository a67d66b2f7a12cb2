/* mw-damper.c
 *
 * The notification damping of DESIGN.md ("Damping") as a pure state
 * machine per model, fed once per poll of its provider.
 *
 * The rules, precisely:
 *  - A model is "bad" at a poll when its health is at least the configured
 *    severity (degraded by default), "good" when it is operational, and
 *    "neutral" otherwise: unknown (we cannot tell), maintenance (planned:
 *    never alarmed), or degraded below the configured severity.  A neutral
 *    poll breaks every streak but does not end a degradation already told.
 *  - A degradation is told once the model has been bad for enough
 *    consecutive polls: 1 for a major outage (status pages do not publish
 *    those lightly, and the person wants to know at once), 1 for a state
 *    our own probe explains (the prober already damps 3 failures / 2
 *    successes), 2 for any other official state.
 *  - While told, a different severity that holds as long as its own rule
 *    asks is told as a change (the notifier replaces its notification).
 *  - A recovery is told only for a told degradation, and only after the
 *    model has been operational for 2 consecutive polls, so a provider
 *    flapping every poll yields one notification at most.
 *  - A reminder for a told, still-bad model comes at most every
 *    reminder_seconds (0, the default, turns them off).
 *  - While muted, nothing is told: a degradation that starts is not
 *    marked told (so it is told when the mute ends, if it still holds), and
 *    a told one that ends is forgotten silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-damper.h"

typedef struct {
  gboolean   told;
  MwHealth   told_health;
  GDateTime *told_at;         /* last time something about it was told */
  GDateTime *bad_since;       /* start of the current degradation */
  GDateTime *good_since;      /* start of the current good streak */
  MwHealth   last_health;
  guint      bad_streak;      /* consecutive bad polls */
  guint      same_streak;     /* consecutive polls at exactly last_health */
  guint      good_streak;     /* consecutive operational polls */
} ModelTrack;

struct _MwDamper {
  MwDamperConfig  config;
  GHashTable     *tracks;     /* model id -> ModelTrack */
};

static void
model_track_free (gpointer data)
{
  ModelTrack *track = data;

  g_clear_pointer (&track->told_at, g_date_time_unref);
  g_clear_pointer (&track->bad_since, g_date_time_unref);
  g_clear_pointer (&track->good_since, g_date_time_unref);
  g_free (track);
}

/**
 * mw_damper_config_init_default:
 * @config: (out caller-allocates): the configuration to fill
 *
 * The defaults of DESIGN.md and of the GSettings schema.
 */
void
mw_damper_config_init_default (MwDamperConfig *config)
{
  g_return_if_fail (config != NULL);

  config->min_health = MW_HEALTH_DEGRADED;
  config->official_polls = 2;
  config->major_polls = 1;
  config->probe_polls = 1;
  config->recovery_polls = 2;
  config->reminder_seconds = 0;
}

MwDamper *
mw_damper_new (const MwDamperConfig *config)
{
  MwDamper *self = g_new0 (MwDamper, 1);

  self->tracks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, model_track_free);
  if (config != NULL)
    mw_damper_set_config (self, config);
  else
    mw_damper_config_init_default (&self->config);

  return self;
}

void
mw_damper_free (MwDamper *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->tracks);
  g_free (self);
}

void
mw_damper_set_config (MwDamper             *self,
                      const MwDamperConfig *config)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (config != NULL);

  self->config = *config;

  /* Zero polls would tell a state that never held. */
  self->config.official_polls = MAX (config->official_polls, 1);
  self->config.major_polls = MAX (config->major_polls, 1);
  self->config.probe_polls = MAX (config->probe_polls, 1);
  self->config.recovery_polls = MAX (config->recovery_polls, 1);
  if (!mw_health_is_degraded (self->config.min_health))
    self->config.min_health = MW_HEALTH_DEGRADED;
}

const MwDamperConfig *
mw_damper_get_config (MwDamper *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->config;
}

static guint
polls_needed (MwDamper            *self,
              const MwDamperInput *input)
{
  if (input->health == MW_HEALTH_MAJOR_OUTAGE)
    return self->config.major_polls;
  if (input->probe_driven)
    return self->config.probe_polls;
  return self->config.official_polls;
}

static void
set_time (GDateTime **slot,
          GDateTime  *time)
{
  if (time != NULL)
    g_date_time_ref (time);
  g_clear_pointer (slot, g_date_time_unref);
  *slot = time;
}

static void
fill_info (MwDamperInfo *info,
           ModelTrack   *track,
           MwHealth      health)
{
  if (info == NULL)
    return;

  info->health = health;
  info->since = track->bad_since;
  info->down_for = 0;
}

/**
 * mw_damper_observe:
 * @self: a damper
 * @model_id: the model's global id
 * @input: what this poll of the model's provider said about it
 * @at: when the poll happened (the snapshot's time, not the wall clock,
 *   so that replays and tests can compress time)
 * @muted: whether its provider's notifications are muted now
 * @info: (out caller-allocates) (optional): what to tell; its times are
 *   owned by the damper and valid until the next call for @model_id
 *
 * Feeds one poll of one model.
 *
 * Returns: what, if anything, is worth telling now
 */
MwDamperEvent
mw_damper_observe (MwDamper            *self,
                   const char          *model_id,
                   const MwDamperInput *input,
                   GDateTime           *at,
                   gboolean             muted,
                   MwDamperInfo        *info)
{
  ModelTrack *track;
  GDateTime *since;

  g_return_val_if_fail (self != NULL, MW_DAMPER_NONE);
  g_return_val_if_fail (model_id != NULL, MW_DAMPER_NONE);
  g_return_val_if_fail (input != NULL, MW_DAMPER_NONE);
  g_return_val_if_fail (at != NULL, MW_DAMPER_NONE);

  if (info != NULL)
    memset (info, 0, sizeof *info);

  track = g_hash_table_lookup (self->tracks, model_id);
  if (track == NULL)
    {
      track = g_new0 (ModelTrack, 1);
      track->last_health = MW_HEALTH_UNKNOWN;
      g_hash_table_insert (self->tracks, g_strdup (model_id), track);
    }

  since = input->since != NULL ? input->since : at;

  if (input->health == track->last_health)
    track->same_streak++;
  else
    track->same_streak = 1;
  track->last_health = input->health;

  if (input->health >= self->config.min_health)
    {
      /* Bad. */
      track->good_streak = 0;
      g_clear_pointer (&track->good_since, g_date_time_unref);
      if (track->bad_streak == 0 && !track->told)
        set_time (&track->bad_since, since);
      track->bad_streak++;

      if (!track->told)
        {
          if (track->bad_streak < polls_needed (self, input) || muted)
            return MW_DAMPER_NONE;

          track->told = TRUE;
          track->told_health = input->health;
          set_time (&track->told_at, at);
          fill_info (info, track, input->health);
          return MW_DAMPER_DEGRADED;
        }

      if (muted)
        return MW_DAMPER_NONE;

      if (input->health != track->told_health
          && track->same_streak >= polls_needed (self, input))
        {
          track->told_health = input->health;
          set_time (&track->told_at, at);
          fill_info (info, track, input->health);
          return MW_DAMPER_CHANGED;
        }

      if (self->config.reminder_seconds > 0
          && g_date_time_difference (at, track->told_at)
             >= (GTimeSpan) self->config.reminder_seconds * G_TIME_SPAN_SECOND)
        {
          set_time (&track->told_at, at);
          fill_info (info, track, track->told_health);
          return MW_DAMPER_REMINDER;
        }

      return MW_DAMPER_NONE;
    }

  track->bad_streak = 0;

  if (input->health != MW_HEALTH_OPERATIONAL)
    {
      /* Neutral: unknown, maintenance, or below the configured severity. */
      track->good_streak = 0;
      g_clear_pointer (&track->good_since, g_date_time_unref);
      if (!track->told)
        g_clear_pointer (&track->bad_since, g_date_time_unref);
      return MW_DAMPER_NONE;
    }

  /* Good.  A "since" from before the degradation began describes an older
   * operational spell (or none at all): the recovery is this poll. */
  if (track->bad_since != NULL && g_date_time_compare (since, track->bad_since) <= 0)
    since = at;
  if (track->good_streak == 0)
    set_time (&track->good_since, since);
  track->good_streak++;

  if (!track->told)
    {
      g_clear_pointer (&track->bad_since, g_date_time_unref);
      return MW_DAMPER_NONE;
    }

  if (track->good_streak < self->config.recovery_polls)
    return MW_DAMPER_NONE;

  track->told = FALSE;
  if (muted)
    return MW_DAMPER_NONE;

  fill_info (info, track, MW_HEALTH_OPERATIONAL);
  if (info != NULL && track->bad_since != NULL)
    info->down_for = MAX (g_date_time_difference (track->good_since, track->bad_since), 0);
  set_time (&track->told_at, at);

  return MW_DAMPER_RECOVERED;
}

/* Whether a degradation of @model_id has been told and is not over. */
gboolean
mw_damper_is_told (MwDamper   *self,
                   const char *model_id)
{
  ModelTrack *track;

  g_return_val_if_fail (self != NULL, FALSE);

  track = g_hash_table_lookup (self->tracks, model_id);
  return track != NULL && track->told;
}

/* Whether a told degradation of @model_id looks over but is not yet
 * confirmed by enough operational polls. */
gboolean
mw_damper_is_recovering (MwDamper   *self,
                         const char *model_id)
{
  ModelTrack *track;

  g_return_val_if_fail (self != NULL, FALSE);

  track = g_hash_table_lookup (self->tracks, model_id);
  return track != NULL && track->told && track->good_streak > 0;
}

/* When the current degradation of @model_id began, or NULL. */
GDateTime *
mw_damper_get_since (MwDamper   *self,
                     const char *model_id)
{
  ModelTrack *track;

  g_return_val_if_fail (self != NULL, NULL);

  track = g_hash_table_lookup (self->tracks, model_id);
  return track != NULL ? track->bad_since : NULL;
}

void
mw_damper_forget (MwDamper   *self,
                  const char *model_id)
{
  g_return_if_fail (self != NULL);

  g_hash_table_remove (self->tracks, model_id);
}

const char *
mw_damper_event_to_string (MwDamperEvent event)
{
  switch (event)
    {
    case MW_DAMPER_NONE:
      return "none";
    case MW_DAMPER_DEGRADED:
      return "degraded";
    case MW_DAMPER_CHANGED:
      return "changed";
    case MW_DAMPER_REMINDER:
      return "reminder";
    case MW_DAMPER_RECOVERED:
      return "recovered";
    default:
      return "invalid";
    }
}
