/* mw-notifier.c
 *
 * Turns the monitor's polls into desktop notifications (libnotify) a
 * person can act on: what broke, since when, why, and which model to use
 * instead; later, that it is back and for how long it was down.  What is
 * worth telling is decided by MwDamper; this file only words it and talks
 * to the notification server.
 *
 * One notification per provider and incident: models of one provider that
 * change in the same poll share it, and later changes replace it in place
 * (same NotifyNotification, same server id) instead of stacking new ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libnotify/notify.h>

#include "mw-fallback.h"
#include "mw-notifier.h"

#define SCHEMA_ID "io.github.modelwatch"
#define MIN_REMINDER_MINUTES 30
#define MUTE_ACTION_SECONDS 3600

typedef struct {
  char               *provider_id;
  NotifyNotification *notification; /* of the current incident, or NULL */
  NotifyNotification *finished;     /* the last one of a past incident */
  guint               serial;       /* of the current incident */
  gboolean            open;         /* an incident notification is up */
  GHashTable         *shown;        /* model id -> fallback id ("" = none) last shown */
} ProviderSlot;

/* One model as the notifier sees it at one poll. */
typedef struct {
  const char         *id;
  const char         *name;
  MwHealth            health;
  const char         *reason;
  const char         *fallback;
  GDateTime          *since;
} Entry;

struct _MwNotifier {
  GObject         parent_instance;

  MwMonitor      *monitor;
  GSettings      *settings;      /* nullable: schema not installed */
  MwDamper       *damper;
  GHashTable     *slots;         /* provider id -> ProviderSlot */
  GHashTable     *mutes;         /* provider id ("" = all) -> monotonic end, in µs */
  guint           next_serial;
  gboolean        dry_run;
  gboolean        config_fixed;  /* set by mw_notifier_set_config(); settings ignored */
  gboolean        told_no_server;
};

G_DEFINE_FINAL_TYPE (MwNotifier, mw_notifier, G_TYPE_OBJECT)

enum {
  SIGNAL_NOTIFICATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
provider_slot_free (gpointer data)
{
  ProviderSlot *slot = data;

  g_free (slot->provider_id);
  if (slot->notification != NULL)
    g_signal_handlers_disconnect_by_data (slot->notification, slot);
  if (slot->finished != NULL)
    g_signal_handlers_disconnect_by_data (slot->finished, slot);
  g_clear_object (&slot->notification);
  g_clear_object (&slot->finished);
  g_hash_table_unref (slot->shown);
  g_free (slot);
}

static ProviderSlot *
get_slot (MwNotifier *self,
          const char *provider_id)
{
  ProviderSlot *slot = g_hash_table_lookup (self->slots, provider_id);

  if (slot == NULL)
    {
      slot = g_new0 (ProviderSlot, 1);
      slot->provider_id = g_strdup (provider_id);
      slot->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (self->slots, g_strdup (provider_id), slot);
    }

  return slot;
}

/* Settings */

static void
load_settings (MwNotifier *self)
{
  MwDamperConfig config;
  guint reminder;

  if (self->config_fixed)
    return;

  mw_damper_config_init_default (&config);

  if (self->settings != NULL)
    {
      config.min_health = g_settings_get_enum (self->settings, "notify-min-severity");
      config.official_polls = g_settings_get_uint (self->settings, "official-hold-polls");
      config.major_polls = g_settings_get_uint (self->settings, "major-hold-polls");
      config.recovery_polls = g_settings_get_uint (self->settings, "recovery-hold-polls");
      reminder = g_settings_get_uint (self->settings, "reminder-minutes");
      /* A reminder more often than every half hour is noise. */
      if (reminder > 0 && reminder < MIN_REMINDER_MINUTES)
        reminder = MIN_REMINDER_MINUTES;
      config.reminder_seconds = reminder * 60;
    }

  mw_damper_set_config (self->damper, &config);
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     MwNotifier *self)
{
  load_settings (self);
}

static gboolean
notifications_enabled (MwNotifier *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "notify");
}

static gboolean
provider_muted_in_settings (MwNotifier *self,
                            const char *provider_id)
{
  g_auto(GStrv) muted = NULL;

  if (self->settings == NULL)
    return FALSE;

  muted = g_settings_get_strv (self->settings, "muted-providers");
  return g_strv_contains ((const char * const *) muted, provider_id);
}

/* Muting */

/**
 * mw_notifier_mute:
 * @self: a notifier
 * @provider_id: (nullable): the provider to mute, or %NULL for all
 * @seconds: how long; 0 lifts the mute
 *
 * Stops notifications about @provider_id for @seconds.  The tray and the
 * window stay current; a degradation that starts while muted and still
 * holds when the mute ends is told then.
 */
void
mw_notifier_mute (MwNotifier *self,
                  const char *provider_id,
                  guint       seconds)
{
  const char *key = provider_id != NULL ? provider_id : "";

  g_return_if_fail (MW_IS_NOTIFIER (self));

  if (seconds == 0)
    {
      if (*key == '\0')
        g_hash_table_remove_all (self->mutes);
      else
        g_hash_table_remove (self->mutes, key);
      return;
    }

  g_hash_table_insert (self->mutes, g_strdup (key),
                       g_memdup2 (&(gint64) { g_get_monotonic_time ()
                                              + (gint64) seconds * G_USEC_PER_SEC },
                                  sizeof (gint64)));
}

static gboolean
muted_until_now (MwNotifier *self,
                 const char *key)
{
  gint64 *until = g_hash_table_lookup (self->mutes, key);

  if (until == NULL)
    return FALSE;
  if (*until > g_get_monotonic_time ())
    return TRUE;

  g_hash_table_remove (self->mutes, key);
  return FALSE;
}

gboolean
mw_notifier_is_muted (MwNotifier *self,
                      const char *provider_id)
{
  g_return_val_if_fail (MW_IS_NOTIFIER (self), FALSE);

  return !notifications_enabled (self)
         || muted_until_now (self, "")
         || (provider_id != NULL && muted_until_now (self, provider_id))
         || (provider_id != NULL && provider_muted_in_settings (self, provider_id));
}

/* Wording */

static const char *
health_phrase (MwHealth health)
{
  switch (health)
    {
    case MW_HEALTH_OPERATIONAL:
      return _("operational");
    case MW_HEALTH_MAINTENANCE:
      return _("maintenance");
    case MW_HEALTH_DEGRADED:
      return _("degraded performance");
    case MW_HEALTH_PARTIAL_OUTAGE:
      return _("partial outage");
    case MW_HEALTH_MAJOR_OUTAGE:
      return _("major outage");
    case MW_HEALTH_UNKNOWN:
    default:
      return _("status unknown");
    }
}

/* "Claude Opus 4.7" -> "Opus 4.7" when every name of the list starts with
 * the same word and has more than one ("GPT-5" and "GPT-5 mini" keep theirs). */
static guint
common_prefix_length (GPtrArray *entries)
{
  const char *first = NULL;
  gsize word = 0;

  if (entries->len < 2)
    return 0;

  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (entries, i);
      const char *space = strchr (entry->name, ' ');

      if (space == NULL || space[1] == '\0')
        return 0;
      if (first == NULL)
        {
          first = entry->name;
          word = space - entry->name;
        }
      else if ((gsize) (space - entry->name) != word || strncmp (first, entry->name, word) != 0)
        return 0;
    }

  return word + 1;
}

static char *
join_names (GPtrArray *entries)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint skip = common_prefix_length (entries);

  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (entries, i);

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, entry->name + skip);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
format_since (GDateTime *since,
              GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (since);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);

  if (g_date_time_get_year (local) == g_date_time_get_year (local_now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (local_now))
    /* TRANSLATORS: a time of today, as in "Since 15:08" */
    return g_date_time_format (local, _("%H:%M"));

  /* TRANSLATORS: a time of another day, as in "Since Jun 5, 15:08" */
  return g_date_time_format (local, _("%b %-d, %H:%M"));
}

static char *
model_display_name (MwSnapshot *snapshot,
                    const char *global_id)
{
  const MwModelState *model = mw_snapshot_find_model (snapshot, global_id);

  return g_strdup (model != NULL && model->name != NULL ? model->name : global_id);
}

/* "Use Claude Sonnet 4.6 instead (operational)" or "No healthy fallback". */
static char *
suggestion_line (MwSnapshot  *snapshot,
                 const Entry *entry)
{
  g_autofree char *name = NULL;

  if (entry->fallback == NULL)
    return g_strdup (_("No healthy fallback"));

  name = model_display_name (snapshot, entry->fallback);
  /* TRANSLATORS: the model to use instead of a broken one, and its health */
  return g_strdup_printf (_("Use %s instead (%s)"), name, health_phrase (MW_HEALTH_OPERATIONAL));
}

static void
append_suggestions (GString    *body,
                    MwSnapshot *snapshot,
                    GPtrArray  *active)
{
  gboolean same = TRUE;
  guint skip = common_prefix_length (active);

  if (active->len == 0)
    return;

  for (guint i = 1; i < active->len; i++)
    {
      const Entry *a = g_ptr_array_index (active, 0);
      const Entry *b = g_ptr_array_index (active, i);

      if (g_strcmp0 (a->fallback, b->fallback) != 0)
        same = FALSE;
    }

  if (same)
    {
      g_autofree char *line = suggestion_line (snapshot, g_ptr_array_index (active, 0));

      g_string_append_printf (body, "%s%s", body->len > 0 ? "\n" : "", line);
      return;
    }

  for (guint i = 0; i < active->len; i++)
    {
      const Entry *entry = g_ptr_array_index (active, i);
      g_autofree char *name = NULL;

      g_string_append (body, body->len > 0 ? "\n" : "");
      if (entry->fallback == NULL)
        {
          /* TRANSLATORS: a model's short name, as in "Opus 4.5: no healthy fallback" */
          g_string_append_printf (body, _("%s: no healthy fallback"), entry->name + skip);
          continue;
        }
      name = model_display_name (snapshot, entry->fallback);
      /* TRANSLATORS: "Opus 4.7: use Claude Opus 4.8 instead (operational)" */
      g_string_append_printf (body, _("%s: use %s instead (%s)"), entry->name + skip, name,
                              health_phrase (MW_HEALTH_OPERATIONAL));
    }
}

static void
append_reasons_and_since (GString    *body,
                          GPtrArray  *active,
                          GDateTime  *now)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  GDateTime *earliest = NULL;

  for (guint i = 0; i < active->len; i++)
    {
      const Entry *entry = g_ptr_array_index (active, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < reasons->len; j++)
        if (g_strcmp0 (g_ptr_array_index (reasons, j), entry->reason) == 0)
          seen = TRUE;
      if (entry->reason != NULL && *entry->reason != '\0' && !seen && reasons->len < 3)
        g_ptr_array_add (reasons, (gpointer) entry->reason);

      if (entry->since != NULL && (earliest == NULL || g_date_time_compare (entry->since, earliest) < 0))
        earliest = entry->since;
    }

  for (guint j = 0; j < reasons->len; j++)
    g_string_append_printf (body, "%s%s", body->len > 0 ? "\n" : "",
                            (const char *) g_ptr_array_index (reasons, j));

  if (earliest != NULL)
    {
      g_autofree char *since = format_since (earliest, now);

      g_string_append (body, body->len > 0 ? "\n" : "");
      /* TRANSLATORS: when a degradation began, as in "Since 15:08" */
      g_string_append_printf (body, _("Since %s"), since);
    }
}

static MwHealth
worst_of (GPtrArray *entries)
{
  MwHealth worst = MW_HEALTH_UNKNOWN;

  for (guint i = 0; i < entries->len; i++)
    worst = mw_health_worst (worst, ((const Entry *) g_ptr_array_index (entries, i))->health);

  return worst;
}

static gboolean
all_major (GPtrArray *entries)
{
  for (guint i = 0; i < entries->len; i++)
    if (((const Entry *) g_ptr_array_index (entries, i))->health != MW_HEALTH_MAJOR_OUTAGE)
      return FALSE;

  return entries->len > 0;
}

static gboolean
same_health (GPtrArray *entries)
{
  for (guint i = 1; i < entries->len; i++)
    if (((const Entry *) g_ptr_array_index (entries, i))->health
        != ((const Entry *) g_ptr_array_index (entries, 0))->health)
      return FALSE;

  return TRUE;
}

/* The degradation notification of a provider: the models told about and
 * still not back, with the reasons, since when and what to use instead. */
static void
word_degradation (MwSnapshot  *snapshot,
                  const char  *provider_name,
                  GPtrArray   *active,
                  GPtrArray   *recovered,
                  char       **summary,
                  GString     *body)
{
  GDateTime *now = mw_snapshot_get_checked_at (snapshot);

  if (active->len == 1)
    {
      const Entry *entry = g_ptr_array_index (active, 0);

      /* TRANSLATORS: model name — health, as in "Claude Opus 4.7 — major outage" */
      *summary = g_strdup_printf (_("%s — %s"), entry->name, health_phrase (entry->health));
    }
  else
    {
      g_autofree char *names = join_names (active);

      if (all_major (active))
        /* TRANSLATORS: "3 Anthropic models down: Opus 4.7, Opus 4.5, Sonnet 4.6" */
        *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u %s model down: %s",
                                                 "%u %s models down: %s", active->len),
                                    active->len, provider_name, names);
      else
        /* TRANSLATORS: "3 Anthropic models degraded: Opus 4.7, Opus 4.5, Sonnet 4.6" */
        *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u %s model degraded: %s",
                                                 "%u %s models degraded: %s", active->len),
                                    active->len, provider_name, names);
    }

  append_reasons_and_since (body, active, now);

  if (active->len > 1 && !same_health (active))
    {
      guint skip = common_prefix_length (active);

      /* Say each model's health when they differ. */
      for (guint i = 0; i < active->len; i++)
        {
          const Entry *entry = g_ptr_array_index (active, i);

          g_string_append_printf (body, "\n%s: %s", entry->name + skip,
                                  health_phrase (entry->health));
        }
    }

  append_suggestions (body, snapshot, active);

  if (recovered != NULL && recovered->len > 0)
    {
      g_autofree char *names = join_names (recovered);

      /* TRANSLATORS: models that recovered meanwhile */
      g_string_append_printf (body, "\n");
      g_string_append_printf (body, _("Back: %s"), names);
    }
}

/* The recovery notification: which models are back and how long they
 * were down; what is still broken, if anything, and what to use for it. */
static void
word_recovery (MwSnapshot  *snapshot,
               const char  *provider_name,
               GPtrArray   *active,
               GPtrArray   *recovered,
               GArray      *down_for,
               gboolean     all_operational,
               char       **summary,
               GString     *body)
{
  GDateTime *now = mw_snapshot_get_checked_at (snapshot);

  if (recovered->len == 1)
    {
      const Entry *entry = g_ptr_array_index (recovered, 0);
      g_autofree char *duration = mw_format_duration (g_array_index (down_for, GTimeSpan, 0));

      /* TRANSLATORS: "Claude Opus 4.7 is back — down for 2 h 04 min" */
      *summary = g_strdup_printf (_("%s is back — down for %s"), entry->name, duration);
    }
  else
    {
      g_autofree char *names = join_names (recovered);
      guint skip = common_prefix_length (recovered);

      /* TRANSLATORS: "2 Anthropic models are back: Opus 4.6, Sonnet 4.6" */
      *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u %s model is back: %s",
                                               "%u %s models are back: %s", recovered->len),
                                  recovered->len, provider_name, names);
      for (guint i = 0; i < recovered->len; i++)
        {
          const Entry *entry = g_ptr_array_index (recovered, i);
          g_autofree char *duration = mw_format_duration (g_array_index (down_for, GTimeSpan, i));

          g_string_append_printf (body, "%s", body->len > 0 ? "\n" : "");
          /* TRANSLATORS: "Opus 4.6: down for 17 min" */
          g_string_append_printf (body, _("%s: down for %s"), entry->name + skip, duration);
        }
    }

  if (active->len == 0 && all_operational)
    {
      g_string_append (body, body->len > 0 ? "\n" : "");
      /* TRANSLATORS: after a recovery, "All Anthropic models are operational." */
      g_string_append_printf (body, _("All %s models are operational."), provider_name);
    }

  if (active->len > 0)
    {
      g_autofree char *names = join_names (active);

      g_string_append (body, body->len > 0 ? "\n" : "");
      /* TRANSLATORS: models of the same provider that are still broken */
      g_string_append_printf (body, _("Still affected: %s"), names);
      append_reasons_and_since (body, active, now);
      append_suggestions (body, snapshot, active);
    }
}

/* Actions */

typedef struct {
  GWeakRef  notifier;
  char     *provider_id;
  char     *model_id;   /* nullable */
  char     *page_url;   /* nullable */
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action = data;

  g_weak_ref_clear (&action->notifier);
  g_free (action->provider_id);
  g_free (action->model_id);
  g_free (action->page_url);
  g_free (action);
}

static ActionData *
action_data_new (MwNotifier *self,
                 const char *provider_id,
                 const char *model_id,
                 const char *page_url)
{
  ActionData *action = g_new0 (ActionData, 1);

  g_weak_ref_init (&action->notifier, self);
  action->provider_id = g_strdup (provider_id);
  action->model_id = g_strdup (model_id);
  action->page_url = g_strdup (page_url);

  return action;
}

static char *
window_program (void)
{
  const char *env = g_getenv ("MODELWATCH_WINDOW_BIN");
  char *found;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  found = g_find_program_in_path ("modelwatch-window");
  if (found != NULL)
    return found;
  return g_build_filename (BINDIR, "modelwatch-window", NULL);
}

static void
open_window (const char *model_id)
{
  g_autofree char *program = window_program ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, program);
  if (model_id != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--model");
      g_ptr_array_add (argv, (gpointer) model_id);
    }
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_async (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                      NULL, NULL, NULL, &error))
    g_warning ("Cannot open the status window: %s", error->message);
}

static void
on_action_details (NotifyNotification *notification,
                   char               *action,
                   gpointer            user_data)
{
  ActionData *data = user_data;

  open_window (data->model_id);
}

static void
on_action_default (NotifyNotification *notification,
                   char               *action,
                   gpointer            user_data)
{
  open_window (NULL);
}

static void
on_action_status_page (NotifyNotification *notification,
                       char               *action,
                       gpointer            user_data)
{
  ActionData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (data->page_url != NULL
      && !g_app_info_launch_default_for_uri (data->page_url, NULL, &error))
    g_warning ("Cannot open %s: %s", data->page_url, error->message);
}

static void
on_action_mute (NotifyNotification *notification,
                char               *action,
                gpointer            user_data)
{
  ActionData *data = user_data;
  g_autoptr(MwNotifier) self = g_weak_ref_get (&data->notifier);

  if (self != NULL)
    mw_notifier_mute (self, data->provider_id, MUTE_ACTION_SECONDS);
}

static gboolean
server_has_cap (GList      *caps,
                const char *cap)
{
  for (GList *l = caps; l != NULL; l = l->next)
    if (g_strcmp0 (l->data, cap) == 0)
      return TRUE;

  return FALSE;
}

static void
add_actions (MwNotifier            *self,
             NotifyNotification    *notification,
             const MwProviderState *provider,
             const char            *model_id,
             gboolean               ongoing)
{
  notify_notification_clear_actions (notification);

  notify_notification_add_action (notification, "default", _("Open window"),
                                  on_action_default,
                                  action_data_new (self, provider->id, NULL, NULL),
                                  action_data_free);
  notify_notification_add_action (notification, "details", _("Details"),
                                  on_action_details,
                                  action_data_new (self, provider->id, model_id, NULL),
                                  action_data_free);
  if (provider->page_url != NULL)
    notify_notification_add_action (notification, "status-page", _("Open status page"),
                                    on_action_status_page,
                                    action_data_new (self, provider->id, NULL, provider->page_url),
                                    action_data_free);
  if (ongoing)
    notify_notification_add_action (notification, "mute", _("Mute 1 hour"),
                                    on_action_mute,
                                    action_data_new (self, provider->id, NULL, NULL),
                                    action_data_free);
}

/* Showing */

/* The incident of @slot is over: the next one gets a notification of its
 * own.  The last one is kept so that its actions still work. */
static void
end_incident (ProviderSlot *slot)
{
  slot->open = FALSE;
  g_hash_table_remove_all (slot->shown);
  if (slot->notification != NULL)
    {
      if (slot->finished != NULL)
        g_signal_handlers_disconnect_by_data (slot->finished, slot);
      g_clear_object (&slot->finished);
      slot->finished = g_steal_pointer (&slot->notification);
    }
}

static void
on_notification_closed (NotifyNotification *notification,
                        ProviderSlot       *slot)
{
  /* Dismissed by the person: the next change of the incident gets a new
   * notification instead of resurrecting this one. */
  if (slot->notification == notification)
    end_incident (slot);
}

static void
show (MwNotifier            *self,
      ProviderSlot          *slot,
      const MwProviderState *provider,
      const char            *model_id,
      const char            *summary,
      const char            *body,
      MwHealth               health,
      NotifyUrgency          urgency,
      gboolean               ongoing)
{
  const char *urgency_name = urgency == NOTIFY_URGENCY_CRITICAL ? "critical"
                             : urgency == NOTIFY_URGENCY_LOW ? "low" : "normal";
  gboolean replaces = slot->open;
  const char *icon = mw_health_icon_name (health);
  g_autoptr(GError) error = NULL;
  g_autofree char *markup = NULL;
  GList *caps = NULL;

  if (!replaces)
    slot->serial = ++self->next_serial;
  slot->open = TRUE;

  if (!self->dry_run)
    {
      if (!notify_is_initted ())
        notify_init (_("Modelwatch"));

      caps = notify_get_server_caps ();
      if (server_has_cap (caps, "body-markup"))
        markup = g_markup_escape_text (body, -1);

      if (slot->notification == NULL || !replaces)
        {
          if (slot->notification != NULL)
            {
              g_signal_handlers_disconnect_by_data (slot->notification, slot);
              g_clear_object (&slot->notification);
            }
          slot->notification = notify_notification_new (summary, markup ? markup : body, icon);
          notify_notification_set_app_name (slot->notification, _("Modelwatch"));
          g_signal_connect (slot->notification, "closed",
                            G_CALLBACK (on_notification_closed), slot);
        }
      else
        notify_notification_update (slot->notification, summary, markup ? markup : body, icon);

      notify_notification_set_urgency (slot->notification, urgency);
      notify_notification_set_category (slot->notification,
                                        ongoing ? "network.error" : "network");
      notify_notification_set_hint (slot->notification, "desktop-entry",
                                    g_variant_new_string (APP_ID));

      if (server_has_cap (caps, "actions"))
        add_actions (self, slot->notification, provider, model_id, ongoing);
      else
        notify_notification_clear_actions (slot->notification);

      g_list_free_full (caps, g_free);

      if (!notify_notification_show (slot->notification, &error))
        {
          if (!self->told_no_server)
            g_message ("Notifications cannot be shown (%s); the tray stays current",
                       error->message);
          self->told_no_server = TRUE;
        }
      else
        self->told_no_server = FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_NOTIFICATION], 0,
                 provider->id, slot->serial, replaces, summary, body, urgency_name);
}

/* Polls */

static gboolean
probe_driven (const MwModelState *model)
{
  return model->probe != NULL
         && mw_health_is_degraded (model->probe->health)
         && model->probe->health == model->health;
}

static void
remember_shown (ProviderSlot *slot,
                GPtrArray    *active)
{
  g_hash_table_remove_all (slot->shown);
  for (guint i = 0; i < active->len; i++)
    {
      const Entry *entry = g_ptr_array_index (active, i);

      g_hash_table_insert (slot->shown, g_strdup (entry->id),
                           g_strdup (entry->fallback != NULL ? entry->fallback : ""));
    }
}

/* Whether the suggestion for a model already told about changed to one
 * worth telling: a model that is back for good, not one that has just
 * come back for a poll (its recovery will carry the news). */
static gboolean
suggestions_changed (MwNotifier   *self,
                     ProviderSlot *slot,
                     GPtrArray    *active)
{
  for (guint i = 0; i < active->len; i++)
    {
      const Entry *entry = g_ptr_array_index (active, i);
      const char *shown = g_hash_table_lookup (slot->shown, entry->id);
      const char *now = entry->fallback != NULL ? entry->fallback : "";

      if (shown == NULL || g_str_equal (shown, now))
        continue;
      if (entry->fallback != NULL && mw_damper_is_recovering (self->damper, entry->fallback))
        continue;
      return TRUE;
    }

  return FALSE;
}

/**
 * mw_notifier_process:
 * @self: a notifier
 * @provider_id: the provider whose page was just polled
 * @snapshot: the state after that poll
 *
 * Handles one poll: what the "polled" signal of the monitor calls, and
 * what `modelwatch replay` calls directly.
 */
void
mw_notifier_process (MwNotifier *self,
                     const char *provider_id,
                     MwSnapshot *snapshot)
{
  const MwProviderState *provider;
  GDateTime *at;
  ProviderSlot *slot;
  gboolean muted;
  gboolean degraded_news = FALSE;
  gboolean reminder = FALSE;
  g_autoptr(GPtrArray) active = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) down_for = g_array_new (FALSE, FALSE, sizeof (GTimeSpan));
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  const char *first_model = NULL;
  gboolean all_operational = TRUE;

  g_return_if_fail (MW_IS_NOTIFIER (self));
  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (snapshot != NULL);

  provider = mw_snapshot_find_provider (snapshot, provider_id);
  at = mw_snapshot_get_checked_at (snapshot);
  if (provider == NULL || at == NULL)
    return;

  /* While offline nothing is known about providers: say nothing. */
  if (mw_snapshot_get_offline (snapshot))
    return;

  slot = get_slot (self, provider_id);
  muted = mw_notifier_is_muted (self, provider_id);

  if (provider->models != NULL && provider->models->len > 0)
    {
      for (guint i = 0; i < provider->models->len; i++)
        {
          const MwModelState *model = g_ptr_array_index (provider->models, i);
          Entry *entry = g_new0 (Entry, 1);

          entry->id = model->id;
          entry->name = model->name != NULL ? model->name : model->id;
          entry->health = model->health;
          entry->reason = model->reason;
          entry->fallback = model->fallback;
          entry->since = model->since;
          g_ptr_array_add (entries, entry);
        }
    }
  else
    {
      /* A provider without models in the catalog is told about as a whole. */
      Entry *entry = g_new0 (Entry, 1);

      entry->id = provider->id;
      entry->name = provider->name != NULL ? provider->name : provider->id;
      entry->health = provider->health;
      entry->reason = provider->description;
      g_ptr_array_add (entries, entry);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      const MwModelState *model = mw_snapshot_find_model (snapshot, entry->id);
      MwDamperInput input = { entry->health, model != NULL && probe_driven (model), entry->since };
      MwDamperInfo info;
      MwDamperEvent event;

      if (entry->health != MW_HEALTH_OPERATIONAL)
        all_operational = FALSE;
      event = mw_damper_observe (self->damper, entry->id, &input, at, muted, &info);
      switch (event)
        {
        case MW_DAMPER_DEGRADED:
        case MW_DAMPER_CHANGED:
          degraded_news = TRUE;
          if (first_model == NULL)
            first_model = entry->id;
          break;
        case MW_DAMPER_REMINDER:
          reminder = TRUE;
          break;
        case MW_DAMPER_RECOVERED:
          g_ptr_array_add (recovered, g_memdup2 (entry, sizeof *entry));
          g_array_append_val (down_for, info.down_for);
          break;
        case MW_DAMPER_NONE:
        default:
          break;
        }

      /* Told and not (even provisionally) back: part of the incident. */
      if (mw_damper_is_told (self->damper, entry->id)
          && entry->health != MW_HEALTH_OPERATIONAL)
        {
          Entry *copy = g_memdup2 (entry, sizeof *entry);

          copy->since = mw_damper_get_since (self->damper, entry->id);
          g_ptr_array_add (active, copy);
        }
    }

  if (muted)
    {
      /* An incident that ended while muted is over all the same. */
      if (active->len == 0)
        end_incident (slot);
      return;
    }

  if (!degraded_news && !reminder && recovered->len == 0
      && !(active->len > 0 && slot->open
           && suggestions_changed (self, slot, active)))
    return;

  if (first_model == NULL && active->len > 0)
    first_model = ((const Entry *) g_ptr_array_index (active, 0))->id;
  if (first_model == NULL && recovered->len > 0)
    first_model = ((const Entry *) g_ptr_array_index (recovered, 0))->id;
  /* The pseudo-model of a provider without models is no model to open. */
  if (first_model != NULL && g_strcmp0 (first_model, provider->id) == 0)
    first_model = NULL;

  if (recovered->len > 0 && !degraded_news)
    {
      word_recovery (snapshot, provider->name, active, recovered, down_for,
                     all_operational, &summary, body);
      show (self, slot, provider, first_model, summary, body->str,
            active->len > 0 ? worst_of (active) : MW_HEALTH_OPERATIONAL,
            NOTIFY_URGENCY_NORMAL, active->len > 0);
    }
  else if (active->len > 0)
    {
      word_degradation (snapshot, provider->name, active, recovered, &summary, body);
      show (self, slot, provider, first_model, summary, body->str, worst_of (active),
            worst_of (active) == MW_HEALTH_MAJOR_OUTAGE ? NOTIFY_URGENCY_CRITICAL
                                                        : NOTIFY_URGENCY_NORMAL,
            TRUE);
    }

  remember_shown (slot, active);

  if (active->len == 0)
    end_incident (slot);
}

static void
on_polled (MwMonitor  *monitor,
           const char *provider_id,
           MwSnapshot *snapshot,
           MwNotifier *self)
{
  mw_notifier_process (self, provider_id, snapshot);
}

/* GObject */

static void
mw_notifier_dispose (GObject *object)
{
  MwNotifier *self = MW_NOTIFIER (object);

  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (mw_notifier_parent_class)->dispose (object);
}

static void
mw_notifier_finalize (GObject *object)
{
  MwNotifier *self = MW_NOTIFIER (object);

  g_clear_pointer (&self->damper, mw_damper_free);
  g_clear_pointer (&self->mutes, g_hash_table_unref);

  G_OBJECT_CLASS (mw_notifier_parent_class)->finalize (object);
}

static void
mw_notifier_class_init (MwNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_notifier_dispose;
  object_class->finalize = mw_notifier_finalize;

  signals[SIGNAL_NOTIFICATION] =
    g_signal_new ("notification",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 6,
                  G_TYPE_STRING, G_TYPE_UINT, G_TYPE_BOOLEAN,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
mw_notifier_init (MwNotifier *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->damper = mw_damper_new (NULL);
  self->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, provider_slot_free);
  self->mutes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Running from the build tree or an odd prefix must not abort: without
   * the schema, the defaults apply. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (on_settings_changed), self, 0);
    }
  else
    g_debug ("Settings schema %s is not installed; using the defaults", SCHEMA_ID);

  load_settings (self);
}

/**
 * mw_notifier_new:
 * @monitor: (nullable): the monitor whose "polled" signal drives it; %NULL
 *   for callers that feed mw_notifier_process() themselves
 *
 * Returns: (transfer full): a new notifier
 */
MwNotifier *
mw_notifier_new (MwMonitor *monitor)
{
  MwNotifier *self = g_object_new (MW_TYPE_NOTIFIER, NULL);

  if (monitor != NULL)
    {
      self->monitor = g_object_ref (monitor);
      if (g_signal_lookup ("polled", MW_TYPE_MONITOR) != 0)
        g_signal_connect_object (monitor, "polled", G_CALLBACK (on_polled), self, 0);
      else
        g_message ("The monitor has no “polled” signal; no notifications");
    }

  return self;
}

/* Dry run: emit "notification" but never talk to a notification server. */
void
mw_notifier_set_dry_run (MwNotifier *self,
                         gboolean    dry_run)
{
  g_return_if_fail (MW_IS_NOTIFIER (self));

  self->dry_run = !!dry_run;
}

/* Overrides the settings (replays and tests). */
void
mw_notifier_set_config (MwNotifier           *self,
                        const MwDamperConfig *config)
{
  g_return_if_fail (MW_IS_NOTIFIER (self));
  g_return_if_fail (config != NULL);

  self->config_fixed = TRUE;
  mw_damper_set_config (self->damper, config);
}
