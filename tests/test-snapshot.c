/* test-snapshot.c
 *
 * The snapshot's JSON: the exact shape of DESIGN.md "status --json", the
 * --provider filter, the lossless round trip the window relies on, the
 * shapes it refuses, content equality, and time/duration formatting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-snapshot.h"

static GDateTime *
at (const char *text)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return dt;
}

static MwProbeState *
probe_new (MwHealth    health,
           gint64      latency_ms,
           const char *checked_at,
           const char *error,
           const char *detail)
{
  MwProbeState *probe = mw_probe_state_new ();

  probe->health = health;
  probe->latency_ms = latency_ms;
  probe->checked_at = checked_at != NULL ? at (checked_at) : NULL;
  probe->error = g_strdup (error);
  probe->detail = g_strdup (detail);

  return probe;
}

static MwProviderState *
anthropic_outage (void)
{
  MwProviderState *p = mw_provider_state_new ("anthropic", "Anthropic");
  MwIncidentState *incident = mw_incident_state_new ("abc123def456", "Elevated errors on Claude Opus 4.7");
  MwModelState *opus = mw_model_state_new ("anthropic/claude-opus-4-7", "Claude Opus 4.7");
  MwModelState *sonnet = mw_model_state_new ("anthropic/claude-sonnet-4-6", "Claude Sonnet 4.6");
  const char *models[] = { "anthropic/claude-opus-4-7", NULL };
  const char *components[] = { "Claude API (api.anthropic.com)", NULL };
  g_autoptr(GDateTime) started = at ("2026-06-05T15:08:00Z");

  p->health = MW_HEALTH_MAJOR_OUTAGE;
  p->page_url = g_strdup ("https://status.claude.com");
  p->page_health = MW_HEALTH_MAJOR_OUTAGE;
  p->description = g_strdup ("Major Service Outage");
  /* A fraction and another zone: JSON says UTC, whole seconds. */
  p->fetched_at = at ("2026-06-05T17:10:01.734+02:00");
  g_ptr_array_add (p->components,
                   mw_component_state_new ("k8w3r06qmzrp", "Claude API (api.anthropic.com)",
                                           MW_HEALTH_MAJOR_OUTAGE));

  incident->status = g_strdup ("identified");
  incident->impact = g_strdup ("critical");
  incident->url = g_strdup ("https://stspg.io/m7w8kkf4tlqg");
  incident->health = MW_HEALTH_MAJOR_OUTAGE;
  incident->started_at = g_date_time_ref (started);
  incident->updated_at = at ("2026-06-05T15:09:30Z");
  incident->models = g_strdupv ((char **) models);
  incident->components = g_strdupv ((char **) components);
  g_ptr_array_add (incident->updates, mw_update_state_new (started, "investigating",
                                                           "We are investigating \"errors\"."));
  g_ptr_array_add (p->incidents, incident);

  p->probe = probe_new (MW_HEALTH_OPERATIONAL, 182, "2026-06-05T15:10:00Z", NULL, "HTTP 401 in 182 ms");

  opus->health = MW_HEALTH_MAJOR_OUTAGE;
  opus->official = MW_HEALTH_MAJOR_OUTAGE;
  opus->probe = mw_probe_state_copy (p->probe);
  opus->since = g_date_time_ref (started);
  opus->reason = g_strdup ("Elevated errors on Claude Opus 4.7");
  opus->fallback = g_strdup ("anthropic/claude-sonnet-4-6");
  g_ptr_array_add (p->models, opus);

  sonnet->health = MW_HEALTH_OPERATIONAL;
  sonnet->official = MW_HEALTH_OPERATIONAL;
  sonnet->stale = TRUE;
  g_ptr_array_add (p->models, sonnet);

  return p;
}

static MwProviderState *
openai_unreadable (void)
{
  MwProviderState *p = mw_provider_state_new ("openai", "OpenAI");

  p->health = MW_HEALTH_UNKNOWN;
  p->page_url = g_strdup ("https://status.openai.com");
  p->error = g_strdup ("status.openai.com: page format changed (an HTML page instead of JSON, perhaps a bot challenge)");

  return p;
}

static MwSnapshot *
snapshot_new (void)
{
  g_autoptr(GDateTime) checked = at ("2026-06-05T15:10:02.500Z");
  GPtrArray *providers = g_ptr_array_new ();

  g_ptr_array_add (providers, anthropic_outage ());
  g_ptr_array_add (providers, openai_unreadable ());

  return mw_snapshot_new (checked, FALSE, providers);
}

static const char expected_json[] =
  "{\"checked_at\":\"2026-06-05T15:10:02Z\",\"health\":\"major_outage\",\"offline\":false,"
  "\"providers\":["
  "{\"id\":\"anthropic\",\"name\":\"Anthropic\",\"health\":\"major_outage\","
  "\"status_page\":{\"url\":\"https://status.claude.com\",\"health\":\"major_outage\","
  "\"description\":\"Major Service Outage\",\"fetched_at\":\"2026-06-05T15:10:01Z\",\"error\":null},"
  "\"components\":[{\"id\":\"k8w3r06qmzrp\",\"name\":\"Claude API (api.anthropic.com)\",\"health\":\"major_outage\"}],"
  "\"incidents\":[{\"id\":\"abc123def456\",\"name\":\"Elevated errors on Claude Opus 4.7\","
  "\"status\":\"identified\",\"impact\":\"critical\",\"url\":\"https://stspg.io/m7w8kkf4tlqg\","
  "\"started_at\":\"2026-06-05T15:08:00Z\",\"updated_at\":\"2026-06-05T15:09:30Z\","
  "\"models\":[\"anthropic/claude-opus-4-7\"],"
  "\"health\":\"major_outage\",\"maintenance\":false,"
  "\"components\":[\"Claude API (api.anthropic.com)\"],"
  "\"updates\":[{\"at\":\"2026-06-05T15:08:00Z\",\"status\":\"investigating\","
  "\"body\":\"We are investigating \\\"errors\\\".\"}]}],"
  "\"probe\":{\"health\":\"operational\",\"latency_ms\":182,\"checked_at\":\"2026-06-05T15:10:00Z\","
  "\"error\":null,\"detail\":\"HTTP 401 in 182 ms\"},"
  "\"models\":["
  "{\"id\":\"anthropic/claude-opus-4-7\",\"name\":\"Claude Opus 4.7\",\"health\":\"major_outage\","
  "\"since\":\"2026-06-05T15:08:00Z\",\"reason\":\"Elevated errors on Claude Opus 4.7\","
  "\"signals\":{\"official\":\"major_outage\",\"probe\":\"operational\"},"
  "\"fallback\":\"anthropic/claude-sonnet-4-6\",\"stale\":false,"
  "\"probe\":{\"health\":\"operational\",\"latency_ms\":182,\"checked_at\":\"2026-06-05T15:10:00Z\","
  "\"error\":null,\"detail\":\"HTTP 401 in 182 ms\"}},"
  "{\"id\":\"anthropic/claude-sonnet-4-6\",\"name\":\"Claude Sonnet 4.6\",\"health\":\"operational\","
  "\"since\":null,\"reason\":null,"
  "\"signals\":{\"official\":\"operational\",\"probe\":null},"
  "\"fallback\":null,\"stale\":true,\"probe\":null}]},"
  "{\"id\":\"openai\",\"name\":\"OpenAI\",\"health\":\"unknown\","
  "\"status_page\":{\"url\":\"https://status.openai.com\",\"health\":\"unknown\","
  "\"description\":null,\"fetched_at\":null,"
  "\"error\":\"status.openai.com: page format changed (an HTML page instead of JSON, perhaps a bot challenge)\"},"
  "\"components\":[],\"incidents\":[],\"probe\":null,\"models\":[]}"
  "]}";

static void
test_json_shape (void)
{
  g_autoptr(MwSnapshot) snapshot = snapshot_new ();
  g_autofree char *json = mw_snapshot_to_json (snapshot, NULL, FALSE);
  g_autofree char *pretty = mw_snapshot_to_json (snapshot, NULL, TRUE);
  g_autoptr(JsonNode) node = mw_snapshot_to_json_node (snapshot, NULL);
  g_autoptr(JsonNode) reparsed = json_from_string (pretty, NULL);

  g_assert_cmpstr (json, ==, expected_json);
  /* Pretty output is the same document. */
  g_assert_true (json_node_equal (node, reparsed));
  g_assert_nonnull (strchr (pretty, '\n'));
}

static void
test_json_filter (void)
{
  g_autoptr(MwSnapshot) snapshot = snapshot_new ();
  const char *only_openai[] = { "openai", NULL };
  const char *only_anthropic[] = { "anthropic", NULL };
  g_autoptr(JsonNode) openai = mw_snapshot_to_json_node (snapshot, only_openai);
  g_autoptr(JsonNode) anthropic = mw_snapshot_to_json_node (snapshot, only_anthropic);
  JsonObject *o = json_node_get_object (openai);
  JsonArray *providers = json_object_get_array_member (o, "providers");

  g_assert_cmpint (mw_snapshot_get_health (snapshot), ==, MW_HEALTH_MAJOR_OUTAGE);
  /* The overall health is that of the listed providers only. */
  g_assert_cmpstr (json_object_get_string_member (o, "health"), ==, "unknown");
  g_assert_cmpuint (json_array_get_length (providers), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (providers, 0), "id"),
                   ==, "openai");

  o = json_node_get_object (anthropic);
  g_assert_cmpstr (json_object_get_string_member (o, "health"), ==, "major_outage");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "providers")), ==, 1);
}

static void
test_overall_health (void)
{
  g_autoptr(MwSnapshot) empty = mw_snapshot_new (NULL, TRUE, NULL);
  GPtrArray *providers = g_ptr_array_new ();
  g_autoptr(MwSnapshot) mixed = NULL;
  MwProviderState *ok = mw_provider_state_new ("ok", NULL);

  g_assert_cmpint (mw_snapshot_get_health (empty), ==, MW_HEALTH_UNKNOWN);
  g_assert_true (mw_snapshot_get_offline (empty));
  g_assert_cmpuint (mw_snapshot_get_n_providers (empty), ==, 0);

  ok->health = MW_HEALTH_OPERATIONAL;
  g_ptr_array_add (providers, mw_provider_state_new ("grey", "Grey"));
  g_ptr_array_add (providers, ok);
  mixed = mw_snapshot_new (NULL, FALSE, providers);
  /* Unknown only when everything is unknown. */
  g_assert_cmpint (mw_snapshot_get_health (mixed), ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpstr (mw_snapshot_get_provider (mixed, 1)->name, ==, "ok");
  g_assert_null (mw_snapshot_find_provider (mixed, "nope"));
}

static void
test_round_trip (void)
{
  g_autoptr(MwSnapshot) snapshot = snapshot_new ();
  g_autofree char *json = mw_snapshot_to_json (snapshot, NULL, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSnapshot) back = mw_snapshot_new_from_json (json, &error);
  g_autofree char *again = NULL;
  g_autofree char *checked = NULL;
  const MwModelState *opus;
  const MwProviderState *anthropic;

  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_true (mw_snapshot_equal (snapshot, back));
  g_assert_true (mw_snapshot_equal (back, snapshot));

  again = mw_snapshot_to_json (back, NULL, FALSE);
  g_assert_cmpstr (again, ==, expected_json);

  checked = mw_format_iso8601 (mw_snapshot_get_checked_at (back));
  g_assert_cmpstr (checked, ==, "2026-06-05T15:10:02Z");
  g_assert_cmpint (mw_snapshot_get_health (back), ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_false (mw_snapshot_get_offline (back));

  opus = mw_snapshot_find_model (back, "anthropic/claude-opus-4-7");
  g_assert_nonnull (opus);
  g_assert_cmpstr (opus->fallback, ==, "anthropic/claude-sonnet-4-6");
  g_assert_cmpint (opus->probe->latency_ms, ==, 182);
  g_assert_cmpstr (opus->probe->detail, ==, "HTTP 401 in 182 ms");
  g_assert_null (mw_snapshot_find_model (back, "anthropic/claude-sonnet-4-6")->probe);
  g_assert_true (mw_snapshot_find_model (back, "anthropic/claude-sonnet-4-6")->stale);

  anthropic = mw_snapshot_find_provider (back, "anthropic");
  g_assert_cmpuint (anthropic->incidents->len, ==, 1);
  g_assert_cmpstr (((MwIncidentState *) g_ptr_array_index (anthropic->incidents, 0))->components[0], ==,
                   "Claude API (api.anthropic.com)");
  g_assert_cmpstr (mw_snapshot_find_provider (back, "openai")->error, ==,
                   "status.openai.com: page format changed (an HTML page instead of JSON, perhaps a bot challenge)");
}

static void
test_contract_only_input (void)
{
  /* What DESIGN.md shows, without our additions, still reads. */
  const char *json =
    "{\"checked_at\": \"2026-06-05T15:10:02Z\", \"health\": \"major_outage\","
    " \"providers\": [{\"id\": \"anthropic\", \"name\": \"Anthropic\", \"health\": \"major_outage\","
    "   \"status_page\": {\"url\": \"https://status.claude.com\", \"health\": \"major_outage\","
    "                     \"description\": \"x\", \"fetched_at\": \"2026-06-05T15:10:01Z\", \"error\": null},"
    "   \"components\": [{\"id\": \"k8w3r06qmzrp\", \"name\": \"Claude API\", \"health\": \"major_outage\"}],"
    "   \"incidents\": [{\"id\": \"i\", \"name\": \"n\", \"status\": \"identified\", \"impact\": \"major\","
    "                    \"url\": null, \"started_at\": null, \"updated_at\": null, \"models\": []}],"
    "   \"probe\": {\"health\": \"operational\", \"latency_ms\": 182, \"checked_at\": null, \"error\": null},"
    "   \"models\": [{\"id\": \"anthropic/claude-opus-4-7\", \"name\": \"Claude Opus 4.7\","
    "                 \"health\": \"major_outage\", \"since\": null, \"reason\": \"r\","
    "                 \"signals\": {\"official\": \"major_outage\", \"probe\": \"operational\"},"
    "                 \"fallback\": \"anthropic/claude-sonnet-4-6\"}]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSnapshot) snapshot = mw_snapshot_new_from_json (json, &error);
  const MwProviderState *p;
  const MwModelState *m;

  g_assert_no_error (error);
  p = mw_snapshot_get_provider (snapshot, 0);
  g_assert_cmpint (((MwIncidentState *) g_ptr_array_index (p->incidents, 0))->health, ==,
                   MW_HEALTH_PARTIAL_OUTAGE);
  m = mw_snapshot_find_model (snapshot, "anthropic/claude-opus-4-7");
  g_assert_cmpint (m->official, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (m->probe->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (p->probe->latency_ms, ==, 182);
}

static void
assert_rejected (const char *json,
                 int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSnapshot) snapshot = mw_snapshot_new_from_json (json, &error);

  g_assert_null (snapshot);
  g_assert_error (error, MW_SNAPSHOT_ERROR, code);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_wrong_shapes (void)
{
  assert_rejected ("{\"providers\": [", MW_SNAPSHOT_ERROR_SYNTAX);
  assert_rejected ("[]", MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"health\": \"unknown\"}", MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"providers\": {}}", MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"providers\": [42]}", MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"providers\": [{\"name\": \"no id\", \"health\": \"unknown\"}]}",
                   MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"providers\": [{\"id\": \"a\", \"health\": \"green\"}]}", MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"checked_at\": \"yesterday\", \"providers\": []}", MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"providers\": [{\"id\": \"a\", \"health\": \"unknown\", \"models\": "
                   "[{\"id\": \"a/b\", \"health\": \"operational\", \"stale\": \"no\"}]}]}",
                   MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"providers\": [{\"id\": \"a\", \"health\": \"unknown\", \"incidents\": "
                   "[{\"id\": \"i\", \"models\": \"a/b\"}]}]}", MW_SNAPSHOT_ERROR_INVALID);
  assert_rejected ("{\"providers\": [{\"id\": \"a\", \"health\": \"unknown\", \"probe\": "
                   "{\"health\": \"operational\", \"latency_ms\": \"fast\"}}]}", MW_SNAPSHOT_ERROR_INVALID);
}

static MwSnapshot *
with_change (void (*change) (MwProviderState *p))
{
  GPtrArray *providers = g_ptr_array_new ();
  MwProviderState *p = anthropic_outage ();
  g_autoptr(GDateTime) checked = at ("2026-06-05T15:12:02Z");

  change (p);
  g_ptr_array_add (providers, p);
  g_ptr_array_add (providers, openai_unreadable ());

  return mw_snapshot_new (checked, FALSE, providers);
}

static void
change_times_only (MwProviderState *p)
{
  g_clear_pointer (&p->fetched_at, g_date_time_unref);
  p->fetched_at = at ("2026-06-05T15:12:01Z");
  g_clear_pointer (&p->probe->checked_at, g_date_time_unref);
  p->probe->checked_at = at ("2026-06-05T15:12:00Z");
  g_clear_pointer (&((MwModelState *) g_ptr_array_index (p->models, 0))->probe->checked_at,
                   g_date_time_unref);
}

static void
change_reason (MwProviderState *p)
{
  MwModelState *m = g_ptr_array_index (p->models, 0);

  g_free (m->reason);
  m->reason = g_strdup ("Recovering");
}

static void
change_health (MwProviderState *p)
{
  ((MwComponentState *) g_ptr_array_index (p->components, 0))->health = MW_HEALTH_PARTIAL_OUTAGE;
}

static void
change_update (MwProviderState *p)
{
  MwIncidentState *i = g_ptr_array_index (p->incidents, 0);

  g_ptr_array_add (i->updates, mw_update_state_new (NULL, "monitoring", "A fix is out."));
}

static void
change_probe (MwProviderState *p)
{
  g_free (p->probe->detail);
  p->probe->detail = g_strdup ("failing 1/3 (HTTP 503)");
}

static void
test_equal (void)
{
  g_autoptr(MwSnapshot) base = snapshot_new ();
  g_autoptr(MwSnapshot) times = with_change (change_times_only);
  g_autoptr(MwSnapshot) reason = with_change (change_reason);
  g_autoptr(MwSnapshot) health = with_change (change_health);
  g_autoptr(MwSnapshot) update = with_change (change_update);
  g_autoptr(MwSnapshot) probe = with_change (change_probe);
  g_autoptr(MwSnapshot) offline = mw_snapshot_new (NULL, TRUE, NULL);
  g_autoptr(MwSnapshot) online = mw_snapshot_new (NULL, FALSE, NULL);
  GPtrArray *copies = g_ptr_array_new ();
  g_autoptr(MwSnapshot) copy = NULL;

  g_assert_true (mw_snapshot_equal (base, base));
  /* When we looked is not news. */
  g_assert_true (mw_snapshot_equal (base, times));
  g_assert_false (mw_snapshot_equal (base, reason));
  g_assert_false (mw_snapshot_equal (base, health));
  g_assert_false (mw_snapshot_equal (base, update));
  g_assert_false (mw_snapshot_equal (base, probe));
  g_assert_false (mw_snapshot_equal (offline, online));

  for (guint i = 0; i < mw_snapshot_get_n_providers (base); i++)
    g_ptr_array_add (copies, mw_provider_state_copy (mw_snapshot_get_provider (base, i)));
  copy = mw_snapshot_new (NULL, FALSE, copies);
  g_assert_true (mw_snapshot_equal (base, copy));
}

static void
test_refcount (void)
{
  MwSnapshot *snapshot = snapshot_new ();
  MwSnapshot *ref = mw_snapshot_ref (snapshot);
  GValue value = G_VALUE_INIT;

  g_assert_true (ref == snapshot);
  mw_snapshot_unref (snapshot);
  g_assert_cmpuint (mw_snapshot_get_n_providers (ref), ==, 2);

  g_value_init (&value, MW_TYPE_SNAPSHOT);
  g_value_set_boxed (&value, ref);
  mw_snapshot_unref (ref);
  g_assert_cmpstr (mw_snapshot_get_provider (g_value_get_boxed (&value), 0)->id, ==, "anthropic");
  g_value_unset (&value);
}

static void
test_format_iso8601 (void)
{
  g_autoptr(GDateTime) local = at ("2026-06-05T17:10:02.999+02:00");
  g_autofree char *text = mw_format_iso8601 (local);

  g_assert_cmpstr (text, ==, "2026-06-05T15:10:02Z");
  g_assert_null (mw_format_iso8601 (NULL));
}

static void
assert_duration (GTimeSpan   span,
                 const char *expected)
{
  g_autofree char *text = mw_format_duration (span);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_duration (void)
{
  assert_duration (0, "0 s");
  assert_duration (45 * G_TIME_SPAN_SECOND, "45 s");
  assert_duration (59 * G_TIME_SPAN_SECOND + 999999, "59 s");
  assert_duration (60 * G_TIME_SPAN_SECOND, "1 min");
  assert_duration (35 * G_TIME_SPAN_MINUTE + 20 * G_TIME_SPAN_SECOND, "35 min");
  assert_duration (2 * G_TIME_SPAN_HOUR + 4 * G_TIME_SPAN_MINUTE, "2 h 04 min");
  assert_duration (23 * G_TIME_SPAN_HOUR + 59 * G_TIME_SPAN_MINUTE, "23 h 59 min");
  assert_duration (3 * G_TIME_SPAN_DAY + 2 * G_TIME_SPAN_HOUR, "3 d 02 h");
  assert_duration (-5 * G_TIME_SPAN_SECOND, "0 s");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/snapshot/json-shape", test_json_shape);
  g_test_add_func ("/snapshot/json-filter", test_json_filter);
  g_test_add_func ("/snapshot/overall-health", test_overall_health);
  g_test_add_func ("/snapshot/round-trip", test_round_trip);
  g_test_add_func ("/snapshot/contract-only-input", test_contract_only_input);
  g_test_add_func ("/snapshot/wrong-shapes", test_wrong_shapes);
  g_test_add_func ("/snapshot/equal", test_equal);
  g_test_add_func ("/snapshot/refcount", test_refcount);
  g_test_add_func ("/snapshot/format-iso8601", test_format_iso8601);
  g_test_add_func ("/snapshot/format-duration", test_format_duration);

  return g_test_run ();
}
