/* mw-cli-key.c
 *
 * `modelwatch key set|delete|status|list-models PROVIDER`: the user's API
 * keys in the Secret Service. A key is read from standard input (never
 * from the command line, where `ps` and shell history would show it) and
 * only ever printed as a redacted hint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "mw-catalog.h"
#include "mw-cli.h"
#include "mw-fetch.h"
#include "mw-probe.h"
#include "mw-secrets.h"

#define MAX_KEY_INPUT 4096

static void
usage (void)
{
  g_printerr ("%s\n",
              _("Usage: modelwatch key set|delete|status|list-models PROVIDER [--catalog FILE]\n"
                "  set          read a key from standard input and store it in the keyring\n"
                "  delete       remove the stored key\n"
                "  status       say where the key comes from, as a redacted hint\n"
                "  list-models  list the models the key can use"));
}

/* Reads one line from standard input into memory that is wiped after
 * use; with a terminal, without echo. */
static char *
read_key (const char *provider_name)
{
  char buffer[MAX_KEY_INPUT];
  gsize len = 0;
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  gboolean restore = FALSE;
  char *key = NULL;

  if (tty)
    {
      g_printerr (_("API key for %s (input is hidden): "), provider_name);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          restore = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  while (len < sizeof buffer - 1)
    {
      ssize_t n = read (STDIN_FILENO, buffer + len, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || buffer[len] == '\n')
        break;
      len++;
    }
  buffer[len] = '\0';

  if (restore)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  g_strstrip (buffer);
  if (buffer[0] != '\0')
    key = g_strdup (buffer);
  secret_password_wipe (buffer);
  memset (buffer, 0, sizeof buffer);

  return key;
}

static int
key_set (MwCatalog        *catalog,
         const MwProvider *provider)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;
  char *key;

  key = read_key (provider->name != NULL ? provider->name : provider->id);
  if (key == NULL)
    {
      g_printerr (_("modelwatch key set: no key on standard input\n"));
      return MW_EXIT_USAGE;
    }

  if (!mw_secret_is_plausible (key))
    {
      mw_secret_free (key);
      g_printerr (_("modelwatch key set: that does not look like an API key (spaces, or too short or long)\n"));
      return MW_EXIT_USAGE;
    }

  hint = mw_secret_redact (key);
  if (!mw_secret_keyring_store_sync (provider->id, provider->name, key, NULL, &error))
    {
      mw_secret_free (key);
      g_printerr ("modelwatch key set: %s\n", error->message);
      return MW_EXIT_UNAVAILABLE;
    }
  mw_secret_free (key);

  g_print (_("Stored the API key for %s (%s) in the keyring.\n"), provider->id, hint);

  if (provider->api != NULL && provider->api->key_env != NULL &&
      g_getenv (provider->api->key_env) != NULL && *g_getenv (provider->api->key_env) != '\0')
    g_print (_("Note: $%s is set, and takes precedence over the keyring.\n"), provider->api->key_env);

  if (provider->api != NULL && provider->api->model_probe == MW_MODEL_PROBE_OFF)
    g_print (_("Per-model probes are off for %s; set \"model_probe\": \"free\" in its catalog entry to use the key.\n"),
             provider->id);

  return MW_EXIT_OK;
}

static int
key_delete (const MwProvider *provider)
{
  g_autoptr(GError) error = NULL;

  if (!mw_secret_keyring_delete_sync (provider->id, NULL, &error))
    {
      g_printerr ("modelwatch key delete: %s\n", error->message);
      return g_error_matches (error, MW_SECRET_ERROR, MW_SECRET_ERROR_NO_KEY)
             ? MW_EXIT_FAILURE : MW_EXIT_UNAVAILABLE;
    }

  g_print (_("Deleted the API key for %s from the keyring.\n"), provider->id);
  return MW_EXIT_OK;
}

static int
key_status (MwCatalog        *catalog,
            const MwProvider *provider)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;
  const char *env_name = provider->api != NULL ? provider->api->key_env : NULL;
  const char *env_value = env_name != NULL ? g_getenv (env_name) : NULL;
  int status = MW_EXIT_OK;

  if (env_value != NULL && *env_value != '\0')
    {
      g_autofree char *copy = g_strstrip (g_strdup (env_value));

      hint = mw_secret_redact (copy);
      secret_password_wipe (copy);
      g_print (_("%s: key from $%s (%s)\n"), provider->id, env_name, hint);
    }
  else
    {
      char *key = mw_secret_keyring_lookup_sync (provider->id, NULL, &error);

      if (key == NULL)
        {
          if (g_error_matches (error, MW_SECRET_ERROR, MW_SECRET_ERROR_NO_KEY))
            g_print (_("%s: no key (store one with “modelwatch key set %s”)\n"), provider->id, provider->id);
          else
            g_printerr ("modelwatch key status: %s\n", error->message);
          return MW_EXIT_FAILURE;
        }

      hint = mw_secret_redact (key);
      mw_secret_free (key);
      g_print (_("%s: key in the keyring (%s)\n"), provider->id, hint);
    }

  if (provider->api != NULL && provider->api->base_url != NULL)
    {
      g_clear_error (&error);
      if (!mw_secret_check_destination (catalog, provider, provider->api->base_url, &error))
        {
          g_print ("%s\n", error->message);
          status = MW_EXIT_CONFIG;
        }
    }

  return status;
}

typedef struct {
  GMainLoop *loop;
  GStrv      ids;
  GError    *error;
} ListWait;

static void
list_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListWait *w = user_data;

  w->ids = mw_prober_list_models_finish (MW_PROBER (object), result, &w->error);
  g_main_loop_quit (w->loop);
}

static int
key_list_models (MwCatalog        *catalog,
                 const MwProvider *provider)
{
  g_autoptr(MwFetcher) fetcher = mw_fetcher_new ();
  g_autoptr(MwProber) prober = mw_prober_new (catalog, fetcher);
  ListWait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  mw_prober_list_models_async (prober, provider->id, NULL, list_done, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);

  if (w.ids == NULL)
    {
      g_printerr ("modelwatch key list-models: %s\n", w.error->message);
      g_error_free (w.error);
      return MW_EXIT_UNAVAILABLE;
    }

  for (guint i = 0; w.ids[i] != NULL; i++)
    g_print ("%s\n", w.ids[i]);
  g_strfreev (w.ids);

  return MW_EXIT_OK;
}

int
mw_cli_key (int    argc,
            char **argv)
{
  g_autofree char *catalog_file = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = NULL;
  const MwProvider *provider;
  const char *action;
  GOptionEntry entries[] = {
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_file, N_("Read the catalog from FILE"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("set|delete|status|list-models PROVIDER"));
  g_option_context_set_summary (context, _("Manage the API keys of per-model probes. "
                                           "“set” reads the key from standard input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("modelwatch key: %s\n", error->message);
      return MW_EXIT_USAGE;
    }

  if (argc != 3)
    {
      /* a key given as an argument is refused loudly: it is in the shell
       * history and in `ps` now, and the user should know */
      if (argc > 3 && g_str_equal (argv[1], "set"))
        g_printerr (_("modelwatch key set: the key is read from standard input, not from the command line; "
                      "consider it exposed and rotate it\n"));
      usage ();
      return MW_EXIT_USAGE;
    }

  action = argv[1];
  if (!g_str_equal (action, "set") && !g_str_equal (action, "delete") &&
      !g_str_equal (action, "status") && !g_str_equal (action, "list-models"))
    {
      usage ();
      return MW_EXIT_USAGE;
    }

  catalog = mw_catalog_load (catalog_file, &error);
  if (catalog == NULL)
    {
      g_printerr ("modelwatch key: %s\n", error != NULL ? error->message : _("the catalog could not be read"));
      return MW_EXIT_CONFIG;
    }

  provider = mw_catalog_find_provider (catalog, argv[2]);
  if (provider == NULL)
    {
      g_printerr (_("modelwatch key: no provider “%s” in the catalog\n"), argv[2]);
      return MW_EXIT_USAGE;
    }

  if (g_str_equal (action, "set"))
    return key_set (catalog, provider);
  if (g_str_equal (action, "delete"))
    return key_delete (provider);
  if (g_str_equal (action, "status"))
    return key_status (catalog, provider);

  return key_list_models (catalog, provider);
}
