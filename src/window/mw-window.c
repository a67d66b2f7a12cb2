/* mw-window.c
 *
 * The status window: the live snapshot of the service. Rows are kept per
 * provider id and updated in place, so a Changed signal from the service
 * never collapses what the user expanded or moves the scroll position.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "modelwatch-window"

#include "config.h"

#include <glib/gi18n.h>

#include "mw-incident-dialog.h"
#include "mw-window.h"
#include "mw-window-util.h"

/* Time for an expander row to finish revealing before scrolling to a row
 * inside it (libadwaita's animation lasts 250 ms). */
#define REVEAL_DELAY_MSEC 300
/* Rows that open by themselves when they first appear in trouble. */
#define MAX_OPENED 3

struct _MwWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkSpinner           *connecting_spinner;
  GtkSpinner           *first_run_spinner;
  AdwStatusPage        *unreachable_page;
  GtkScrolledWindow    *scroller;
  GtkWidget            *offline_box;
  GtkLabel             *offline_label;
  GtkImage             *overall_image;
  GtkLabel             *headline_label;
  GtkLabel             *checked_label;
  GtkSpinner           *check_spinner;
  GtkWidget            *checking_label;
  GtkListBox           *provider_list;

  MwMonitorClient      *client;
  GHashTable           *provider_rows;  /* id -> MwProviderRow, owned by the list */
  MwIncidentDialog     *incident_dialog;
  char                 *pending_model;
  guint                 scroll_id;
  gboolean              shown_data;
};

G_DEFINE_TYPE (MwWindow, mw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
compute_headline (MwSnapshot *snapshot)
{
  MwHealth worst = mw_snapshot_get_health (snapshot);
  guint n_providers = mw_snapshot_get_n_providers (snapshot);
  const char *worst_name = NULL;
  guint n_unknown = 0;
  guint n_affected = 0;
  g_autofree char *word = NULL;

  for (guint i = 0; i < n_providers; i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);

      if (provider->health == MW_HEALTH_UNKNOWN)
        n_unknown++;
    }

  if (n_providers == 0)
    return g_strdup (_("No providers are watched"));

  if (worst == MW_HEALTH_UNKNOWN)
    return g_strdup (_("No provider could be checked"));

  if (worst == MW_HEALTH_OPERATIONAL)
    {
      if (n_unknown == 0)
        return g_strdup (_("All systems operational"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Operational, but %u provider could not be checked",
                                           "Operational, but %u providers could not be checked",
                                           n_unknown),
                              n_unknown);
    }

  /* Name the first model in the worst state: that is what a user switches
   * away from. A provider without a model at that level names itself. */
  for (guint i = 0; i < n_providers; i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);

      for (guint j = 0; provider->models != NULL && j < provider->models->len; j++)
        {
          const MwModelState *model = g_ptr_array_index (provider->models, j);

          if (model->health != worst)
            continue;
          if (worst_name == NULL)
            worst_name = model->name != NULL ? model->name : model->id;
          n_affected++;
        }
    }
  if (worst_name == NULL)
    {
      for (guint i = 0; i < n_providers; i++)
        {
          const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);

          if (provider->health != worst)
            continue;
          if (worst_name == NULL)
            worst_name = provider->name != NULL ? provider->name : provider->id;
          n_affected++;
        }
    }

  word = mw_window_health_word (worst);
  if (worst_name == NULL)
    return g_strdup (mw_health_to_label (worst));
  if (n_affected <= 1)
    /* Translators: the headline, e.g. "Claude Opus 4.7: major outage" */
    return g_strdup_printf (_("%s: %s"), worst_name, word);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: e.g. "Claude Opus 4.7 and 1 more: major outage" */
                                       "%s and %u more: %s",
                                       "%s and %u more: %s",
                                       n_affected - 1),
                          worst_name, n_affected - 1, word);
}

static void
sync_rows (MwWindow   *self,
           MwSnapshot *snapshot)
{
  guint n_providers = mw_snapshot_get_n_providers (snapshot);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_opened = 0;
  GHashTableIter iter;
  gpointer key, value;


  for (guint i = 0; i < n_providers; i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);
      MwProviderRow *row = g_hash_table_lookup (self->provider_rows, provider->id);

      if (g_hash_table_contains (seen, provider->id))
        continue;

      if (row == NULL)
        {
          row = mw_provider_row_new ();
          gtk_list_box_insert (self->provider_list, GTK_WIDGET (row), (int) g_hash_table_size (seen));
          g_hash_table_insert (self->provider_rows, g_strdup (provider->id), row);
          mw_provider_row_update (row, provider, snapshot);
        }
      else
        {
          int position = (int) g_hash_table_size (seen);

          if (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) != position)
            {
              g_object_ref (row);
              gtk_list_box_remove (self->provider_list, GTK_WIDGET (row));
              gtk_list_box_insert (self->provider_list, GTK_WIDGET (row), position);
              g_object_unref (row);
            }
          mw_provider_row_update (row, provider, snapshot);
        }

      /* Open what needs attention until the user decides. A few rows
       * only: a wall of open rows helps nobody and slows the first frame
       * down. */
      if (mw_health_is_degraded (provider->health) && n_opened < MAX_OPENED &&
          mw_provider_row_suggest_expanded (row))
        n_opened++;

      g_hash_table_add (seen, provider->id);
    }

  g_hash_table_iter_init (&iter, self->provider_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (seen, key))
        {
          gtk_list_box_remove (self->provider_list, GTK_WIDGET (value));
          g_hash_table_iter_remove (&iter);
        }
    }
}

static void
show_snapshot (MwWindow   *self,
               MwSnapshot *snapshot)
{
  g_autofree char *headline = compute_headline (snapshot);
  g_autofree char *checked_at = mw_window_format_time (mw_snapshot_get_checked_at (snapshot));
  g_autofree char *checked = NULL;
  MwHealth health = mw_snapshot_get_health (snapshot);

  gtk_label_set_text (self->headline_label, headline);
  mw_window_set_health_image (self->overall_image, health);

  if (checked_at != NULL)
    /* Translators: when the service last polled, e.g. "Last checked at 14:02" */
    checked = g_strdup_printf (_("Last checked at %s"), checked_at);
  else
    checked = g_strdup (_("Not checked yet"));
  gtk_label_set_text (self->checked_label, checked);

  if (mw_snapshot_get_offline (snapshot))
    {
      g_autofree char *offline = NULL;

      if (checked_at != NULL)
        /* Translators: shown while the computer has no network; %s is a time */
        offline = g_strdup_printf (_("Offline — showing the last known state from %s"), checked_at);
      else
        offline = g_strdup (_("Offline — no state is known yet"));
      gtk_label_set_text (self->offline_label, offline);
    }
  gtk_widget_set_visible (self->offline_box, mw_snapshot_get_offline (snapshot));

  sync_rows (self, snapshot);

  if (self->incident_dialog != NULL)
    mw_incident_dialog_update (self->incident_dialog, snapshot);
}

static gboolean
scroll_cb (gpointer user_data)
{
  MwWindow *self = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *content = gtk_scrolled_window_get_child (self->scroller);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  graphene_rect_t bounds;

  self->scroll_id = 0;

  if (focus != NULL && content != NULL &&
      gtk_widget_is_ancestor (focus, content) &&
      gtk_widget_compute_bounds (focus, content, &bounds))
    gtk_adjustment_set_value (adjustment, bounds.origin.y - 12);

  return G_SOURCE_REMOVE;
}

static void
try_show_model (MwWindow *self)
{
  g_autofree char *provider_id = NULL;
  const char *slash;
  MwProviderRow *row;
  GtkWidget *target;

  if (self->pending_model == NULL)
    return;

  slash = strchr (self->pending_model, '/');
  provider_id = slash != NULL ? g_strndup (self->pending_model, slash - self->pending_model)
                              : g_strdup (self->pending_model);
  row = g_hash_table_lookup (self->provider_rows, provider_id);
  if (row == NULL)
    return;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  target = GTK_WIDGET (mw_provider_row_find_model_row (row, self->pending_model));
  if (target == NULL)
    target = GTK_WIDGET (row);
  gtk_widget_grab_focus (target);
  g_clear_pointer (&self->pending_model, g_free);

  g_clear_handle_id (&self->scroll_id, g_source_remove);
  self->scroll_id = g_timeout_add (REVEAL_DELAY_MSEC, scroll_cb, self);
}

/**
 * mw_window_show_model:
 * @global_id: a model ("anthropic/claude-opus-4-7") or a provider id
 *
 * Expands the model's provider, scrolls to the model and focuses it; if the
 * snapshot has not arrived yet, does so when it arrives.
 */
void
mw_window_show_model (MwWindow   *self,
                      const char *global_id)
{
  g_return_if_fail (MW_IS_WINDOW (self));
  g_return_if_fail (global_id != NULL);

  g_free (self->pending_model);
  self->pending_model = g_strdup (global_id);
  try_show_model (self);
}

static void
after_paint_cb (GdkFrameClock *clock,
                MwWindow      *self)
{
  /* For bench-window.sh (G_MESSAGES_DEBUG=modelwatch-window): when the
   * user first sees data, on the clock `date +%s%N` reads. */
  g_debug ("first frame with data at %" G_GINT64_FORMAT " us", g_get_real_time ());
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, self);
}

/* Hidden pages are hidden for real, not just unmapped: a screen reader
 * must not find "The Modelwatch Service Is Not Running" while the status
 * is on show. */
static void
show_page (MwWindow   *self,
           const char *page)
{
  GtkWidget *visible = gtk_stack_get_child_by_name (self->stack, page);

  gtk_widget_set_visible (visible, TRUE);
  gtk_stack_set_visible_child (self->stack, visible);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child != visible)
        gtk_widget_set_visible (child, FALSE);
    }
}

static void
update (MwWindow *self)
{
  MwClientState state = mw_monitor_client_get_state (self->client);
  MwSnapshot *snapshot = mw_monitor_client_get_snapshot (self->client);
  gboolean checking = mw_monitor_client_get_checking (self->client);
  const char *page;

  switch (state)
    {
    case MW_CLIENT_STATE_UNREACHABLE:
      {
        const char *error = mw_monitor_client_get_error (self->client);
        g_autofree char *description =
          g_strdup_printf ("%s\n\n%s", error != NULL ? error : "",
                           _("Modelwatch watches the providers from a service that runs in the background; this window only shows what it found."));

        adw_status_page_set_description (self->unreachable_page, description);
        page = "unreachable";
      }
      break;

    case MW_CLIENT_STATE_READY:
      if (snapshot == NULL || mw_snapshot_get_checked_at (snapshot) == NULL)
        page = "first-run";
      else
        page = "status";
      break;

    case MW_CLIENT_STATE_CONNECTING:
    default:
      page = "connecting";
      break;
    }

  if (g_strcmp0 (page, "status") == 0)
    show_snapshot (self, snapshot);

  show_page (self, page);
  gtk_spinner_set_spinning (self->connecting_spinner, g_str_equal (page, "connecting"));
  gtk_spinner_set_spinning (self->first_run_spinner, g_str_equal (page, "first-run"));

  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), checking);
  gtk_spinner_set_spinning (self->check_spinner, checking);
  gtk_widget_set_visible (self->checking_label, checking);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-now",
                                 state == MW_CLIENT_STATE_READY && !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-service",
                                 state == MW_CLIENT_STATE_UNREACHABLE);

  if (g_str_equal (page, "status"))
    {
      try_show_model (self);

      if (!self->shown_data && gtk_widget_get_realized (GTK_WIDGET (self)))
        {
          GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

          self->shown_data = TRUE;
          if (clock != NULL)
            g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), self, 0);
        }
    }
}

static void
check_now_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MwWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_monitor_client_check_now_finish (MW_MONITOR_CLIENT (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not check: %s"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
    }
}

static void
check_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_monitor_client_check_now_async (self->client, NULL, check_now_cb, g_object_ref (self));
}

static void
start_service_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);

  mw_monitor_client_start_service (self->client);
}

static void
open_incident_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  const char *provider_id;
  const char *incident_id;

  g_variant_get (parameter, "(&s&s)", &provider_id, &incident_id);

  if (self->incident_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->incident_dialog));

  self->incident_dialog = mw_incident_dialog_new (GTK_WINDOW (self), provider_id, incident_id);
  g_object_add_weak_pointer (G_OBJECT (self->incident_dialog), (gpointer *) &self->incident_dialog);
  mw_incident_dialog_update (self->incident_dialog, mw_monitor_client_get_snapshot (self->client));
  gtk_window_present (GTK_WINDOW (self->incident_dialog));
}

static void
show_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  mw_window_show_model (MW_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

const char *
mw_window_get_page (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
mw_window_get_headline (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->headline_label);
}

const char *
mw_window_get_checked_text (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->checked_label);
}

/**
 * mw_window_get_offline_text:
 *
 * Returns: (nullable): the offline notice, %NULL when online
 */
const char *
mw_window_get_offline_text (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (self->offline_box))
    return NULL;

  return gtk_label_get_text (self->offline_label);
}

gboolean
mw_window_get_spinner_visible (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->check_spinner)) &&
         gtk_spinner_get_spinning (self->check_spinner);
}

/**
 * mw_window_get_provider_row:
 *
 * Returns: (nullable) (transfer none): the row of @provider_id
 */
MwProviderRow *
mw_window_get_provider_row (MwWindow   *self,
                            const char *provider_id)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return g_hash_table_lookup (self->provider_rows, provider_id);
}

guint
mw_window_get_n_provider_rows (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), 0);

  return g_hash_table_size (self->provider_rows);
}

/**
 * mw_window_get_incident_dialog:
 *
 * Returns: (nullable) (transfer none): the incident dialog on show
 */
GtkWindow *
mw_window_get_incident_dialog (MwWindow *self)
{
  g_return_val_if_fail (MW_IS_WINDOW (self), NULL);

  return GTK_WINDOW (self->incident_dialog);
}

MwWindow *
mw_window_new (GtkApplication  *application,
               MwMonitorClient *client)
{
  g_return_val_if_fail (MW_IS_MONITOR_CLIENT (client), NULL);

  return g_object_new (MW_TYPE_WINDOW,
                       "application", application,
                       "client", client,
                       NULL);
}

static void
mw_window_constructed (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);

  G_OBJECT_CLASS (mw_window_parent_class)->constructed (object);

  g_signal_connect_object (self->client, "notify",
                           G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
mw_window_dispose (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);

  g_clear_handle_id (&self->scroll_id, g_source_remove);
  if (self->incident_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->incident_dialog),
                                    (gpointer *) &self->incident_dialog);
      self->incident_dialog = NULL;
    }
  g_clear_pointer (&self->provider_rows, g_hash_table_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (mw_window_parent_class)->dispose (object);
}

static void
mw_window_finalize (GObject *object)
{
  MwWindow *self = MW_WINDOW (object);

  g_clear_pointer (&self->pending_model, g_free);

  G_OBJECT_CLASS (mw_window_parent_class)->finalize (object);
}

static void
mw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MwWindow *self = MW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MwWindow *self = MW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_window_class_init (MwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mw_window_constructed;
  object_class->dispose = mw_window_dispose;
  object_class->finalize = mw_window_finalize;
  object_class->get_property = mw_window_get_property;
  object_class->set_property = mw_window_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         MW_TYPE_MONITOR_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  mw_window_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/modelwatch/Modelwatch/mw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, first_run_spinner);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, unreachable_page);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, offline_box);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, overall_image);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, headline_label);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, checked_label);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, checking_label);
  gtk_widget_class_bind_template_child (widget_class, MwWindow, provider_list);

  gtk_widget_class_install_action (widget_class, "win.check-now", NULL, check_now_action);
  gtk_widget_class_install_action (widget_class, "win.start-service", NULL, start_service_action);
  gtk_widget_class_install_action (widget_class, "win.open-incident", "(ss)", open_incident_action);
  gtk_widget_class_install_action (widget_class, "win.show-model", "s", show_model_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.check-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.check-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
mw_window_init (MwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mw_window_add_style (gtk_widget_get_display (GTK_WIDGET (self)));

  self->provider_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
