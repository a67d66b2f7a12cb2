/* test-reader-instatus.c
 *
 * The Instatus reader against Perplexity's captured summary and components
 * (from before its move to incident.io) and variants of them: incidents,
 * maintenances, per-model rows, unknown words and foreign or broken bodies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-reader.h"
#include "mw-test-server.h"

#define WEBSITE "clyi6jhgg31469ihojbwbsmeeg"
#define API "clyiakn7i60113hvojwho6za6j"
#define COMPUTER "cmr18ih7201l20rqmap66bx4l"

static MwProvider perplexity = {
  .id = (char *) "perplexity",
  .name = (char *) "Perplexity",
  .page_url = (char *) "https://status.perplexity.com",
  .platform = (char *) "instatus",
};

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

static MwObservations *
parse_bytes (GBytes  *summary,
             GBytes  *components,
             GError **error)
{
  const MwReader *reader = mw_reader_lookup ("instatus");
  GBytes *bodies[] = { summary, components };

  g_assert_nonnull (reader);
  return reader->parse (&perplexity, bodies, 2, error);
}

static MwObservations *
parse_fixtures (const char  *summary_name,
                const char  *components_name,
                GError     **error)
{
  g_autoptr(GBytes) summary = mw_test_fixture_bytes (summary_name);
  g_autoptr(GBytes) components = mw_test_fixture_bytes (components_name);

  return parse_bytes (summary, components, error);
}

#define assert_page_changed(error, code) mw_test_assert_page_changed (error, code, "status.perplexity.com")

static void
test_urls (void)
{
  g_auto(GStrv) urls = mw_instatus_reader.urls (&perplexity);

  g_assert_cmpuint (g_strv_length (urls), ==, 2);
  g_assert_cmpstr (urls[0], ==, "https://status.perplexity.com/summary.json");
  g_assert_cmpstr (urls[1], ==, "https://status.perplexity.com/v2/components.json");
}

static void
test_all_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("instatus-perplexity-summary.json",
                                                  "instatus-perplexity-components.json", &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpstr (obs->page_name, ==, "Perplexity");
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpuint (obs->components->len, ==, 3);

  c = g_ptr_array_index (obs->components, 1);
  g_assert_cmpstr (c->id, ==, API);
  g_assert_cmpstr (c->name, ==, "API");
  g_assert_cmpstr (c->raw_status, ==, "OPERATIONAL");
  g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_null (c->group_name);
}

static void
test_incident (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("instatus-perplexity-summary-incident.json",
                                                  "instatus-perplexity-components-incident.json", &error);
  const MwIncidentObs *incident;
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_DEGRADED);

  c = mw_observations_find_component (obs, API);
  g_assert_cmpint (c->health, ==, MW_HEALTH_MAJOR_OUTAGE);

  /* Per-model rows keep their group. */
  c = mw_observations_find_component (obs, "sonar-pro");
  g_assert_nonnull (c);
  g_assert_cmpstr (c->group_name, ==, "Models");
  g_assert_cmpint (c->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  c = mw_observations_find_component (obs, "sonar");
  g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);

  /* The RESOLVED one is dropped; newest first. */
  g_assert_cmpuint (obs->incidents->len, ==, 2);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "Elevated API errors for sonar-pro");
  g_assert_cmpstr (incident->status, ==, "identified");
  g_assert_cmpstr (incident->impact, ==, "MAJOROUTAGE");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpstr (incident->url, ==,
                   "https://status.perplexity.com/incident/cmr2inc0000000000sonarpro1");
  g_assert_true (mw_incident_obs_has_component (incident, API));
  g_assert_false (incident->maintenance);

  /* Impact OPERATIONAL on an open incident is still degraded. */
  incident = mw_test_find_incident (obs, "Website slow to load");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpuint (incident->component_ids->len, ==, 0);
}

static void
test_maintenance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("instatus-perplexity-summary-maintenance.json",
                                                  "instatus-perplexity-components-maintenance.json", &error);
  const MwIncidentObs *m;
  g_autofree char *start = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpint (mw_observations_find_component (obs, COMPUTER)->health, ==, MW_HEALTH_MAINTENANCE);

  /* NOTSTARTEDYET is not a signal. */
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  m = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (m->name, ==, "Computer upgrade");
  g_assert_true (m->maintenance);
  g_assert_cmpint (m->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpstr (m->status, ==, "in_progress");
  start = g_date_time_format_iso8601 (m->started_at);
  g_assert_cmpstr (start, ==, "2026-09-02T01:00:00Z");
}

static void
test_unknown_words (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("instatus-perplexity-summary-unknown.json",
                                                  "instatus-perplexity-components-unknown.json", &error);
  const MwComponentObs *c;
  const MwIncidentObs *incident;

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_UNKNOWN);

  c = mw_observations_find_component (obs, WEBSITE);
  g_assert_cmpint (c->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (c->raw_status, ==, "DEGRADED");
  g_assert_cmpint (mw_observations_find_component (obs, API)->health, ==, MW_HEALTH_OPERATIONAL);

  /* No id and no url: the name identifies it. */
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->id, ==, "Something new");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (incident->impact, ==, "CATASTROPHIC");
}

static void
test_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("instatus-perplexity-summary-bom.json",
                                                  "instatus-perplexity-components.json", &error);

  g_assert_no_error (error);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixtures ("instatus-perplexity-summary.json",
                                                  "instatus-perplexity-components-truncated.json", &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "status.perplexity.com"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_other_shapes (void)
{
  g_autoptr(GBytes) summary = mw_test_fixture_bytes ("instatus-perplexity-summary.json");
  g_autoptr(GBytes) components = mw_test_fixture_bytes ("instatus-perplexity-components.json");
  g_autoptr(GBytes) statuspage = mw_test_fixture_bytes ("statuspage-anthropic-summary.json");
  g_autoptr(GBytes) shim = mw_test_fixture_bytes ("incidentio-openai-components-statuspage-shim.json");
  g_autoptr(GBytes) datadog = mw_test_fixture_bytes ("datadog-openrouter-page.json");
  struct { GBytes *summary, *components; } cases[] = {
    /* components[] lists in lower-case words: not Instatus's. */
    { summary, shim },
    { summary, datadog },
    /* A Statuspage summary where summary.json is expected, and where
     * components.json is. */
    { statuspage, components },
    { summary, statuspage },
    /* Each body where the other is expected. */
    { components, summary },
    { summary, summary },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (cases[i].summary, cases[i].components, &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "Instatus"));
    }
}

static void
test_broken_bodies (void)
{
  const char *summaries[] = { "[]", "{}", "{\"page\": {\"name\": \"P\"}}", "{\"page\": \"UP\"}",
                              "{\"page\": {\"status\": 3}}" };
  const char *components[] = { "[]", "{}", "{\"components\": {}}", "{\"components\": \"$undefined\"}" };
  g_autoptr(GBytes) good_summary = mw_test_fixture_bytes ("instatus-perplexity-summary.json");
  g_autoptr(GBytes) good_components = mw_test_fixture_bytes ("instatus-perplexity-components.json");

  for (guint i = 0; i < G_N_ELEMENTS (summaries); i++)
    {
      g_autoptr(GBytes) body = text_bytes (summaries[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (body, good_components, &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
    }

  for (guint i = 0; i < G_N_ELEMENTS (components); i++)
    {
      g_autoptr(GBytes) body = text_bytes (components[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (good_summary, body, &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
    }
}

static void
test_challenge (void)
{
  g_autoptr(GBytes) html = text_bytes ("  <html><head><title>Attention Required!</title></head></html>");
  g_autoptr(GBytes) components = mw_test_fixture_bytes ("instatus-perplexity-components.json");
  g_autoptr(GBytes) summary = mw_test_fixture_bytes ("instatus-perplexity-summary.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (html, components, &error);
  g_autoptr(MwObservations) obs2 = parse_bytes (summary, html, &error2);

  g_assert_null (obs);
  assert_page_changed (error, MW_SOURCE_ERROR_CHALLENGE);
  g_assert_null (obs2);
  assert_page_changed (error2, MW_SOURCE_ERROR_CHALLENGE);
}

static void
test_empty_components (void)
{
  /* Instatus omits empty arrays; an explicit empty list is a page with
   * nothing to watch, not an error. */
  g_autoptr(GBytes) summary = mw_test_fixture_bytes ("instatus-perplexity-summary.json");
  g_autoptr(GBytes) components = text_bytes ("{\"components\": [3, {\"status\": \"UP\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (summary, components, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, 0);
}

/* DESIGN.md's Instatus row, for components, page status and impacts.  A
 * second row keeps the list recognisably Instatus's when the word under
 * test is not. */
static void
test_mapping (void)
{
  static const struct { const char *word; MwHealth health; } table[] = {
    { "OPERATIONAL", MW_HEALTH_OPERATIONAL },
    { "UP", MW_HEALTH_OPERATIONAL },
    { "UNDERMAINTENANCE", MW_HEALTH_MAINTENANCE },
    { "DEGRADEDPERFORMANCE", MW_HEALTH_DEGRADED },
    { "HASISSUES", MW_HEALTH_DEGRADED },
    { "PARTIALOUTAGE", MW_HEALTH_PARTIAL_OUTAGE },
    { "MINOROUTAGE", MW_HEALTH_PARTIAL_OUTAGE },
    { "MAJOROUTAGE", MW_HEALTH_MAJOR_OUTAGE },
    { "operational", MW_HEALTH_UNKNOWN },
    { "DOWN", MW_HEALTH_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *summary_json = g_strdup_printf (
        "{\"page\": {\"status\": \"%s\"}, \"activeIncidents\": [{\"name\": \"I\", \"status\": \"INVESTIGATING\", \"impact\": \"%s\"}]}",
        table[i].word, table[i].word);
      g_autofree char *components_json = g_strdup_printf (
        "{\"components\": [{\"id\": \"c\", \"name\": \"C\", \"status\": \"%s\"},"
        " {\"id\": \"d\", \"name\": \"D\", \"status\": \"OPERATIONAL\"}]}", table[i].word);
      g_autoptr(GBytes) summary = g_bytes_new (summary_json, strlen (summary_json));
      g_autoptr(GBytes) components = g_bytes_new (components_json, strlen (components_json));
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (summary, components, &error);
      MwHealth incident_health;

      g_assert_no_error (error);
      g_assert_cmpint (obs->indicator, ==, table[i].health);
      g_assert_cmpint (((MwComponentObs *) g_ptr_array_index (obs->components, 0))->health, ==, table[i].health);

      /* An open incident is at least degraded. */
      incident_health = table[i].health == MW_HEALTH_UNKNOWN ? MW_HEALTH_UNKNOWN :
                        MAX (table[i].health, MW_HEALTH_DEGRADED);
      g_assert_cmpint (((MwIncidentObs *) g_ptr_array_index (obs->incidents, 0))->health, ==, incident_health);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reader/instatus/urls", test_urls);
  g_test_add_func ("/reader/instatus/mapping", test_mapping);
  g_test_add_func ("/reader/instatus/all-clear", test_all_clear);
  g_test_add_func ("/reader/instatus/incident", test_incident);
  g_test_add_func ("/reader/instatus/maintenance", test_maintenance);
  g_test_add_func ("/reader/instatus/unknown-words", test_unknown_words);
  g_test_add_func ("/reader/instatus/bom", test_bom);
  g_test_add_func ("/reader/instatus/truncated", test_truncated);
  g_test_add_func ("/reader/instatus/other-shapes", test_other_shapes);
  g_test_add_func ("/reader/instatus/broken-bodies", test_broken_bodies);
  g_test_add_func ("/reader/instatus/challenge", test_challenge);
  g_test_add_func ("/reader/instatus/empty-components", test_empty_components);

  return g_test_run ();
}
