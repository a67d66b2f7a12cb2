/* test-reader-betterstack.c
 *
 * The Better Stack reader against Together AI's captured index.json (one
 * resource per model, in sections) and variants of it: an open incident
 * report, maintenances in progress and upcoming, unknown words, and other
 * platforms' documents served in its place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-reader.h"
#include "mw-test-server.h"

#define KIMI_K3 "8978884"
#define GLM_5_3 "8998776"
#define MINIMAX_M3 "8911095"

static MwProvider together = {
  .id = (char *) "together",
  .name = (char *) "Together AI",
  .page_url = (char *) "https://status.together.ai",
  .platform = (char *) "betterstack",
};

static MwObservations *
parse_bytes (GBytes  *body,
             GError **error)
{
  const MwReader *reader = mw_reader_lookup ("betterstack");
  GBytes *bodies[] = { body };

  g_assert_nonnull (reader);
  return reader->parse (&together, bodies, 1, error);
}

static MwObservations *
parse_fixture (const char  *name,
               GError     **error)
{
  g_autoptr(GBytes) body = mw_test_fixture_bytes (name);

  return parse_bytes (body, error);
}

#define assert_page_changed(error, code) mw_test_assert_page_changed (error, code, "status.together.ai")

static void
test_urls (void)
{
  g_auto(GStrv) urls = mw_betterstack_reader.urls (&together);

  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, "https://status.together.ai/index.json");
}

static void
test_all_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("betterstack-together-index.json", &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpstr (obs->page_name, ==, "Together AI");
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);

  /* The one status report is a finished maintenance: not a signal. */
  g_assert_cmpuint (obs->incidents->len, ==, 0);

  g_assert_cmpuint (obs->components->len, ==, 22);
  for (guint i = 0; i < obs->components->len; i++)
    {
      c = g_ptr_array_index (obs->components, i);
      g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);
      g_assert_cmpstr (c->raw_status, ==, "operational");
      g_assert_nonnull (c->group_name);
    }

  /* Per-model rows, grouped by section. */
  c = mw_observations_find_component (obs, "Kimi K3");
  g_assert_nonnull (c);
  g_assert_cmpstr (c->id, ==, KIMI_K3);
  g_assert_cmpstr (c->group_name, ==, "Inference - Chat");
  c = mw_observations_find_component (obs, "8692046");
  g_assert_cmpstr (c->name, ==, "Whisper Large V3");
  g_assert_cmpstr (c->group_name, ==, "Inference - Voice");
  c = g_ptr_array_index (obs->components, 0);
  g_assert_cmpstr (c->name, ==, "Website");
  g_assert_cmpstr (c->group_name, ==, "Website");
}

static void
test_incident (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("betterstack-together-index-incident.json", &error);
  const MwIncidentObs *incident;
  const MwUpdateObs *latest;

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (mw_observations_find_component (obs, KIMI_K3)->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (mw_observations_find_component (obs, GLM_5_3)->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (mw_observations_find_component (obs, "GLM 5.3 Flash")->health, ==, MW_HEALTH_OPERATIONAL);

  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->id, ==, "951002");
  g_assert_cmpstr (incident->name, ==, "Kimi K3 and GLM 5.3 unavailable");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpstr (incident->impact, ==, "downtime");
  g_assert_false (incident->maintenance);
  g_assert_cmpstr (incident->url, ==, "https://status.together.ai");

  /* Linked through the report and its updates; the id the page does not
   * show (8802370) is left out. */
  g_assert_cmpuint (incident->component_ids->len, ==, 2);
  g_assert_true (mw_incident_obs_has_component (incident, KIMI_K3));
  g_assert_true (mw_incident_obs_has_component (incident, GLM_5_3));
  g_assert_false (mw_incident_obs_has_component (incident, "8802370"));

  /* Updates come newest first in relationships; the latest is by time. */
  g_assert_cmpuint (incident->updates->len, ==, 2);
  latest = mw_incident_obs_latest_update (incident);
  g_assert_cmpstr (latest->body, ==, "Kimi K3 is back for most requests; we are monitoring.");
  g_assert_true (g_date_time_equal (latest->at, incident->updated_at));
}

static void
test_maintenance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("betterstack-together-index-maintenance.json", &error);
  const MwIncidentObs *m;

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpint (mw_observations_find_component (obs, MINIMAX_M3)->health, ==, MW_HEALTH_MAINTENANCE);

  /* In progress only: the finished one and the upcoming one are dropped. */
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  m = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (m->name, ==, "MiniMax M3 capacity upgrade");
  g_assert_true (m->maintenance);
  g_assert_cmpint (m->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_true (mw_incident_obs_has_component (m, MINIMAX_M3));
  g_assert_null (mw_incident_obs_latest_update (m));
}

static void
test_unknown_words (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("betterstack-together-index-unknown.json", &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_UNKNOWN);

  /* not_monitored: nothing checks it, so it is not shown as working. */
  c = mw_observations_find_component (obs, "Inkling");
  g_assert_cmpint (c->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (c->raw_status, ==, "not_monitored");
  c = mw_observations_find_component (obs, "Inkling Small");
  g_assert_cmpint (c->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (c->raw_status, ==, "flaky");
  g_assert_cmpint (mw_observations_find_component (obs, KIMI_K3)->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("betterstack-together-index-incident-bom.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("betterstack-together-index-truncated.json", &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "status.together.ai"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_other_shapes (void)
{
  const char *fixtures[] = {
    "statuspage-anthropic-summary.json",
    "instatus-perplexity-summary.json",
    "incidentio-pleo-proxy-incidents.json",
    /* Its own layout, but the resources it lists are gone. */
    "betterstack-together-index-no-resources.json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_fixture (fixtures[i], &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "Better Stack"));
    }
}

static void
test_broken_bodies (void)
{
  const char *bodies[] = {
    "[]",
    "{}",
    "{\"data\": {\"attributes\": {}}}",
    "{\"data\": [], \"included\": []}",
    "{\"data\": {\"type\": \"incident\", \"attributes\": {}}, \"included\": []}",
    "{\"included\": []}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (body, &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
    }
}

static void
test_challenge (void)
{
  const char *html = "<!doctype html><html lang=\"en\"><body>403 Forbidden</body></html>";
  g_autoptr(GBytes) body = g_bytes_new_static (html, strlen (html));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (body, &error);

  g_assert_null (obs);
  assert_page_changed (error, MW_SOURCE_ERROR_CHALLENGE);
}

static void
test_odd_elements (void)
{
  /* Numeric ids, stray scalars and a report without attributes. */
  const char *json =
    "{\"data\": {\"type\": \"status_page\", \"attributes\": {\"aggregate_state\": \"degraded\"}},"
    " \"included\": [1, null,"
    "  {\"id\": 7, \"type\": \"status_page_section\", \"attributes\": {\"name\": \"Chat\"}},"
    "  {\"id\": 9, \"type\": \"status_page_resource\", \"attributes\": {\"status_page_section_id\": \"7\","
    "    \"public_name\": \"Model X\", \"status\": \"degraded\"}},"
    "  {\"id\": \"r\", \"type\": \"status_report\"},"
    "  {\"id\": \"s\", \"type\": \"status_report\", \"attributes\": {\"title\": \"Slow\", \"ends_at\": null,"
    "    \"affected_resources\": [2, {\"status_page_resource_id\": 9, \"status\": \"meh\"}]},"
    "   \"relationships\": {\"status_updates\": {\"data\": [4, {\"id\": \"missing\"}]}}}]}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (body, &error);
  const MwComponentObs *c;
  const MwIncidentObs *incident;

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpuint (obs->components->len, ==, 1);
  c = g_ptr_array_index (obs->components, 0);
  g_assert_cmpstr (c->id, ==, "9");
  g_assert_cmpstr (c->group_name, ==, "Chat");
  g_assert_cmpint (c->health, ==, MW_HEALTH_DEGRADED);

  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "Slow");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_true (mw_incident_obs_has_component (incident, "9"));
  g_assert_cmpuint (incident->updates->len, ==, 0);
}

/* A section whose id is missing, null or not a scalar cannot be referred
 * to: it is skipped, and the page is still read (it used to crash). */
static void
test_section_without_id (void)
{
  const char *json =
    "{\"data\": {\"type\": \"status_page\", \"attributes\": {\"aggregate_state\": \"operational\"}},"
    " \"included\": ["
    "  {\"type\": \"status_page_section\", \"attributes\": {\"name\": \"No id\"}},"
    "  {\"id\": null, \"type\": \"status_page_section\", \"attributes\": {\"name\": \"Null id\"}},"
    "  {\"id\": [7], \"type\": \"status_page_section\", \"attributes\": {\"name\": \"Array id\"}},"
    "  {\"id\": 7, \"type\": \"status_page_section\", \"attributes\": {\"name\": \"Chat\"}},"
    "  {\"id\": 9, \"type\": \"status_page_resource\", \"attributes\": {\"status_page_section_id\": 7,"
    "    \"public_name\": \"Model X\", \"status\": \"operational\"}}]}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (body, &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, 1);
  c = g_ptr_array_index (obs->components, 0);
  g_assert_cmpstr (c->id, ==, "9");
  g_assert_cmpstr (c->group_name, ==, "Chat");
  g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);
}

/* DESIGN.md's Better Stack row; not_monitored is unknown. */
static void
test_mapping (void)
{
  static const struct { const char *word; MwHealth health; } table[] = {
    { "operational", MW_HEALTH_OPERATIONAL },
    { "maintenance", MW_HEALTH_MAINTENANCE },
    { "degraded", MW_HEALTH_DEGRADED },
    { "downtime", MW_HEALTH_MAJOR_OUTAGE },
    { "not_monitored", MW_HEALTH_UNKNOWN },
    { "recovered", MW_HEALTH_UNKNOWN },
    { "Operational", MW_HEALTH_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"data\": {\"id\": \"1\", \"type\": \"status_page\", \"attributes\": {\"aggregate_state\": \"%s\"}},"
        " \"included\": [{\"id\": \"2\", \"type\": \"status_page_resource\","
        "   \"attributes\": {\"public_name\": \"R\", \"status\": \"%s\"}}]}",
        table[i].word, table[i].word);
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (body, &error);

      g_assert_no_error (error);
      g_assert_cmpint (obs->indicator, ==, table[i].health);
      g_assert_cmpint (((MwComponentObs *) g_ptr_array_index (obs->components, 0))->health, ==, table[i].health);
      g_assert_cmpstr (((MwComponentObs *) g_ptr_array_index (obs->components, 0))->raw_status, ==, table[i].word);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reader/betterstack/urls", test_urls);
  g_test_add_func ("/reader/betterstack/mapping", test_mapping);
  g_test_add_func ("/reader/betterstack/all-clear", test_all_clear);
  g_test_add_func ("/reader/betterstack/incident", test_incident);
  g_test_add_func ("/reader/betterstack/maintenance", test_maintenance);
  g_test_add_func ("/reader/betterstack/unknown-words", test_unknown_words);
  g_test_add_func ("/reader/betterstack/bom", test_bom);
  g_test_add_func ("/reader/betterstack/truncated", test_truncated);
  g_test_add_func ("/reader/betterstack/other-shapes", test_other_shapes);
  g_test_add_func ("/reader/betterstack/broken-bodies", test_broken_bodies);
  g_test_add_func ("/reader/betterstack/challenge", test_challenge);
  g_test_add_func ("/reader/betterstack/odd-elements", test_odd_elements);
  g_test_add_func ("/reader/betterstack/section-without-id", test_section_without_id);

  return g_test_run ();
}
