/* test-health.c
 *
 * The health scale: names round-trip, worst-of treats unknown as "no
 * signal", platform words map as DESIGN.md says, and exit codes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-health.h"

static void
test_names_round_trip (void)
{
  for (MwHealth h = MW_HEALTH_UNKNOWN; h <= MW_HEALTH_LAST; h++)
    {
      MwHealth back;

      g_assert_true (mw_health_from_string (mw_health_to_string (h), &back));
      g_assert_cmpint (back, ==, h);
    }

  g_assert_cmpstr (mw_health_to_string (MW_HEALTH_PARTIAL_OUTAGE), ==, "partial_outage");
  {
    MwHealth h = MW_HEALTH_MAJOR_OUTAGE;
    g_assert_false (mw_health_from_string ("green", &h));
    g_assert_cmpint (h, ==, MW_HEALTH_UNKNOWN);
  }
}

static void
test_worst (void)
{
  g_assert_cmpint (mw_health_worst (MW_HEALTH_UNKNOWN, MW_HEALTH_UNKNOWN), ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (mw_health_worst (MW_HEALTH_UNKNOWN, MW_HEALTH_OPERATIONAL), ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (mw_health_worst (MW_HEALTH_DEGRADED, MW_HEALTH_UNKNOWN), ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (mw_health_worst (MW_HEALTH_MAINTENANCE, MW_HEALTH_OPERATIONAL), ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpint (mw_health_worst (MW_HEALTH_DEGRADED, MW_HEALTH_MAJOR_OUTAGE), ==, MW_HEALTH_MAJOR_OUTAGE);
}

static void
test_mappings (void)
{
  g_assert_cmpint (mw_health_from_component_status ("operational"), ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (mw_health_from_component_status ("under_maintenance"), ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpint (mw_health_from_component_status ("degraded_performance"), ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (mw_health_from_component_status ("partial_outage"), ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpint (mw_health_from_component_status ("major_outage"), ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (mw_health_from_component_status ("full_outage"), ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (mw_health_from_component_status ("Affected"), ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (mw_health_from_component_status (NULL), ==, MW_HEALTH_UNKNOWN);

  g_assert_cmpint (mw_health_from_impact ("none"), ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (mw_health_from_impact ("minor"), ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (mw_health_from_impact ("major"), ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpint (mw_health_from_impact ("critical"), ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (mw_health_from_impact ("maintenance"), ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpint (mw_health_from_impact ("catastrophic"), ==, MW_HEALTH_UNKNOWN);
}

static void
test_exit_codes (void)
{
  g_assert_cmpint (mw_health_exit_code (MW_HEALTH_OPERATIONAL), ==, 0);
  g_assert_cmpint (mw_health_exit_code (MW_HEALTH_MAINTENANCE), ==, 0);
  g_assert_cmpint (mw_health_exit_code (MW_HEALTH_DEGRADED), ==, 1);
  g_assert_cmpint (mw_health_exit_code (MW_HEALTH_PARTIAL_OUTAGE), ==, 1);
  g_assert_cmpint (mw_health_exit_code (MW_HEALTH_MAJOR_OUTAGE), ==, 2);
  g_assert_cmpint (mw_health_exit_code (MW_HEALTH_UNKNOWN), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/health/names", test_names_round_trip);
  g_test_add_func ("/health/worst", test_worst);
  g_test_add_func ("/health/mappings", test_mappings);
  g_test_add_func ("/health/exit-codes", test_exit_codes);

  return g_test_run ();
}
