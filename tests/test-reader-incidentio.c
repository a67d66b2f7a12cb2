/* test-reader-incidentio.c
 *
 * The incident.io native-feed reader against OpenAI-shaped summaries built
 * from real captured incident items: groups and hidden rows, current
 * component status, open incidents with rich-text updates, maintenances,
 * unknown words, and pages that changed under us.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-reader.h"
#include "mw-test-server.h"

#define CODEX_API "01KMP3KP5MGE23B80K1EK4S8PV"
#define SORA_API "01K9G527YRPY1EFRMHTKB5BKT5"
#define RESPONSES "01JP8CD9JR3HR6Y7G4Q75N4DVW"
#define CHAT_COMPLETIONS "01JMXBRMFE6N2NNT7DG6XZQ6PW"

static MwProvider openai = {
  .id = (char *) "openai",
  .name = (char *) "OpenAI",
  .page_url = (char *) "https://status.openai.com",
  .platform = (char *) "incidentio",
};

static MwObservations *
parse_bytes (GBytes  *body,
             GError **error)
{
  const MwReader *reader = mw_reader_lookup ("incidentio");
  GBytes *bodies[] = { body };

  g_assert_nonnull (reader);
  return reader->parse (&openai, bodies, 1, error);
}

static MwObservations *
parse_fixture (const char  *name,
               GError     **error)
{
  g_autoptr(GBytes) body = mw_test_fixture_bytes (name);

  return parse_bytes (body, error);
}

static const MwIncidentObs *
find_incident_by_id (MwObservations *obs,
                     const char     *id)
{
  for (guint i = 0; i < obs->incidents->len; i++)
    {
      const MwIncidentObs *incident = g_ptr_array_index (obs->incidents, i);

      if (g_strcmp0 (incident->id, id) == 0)
        return incident;
    }

  g_error ("no incident %s", id);
}

#define assert_page_changed(error, code) mw_test_assert_page_changed (error, code, "status.openai.com")

static void
test_urls (void)
{
  g_auto(GStrv) urls = mw_incidentio_reader.urls (&openai);
  MwProvider slash = openai;
  g_auto(GStrv) slash_urls = NULL;

  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, "https://status.openai.com/proxy/status.openai.com");

  slash.page_url = (char *) "http://127.0.0.1:8123/";
  slash_urls = mw_incidentio_reader.urls (&slash);
  g_assert_cmpstr (slash_urls[0], ==, "http://127.0.0.1:8123/proxy/127.0.0.1");
}

static void
test_all_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("incidentio-openai-proxy-summary.json", &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_nonnull (obs);
  g_assert_cmpstr (obs->page_name, ==, "OpenAI");
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpuint (obs->incidents->len, ==, 0);

  /* Eight visible components; the hidden FedRAMP group is not on the page. */
  g_assert_cmpuint (obs->components->len, ==, 8);
  g_assert_null (mw_observations_find_component (obs, "FedRAMP Chat"));

  for (guint i = 0; i < obs->components->len; i++)
    {
      c = g_ptr_array_index (obs->components, i);
      g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);
      g_assert_cmpstr (c->raw_status, ==, "operational");
    }

  /* Page order and groups come from the structure. */
  c = g_ptr_array_index (obs->components, 0);
  g_assert_cmpstr (c->id, ==, CHAT_COMPLETIONS);
  g_assert_cmpstr (c->name, ==, "Chat Completions");
  g_assert_cmpstr (c->group_name, ==, "APIs");

  c = mw_observations_find_component (obs, CODEX_API);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->name, ==, "Codex API");
  g_assert_cmpstr (c->group_name, ==, "Codex");

  c = mw_observations_find_component (obs, "Sora API");
  g_assert_nonnull (c);
  g_assert_null (c->group_name);
}

static void
test_incident (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("incidentio-openai-proxy-summary-incident.json", &error);
  const MwIncidentObs *codex;
  const MwIncidentObs *sora;
  const MwUpdateObs *latest;
  const MwComponentObs *c;
  g_autofree char *started = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 2);

  c = mw_observations_find_component (obs, CODEX_API);
  g_assert_cmpint (c->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (c->raw_status, ==, "degraded_performance");
  c = mw_observations_find_component (obs, SORA_API);
  g_assert_cmpint (c->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpstr (c->raw_status, ==, "full_outage");
  c = mw_observations_find_component (obs, RESPONSES);
  g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);

  /* Newest first: Sora opened after Codex. */
  sora = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (sora->id, ==, "01KX7Y6ETMKP3ATQ85Z33J0EHN");
  g_assert_cmpstr (sora->name, ==, "Elevated Errors for Sora API");
  g_assert_cmpint (sora->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpstr (sora->impact, ==, "full_outage");
  g_assert_true (mw_incident_obs_has_component (sora, SORA_API));

  codex = find_incident_by_id (obs, "01M0G1RZER839AZXWMYKSZF3GR");
  g_assert_cmpstr (codex->name, ==, "Elevated Codex API authentication errors");
  g_assert_cmpstr (codex->status, ==, "identified");
  /* Its closed full_outage impact is history; the open one says degraded. */
  g_assert_cmpint (codex->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (codex->impact, ==, "degraded_performance");
  g_assert_false (codex->maintenance);
  /* "url": "$undefined" is no URL: the reader builds the page's own link. */
  g_assert_cmpstr (codex->url, ==, "https://status.openai.com/incidents/01M0G1RZER839AZXWMYKSZF3GR");
  g_assert_true (mw_incident_obs_has_component (codex, CODEX_API));
  g_assert_cmpuint (codex->component_ids->len, ==, 1);

  /* .272Z fractions parse. */
  started = g_date_time_format_iso8601 (codex->started_at);
  g_assert_cmpstr (started, ==, "2026-08-20T16:58:53.272000Z");

  /* The array lists the newest update first; the latest is by time, and its
   * rich-text message is flattened to plain lines. */
  g_assert_cmpuint (codex->updates->len, ==, 2);
  latest = mw_incident_obs_latest_update (codex);
  g_assert_cmpstr (latest->status, ==, "monitoring");
  g_assert_cmpstr (latest->body, ==,
                   "A mitigation is rolling out for Codex API authentication for Codex CLI users.\n"
                   "We\u2019re seeing error rates recover");
  g_assert_true (g_date_time_equal (latest->at, codex->updated_at));
  g_assert_cmpstr (((MwUpdateObs *) g_ptr_array_index (codex->updates, 0))->body, ==,
                   "Some users may encounter errors when using Codex with API authentication.\n\n"
                   "We are working on implementing a mitigation.");
}

static void
test_maintenance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("incidentio-openai-proxy-summary-maintenance.json", &error);
  const MwIncidentObs *m;
  const MwComponentObs *c;

  g_assert_no_error (error);

  /* Only the one in progress: upcoming, completed and resolved are dropped. */
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  m = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (m->name, ==, "Scheduled Batch maintenance");
  g_assert_true (m->maintenance);
  g_assert_cmpint (m->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpstr (m->status, ==, "maintenance_in_progress");
  g_assert_true (mw_incident_obs_has_component (m, RESPONSES));
  g_assert_cmpstr (mw_incident_obs_latest_update (m)->body, ==,
                   "We're reaching out to inform you of a scheduled maintenance window...");

  c = mw_observations_find_component (obs, RESPONSES);
  g_assert_cmpint (c->health, ==, MW_HEALTH_MAINTENANCE);
}

static void
test_unknown_words (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("incidentio-openai-proxy-summary-unknown.json", &error);
  const MwComponentObs *c;
  const MwIncidentObs *incident;

  /* A new word makes that row unknown, not the whole page unreadable. */
  g_assert_no_error (error);
  c = mw_observations_find_component (obs, CHAT_COMPLETIONS);
  g_assert_cmpint (c->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (c->raw_status, ==, "severely_degraded");
  c = mw_observations_find_component (obs, RESPONSES);
  g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);

  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpint (incident->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_true (mw_incident_obs_has_component (incident, CHAT_COMPLETIONS));
}

static void
test_absent_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("incidentio-openai-proxy-summary-minimal.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, 2);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpint (((MwComponentObs *) g_ptr_array_index (obs->components, 1))->health, ==,
                   MW_HEALTH_OPERATIONAL);
}

static void
test_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("incidentio-openai-proxy-summary-incident-bom.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 2);
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("incidentio-openai-proxy-summary-truncated.json", &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "status.openai.com"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_other_shapes (void)
{
  const char *fixtures[] = {
    /* The Statuspage-compatible shim: a page, but not this reader's. */
    "incidentio-openai-summary-shim-incident-trimmed.json",
    /* The history feed, which has incidents but no summary. */
    "incidentio-openai-proxy-incidents.json",
    "incidentio-pleo-proxy-incidents.json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_fixture (fixtures[i], &error);

      g_assert_null (obs);
      assert_page_changed (error, MW_SOURCE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "incident.io"));
    }
}

static void
test_broken_bodies (void)
{
  const char *bodies[] = {
    "[]",
    "{}",
    "{\"summary\": {}}",
    "{\"summary\": {\"components\": \"$undefined\"}}",
    "{\"summary\": []}",
    /* The widget API's document (/api/v1/summary), an incident.io shape
     * but not the one this reader reads. */
    ("{\"page_title\": \"OpenAI\", \"page_url\": \"https://status.openai.com\","
     " \"ongoing_incidents\": [], \"in_progress_maintenances\": [], \"scheduled_maintenances\": []}"),
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
  const char *html = "<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>"
                     "<body>Checking your browser</body></html>";
  g_autoptr(GBytes) body = g_bytes_new_static (html, strlen (html));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (body, &error);

  g_assert_null (obs);
  assert_page_changed (error, MW_SOURCE_ERROR_CHALLENGE);
}

static void
test_odd_elements (void)
{
  /* Non-objects inside arrays are skipped, not fatal. */
  const char *json =
    "{\"summary\": {\"components\": [42, {\"id\": \"a\", \"name\": \"A\"}, null],"
    " \"structure\": {\"items\": [\"x\", {\"group\": {\"name\": \"G\", \"hidden\": \"no\","
    "   \"components\": [7, {\"component_id\": \"a\", \"name\": \"A\", \"hidden\": 0}]}}]},"
    " \"affected_components\": [1, {\"component_id\": \"a\", \"status\": \"partial_outage\"}],"
    " \"ongoing_incidents\": [\"y\", {\"id\": \"i\", \"name\": \"N\", \"status\": \"investigating\","
    "   \"affected_components\": [false], \"updates\": [3, {\"message\": 5}]}]}}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes (body, &error);
  const MwComponentObs *c;
  const MwIncidentObs *incident;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, 1);
  c = g_ptr_array_index (obs->components, 0);
  g_assert_cmpstr (c->group_name, ==, "G");
  g_assert_cmpint (c->health, ==, MW_HEALTH_PARTIAL_OUTAGE);

  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  /* No words at all: an open incident is still at least degraded. */
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
  g_assert_null (mw_incident_obs_latest_update (incident)->body);
}

/* DESIGN.md's Statuspage / incident.io row, full_outage included. */
static void
test_mapping (void)
{
  static const struct { const char *word; MwHealth health; } table[] = {
    { "operational", MW_HEALTH_OPERATIONAL },
    { "under_maintenance", MW_HEALTH_MAINTENANCE },
    { "degraded_performance", MW_HEALTH_DEGRADED },
    { "partial_outage", MW_HEALTH_PARTIAL_OUTAGE },
    { "major_outage", MW_HEALTH_MAJOR_OUTAGE },
    { "full_outage", MW_HEALTH_MAJOR_OUTAGE },
    { "degraded", MW_HEALTH_UNKNOWN },
    { "OPERATIONAL", MW_HEALTH_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"summary\": {\"components\": [{\"id\": \"c\", \"name\": \"C\"}],"
        " \"affected_components\": [{\"component_id\": \"c\", \"status\": \"%s\"}],"
        " \"ongoing_incidents\": [{\"id\": \"i\", \"name\": \"I\", \"status\": \"identified\", \"type\": \"incident\","
        "   \"component_impacts\": [{\"component_id\": \"c\", \"status\": \"%s\", \"end_at\": null}]}]}}",
        table[i].word, table[i].word);
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_bytes (body, &error);
      MwHealth incident_health;

      g_assert_no_error (error);
      g_assert_cmpint (((MwComponentObs *) g_ptr_array_index (obs->components, 0))->health, ==, table[i].health);

      incident_health = table[i].health == MW_HEALTH_UNKNOWN ? MW_HEALTH_UNKNOWN :
                        MAX (table[i].health, MW_HEALTH_DEGRADED);
      g_assert_cmpint (((MwIncidentObs *) g_ptr_array_index (obs->incidents, 0))->health, ==, incident_health);
    }
}

static void
test_deep_message (void)
{
  /* A hostile rich-text document nested far deeper than any real one. */
  g_autoptr(GString) json = g_string_new (
    "{\"summary\": {\"components\": [], \"ongoing_incidents\": [{\"id\": \"i\", \"name\": \"N\","
    " \"status\": \"identified\", \"updates\": [{\"message\": {\"type\": \"doc\", \"content\": ["
    "{\"type\": \"paragraph\", \"content\": [{\"type\": \"text\", \"text\": \"top\"}]}, ");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append (json, "{\"type\": \"blockquote\", \"content\": [");
  g_string_append (json, "{\"type\": \"text\", \"text\": \"deep\"}");
  for (guint i = 0; i < 500; i++)
    g_string_append (json, "]}");
  g_string_append (json, "]}}]}]}}");

  body = g_bytes_new (json->str, json->len);
  obs = parse_bytes (body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_incident_obs_latest_update (g_ptr_array_index (obs->incidents, 0))->body, ==, "top");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reader/incidentio/urls", test_urls);
  g_test_add_func ("/reader/incidentio/mapping", test_mapping);
  g_test_add_func ("/reader/incidentio/all-clear", test_all_clear);
  g_test_add_func ("/reader/incidentio/incident", test_incident);
  g_test_add_func ("/reader/incidentio/maintenance", test_maintenance);
  g_test_add_func ("/reader/incidentio/unknown-words", test_unknown_words);
  g_test_add_func ("/reader/incidentio/absent-keys", test_absent_keys);
  g_test_add_func ("/reader/incidentio/bom", test_bom);
  g_test_add_func ("/reader/incidentio/truncated", test_truncated);
  g_test_add_func ("/reader/incidentio/other-shapes", test_other_shapes);
  g_test_add_func ("/reader/incidentio/broken-bodies", test_broken_bodies);
  g_test_add_func ("/reader/incidentio/challenge", test_challenge);
  g_test_add_func ("/reader/incidentio/odd-elements", test_odd_elements);
  g_test_add_func ("/reader/incidentio/deep-message", test_deep_message);

  return g_test_run ();
}
