/* mw-provider-row.c
 *
 * One provider: an expandable row holding its models, open incidents and
 * components. Updates happen in place, reusing each child row by id, so
 * that a live snapshot never collapses a row or moves the keyboard focus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-provider-row.h"
#include "mw-window-util.h"

struct _MwProviderRow
{
  AdwExpanderRow  parent_instance;

  GtkImage       *health_image;

  char           *provider_id;
  MwHealth        health;

  /* id -> row (owned), for each section */
  GHashTable     *model_rows;
  GHashTable     *incident_rows;
  GHashTable     *component_rows;
  GtkWidget      *models_header;
  GtkWidget      *incidents_header;
  GtkWidget      *components_header;

  /* The rows now inside the expander, in order, and the ids they were
   * built from: children are only moved when the ids change. */
  GPtrArray      *children;
  char           *layout;

  /* Children are built when the row is first expanded: measuring and
   * shaping the text of every collapsed row would slow the first frame
   * down for nothing. Until then the row keeps the snapshot to build from. */
  MwSnapshot     *snapshot;
  gboolean        built;

  /* Whether someone else than mw_provider_row_suggest_expanded() opened
   * or closed the row: from then on, the row stays as the user left it. */
  gboolean        touched;
  gboolean        suggesting;
  gboolean        was_expanded;
};

G_DEFINE_TYPE (MwProviderRow, mw_provider_row, ADW_TYPE_EXPANDER_ROW)

static GtkWidget *
header_row_new (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);

  return g_object_ref_sink (row);
}

static GtkWidget *
status_row_new (gboolean activatable)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image = gtk_image_new ();

  gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  g_object_set_data (G_OBJECT (row), "health-image", image);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), activatable);

  if (activatable)
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      gtk_widget_set_valign (arrow, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
    }

  return g_object_ref_sink (row);
}

static void
set_status_row (GtkWidget  *row,
                MwHealth    health,
                const char *title,
                const char *subtitle)
{
  g_autofree char *escaped_title = mw_window_escape (title);
  g_autofree char *escaped_subtitle = mw_window_escape (subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  mw_window_set_health_image (g_object_get_data (G_OBJECT (row), "health-image"), health);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
}

static char *
describe_incident (const MwIncidentState *incident)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *updated = mw_window_format_time (incident->updated_at != NULL ?
                                                    incident->updated_at :
                                                    incident->started_at);

  if (incident->maintenance)
    g_string_append (text, _("Maintenance"));
  else
    g_string_append (text, mw_health_to_label (incident->health));
  if (incident->status != NULL && *incident->status != '\0')
    g_string_append_printf (text, " · %s", incident->status);
  if (updated != NULL)
    {
      g_string_append (text, " · ");
      /* Translators: when an incident was last updated, e.g. "updated 15:20" */
      g_string_append_printf (text, _("updated %s"), updated);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_provider (const MwProviderState *provider)
{
  g_autoptr(GString) text = g_string_new (mw_health_to_label (provider->health));

  if (provider->error != NULL)
    {
      g_string_append_c (text, '\n');
      /* Translators: why a status page could not be read,
       * e.g. "Unknown: status.example.com answered HTTP 503" */
      g_string_append_printf (text, _("%s: %s"), mw_health_to_label (MW_HEALTH_UNKNOWN),
                              provider->error);
    }
  else if (provider->description != NULL && *provider->description != '\0')
    {
      g_string_append_c (text, '\n');
      /* Translators: the headline of a provider's status page */
      g_string_append_printf (text, _("Status page: %s"), provider->description);
    }

  if (provider->probe != NULL && provider->probe->checked_at != NULL)
    {
      const MwProbeState *probe = provider->probe;
      g_autofree char *word = mw_window_health_word (probe->health);

      g_string_append_c (text, '\n');
      if (probe->error != NULL)
        /* Translators: our own check of the provider's API, e.g. "API probe: major outage (HTTP 503)" */
        g_string_append_printf (text, _("API probe: %s (%s)"), word, probe->error);
      else if (probe->latency_ms >= 0)
        /* Translators: e.g. "API probe: operational, 182 ms" */
        g_string_append_printf (text, _("API probe: %s, %d ms"), word, (int) probe->latency_ms);
      else
        g_string_append_printf (text, _("API probe: %s"), word);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
take_row (GHashTable *old_rows,
          GHashTable *new_rows,
          const char *id,
          GtkWidget *(*create) (gboolean),
          gboolean    activatable)
{
  GtkWidget *row = NULL;
  gpointer key = NULL;

  if (g_hash_table_steal_extended (old_rows, id, &key, (gpointer *) &row))
    g_free (key);
  else if (create != NULL)
    row = create (activatable);
  else
    row = g_object_ref_sink (GTK_WIDGET (mw_model_row_new ()));

  /* Two entries with one id keep the first row and drop the second. */
  if (g_hash_table_contains (new_rows, id))
    {
      g_object_unref (row);
      return NULL;
    }

  g_hash_table_insert (new_rows, g_strdup (id), row);
  return row;
}

static GHashTable *
rows_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static void
sync_children (MwProviderRow         *self,
               const MwProviderState *provider,
               MwSnapshot            *snapshot)
{
  g_autoptr(GHashTable) models = rows_table_new ();
  g_autoptr(GHashTable) incidents = rows_table_new ();
  g_autoptr(GHashTable) components = rows_table_new ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GString) layout = g_string_new (NULL);

  self->built = TRUE;

  if (provider->models != NULL && provider->models->len > 0)
    {
      g_ptr_array_add (order, self->models_header);
      for (guint i = 0; i < provider->models->len; i++)
        {
          const MwModelState *model = g_ptr_array_index (provider->models, i);
          GtkWidget *row = take_row (self->model_rows, models, model->id, NULL, FALSE);

          if (row == NULL)
            continue;
          mw_model_row_update (MW_MODEL_ROW (row), model, snapshot);
          g_ptr_array_add (order, row);
          g_string_append_printf (layout, "m %s\n", model->id);
        }
    }

  if (provider->incidents != NULL && provider->incidents->len > 0)
    {
      g_ptr_array_add (order, self->incidents_header);
      for (guint i = 0; i < provider->incidents->len; i++)
        {
          const MwIncidentState *incident = g_ptr_array_index (provider->incidents, i);
          GtkWidget *row = take_row (self->incident_rows, incidents, incident->id,
                                     status_row_new, TRUE);
          g_autofree char *description = NULL;

          if (row == NULL)
            continue;
          description = describe_incident (incident);
          set_status_row (row, incident->health, incident->name, description);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-incident");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "(ss)",
                                            provider->id, incident->id);
          g_ptr_array_add (order, row);
          g_string_append_printf (layout, "i %s\n", incident->id);
        }
    }

  if (provider->components != NULL && provider->components->len > 0)
    {
      g_ptr_array_add (order, self->components_header);
      for (guint i = 0; i < provider->components->len; i++)
        {
          const MwComponentState *component = g_ptr_array_index (provider->components, i);
          GtkWidget *row = take_row (self->component_rows, components, component->id,
                                     status_row_new, FALSE);

          if (row == NULL)
            continue;
          set_status_row (row, component->health,
                          component->name != NULL ? component->name : component->id,
                          mw_health_to_label (component->health));
          g_ptr_array_add (order, row);
          g_string_append_printf (layout, "c %s\n", component->id);
        }
    }

  /* What is left in the old tables has gone from the snapshot. */
  g_hash_table_remove_all (self->model_rows);
  g_hash_table_remove_all (self->incident_rows);
  g_hash_table_remove_all (self->component_rows);

  if (g_strcmp0 (layout->str, self->layout) != 0)
    {
      for (guint i = 0; i < self->children->len; i++)
        adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->children, i));
      g_ptr_array_set_size (self->children, 0);

      for (guint i = 0; i < order->len; i++)
        {
          GtkWidget *row = g_ptr_array_index (order, i);

          adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
          g_ptr_array_add (self->children, g_object_ref (row));
        }

      g_free (self->layout);
      self->layout = g_strdup (layout->str);
    }

  g_clear_pointer (&self->model_rows, g_hash_table_unref);
  self->model_rows = g_steal_pointer (&models);
  g_clear_pointer (&self->incident_rows, g_hash_table_unref);
  self->incident_rows = g_steal_pointer (&incidents);
  g_clear_pointer (&self->component_rows, g_hash_table_unref);
  self->component_rows = g_steal_pointer (&components);
}

static guint
count_children (const MwProviderState *provider)
{
  return (provider->models != NULL ? provider->models->len : 0) +
         (provider->incidents != NULL ? provider->incidents->len : 0) +
         (provider->components != NULL ? provider->components->len : 0);
}

/**
 * mw_provider_row_update:
 * @snapshot: the snapshot @provider comes from, to name fallbacks
 *
 * Shows @provider in place. Child rows are kept by id; they are only
 * removed and re-added when the set of models, incidents or components
 * changes, and the row's expanded state is never touched.
 */
void
mw_provider_row_update (MwProviderRow         *self,
                        const MwProviderState *provider,
                        MwSnapshot            *snapshot)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (MW_IS_PROVIDER_ROW (self));
  g_return_if_fail (provider != NULL);
  g_return_if_fail (snapshot != NULL);

  if (g_strcmp0 (self->provider_id, provider->id) != 0)
    {
      g_free (self->provider_id);
      self->provider_id = g_strdup (provider->id);
    }
  self->health = provider->health;

  title = mw_window_escape (provider->name != NULL ? provider->name : provider->id);
  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)), title) != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  subtitle = describe_provider (provider);
  escaped = mw_window_escape (subtitle);
  if (g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (self)), escaped) != 0)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), escaped);
  mw_window_set_health_image (self->health_image, provider->health);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);

  if (self->snapshot != snapshot)
    {
      g_clear_pointer (&self->snapshot, mw_snapshot_unref);
      self->snapshot = mw_snapshot_ref (snapshot);
    }

  if (self->built || adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
    sync_children (self, provider, snapshot);

  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), count_children (provider) > 0);
}

static void
on_expanded (MwProviderRow *self)
{
  gboolean expanded = adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self));
  const MwProviderState *provider;

  /* AdwExpanderRow also notifies when nothing changed. */
  if (expanded != self->was_expanded && !self->suggesting)
    self->touched = TRUE;
  self->was_expanded = expanded;

  if (self->built || self->snapshot == NULL || !expanded)
    return;

  provider = mw_snapshot_find_provider (self->snapshot, self->provider_id);
  if (provider != NULL)
    sync_children (self, provider, self->snapshot);
}

/**
 * mw_provider_row_suggest_expanded:
 *
 * Opens the row, unless the user has opened or closed it before: a row
 * that comes into trouble opens by itself until the user decides.
 *
 * Returns: whether the row is open now
 */
gboolean
mw_provider_row_suggest_expanded (MwProviderRow *self)
{
  g_return_val_if_fail (MW_IS_PROVIDER_ROW (self), FALSE);

  if (!self->touched && adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self)))
    {
      self->suggesting = TRUE;
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
      self->suggesting = FALSE;
    }

  return adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self));
}

const char *
mw_provider_row_get_provider_id (MwProviderRow *self)
{
  g_return_val_if_fail (MW_IS_PROVIDER_ROW (self), NULL);

  return self->provider_id;
}

MwHealth
mw_provider_row_get_health (MwProviderRow *self)
{
  g_return_val_if_fail (MW_IS_PROVIDER_ROW (self), MW_HEALTH_UNKNOWN);

  return self->health;
}

/**
 * mw_provider_row_find_model_row:
 *
 * Returns: (nullable) (transfer none): the row of @global_id, %NULL too
 *   while the row has never been expanded
 */
MwModelRow *
mw_provider_row_find_model_row (MwProviderRow *self,
                                const char    *global_id)
{
  g_return_val_if_fail (MW_IS_PROVIDER_ROW (self), NULL);

  return g_hash_table_lookup (self->model_rows, global_id);
}

/**
 * mw_provider_row_find_incident_row:
 *
 * Returns: (nullable) (transfer none): the row of @incident_id
 */
GtkWidget *
mw_provider_row_find_incident_row (MwProviderRow *self,
                                   const char    *incident_id)
{
  g_return_val_if_fail (MW_IS_PROVIDER_ROW (self), NULL);

  return g_hash_table_lookup (self->incident_rows, incident_id);
}

MwProviderRow *
mw_provider_row_new (void)
{
  return g_object_new (MW_TYPE_PROVIDER_ROW, NULL);
}

static void
mw_provider_row_dispose (GObject *object)
{
  MwProviderRow *self = MW_PROVIDER_ROW (object);

  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_pointer (&self->model_rows, g_hash_table_unref);
  g_clear_pointer (&self->incident_rows, g_hash_table_unref);
  g_clear_pointer (&self->component_rows, g_hash_table_unref);
  g_clear_object (&self->models_header);
  g_clear_object (&self->incidents_header);
  g_clear_object (&self->components_header);
  g_clear_pointer (&self->snapshot, mw_snapshot_unref);

  G_OBJECT_CLASS (mw_provider_row_parent_class)->dispose (object);
}

static void
mw_provider_row_finalize (GObject *object)
{
  MwProviderRow *self = MW_PROVIDER_ROW (object);

  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->layout, g_free);

  G_OBJECT_CLASS (mw_provider_row_parent_class)->finalize (object);
}

static void
mw_provider_row_class_init (MwProviderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_provider_row_dispose;
  object_class->finalize = mw_provider_row_finalize;

  mw_window_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/modelwatch/Modelwatch/mw-provider-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MwProviderRow, health_image);
}

static void
mw_provider_row_init (MwProviderRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->model_rows = rows_table_new ();
  self->incident_rows = rows_table_new ();
  self->component_rows = rows_table_new ();
  self->children = g_ptr_array_new_with_free_func (g_object_unref);
  self->models_header = header_row_new (_("Models"));
  self->incidents_header = header_row_new (_("Open incidents"));
  self->components_header = header_row_new (_("Components"));

  g_signal_connect (self, "notify::expanded", G_CALLBACK (on_expanded), NULL);
}
