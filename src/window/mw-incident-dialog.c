/* mw-incident-dialog.c
 *
 * One incident: its updates in time order, what it affects, and a button
 * to its page. It follows the live snapshot while it is open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-incident-dialog.h"
#include "mw-window-util.h"

struct _MwIncidentDialog
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkImage             *health_image;
  GtkLabel             *name_label;
  GtkLabel             *meta_label;
  GtkButton            *open_button;
  AdwPreferencesGroup  *affected_group;
  AdwPreferencesGroup  *updates_group;

  char                 *provider_id;
  char                 *incident_id;
  char                 *url;
  GPtrArray            *group_rows;
};

G_DEFINE_TYPE (MwIncidentDialog, mw_incident_dialog, ADW_TYPE_WINDOW)

static void
clear_rows (MwIncidentDialog *self)
{
  for (guint i = 0; i < self->group_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->group_rows, i);
      GtkWidget *group = g_object_get_data (G_OBJECT (row), "group");

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->group_rows, 0);
}

static void
add_row (MwIncidentDialog    *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle,
         MwHealth             health,
         gboolean             show_health)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = mw_window_escape (title);
  g_autofree char *escaped_subtitle = mw_window_escape (subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_focusable (row, TRUE);
  if (show_health)
    {
      GtkWidget *image = gtk_image_new ();

      gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
      mw_window_set_health_image (GTK_IMAGE (image), health);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
    }
  if (subtitle != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                    -1);

  g_object_set_data (G_OBJECT (row), "group", group);
  g_object_set_data_full (G_OBJECT (row), "text", g_strdup (title), g_free);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->group_rows, row);
}

static int
compare_updates (gconstpointer a,
                 gconstpointer b)
{
  const MwUpdateState *ua = *(const MwUpdateState * const *) a;
  const MwUpdateState *ub = *(const MwUpdateState * const *) b;

  if (ua->at == NULL || ub->at == NULL)
    return (ua->at == NULL) - (ub->at == NULL);

  return g_date_time_compare (ua->at, ub->at);
}

static const MwIncidentState *
find_incident (const MwProviderState *provider,
               const char            *incident_id)
{
  for (guint i = 0; provider->incidents != NULL && i < provider->incidents->len; i++)
    {
      const MwIncidentState *incident = g_ptr_array_index (provider->incidents, i);

      if (g_strcmp0 (incident->id, incident_id) == 0)
        return incident;
    }

  return NULL;
}

static void
show_incident (MwIncidentDialog      *self,
               const MwProviderState *provider,
               const MwIncidentState *incident,
               MwSnapshot            *snapshot)
{
  g_autoptr(GString) meta = g_string_new (NULL);
  g_autoptr(GPtrArray) updates = g_ptr_array_new ();
  g_autofree char *started = mw_window_format_time (incident->started_at);
  g_autofree char *updated = mw_window_format_time (incident->updated_at);

  adw_window_title_set_subtitle (self->window_title, provider->name);
  gtk_label_set_text (self->name_label, incident->name);
  mw_window_set_health_image (self->health_image, incident->health);

  g_string_append (meta, incident->maintenance ? _("Maintenance")
                                               : mw_health_to_label (incident->health));
  if (incident->status != NULL && *incident->status != '\0')
    g_string_append_printf (meta, " · %s", incident->status);
  if (started != NULL)
    {
      g_string_append (meta, " · ");
      /* Translators: when an incident began, e.g. "started 15:08" */
      g_string_append_printf (meta, _("started %s"), started);
    }
  if (updated != NULL)
    {
      g_string_append (meta, " · ");
      g_string_append_printf (meta, _("updated %s"), updated);
    }
  gtk_label_set_text (self->meta_label, meta->str);

  g_free (self->url);
  self->url = g_strdup (incident->url);
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), self->url != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incident.open", self->url != NULL);

  clear_rows (self);

  for (guint i = 0; incident->components != NULL && incident->components[i] != NULL; i++)
    add_row (self, self->affected_group, incident->components[i], _("Component"),
             MW_HEALTH_UNKNOWN, FALSE);
  for (guint i = 0; incident->models != NULL && incident->models[i] != NULL; i++)
    {
      const MwModelState *model = mw_snapshot_find_model (snapshot, incident->models[i]);
      g_autofree char *subtitle = NULL;

      if (model != NULL)
        /* Translators: a model named by an incident and its health now */
        subtitle = g_strdup_printf (_("Model · %s"), mw_health_to_label (model->health));
      else
        subtitle = g_strdup (_("Model"));
      add_row (self, self->affected_group,
               model != NULL && model->name != NULL ? model->name : incident->models[i],
               subtitle, model != NULL ? model->health : MW_HEALTH_UNKNOWN, model != NULL);
    }
  if (self->group_rows->len == 0)
    add_row (self, self->affected_group, _("Not stated by the status page"), NULL,
             MW_HEALTH_UNKNOWN, FALSE);

  for (guint i = 0; incident->updates != NULL && i < incident->updates->len; i++)
    g_ptr_array_add (updates, g_ptr_array_index (incident->updates, i));
  g_ptr_array_sort (updates, compare_updates);
  for (guint i = 0; i < updates->len; i++)
    {
      const MwUpdateState *update = g_ptr_array_index (updates, i);
      g_autofree char *at = mw_window_format_time (update->at);
      g_autofree char *title = NULL;

      if (at != NULL && update->status != NULL)
        title = g_strdup_printf ("%s · %s", at, update->status);
      else
        title = g_strdup (at != NULL ? at : update->status != NULL ? update->status : _("Update"));
      add_row (self, self->updates_group, title, update->body, MW_HEALTH_UNKNOWN, FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->updates_group), updates->len > 0);
}

/**
 * mw_incident_dialog_update:
 *
 * Shows the dialog's incident as @snapshot has it. An incident that has
 * left the snapshot (resolved) stays on show, marked as no longer open.
 */
void
mw_incident_dialog_update (MwIncidentDialog *self,
                           MwSnapshot       *snapshot)
{
  const MwProviderState *provider = NULL;
  const MwIncidentState *incident = NULL;

  g_return_if_fail (MW_IS_INCIDENT_DIALOG (self));

  if (snapshot != NULL)
    provider = mw_snapshot_find_provider (snapshot, self->provider_id);
  if (provider != NULL)
    incident = find_incident (provider, self->incident_id);

  if (incident != NULL)
    {
      show_incident (self, provider, incident, snapshot);
    }
  else if (self->group_rows->len > 0)
    {
      g_autofree char *meta = g_strdup_printf ("%s · %s", _("No longer open"),
                                               gtk_label_get_text (self->meta_label));

      if (!g_str_has_prefix (gtk_label_get_text (self->meta_label), _("No longer open")))
        gtk_label_set_text (self->meta_label, meta);
    }
  else
    {
      gtk_label_set_text (self->name_label, _("This incident is no longer open"));
      gtk_widget_set_visible (GTK_WIDGET (self->open_button), FALSE);
    }
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwIncidentDialog *self = MW_INCIDENT_DIALOG (widget);

  if (self->url != NULL)
    gtk_show_uri (GTK_WINDOW (self), self->url, GDK_CURRENT_TIME);
}

const char *
mw_incident_dialog_get_provider_id (MwIncidentDialog *self)
{
  g_return_val_if_fail (MW_IS_INCIDENT_DIALOG (self), NULL);

  return self->provider_id;
}

const char *
mw_incident_dialog_get_incident_id (MwIncidentDialog *self)
{
  g_return_val_if_fail (MW_IS_INCIDENT_DIALOG (self), NULL);

  return self->incident_id;
}

/**
 * mw_incident_dialog_dup_texts:
 *
 * Returns: (transfer full): what the dialog shows, in order: the
 *   incident's name, the affected components and models, then each
 *   update's time and status. For tests.
 */
char **
mw_incident_dialog_dup_texts (MwIncidentDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_INCIDENT_DIALOG (self), NULL);

  g_strv_builder_add (builder, gtk_label_get_text (self->name_label));
  for (guint i = 0; i < self->group_rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (g_ptr_array_index (self->group_rows, i), "text"));

  return g_strv_builder_end (builder);
}

MwIncidentDialog *
mw_incident_dialog_new (GtkWindow  *parent,
                        const char *provider_id,
                        const char *incident_id)
{
  MwIncidentDialog *self;

  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (incident_id != NULL, NULL);

  self = g_object_new (MW_TYPE_INCIDENT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->provider_id = g_strdup (provider_id);
  self->incident_id = g_strdup (incident_id);

  return self;
}

static void
mw_incident_dialog_dispose (GObject *object)
{
  MwIncidentDialog *self = MW_INCIDENT_DIALOG (object);

  g_clear_pointer (&self->group_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mw_incident_dialog_parent_class)->dispose (object);
}

static void
mw_incident_dialog_finalize (GObject *object)
{
  MwIncidentDialog *self = MW_INCIDENT_DIALOG (object);

  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->incident_id, g_free);
  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (mw_incident_dialog_parent_class)->finalize (object);
}

static void
mw_incident_dialog_class_init (MwIncidentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_incident_dialog_dispose;
  object_class->finalize = mw_incident_dialog_finalize;

  mw_window_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/modelwatch/Modelwatch/mw-incident-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwIncidentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwIncidentDialog, health_image);
  gtk_widget_class_bind_template_child (widget_class, MwIncidentDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, MwIncidentDialog, meta_label);
  gtk_widget_class_bind_template_child (widget_class, MwIncidentDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, MwIncidentDialog, affected_group);
  gtk_widget_class_bind_template_child (widget_class, MwIncidentDialog, updates_group);

  gtk_widget_class_install_action (widget_class, "incident.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_incident_dialog_init (MwIncidentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->group_rows = g_ptr_array_new ();
}
