/* mw-application.c
 *
 * The always-on service. It stays GTK-free (a GApplication, not a
 * GtkApplication) because it runs all day; the status window is a separate
 * program that it spawns and that reads its state over D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "mw-application.h"
#include "mw-catalog.h"
#include "mw-cli.h"
#include "mw-dbus-generated.h"
#include "mw-fallback.h"
#include "mw-notifier.h"
#include "mw-recorder.h"
#include "mw-tray.h"

#define PAUSE_SECONDS 3600

struct _MwApplication {
  GApplication     parent_instance;

  /* Options */
  MwCatalog       *catalog;
  guint            interval;
  gboolean         no_tray;
  gboolean         no_notify;
  gboolean         background;

  MwMonitor       *monitor;
  MwTray          *tray;
  MwNotifier      *notifier;
  MwRecorder      *recorder;
  MwDBusMonitor1  *skeleton;
  GCancellable    *cancellable;

  gboolean         activated;
  guint            n_checks;
  gboolean         paused;
  guint            pause_id;
  guint            sigterm_id;
  guint            sigint_id;
};

G_DEFINE_FINAL_TYPE (MwApplication, mw_application, G_TYPE_APPLICATION)

enum {
  MUTE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const GOptionEntry option_entries[] = {
  { "catalog", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Watch the providers of this catalog instead of the built-in one"), N_("FILE") },
  /* A string: GApplication drops an integer option whose value is 0, and
   * "--interval 0" must be refused, not taken for the default. */
  { "interval", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Poll status pages every SECONDS (at least 30 for non-loopback hosts)"), N_("SECONDS") },
  { "no-tray", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show no tray icon"), NULL },
  { "no-notify", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show no desktop notifications"), NULL },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start without opening the status window"), NULL },
  { NULL }
};

/* The status window */

/* The installed window lives in BINDIR; a binary run from the build tree
 * opens the window built next to it, so that development never mixes
 * versions. */
static char *
find_window_binary (void)
{
  const char *override = g_getenv ("MODELWATCH_WINDOW_BIN");
  g_autofree char *exe = NULL;
  g_autofree char *dir = NULL;

  if (override != NULL && *override != '\0')
    return g_strdup (override);

  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    dir = g_path_get_dirname (exe);

  if (dir != NULL && !g_str_equal (dir, BINDIR))
    {
      const char *candidates[] = { "../window/modelwatch-window", "modelwatch-window" };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          g_autofree char *path = g_build_filename (dir, candidates[i], NULL);

          if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
            return g_canonicalize_filename (path, NULL);
        }
    }

  return g_build_filename (BINDIR, "modelwatch-window", NULL);
}

static void
open_window (MwApplication *self)
{
  g_autofree char *path = find_window_binary ();
  char *argv[] = { path, NULL };
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &error))
    g_message ("Could not open the status window: %s", error->message);
}

/* Snapshots and checks */

static void
publish_snapshot (MwApplication *self,
                  MwSnapshot    *snapshot)
{
  g_autofree char *json = NULL;

  if (self->tray != NULL)
    mw_tray_set_snapshot (self->tray, snapshot);

  if (self->skeleton == NULL || snapshot == NULL)
    return;

  json = mw_snapshot_to_json (snapshot, NULL, FALSE);
  if (json == NULL)
    return;

  mw_dbus_monitor1_set_snapshot (self->skeleton, json);
  mw_dbus_monitor1_emit_changed (self->skeleton, json);
}

static void
monitor_changed_cb (MwMonitor     *monitor,
                    MwSnapshot    *snapshot,
                    MwApplication *self)
{
  publish_snapshot (self, snapshot);
}

/* Checks may overlap (menu and D-Bus); "Checking" holds while any runs. */
static void
count_check (MwApplication *self,
             gboolean       started)
{
  if (started)
    self->n_checks++;
  else if (self->n_checks > 0)
    self->n_checks--;

  if (self->skeleton != NULL)
    mw_dbus_monitor1_set_checking (self->skeleton, self->n_checks > 0);
  if (self->tray != NULL)
    mw_tray_set_checking (self->tray, self->n_checks > 0);
}

typedef struct {
  MwApplication         *self;
  GDBusMethodInvocation *invocation;   /* nullable: asked for from the menu */
} CheckData;

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CheckData *data = user_data;
  g_autoptr(GError) error = NULL;

  mw_monitor_check_finish (MW_MONITOR (source), result, &error);

  count_check (data->self, FALSE);
  if (error == NULL)
    /* A poll that changed nothing emits no "changed"; the tray and the
     * property still deserve the fresh checked_at. */
    publish_snapshot (data->self, mw_monitor_get_snapshot (data->self->monitor));

  if (data->invocation != NULL)
    {
      if (error != NULL)
        g_dbus_method_invocation_return_gerror (data->invocation, error);
      else
        mw_dbus_monitor1_complete_check_now (data->self->skeleton, data->invocation);
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_message ("Checking failed: %s", error->message);
    }

  g_application_release (G_APPLICATION (data->self));
  g_clear_object (&data->invocation);
  g_object_unref (data->self);
  g_free (data);
}

static void
start_check (MwApplication         *self,
             GDBusMethodInvocation *invocation)
{
  CheckData *data;

  if (self->monitor == NULL)
    {
      if (invocation != NULL)
        g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                                       _("The monitor is not running"));
      return;
    }

  data = g_new0 (CheckData, 1);
  data->self = g_object_ref (self);
  data->invocation = invocation != NULL ? g_object_ref (invocation) : NULL;

  g_application_hold (G_APPLICATION (self));
  count_check (self, TRUE);
  mw_monitor_check_async (self->monitor, self->cancellable, check_done_cb, data);
}

/* Mute and pause */

static void
request_mute (MwApplication *self,
              const char    *provider_id,
              guint          seconds)
{
  if (self->notifier != NULL)
    mw_notifier_mute (self->notifier, provider_id, seconds);

  g_signal_emit (self, signals[MUTE_REQUESTED], 0, provider_id, seconds);
}

static gboolean
pause_expired_cb (gpointer user_data)
{
  MwApplication *self = user_data;

  self->pause_id = 0;
  self->paused = FALSE;
  if (self->tray != NULL)
    mw_tray_set_paused (self->tray, FALSE);
  return G_SOURCE_REMOVE;
}

static void
tray_pause_cb (MwTray        *tray,
               gboolean       pause,
               MwApplication *self)
{
  g_clear_handle_id (&self->pause_id, g_source_remove);
  self->paused = pause;
  if (pause)
    self->pause_id = g_timeout_add_seconds (PAUSE_SECONDS, pause_expired_cb, self);

  request_mute (self, "", pause ? PAUSE_SECONDS : 0);
  mw_tray_set_paused (tray, pause);
}

static void
tray_check_cb (MwTray        *tray,
               MwApplication *self)
{
  start_check (self, NULL);
}

static void
tray_open_window_cb (MwTray        *tray,
                     MwApplication *self)
{
  open_window (self);
}

static void
tray_quit_cb (MwTray        *tray,
              MwApplication *self)
{
  g_application_quit (G_APPLICATION (self));
}

/* D-Bus API */

static gboolean
handle_check_now_cb (MwDBusMonitor1        *skeleton,
                     GDBusMethodInvocation *invocation,
                     MwApplication         *self)
{
  start_check (self, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_pick_cb (MwDBusMonitor1        *skeleton,
                GDBusMethodInvocation *invocation,
                const char * const    *models,
                MwApplication         *self)
{
  MwSnapshot *snapshot = self->monitor != NULL ? mw_monitor_get_snapshot (self->monitor) : NULL;
  g_autofree char *pick = NULL;

  if (snapshot != NULL)
    pick = mw_fallback_pick (snapshot, models);

  mw_dbus_monitor1_complete_pick (skeleton, invocation, pick != NULL ? pick : "");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_mute_cb (MwDBusMonitor1        *skeleton,
                GDBusMethodInvocation *invocation,
                const char            *provider_id,
                guint                  seconds,
                MwApplication         *self)
{
  request_mute (self, provider_id, seconds);
  mw_dbus_monitor1_complete_mute (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
mw_application_dbus_register (GApplication     *application,
                              GDBusConnection  *connection,
                              const char       *object_path,
                              GError          **error)
{
  MwApplication *self = MW_APPLICATION (application);

  if (!G_APPLICATION_CLASS (mw_application_parent_class)->dbus_register (application, connection,
                                                                         object_path, error))
    return FALSE;

  self->skeleton = mw_dbus_monitor1_skeleton_new ();
  /* Before the first poll the state is "nothing known yet", not an error. */
  mw_dbus_monitor1_set_snapshot (self->skeleton,
                                 "{\"checked_at\":null,\"health\":\"unknown\",\"providers\":[]}");
  g_signal_connect (self->skeleton, "handle-check-now", G_CALLBACK (handle_check_now_cb), self);
  g_signal_connect (self->skeleton, "handle-pick", G_CALLBACK (handle_pick_cb), self);
  g_signal_connect (self->skeleton, "handle-mute", G_CALLBACK (handle_mute_cb), self);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                           connection, SERVICE_OBJECT_PATH, error);
}

static void
mw_application_dbus_unregister (GApplication    *application,
                                GDBusConnection *connection,
                                const char      *object_path)
{
  MwApplication *self = MW_APPLICATION (application);

  if (self->skeleton != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->skeleton, self);
      g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
      g_clear_object (&self->skeleton);
    }

  G_APPLICATION_CLASS (mw_application_parent_class)->dbus_unregister (application, connection,
                                                                      object_path);
}

/* Life cycle */

static gboolean
quit_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static int
mw_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  MwApplication *self = MW_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  const char *catalog_path = NULL;
  const char *interval = NULL;

  g_variant_dict_lookup (options, "catalog", "^&ay", &catalog_path);
  self->no_tray = g_variant_dict_contains (options, "no-tray");
  self->no_notify = g_variant_dict_contains (options, "no-notify");
  self->background = g_variant_dict_contains (options, "background");

  if (g_variant_dict_lookup (options, "interval", "&s", &interval))
    {
      guint64 seconds = 0;

      if (!g_ascii_string_to_unsigned (interval, 10, 1, G_MAXUINT, &seconds, NULL))
        {
          g_printerr (_("modelwatch: --interval needs a number of seconds above 0, not “%s”\n"),
                      interval);
          return MW_EXIT_USAGE;
        }
      self->interval = (guint) seconds;
    }

  /* Read the catalog before registering: registering starts the service,
   * and a bad file must stop it with a message, not run it empty. */
  self->catalog = mw_catalog_load (catalog_path, &error);
  if (self->catalog == NULL)
    {
      g_printerr ("modelwatch: %s\n", error->message);
      return MW_EXIT_CONFIG;
    }

  if (!g_application_register (application, NULL, &error))
    {
      g_printerr (_("modelwatch: cannot reach the session bus: %s\n"), error->message);
      return MW_EXIT_UNAVAILABLE;
    }

  if (g_application_get_is_remote (application))
    {
      if (catalog_path != NULL || self->interval != 0)
        g_printerr (_("modelwatch: the service is already running; "
                      "--catalog and --interval apply when it starts\n"));
      /* Without --background, a second start opens the window of the first. */
      return self->background ? MW_EXIT_OK : -1;
    }

  return -1;
}

static void
mw_application_startup (GApplication *application)
{
  MwApplication *self = MW_APPLICATION (application);
  GDBusConnection *connection;

  G_APPLICATION_CLASS (mw_application_parent_class)->startup (application);

  /* Runs until Quit or a signal, with or without a window. */
  g_application_hold (application);

  self->cancellable = g_cancellable_new ();
  self->monitor = mw_monitor_new (self->catalog);
  if (self->interval != 0)
    mw_monitor_set_interval (self->monitor, self->interval);
  if (g_signal_lookup ("changed", MW_TYPE_MONITOR) != 0)
    g_signal_connect (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self);

  connection = g_application_get_dbus_connection (application);
  if (!self->no_tray && connection != NULL)
    {
      g_autofree char *themes = g_build_filename (PKGDATADIR, "..", "icons", NULL);

      self->tray = mw_tray_new (connection);
      if (g_file_test (themes, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *canonical = g_canonicalize_filename (themes, NULL);

          mw_tray_set_icon_theme_path (self->tray, canonical);
        }
      g_signal_connect (self->tray, "check-now", G_CALLBACK (tray_check_cb), self);
      g_signal_connect (self->tray, "open-window", G_CALLBACK (tray_open_window_cb), self);
      g_signal_connect (self->tray, "pause-notifications", G_CALLBACK (tray_pause_cb), self);
      g_signal_connect (self->tray, "quit", G_CALLBACK (tray_quit_cb), self);
    }

  if (!self->no_notify)
    self->notifier = mw_notifier_new (self->monitor);

  /* NULL, with one warning, when the history cannot be opened: the
   * service still watches, it only forgets. */
  self->recorder = mw_recorder_new_default (self->monitor);

  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
  self->sigint_id = g_unix_signal_add (SIGINT, quit_signal_cb, self);

  mw_monitor_start (self->monitor);
  publish_snapshot (self, mw_monitor_get_snapshot (self->monitor));
}

static void
mw_application_activate (GApplication *application)
{
  MwApplication *self = MW_APPLICATION (application);

  /* --background skips only the first activation: a later `modelwatch`
   * (or the autostarted service being started again) opens the window. */
  if (!self->activated && self->background)
    {
      self->activated = TRUE;
      return;
    }

  self->activated = TRUE;
  open_window (self);
}

static void
mw_application_shutdown (GApplication *application)
{
  MwApplication *self = MW_APPLICATION (application);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->pause_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_clear_object (&self->recorder);
      mw_monitor_stop (self->monitor);
    }

  if (self->tray != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tray, self);
      g_object_run_dispose (G_OBJECT (self->tray));
      g_clear_object (&self->tray);
    }
  g_clear_object (&self->notifier);

  G_APPLICATION_CLASS (mw_application_parent_class)->shutdown (application);
}

static void
mw_application_finalize (GObject *object)
{
  MwApplication *self = MW_APPLICATION (object);

  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  g_clear_object (&self->recorder);
  g_clear_object (&self->monitor);
  g_clear_object (&self->skeleton);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->catalog, mw_catalog_unref);

  G_OBJECT_CLASS (mw_application_parent_class)->finalize (object);
}

static void
mw_application_class_init (MwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = mw_application_finalize;

  application_class->handle_local_options = mw_application_handle_local_options;
  application_class->startup = mw_application_startup;
  application_class->activate = mw_application_activate;
  application_class->shutdown = mw_application_shutdown;
  application_class->dbus_register = mw_application_dbus_register;
  application_class->dbus_unregister = mw_application_dbus_unregister;

  signals[MUTE_REQUESTED] =
    g_signal_new ("mute-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
mw_application_init (MwApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Runs the Modelwatch service: the tray icon, "
                                              "notifications and the monitor.\n"
                                              "Commands: status, check, pick, add, key, replay, history."));
}

MwApplication *
mw_application_new (void)
{
  return g_object_new (MW_TYPE_APPLICATION,
                       "application-id", SERVICE_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

MwMonitor *
mw_application_get_monitor (MwApplication *self)
{
  g_return_val_if_fail (MW_IS_APPLICATION (self), NULL);

  return self->monitor;
}

int
mw_service_run (int    argc,
                char **argv)
{
  g_autoptr(MwApplication) application = mw_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}
