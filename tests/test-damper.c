/* test-damper.c
 *
 * The notification damping rules as pure sequences of polls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-damper.h"

#define OP    MW_HEALTH_OPERATIONAL
#define MAINT MW_HEALTH_MAINTENANCE
#define DEG   MW_HEALTH_DEGRADED
#define PART  MW_HEALTH_PARTIAL_OUTAGE
#define MAJOR MW_HEALTH_MAJOR_OUTAGE
#define UNK   MW_HEALTH_UNKNOWN

#define N  MW_DAMPER_NONE
#define D  MW_DAMPER_DEGRADED
#define C  MW_DAMPER_CHANGED
#define RM MW_DAMPER_REMINDER
#define RC MW_DAMPER_RECOVERED

/* 2026-06-05 15:00 UTC, one poll a minute. */
static GDateTime *
poll_time (guint poll)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 6, 5, 15, 0, 0);

  return g_date_time_add_minutes (start, poll);
}

/* Feeds @n healths (one per poll) and returns the events as a string such
 * as "N N D N RC", which keeps the expectations readable. */
static char *
run (MwDamper       *damper,
     const MwHealth *healths,
     guint           n,
     gboolean        probe_driven,
     guint           first_poll)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) at = poll_time (first_poll + i);
      MwDamperInput input = { healths[i], probe_driven, NULL };
      MwDamperEvent event = mw_damper_observe (damper, "anthropic/claude-opus-4-7",
                                               &input, at, FALSE, NULL);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, mw_damper_event_to_string (event));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define ASSERT_RUN(damper, probe, expected, ...) \
  G_STMT_START { \
    const MwHealth seq_[] = { __VA_ARGS__ }; \
    g_autofree char *got_ = run (damper, seq_, G_N_ELEMENTS (seq_), probe, 0); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

static void
test_defaults (void)
{
  MwDamperConfig config;

  mw_damper_config_init_default (&config);
  g_assert_cmpint (config.min_health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpuint (config.official_polls, ==, 2);
  g_assert_cmpuint (config.major_polls, ==, 1);
  g_assert_cmpuint (config.probe_polls, ==, 1);
  g_assert_cmpuint (config.recovery_polls, ==, 2);
  g_assert_cmpuint (config.reminder_seconds, ==, 0);
}

static void
test_official_degradation_waits_two_polls (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);

  ASSERT_RUN (damper, FALSE, "none degraded none none recovered none none",
              DEG, DEG, DEG, OP, OP, OP, OP);
}

static void
test_one_poll_blip_is_silent (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);

  ASSERT_RUN (damper, FALSE, "none none none none none",
              OP, PART, OP, OP, OP);
  g_assert_false (mw_damper_is_told (damper, "anthropic/claude-opus-4-7"));
}

static void
test_major_outage_is_told_at_once (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);
  g_autoptr(GDateTime) at0 = poll_time (0);
  g_autoptr(GDateTime) at1 = poll_time (1);
  g_autoptr(GDateTime) at2 = poll_time (2);
  g_autoptr(GDateTime) at3 = poll_time (3);
  g_autoptr(GDateTime) began = g_date_time_new_utc (2026, 6, 5, 14, 58, 0);
  MwDamperInput major = { MAJOR, FALSE, began };
  MwDamperInput op = { OP, FALSE, NULL };
  MwDamperInfo info;

  g_assert_cmpint (mw_damper_observe (damper, "m", &major, at0, FALSE, &info), ==, D);
  g_assert_cmpint (info.health, ==, MAJOR);
  /* Since when: the time the page gave, not the time of our poll. */
  g_assert_true (g_date_time_equal (info.since, began));

  g_assert_cmpint (mw_damper_observe (damper, "m", &major, at1, FALSE, &info), ==, N);
  g_assert_cmpint (mw_damper_observe (damper, "m", &op, at2, FALSE, &info), ==, N);
  g_assert_true (mw_damper_is_recovering (damper, "m"));
  g_assert_cmpint (mw_damper_observe (damper, "m", &op, at3, FALSE, &info), ==, RC);
  /* Down from 14:58 (the page's time) to 15:02 (the first operational poll). */
  g_assert_cmpint (info.down_for, ==, 4 * G_TIME_SPAN_MINUTE);
  g_assert_false (mw_damper_is_told (damper, "m"));
}

static void
test_probe_driven_is_told_at_once (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);

  /* The prober already needed 3 failures for this state. */
  ASSERT_RUN (damper, TRUE, "degraded none recovered", DEG, OP, OP);
}

static void
test_flapping_every_poll (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);
  g_autoptr(MwDamper) minor = mw_damper_new (NULL);

  /* Five minutes of a major outage that comes and goes every poll: one
   * notification, and the recovery only once it has settled. */
  ASSERT_RUN (damper, FALSE,
              "degraded none none none none none none none none none recovered none",
              MAJOR, OP, MAJOR, OP, MAJOR, OP, MAJOR, OP, MAJOR, OP, OP, OP);

  /* A minor incident flapping every poll never holds: nothing at all. */
  ASSERT_RUN (minor, FALSE, "none none none none none none none none none none",
              DEG, OP, DEG, OP, PART, OP, DEG, OP, DEG, OP);
}

static void
test_severity_changes (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);

  /* Escalation to major is told at once, de-escalation once it holds;
   * a one-poll dip to partial is not told. */
  ASSERT_RUN (damper, FALSE,
              "none degraded changed none none none changed none recovered",
              DEG, DEG, MAJOR, PART, MAJOR, PART, PART, OP, OP);
}

static void
test_maintenance_is_not_alarmed (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);

  ASSERT_RUN (damper, FALSE, "none none none none none", MAINT, MAINT, MAINT, MAINT, OP);
  g_assert_false (mw_damper_is_told (damper, "anthropic/claude-opus-4-7"));
}

static void
test_neutral_breaks_streaks (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);
  g_autoptr(MwDamper) told = mw_damper_new (NULL);

  /* Unknown between two degraded polls: not two consecutive polls. */
  ASSERT_RUN (damper, FALSE, "none none none none none degraded",
              DEG, UNK, DEG, UNK, DEG, DEG);
  /* Not having data is not a recovery, and maintenance is neither. */
  ASSERT_RUN (told, FALSE, "degraded none none none none none recovered",
              MAJOR, UNK, OP, UNK, MAINT, OP, OP);
}

static void
test_recovery_only_after_told (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);

  ASSERT_RUN (damper, FALSE, "none none none none", DEG, OP, OP, OP);
}

static void
test_threshold (void)
{
  MwDamperConfig config;
  g_autoptr(MwDamper) damper = NULL;

  mw_damper_config_init_default (&config);
  config.min_health = MW_HEALTH_PARTIAL_OUTAGE;
  damper = mw_damper_new (&config);

  /* Degraded is below the threshold; partial must hold 2 polls, and a
   * drop back to degraded is not a recovery. */
  ASSERT_RUN (damper, FALSE, "none none none none degraded none none none recovered",
              DEG, DEG, DEG, PART, PART, DEG, DEG, OP, OP);
}

static void
test_reminder (void)
{
  MwDamperConfig config;
  g_autoptr(MwDamper) damper = NULL;
  g_autoptr(MwDamper) off = mw_damper_new (NULL);
  MwHealth hours[100];

  mw_damper_config_init_default (&config);
  config.reminder_seconds = 30 * 60;
  damper = mw_damper_new (&config);

  for (guint i = 0; i < G_N_ELEMENTS (hours); i++)
    hours[i] = MAJOR;

  {
    g_autofree char *got = run (damper, hours, G_N_ELEMENTS (hours), FALSE, 0);
    g_autofree char *got_off = run (off, hours, G_N_ELEMENTS (hours), FALSE, 0);
    g_auto(GStrv) events = g_strsplit (got, " ", -1);
    guint reminders = 0;

    g_assert_cmpstr (events[0], ==, "degraded");
    for (guint i = 1; events[i] != NULL; i++)
      {
        if (g_str_equal (events[i], "reminder"))
          {
            reminders++;
            /* Polls a minute apart: at 30, 60 and 90 minutes. */
            g_assert_cmpuint (i % 30, ==, 0);
          }
        else
          g_assert_cmpstr (events[i], ==, "none");
      }
    g_assert_cmpuint (reminders, ==, 3);

    /* Off by default. */
    g_assert_null (strstr (got_off, "reminder"));
  }
}

static void
test_muted (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);
  g_autoptr(GDateTime) at0 = poll_time (0);
  g_autoptr(GDateTime) at1 = poll_time (1);
  g_autoptr(GDateTime) at2 = poll_time (2);
  g_autoptr(GDateTime) at3 = poll_time (3);
  g_autoptr(GDateTime) at4 = poll_time (4);
  MwDamperInput major = { MAJOR, FALSE, NULL };
  MwDamperInput op = { OP, FALSE, NULL };

  /* Broken while muted: told when the mute ends, if it still holds. */
  g_assert_cmpint (mw_damper_observe (damper, "m", &major, at0, TRUE, NULL), ==, N);
  g_assert_cmpint (mw_damper_observe (damper, "m", &major, at1, FALSE, NULL), ==, D);
  /* Recovered while muted: forgotten silently. */
  g_assert_cmpint (mw_damper_observe (damper, "m", &op, at2, TRUE, NULL), ==, N);
  g_assert_cmpint (mw_damper_observe (damper, "m", &op, at3, TRUE, NULL), ==, N);
  g_assert_false (mw_damper_is_told (damper, "m"));
  g_assert_cmpint (mw_damper_observe (damper, "m", &op, at4, FALSE, NULL), ==, N);
}

static void
test_models_are_independent (void)
{
  g_autoptr(MwDamper) damper = mw_damper_new (NULL);
  g_autoptr(GDateTime) at0 = poll_time (0);
  g_autoptr(GDateTime) at1 = poll_time (1);
  MwDamperInput deg = { DEG, FALSE, NULL };
  MwDamperInput op = { OP, FALSE, NULL };

  g_assert_cmpint (mw_damper_observe (damper, "a", &deg, at0, FALSE, NULL), ==, N);
  g_assert_cmpint (mw_damper_observe (damper, "b", &op, at0, FALSE, NULL), ==, N);
  g_assert_cmpint (mw_damper_observe (damper, "a", &deg, at1, FALSE, NULL), ==, D);
  g_assert_cmpint (mw_damper_observe (damper, "b", &deg, at1, FALSE, NULL), ==, N);
  mw_damper_forget (damper, "a");
  g_assert_false (mw_damper_is_told (damper, "a"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/damper/defaults", test_defaults);
  g_test_add_func ("/damper/official-waits-two-polls", test_official_degradation_waits_two_polls);
  g_test_add_func ("/damper/one-poll-blip", test_one_poll_blip_is_silent);
  g_test_add_func ("/damper/major-at-once", test_major_outage_is_told_at_once);
  g_test_add_func ("/damper/probe-driven", test_probe_driven_is_told_at_once);
  g_test_add_func ("/damper/flapping", test_flapping_every_poll);
  g_test_add_func ("/damper/severity-changes", test_severity_changes);
  g_test_add_func ("/damper/maintenance", test_maintenance_is_not_alarmed);
  g_test_add_func ("/damper/neutral", test_neutral_breaks_streaks);
  g_test_add_func ("/damper/recovery-only-after-told", test_recovery_only_after_told);
  g_test_add_func ("/damper/threshold", test_threshold);
  g_test_add_func ("/damper/reminder", test_reminder);
  g_test_add_func ("/damper/muted", test_muted);
  g_test_add_func ("/damper/independent", test_models_are_independent);

  return g_test_run ();
}
