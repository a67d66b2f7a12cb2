/* mw-window-application.c
 *
 * The `modelwatch-window` application. GApplication's uniqueness makes a
 * second launch (from the tray or a notification's "Details") present the
 * window that is already open, at the model it asks for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-monitor-client.h"
#include "mw-window.h"
#include "mw-window-application.h"
#include "mw-window-util.h"

struct _MwWindowApplication
{
  AdwApplication   parent_instance;

  MwMonitorClient *client;
};

G_DEFINE_TYPE (MwWindowApplication, mw_window_application, ADW_TYPE_APPLICATION)

static MwWindow *
ensure_window (MwWindowApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (mw_window_new (GTK_APPLICATION (self), self->client));

  return MW_WINDOW (window);
}

static void
mw_window_application_activate (GApplication *application)
{
  MwWindowApplication *self = MW_WINDOW_APPLICATION (application);

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
}

static int
mw_window_application_command_line (GApplication            *application,
                                    GApplicationCommandLine *command_line)
{
  MwWindowApplication *self = MW_WINDOW_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *model = NULL;
  MwWindow *window;

  window = ensure_window (self);
  if (g_variant_dict_lookup (options, "model", "&s", &model))
    mw_window_show_model (window, model);
  gtk_window_present (GTK_WINDOW (window));

  return 0;
}

static void
mw_window_application_startup (GApplication *application)
{
  MwWindowApplication *self = MW_WINDOW_APPLICATION (application);
  static const char * const spawn_argv[] = { BINDIR "/modelwatch", "--background", NULL };
  static const char * const close_accels[] = { "<Control>w", NULL };
  static const char * const quit_accels[] = { "<Control>q", NULL };
  static const char * const check_accels[] = { "<Control>r", "F5", NULL };

  G_APPLICATION_CLASS (mw_window_application_parent_class)->startup (application);

  mw_window_add_icons (gdk_display_get_default ());

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.check-now", check_accels);

  /* Only the primary instance talks to the service: a second launch just
   * forwards its command line here. */
  self->client = mw_monitor_client_new (NULL);
  mw_monitor_client_set_spawn_argv (self->client, spawn_argv);
  mw_monitor_client_start (self->client);
}

static void
mw_window_application_shutdown (GApplication *application)
{
  MwWindowApplication *self = MW_WINDOW_APPLICATION (application);

  g_clear_object (&self->client);

  G_APPLICATION_CLASS (mw_window_application_parent_class)->shutdown (application);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  GList *windows = gtk_application_get_windows (application);

  /* Closing the windows (not g_application_quit) lets them finish cleanly;
   * the application ends with its last window. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_destroy (windows->data);
      windows = next;
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = user_data;
  static const char * const developers[] = { "The Modelwatch authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _("Modelwatch"),
                         "application-icon", "modelwatch-operational",
                         "version", PACKAGE_VERSION,
                         "comments", _("Which AI models work right now, and what to use instead"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         NULL);
}

static void
show_model_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MwWindowApplication *self = user_data;
  MwWindow *window = ensure_window (self);

  mw_window_show_model (window, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "show-model", show_model_action, "s", NULL, NULL, { 0 } },
};

static void
mw_window_application_class_init (MwWindowApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->activate = mw_window_application_activate;
  application_class->command_line = mw_window_application_command_line;
  application_class->startup = mw_window_application_startup;
  application_class->shutdown = mw_window_application_shutdown;
}

static void
mw_window_application_init (MwWindowApplication *self)
{
  static const GOptionEntry options[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, NULL,
      N_("Open at this model (a global id such as anthropic/claude-opus-4-7)"), N_("MODEL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

MwWindowApplication *
mw_window_application_new (void)
{
  return g_object_new (MW_TYPE_WINDOW_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/modelwatch/Modelwatch",
                       NULL);
}
