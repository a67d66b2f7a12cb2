/* mw-model-row.c
 *
 * One model inside a provider row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-model-row.h"
#include "mw-window-util.h"

struct _MwModelRow
{
  AdwActionRow  parent_instance;

  GtkImage     *health_image;

  char         *model_id;
  MwHealth      health;
};

G_DEFINE_TYPE (MwModelRow, mw_model_row, ADW_TYPE_ACTION_ROW)

static char *
describe_probe (const MwProbeState *probe)
{
  g_autofree char *word = mw_window_health_word (probe->health);

  if (probe->error != NULL)
    /* Translators: a probe's health and why, e.g. "Probe: major outage (HTTP 503)" */
    return g_strdup_printf (_("Probe: %s (%s)"), word, probe->error);
  if (probe->detail != NULL)
    return g_strdup_printf (_("Probe: %s (%s)"), word, probe->detail);
  if (probe->latency_ms >= 0)
    /* Translators: a probe's health and latency, e.g. "Probe: operational, 182 ms" */
    return g_strdup_printf (_("Probe: %s, %d ms"), word, (int) probe->latency_ms);

  return g_strdup_printf (_("Probe: %s"), word);
}

/**
 * mw_model_row_update:
 * @snapshot: the snapshot @model comes from, to name its fallback
 *
 * Shows @model in place, keeping the row (and its focus) as it is.
 */
void
mw_model_row_update (MwModelRow         *self,
                     const MwModelState *model,
                     MwSnapshot         *snapshot)
{
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *since = NULL;
  g_autofree char *official = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (MW_IS_MODEL_ROW (self));
  g_return_if_fail (model != NULL);

  if (g_strcmp0 (self->model_id, model->id) != 0)
    {
      g_free (self->model_id);
      self->model_id = g_strdup (model->id);
    }
  self->health = model->health;

  title = mw_window_escape (model->name != NULL ? model->name : model->id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  mw_window_set_health_image (self->health_image, model->health);

  since = mw_window_format_time (model->since);
  if (since != NULL)
    /* Translators: a health and when it began, e.g. "Major outage since 15:08" */
    g_string_append_printf (subtitle, _("%s since %s"), mw_health_to_label (model->health), since);
  else
    g_string_append (subtitle, mw_health_to_label (model->health));
  if (model->stale)
    g_string_append_printf (subtitle, " · %s", _("data is out of date"));

  if (model->reason != NULL && *model->reason != '\0')
    g_string_append_printf (subtitle, "\n%s", model->reason);

  official = mw_window_health_word (model->official);
  g_string_append_c (subtitle, '\n');
  /* Translators: the source of a signal, e.g. "Official: partial outage" */
  g_string_append_printf (subtitle, _("Official: %s"), official);
  if (model->probe != NULL)
    {
      g_autofree char *probe = describe_probe (model->probe);

      g_string_append_printf (subtitle, " · %s", probe);
    }

  if (mw_health_is_degraded (model->health))
    {
      g_string_append_c (subtitle, '\n');
      if (model->fallback != NULL)
        {
          const MwModelState *fallback = NULL;

          if (snapshot != NULL)
            fallback = mw_snapshot_find_model (snapshot, model->fallback);
          /* Translators: the suggested replacement of a failing model */
          g_string_append_printf (subtitle, _("Use instead: %s"),
                                  fallback != NULL && fallback->name != NULL ?
                                  fallback->name : model->fallback);
        }
      else
        {
          g_string_append (subtitle, _("No healthy fallback is known"));
        }
    }

  escaped = mw_window_escape (subtitle->str);
  if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (self)), escaped) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), escaped);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle->str,
                                  -1);
}

const char *
mw_model_row_get_model_id (MwModelRow *self)
{
  g_return_val_if_fail (MW_IS_MODEL_ROW (self), NULL);

  return self->model_id;
}

MwHealth
mw_model_row_get_health (MwModelRow *self)
{
  g_return_val_if_fail (MW_IS_MODEL_ROW (self), MW_HEALTH_UNKNOWN);

  return self->health;
}

MwModelRow *
mw_model_row_new (void)
{
  return g_object_new (MW_TYPE_MODEL_ROW, NULL);
}

static void
mw_model_row_finalize (GObject *object)
{
  MwModelRow *self = MW_MODEL_ROW (object);

  g_clear_pointer (&self->model_id, g_free);

  G_OBJECT_CLASS (mw_model_row_parent_class)->finalize (object);
}

static void
mw_model_row_class_init (MwModelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mw_model_row_finalize;

  mw_window_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/modelwatch/Modelwatch/mw-model-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MwModelRow, health_image);
}

static void
mw_model_row_init (MwModelRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
