/* test-monitor.c
 *
 * The monitor against status pages on 127.0.0.1: a broken page makes only
 * its own provider unknown, with a one-line reason; 304s keep the state;
 * failures back off and Retry-After is honoured; a check with a hanging
 * page ends within one request timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-monitor.h"
#include "mw-reader.h"
#include "mw-test-server.h"

#define FIXTURE "statuspage-anthropic-summary.json"
#define API_COMPONENT "k8w3r06qmzrp"

static void
drain (guint ms)
{
  gboolean never = FALSE;

  mw_test_wait_until (&never, ms);
}

/* A catalog of providers named @ids, each on its own path of @server:
 * /<id>/api/v2/summary.json, with one model on the API component. */
static MwCatalog *
catalog_for (MwTestServer       *server,
             const char * const *ids)
{
  g_autoptr(GString) json = g_string_new ("{\"version\": 1, \"providers\": [");
  g_autoptr(GError) error = NULL;
  MwCatalog *catalog;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *url = mw_test_server_url (server, NULL);

      g_string_append_printf (json,
                              "%s{\"id\": \"%s\", \"name\": \"Provider %s\","
                              " \"status_page\": {\"url\": \"%s/%s\", \"platform\": \"statuspage\"},"
                              " \"components\": {\"api\": \"" API_COMPONENT "\"},"
                              " \"models\": [{\"id\": \"model\", \"name\": \"Model of %s\","
                              "   \"components\": [\"" API_COMPONENT "\"], \"match\": [\"Model of %s\"]}]}",
                              i > 0 ? ", " : "", ids[i], ids[i], url, ids[i], ids[i], ids[i]);
    }
  g_string_append (json, "]}");

  catalog = mw_catalog_new_from_data (json->str, (gssize) json->len, "test-catalog.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);

  return catalog;
}

static char *
summary_path (const char *id)
{
  return g_strdup_printf ("/%s/api/v2/summary.json", id);
}

static void
serve_fixture (MwTestServer *server,
               const char   *id)
{
  g_autofree char *path = summary_path (id);

  mw_test_server_set_fixture (server, path, FIXTURE);
}

static guint
hits (MwTestServer *server,
      const char   *id)
{
  g_autofree char *path = summary_path (id);

  return mw_test_server_get_hits (server, path);
}

typedef struct {
  gboolean done;
  GError  *error;
  gint64   finished_at;
} Wait;

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Wait *wait = data;

  mw_monitor_check_finish (MW_MONITOR (object), result, &wait->error);
  wait->finished_at = g_get_monotonic_time ();
  wait->done = TRUE;
}

/* Runs a check; returns how long it took in ms. */
static gint64
check (MwMonitor *monitor)
{
  Wait wait = { 0 };
  gint64 start = g_get_monotonic_time ();

  mw_monitor_check_async (monitor, NULL, check_cb, &wait);
  g_assert_true (mw_test_wait_until (&wait.done, 20000));
  g_assert_no_error (wait.error);

  return (wait.finished_at - start) / 1000;
}

static const MwProviderState *
provider (MwMonitor  *monitor,
          const char *id)
{
  const MwProviderState *state = mw_snapshot_find_provider (mw_monitor_get_snapshot (monitor), id);

  g_assert_nonnull (state);
  return state;
}

static void
assert_operational (MwMonitor  *monitor,
                    const char *id)
{
  const MwProviderState *state = provider (monitor, id);
  const MwModelState *model;

  g_assert_cmpstr (mw_health_to_string (state->health), ==, "operational");
  g_assert_null (state->error);
  g_assert_nonnull (state->fetched_at);
  g_assert_cmpuint (state->models->len, ==, 1);
  model = g_ptr_array_index (state->models, 0);
  g_assert_cmpstr (mw_health_to_string (model->health), ==, "operational");
}

/* Unknown, never operational, with a one-line reason that contains @words. */
static void
assert_unknown (MwMonitor    *monitor,
                MwTestServer *server,
                const char   *id,
                const char   *words)
{
  const MwProviderState *state = provider (monitor, id);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", mw_test_server_get_port (server));

  if (g_test_verbose ())
    g_printerr ("%s: %s\n", id, state->error);

  g_assert_cmpstr (mw_health_to_string (state->health), ==, "unknown");
  g_assert_cmpstr (mw_health_to_string (state->page_health), ==, "unknown");
  g_assert_nonnull (state->error);
  g_assert_null (strchr (state->error, '\n'));
  g_assert_nonnull (strstr (state->error, host));
  g_assert_nonnull (strstr (state->error, words));

  for (guint i = 0; i < state->models->len; i++)
    {
      const MwModelState *model = g_ptr_array_index (state->models, i);

      g_assert_cmpint (model->health, !=, MW_HEALTH_OPERATIONAL);
    }
}

static void
test_monitor_broken_sources (void)
{
  const char *ids[] = { "ok", "http500", "html", "reset", "truncated", "slow", "loop", "big", "ok2", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);
  g_autofree char *loop_a = mw_test_server_url (server, "/loop/api/v2/summary.json");
  g_autofree char *big = g_malloc0 (5u << 20);
  gint64 ms;

  serve_fixture (server, "ok");
  serve_fixture (server, "ok2");
  mw_test_server_set_body (server, "/http500/api/v2/summary.json", 500, "text/html", "<h1>oops</h1>", -1);
  mw_test_server_set_body (server, "/html/api/v2/summary.json", 200, "text/html",
                           "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>", -1);
  serve_fixture (server, "reset");
  mw_test_server_set_reset (server, "/reset/api/v2/summary.json");
  mw_test_server_set_body (server, "/truncated/api/v2/summary.json", 200, "application/json",
                           "{\"page\": {\"id\": \"tymt9n04zgry\", \"name\": \"Claude\"}, \"components\": [{\"id\": \"k8w", -1);
  serve_fixture (server, "slow");
  mw_test_server_set_delay (server, "/slow/api/v2/summary.json", 2500);
  mw_test_server_set_redirect (server, "/loop/api/v2/summary.json", loop_a);
  memset (big, ' ', 5u << 20);
  mw_test_server_set_body (server, "/big/api/v2/summary.json", 200, "application/json", big, 5u << 20);

  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_once (monitor, TRUE);
  mw_monitor_set_timeout (monitor, 1);

  ms = check (monitor);
  /* one timeout for all, not one per broken page */
  g_assert_cmpint (ms, <, 2000);

  assert_operational (monitor, "ok");
  assert_operational (monitor, "ok2");
  assert_unknown (monitor, server, "http500", "answered HTTP 500");
  assert_unknown (monitor, server, "html", "page format changed");
  assert_unknown (monitor, server, "reset", "cannot reach");
  assert_unknown (monitor, server, "truncated", "malformed JSON");
  assert_unknown (monitor, server, "slow", "did not answer within 1 s");
  assert_unknown (monitor, server, "loop", "redirects in a loop");
  assert_unknown (monitor, server, "big", "sent more than 4 MiB");

  drain (2000);
}

static void
test_monitor_unreachable (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = NULL;
  g_autoptr(MwMonitor) monitor = NULL;
  g_autofree char *json = NULL;
  const MwProviderState *state;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);

  json = g_strdup_printf ("{\"version\": 1, \"providers\": [{\"id\": \"closed\", \"name\": \"Closed\","
                          " \"status_page\": {\"url\": \"http://127.0.0.1:%u\", \"platform\": \"statuspage\"},"
                          " \"models\": [{\"id\": \"m\", \"name\": \"M\"}]}]}", port);
  catalog = mw_catalog_new_from_data (json, -1, "closed.json", &error);
  g_assert_no_error (error);

  monitor = mw_monitor_new (catalog);
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_once (monitor, TRUE);
  check (monitor);

  state = mw_snapshot_find_provider (mw_monitor_get_snapshot (monitor), "closed");
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_true (g_str_has_prefix (state->error, "cannot reach 127.0.0.1:"));
}

typedef struct {
  guint  changed;
  guint  polled;
  GPtrArray *polled_ids;
  guint  checking_notifies;
} Counts;

static void
changed_cb (MwMonitor  *monitor,
            MwSnapshot *snapshot,
            Counts     *counts)
{
  g_assert_true (snapshot == mw_monitor_get_snapshot (monitor));
  counts->changed++;
}

static void
polled_cb (MwMonitor  *monitor,
           const char *provider_id,
           MwSnapshot *snapshot,
           Counts     *counts)
{
  g_assert_nonnull (snapshot);
  counts->polled++;
  if (counts->polled_ids != NULL)
    g_ptr_array_add (counts->polled_ids, g_strdup (provider_id));
}

static void
checking_cb (MwMonitor  *monitor,
             GParamSpec *pspec,
             Counts     *counts)
{
  counts->checking_notifies++;
}

static void
test_monitor_signals (void)
{
  const char *ids[] = { "a", "b", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);
  g_autoptr(GPtrArray) polled_ids = g_ptr_array_new_with_free_func (g_free);
  Counts counts = { 0, 0, polled_ids, 0 };
  const MwModelState *model;
  g_autoptr(GDateTime) since = NULL;

  serve_fixture (server, "a");
  serve_fixture (server, "b");
  mw_monitor_set_probes_enabled (monitor, FALSE);
  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), &counts);
  g_signal_connect (monitor, "polled", G_CALLBACK (polled_cb), &counts);
  g_signal_connect (monitor, "notify::checking", G_CALLBACK (checking_cb), &counts);

  g_assert_false (mw_monitor_get_checking (monitor));
  check (monitor);
  g_assert_false (mw_monitor_get_checking (monitor));
  g_assert_cmpuint (counts.checking_notifies, ==, 2);
  g_assert_cmpuint (counts.polled, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (polled_ids, "a", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (polled_ids, "b", g_str_equal, NULL));
  g_assert_cmpuint (counts.changed, >=, 1);
  assert_operational (monitor, "a");

  model = mw_snapshot_find_model (mw_monitor_get_snapshot (monitor), "a/model");
  g_assert_nonnull (model);
  g_assert_nonnull (model->since);
  since = g_date_time_ref (model->since);

  /* nothing changed: polled, but not changed; since holds */
  counts.changed = 0;
  counts.polled = 0;
  drain (1100);
  check (monitor);
  g_assert_cmpuint (counts.polled, ==, 2);
  g_assert_cmpuint (counts.changed, ==, 0);
  model = mw_snapshot_find_model (mw_monitor_get_snapshot (monitor), "a/model");
  g_assert_true (g_date_time_equal (model->since, since));

  /* a change of one page is a change */
  mw_test_server_set_body (server, "/b/api/v2/summary.json", 503, "text/plain", "down", -1);
  check (monitor);
  g_assert_cmpuint (counts.changed, ==, 1);
  g_assert_cmpint (provider (monitor, "b")->health, ==, MW_HEALTH_UNKNOWN);
  assert_operational (monitor, "a");
}

static void
test_monitor_not_modified (void)
{
  const char *ids[] = { "etag", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);
  Counts counts = { 0 };

  serve_fixture (server, "etag");
  mw_test_server_set_etag (server, "/etag/api/v2/summary.json", "\"v1\"");
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_interval (monitor, 1);
  g_assert_cmpuint (mw_monitor_get_interval (monitor), ==, 1);
  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), &counts);
  g_signal_connect (monitor, "polled", G_CALLBACK (polled_cb), &counts);

  mw_monitor_start (monitor);
  {
    gint64 deadline = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;

    while (counts.polled < 4 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (counts.polled, >=, 4);

  /* the later polls were conditional and answered 304 */
  g_assert_cmpstr (mw_test_server_get_request_header (server, "/etag/api/v2/summary.json", "If-None-Match"), ==, "\"v1\"");
  assert_operational (monitor, "etag");
  /* unknown -> operational once, then nothing */
  g_assert_cmpuint (counts.changed, ==, 1);

  mw_monitor_stop (monitor);
}

static void
run_for (guint ms)
{
  drain (ms);
}

static void
test_monitor_backoff (void)
{
  const char *ids[] = { "failing", "healthy", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);
  guint failing, healthy, before;

  mw_test_server_set_body (server, "/failing/api/v2/summary.json", 503, "text/plain", "down", -1);
  serve_fixture (server, "healthy");
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_interval (monitor, 1);
  mw_monitor_start (monitor);

  /* failing: 0, ~2 s, ~6 s; healthy: about every second */
  run_for (5000);
  failing = hits (server, "failing");
  healthy = hits (server, "healthy");
  if (g_test_verbose ())
    g_printerr ("after 5 s: failing %u, healthy %u\n", failing, healthy);
  g_assert_cmpuint (failing, >=, 2);
  g_assert_cmpuint (failing, <=, 3);
  g_assert_cmpuint (healthy, >=, 4);
  assert_operational (monitor, "healthy");
  g_assert_cmpint (provider (monitor, "failing")->health, ==, MW_HEALTH_UNKNOWN);

  /* it comes back: the first success resets the schedule to the interval */
  serve_fixture (server, "failing");
  before = hits (server, "failing");
  while (hits (server, "failing") == before)
    g_main_context_iteration (NULL, TRUE);
  run_for (300);
  assert_operational (monitor, "failing");
  before = hits (server, "failing");
  run_for (3500);
  g_assert_cmpuint (hits (server, "failing") - before, >=, 2);

  mw_monitor_stop (monitor);
}

static void
test_monitor_retry_after (void)
{
  const char *ids[] = { "limited", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);
  gint64 first;

  mw_test_server_set_body (server, "/limited/api/v2/summary.json", 429, "text/plain", "slow down", -1);
  mw_test_server_set_header (server, "/limited/api/v2/summary.json", "Retry-After", "4");
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_interval (monitor, 1);
  mw_monitor_start (monitor);

  while (hits (server, "limited") == 0)
    g_main_context_iteration (NULL, TRUE);
  first = g_get_monotonic_time ();

  /* backoff alone would retry after about 2 s; the page asked for 4 */
  run_for (3700);
  g_assert_cmpuint (hits (server, "limited"), ==, 1);
  while (hits (server, "limited") == 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint ((g_get_monotonic_time () - first) / 1000, >=, 3900);
  g_assert_cmpint ((g_get_monotonic_time () - first) / 1000, <, 6000);

  mw_monitor_stop (monitor);
}

static void
test_monitor_hanging_check (void)
{
  const char *ids[] = { "hang", "fine", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);
  gint64 ms;

  serve_fixture (server, "hang");
  serve_fixture (server, "fine");
  mw_test_server_set_delay (server, "/hang/api/v2/summary.json", 3000);
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_timeout (monitor, 1);
  mw_monitor_set_interval (monitor, 1);
  mw_monitor_start (monitor);

  ms = check (monitor);
  g_assert_cmpint (ms, <, 1900);
  assert_operational (monitor, "fine");
  assert_unknown (monitor, server, "hang", "did not answer within 1 s");

  mw_monitor_stop (monitor);
  drain (3200);
}

static void
test_monitor_filter (void)
{
  const char *ids[] = { "wanted", "other", NULL };
  const char *only[] = { "wanted", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);

  serve_fixture (server, "wanted");
  serve_fixture (server, "other");
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_once (monitor, TRUE);
  mw_monitor_set_provider_filter (monitor, only);
  check (monitor);

  assert_operational (monitor, "wanted");
  g_assert_cmpuint (hits (server, "other"), ==, 0);
  g_assert_cmpint (provider (monitor, "other")->health, ==, MW_HEALTH_UNKNOWN);
}

/* The prober is the monitor's: its verdict lands in the provider's state. */
static void
test_monitor_probes (void)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = NULL;
  g_autoptr(MwMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = mw_test_server_url (server, NULL);
  g_autofree char *json = NULL;
  const MwProviderState *state;

  json = g_strdup_printf ("{\"version\": 1, \"providers\": [{\"id\": \"probed\", \"name\": \"Probed\","
                          " \"status_page\": {\"url\": \"%s/probed\", \"platform\": \"statuspage\"},"
                          " \"api\": {\"base_url\": \"%s\", \"probe\": {\"method\": \"GET\", \"path\": \"/v1/models\", \"expect\": [401]}},"
                          " \"components\": {\"api\": \"" API_COMPONENT "\"},"
                          " \"models\": [{\"id\": \"m\", \"name\": \"M\", \"components\": [\"" API_COMPONENT "\"]}]}]}",
                          base, base);
  catalog = mw_catalog_new_from_data (json, -1, "probed.json", &error);
  g_assert_no_error (error);

  serve_fixture (server, "probed");
  mw_test_server_set_body (server, "/v1/models", 401, "application/json",
                           "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"}}", -1);

  monitor = mw_monitor_new (catalog);
  mw_monitor_set_once (monitor, TRUE);
  check (monitor);

  g_assert_cmpuint (mw_test_server_get_hits (server, "/v1/models"), >=, 1);
  state = provider (monitor, "probed");
  g_assert_nonnull (state->probe);
  g_assert_cmpstr (mw_health_to_string (state->probe->health), ==, "operational");
  g_assert_cmpint (state->probe->latency_ms, >=, 0);
  g_assert_cmpstr (mw_health_to_string (state->health), ==, "operational");

  /* the API fails while the page says all is well: the provider is not fine */
  mw_test_server_set_body (server, "/v1/models", 503, "text/plain", "down", -1);
  check (monitor);
  state = provider (monitor, "probed");
  g_assert_nonnull (state->probe);
  g_assert_cmpint (state->probe->health, >, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (state->health, >, MW_HEALTH_OPERATIONAL);
  g_assert_cmpstr (mw_health_to_string (state->page_health), ==, "operational");

  /* Probes run every minute while pages are polled every two, unless the
   * user asked for an interval: then both follow it. */
  g_assert_nonnull (mw_monitor_get_prober (monitor));
  g_assert_cmpuint (mw_monitor_get_interval (monitor), ==, MW_MONITOR_DEFAULT_INTERVAL);
  g_assert_cmpuint (mw_prober_get_interval (mw_monitor_get_prober (monitor)), ==, 60);
  mw_monitor_set_interval (monitor, 5);
  g_assert_cmpuint (mw_prober_get_interval (mw_monitor_get_prober (monitor)), ==, 5);
}

/* The private bus that stands for the system bus in every test here. */
static GTestDBus *system_bus;

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         data)
{
  *(gboolean *) data = TRUE;
}

static void
emit_prepare_for_sleep (GDBusConnection *connection,
                        gboolean         going_to_sleep)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (connection, NULL, "/org/freedesktop/login1",
                                 "org.freedesktop.login1.Manager", "PrepareForSleep",
                                 g_variant_new ("(b)", going_to_sleep), &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (connection, NULL, NULL);
}

/* Back from suspend, logind says PrepareForSleep(false): poll at once,
 * not at the end of an interval that began before the sleep. */
static void
test_monitor_resume (void)
{
  const char *ids[] = { "sleepy", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);
  g_autoptr(GDBusConnection) logind = NULL;
  g_autoptr(GError) error = NULL;
  gboolean acquired = FALSE;
  guint owner_id;
  gint64 deadline;

  serve_fixture (server, "sleepy");
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_interval (monitor, 60);
  mw_monitor_start (monitor);

  logind = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (system_bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  owner_id = g_bus_own_name_on_connection (logind, "org.freedesktop.login1", G_BUS_NAME_OWNER_FLAGS_NONE,
                                           name_acquired_cb, NULL, &acquired, NULL);
  g_assert_true (mw_test_wait_until (&acquired, 5000));

  /* the first poll, and time for the monitor to find the bus */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (hits (server, "sleepy") < 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  drain (500);
  g_assert_cmpuint (hits (server, "sleepy"), ==, 1);

  emit_prepare_for_sleep (logind, TRUE);
  drain (1500);
  g_assert_cmpuint (hits (server, "sleepy"), ==, 1);

  emit_prepare_for_sleep (logind, FALSE);
  deadline = g_get_monotonic_time () + 4 * G_USEC_PER_SEC;
  while (hits (server, "sleepy") < 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hits (server, "sleepy"), ==, 2);

  mw_monitor_stop (monitor);
  g_bus_unown_name (owner_id);
  g_dbus_connection_close_sync (logind, NULL, NULL);
}

static void
test_monitor_finalizes (void)
{
  const char *ids[] = { "x", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autoptr(MwCatalog) catalog = catalog_for (server, ids);
  MwMonitor *monitor = mw_monitor_new (catalog);

  serve_fixture (server, "x");
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_set_interval (monitor, 1);
  mw_monitor_start (monitor);
  check (monitor);
  mw_monitor_stop (monitor);
  /* the system-bus lookup of start() holds a reference until it returns */
  drain (200);
  g_assert_finalize_object (monitor);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* mw_monitor_start() looks for logind on the system bus: let it find
   * a private one, never the machine's. */
  system_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (system_bus);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (system_bus), TRUE);

  g_test_add_func ("/monitor/broken-sources", test_monitor_broken_sources);
  g_test_add_func ("/monitor/unreachable", test_monitor_unreachable);
  g_test_add_func ("/monitor/signals", test_monitor_signals);
  g_test_add_func ("/monitor/not-modified", test_monitor_not_modified);
  g_test_add_func ("/monitor/backoff", test_monitor_backoff);
  g_test_add_func ("/monitor/retry-after", test_monitor_retry_after);
  g_test_add_func ("/monitor/hanging-check", test_monitor_hanging_check);
  g_test_add_func ("/monitor/filter", test_monitor_filter);
  g_test_add_func ("/monitor/probes", test_monitor_probes);
  g_test_add_func ("/monitor/resume", test_monitor_resume);
  g_test_add_func ("/monitor/finalizes", test_monitor_finalizes);

  status = g_test_run ();

  g_test_dbus_down (system_bus);
  g_clear_object (&system_bus);

  return status;
}
