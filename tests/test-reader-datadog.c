/* test-reader-datadog.c
 *
 * The Datadog reader against OpenRouter's captured config.json (a group
 * with nested components, four resolved incidents, "maintenances": null)
 * and variants: reopened incidents, a deleted one, maintenances in each
 * state, unknown words, absent keys and other platforms' documents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-reader.h"
#include "mw-test-server.h"

#define CHAT "9fb5ccff-e128-455a-be20-59572f8d363a"
#define VIDEO "bb2402ad-3e98-4c75-9eb5-ca68ca683c5a"
#define TTS "15c7d7e9-e2b7-43dd-aa56-77c4959fc603"
#define STT "93008741-4362-4fb6-85c4-6cddb8412116"
#define WEB "2347916e-1f82-448c-b07d-8cfbbad57322"

static MwProvider openrouter = {
  .id = (char *) "openrouter",
  .name = (char *) "OpenRouter",
  .page_url = (char *) "https://status.openrouter.ai",
  .platform = (char *) "datadog",
};

static MwObservations *
parse_bytes (GBytes  *body,
             GError **error)
{
  const MwReader *reader = mw_reader_lookup ("datadog");
  GBytes *bodies[] = { body };

  g_assert_nonnull (reader);
  return reader->parse (&openrouter, bodies, 1, error);
}

static MwObservations *
parse_fixture (const char  *name,
               GError     **error)
{
  g_autoptr(GBytes) body = mw_test_fixture_bytes (name);

  return parse_bytes (body, error);
}

#define assert_page_changed(error, code) mw_test_assert_page_changed (error, code, "status.openrouter.ai")

static void
test_urls (void)
{
  g_auto(GStrv) urls = mw_datadog_reader.urls (&openrouter);

  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, "https://status.openrouter.ai/config.json");
}

static void
test_all_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("datadog-openrouter-page.json", &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpstr (obs->page_name, ==, "OpenRouter");
  g_assert_null (obs->description);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_UNKNOWN);

  /* Four incidents, all resolved. */
  g_assert_cmpuint (obs->incidents->len, ==, 0);

  /* The group header is dropped; its six children and the top-level
   * component remain. */
  g_assert_cmpuint (obs->components->len, ==, 7);
  g_assert_null (mw_observations_find_component (obs, "API - Gateway"));
  for (guint i = 0; i < obs->components->len; i++)
    {
      c = g_ptr_array_index (obs->components, i);
      g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);
      g_assert_cmpstr (c->raw_status, ==, "operational");
    }

  c = g_ptr_array_index (obs->components, 0);
  g_assert_cmpstr (c->id, ==, CHAT);
  g_assert_cmpstr (c->name, ==, "Chat (/api/v1/chat/completions)");
  g_assert_cmpstr (c->group_name, ==, "API - Gateway");
  c = mw_observations_find_component (obs, WEB);
  g_assert_cmpstr (c->name, ==, "Web & Application Services");
  g_assert_null (c->group_name);
}

static void
test_incident (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("datadog-openrouter-page-incident.json", &error);
  const MwIncidentObs *incident;
  const MwUpdateObs *latest;
  g_autofree char *updated = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (mw_observations_find_component (obs, VIDEO)->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpint (mw_observations_find_component (obs, CHAT)->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (mw_observations_find_component (obs, WEB)->health, ==, MW_HEALTH_DEGRADED);

  /* Two reopened; the deleted one and the one marked resolved (whose
   * currentStatus still says monitoring) are dropped; newest first. */
  g_assert_cmpuint (obs->incidents->len, ==, 2);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->id, ==, "2a3d415a-1eed-417f-b269-6e308a7f7990");
  g_assert_cmpstr (incident->name, ==, "Degraded video generation API");
  g_assert_cmpstr (incident->status, ==, "identified");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (incident->impact, ==, "partial_outage");
  g_assert_cmpstr (incident->url, ==,
                   "https://status.openrouter.ai/incidents/2a3d415a-1eed-417f-b269-6e308a7f7990");
  g_assert_true (mw_incident_obs_has_component (incident, VIDEO));
  g_assert_cmpuint (incident->component_ids->len, ==, 1);

  /* Every timeline entry has the same createdAt; startedAt orders them. */
  g_assert_cmpuint (incident->updates->len, ==, 2);
  latest = mw_incident_obs_latest_update (incident);
  g_assert_cmpstr (latest->status, ==, "identified");
  g_assert_cmpstr (latest->body, ==, "We have identified a capacity problem with an upstream video provider.");
  updated = g_date_time_format_iso8601 (incident->updated_at);
  g_assert_cmpstr (updated, ==, "2026-09-04T19:02:00Z");

  /* Its component reads operational now, its update said degraded: the
   * incident is still open, so it counts. */
  incident = mw_test_find_incident (obs, "Elevated 429s on Anthropic and OpenAI");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (incident->status, ==, "monitoring");
  g_assert_true (mw_incident_obs_has_component (incident, CHAT));
  g_assert_cmpstr (mw_incident_obs_latest_update (incident)->body, ==,
                   "Anthropic and OpenAI models responded with 429s at an elevated rate.");
}

static void
test_maintenance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("datadog-openrouter-page-maintenance.json", &error);
  const MwIncidentObs *m;
  g_autofree char *start = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (mw_observations_find_component (obs, CHAT)->health, ==, MW_HEALTH_MAINTENANCE);

  /* scheduled and completed ones are dropped. */
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  m = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (m->name, ==, "Chat gateway database upgrade");
  g_assert_true (m->maintenance);
  g_assert_cmpint (m->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpstr (m->status, ==, "in_progress");
  g_assert_true (mw_incident_obs_has_component (m, CHAT));
  g_assert_cmpstr (m->url, ==,
                   "https://status.openrouter.ai/maintenances/5e5e5e5e-0000-4000-8000-00000000m001");
  g_assert_cmpstr (mw_incident_obs_latest_update (m)->body, ==, "Maintenance has started.");
  /* Four-digit fractions parse. */
  start = g_date_time_format_iso8601 (m->started_at);
  g_assert_cmpstr (start, ==, "2026-09-11T01:00:00.123400Z");
}

static void
test_unknown_words (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("datadog-openrouter-page-unknown.json", &error);
  const MwComponentObs *c;
  const MwIncidentObs *incident;

  g_assert_no_error (error);

  /* A Statuspage word is not a Datadog word. */
  c = mw_observations_find_component (obs, TTS);
  g_assert_cmpint (c->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (c->raw_status, ==, "degraded_performance");
  g_assert_cmpint (mw_observations_find_component (obs, STT)->health, ==, MW_HEALTH_OPERATIONAL);

  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "Backfill");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_true (mw_incident_obs_has_component (incident, STT));
}

static void
test_absent_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("datadog-openrouter-page-absent-keys.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, 7);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
}

static void
test_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("datadog-openrouter-page-incident-bom.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 2);
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("datadog-openrouter-page-truncated.json", &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "status.openrouter.ai"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_other_shapes (void)
{
  const char *fixtures[] = {
    "statuspage-anthropic-summary.json",
    "betterstack-together-index.json",
    "instatus-perplexity-components.json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_fixture (fixtures[i], &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "Datadog"));
    }
}

static void
test_broken_bodies (void)
{
  const char *bodies[] = {
    "[]",
    "{}",
    "{\"pageType\": \"public\"}",
    "{\"pageType\": \"public\", \"components\": {}}",
    "{\"components\": []}",
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
  const char *html = "\n<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD></HTML>";
  g_autoptr(GBytes) body = g_bytes_new_static (html, strlen (html));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (body, &error);

  g_assert_null (obs);
  assert_page_changed (error, MW_SOURCE_ERROR_CHALLENGE);
}

static void
test_odd_elements (void)
{
  /* Stray scalars, a typeless group, nested groups, deletedAt null. */
  const char *json =
    "{\"domainPrefix\": \"x\", \"maintenances\": {\"not\": \"a list\"},"
    " \"components\": [1, {\"name\": \"Outer\", \"components\": [{\"type\": \"ComponentGroup\", \"name\": \"Inner\","
    "   \"components\": [{\"id\": \"a\", \"name\": \"A\", \"status\": \"major_outage\"}]}]}],"
    " \"incidents\": [\"x\", {\"id\": \"i\", \"title\": \"T\", \"resolved\": false, \"deletedAt\": null,"
    "   \"componentsAffected\": [5], \"timeline\": [6, {\"description\": \" D \"}]}]}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (body, &error);
  const MwComponentObs *c;
  const MwIncidentObs *incident;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, 1);
  c = g_ptr_array_index (obs->components, 0);
  g_assert_cmpstr (c->group_name, ==, "Inner");
  g_assert_cmpint (c->health, ==, MW_HEALTH_MAJOR_OUTAGE);

  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (mw_incident_obs_latest_update (incident)->body, ==, "D");
}

/* DESIGN.md has no Datadog row; these are Datadog's own five words. */
static void
test_mapping (void)
{
  static const struct { const char *word; MwHealth health; } table[] = {
    { "operational", MW_HEALTH_OPERATIONAL },
    { "maintenance", MW_HEALTH_MAINTENANCE },
    { "degraded", MW_HEALTH_DEGRADED },
    { "partial_outage", MW_HEALTH_PARTIAL_OUTAGE },
    { "major_outage", MW_HEALTH_MAJOR_OUTAGE },
    { "degraded_performance", MW_HEALTH_UNKNOWN },
    { "Operational", MW_HEALTH_UNKNOWN },
    { "", MW_HEALTH_UNKNOWN },
  };
  g_autoptr(GString) json = g_string_new ("{\"pageType\": \"public\", \"components\": [");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    g_string_append_printf (json, "%s{\"id\": \"c%u\", \"name\": \"C%u\", \"status\": \"%s\", \"type\": \"Component\"}",
                            i > 0 ? ", " : "", i, i, table[i].word);
  g_string_append (json, "]}");
  body = g_bytes_new (json->str, json->len);
  obs = parse_bytes (body, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, G_N_ELEMENTS (table));
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const MwComponentObs *c = g_ptr_array_index (obs->components, i);

      g_assert_cmpint (c->health, ==, table[i].health);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reader/datadog/urls", test_urls);
  g_test_add_func ("/reader/datadog/mapping", test_mapping);
  g_test_add_func ("/reader/datadog/all-clear", test_all_clear);
  g_test_add_func ("/reader/datadog/incident", test_incident);
  g_test_add_func ("/reader/datadog/maintenance", test_maintenance);
  g_test_add_func ("/reader/datadog/unknown-words", test_unknown_words);
  g_test_add_func ("/reader/datadog/absent-keys", test_absent_keys);
  g_test_add_func ("/reader/datadog/bom", test_bom);
  g_test_add_func ("/reader/datadog/truncated", test_truncated);
  g_test_add_func ("/reader/datadog/other-shapes", test_other_shapes);
  g_test_add_func ("/reader/datadog/broken-bodies", test_broken_bodies);
  g_test_add_func ("/reader/datadog/challenge", test_challenge);
  g_test_add_func ("/reader/datadog/odd-elements", test_odd_elements);

  return g_test_run ();
}
