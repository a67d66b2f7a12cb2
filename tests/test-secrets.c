/* test-secrets.c
 *
 * API keys, with a canary key: it reaches its provider and nothing else
 * (not a redirect, not another host, not http), and never appears in the
 * logs (G_MESSAGES_DEBUG=all), the JSON output, the snapshot, the
 * history database or the probe states. `modelwatch key` reads keys from
 * standard input and stores them in a Secret Service, here a private
 * gnome-keyring-daemon on a private bus.
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
#include "mw-secrets.h"
#include "mw-snapshot.h"
#include "mw-test-server.h"

#define CANARY       "sk-canary-0123456789abcdef"
#define CANARY_TAIL  "0123456789abcdef"
#define KEY_ENV      "MW_TEST_SECRET_KEY"
#define PROVIDER     "testprov"

#define ECHO_BODY \
  "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"," \
  "\"message\":\"invalid x-api-key: " CANARY "\"}}"

static void
assert_no_canary (const char *what,
                  const char *text,
                  gsize       len)
{
  if (text == NULL)
    return;

  for (gsize i = 0; i + strlen (CANARY_TAIL) <= len; i++)
    if (memcmp (text + i, CANARY_TAIL, strlen (CANARY_TAIL)) == 0)
      g_error ("the API key leaked into %s", what);
}

static void
assert_no_canary_str (const char *what,
                      const char *text)
{
  assert_no_canary (what, text, text != NULL ? strlen (text) : 0);
}

static char *
catalog_json (const char *base_url,
              const char *page_url,
              gboolean    trusted,
              const char *provider_id,
              const char *model_probe)
{
  return g_strdup_printf (
    "{\"version\": 1, \"providers\": [{"
    "  \"id\": \"%s\", \"name\": \"Test provider\"%s,"
    "  \"status_page\": {\"url\": \"%s\", \"platform\": \"statuspage\"},"
    "  \"api\": {\"base_url\": \"%s\","
    "            \"probe\": {\"method\": \"GET\", \"path\": \"/v1/models\", \"expect\": [401]},"
    "            \"key_env\": \"" KEY_ENV "\", \"auth\": \"x-api-key\", \"model_probe\": \"%s\"},"
    "  \"models\": [{\"id\": \"claude-canary\", \"name\": \"Canary model\"}]"
    "}], \"fallbacks\": {}}",
    provider_id, trusted ? ", \"trusted\": true" : "", page_url, base_url, model_probe);
}

static MwCatalog *
make_catalog (const char *base_url,
              gboolean    trusted,
              const char *provider_id)
{
  g_autofree char *json = catalog_json (base_url, "https://status.example.com", trusted,
                                        provider_id, "free");
  g_autoptr(GError) error = NULL;
  MwCatalog *catalog = mw_catalog_new_from_data (json, -1, "user-catalog.json", &error);

  g_assert_no_error (error);
  return catalog;
}

/* ------------------------------------------------------------------ */

static void
test_redact (void)
{
  static const struct { const char *key; const char *hint; } cases[] = {
    { CANARY, "sk-…cdef" },
    { "sk-ant-api03-abcdefghijklmnopqrstuvwxyz-wxyz", "sk-…wxyz" },
    { "AIzaSyA0123456789abcdefghijklmnopq", "…nopq" },
    { "xai-0123456789abcdefghij", "xai-…ghij" },
    { "gsk_0123456789abcdefghij", "gsk_…ghij" },
    { "short-key", "…" },
    { "", "…" },
    { NULL, "…" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *hint = mw_secret_redact (cases[i].key);

      g_assert_cmpstr (hint, ==, cases[i].hint);
    }

  g_assert_true (mw_secret_is_plausible (CANARY));
  g_assert_false (mw_secret_is_plausible ("sk-with space-0123456789"));
  g_assert_false (mw_secret_is_plausible ("sk-line\n0123456789"));
  g_assert_false (mw_secret_is_plausible ("short"));
}

static void
assert_refused (MwCatalog  *catalog,
                const char *provider_id,
                const char *url,
                const char *must_say)
{
  const MwProvider *provider = mw_catalog_find_provider (catalog, provider_id);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (provider);
  g_assert_false (mw_secret_check_destination (catalog, provider, url, &error));
  g_assert_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_REFUSED);
  g_test_message ("%s -> %s", url, error->message);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_nonnull (strstr (error->message, provider_id));
  g_assert_nonnull (strstr (error->message, must_say));
}

static void
assert_allowed (MwCatalog  *catalog,
                const char *provider_id,
                const char *url)
{
  const MwProvider *provider = mw_catalog_find_provider (catalog, provider_id);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (provider);
  g_assert_true (mw_secret_check_destination (catalog, provider, url, &error));
  g_assert_no_error (error);
}

static void
test_destination (void)
{
  g_autoptr(MwCatalog) builtin = NULL;
  g_autoptr(MwCatalog) moved = NULL;
  g_autoptr(MwCatalog) moved_trusted = NULL;
  g_autoptr(MwCatalog) unknown = NULL;
  g_autoptr(MwCatalog) unknown_trusted = NULL;
  g_autoptr(MwCatalog) loopback = NULL;
  g_autoptr(GError) error = NULL;

  builtin = mw_catalog_new_builtin (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_catalog_get_builtin_host (builtin, "anthropic"), ==, "api.anthropic.com");

  /* the built-in host over https: yes; http, another host, a look-alike: no */
  assert_allowed (builtin, "anthropic", "https://api.anthropic.com/v1/messages/count_tokens");
  assert_refused (builtin, "anthropic", "http://api.anthropic.com/v1/models", "https");
  assert_refused (builtin, "anthropic", "https://api.anthropic.com.evil.example/v1/models", "api.anthropic.com");
  assert_refused (builtin, "anthropic", "https://evil.example/v1/models", "api.anthropic.com");
  assert_refused (builtin, "anthropic", "https://api.anthropic.com@evil.example/v1/models", "evil.example");
  assert_refused (builtin, "anthropic", "https://evil.example/api.anthropic.com/v1/models", "evil.example");
  /* another provider's host is not this provider's */
  assert_refused (builtin, "openai", "https://api.anthropic.com/v1/models", "api.openai.com");

  /* a user entry moving a known provider's key to another host, untrusted */
  moved = make_catalog ("https://proxy.evil.example", FALSE, "anthropic");
  assert_refused (moved, "anthropic", "https://proxy.evil.example/v1/messages", "trusted");
  assert_refused (moved, "anthropic", "https://proxy.evil.example/v1/messages", "user-catalog.json");
  /* the user said so: the entry's own origin, and only that */
  moved_trusted = make_catalog ("https://gateway.example.org", TRUE, "anthropic");
  assert_allowed (moved_trusted, "anthropic", "https://gateway.example.org/v1/messages");
  assert_refused (moved_trusted, "anthropic", "https://other.example.org/v1/messages", "trusted");

  /* a provider the built-in catalog does not know */
  unknown = make_catalog ("https://api.newcomer.example", FALSE, "newcomer");
  assert_refused (unknown, "newcomer", "https://api.newcomer.example/v1/models", "trusted");
  unknown_trusted = make_catalog ("https://api.newcomer.example", TRUE, "newcomer");
  assert_allowed (unknown_trusted, "newcomer", "https://api.newcomer.example/v1/models");

  /* http only for loopback, even when trusted */
  /* (the catalog itself already refuses an http:// base_url off loopback) */
  assert_refused (unknown_trusted, "newcomer", "http://api.newcomer.example/v1/models", "https");
  loopback = make_catalog ("http://127.0.0.1:8080", TRUE, "newcomer");
  assert_allowed (loopback, "newcomer", "http://127.0.0.1:8080/v1/models");
  assert_refused (loopback, "newcomer", "http://127.0.0.1:9090/v1/models", "trusted");
}

/* ------------------------------------------------------------------ */
/* In process: the prober                                              */

typedef struct {
  MwTestServer *server;
  MwTestServer *other;
  MwFetcher    *fetcher;
  MwProber     *prober;
  char         *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("mw-test-secrets-XXXXXX", NULL);
  g_setenv ("XDG_STATE_HOME", f->dir, TRUE);
  g_setenv (KEY_ENV, CANARY, TRUE);
  f->server = mw_test_server_new ();
  f->other = mw_test_server_new ();
  f->fetcher = mw_fetcher_new ();
  mw_test_server_set_body (f->server, "/v1/models", 401, "application/json", ECHO_BODY, -1);
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
  g_clear_pointer (&f->server, mw_test_server_free);
  g_clear_pointer (&f->other, mw_test_server_free);
  rm_rf (f->dir);
  g_free (f->dir);
  g_unsetenv (KEY_ENV);
}

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_assert_true (mw_prober_check_finish (MW_PROBER (object), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
probe_once (Fixture   *f,
            MwCatalog *catalog)
{
  gboolean done = FALSE;

  g_clear_object (&f->prober);
  f->prober = mw_prober_new (catalog, f->fetcher);
  mw_prober_set_network_available (f->prober, TRUE);
  mw_prober_set_damping (f->prober, FALSE);
  mw_prober_check_async (f->prober, NULL, check_done, &done);
  g_assert_true (mw_test_wait_until (&done, 20000));
}

static const MwProbeState *
canary_model_state (Fixture *f)
{
  GHashTable *states = mw_prober_get_model_states (f->prober, PROVIDER);

  g_assert_nonnull (states);
  return g_hash_table_lookup (states, PROVIDER "/claude-canary");
}

static void
assert_state_clean (const MwProbeState *state)
{
  g_assert_nonnull (state);
  assert_no_canary_str ("a probe error", state->error);
  assert_no_canary_str ("a probe detail", state->detail);
}

static void
test_reaches_provider (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *base = mw_test_server_url (f->server, "");
  g_autoptr(MwCatalog) catalog = make_catalog (base, TRUE, PROVIDER);
  const char *path = "/v1/messages/count_tokens";

  /* the server echoes the key back: nothing of the answer may be repeated */
  mw_test_server_set_body (f->server, path, 401, "application/json", ECHO_BODY, -1);
  probe_once (f, catalog);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, path, "x-api-key"), ==, CANARY);
  g_assert_null (mw_test_server_get_request_header (f->server, "/v1/models", "x-api-key"));
  g_assert_cmpstr (canary_model_state (f)->detail, ==, "key rejected (HTTP 401)");
  assert_state_clean (canary_model_state (f));
  assert_state_clean (mw_prober_get_provider_state (f->prober, PROVIDER));
}

static void
test_untrusted_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *base = mw_test_server_url (f->server, "");
  g_autoptr(MwCatalog) catalog = make_catalog (base, FALSE, PROVIDER);
  const MwProbeState *state;

  mw_test_server_set_body (f->server, "/v1/messages/count_tokens", 200, "application/json", "{}", -1);
  probe_once (f, catalog);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages/count_tokens"), ==, 0);
  state = canary_model_state (f);
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_nonnull (strstr (state->error, "Refusing to send the " PROVIDER " API key to 127.0.0.1"));
  g_assert_nonnull (strstr (state->error, "\"trusted\": true"));
  g_assert_null (strchr (state->error, '\n'));
  assert_state_clean (state);
  /* the keyless probe still runs */
  g_assert_cmpint (mw_prober_get_provider_state (f->prober, PROVIDER)->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_no_redirect (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *base = mw_test_server_url (f->server, "");
  g_autofree char *steal = mw_test_server_url (f->other, "/steal");
  g_autofree char *same = mw_test_server_url (f->server, "/v1/elsewhere");
  g_autoptr(MwCatalog) catalog = make_catalog (base, TRUE, PROVIDER);
  const char *path = "/v1/messages/count_tokens";

  mw_test_server_set_body (f->other, "/steal", 200, "application/json", "{}", -1);
  mw_test_server_set_redirect (f->server, path, steal);
  probe_once (f, catalog);

  g_assert_cmpuint (mw_test_server_get_hits (f->server, path), ==, 1);
  g_assert_cmpuint (mw_test_server_get_hits (f->other, "/steal"), ==, 0);
  g_assert_cmpstr (canary_model_state (f)->detail, ==, "unexpected answer (HTTP 302)");
  assert_state_clean (canary_model_state (f));

  /* not even to the same origin */
  mw_test_server_set_redirect (f->server, path, same);
  probe_once (f, catalog);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/elsewhere"), ==, 0);
}

static void
test_snapshot_json (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *base = mw_test_server_url (f->server, "");
  g_autoptr(MwCatalog) catalog = make_catalog (base, TRUE, PROVIDER);
  g_autoptr(MwSnapshot) snapshot = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *json = NULL;
  GPtrArray *providers = g_ptr_array_new ();
  MwProviderState *provider;
  MwModelState *model;

  mw_test_server_set_body (f->server, "/v1/messages/count_tokens", 403, "application/json", ECHO_BODY, -1);
  probe_once (f, catalog);

  /* what the monitor does with the states, and what notifications are made of */
  provider = mw_provider_state_new (PROVIDER, "Test provider");
  provider->probe = mw_probe_state_copy (mw_prober_get_provider_state (f->prober, PROVIDER));
  model = mw_model_state_new (PROVIDER "/claude-canary", "Canary model");
  model->probe = mw_probe_state_copy (canary_model_state (f));
  model->reason = g_strdup (model->probe->error);
  g_ptr_array_add (provider->models, model);
  g_ptr_array_add (providers, provider);
  snapshot = mw_snapshot_new (now, FALSE, providers);

  json = mw_snapshot_to_json (snapshot, NULL, TRUE);
  g_test_message ("%s", json);
  g_assert_nonnull (strstr (json, "key rejected (HTTP 403)"));
  assert_no_canary_str ("the snapshot JSON", json);
}

/* ------------------------------------------------------------------ */
/* Out of process: `modelwatch status --once --json` with the key in   */
/* the environment and every debug message on                          */

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
} Spawned;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Spawned *s = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &s->out, &s->err, &error);
  g_assert_no_error (error);
  s->done = TRUE;
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static GSubprocessLauncher *
launcher_new (const char *dir)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/modelwatch-test-bus", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  return launcher;
}

static void
run (GSubprocessLauncher *launcher,
     const char * const  *argv,
     const char          *input,
     Spawned             *s,
     int                 *exit_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, argv, &error);

  g_assert_no_error (error);
  /* the server lives in this process: keep its main loop turning */
  g_subprocess_communicate_utf8_async (proc, input, NULL, communicate_cb, s);
  g_assert_true (mw_test_wait_until (&s->done, 60000));
  g_subprocess_wait (proc, NULL, NULL);
  *exit_status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static void
test_status_once (Fixture       *f,
                  gconstpointer  data)
{
  const char *bin = g_getenv ("MODELWATCH_BIN");
  g_autofree char *base = mw_test_server_url (f->server, "");
  g_autofree char *json = catalog_json (base, base, TRUE, PROVIDER, "generate");
  g_autofree char *catalog = g_build_filename (f->dir, "catalog.json", NULL);
  g_autofree char *db = g_build_filename (f->dir, "state", "modelwatch", "history.db", NULL);
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (f->dir);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *db_bytes = NULL;
  gsize db_len = 0;
  Spawned s = { 0 };
  int status;

  if (bin == NULL)
    {
      g_test_skip ("MODELWATCH_BIN is not set (run under meson test)");
      return;
    }

  write_file (catalog, json);
  /* a provider that answers with the key in every body */
  mw_test_server_set_body (f->server, "/v1/messages", 200, "application/json",
                           "{\"content\":[{\"type\":\"text\",\"text\":\"pong " CANARY "\"}],"
                           "\"usage\":{\"input_tokens\":14,\"output_tokens\":4}}", -1);
  mw_test_server_set_body (f->server, "/v1/messages/count_tokens", 401, "application/json", ECHO_BODY, -1);
  g_subprocess_launcher_setenv (launcher, KEY_ENV, CANARY, TRUE);

  run (launcher, (const char * const []) { bin, "status", "--once", "--json", "--catalog", catalog, NULL },
       NULL, &s, &status);
  g_test_message ("exit %d\nstdout: %s\nstderr (%zu bytes)", status, s.out, strlen (s.err));

  /* it reached the provider, with the key, once */
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/models"), >=, 1);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages"), ==, 1);
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, "/v1/messages", "x-api-key"), ==, CANARY);

  /* and nowhere else: GLib prints debug messages on stdout */
  assert_no_canary_str ("stdout with G_MESSAGES_DEBUG=all", s.out);
  assert_no_canary_str ("stderr with G_MESSAGES_DEBUG=all", s.err);
  g_assert_nonnull (strstr (s.out, "probe " PROVIDER "/claude-canary level 3"));
  g_clear_pointer (&s.out, g_free);
  g_clear_pointer (&s.err, g_free);

  /* the JSON itself, in a second run; within the spacing, no second generation */
  s.done = FALSE;
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  run (launcher, (const char * const []) { bin, "status", "--once", "--json", "--catalog", catalog, NULL },
       NULL, &s, &status);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", status, s.out, s.err);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages"), ==, 1);
  g_assert_cmpuint (mw_test_server_get_hits (f->server, "/v1/messages/count_tokens"), ==, 1);
  assert_no_canary_str ("the JSON output", s.out);
  assert_no_canary_str ("stderr", s.err);
  g_assert_true (json_parser_load_from_data (parser, s.out, -1, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (s.out, "key rejected (HTTP 401)"));

  g_assert_true (g_file_get_contents (db, &db_bytes, &db_len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (db_len, >, 0);
  assert_no_canary ("the history database", db_bytes, db_len);
  {
    g_autofree char *journal = g_strconcat (db, "-journal", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);

    g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }

  g_free (s.out);
  g_free (s.err);
}

static void
test_cli_key_env (Fixture       *f,
                  gconstpointer  data)
{
  const char *bin = g_getenv ("MODELWATCH_BIN");
  g_autofree char *base = mw_test_server_url (f->server, "");
  g_autofree char *json = catalog_json (base, base, TRUE, PROVIDER, "free");
  g_autofree char *catalog = g_build_filename (f->dir, "catalog.json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (f->dir);
  Spawned s = { 0 };
  int status;

  if (bin == NULL)
    {
      g_test_skip ("MODELWATCH_BIN is not set (run under meson test)");
      return;
    }

  write_file (catalog, json);
  g_subprocess_launcher_setenv (launcher, KEY_ENV, CANARY, TRUE);
  run (launcher, (const char * const []) { bin, "key", "status", PROVIDER, "--catalog", catalog, NULL },
       NULL, &s, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (s.out, ==, PROVIDER ": key from $" KEY_ENV " (sk-…cdef)\n");
  assert_no_canary_str ("key status stderr", s.err);
  g_clear_pointer (&s.out, g_free);
  g_clear_pointer (&s.err, g_free);

  /* a key on the command line is refused, loudly */
  s.done = FALSE;
  run (launcher, (const char * const []) { bin, "key", "set", PROVIDER, CANARY, "--catalog", catalog, NULL },
       NULL, &s, &status);
  g_assert_cmpint (status, ==, 64);
  g_assert_nonnull (strstr (s.err, "standard input"));
  assert_no_canary_str ("key set stderr", s.err);
  assert_no_canary_str ("key set stdout", s.out);
  g_clear_pointer (&s.out, g_free);
  g_clear_pointer (&s.err, g_free);

  /* listing models: the answer (which echoes the key) is not repeated */
  s.done = FALSE;
  run (launcher, (const char * const []) { bin, "key", "list-models", PROVIDER, "--catalog", catalog, NULL },
       NULL, &s, &status);
  g_assert_cmpint (status, ==, 69);
  g_assert_nonnull (strstr (s.err, "answered HTTP 401"));
  g_assert_cmpstr (mw_test_server_get_request_header (f->server, "/v1/models", "x-api-key"), ==, CANARY);
  assert_no_canary_str ("list-models stderr", s.err);
  assert_no_canary_str ("list-models stdout", s.out);
  g_clear_pointer (&s.out, g_free);
  g_clear_pointer (&s.err, g_free);

  /* an unknown provider */
  s.done = FALSE;
  run (launcher, (const char * const []) { bin, "key", "status", "nosuch", "--catalog", catalog, NULL },
       NULL, &s, &status);
  g_assert_cmpint (status, ==, 64);
  g_assert_nonnull (strstr (s.err, "nosuch"));
  g_free (s.out);
  g_free (s.err);
}

/* ------------------------------------------------------------------ */
/* The Secret Service: a private gnome-keyring-daemon on a private bus  */

static const char keyring_script[] =
  "set -u\n"
  "export HOME=\"$MW_TMP/home\" XDG_DATA_HOME=\"$MW_TMP/data\" XDG_RUNTIME_DIR=\"$MW_TMP/run\"\n"
  "mkdir -p \"$HOME\" \"$XDG_DATA_HOME\" \"$XDG_RUNTIME_DIR\"; chmod 700 \"$XDG_RUNTIME_DIR\"\n"
  "printf 'test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n"
  "K=\"--catalog=$MW_CATALOG\"\n"
  "printf '%s\\n' \"$MW_CANARY\" | \"$MW_BIN\" key set testprov \"$K\"; echo \"set=$?\"\n"
  "\"$MW_BIN\" key status testprov \"$K\"; echo \"status=$?\"\n"
  "if [ \"$(G_MESSAGES_DEBUG= secret-tool lookup provider testprov)\" = \"$MW_CANARY\" ]; then echo lookup=same; else echo lookup=different; fi\n"
  "\"$MW_BIN\" key delete testprov \"$K\"; echo \"delete=$?\"\n"
  "\"$MW_BIN\" key status testprov \"$K\"; echo \"status2=$?\"\n";

static void
test_keyring (Fixture       *f,
              gconstpointer  data)
{
  const char *bin = g_getenv ("MODELWATCH_BIN");
  const char *tools[] = { "dbus-run-session", "gnome-keyring-daemon", "secret-tool" };
  g_autofree char *base = mw_test_server_url (f->server, "");
  g_autofree char *json = catalog_json (base, base, TRUE, PROVIDER, "free");
  g_autofree char *catalog = g_build_filename (f->dir, "catalog.json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (f->dir);
  Spawned s = { 0 };
  int status;

  if (bin == NULL)
    {
      g_test_skip ("MODELWATCH_BIN is not set (run under meson test)");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *found = g_find_program_in_path (tools[i]);

      if (found == NULL)
        {
          if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
            g_error ("%s is missing (build-aux/deps.sh --tests installs it)", tools[i]);
          g_test_skip_printf ("%s is missing", tools[i]);
          return;
        }
    }

  write_file (catalog, json);
  g_subprocess_launcher_unsetenv (launcher, KEY_ENV);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "MW_TMP", f->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "MW_BIN", bin, TRUE);
  g_subprocess_launcher_setenv (launcher, "MW_CATALOG", catalog, TRUE);
  /* through the environment, so that it is in no process's argv */
  g_subprocess_launcher_setenv (launcher, "MW_CANARY", CANARY, TRUE);

  run (launcher, (const char * const []) { "dbus-run-session", "--", "sh", "-c", keyring_script, NULL },
       NULL, &s, &status);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", status, s.out, s.err);

  /* (debug messages may come between the lines) */
  g_assert_nonnull (strstr (s.out, "Stored the API key for testprov (sk-…cdef) in the keyring.\n"));
  g_assert_nonnull (strstr (s.out, "\nset=0\n"));
  g_assert_nonnull (strstr (s.out, "testprov: key in the keyring (sk-…cdef)\n"));
  g_assert_nonnull (strstr (s.out, "\nstatus=0\n"));
  g_assert_nonnull (strstr (s.out, "\nlookup=same\n"));
  g_assert_nonnull (strstr (s.out, "Deleted the API key for testprov from the keyring.\n"));
  g_assert_nonnull (strstr (s.out, "\ndelete=0\n"));
  g_assert_nonnull (strstr (s.out, "testprov: no key"));
  g_assert_nonnull (strstr (s.out, "\nstatus2=1\n"));
  assert_no_canary_str ("key command output", s.out);
  assert_no_canary_str ("key command errors", s.err);

  g_free (s.out);
  g_free (s.err);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* never reach the user's real keyring from a test */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/modelwatch-test-bus", TRUE);

  g_test_add_func ("/secrets/redact", test_redact);
  g_test_add_func ("/secrets/destination", test_destination);

#define ADD(name, func) \
  g_test_add ("/secrets/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("reaches-provider", test_reaches_provider);
  ADD ("untrusted-refused", test_untrusted_refused);
  ADD ("no-redirect", test_no_redirect);
  ADD ("snapshot-json", test_snapshot_json);
  ADD ("status-once", test_status_once);
  ADD ("cli-key-env", test_cli_key_env);
  ADD ("keyring", test_keyring);

  return g_test_run ();
}
