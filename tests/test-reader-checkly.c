/* test-reader-checkly.c
 *
 * The Checkly reader against Mistral's captured uptime document and
 * unresolved-incident documents shaped after its events: services from
 * groups, incidents that name models only in their titles, severities,
 * maintenance, unknown words, the slug option and broken bodies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-reader.h"
#include "mw-test-server.h"

#define CHAT_COMPLETIONS "c4869a5a-054c-4c1b-88d1-3d195ba58511"
#define EMBEDDINGS "6d1417e5-81f5-44f4-bfd4-d2eb44d95988"
#define OCR "09f74bbf-a6e6-4751-a057-70da6c502c06"
#define LE_CONSOLE "69c33753-b109-4a61-a281-0b52e7b41db4"

static MwProvider mistral = {
  .id = (char *) "mistral",
  .name = (char *) "Mistral",
  .page_url = (char *) "https://status.mistral.ai",
  .platform = (char *) "checkly",
};

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

static MwObservations *
parse_bytes (GBytes  *incidents,
             GBytes  *uptime,
             GError **error)
{
  const MwReader *reader = mw_reader_lookup ("checkly");
  GBytes *bodies[] = { incidents, uptime };

  g_assert_nonnull (reader);
  return reader->parse (&mistral, bodies, 2, error);
}

static MwObservations *
parse_fixtures (const char  *incidents_name,
                const char  *uptime_name,
                GError     **error)
{
  g_autoptr(GBytes) incidents = mw_test_fixture_bytes (incidents_name);
  g_autoptr(GBytes) uptime = mw_test_fixture_bytes (uptime_name);

  return parse_bytes (incidents, uptime, error);
}

#define assert_page_changed(error, code) mw_test_assert_page_changed (error, code, "status.mistral.ai")

static void
test_urls (void)
{
  g_auto(GStrv) urls = mw_checkly_reader.urls (&mistral);
  MwProvider no_slug = mistral;
  g_auto(GStrv) none = NULL;
  g_autoptr(GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = NULL;

  g_assert_cmpuint (g_strv_length (urls), ==, 2);
  g_assert_cmpstr (urls[0], ==, "https://status.mistral.ai/api/status-page/mistral-ai/unresolved-incidents");
  g_assert_cmpstr (urls[1], ==, "https://status.mistral.ai/api/status-page/mistral-ai/uptime");

  /* No slug: nothing to fetch, and a reason the user can act on. */
  no_slug.options = empty;
  none = mw_checkly_reader.urls (&no_slug);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  obs = mw_checkly_reader.parse (&no_slug, NULL, 0, &error);
  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "status.mistral.ai"));
  g_assert_nonnull (strstr (error->message, "slug"));
}

static void
test_all_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("checkly-mistral-unresolved-empty.json",
                                                  "checkly-mistral-uptime.json", &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_UNKNOWN);

  /* The day events in the uptime document are history, all RESOLVED. */
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpuint (obs->components->len, ==, 17);
  for (guint i = 0; i < obs->components->len; i++)
    g_assert_cmpint (((MwComponentObs *) g_ptr_array_index (obs->components, i))->health, ==,
                     MW_HEALTH_OPERATIONAL);

  c = g_ptr_array_index (obs->components, 0);
  g_assert_cmpstr (c->id, ==, CHAT_COMPLETIONS);
  g_assert_cmpstr (c->name, ==, "Chat Completions API");
  g_assert_cmpstr (c->group_name, ==, "API");
  c = mw_observations_find_component (obs, "Vibe");
  g_assert_cmpstr (c->group_name, ==, "Services");
}

static void
test_incident (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("checkly-mistral-unresolved-incident.json",
                                                  "checkly-mistral-uptime.json", &error);
  const MwIncidentObs *incident;
  const MwUpdateObs *latest;

  g_assert_no_error (error);

  /* The RESOLVED one is dropped; newest first. */
  g_assert_cmpuint (obs->incidents->len, ==, 2);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "Embeddings API outage");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (incident->impact, ==, "MAJOR");
  g_assert_cmpstr (incident->status, ==, "identified");
  /* Linked by the service's name when the id is missing. */
  g_assert_true (mw_incident_obs_has_component (incident, EMBEDDINGS));

  incident = mw_test_find_incident (obs, "Completion API Degraded - glm-5-2");
  g_assert_cmpstr (incident->id, ==, "f0151c87-169e-4bbc-bf18-9020b1ceb07e");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (incident->status, ==, "investigating");
  g_assert_false (incident->maintenance);
  g_assert_cmpstr (incident->url, ==, "https://status.mistral.ai");
  g_assert_true (mw_incident_obs_has_component (incident, CHAT_COMPLETIONS));
  g_assert_cmpuint (incident->component_ids->len, ==, 1);
  latest = mw_incident_obs_latest_update (incident);
  g_assert_cmpstr (latest->body, ==, "A fix is being deployed for glm-5-2.");
  g_assert_cmpstr (latest->status, ==, "identified");

  /* No current state on the page: services take their incidents' health. */
  g_assert_cmpint (mw_observations_find_component (obs, CHAT_COMPLETIONS)->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (mw_observations_find_component (obs, EMBEDDINGS)->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpint (mw_observations_find_component (obs, OCR)->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_maintenance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("checkly-mistral-unresolved-maintenance.json",
                                                  "checkly-mistral-uptime.json", &error);
  const MwIncidentObs *m;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  m = g_ptr_array_index (obs->incidents, 0);
  g_assert_true (m->maintenance);
  g_assert_cmpint (m->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpstr (mw_incident_obs_latest_update (m)->body, ==, "Maintenance in progress.");
  g_assert_cmpint (mw_observations_find_component (obs, LE_CONSOLE)->health, ==, MW_HEALTH_MAINTENANCE);
}

static void
test_unknown_words (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("checkly-mistral-unresolved-unknown.json",
                                                  "checkly-mistral-uptime.json", &error);
  const MwIncidentObs *incident;

  g_assert_no_error (error);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpint (incident->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (incident->impact, ==, "SEVERE");
  /* Something is open on it: not shown as operational. */
  g_assert_cmpint (mw_observations_find_component (obs, OCR)->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (mw_observations_find_component (obs, EMBEDDINGS)->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("checkly-mistral-unresolved-incident-bom.json",
                                                  "checkly-mistral-uptime.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 2);
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("checkly-mistral-unresolved-empty.json",
                                                  "checkly-mistral-uptime-truncated.json", &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "status.mistral.ai"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_other_shapes (void)
{
  g_autoptr(GBytes) empty = mw_test_fixture_bytes ("checkly-mistral-unresolved-empty.json");
  g_autoptr(GBytes) uptime = mw_test_fixture_bytes ("checkly-mistral-uptime.json");
  g_autoptr(GBytes) statuspage = mw_test_fixture_bytes ("statuspage-anthropic-summary-two-incidents-trimmed.json");
  g_autoptr(GBytes) betterstack = mw_test_fixture_bytes ("betterstack-together-index.json");
  g_autoptr(GBytes) datadog = mw_test_fixture_bytes ("datadog-openrouter-page.json");
  g_autoptr(GBytes) incidentio = mw_test_fixture_bytes ("incidentio-openai-proxy-incidents.json");
  struct { GBytes *incidents, *uptime; } cases[] = {
    /* incidents[] without severity or lastUpdateStatus: not Checkly's. */
    { datadog, uptime },
    { incidentio, uptime },
    { statuspage, uptime },
    { empty, statuspage },
    { empty, betterstack },
    { uptime, empty },
    { empty, empty },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (cases[i].incidents, cases[i].uptime, &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "Checkly"));
    }
}

static void
test_broken_bodies (void)
{
  const char *incidents[] = { "[]", "{}", "{\"incidents\": null}", "{\"incidents\": \"$undefined\"}" };
  const char *uptimes[] = { "[]", "{}", "{\"metadata\": {}}", "{\"uptime\": []}" };
  g_autoptr(GBytes) good_incidents = mw_test_fixture_bytes ("checkly-mistral-unresolved-empty.json");
  g_autoptr(GBytes) good_uptime = mw_test_fixture_bytes ("checkly-mistral-uptime.json");

  for (guint i = 0; i < G_N_ELEMENTS (incidents); i++)
    {
      g_autoptr(GBytes) body = text_bytes (incidents[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (body, good_uptime, &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
    }

  for (guint i = 0; i < G_N_ELEMENTS (uptimes); i++)
    {
      g_autoptr(GBytes) body = text_bytes (uptimes[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (good_incidents, body, &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
    }
}

static void
test_challenge (void)
{
  g_autoptr(GBytes) html = text_bytes ("<!DOCTYPE html><html><head><title>Nuxt</title></head><body></body></html>");
  g_autoptr(GBytes) uptime = mw_test_fixture_bytes ("checkly-mistral-uptime.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (html, uptime, &error);

  g_assert_null (obs);
  assert_page_changed (error, MW_SOURCE_ERROR_CHALLENGE);
}

static void
test_odd_elements (void)
{
  g_autoptr(GBytes) incidents = text_bytes (
    "{\"incidents\": [1, {\"severity\": \"MINOR\"}, {\"title\": \"Untitled name\", \"createdAt\": \"2026-09-04T06:00:00Z\","
    " \"services\": [\"x\", {\"id\": \"gone\", \"name\": \"Gone\"}], \"incidentUpdates\": [2]}]}");
  g_autoptr(GBytes) uptime = text_bytes (
    "{\"metadata\": [3, {\"name\": \"G\", \"services\": [4, {\"id\": \"s\", \"name\": \"S\"}, {}]}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (incidents, uptime, &error);
  const MwIncidentObs *incident;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, 1);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "Untitled name");
  g_assert_cmpstr (incident->id, ==, "Untitled name@");
  g_assert_nonnull (incident->started_at);
  /* No severity: an open incident is at least degraded. */
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
  g_assert_true (mw_incident_obs_has_component (incident, "gone"));
  g_assert_cmpuint (incident->updates->len, ==, 0);
}

/* DESIGN.md's Checkly row. */
static void
test_mapping (void)
{
  static const struct { const char *word; MwHealth health; } table[] = {
    { "MAINTENANCE", MW_HEALTH_MAINTENANCE },
    { "MINOR", MW_HEALTH_DEGRADED },
    { "MEDIUM", MW_HEALTH_DEGRADED },
    { "MAJOR", MW_HEALTH_PARTIAL_OUTAGE },
    { "CRITICAL", MW_HEALTH_MAJOR_OUTAGE },
    { "minor", MW_HEALTH_UNKNOWN },
    { "LOW", MW_HEALTH_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *incidents_json = g_strdup_printf (
        "{\"incidents\": [{\"id\": \"i\", \"name\": \"I\", \"severity\": \"%s\", \"lastUpdateStatus\": \"INVESTIGATING\","
        " \"services\": [{\"id\": \"s\"}]}]}", table[i].word);
      g_autoptr(GBytes) incidents = g_bytes_new (incidents_json, strlen (incidents_json));
      g_autoptr(GBytes) uptime = text_bytes ("{\"metadata\": [{\"name\": \"G\", \"services\": [{\"id\": \"s\", \"name\": \"S\"}]}]}");
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (incidents, uptime, &error);
      const MwIncidentObs *incident;

      g_assert_no_error (error);
      incident = g_ptr_array_index (obs->incidents, 0);
      g_assert_cmpint (incident->health, ==, table[i].health);
      g_assert_cmpint (incident->maintenance, ==, table[i].health == MW_HEALTH_MAINTENANCE);
      g_assert_cmpint (((MwComponentObs *) g_ptr_array_index (obs->components, 0))->health, ==, table[i].health);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);

  g_test_init (&argc, &argv, NULL);

  g_hash_table_insert (options, (gpointer) "slug", (gpointer) "mistral-ai");
  mistral.options = options;

  g_test_add_func ("/reader/checkly/urls", test_urls);
  g_test_add_func ("/reader/checkly/mapping", test_mapping);
  g_test_add_func ("/reader/checkly/all-clear", test_all_clear);
  g_test_add_func ("/reader/checkly/incident", test_incident);
  g_test_add_func ("/reader/checkly/maintenance", test_maintenance);
  g_test_add_func ("/reader/checkly/unknown-words", test_unknown_words);
  g_test_add_func ("/reader/checkly/bom", test_bom);
  g_test_add_func ("/reader/checkly/truncated", test_truncated);
  g_test_add_func ("/reader/checkly/other-shapes", test_other_shapes);
  g_test_add_func ("/reader/checkly/broken-bodies", test_broken_bodies);
  g_test_add_func ("/reader/checkly/challenge", test_challenge);
  g_test_add_func ("/reader/checkly/odd-elements", test_odd_elements);

  return g_test_run ();
}
