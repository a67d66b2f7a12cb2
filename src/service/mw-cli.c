/* mw-cli.c
 *
 * The command-line tools of `modelwatch`: status, check and pick read the
 * running service over D-Bus, or poll once in-process when none runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mw-catalog.h"
#include "mw-cli.h"
#include "mw-dbus-generated.h"
#include "mw-fallback.h"
#include "mw-monitor.h"

#define EXIT_MAJOR   2
#define EXIT_DEGRADED 1
#define EXIT_UNKNOWN 3

G_GNUC_UNUSED static int
not_yet (const char *name)
{
  g_printerr ("modelwatch %s: not available yet\n", name);
  return MW_EXIT_USAGE;
}

/* Shared plumbing {{{ */

/* Parses @entries; a usage error is one line on stderr and exit 64. */
static gboolean
parse_options (const char    *command,
               const char    *parameters,
               const char    *summary,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("modelwatch %s", command);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  /* "Usage: modelwatch status [OPTION…]" */
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr (_("modelwatch %s: %s (try “modelwatch %s --help”)\n"), command, error->message, command);
      return FALSE;
    }

  return TRUE;
}

/* The running service, or NULL. Never starts it: `status` must not leave
 * a tray icon behind, and no bus at all is a normal case. */
static MwDBusMonitor1 *
find_service (void)
{
  g_autoptr(MwDBusMonitor1) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;

  proxy = mw_dbus_monitor1_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION,
                                                   G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START |
                                                   G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                                   SERVICE_ID, SERVICE_OBJECT_PATH,
                                                   NULL, &error);
  if (proxy == NULL)
    {
      g_debug ("no session bus: %s", error->message);
      return NULL;
    }

  owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));
  if (owner == NULL)
    return NULL;

  return g_steal_pointer (&proxy);
}

static MwSnapshot *
service_snapshot (MwDBusMonitor1 *proxy)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = mw_dbus_monitor1_dup_snapshot (proxy);
  MwSnapshot *snapshot;

  if (json == NULL || *json == '\0')
    return NULL;

  snapshot = mw_snapshot_new_from_json (json, &error);
  if (snapshot == NULL)
    g_debug ("unreadable snapshot from the service: %s", error->message);

  return snapshot;
}

typedef struct {
  gboolean  done;
  GError   *error;
} Wait;

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  Wait *wait = data;

  mw_monitor_check_finish (MW_MONITOR (object), result, &wait->error);
  wait->done = TRUE;
  g_main_context_wakeup (NULL);
}

/* Polls every page of @catalog once, without damping (DESIGN.md: `status
 * --once` takes each signal as observed). */
static MwSnapshot *
poll_once (MwCatalog          *catalog,
           const char * const *provider_ids,
           guint               interval,
           guint               timeout)
{
  g_autoptr(MwMonitor) monitor = mw_monitor_new (catalog);
  Wait wait = { 0 };

  mw_monitor_set_once (monitor, TRUE);
  mw_monitor_set_provider_filter (monitor, provider_ids);
  if (interval > 0)
    mw_monitor_set_interval (monitor, interval);
  if (timeout > 0)
    mw_monitor_set_timeout (monitor, timeout);

  mw_monitor_check_async (monitor, NULL, check_done_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);

  if (wait.error != NULL)
    {
      g_debug ("check failed: %s", wait.error->message);
      g_clear_error (&wait.error);
    }

  return mw_snapshot_ref (mw_monitor_get_snapshot (monitor));
}

static MwCatalog *
load_catalog (const char *command,
              const char *file)
{
  g_autoptr(GError) error = NULL;
  MwCatalog *catalog = mw_catalog_load (file, &error);

  if (catalog == NULL)
    g_printerr ("modelwatch %s: %s\n", command, error->message);

  return catalog;
}

/* }}} */

/* status {{{ */

/* 2 for a major outage, 1 for degraded or partial, 3 for unknown, else 0. */
static int
exit_code_for (MwSnapshot         *snapshot,
               const char * const *provider_ids)
{
  gboolean major = FALSE, degraded = FALSE, unknown = FALSE;

  for (guint i = 0; i < mw_snapshot_get_n_providers (snapshot); i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);

      if (provider_ids != NULL && !g_strv_contains (provider_ids, provider->id))
        continue;

      for (guint j = 0; j <= (provider->models != NULL ? provider->models->len : 0); j++)
        {
          MwHealth health = j == 0 ? provider->health :
            ((const MwModelState *) g_ptr_array_index (provider->models, j - 1))->health;

          major |= health == MW_HEALTH_MAJOR_OUTAGE;
          degraded |= health == MW_HEALTH_DEGRADED || health == MW_HEALTH_PARTIAL_OUTAGE;
          unknown |= health == MW_HEALTH_UNKNOWN;
        }
    }

  if (major)
    return EXIT_MAJOR;
  if (degraded)
    return EXIT_DEGRADED;
  if (unknown)
    return EXIT_UNKNOWN;
  return MW_EXIT_OK;
}

/* Pads @text to @width characters (not bytes: names may be CJK). */
static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  glong len = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = len; i < (glong) width; i++)
    g_string_append_c (out, ' ');
  g_string_append_c (out, ' ');
}

static guint
name_width (const MwProviderState *provider)
{
  guint width = 0;

  for (guint i = 0; provider->components != NULL && i < provider->components->len; i++)
    width = MAX (width, (guint) g_utf8_strlen (((MwComponentState *) g_ptr_array_index (provider->components, i))->name, -1));
  for (guint i = 0; provider->models != NULL && i < provider->models->len; i++)
    width = MAX (width, (guint) g_utf8_strlen (((MwModelState *) g_ptr_array_index (provider->models, i))->name, -1));

  return MIN (width, 40);
}

static void
print_table (MwSnapshot         *snapshot,
             const char * const *provider_ids)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GDateTime *checked_at = mw_snapshot_get_checked_at (snapshot);

  if (checked_at != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (checked_at);
      g_autofree char *when = g_date_time_format (utc, "%Y-%m-%d %H:%M:%S UTC");

      g_string_append_printf (out, _("Checked %s"), when);
      g_string_append_c (out, '\n');
    }
  if (mw_snapshot_get_offline (snapshot))
    g_string_append_printf (out, "%s\n", _("Offline: the status pages could not be read."));

  for (guint i = 0; i < mw_snapshot_get_n_providers (snapshot); i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);
      guint width;

      if (provider_ids != NULL && !g_strv_contains (provider_ids, provider->id))
        continue;

      width = name_width (provider);

      g_string_append_c (out, '\n');
      g_string_append_printf (out, "%s (%s): %s", provider->name, provider->id,
                              mw_health_to_string (provider->health));
      if (provider->error != NULL)
        g_string_append_printf (out, ": %s", provider->error);
      else if (provider->description != NULL && provider->health != MW_HEALTH_OPERATIONAL)
        g_string_append_printf (out, ": %s", provider->description);
      g_string_append_c (out, '\n');

      if (provider->probe != NULL && provider->probe->health != MW_HEALTH_UNKNOWN)
        {
          g_string_append_printf (out, "  %s: %s", _("API probe"), mw_health_to_string (provider->probe->health));
          if (provider->probe->latency_ms >= 0)
            g_string_append_printf (out, _(", %lld ms"), (long long) provider->probe->latency_ms);
          if (provider->probe->error != NULL)
            g_string_append_printf (out, ": %s", provider->probe->error);
          g_string_append_c (out, '\n');
        }

      if (provider->components != NULL && provider->components->len > 0)
        {
          g_string_append_printf (out, "  %s\n", _("Components"));
          for (guint j = 0; j < provider->components->len; j++)
            {
              const MwComponentState *component = g_ptr_array_index (provider->components, j);

              g_string_append (out, "    ");
              append_padded (out, component->name, width);
              g_string_append_printf (out, "%s\n", mw_health_to_string (component->health));
            }
        }

      if (provider->incidents != NULL && provider->incidents->len > 0)
        {
          g_string_append_printf (out, "  %s\n", _("Incidents"));
          for (guint j = 0; j < provider->incidents->len; j++)
            {
              const MwIncidentState *incident = g_ptr_array_index (provider->incidents, j);

              g_string_append_printf (out, "    %s", incident->name);
              if (incident->status != NULL)
                g_string_append_printf (out, " (%s)", incident->status);
              g_string_append_c (out, '\n');
            }
        }

      if (provider->models != NULL && provider->models->len > 0)
        {
          g_string_append_printf (out, "  %s\n", _("Models"));
          for (guint j = 0; j < provider->models->len; j++)
            {
              const MwModelState *model = g_ptr_array_index (provider->models, j);
              const char *reason = model->reason;

              /* an unknown model says why: mostly, the page could not be read */
              if (reason == NULL && model->health == MW_HEALTH_UNKNOWN)
                reason = provider->error;

              g_string_append (out, "    ");
              append_padded (out, model->name, width);
              g_string_append (out, mw_health_to_string (model->health));
              if (reason != NULL)
                g_string_append_printf (out, ": %s", reason);
              if (model->stale)
                g_string_append_printf (out, " (%s)", _("stale"));
              if (model->fallback != NULL)
                g_string_append_printf (out, _("; use %s instead"), model->fallback);
              g_string_append_c (out, '\n');
            }
        }
    }

  g_print ("%s", out->str);
}

int
mw_cli_status (int    argc,
               char **argv)
{
  gboolean once = FALSE;
  gboolean json = FALSE;
  g_autofree char *catalog_file = NULL;
  g_auto(GStrv) provider_ids = NULL;
  int interval = 0;
  int timeout = 0;
  GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_("Poll once in this process, even if the service runs"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_file, N_("Use this catalog instead of the installed one"), N_("FILE") },
    { "provider", 0, 0, G_OPTION_ARG_STRING_ARRAY, &provider_ids, N_("Only this provider (repeatable)"), N_("ID") },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, N_("Seconds between polls (at least 30 for real pages)"), N_("S") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds a page may take to answer (default 15)"), N_("S") },
    { NULL }
  };
  g_autoptr(MwSnapshot) snapshot = NULL;
  g_autoptr(MwCatalog) catalog = NULL;
  g_autoptr(MwDBusMonitor1) service = NULL;
  const char * const *filter;

  if (!parse_options ("status", NULL, _("Show the health of every watched provider and model."),
                      entries, &argc, &argv))
    return MW_EXIT_USAGE;

  if (argc > 1)
    {
      g_printerr (_("modelwatch status: unexpected argument “%s”\n"), argv[1]);
      return MW_EXIT_USAGE;
    }
  if (interval < 0 || timeout < 0 || timeout > 600)
    {
      g_printerr ("%s\n", _("modelwatch status: --interval and --timeout take a number of seconds"));
      return MW_EXIT_USAGE;
    }

  filter = (const char * const *) provider_ids;

  if (!once && catalog_file == NULL)
    service = find_service ();

  if (service != NULL)
    snapshot = service_snapshot (service);

  if (snapshot != NULL)
    {
      for (guint i = 0; filter != NULL && filter[i] != NULL; i++)
        if (mw_snapshot_find_provider (snapshot, filter[i]) == NULL)
          {
            g_printerr (_("modelwatch status: unknown provider “%s”\n"), filter[i]);
            return MW_EXIT_USAGE;
          }
    }
  else
    {
      catalog = load_catalog ("status", catalog_file);
      if (catalog == NULL)
        return MW_EXIT_CONFIG;

      for (guint i = 0; filter != NULL && filter[i] != NULL; i++)
        if (mw_catalog_find_provider (catalog, filter[i]) == NULL)
          {
            g_printerr (_("modelwatch status: unknown provider “%s”\n"), filter[i]);
            return MW_EXIT_USAGE;
          }

      snapshot = poll_once (catalog, filter, (guint) interval, (guint) timeout);
    }

  if (json)
    {
      g_autofree char *text = mw_snapshot_to_json (snapshot, filter, TRUE);

      g_print ("%s\n", text);
    }
  else
    {
      print_table (snapshot, filter);
    }

  return exit_code_for (snapshot, filter);
}

/* }}} */

/* check {{{ */

int
mw_cli_check (int    argc,
              char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(MwDBusMonitor1) service = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options ("check", NULL, _("Ask the running service to poll every source now."),
                      entries, &argc, &argv))
    return MW_EXIT_USAGE;

  if (argc > 1)
    {
      g_printerr (_("modelwatch check: unexpected argument “%s”\n"), argv[1]);
      return MW_EXIT_USAGE;
    }

  service = find_service ();
  if (service == NULL)
    {
      g_printerr ("%s\n", _("modelwatch check: the Modelwatch service is not running (start it with “modelwatch”, or use “modelwatch status --once”)"));
      return MW_EXIT_UNAVAILABLE;
    }

  /* A check ends within one request timeout; leave room for a slow bus. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (service), 120 * 1000);
  if (!mw_dbus_monitor1_call_check_now_sync (service, NULL, &error))
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr (_("modelwatch check: %s\n"), error->message);
      return MW_EXIT_UNAVAILABLE;
    }

  return MW_EXIT_OK;
}

/* }}} */

/* pick {{{ */

int
mw_cli_pick (int    argc,
             char **argv)
{
  gboolean once = FALSE;
  g_autofree char *catalog_file = NULL;
  int timeout = 0;
  GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_("Poll once in this process, even if the service runs"), NULL },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_file, N_("Use this catalog instead of the installed one"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds a page may take to answer (default 15)"), N_("S") },
    { NULL }
  };
  g_autoptr(MwDBusMonitor1) service = NULL;
  g_autoptr(MwSnapshot) snapshot = NULL;
  g_autoptr(MwCatalog) catalog = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autofree char *choice = NULL;
  g_autofree char *listed = NULL;
  const char * const *models;

  if (!parse_options ("pick", _("MODEL…"),
                      _("Print the first healthy model among MODEL… (global ids such as anthropic/claude-opus-4-7)."),
                      entries, &argc, &argv))
    return MW_EXIT_USAGE;

  if (argc < 2)
    {
      g_printerr ("%s\n", _("modelwatch pick: name at least one model, such as anthropic/claude-opus-4-7"));
      return MW_EXIT_USAGE;
    }
  if (timeout < 0 || timeout > 600)
    {
      g_printerr ("%s\n", _("modelwatch pick: --timeout takes a number of seconds"));
      return MW_EXIT_USAGE;
    }

  models = (const char * const *) argv + 1;
  listed = g_strjoinv (", ", argv + 1);

  if (!once && catalog_file == NULL)
    service = find_service ();
  if (service != NULL)
    snapshot = service_snapshot (service);

  if (snapshot != NULL)
    {
      for (guint i = 0; models[i] != NULL; i++)
        if (mw_snapshot_find_model (snapshot, models[i]) == NULL)
          {
            g_printerr (_("modelwatch pick: unknown model “%s” (models are named provider/model)\n"), models[i]);
            return MW_EXIT_USAGE;
          }
    }
  else
    {
      catalog = load_catalog ("pick", catalog_file);
      if (catalog == NULL)
        return MW_EXIT_CONFIG;

      /* only the pages of the named models need a poll */
      providers = g_ptr_array_new ();
      for (guint i = 0; models[i] != NULL; i++)
        {
          const MwProvider *provider = NULL;

          if (mw_catalog_find_model (catalog, models[i], &provider) == NULL || provider == NULL)
            {
              g_printerr (_("modelwatch pick: unknown model “%s” (models are named provider/model)\n"), models[i]);
              return MW_EXIT_USAGE;
            }
          if (!g_ptr_array_find_with_equal_func (providers, provider->id, g_str_equal, NULL))
            g_ptr_array_add (providers, provider->id);
        }
      g_ptr_array_add (providers, NULL);

      snapshot = poll_once (catalog, (const char * const *) providers->pdata, 0, (guint) timeout);
    }

  choice = mw_fallback_pick (snapshot, models);
  if (choice == NULL)
    {
      g_printerr (_("modelwatch pick: no healthy model among %s\n"), listed);
      return MW_EXIT_FAILURE;
    }

  g_print ("%s\n", choice);
  return MW_EXIT_OK;
}

/* }}} */

