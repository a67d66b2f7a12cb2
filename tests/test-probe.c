/* test-probe.c
 *
 * Our own API probes against fake provider APIs on 127.0.0.1: how each
 * kind of answer is classified, the 3-down/2-up damping, latency spikes,
 * the offline pause, the requests of levels 2 and 3 and the daily budget
 * of generation probes across restarts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "mw-catalog.h"
#include "mw-fetch.h"
#include "mw-history.h"
#include "mw-probe.h"
#include "mw-test-server.h"

#define CANARY   "sk-canary-0123456789abcdef"
#define KEY_ENV  "MW_TEST_PROBE_KEY"
#define PROVIDER "testprov"

typedef struct {
  MwTestServer *server;
  MwCatalog    *catalog;
  MwFetcher    *fetcher;
  MwProber     *prober;
  char         *state_dir;
  guint         changed;
  char         *changed_id;
} Fixture;

/* A catalog with one trusted provider on the test server. @api_extra is
 * spliced into "api", @model_extra into the one model. */
static MwCatalog *
make_catalog (MwTestServer *server,
              const char   *auth,
              const char   *model_id,
              const char   *api_extra,
              const char   *model_extra)
{
  g_autofree char *base = mw_test_server_url (server, "");
  g_autofree char *json = NULL;
  g_autofree char *auth_member = NULL;
  g_autoptr(GError) error = NULL;
  MwCatalog *catalog;

  auth_member = auth != NULL ? g_strdup_printf (", \"auth\": \"%s\"", auth) : g_strdup ("");
  json = g_strdup_printf (
    "{\"version\": 1, \"providers\": [{"
    "  \"id\": \"" PROVIDER "\", \"name\": \"Test provider\", \"trusted\": true,"
    "  \"status_page\": {\"url\": \"%s\", \"platform\": \"statuspage\"},"
    "  \"api\": {\"base_url\": \"%s\","
    "            \"probe\": {\"method\": \"GET\", \"path\": \"/v1/models\", \"expect\": [401]},"
    "            \"key_env\": \"" KEY_ENV "\"%s%s%s},"
    "  \"models\": [{\"id\": \"%s\", \"name\": \"Test model\"%s%s}]"
    "}], \"fallbacks\": {}}",
    base, base, auth_member,
    api_extra ? ", " : "", api_extra ? api_extra : "",
    model_id,
    model_extra ? ", " : "", model_extra ? model_extra : "");

  catalog = mw_catalog_new_from_data (json, -1, "test-catalog.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  return catalog;
}

static void
on_changed (MwProber   *prober,
            const char *provider_id,
            gpointer    user_data)
{
  Fixture *f = user_data;

  f->changed++;
  g_free (f->changed_id);
  f->changed_id = g_strdup (provider_id);
}

static void
fixture_prober (Fixture    *f,
                MwCatalog  *catalog)
{
  g_autofree char *db = g_build_filename (f->state_dir, "modelwatch", "history.db", NULL);

  g_clear_object (&f->prober);
  if (catalog != NULL)
    {
      g_clear_pointer (&f->catalog, mw_catalog_unref);
      f->catalog = catalog;
    }
  f->prober = mw_prober_new (f->catalog, f->fetcher);
  g_signal_connect (f->prober, "changed", G_CALLBACK (on_changed), f);
  /* the machine running the tests may have no default route */
  mw_prober_set_network_available (f->prober, TRUE);
  mw_prober_set_history_path (f->prober, db);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *auth = data != NULL ? data : "x-api-key";

  f->state_dir = g_dir_make_tmp ("mw-test-probe-XXXXXX", NULL);
  g_setenv ("XDG_STATE_HOME", f->state_dir, TRUE);
  g_unsetenv (KEY_ENV);

  f->server = mw_test_server_new ();
  f->fetcher = mw_fetcher_new ();
  mw_fetcher_set_timeout (f->fetcher, 5);
  mw_test_server_set_body (f->server, "/v1/models", 401, "application/json",
                           "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"}}", -1);
  fixture_prober (f, make_catalog (f->server, auth, "test-model", NULL, NULL));
}

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->prober);
  g_clear_object (&f->fetcher);
  g_clear_pointer (&f->catalog, mw_catalog_unref);
  g_clear_pointer (&f->server, mw_test_server_free);
  g_clear_pointer (&f->changed_id, g_free);
  rm_rf (f->state_dir);
  g_free (f->state_dir);
  g_unsetenv (KEY_ENV);
}

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_prober_check_finish (MW_PROBER (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
check (Fixture *f)
{
  gboolean done = FALSE;

  mw_prober_check_async (f->prober, NULL, check_done, &done);
  g_assert_true (mw_test_wait_until (&done, 20000));
}

static const MwProbeState *
provider_state (Fixture *f)
{
  const MwProbeState *state = mw_prober_get_provider_state (f->prober, PROVIDER);

  g_assert_nonnull (state);
  return state;
}

static const MwProbeState *
model_state (Fixture    *f,
             const char *global_id)
{
  GHashTable *states = mw_prober_get_model_states (f->prober, PROVIDER);
  const MwProbeState *state;

  g_assert_nonnull (states);
  state = g_hash_table_lookup (states, global_id);
  g_assert_nonnull (state);
  return state;
}

static void
set_api (Fixture    *f,
         guint       status,
         const char *body)
{
  mw_test_server_set_body (f->server, "/v1/models", status, "application/json",
                           body != NULL ? body : "{}", -1);
}

/* ------------------------------------------------------------------ */

static void
test_expected (Fixture       *f,
               gconstpointer  data)
{
  const MwProbeState *state;

  g_assert_null (mw_prober_get_provider_state (f->prober, PROVIDER));

  mw_prober_set_damping (f->prober, FALSE);
  check (f);

  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_null (state->error);
  g_assert_true (g_str_has_prefix (state->detail, "reachable ("));
  g_assert_true (g_str_has_suffix (state->detail, " ms)"));
  g_assert_cmpint (state->latency_ms, >=, 0);
  g_assert_nonnull (state->checked_at);
  g_assert_cmpuint (f->changed, ==, 1);
  g_assert_cmpstr (f->changed_id, ==, PROVIDER);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/models"), ==, 1);
  /* level 1 never carries a key, even when one is available */
  g_assert_null (mw_test_server_get_request_header (f->server, "/v1/models", "x-api-key"));
  g_assert_null (mw_test_server_get_request_header (f->server, "/v1/models", "authorization"));
  g_assert_nonnull (mw_test_server_get_request_header (f->server, "/v1/models", "user-agent"));
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  const MwProbeState *state;

  mw_prober_set_damping (f->prober, FALSE);
  set_api (f, 429, "{\"error\":{\"type\":\"rate_limit_error\"}}");
  check (f);

  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_false (mw_health_is_degraded (state->health));
  g_assert_cmpstr (state->detail, ==, "rate-limited (HTTP 429)");

  /* with damping, 429s in a row never make an outage either */
  mw_prober_set_damping (f->prober, TRUE);
  for (int i = 0; i < 4; i++)
    check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_failing (Fixture       *f,
              gconstpointer  data)
{
  static const struct {
    guint       status;
    const char *body;
    const char *detail;
  } cases[] = {
    { 500, "{}", "failing (HTTP 500)" },
    { 503, "<html>Service Unavailable</html>", "failing (HTTP 503)" },
    { 529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", "failing (HTTP 529)" },
    { 400, "{\"error\":{\"message\":\"The model is overloaded. Please try again later.\"}}", "failing (overloaded, HTTP 400)" },
  };

  mw_prober_set_damping (f->prober, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MwProbeState *state;

      set_api (f, cases[i].status, cases[i].body);
      check (f);
      state = provider_state (f);
      g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
      g_assert_cmpstr (state->detail, ==, cases[i].detail);
      g_assert_nonnull (state->error);
      g_assert_null (strchr (state->error, '\n'));
      g_assert_nonnull (strstr (state->error, "127.0.0.1"));

      /* and back at once, since nothing is damped */
      set_api (f, 401, NULL);
      check (f);
      g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
    }
}

static void
test_unexpected (Fixture       *f,
                 gconstpointer  data)
{
  static const guint statuses[] = { 400, 404, 200, 403 };

  mw_prober_set_damping (f->prober, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      const MwProbeState *state;
      g_autofree char *detail = g_strdup_printf ("unexpected answer (HTTP %u)", statuses[i]);

      /* 200 where 401 is expected: a captive portal, not the API */
      set_api (f, statuses[i], "{\"error\":\"bad request\"}");
      check (f);
      state = provider_state (f);
      g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
      g_assert_cmpstr (state->detail, ==, detail);
      g_assert_nonnull (strstr (state->error, "out of date"));
    }
}

static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  const MwProbeState *state;

  mw_prober_set_damping (f->prober, FALSE);
  mw_test_server_set_reset (f->server, "/v1/models");
  check (f);

  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (state->detail, ==, "failing (connection failed)");
  g_assert_cmpint (state->latency_ms, ==, -1);
  g_assert_nonnull (state->error);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  const MwProbeState *state;

  mw_prober_set_damping (f->prober, FALSE);
  mw_fetcher_set_timeout (f->fetcher, 1);
  mw_test_server_set_delay (f->server, "/v1/models", 3000);
  check (f);

  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (state->detail, ==, "failing (timeout)");

  /* the test server answers the abandoned request later; let it, before
   * the server goes away */
  {
    gboolean never = FALSE;

    mw_test_wait_until (&never, 2500);
  }
}

static void
test_thresholds (Fixture       *f,
                 gconstpointer  data)
{
  const MwProbeState *state;

  check (f);
  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);

  /* down after 3 failures in a row, not before */
  set_api (f, 503, NULL);
  check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpstr (state->detail, ==, "failing 1/3 (HTTP 503)");
  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpstr (provider_state (f)->detail, ==, "failing 2/3 (HTTP 503)");
  check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (state->detail, ==, "failing 3/3 (HTTP 503)");

  /* a 429 in between changes nothing */
  set_api (f, 429, NULL);
  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_PARTIAL_OUTAGE);

  /* back after 2 successes */
  set_api (f, 401, NULL);
  check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_true (g_str_has_prefix (state->detail, "recovering 1/2 ("));
  check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_true (g_str_has_prefix (state->detail, "reachable ("));

  /* one failure between successes resets the count */
  set_api (f, 503, NULL);
  check (f);
  check (f);
  set_api (f, 401, NULL);
  check (f);
  set_api (f, 503, NULL);
  check (f);
  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpuint (f->changed, ==, 13);
}

static void
test_spike (Fixture       *f,
            gconstpointer  data)
{
  const MwProbeState *state;

  /* a baseline of a few fast answers */
  for (int i = 0; i < 3; i++)
    check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);

  mw_test_server_set_delay (f->server, "/v1/models", 450);
  check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_true (g_str_has_prefix (state->detail, "latency spike 1/3: 0."));
  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
  check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_DEGRADED);
  g_assert_true (g_str_has_prefix (state->detail, "latency spike: 0."));
  g_assert_true (g_str_has_suffix (state->detail, " s vs 0.0 s usual"));
  g_assert_cmpint (state->latency_ms, >=, 400);

  mw_test_server_set_delay (f->server, "/v1/models", 0);
  check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_DEGRADED);
  g_assert_true (g_str_has_prefix (state->detail, "recovering 1/2 ("));
  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_spike_once (Fixture       *f,
                 gconstpointer  data)
{
  /* once mode takes one slow answer as observed */
  mw_prober_set_damping (f->prober, FALSE);
  for (int i = 0; i < 3; i++)
    check (f);
  mw_test_server_set_delay (f->server, "/v1/models", 450);
  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_DEGRADED);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  const MwProbeState *state;

  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);

  mw_prober_set_network_available (f->prober, FALSE);
  /* going offline says so at once */
  g_assert_cmpuint (f->changed, ==, 2);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (state->error, ==, "offline — probes paused");

  /* the API fails now, but we are offline: nothing is sent, nobody blamed */
  set_api (f, 503, NULL);
  for (int i = 0; i < 4; i++)
    check (f);
  state = provider_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (state->error, ==, "offline — probes paused");
  g_assert_cmpstr (state->detail, ==, "offline — probes paused");
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/models"), ==, 1);

  mw_prober_set_network_available (f->prober, TRUE);
  set_api (f, 401, NULL);
  check (f);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/models"), ==, 2);
}

static void
test_schedule (Fixture       *f,
               gconstpointer  data)
{
  gboolean never = FALSE;

  /* start() probes on its own, then every interval */
  mw_prober_set_interval (f->prober, 1);
  mw_prober_start (f->prober);
  mw_test_wait_until (&never, 6500);
  mw_prober_stop (f->prober);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/models"), >=, 3);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/models"), <=, 8);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
}

/* ------------------------------------------------------------------ */
/* Level 2                                                             */

static JsonObject *
request_json (Fixture    *f,
              const char *path,
              JsonParser *parser)
{
  GBytes *body = mw_test_server_get_request_body (f->server, path);
  gsize len;
  const char *data;

  g_assert_nonnull (body);
  data = g_bytes_get_data (body, &len);
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) len, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_free_anthropic (Fixture       *f,
                     gconstpointer  data)
{
  const char *path = "/v1/messages/count_tokens";
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;
  JsonObject *message;
  const MwProbeState *state;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "x-api-key", "claude-test-1",
                                   "\"model_probe\": \"free\"", NULL));
  mw_prober_set_damping (f->prober, FALSE);
  mw_test_server_set_body (f->server, path, 200, "application/json", "{\"input_tokens\": 8}", -1);
  check (f);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, path, "x-api-key"), ==, CANARY);
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, path, "anthropic-version"), ==, "2023-06-01");
  g_assert_true (g_str_has_prefix (mw_test_server_get_request_header (f->server, path, "content-type"),
                                   "application/json"));
  g_assert_null (mw_test_server_get_request_header (f->server, path, "authorization"));

  body = request_json (f, path, parser);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "claude-test-1");
  message = json_array_get_object_element (json_object_get_array_member (body, "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "ping");

  state = model_state (f, PROVIDER "/claude-test-1");
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_true (g_str_has_prefix (state->detail, "model answered ("));
  g_assert_null (state->error);

  /* the provider's own probe ran too, without the key */
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_null (mw_test_server_get_request_header (f->server, "/v1/models", "x-api-key"));
}

static void
test_free_gemini (Fixture       *f,
                  gconstpointer  data)
{
  const char *path = "/v1beta/models/gemini-test-2.5:countTokens";
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "x-goog-api-key", "gemini-test-2.5",
                                   "\"model_probe\": \"free\"", NULL));
  mw_test_server_set_body (f->server, path, 200, "application/json", "{\"totalTokens\": 1}", -1);
  check (f);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, path, "x-goog-api-key"), ==, CANARY);
  g_assert_null (mw_test_server_get_request_header (f->server, path, "x-api-key"));
  body = request_json (f, path, parser);
  g_assert_true (json_object_has_member (body, "contents"));
  g_assert_cmpint (model_state (f, PROVIDER "/gemini-test-2.5")->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_free_openai (Fixture       *f,
                  gconstpointer  data)
{
  const char *path = "/v1/models/gpt-test-5";

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "bearer", "gpt-test-5", NULL,
                                   "\"model_probe\": \"free\""));
  mw_test_server_set_body (f->server, path, 200, "application/json",
                           "{\"id\": \"gpt-test-5\", \"object\": \"model\"}", -1);
  check (f);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, path, "authorization"), ==, "Bearer " CANARY);
  g_assert_null (mw_test_server_get_request_body (f->server, path));
  g_assert_cmpint (model_state (f, PROVIDER "/gpt-test-5")->health, ==, MW_HEALTH_OPERATIONAL);
}

/* The API may know a model by another id than the catalog ("vendor/model"). */
static void
test_free_api_id (Fixture       *f,
                  gconstpointer  data)
{
  const char *path = "/v1/models/openai/gpt-oss-120b";

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "bearer", "gpt-oss-120b", NULL,
                                   "\"model_probe\": \"free\", \"api_id\": \"openai/gpt-oss-120b\""));
  mw_test_server_set_body (f->server, path, 200, "application/json",
                           "{\"id\": \"openai/gpt-oss-120b\", \"object\": \"model\"}", -1);
  check (f);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/models/gpt-oss-120b"), ==, 0);
  g_assert_cmpint (model_state (f, PROVIDER "/gpt-oss-120b")->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_free_override (Fixture       *f,
                    gconstpointer  data)
{
  const char *path = "/custom/ping/claude-x";
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "x-api-key", "claude-x",
                                   "\"model_probe\": \"free\", "
                                   "\"free_probe\": {\"method\": \"POST\", \"path\": \"/custom/ping/{model}\","
                                   " \"body\": {\"m\": \"{model}\"}}", NULL));
  mw_test_server_set_body (f->server, path, 204, NULL, NULL, 0);
  check (f);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages/count_tokens"), ==, 0);
  body = request_json (f, path, parser);
  g_assert_cmpstr (json_object_get_string_member (body, "m"), ==, "claude-x");
  g_assert_cmpint (model_state (f, PROVIDER "/claude-x")->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_free_kinds (Fixture       *f,
                 gconstpointer  data)
{
  const char *path = "/v1/messages/count_tokens";
  const char *id = PROVIDER "/claude-old";
  const MwProbeState *state;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "x-api-key", "claude-old",
                                   "\"model_probe\": \"free\"", NULL));

  /* a retired model is unknown, not an outage, and says why */
  mw_test_server_set_body (f->server, path, 404, "application/json",
                           "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\"}}", -1);
  for (int i = 0; i < 4; i++)
    check (f);
  state = model_state (f, id);
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (state->detail, ==, "model retired or unknown to the API (HTTP 404)");

  /* a rejected key is the user's configuration, not the provider */
  mw_test_server_set_body (f->server, path, 401, "application/json", "{}", -1);
  check (f);
  state = model_state (f, id);
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (state->detail, ==, "key rejected (HTTP 401)");

  /* failing per model, damped like the provider */
  mw_test_server_set_body (f->server, path, 529, "application/json", "{\"error\":{\"type\":\"overloaded_error\"}}", -1);
  check (f);
  check (f);
  g_assert_cmpint (model_state (f, id)->health, ==, MW_HEALTH_UNKNOWN);
  check (f);
  state = model_state (f, id);
  g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (state->detail, ==, "failing 3/3 (HTTP 529)");
  /* while the provider's front door is fine */
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);

  mw_test_server_set_body (f->server, path, 429, "application/json", "{}", -1);
  check (f);
  g_assert_cmpstr (model_state (f, id)->detail, ==, "rate-limited (HTTP 429)");
  g_assert_cmpint (model_state (f, id)->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
}

static void
test_no_auth (Fixture       *f,
              gconstpointer  data)
{
  const MwProbeState *state;

  /* an API whose way of taking a key we do not know gets no key */
  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, NULL, "model-x", "\"model_probe\": \"free\"", NULL));
  check (f);

  state = model_state (f, PROVIDER "/model-x");
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (state->detail, ==, "no per-model probe for this API");
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/models/model-x"), ==, 0);
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  const MwProbeState *state;

  fixture_prober (f, make_catalog (f->server, "x-api-key", "claude-nokey",
                                   "\"model_probe\": \"free\"", NULL));
  check (f);

  state = model_state (f, PROVIDER "/claude-nokey");
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (state->detail, ==, "no API key");
  g_assert_nonnull (state->error);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages/count_tokens"), ==, 0);
  g_assert_cmpint (provider_state (f)->health, ==, MW_HEALTH_OPERATIONAL);
}

/* ------------------------------------------------------------------ */
/* Level 3                                                             */

#define ANTHROPIC_ANSWER \
  "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-gen\"," \
  "\"content\":[{\"type\":\"text\",\"text\":\"pong\"}],\"stop_reason\":\"end_turn\"," \
  "\"usage\":{\"input_tokens\":14,\"output_tokens\":4}}"

static void
test_generate (Fixture       *f,
               gconstpointer  data)
{
  const char *path = "/v1/messages";
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;
  JsonObject *message;
  const MwProbeState *state;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "x-api-key", "claude-gen", NULL,
                                   "\"model_probe\": \"generate\""));
  mw_test_server_set_body (f->server, path, 200, "application/json", ANTHROPIC_ANSWER, -1);
  mw_test_server_set_body (f->server, "/v1/messages/count_tokens", 200, "application/json", "{}", -1);
  check (f);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, path, "x-api-key"), ==, CANARY);
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, path, "anthropic-version"), ==, "2023-06-01");
  body = request_json (f, path, parser);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "claude-gen");
  /* reasoning models need more than 1 token; the prompt is one word */
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), >=, 16);
  g_assert_false (json_object_has_member (body, "thinking"));
  message = json_array_get_object_element (json_object_get_array_member (body, "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "Reply with the word pong.");

  state = model_state (f, PROVIDER "/claude-gen");
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_true (g_str_has_prefix (state->detail, "generated 4 tokens in "));
  /* 14 in + 4 out at the upper-bound prices: 0.00021 + 0.0003 */
  g_assert_nonnull (strstr (state->detail, "1/24 calls today, ≤ $0.0005"));

  /* the next round, within the spacing (1 h for 24 a day), uses the free call */
  check (f);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages/count_tokens"), ==, 1);
  state = model_state (f, PROVIDER "/claude-gen");
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_generate_openai (Fixture       *f,
                      gconstpointer  data)
{
  const char *path = "/v1/chat/completions";
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "bearer", "gpt-gen",
                                   "\"model_probe\": \"generate\"", NULL));
  mw_test_server_set_body (f->server, path, 200, "application/json",
                           "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"pong\"},"
                           "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2}}", -1);
  check (f);

  g_assert_cmpstr (mw_test_server_get_request_header (f->server, path, "authorization"), ==, "Bearer " CANARY);
  body = request_json (f, path, parser);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "gpt-gen");
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), >=, 16);
  g_assert_cmpint (model_state (f, PROVIDER "/gpt-gen")->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_true (g_str_has_prefix (model_state (f, PROVIDER "/gpt-gen")->detail, "generated 2 tokens"));
}

static void
test_generate_shape (Fixture       *f,
                     gconstpointer  data)
{
  const MwProbeState *state;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "x-api-key", "claude-gen",
                                   "\"model_probe\": \"generate\"", NULL));
  mw_test_server_set_body (f->server, "/v1/messages", 200, "application/json", "{\"hello\": \"world\"}", -1);
  check (f);

  state = model_state (f, PROVIDER "/claude-gen");
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_true (g_str_has_prefix (state->detail, "unexpected response · 1/24 calls today"));
}

static void
test_budget (Fixture       *f,
             gconstpointer  data)
{
  const char *path = "/v1/messages";
  const char *id = PROVIDER "/claude-gen";
  g_autofree char *db = g_build_filename (f->state_dir, "modelwatch", "history.db", NULL);
  g_autofree char *day = mw_history_day (NULL);
  g_autoptr(MwHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  MwProbeSpend spend;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "x-api-key", "claude-gen",
                                   "\"model_probe\": \"generate\"", NULL));
  mw_prober_set_daily_budget (f->prober, 2);
  mw_prober_set_generate_spacing (f->prober, 0);
  mw_test_server_set_body (f->server, path, 200, "application/json", ANTHROPIC_ANSWER, -1);
  mw_test_server_set_body (f->server, "/v1/messages/count_tokens", 200, "application/json", "{}", -1);

  check (f);
  check (f);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 2);
  g_assert_nonnull (strstr (model_state (f, id)->detail, "2/2 calls today"));
  check (f);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 2);
  /* spent: the free call keeps the model watched, and says what was spent */
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages/count_tokens"), ==, 1);
  g_assert_true (g_str_has_prefix (model_state (f, id)->detail, "model answered ("));
  g_assert_nonnull (strstr (model_state (f, id)->detail, " · 2/2 calls today, ≤ $0.0010"));

  /* a restart (a new prober on the same database) does not reset it */
  fixture_prober (f, NULL);
  mw_prober_set_daily_budget (f->prober, 2);
  mw_prober_set_generate_spacing (f->prober, 0);
  check (f);
  check (f);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 2);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages/count_tokens"), ==, 3);

  /* the database is the user's alone */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (db, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
  }

  /* the database says the same, and holds no key */
  history = mw_history_new (db, &error);
  g_assert_no_error (error);
  g_assert_true (mw_history_get_probe_spend (history, id, day, &spend, &error));
  g_assert_cmpuint (spend.calls, ==, 2);
  g_assert_cmpuint (spend.input_tokens, ==, 28);
  g_assert_cmpuint (spend.output_tokens, ==, 8);
  g_assert_cmpfloat (spend.cost_usd, >, 0.0009);
  g_assert_cmpfloat (spend.cost_usd, <, 0.0011);

  /* a larger budget allows more, on the same day */
  mw_prober_set_daily_budget (f->prober, 3);
  check (f);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 3);
  g_assert_nonnull (strstr (model_state (f, id)->detail, "3/3 calls today"));
}

static void
test_spacing_across_restart (Fixture       *f,
                             gconstpointer  data)
{
  const char *path = "/v1/messages";

  /* `status --once` every minute must not spend the day's budget in 24 minutes */
  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "x-api-key", "claude-gen",
                                   "\"model_probe\": \"generate\"", NULL));
  mw_prober_set_damping (f->prober, FALSE);
  mw_test_server_set_body (f->server, path, 200, "application/json", ANTHROPIC_ANSWER, -1);
  mw_test_server_set_body (f->server, "/v1/messages/count_tokens", 200, "application/json", "{}", -1);
  check (f);
  fixture_prober (f, NULL);
  mw_prober_set_damping (f->prober, FALSE);
  check (f);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages/count_tokens"), ==, 1);
}

static void
list_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GStrv *ids = user_data;
  g_autoptr(GError) error = NULL;

  *ids = mw_prober_list_models_finish (MW_PROBER (object), result, &error);
  g_assert_no_error (error);
}

static void
test_list_models (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;

  g_setenv (KEY_ENV, CANARY, TRUE);
  fixture_prober (f, make_catalog (f->server, "bearer", "gpt-x", NULL, NULL));
  mw_test_server_set_body (f->server, "/v1/models", 200, "application/json",
                           "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-a\"},{\"id\":\"gpt-b\"}]}", -1);
  mw_prober_list_models_async (f->prober, PROVIDER, NULL, list_done, &ids);
  while (ids == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "gpt-a");
  g_assert_cmpstr (ids[1], ==, "gpt-b");
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, "/v1/models", "authorization"), ==, "Bearer " CANARY);
}

static void
test_history_api (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-test-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sub", "history.db", NULL);
  g_autoptr(MwHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 6, 5, 23, 59, 59);
  g_autofree char *day = mw_history_day (at);
  MwProbeSpend spend;

  g_assert_cmpstr (day, ==, "2026-06-05");

  history = mw_history_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (mw_history_get_probe_spend (history, "p/m", day, &spend, &error));
  g_assert_cmpuint (spend.calls, ==, 0);

  g_assert_true (mw_history_reserve_probe_call (history, "p/m", day, 2, 1000, 0, &spend, &error));
  g_assert_cmpuint (spend.calls, ==, 1);
  /* spacing */
  g_assert_false (mw_history_reserve_probe_call (history, "p/m", day, 2, 1010, 60, &spend, &error));
  g_assert_no_error (error);
  g_assert_true (mw_history_reserve_probe_call (history, "p/m", day, 2, 1061, 60, &spend, &error));
  /* budget */
  g_assert_false (mw_history_reserve_probe_call (history, "p/m", day, 2, 5000, 0, &spend, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spend.calls, ==, 2);
  /* another day, another budget; another model, its own */
  g_assert_true (mw_history_reserve_probe_call (history, "p/m", "2026-06-06", 2, 9000, 0, &spend, &error));
  g_assert_true (mw_history_reserve_probe_call (history, "p/other", day, 2, 5000, 0, &spend, &error));

  g_assert_true (mw_history_add_probe_usage (history, "p/m", day, 10, 5, 0.5, &error));
  g_assert_true (mw_history_get_probe_spend (history, "p/m", day, &spend, &error));
  g_assert_cmpuint (spend.calls, ==, 2);
  g_assert_cmpuint (spend.input_tokens, ==, 10);
  g_assert_cmpfloat (spend.cost_usd, ==, 0.5);
  g_assert_cmpint (spend.last_at, ==, 9000);

  g_clear_object (&history);
  g_remove (path);
  {
    g_autofree char *sub = g_path_get_dirname (path);

    g_rmdir (sub);
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* never reach the user's real keyring from a test */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/modelwatch-test-bus", TRUE);

#define ADD(name, func) \
  g_test_add ("/probe/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("classify/expected", test_expected);
  ADD ("classify/rate-limited", test_rate_limited);
  ADD ("classify/failing", test_failing);
  ADD ("classify/unexpected", test_unexpected);
  ADD ("classify/reset", test_reset);
  ADD ("classify/timeout", test_timeout);
  ADD ("damping/thresholds", test_thresholds);
  ADD ("damping/latency-spike", test_spike);
  ADD ("damping/latency-spike-once", test_spike_once);
  ADD ("offline", test_offline);
  ADD ("schedule", test_schedule);
  ADD ("free/anthropic", test_free_anthropic);
  ADD ("free/gemini", test_free_gemini);
  ADD ("free/openai", test_free_openai);
  ADD ("free/api-id", test_free_api_id);
  ADD ("free/override", test_free_override);
  ADD ("free/kinds", test_free_kinds);
  ADD ("free/no-key", test_no_key);
  ADD ("free/no-auth", test_no_auth);
  ADD ("generate/anthropic", test_generate);
  ADD ("generate/openai-compatible", test_generate_openai);
  ADD ("generate/unexpected-shape", test_generate_shape);
  ADD ("generate/budget-across-restarts", test_budget);
  ADD ("generate/spacing-across-restarts", test_spacing_across_restart);
  ADD ("list-models", test_list_models);
  g_test_add_func ("/probe/history", test_history_api);

  return g_test_run ();
}
