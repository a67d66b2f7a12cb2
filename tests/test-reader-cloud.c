/* test-reader-cloud.c
 *
 * The Google Cloud, AWS Health and Flashduty readers over real captures
 * and derived variants: all clear, open incidents, unknown words, UTF-16
 * and wrong shapes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-test-server.h"

#define VERTEX "Z0FZJAMvEB4j3NbCJs6B"
#define V4_PRO "01KY4MVS8BM3F9JSYWACGQVG7A"
#define V4_FLASH "01KY4MVS8BSBSVW6053QJ37RJE"

static MwObservations *
parse (const char          *platform,
       const char          *fixture,
       const char * const  *options,
       GError             **error)
{
  g_autoptr(MwProvider) p = mw_test_provider_new (platform, "https://status.example.com", options, NULL);

  return mw_test_parse_fixtures (platform, p, (const char *[]) { fixture, NULL }, error);
}

static void
assert_one_line_naming_host (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "status.example.com"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_urls (void)
{
  g_autoptr(MwProvider) g = mw_test_provider_new ("gcloud", "https://status.cloud.google.com/", NULL, NULL);
  g_autoptr(MwProvider) a = mw_test_provider_new ("aws", "https://health.aws.amazon.com/health/status", NULL, NULL);
  g_autoptr(MwProvider) f = mw_test_provider_new ("flashduty", "https://status.deepseek.com",
                                                  (const char *[]) { "page_id=6410630422455", NULL }, NULL);
  g_auto(GStrv) gu = mw_reader_lookup ("gcloud")->urls (g);
  g_auto(GStrv) au = mw_reader_lookup ("aws")->urls (a);
  g_auto(GStrv) fu = mw_reader_lookup ("flashduty")->urls (f);

  g_assert_cmpstr (gu[0], ==, "https://status.cloud.google.com/incidents.json");
  g_assert_cmpstr (au[0], ==, "https://health.aws.amazon.com/public/currentevents");
  g_assert_cmpstr (fu[0], ==, "https://status.deepseek.com/api/status-page/6410630422455/summary/active");
}

static void
test_gcloud_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("gcloud", "google-cloud-incidents-vertex.json",
                                         (const char *[]) { "products=" VERTEX, NULL }, &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  c = mw_observations_find_component (obs, VERTEX);
  g_assert_nonnull (c);
  g_assert_cmpint (c->health, ==, MW_HEALTH_OPERATIONAL);
  /* The resolved incident still names the product. */
  g_assert_cmpstr (c->name, ==, "Vertex Gemini API");
}

static void
test_gcloud_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("gcloud", "google-cloud-incidents-vertex-open.json",
                                         (const char *[]) { "products=" VERTEX, NULL }, &error);
  const MwIncidentObs *i;
  const MwUpdateObs *latest;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  i = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (i->id, ==, "openVertexIncident01");
  g_assert_cmpint (i->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_true (mw_incident_obs_has_component (i, VERTEX));
  /* Products we do not watch are not turned into components. */
  g_assert_false (mw_incident_obs_has_component (i, "eUntUKqUrHdbBLNcVVXq"));
  g_assert_cmpstr (i->url, ==, "https://status.example.com/incidents/41E5S3mkTGDfkZuJZH5k");
  latest = mw_incident_obs_latest_update (i);
  g_assert_cmpstr (latest->body, ==, "Mitigation in progress; error rates are decreasing.");
  g_assert_cmpint (mw_observations_find_component (obs, VERTEX)->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
}

static void
test_gcloud_unknown_impact (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("gcloud", "google-cloud-incidents-vertex-unknown-impact.json",
                                         (const char *[]) { "products=" VERTEX, NULL }, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  /* An open incident with a word we do not know is still at least degraded. */
  g_assert_cmpint (((MwIncidentObs *) g_ptr_array_index (obs->incidents, 0))->health, ==, MW_HEALTH_DEGRADED);
}

/* Two open incidents on the same product (and the product listed twice in
 * one of them): both are reported, the product takes the worst health, and
 * no earlier status word is leaked (the sanitizer run checks that). */
static void
test_gcloud_two_open (void)
{
  const char *json =
    "[{\"id\": \"first\", \"begin\": \"2026-11-29T09:00:00+00:00\", \"status_impact\": \"SERVICE_OUTAGE\","
    "   \"external_desc\": \"Gemini errors\","
    "   \"affected_products\": [{\"id\": \"" VERTEX "\", \"title\": \"Vertex Gemini API\"},"
    "                           {\"id\": \"" VERTEX "\", \"title\": \"Vertex Gemini API\"}]},"
    " {\"id\": \"second\", \"begin\": \"2026-11-29T10:00:00+00:00\", \"status_impact\": \"SERVICE_INFORMATION\","
    "   \"external_desc\": \"Slow responses\","
    "   \"affected_products\": [{\"id\": \"" VERTEX "\", \"title\": \"Vertex Gemini API\"}]}]";
  g_autoptr(MwProvider) p = mw_test_provider_new ("gcloud", "https://status.example.com",
                                                  (const char *[]) { "products=" VERTEX, NULL }, NULL);
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  GBytes *bodies[] = { body };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = mw_reader_lookup ("gcloud")->parse (p, bodies, 1, &error);
  const MwComponentObs *c;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 2);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_MAJOR_OUTAGE);
  c = mw_observations_find_component (obs, VERTEX);
  g_assert_nonnull (c);
  g_assert_cmpint (c->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_nonnull (c->raw_status);
}

static void
test_gcloud_wrong_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("gcloud", "statuspage-anthropic-summary.json", NULL, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT);
  assert_one_line_naming_host (error);
}

static void
check_aws (const char *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("aws", fixture,
                                         (const char *[]) { "services=bedrock-us-east-1,bedrock-me-central-1", NULL },
                                         &error);
  const MwIncidentObs *i;

  g_assert_no_error (error);
  g_assert_cmpint (mw_observations_find_component (obs, "bedrock-us-east-1")->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (mw_observations_find_component (obs, "bedrock-me-central-1")->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  /* bedrock-me-south-1 is down too, but not watched; the resolved STS event is gone. */
  g_assert_null (mw_observations_find_component (obs, "bedrock-me-south-1"));
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  i = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpstr (i->name, ==, "Increased Error Rates");
  g_assert_cmpint (i->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpstr (mw_incident_obs_latest_update (i)->body, ==,
                   "We are investigating issues with AWS services in the ME-CENTRAL-1 Region.");
}

static void
test_aws_utf8 (void)
{
  check_aws ("aws-health-currentevents.json");
}

static void
test_aws_utf16 (void)
{
  check_aws ("aws-health-currentevents-utf16.json");
}

static void
test_aws_default_services (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("aws", "aws-health-currentevents.json", NULL, &error);

  g_assert_no_error (error);
  /* Without a list, every Bedrock region is watched and nothing else. */
  g_assert_cmpuint (obs->components->len, ==, 2);
  g_assert_nonnull (mw_observations_find_component (obs, "bedrock-me-south-1"));
  g_assert_null (mw_observations_find_component (obs, "sts-me-south-1"));
}

static void
test_aws_wrong_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("aws", "flashcat-deepseek-active.json", NULL, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT);
  assert_one_line_naming_host (error);
}

static void
test_flashduty_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("flashduty", "flashcat-deepseek-active.json",
                                         (const char *[]) { "page_id=6410630422455", NULL }, &error);
  const MwComponentObs *pro, *instant;

  g_assert_no_error (error);
  g_assert_cmpstr (obs->page_name, ==, "DeepSeek");
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  pro = mw_observations_find_component (obs, V4_PRO);
  g_assert_cmpstr (pro->name, ==, "DeepSeek V4 Pro API服务(API Service)");
  g_assert_cmpint (pro->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_null (pro->group_name);
  instant = mw_observations_find_component (obs, "快速模式(Instant Mode)");
  g_assert_nonnull (instant);
  g_assert_cmpstr (instant->group_name, ==, "对话服务(Chat Service)");
}

static void
test_flashduty_incident (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("flashduty", "flashcat-deepseek-active-incident.json",
                                         (const char *[]) { "page_id=6410630422455", NULL }, &error);
  const MwIncidentObs *i;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  i = g_ptr_array_index (obs->incidents, 0);
  g_assert_cmpint (i->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_true (mw_incident_obs_has_component (i, V4_PRO));
  g_assert_cmpint (mw_observations_find_component (obs, V4_PRO)->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpint (mw_observations_find_component (obs, V4_FLASH)->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpstr (mw_incident_obs_latest_update (i)->body, ==,
                   "We are investigating elevated API errors on DeepSeek V4 Pro.");
}

static void
test_flashduty_unknown_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("flashduty", "flashcat-deepseek-active-unknown-status.json",
                                         (const char *[]) { "page_id=6410630422455", NULL }, &error);

  g_assert_no_error (error);
  g_assert_cmpint (mw_observations_find_component (obs, V4_PRO)->health, ==, MW_HEALTH_UNKNOWN);
}

static void
test_flashduty_wrong_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("flashduty", "google-cloud-incidents-vertex.json",
                                         (const char *[]) { "page_id=1", NULL }, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT);
  assert_one_line_naming_host (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cloud/urls", test_urls);
  g_test_add_func ("/gcloud/resolved", test_gcloud_resolved);
  g_test_add_func ("/gcloud/open", test_gcloud_open);
  g_test_add_func ("/gcloud/unknown-impact", test_gcloud_unknown_impact);
  g_test_add_func ("/gcloud/two-open", test_gcloud_two_open);
  g_test_add_func ("/gcloud/wrong-shape", test_gcloud_wrong_shape);
  g_test_add_func ("/aws/utf8", test_aws_utf8);
  g_test_add_func ("/aws/utf16", test_aws_utf16);
  g_test_add_func ("/aws/default-services", test_aws_default_services);
  g_test_add_func ("/aws/wrong-shape", test_aws_wrong_shape);
  g_test_add_func ("/flashduty/clear", test_flashduty_clear);
  g_test_add_func ("/flashduty/incident", test_flashduty_incident);
  g_test_add_func ("/flashduty/unknown-status", test_flashduty_unknown_status);
  g_test_add_func ("/flashduty/wrong-shape", test_flashduty_wrong_shape);

  return g_test_run ();
}
