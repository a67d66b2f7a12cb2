/* test-statuspage.c
 *
 * The Statuspage v2 reader (Atlassian and the incident.io shim) on real
 * captures and variants derived from them: what it keeps, what it drops,
 * how it links incidents to components, and what it refuses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-reader.h"

static MwProvider *
provider_new (const char *page_url)
{
  MwProvider *p = g_new0 (MwProvider, 1);

  p->id = g_strdup ("test");
  p->name = g_strdup ("Test");
  p->page_url = g_strdup (page_url);
  p->platform = g_strdup ("statuspage");
  p->components = g_ptr_array_new ();
  p->models = g_ptr_array_new ();

  return p;
}

static void
provider_free (MwProvider *p)
{
  g_free (p->id);
  g_free (p->name);
  g_free (p->page_url);
  g_free (p->platform);
  g_ptr_array_unref (p->components);
  g_ptr_array_unref (p->models);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwProvider, provider_free)

static GBytes *
fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (data, len);
}

static MwObservations *
parse_bytes (const char *page_url,
             GBytes     *body,
             GError    **error)
{
  g_autoptr(MwProvider) provider = provider_new (page_url);
  const MwReader *reader = mw_reader_lookup ("statuspage");
  GBytes *bodies[] = { body };

  g_assert_nonnull (reader);
  return reader->parse (provider, bodies, 1, error);
}

static MwObservations *
parse_fixture (const char *name,
               GError    **error)
{
  g_autoptr(GBytes) body = fixture (name);

  return parse_bytes ("https://status.claude.com", body, error);
}

static MwObservations *
parse_ok (const char *name)
{
  g_autoptr(GError) error = NULL;
  MwObservations *obs = parse_fixture (name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (obs);
  return obs;
}

static gboolean
has_incident (MwObservations *obs,
              const char     *id)
{
  for (guint i = 0; i < obs->incidents->len; i++)
    if (g_strcmp0 (((MwIncidentObs *) g_ptr_array_index (obs->incidents, i))->id, id) == 0)
      return TRUE;

  return FALSE;
}

static const MwIncidentObs *
find_incident (MwObservations *obs,
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

static void
test_urls (void)
{
  g_autoptr(MwProvider) provider = provider_new ("https://status.claude.com/");
  g_autoptr(MwProvider) direct = provider_new ("http://127.0.0.1:8080/x/api/v2/summary.json");
  g_auto(GStrv) urls = mw_statuspage_reader.urls (provider);
  g_auto(GStrv) direct_urls = mw_statuspage_reader.urls (direct);

  g_assert_cmpuint (g_strv_length (urls), ==, 1);
  g_assert_cmpstr (urls[0], ==, "https://status.claude.com/api/v2/summary.json");
  g_assert_cmpstr (direct_urls[0], ==, "http://127.0.0.1:8080/x/api/v2/summary.json");
}

static void
test_all_clear (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("statuspage-anthropic-summary.json");
  const MwComponentObs *api;

  g_assert_cmpstr (obs->page_name, ==, "Claude");
  g_assert_cmpstr (obs->description, ==, "All Systems Operational");
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpuint (obs->components->len, ==, 6);
  g_assert_cmpuint (obs->incidents->len, ==, 0);

  for (guint i = 0; i < obs->components->len; i++)
    g_assert_cmpint (((MwComponentObs *) g_ptr_array_index (obs->components, i))->health, ==,
                     MW_HEALTH_OPERATIONAL);

  api = mw_observations_find_component (obs, "k8w3r06qmzrp");
  g_assert_nonnull (api);
  g_assert_cmpstr (api->name, ==, "Claude API (api.anthropic.com)");
  g_assert_cmpstr (api->raw_status, ==, "operational");
  g_assert_null (api->group_name);
}

static void
test_two_incidents (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("statuspage-anthropic-summary-two-incidents-trimmed.json");
  const MwIncidentObs *opus, *many;
  const MwUpdateObs *latest;
  g_autofree char *started = NULL;

  /* No "status" key at all in this capture. */
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpuint (obs->components->len, ==, 3);
  g_assert_cmpint (mw_observations_find_component (obs, "c")->health, ==, MW_HEALTH_DEGRADED);

  g_assert_cmpuint (obs->incidents->len, ==, 2);
  /* Newest first. */
  opus = g_ptr_array_index (obs->incidents, 0);
  many = g_ptr_array_index (obs->incidents, 1);
  g_assert_cmpstr (opus->id, ==, "mgp99sn4ynd4");
  g_assert_cmpstr (many->id, ==, "f6gkkq6txl7z");

  g_assert_cmpstr (opus->name, ==, "Degraded performance for Claude Opus 5");
  g_assert_cmpstr (opus->status, ==, "identified");
  g_assert_cmpstr (opus->impact, ==, "minor");
  g_assert_cmpint (opus->health, ==, MW_HEALTH_DEGRADED);
  g_assert_false (opus->maintenance);
  g_assert_cmpstr (opus->url, ==, "https://stspg.io/m7w8kkf4tlqg");
  started = g_date_time_format_iso8601 (opus->started_at);
  g_assert_cmpstr (started, ==, "2026-08-05T13:51:30.277000Z");
  g_assert_true (mw_incident_obs_has_component (opus, "d"));
  g_assert_cmpuint (opus->component_ids->len, ==, 1);

  g_assert_cmpuint (many->component_ids->len, ==, 0);
  g_assert_cmpuint (many->updates->len, ==, 2);
  latest = mw_incident_obs_latest_update (many);
  g_assert_cmpstr (latest->body, ==, "A fix has been deployed.");
  g_assert_cmpstr (latest->status, ==, "monitoring");
}

static void
test_group_rows (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("statuspage-cloudflare-summary-replicate-groups.json");
  const MwComponentObs *replicate, *tunnel;

  /* The header row is gone; its children remember its name. */
  g_assert_cmpuint (obs->components->len, ==, 2);
  g_assert_null (mw_observations_find_component (obs, "1km35smx8p41"));
  g_assert_null (mw_observations_find_component (obs, "Cloudflare Sites and Services"));

  replicate = mw_observations_find_component (obs, "fvgfcmy66tdr");
  tunnel = mw_observations_find_component (obs, "Tunnel");
  g_assert_nonnull (replicate);
  g_assert_cmpstr (replicate->group_name, ==, "Cloudflare Sites and Services");
  g_assert_cmpstr (tunnel->group_name, ==, "Cloudflare Sites and Services");
  g_assert_cmpint (replicate->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (tunnel->health, ==, MW_HEALTH_DEGRADED);

  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (obs->description, ==, "Minor Service Outage");
}

static void
test_linked_through_updates (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("statuspage-anthropic-summary-affected-only.json");
  const MwIncidentObs *incident;

  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "Elevated errors for multiple models");
  /* components: [] on the incident; the links come from the updates, one
   * of which has affected_components: null. */
  g_assert_cmpuint (incident->component_ids->len, ==, 3);
  g_assert_true (mw_incident_obs_has_component (incident, "k8w3r06qmzrp"));
  g_assert_true (mw_incident_obs_has_component (incident, "rwppv331jlwc"));
  g_assert_true (mw_incident_obs_has_component (incident, "yyzkbfz2thpt"));
  g_assert_false (mw_incident_obs_has_component (incident, "0qbwn08sd68x"));
  g_assert_cmpint (incident->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (mw_incident_obs_latest_update (incident)->status, ==, "identified");
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_PARTIAL_OUTAGE);
}

static void
test_open_incident_indicator_none (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("statuspage-anthropic-summary-indicator-none.json");
  const MwIncidentObs *incident;

  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpstr (obs->description, ==, "All Systems Operational");
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpint (incident->health, >=, MW_HEALTH_DEGRADED);
  g_assert_cmpuint (incident->component_ids->len, ==, 0);
}

static void
test_updates_by_time_and_closed_dropped (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("statuspage-anthropic-summary-latest-update.json");
  const MwIncidentObs *incident;

  /* The resolved and the postmortem incidents are gone. */
  g_assert_cmpuint (obs->incidents->len, ==, 2);
  g_assert_false (has_incident (obs, "r3solvedhaik"));
  g_assert_false (has_incident (obs, "p0stmortemop"));

  incident = find_incident (obs, "f6gkkq6txl7z");
  g_assert_cmpuint (incident->updates->len, ==, 3);
  /* Listed mid, new, old; kept oldest first by time. */
  g_assert_cmpstr (((MwUpdateObs *) g_ptr_array_index (incident->updates, 0))->status, ==, "investigating");
  g_assert_cmpstr (((MwUpdateObs *) g_ptr_array_index (incident->updates, 1))->status, ==, "identified");
  g_assert_cmpstr (mw_incident_obs_latest_update (incident)->body, ==,
                   "A fix has been deployed; Claude Sonnet 4.6 is still recovering.");
}

static void
test_shim_missing_keys (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("incidentio-openai-summary-shim-allclear.json");
  guint logins = 0;

  g_assert_cmpstr (obs->page_name, ==, "OpenAI");
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpuint (obs->components->len, ==, 34);

  for (guint i = 0; i < obs->components->len; i++)
    {
      const MwComponentObs *c = g_ptr_array_index (obs->components, i);

      /* ULIDs, no groups. */
      g_assert_cmpuint (strlen (c->id), ==, 26);
      g_assert_null (c->group_name);
      g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);
      if (g_str_equal (c->name, "Login"))
        logins++;
    }
  /* Duplicate names are two components, not one. */
  g_assert_cmpuint (logins, ==, 2);
  g_assert_nonnull (mw_observations_find_component (obs, "01JMXBRMFE6N2NNT7DG6XZQ6PW"));
}

static void
test_shim_incident (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("incidentio-openai-summary-shim-incident-trimmed.json");
  const MwIncidentObs *incident;
  g_autofree char *updated = NULL;

  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (obs->description, ==, "Partial System Degradation");
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->id, ==, "01KZ9DMQD2GJ8JJWDN7572RH78");
  g_assert_cmpstr (incident->name, ==, "Issues with Custom GPT actions");
  /* shortlink is null: the page's own URL, with exactly one slash. */
  g_assert_cmpstr (incident->url, ==,
                   "https://status.openai.com/incidents/01KZ9DMQD2GJ8JJWDN7572RH78");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
  g_assert_null (incident->started_at);
  updated = g_date_time_format_iso8601 (incident->updated_at);
  g_assert_cmpstr (updated, ==, "2026-08-05T19:03:27Z");
  g_assert_cmpuint (incident->updates->len, ==, 0);
}

static void
test_shim_incidents_left_out (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("incidentio-openai-summary-shim-no-incidents-key.json");
  g_autoptr(MwObservations) clear = parse_ok ("incidentio-openai-summary-shim-allclear.json");
  const MwIncidentObs *hidden;

  /* Indicator "minor" and no incidents key: an open incident we cannot
   * see, not an all-clear page. */
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  hidden = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (hidden->name, ==, "Partial System Degradation");
  g_assert_cmpint (hidden->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpuint (hidden->component_ids->len, ==, 0);
  g_assert_cmpstr (hidden->url, ==, "https://status.openai.com/");

  /* Indicator "none" and no incidents key: all clear indeed. */
  g_assert_cmpuint (clear->incidents->len, ==, 0);
}

static void
test_full_outage_and_unknown_words (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("incidentio-openai-summary-shim-full-outage.json");
  const MwComponentObs *api = mw_observations_find_component (obs, "API");
  const MwComponentObs *chat = mw_observations_find_component (obs, "Chat Completions");
  const MwIncidentObs *incident;

  g_assert_cmpint (api->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpstr (api->raw_status, ==, "full_outage");

  /* Never operational for a word we do not know; the word is kept. */
  g_assert_cmpint (chat->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (chat->raw_status, ==, "elevated_errors");
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_UNKNOWN);

  /* An open incident with an unknown impact word is degraded: open means
   * something is wrong, and we do not guess how badly. */
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->impact, ==, "catastrophic");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
}

static void
test_maintenance (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("statuspage-cloudflare-summary-replicate-maintenance.json");
  const MwIncidentObs *in_progress, *verifying, *tunnel;

  /* Two open incidents, one maintenance in progress, one verifying. */
  g_assert_cmpuint (obs->incidents->len, ==, 4);

  in_progress = find_incident (obs, "xtmjwqxfxf1g");
  verifying = find_incident (obs, "qz56cwckjprs");
  g_assert_true (in_progress->maintenance);
  g_assert_true (verifying->maintenance);
  g_assert_cmpint (in_progress->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpstr (in_progress->name, ==, "IAD (Ashburn) on 2026-09-14");
  g_assert_cmpstr (in_progress->impact, ==, "maintenance");
  g_assert_true (mw_incident_obs_has_component (in_progress, "fvgfcmy66tdr"));
  g_assert_cmpstr (in_progress->url, ==, "https://www.cloudflarestatus.com/incidents/xtmjwqxfxf1g");

  /* Completed and upcoming ones say nothing about now. */
  g_assert_false (has_incident (obs, "k9nr5ts3kh1p"));
  g_assert_false (has_incident (obs, "5pls6mqy441l"));

  tunnel = find_incident (obs, "k7l4hzmthl3k");
  g_assert_false (tunnel->maintenance);
  g_assert_true (mw_incident_obs_has_component (tunnel, "y98zlwj1d7zh"));
}

static void
test_plain_maintenances_dropped (void)
{
  g_autoptr(MwObservations) obs = parse_ok ("statuspage-cloudflare-summary-replicate.json");

  /* Seven scheduled maintenances, none in progress. */
  g_assert_cmpuint (obs->incidents->len, ==, 2);
  for (guint i = 0; i < obs->incidents->len; i++)
    g_assert_false (((MwIncidentObs *) g_ptr_array_index (obs->incidents, i))->maintenance);
}

static void
test_bom (void)
{
  g_autoptr(GBytes) plain = fixture ("statuspage-anthropic-summary.json");
  g_autoptr(GByteArray) with_bom = g_byte_array_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (plain, &len);

  g_byte_array_append (with_bom, (const guint8 *) "\xEF\xBB\xBF", 3);
  g_byte_array_append (with_bom, data, len);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&with_bom));

  obs = parse_bytes ("https://status.claude.com", body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (obs->components->len, ==, 6);
}

static void
test_minimal_keys (void)
{
  static const char json[] =
    "{\"components\":[{\"id\":\"x\"},{\"name\":\"Only a name\",\"status\":\"operational\"},42,null,"
    "{\"id\":\"g\",\"name\":\"Group\",\"group\":true}],"
    " \"incidents\":[{\"name\":\"No id\"},null,{\"id\":\"r\",\"status\":\"resolved\"}],"
    " \"scheduled_maintenances\":null}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, sizeof json - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes ("https://status.example.com", body, &error);
  const MwComponentObs *x, *named;
  const MwIncidentObs *incident;

  g_assert_no_error (error);
  g_assert_null (obs->page_name);
  g_assert_null (obs->description);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_UNKNOWN);

  g_assert_cmpuint (obs->components->len, ==, 2);
  x = mw_observations_find_component (obs, "x");
  named = mw_observations_find_component (obs, "Only a name");
  g_assert_cmpint (x->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_null (x->raw_status);
  g_assert_cmpint (named->health, ==, MW_HEALTH_OPERATIONAL);

  g_assert_cmpuint (obs->incidents->len, ==, 1);
  incident = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (incident->name, ==, "No id");
  g_assert_cmpint (incident->health, ==, MW_HEALTH_DEGRADED);
  g_assert_null (incident->impact);
  g_assert_null (incident->url);
}

static void
test_only_web_links (void)
{
  static const char json[] =
    "{\"page\":{\"url\":\"javascript:alert(1)\"},\"components\":[],"
    " \"incidents\":[{\"id\":\"j\",\"name\":\"Bad link\",\"shortlink\":\"javascript:alert(2)\"}]}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, sizeof json - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_bytes ("https://status.example.com", body, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (((MwIncidentObs *) g_ptr_array_index (obs->incidents, 0))->url, ==,
                   "https://status.example.com/incidents/j");
}

static void
assert_format_error (const char *fixture_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture (fixture_name, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, "status.claude.com: page format changed ("));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_wrong_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) array = g_bytes_new_static ("[]", 2);
  g_autoptr(MwObservations) obs = NULL;

  assert_format_error ("statuspage-anthropic-summary-components-object.json");
  assert_format_error ("statuspage-anthropic-summary-no-page.json");
  /* Another platform's JSON (Instatus) is not an empty Statuspage page. */
  assert_format_error ("instatus-perplexity-summary.json");

  obs = parse_bytes ("https://status.claude.com", array, &error);
  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT);
}

static void
test_html_is_a_challenge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("incidentio-perplexity-page-nextf.html", &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_CHALLENGE);
  g_assert_true (g_str_has_prefix (error->message, "status.claude.com: "));
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_fixture ("statuspage-anthropic-summary-truncated.json", &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "status.claude.com sent malformed JSON"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/statuspage/urls", test_urls);
  g_test_add_func ("/statuspage/all-clear", test_all_clear);
  g_test_add_func ("/statuspage/two-incidents", test_two_incidents);
  g_test_add_func ("/statuspage/group-rows", test_group_rows);
  g_test_add_func ("/statuspage/linked-through-updates", test_linked_through_updates);
  g_test_add_func ("/statuspage/open-incident-indicator-none", test_open_incident_indicator_none);
  g_test_add_func ("/statuspage/updates-by-time-closed-dropped", test_updates_by_time_and_closed_dropped);
  g_test_add_func ("/statuspage/shim-missing-keys", test_shim_missing_keys);
  g_test_add_func ("/statuspage/shim-incident", test_shim_incident);
  g_test_add_func ("/statuspage/shim-incidents-left-out", test_shim_incidents_left_out);
  g_test_add_func ("/statuspage/full-outage-unknown-words", test_full_outage_and_unknown_words);
  g_test_add_func ("/statuspage/maintenance", test_maintenance);
  g_test_add_func ("/statuspage/upcoming-maintenance-dropped", test_plain_maintenances_dropped);
  g_test_add_func ("/statuspage/bom", test_bom);
  g_test_add_func ("/statuspage/minimal-keys", test_minimal_keys);
  g_test_add_func ("/statuspage/only-web-links", test_only_web_links);
  g_test_add_func ("/statuspage/wrong-shape", test_wrong_shape);
  g_test_add_func ("/statuspage/html-challenge", test_html_is_a_challenge);
  g_test_add_func ("/statuspage/truncated", test_truncated);

  return g_test_run ();
}
