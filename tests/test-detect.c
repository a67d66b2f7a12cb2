/* test-detect.c
 *
 * Platform detection against loopback pages that serve the real captures
 * at each platform's own paths, and `modelwatch add` run as a process
 * with a private XDG_CONFIG_HOME.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "mw-catalog.h"
#include "mw-detect.h"
#include "mw-fetch.h"
#include "mw-reader.h"
#include "mw-test-server.h"

typedef struct {
  MwTestServer *server;
  MwFetcher    *fetcher;
  char         *base;       /* http://127.0.0.1:PORT */
  char         *config;     /* a private XDG_CONFIG_HOME for spawned processes */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = mw_test_server_new ();
  fixture->fetcher = mw_fetcher_new ();
  mw_fetcher_set_timeout (fixture->fetcher, 5);
  fixture->base = g_strdup_printf ("http://127.0.0.1:%u", mw_test_server_get_port (fixture->server));
  fixture->config = g_dir_make_tmp ("mw-detect-config-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->config);
  g_free (fixture->config);
  g_free (fixture->base);
  g_assert_finalize_object (fixture->fetcher);
  mw_test_server_free (fixture->server);
}

typedef struct {
  MwDetection *detection;
  GError      *error;
  gboolean     done;
} Result;

static void
detected_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Result *r = user_data;

  r->detection = mw_detect_finish (result, &r->error);
  r->done = TRUE;
}

static MwDetection *
detect (Fixture     *fixture,
        const char  *url,
        GError     **error)
{
  Result r = { NULL, NULL, FALSE };

  mw_detect_async (fixture->fetcher, url, NULL, detected_cb, &r);
  g_assert_true (mw_test_wait_until (&r.done, 20000));

  if (r.error != NULL)
    g_propagate_error (error, r.error);

  return r.detection;
}

/* Never NULL, so that assertions on its fields read simply: a missing
 * component has an empty name and id. */
static const MwDetectedComponent *
find_component (MwDetection *detection,
                const char  *name)
{
  static const MwDetectedComponent missing = { (char *) "", (char *) "", NULL };

  for (guint i = 0; i < detection->components->len; i++)
    {
      const MwDetectedComponent *component = g_ptr_array_index (detection->components, i);

      if (g_str_equal (component->name, name))
        return component;
    }

  return &missing;
}

static void
test_incidentio (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;
  const MwDetectedComponent *component;

  mw_test_server_set_fixture (fixture->server, "/proxy/127.0.0.1", "incidentio-openai-proxy-summary.json");
  /* The shim answers too, but the native feed comes first. */
  mw_test_server_set_fixture (fixture->server, "/api/v2/summary.json",
                              "incidentio-openai-summary-shim-incident-trimmed.json");

  detection = detect (fixture, fixture->base, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "incidentio");
  g_assert_cmpstr (detection->name, ==, "OpenAI");
  g_assert_cmpstr (detection->url, ==, fixture->base);
  component = find_component (detection, "Chat Completions");
  g_assert_cmpstr (component->name, !=, "");
  g_assert_cmpstr (component->id, ==, "01JMXBRMFE6N2NNT7DG6XZQ6PW");
  g_assert_cmpstr (component->group, ==, "APIs");
  /* Components of a hidden group are not offered. */
  for (guint i = 0; i < detection->components->len; i++)
    {
      const MwDetectedComponent *each = g_ptr_array_index (detection->components, i);

      g_assert_false (g_str_equal (each->id, "01K5FEDRAMPHIDDEN00000000"));
    }
  g_assert_cmpuint (mw_test_server_get_hits (fixture->server, "/api/v2/summary.json"), ==, 0);
}

static void
test_statuspage_atlassian (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;
  g_autofree char *url = g_strconcat (fixture->base, "/", NULL);

  mw_test_server_set_fixture (fixture->server, "/api/v2/summary.json", "statuspage-anthropic-summary.json");

  detection = detect (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "statuspage");
  g_assert_cmpstr (detection->variant, ==, "Atlassian Statuspage");
  g_assert_cmpstr (detection->name, ==, "Claude");
  /* The trailing slash is dropped: the catalog's url is the base. */
  g_assert_cmpstr (detection->url, ==, fixture->base);
  g_assert_cmpuint (detection->components->len, ==, 6);
  g_assert_cmpstr (find_component (detection, "Claude API (api.anthropic.com)")->id, ==, "k8w3r06qmzrp");
  /* incident.io's native feed was asked first. */
  g_assert_cmpuint (mw_test_server_get_hits (fixture->server, "/proxy/127.0.0.1"), ==, 1);
}

static void
test_statuspage_shim (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;

  mw_test_server_set_fixture (fixture->server, "/api/v2/summary.json",
                              "incidentio-openai-summary-shim-incident-trimmed.json");

  detection = detect (fixture, fixture->base, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "statuspage");
  g_assert_cmpstr (detection->variant, ==, "incident.io (Statuspage-compatible API)");
  g_assert_cmpstr (detection->name, ==, "OpenAI");
  g_assert_cmpuint (detection->components->len, >=, 1);
}

static void
test_instatus (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;

  mw_test_server_set_fixture (fixture->server, "/summary.json", "instatus-perplexity-summary.json");
  mw_test_server_set_fixture (fixture->server, "/v2/components.json", "instatus-perplexity-components.json");

  detection = detect (fixture, fixture->base, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "instatus");
  g_assert_cmpstr (detection->name, ==, "Perplexity");
  g_assert_cmpuint (detection->components->len, ==, 3);
  g_assert_cmpstr (find_component (detection, "API")->id, ==, "clyiakn7i60113hvojwho6za6j");
}

static void
test_betterstack (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;
  const MwDetectedComponent *component;

  mw_test_server_set_fixture (fixture->server, "/index.json", "betterstack-together-index.json");
  /* An HTML page where Instatus would answer does not confuse it. */
  mw_test_server_set_body (fixture->server, "/summary.json", 200, "text/html",
                           "<!DOCTYPE html><html><body>Just a moment…</body></html>", -1);

  detection = detect (fixture, fixture->base, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "betterstack");
  g_assert_cmpstr (detection->name, ==, "Together AI");
  component = find_component (detection, "Kimi K3");
  g_assert_cmpstr (component->name, !=, "");
  g_assert_cmpstr (component->id, ==, "8978884");
  g_assert_cmpstr (component->group, ==, "Inference - Chat");
  g_assert_cmpuint (detection->components->len, ==, 22);
}

static void
test_datadog (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;
  const MwDetectedComponent *component;

  mw_test_server_set_fixture (fixture->server, "/config.json", "datadog-openrouter-page.json");

  detection = detect (fixture, fixture->base, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "datadog");
  component = find_component (detection, "Chat (/api/v1/chat/completions)");
  g_assert_cmpstr (component->name, !=, "");
  g_assert_cmpstr (component->id, ==, "9fb5ccff-e128-455a-be20-59572f8d363a");
  g_assert_cmpstr (component->group, ==, "API - Gateway");
  /* The group itself is not a component. */
  g_assert_cmpstr (find_component (detection, "API - Gateway")->name, ==, "");
  g_assert_cmpuint (detection->components->len, ==, 7);
}

static void
test_checkly (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;
  const MwDetectedComponent *component;

  /* The slug is guessed from the host, as "mistral-ai" from status.mistral.ai. */
  mw_test_server_set_fixture (fixture->server, "/api/status-page/127-0-0-1/uptime", "checkly-mistral-uptime.json");

  detection = detect (fixture, fixture->base, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "checkly");
  g_assert_cmpstr (g_hash_table_lookup (detection->options, "slug"), ==, "127-0-0-1");
  component = find_component (detection, "Chat Completions API");
  g_assert_cmpstr (component->id, ==, "c4869a5a-054c-4c1b-88d1-3d195ba58511");
  g_assert_cmpstr (component->group, ==, "API");
  g_assert_cmpuint (detection->components->len, ==, 17);
}

static void
test_feed (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;
  g_autofree char *url = g_strconcat (fixture->base, "/feed.xml", NULL);

  mw_test_server_set_fixture (fixture->server, "/feed.xml", "xai-status-feed.xml");

  detection = detect (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "feed");
  /* For a feed the catalog's url is the feed itself. */
  g_assert_cmpstr (detection->url, ==, url);
  g_assert_cmpstr (detection->name, ==, "SpaceXAI System Status");
  g_assert_cmpuint (mw_test_server_get_hits (fixture->server, "/proxy/127.0.0.1"), ==, 0);
}

static void
test_atom_feed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;
  g_autofree char *url = g_strconcat (fixture->base, "/history.atom", NULL);

  mw_test_server_set_fixture (fixture->server, "/history.atom", "statuspage-anthropic-history-truncated.atom.xml");

  detection = detect (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (detection->platform, ==, "feed");
  g_assert_cmpstr (detection->name, ==, "Claude Status - Incident History");
}

static void
test_nothing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;

  /* JSON, but of no platform's shape, and HTML at the root. */
  mw_test_server_set_body (fixture->server, "/api/v2/summary.json", 200, "application/json",
                           "{\"page\": {\"name\": \"no id\"}}", -1);
  mw_test_server_set_body (fixture->server, "/config.json", 200, "application/json", "{\"pageType\": \"x\"}", -1);
  mw_test_server_set_body (fixture->server, "/", 200, "text/html", "<html><body>status</body></html>", -1);

  detection = detect (fixture, fixture->base, &error);
  g_assert_null (detection);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_true (g_str_has_prefix (error->message, fixture->base));
  g_assert_nonnull (strstr (error->message, "does not look like a status page"));
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autofree char *url = NULL;

  /* A port that is bound but never listened on refuses connections. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  detection = detect (fixture, url, &error);
  g_assert_null (detection);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_NETWORK);
}

static void
test_refuses_http (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDetection) detection = detect (fixture, "http://status.example.com", &error);

  g_assert_null (detection);
  g_assert_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "must be https://"));
}

static void
test_component_is_model (void)
{
  const char *models[] = {
    "Kimi K3", "GLM 5.3", "OpenAI GPT OSS 120B", "Meta Llama 3.3 70B Instruct Turbo", "llama-3.3-70b-versatile",
    "openai/gpt-oss-120b", "DeepSeek V4 Pro API服务(API Service)", "Whisper Large V3", "command-a-03-2025",
    "Multilingual E5 Large Instruct", "Claude Opus 4.7", "Codestral", "embed-v4.0",
  };
  const char *surfaces[] = {
    "Website", "API", "Playground", "Claude API (api.anthropic.com)", "Claude Code", "claude.ai",
    "API (us-east-1.api.x.ai)", "Chat (/api/v1/chat/completions)", "Embeddings (/api/v1/embeddings)",
    "Login", "Web & Application Services", "快速模式(Instant Mode)", "Grok (iOS)", "Copilot AI Model Providers",
    "Embeddings API", "Git Operations",
  };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_test_message ("%s", models[i]);
      g_assert_true (mw_detect_component_is_model (models[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (surfaces); i++)
    {
      g_test_message ("%s", surfaces[i]);
      g_assert_false (mw_detect_component_is_model (surfaces[i]));
    }
}

/* `modelwatch add` as a user runs it */

typedef struct {
  char     *out;
  char     *err;
  int       status;
  gboolean  done;
} Run;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  /* A child that died by a signal (a crash, a sanitizer abort) is -1, not
   * a critical that hides its stderr. */
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
    ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  run->done = TRUE;
}

/* Runs modelwatch with @args while this process keeps serving pages. */
static Run
run_modelwatch (Fixture            *fixture,
                const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cwd = g_dir_make_tmp ("mw-detect-cwd-XXXXXX", NULL);
  Run run = { NULL, NULL, -1, FALSE };
  const char *bin = g_getenv ("MODELWATCH_BIN");

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* A catalog in the current directory must never be read. */
  g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &run);
  g_assert_true (mw_test_wait_until (&run.done, 30000));
  g_rmdir (cwd);

  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run.status, run.out, run.err);
  return run;
}

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static void
test_add_writes_catalog (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *args[] = { "add", fixture->base, NULL };
  g_autofree char *path = g_build_filename (fixture->config, "modelwatch", "catalog.d", "together-ai.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(MwCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  const MwProvider *provider;
  const MwModel *model;
  Run run;

  mw_test_server_set_fixture (fixture->server, "/index.json", "betterstack-together-index.json");

  run = run_modelwatch (fixture, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Better Stack"));
  g_assert_nonnull (strstr (run.out, "Together AI"));
  g_assert_nonnull (strstr (run.out, "Kimi K3"));
  g_assert_nonnull (strstr (run.out, path));
  run_clear (&run);

  /* What it wrote is a catalog the loader accepts, without warnings. */
  catalog = mw_catalog_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_catalog_get_warnings (catalog)->len, ==, 0);
  provider = mw_catalog_find_provider (catalog, "together-ai");
  g_assert_nonnull (provider);
  g_assert_cmpstr (provider->name, ==, "Together AI");
  g_assert_cmpstr (provider->platform, ==, "betterstack");
  g_assert_cmpstr (provider->page_url, ==, fixture->base);
  g_assert_nonnull (provider->checked);
  model = mw_catalog_find_model (catalog, "together-ai/kimi-k3", NULL);
  g_assert_nonnull (model);
  g_assert_cmpstr (model->name, ==, "Kimi K3");
  g_assert_cmpstr (model->components[0], ==, "8978884");
  g_assert_nonnull (mw_catalog_find_model (catalog, "together-ai/glm-5.3-flash", NULL));
  /* Website and Playground are neither models nor API surfaces. */
  for (guint i = 0; i < provider->components->len; i++)
    g_assert_cmpstr (((MwComponentRef *) g_ptr_array_index (provider->components, i))->id, !=, "8475065");
  g_assert_cmpuint (provider->models->len, ==, 20);

  /* A second run does not overwrite it ... */
  g_file_get_contents (path, &before, NULL, NULL);
  g_assert_true (g_file_set_contents (path, "{\"edited\": true}", -1, NULL));
  run = run_modelwatch (fixture, args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--force"));
  g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
  run_clear (&run);
  g_file_get_contents (path, &after, NULL, NULL);
  g_assert_cmpstr (after, ==, "{\"edited\": true}");
  g_clear_pointer (&after, g_free);

  /* ... unless told to. */
  {
    const char *forced[] = { "add", "--force", fixture->base, NULL };

    run = run_modelwatch (fixture, forced);
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
    g_file_get_contents (path, &after, NULL, NULL);
    g_assert_cmpstr (after, !=, "{\"edited\": true}");
  }
}

static void
test_add_id_and_name (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *url = g_strconcat (fixture->base, "/feed.xml", NULL);
  const char *args[] = { "add", "--id", "my-feed", "--name", "My Feed", url, NULL };
  g_autofree char *path = g_build_filename (fixture->config, "modelwatch", "catalog.d", "my-feed.json", NULL);
  g_autoptr(MwCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  const MwProvider *provider;
  Run run;

  mw_test_server_set_fixture (fixture->server, "/feed.xml", "xai-status-feed.xml");

  run = run_modelwatch (fixture, args);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  catalog = mw_catalog_new_from_file (path, &error);
  g_assert_no_error (error);
  provider = mw_catalog_find_provider (catalog, "my-feed");
  g_assert_cmpstr (provider->name, ==, "My Feed");
  g_assert_cmpstr (provider->platform, ==, "feed");
  g_assert_cmpstr (provider->page_url, ==, url);
  g_assert_cmpuint (provider->models->len, ==, 0);

  /* With --id, an existing file is refused before any request. */
  {
    guint hits = mw_test_server_get_hits (fixture->server, "/feed.xml");

    run = run_modelwatch (fixture, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, path));
    run_clear (&run);
    g_assert_cmpuint (mw_test_server_get_hits (fixture->server, "/feed.xml"), ==, hits);
  }
}

static void
test_add_checkly (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *args[] = { "add", "--id", "mistral", "--name", "Mistral AI", fixture->base, NULL };
  g_autofree char *path = g_build_filename (fixture->config, "modelwatch", "catalog.d", "mistral.json", NULL);
  g_autoptr(MwCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  const MwProvider *provider;
  Run run;

  mw_test_server_set_fixture (fixture->server, "/api/status-page/127-0-0-1/uptime", "checkly-mistral-uptime.json");

  run = run_modelwatch (fixture, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Checkly"));
  run_clear (&run);

  catalog = mw_catalog_new_from_file (path, &error);
  g_assert_no_error (error);
  provider = mw_catalog_find_provider (catalog, "mistral");
  g_assert_cmpstr (provider->platform, ==, "checkly");
  g_assert_cmpstr (mw_provider_get_option (provider, "slug"), ==, "127-0-0-1");
  /* Mistral publishes no per-model components: the API ones are watched. */
  g_assert_cmpuint (provider->models->len, ==, 0);
  g_assert_cmpuint (provider->components->len, >=, 1);
  for (guint i = 0; i < provider->components->len; i++)
    g_assert_cmpstr (((MwComponentRef *) g_ptr_array_index (provider->components, i))->id, !=,
                     "24adc35f-5fc7-4ed8-89e3-abb57a11ba74");
}

static void
test_add_nothing (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *args[] = { "add", fixture->base, NULL };
  g_autofree char *dir = g_build_filename (fixture->config, "modelwatch", NULL);
  Run run;

  mw_test_server_set_body (fixture->server, "/", 200, "text/html", "<html><body>hello</body></html>", -1);

  run = run_modelwatch (fixture, args);
  g_assert_cmpint (run.status, ==, 1);
  /* One clear line, and nothing written. */
  g_assert_true (g_str_has_prefix (run.err, "modelwatch add: "));
  g_assert_nonnull (strstr (run.err, "does not look like a status page"));
  g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  run_clear (&run);
}

static void
test_add_usage (Fixture       *fixture,
                gconstpointer  data)
{
  const char *none[] = { "add", NULL };
  const char *http[] = { "add", "http://status.example.com", NULL };
  const char *bad_id[] = { "add", "--id", "Not Valid", fixture->base, NULL };
  const char *bad_option[] = { "add", "--frobnicate", fixture->base, NULL };
  const char * const *cases[] = { none, http, bad_id, bad_option };
  g_autofree char *dir = g_build_filename (fixture->config, "modelwatch", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = run_modelwatch (fixture, cases[i]);

      g_assert_cmpint (run.status, ==, 64);
      g_assert_true (g_str_has_prefix (run.err, "modelwatch add: "));
      run_clear (&run);
    }

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  /* Nothing was fetched for a usage error. */
  g_assert_cmpuint (mw_test_server_get_hits (fixture->server, "/proxy/127.0.0.1"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: it hides the GSettings schemas the
   * proxy resolver reads; spawned processes get their own config dir. */
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/detect/incidentio", test_incidentio);
  ADD ("/detect/statuspage-atlassian", test_statuspage_atlassian);
  ADD ("/detect/statuspage-shim", test_statuspage_shim);
  ADD ("/detect/instatus", test_instatus);
  ADD ("/detect/betterstack", test_betterstack);
  ADD ("/detect/datadog", test_datadog);
  ADD ("/detect/checkly", test_checkly);
  ADD ("/detect/feed", test_feed);
  ADD ("/detect/atom-feed", test_atom_feed);
  ADD ("/detect/nothing", test_nothing);
  ADD ("/detect/unreachable", test_unreachable);
  ADD ("/detect/refuses-http", test_refuses_http);
  g_test_add_func ("/detect/component-is-model", test_component_is_model);
  ADD ("/add/writes-catalog", test_add_writes_catalog);
  ADD ("/add/id-and-name", test_add_id_and_name);
  ADD ("/add/checkly", test_add_checkly);
  ADD ("/add/nothing", test_add_nothing);
  ADD ("/add/usage", test_add_usage);

  return g_test_run ();
}
