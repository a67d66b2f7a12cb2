/* test-reader-feed.c
 *
 * The RSS/Atom reader over real feeds (xAI, Statuspage and incident.io
 * history, Volcengine) and broken or derived variants.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-test-server.h"

static MwObservations *
parse (const char  *fixture,
       const char * const *components,
       GError     **error)
{
  g_autoptr(MwProvider) p = mw_test_provider_new ("feed", "https://status.example.com/feed.xml",
                                                  NULL, components);

  return mw_test_parse_fixtures ("feed", p, (const char *[]) { fixture, NULL }, error);
}

static const MwIncidentObs *
incident (MwObservations *obs,
          guint           i)
{
  g_assert_cmpuint (i, <, obs->incidents->len);
  return g_ptr_array_index (obs->incidents, i);
}

static void
test_xai_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("xai-status-feed.xml",
                                         (const char *[]) { "API (us-east-1.api.x.ai)", NULL }, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (mw_observations_find_component (obs, "API (us-east-1.api.x.ai)")->health, ==,
                   MW_HEALTH_OPERATIONAL);
}

static void
test_xai_open_partial (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("xai-status-feed-open-partial.xml",
                                         (const char *[]) { "API (us-east-1.api.x.ai)", "API Console", NULL },
                                         &error);
  const MwIncidentObs *i;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  i = incident (obs, 0);
  g_assert_cmpstr (i->name, ==, "[API (us-east-1.api.x.ai)] Elevated error rates");
  g_assert_cmpstr (i->url, ==, "https://status.x.ai/api-console/INC702624e4");
  g_assert_cmpint (i->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_true (mw_incident_obs_has_component (i, "API (us-east-1.api.x.ai)"));
  g_assert_cmpint (mw_observations_find_component (obs, "API (us-east-1.api.x.ai)")->health, ==,
                   MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpint (mw_observations_find_component (obs, "API Console")->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_nonnull (i->started_at);
  g_assert_cmpint (g_date_time_get_year (i->started_at), ==, 2026);
}

static void
test_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("xai-status-feed-bom.xml", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
}

static void
test_statuspage_atom_open_item (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("statuspage-anthropic-history-truncated.atom.xml", NULL, &error);
  const MwIncidentObs *i;
  const MwUpdateObs *u;

  g_assert_no_error (error);
  /* Nine entries, one of them still open ("Monitoring"). */
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  i = incident (obs, 0);
  g_assert_cmpstr (i->name, ==, "Elevated errors on platform.claude.com");
  g_assert_cmpstr (i->status, ==, "monitoring");
  g_assert_cmpint (i->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (i->url, ==, "https://status.claude.com/incidents/978mjkgw6mh7");
  u = mw_incident_obs_latest_update (i);
  g_assert_nonnull (u);
  g_assert_true (g_str_has_prefix (u->body, "Oct"));
  g_assert_nonnull (strstr (u->body, "We've mitigated the errors"));
  /* the older "Identified" update is not the latest */
  g_assert_null (strstr (u->body, "We've identified the cause"));
}

static void
test_github_atom_update_label_is_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("statuspage-github-history-ongoing.atom.xml", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  g_assert_cmpstr (incident (obs, 0)->name, ==, "Degraded Gemini 2.5 Pro experience in Copilot");
  g_assert_cmpint (incident (obs, 0)->health, ==, MW_HEALTH_DEGRADED);
}

static void
test_incidentio_atom_all_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("incidentio-openai-history-truncated.atom.xml",
                                         (const char *[]) { "Conversations", NULL }, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpint (mw_observations_find_component (obs, "Conversations")->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_empty_feed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("volcengine-modelark-cn-shanghai-empty.rss.xml", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_maintenance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("azure-status-feed-maintenance.rss.xml", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  g_assert_cmpint (incident (obs, 0)->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_true (incident (obs, 0)->maintenance);
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("xai-status-feed-truncated.xml", NULL, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "status.example.com"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_wrong_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("statuspage-anthropic-summary.json", NULL, &error);

  g_assert_null (obs);
  /* JSON is not XML: malformed, never an empty green feed. */
  g_assert_true (g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE) ||
                 g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT));
}

static void
test_other_xml (void)
{
  g_autoptr(MwProvider) p = mw_test_provider_new ("feed", "https://status.example.com/feed.xml", NULL, NULL);
  const MwReader *reader = mw_reader_lookup ("feed");
  g_autoptr(GBytes) body = g_bytes_new_static ("<?xml version=\"1.0\"?><svg><g/></svg>", 37);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = reader->parse (p, &body, 1, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "page format changed"));
}

static void
test_html_challenge (void)
{
  g_autoptr(MwProvider) p = mw_test_provider_new ("feed", "https://status.example.com/feed.xml", NULL, NULL);
  const MwReader *reader = mw_reader_lookup ("feed");
  const char *html = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>";
  g_autoptr(GBytes) body = g_bytes_new_static (html, strlen (html));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = reader->parse (p, &body, 1, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_CHALLENGE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed/xai/resolved", test_xai_resolved);
  g_test_add_func ("/feed/xai/open-partial", test_xai_open_partial);
  g_test_add_func ("/feed/xai/bom", test_bom);
  g_test_add_func ("/feed/statuspage-atom/open-item", test_statuspage_atom_open_item);
  g_test_add_func ("/feed/statuspage-atom/update-label", test_github_atom_update_label_is_open);
  g_test_add_func ("/feed/incidentio-atom/resolved", test_incidentio_atom_all_resolved);
  g_test_add_func ("/feed/empty", test_empty_feed);
  g_test_add_func ("/feed/maintenance", test_maintenance);
  g_test_add_func ("/feed/broken/truncated", test_truncated);
  g_test_add_func ("/feed/broken/json", test_wrong_shape);
  g_test_add_func ("/feed/broken/other-xml", test_other_xml);
  g_test_add_func ("/feed/broken/html", test_html_challenge);

  return g_test_run ();
}
