/* test-cli.c
 *
 * `modelwatch status`, `check` and `pick` as a user runs them: the real
 * executable, a temporary XDG home, status pages on 127.0.0.1, and either
 * no session bus at all or a private one with a stand-in service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "mw-catalog.h"
#include "mw-dbus-generated.h"
#include "mw-monitor.h"
#include "mw-reader.h"
#include "mw-test-server.h"

#define FIXTURE "statuspage-anthropic-summary.json"
#define DEGRADED_FIXTURE "statuspage-anthropic-summary-two-incidents-trimmed.json"

static char *home;        /* temporary XDG directories live here */

typedef struct {
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
  gint64    ms;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;
  GSubprocess *process = G_SUBPROCESS (object);

  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->done = TRUE;
}

/* Runs `modelwatch ARGS…` with a clean environment; @bus is a session bus
 * address, or NULL for none. The main loop keeps turning meanwhile, so
 * the test server and the stand-in service answer. */
static void
run_modelwatch (Run                *run,
                const char         *bus,
                const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);
  g_autofree char *state = g_build_filename (home, "state", NULL);
  const char *bin = g_getenv ("MODELWATCH_BIN");
  gint64 start;
  /* No API key variables: nothing here may ever hold a real one. */
  char *env[] = {
    g_strdup_printf ("HOME=%s", home),
    g_strdup_printf ("XDG_CONFIG_HOME=%s", config),
    g_strdup_printf ("XDG_DATA_HOME=%s", data),
    g_strdup_printf ("XDG_CACHE_HOME=%s", cache),
    g_strdup_printf ("XDG_STATE_HOME=%s", state),
    g_strdup_printf ("XDG_RUNTIME_DIR=%s", home),
    g_strdup_printf ("DBUS_SESSION_BUS_ADDRESS=%s", bus != NULL ? bus : "disabled:"),
    g_strdup ("LC_ALL=C.UTF-8"),
    g_strdup ("G_DEBUG=fatal-criticals"),
    g_strdup ("PATH=/usr/bin:/bin"),
    NULL
  };

  g_assert_nonnull (bin);
  g_subprocess_launcher_set_environ (launcher, env);
  mw_test_launcher_pass_sanitizers (launcher);
  for (guint i = 0; env[i] != NULL; i++)
    g_free (env[i]);

  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  memset (run, 0, sizeof *run);
  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, run);
  g_assert_true (mw_test_wait_until (&run->done, 60000));
  run->ms = (g_get_monotonic_time () - start) / 1000;

  if (g_test_verbose ())
    g_printerr ("exit %d in %" G_GINT64_FORMAT " ms\n--- stdout\n%s--- stderr\n%s", run->status,
                run->ms, run->out, run->err);

  /* whatever happens, never a GLib warning or critical */
  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "WARNING"));
}

static void
assert_one_line (const char *text)
{
  const char *newline = strchr (text, '\n');

  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
}

#define RUN(run, bus, ...) G_STMT_START { \
  const char *args_[] = { __VA_ARGS__, NULL }; \
  run_modelwatch (run, bus, args_); \
} G_STMT_END

/* A catalog file of providers @ids on @server (/<id>/api/v2/summary.json),
 * one model each on the API component, with a fallback chain. */
static char *
write_catalog (MwTestServer       *server,
               const char * const *ids)
{
  g_autoptr(GString) json = g_string_new ("{\"version\": 1, \"providers\": [");
  g_autoptr(GError) error = NULL;
  g_autofree char *base = mw_test_server_url (server, NULL);
  char *path = g_build_filename (home, "catalog.json", NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    g_string_append_printf (json,
                            "%s{\"id\": \"%s\", \"name\": \"Provider %s\","
                            " \"status_page\": {\"url\": \"%s/%s\", \"platform\": \"statuspage\"},"
                            " \"components\": {\"api\": \"k8w3r06qmzrp\"},"
                            " \"models\": [{\"id\": \"model\", \"name\": \"Model of %s\","
                            "   \"components\": [\"k8w3r06qmzrp\", \"c\"], \"match\": [\"Model of %s\"]}]}",
                            i > 0 ? ", " : "", ids[i], ids[i], base, ids[i], ids[i], ids[i]);
  g_string_append (json, "]}");

  g_file_set_contents (path, json->str, (gssize) json->len, &error);
  g_assert_no_error (error);

  return path;
}

static void
serve (MwTestServer *server,
       const char   *id,
       const char   *fixture)
{
  g_autofree char *path = g_strdup_printf ("/%s/api/v2/summary.json", id);

  mw_test_server_set_fixture (server, path, fixture);
}

/* The Anthropic capture with the API component in a major outage. */
static void
serve_major_outage (MwTestServer *server,
                    const char   *id)
{
  g_autoptr(GBytes) bytes = mw_test_fixture_bytes (FIXTURE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/%s/api/v2/summary.json", id);
  g_autofree char *text = NULL;
  JsonArray *components;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  components = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "components");
  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);

      if (g_str_equal (json_object_get_string_member (component, "id"), "k8w3r06qmzrp"))
        json_object_set_string_member (component, "status", "major_outage");
    }
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, NULL);
  mw_test_server_set_body (server, path, 200, "application/json", text, -1);
}

static JsonObject *
parse_output (Run *run)
{
  static JsonParser *parser;
  g_autoptr(GError) error = NULL;

  g_clear_object (&parser);
  parser = json_parser_new ();
  json_parser_load_from_data (parser, run->out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
json_provider (JsonObject *root,
               guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (root, "providers"), index);
}

static void
test_cli_exit_codes (void)
{
  const char *ids[] = { "ok", "degraded", "major", "broken", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autofree char *catalog = write_catalog (server, ids);
  g_autofree char *broken = g_strdup_printf ("127.0.0.1:%u answered HTTP 500", mw_test_server_get_port (server));
  JsonObject *root, *ok, *model;
  Run run;

  serve (server, "ok", FIXTURE);
  serve (server, "degraded", DEGRADED_FIXTURE);
  serve_major_outage (server, "major");
  mw_test_server_set_body (server, "/broken/api/v2/summary.json", 500, "text/plain", "oops", -1);

  /* JSON, one provider: the shape of DESIGN.md */
  RUN (&run, NULL, "status", "--json", "--catalog", catalog, "--provider", "ok");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_output (&run);
  g_assert_true (json_object_has_member (root, "checked_at"));
  g_assert_cmpstr (json_object_get_string_member (root, "health"), ==, "operational");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "providers")), ==, 1);
  ok = json_provider (root, 0);
  g_assert_cmpstr (json_object_get_string_member (ok, "id"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (ok, "name"), ==, "Provider ok");
  g_assert_cmpstr (json_object_get_string_member (ok, "health"), ==, "operational");
  g_assert_true (json_object_get_null_member (json_object_get_object_member (ok, "status_page"), "error"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ok, "components")), ==, 1);
  model = json_array_get_object_element (json_object_get_array_member (ok, "models"), 0);
  g_assert_cmpstr (json_object_get_string_member (model, "id"), ==, "ok/model");
  g_assert_cmpstr (json_object_get_string_member (model, "health"), ==, "operational");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (model, "signals"), "official"),
                   ==, "operational");
  g_assert_cmpuint (mw_test_server_get_hits (server, "/degraded/api/v2/summary.json"), ==, 0);
  run_clear (&run);

  RUN (&run, NULL, "status", "--catalog", catalog, "--provider", "degraded");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "Provider degraded (degraded): degraded"));
  g_assert_nonnull (strstr (run.out, "Degraded performance of multiple models"));
  g_assert_null (strstr (run.out, "Provider ok"));
  run_clear (&run);

  RUN (&run, NULL, "status", "--catalog", catalog, "--provider", "major");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.out, "major_outage"));
  run_clear (&run);

  RUN (&run, NULL, "status", "--catalog", catalog, "--provider", "broken");
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.out, "unknown: "));
  g_assert_nonnull (strstr (run.out, broken));
  g_assert_null (strstr (run.out, "operational"));
  run_clear (&run);

  /* two providers: the worse one decides; major beats degraded beats unknown */
  RUN (&run, NULL, "status", "--catalog", catalog, "--provider", "ok", "--provider", "broken");
  g_assert_cmpint (run.status, ==, 3);
  run_clear (&run);
  RUN (&run, NULL, "status", "--catalog", catalog, "--provider", "broken", "--provider", "degraded");
  g_assert_cmpint (run.status, ==, 1);
  run_clear (&run);

  /* all of them, as a table */
  RUN (&run, NULL, "status", "--catalog", catalog);
  g_assert_cmpint (run.status, ==, 2);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("Provider %s (%s): ", ids[i], ids[i]);

      g_assert_nonnull (strstr (run.out, line));
    }
  g_assert_nonnull (strstr (run.out, "Models"));
  g_assert_nonnull (strstr (run.out, "Model of ok"));
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);

  /* --once is the same without a service */
  RUN (&run, NULL, "status", "--once", "--json", "--catalog", catalog);
  g_assert_cmpint (run.status, ==, 2);
  root = parse_output (&run);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "providers")), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_provider (root, 3), "health"), ==, "unknown");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_provider (root, 3), "status_page"), "error"),
                   ==, broken);
  run_clear (&run);
}

static void
test_cli_usage (void)
{
  const char *ids[] = { "ok", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autofree char *catalog = write_catalog (server, ids);
  g_autofree char *bad = g_build_filename (home, "bad.json", NULL);
  g_autofree char *where = NULL;
  Run run;

  serve (server, "ok", FIXTURE);

  RUN (&run, NULL, "status", "--no-such-option");
  g_assert_cmpint (run.status, ==, 64);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "--no-such-option"));
  assert_one_line (run.err);
  run_clear (&run);

  RUN (&run, NULL, "status", "--catalog", catalog, "--provider", "nope");
  g_assert_cmpint (run.status, ==, 64);
  g_assert_nonnull (strstr (run.err, "nope"));
  g_assert_cmpuint (mw_test_server_get_hits (server, "/ok/api/v2/summary.json"), ==, 0);
  run_clear (&run);

  RUN (&run, NULL, "status", "--catalog", catalog, "extra");
  g_assert_cmpint (run.status, ==, 64);
  run_clear (&run);

  RUN (&run, NULL, "pick");
  g_assert_cmpint (run.status, ==, 64);
  run_clear (&run);

  RUN (&run, NULL, "pick", "--catalog", catalog, "nobody/nothing");
  g_assert_cmpint (run.status, ==, 64);
  g_assert_nonnull (strstr (run.err, "nobody/nothing"));
  run_clear (&run);

  /* a bad catalog: 78, and the message names the file, the line and the key */
  g_file_set_contents (bad, "{\n  \"version\": 1,\n  \"providers\": [\n    {\"id\": 5}\n  ]\n}\n", -1, NULL);
  RUN (&run, NULL, "status", "--catalog", bad);
  g_assert_cmpint (run.status, ==, 78);
  where = g_strdup_printf ("%s:4", bad);
  g_assert_nonnull (strstr (run.err, where));
  g_assert_nonnull (strstr (run.err, "id"));
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);

  /* check needs a running service */
  RUN (&run, NULL, "check");
  g_assert_cmpint (run.status, ==, 69);
  g_assert_nonnull (strstr (run.err, "not running"));
  run_clear (&run);
}

static void
test_cli_pick (void)
{
  const char *ids[] = { "ok", "major", "broken", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autofree char *catalog = write_catalog (server, ids);
  Run run;

  serve (server, "ok", FIXTURE);
  serve_major_outage (server, "major");
  mw_test_server_set_body (server, "/broken/api/v2/summary.json", 500, "text/plain", "oops", -1);

  RUN (&run, NULL, "pick", "--catalog", catalog, "major/model", "broken/model", "ok/model");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "ok/model\n");
  run_clear (&run);

  /* unknown is not healthy */
  RUN (&run, NULL, "pick", "--catalog", catalog, "major/model", "broken/model");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "no healthy model among major/model, broken/model"));
  run_clear (&run);
}

/* The built-in catalog's providers, every address turned to a closed
 * port on this machine: nothing may say "operational", and the run ends
 * within one timeout. Providers whose reader would still reach beyond
 * 127.0.0.1 are dropped, so that no test ever contacts a real provider. */
static char *
write_closed_builtin_catalog (guint16 port)
{
  g_autofree char *source = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "catalog", "providers.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonArray) kept = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) check = NULL;
  g_autofree char *text = NULL;
  char *path = g_build_filename (home, "closed.json", NULL);
  JsonObject *root;
  JsonArray *providers;

  json_parser_load_from_file (parser, source, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  providers = json_object_get_array_member (root, "providers");

  for (guint i = 0; i < json_array_get_length (providers); i++)
    {
      JsonObject *provider = json_array_get_object_element (providers, i);
      JsonObject *page = json_object_get_object_member (provider, "status_page");
      const char *platform = json_object_get_string_member (page, "platform");
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/%s%s", port,
                                              json_object_get_string_member (provider, "id"),
                                              g_str_equal (platform, "feed") ? "/feed.xml" : "");

      json_object_set_string_member (page, "url", url);
      /* probes are the prober's business and tested there */
      if (json_object_has_member (provider, "api"))
        json_object_remove_member (provider, "api");
      json_array_add_object_element (kept, json_object_ref (provider));
    }

  json_object_set_array_member (root, "providers", json_array_ref (kept));
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, NULL);

  check = mw_catalog_new_from_data (text, -1, "closed.json", &error);
  g_assert_no_error (error);

  /* keep only providers whose every URL stays on the closed port */
  {
    g_autoptr(JsonArray) safe = json_array_new ();

    for (guint i = 0; i < mw_catalog_get_n_providers (check); i++)
      {
        const MwProvider *provider = mw_catalog_get_provider (check, i);
        const MwReader *reader = mw_reader_lookup (provider->platform);
        g_auto(GStrv) urls = reader != NULL ? reader->urls (provider) : NULL;
        gboolean local = urls != NULL && urls[0] != NULL;

        for (guint j = 0; urls != NULL && urls[j] != NULL; j++)
          local = local && mw_url_is_loopback (urls[j]);

        if (local)
          json_array_add_element (safe, json_array_dup_element (kept, i));
        else if (g_test_verbose ())
          g_printerr ("skipping %s: its reader leaves 127.0.0.1\n", provider->id);
      }

    g_assert_cmpuint (json_array_get_length (safe), >=, 10);
    json_object_set_array_member (root, "providers", json_array_ref (safe));
  }

  g_free (text);
  text = json_generator_to_data (generator, NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_cli_closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *catalog = NULL;
  g_autofree char *prefix = NULL;
  JsonObject *root;
  JsonArray *providers;
  guint16 port;
  Run run;

  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  catalog = write_closed_builtin_catalog (port);
  prefix = g_strdup_printf ("cannot reach 127.0.0.1:%u", port);

  RUN (&run, NULL, "status", "--json", "--timeout", "3", "--catalog", catalog);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpint (run.ms, <, 3000 + 1500);
  g_assert_null (strstr (run.out, "operational"));
  root = parse_output (&run);
  providers = json_object_get_array_member (root, "providers");
  for (guint i = 0; i < json_array_get_length (providers); i++)
    {
      JsonObject *provider = json_array_get_object_element (providers, i);
      JsonObject *page = json_object_get_object_member (provider, "status_page");

      g_assert_cmpstr (json_object_get_string_member (provider, "health"), ==, "unknown");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (page, "error"), prefix));
    }
  run_clear (&run);

  RUN (&run, NULL, "status", "--timeout", "3", "--catalog", catalog);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_null (strstr (run.out, "operational"));
  g_assert_nonnull (strstr (run.out, ": unknown: cannot reach 127.0.0.1:"));
  run_clear (&run);
}

/* A stand-in for the service on a private bus. */
typedef struct {
  MwDBusMonitor1 *skeleton;
  guint           check_now_calls;
} FakeService;

static gboolean
handle_check_now (MwDBusMonitor1        *skeleton,
                  GDBusMethodInvocation *invocation,
                  FakeService           *fake)
{
  fake->check_now_calls++;
  mw_dbus_monitor1_complete_check_now (skeleton, invocation);
  return TRUE;
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_monitor_check_finish (MW_MONITOR (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static void
test_cli_service (void)
{
  const char *ids[] = { "ok", "major", NULL };
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autofree char *catalog_file = write_catalog (server, ids);
  g_autoptr(MwCatalog) catalog = NULL;
  g_autoptr(MwMonitor) monitor = NULL;
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *services = g_build_filename (home, "dbus-services", NULL);
  g_autofree char *marker = g_build_filename (home, "service-was-started", NULL);
  g_autofree char *service_file = g_build_filename (services, SERVICE_ID ".service", NULL);
  g_autofree char *service_text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *checked_at = NULL;
  FakeService fake = { 0 };
  const char *address;
  gboolean done = FALSE;
  guint owner_id;
  guint hits;
  Run run;

  /* Were `status` to auto-start the service, this would run. */
  g_mkdir_with_parents (services, 0700);
  service_text = g_strdup_printf ("[D-BUS Service]\nName=%s\nExec=/usr/bin/touch %s\n", SERVICE_ID, marker);
  g_file_set_contents (service_file, service_text, -1, NULL);
  g_test_dbus_add_service_dir (bus, services);
  g_test_dbus_up (bus);
  address = g_test_dbus_get_bus_address (bus);

  serve (server, "ok", FIXTURE);
  serve_major_outage (server, "major");

  /* no service on the bus: poll in-process, and do not start one */
  RUN (&run, address, "status", "--json", "--catalog", catalog_file);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  RUN (&run, address, "check");
  g_assert_cmpint (run.status, ==, 69);
  run_clear (&run);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* The service's snapshot: what a monitor saw over the same pages. */
  catalog = mw_catalog_new_from_file (catalog_file, &error);
  g_assert_no_error (error);
  monitor = mw_monitor_new (catalog);
  mw_monitor_set_probes_enabled (monitor, FALSE);
  mw_monitor_check_async (monitor, NULL, check_done_cb, &done);
  g_assert_true (mw_test_wait_until (&done, 10000));
  json = mw_snapshot_to_json (mw_monitor_get_snapshot (monitor), NULL, FALSE);
  checked_at = mw_format_iso8601 (mw_snapshot_get_checked_at (mw_monitor_get_snapshot (monitor)));

  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  fake.skeleton = mw_dbus_monitor1_skeleton_new ();
  mw_dbus_monitor1_set_snapshot (fake.skeleton, json);
  g_signal_connect (fake.skeleton, "handle-check-now", G_CALLBACK (handle_check_now), &fake);
  g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fake.skeleton), connection,
                                    SERVICE_OBJECT_PATH, &error);
  g_assert_no_error (error);
  owner_id = g_bus_own_name_on_connection (connection, SERVICE_ID, G_BUS_NAME_OWNER_FLAGS_NONE,
                                           NULL, NULL, NULL, NULL);
  {
    g_autoptr(GDBusProxy) probe = NULL;
    g_autofree char *owner = NULL;
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (owner == NULL && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_clear_object (&probe);
        probe = g_dbus_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START |
                                       G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES, NULL,
                                       SERVICE_ID, SERVICE_OBJECT_PATH, "org.freedesktop.DBus.Peer",
                                       NULL, NULL);
        owner = probe != NULL ? g_dbus_proxy_get_name_owner (probe) : NULL;
      }
    g_assert_nonnull (owner);
  }

  /* status reads the service: no page is fetched, and the time is the
   * service's own */
  hits = mw_test_server_get_hits (server, "/ok/api/v2/summary.json");
  RUN (&run, address, "status", "--json");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.out, checked_at));
  g_assert_cmpuint (mw_test_server_get_hits (server, "/ok/api/v2/summary.json"), ==, hits);
  run_clear (&run);

  RUN (&run, address, "status", "--provider", "ok");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Provider ok (ok): operational"));
  g_assert_null (strstr (run.out, "Provider major"));
  run_clear (&run);

  RUN (&run, address, "status", "--provider", "nope");
  g_assert_cmpint (run.status, ==, 64);
  run_clear (&run);

  /* --once polls in-process even though a service runs */
  RUN (&run, address, "status", "--once", "--json", "--catalog", catalog_file);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpuint (mw_test_server_get_hits (server, "/ok/api/v2/summary.json"), ==, hits + 1);
  run_clear (&run);

  RUN (&run, address, "pick", "major/model", "ok/model");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "ok/model\n");
  run_clear (&run);

  RUN (&run, address, "check");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (fake.check_now_calls, ==, 1);
  run_clear (&run);

  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  g_bus_unown_name (owner_id);
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (fake.skeleton));
  g_clear_object (&fake.skeleton);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_clear_object (&connection);
  g_test_dbus_down (bus);
}

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_clear_pointer (&dir, g_dir_close);
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  home = g_dir_make_tmp ("modelwatch-test-cli-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/cli/exit-codes", test_cli_exit_codes);
  g_test_add_func ("/cli/usage", test_cli_usage);
  g_test_add_func ("/cli/pick", test_cli_pick);
  g_test_add_func ("/cli/closed-port", test_cli_closed_port);
  g_test_add_func ("/cli/service", test_cli_service);

  status = g_test_run ();

  rm_rf (home);
  g_free (home);

  return status;
}
