/* mw-tray-menu.c
 *
 * What the tray says about a snapshot: the menu tree, the tooltip's
 * headline and body, and the health its icon shows. Kept free of D-Bus so
 * that it reads (and tests) as plain text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-tray.h"

#define TOOLTIP_MAX_ITEMS 4

/* A textual mark next to the word, so that health never depends on colour
 * (or on the host drawing menu icons). */
const char *
mw_tray_menu_health_mark (MwHealth health)
{
  switch (health)
    {
    case MW_HEALTH_OPERATIONAL:
      return "✓";
    case MW_HEALTH_MAINTENANCE:
      return "⚒";
    case MW_HEALTH_DEGRADED:
      return "▲";
    case MW_HEALTH_PARTIAL_OUTAGE:
      return "◐";
    case MW_HEALTH_MAJOR_OUTAGE:
      return "✖";
    case MW_HEALTH_UNKNOWN:
    default:
      return "?";
    }
}

/* Offline data is stale, and "don't blame providers" for our own network. */
MwHealth
mw_tray_menu_icon_health (MwSnapshot *snapshot)
{
  if (snapshot == NULL || mw_snapshot_get_offline (snapshot))
    return MW_HEALTH_UNKNOWN;

  return mw_snapshot_get_health (snapshot);
}

static char *
format_since (GDateTime *since)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (since == NULL)
    return NULL;

  local = g_date_time_to_local (since);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");

  /* Translators: a date and time in a menu, "since 5 Jun 15:08"; see
   * g_date_time_format() for the codes */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%-d %b %H:%M"));
}

static const char *
model_name (MwSnapshot *snapshot,
            const char *global_id)
{
  const MwModelState *model = mw_snapshot_find_model (snapshot, global_id);

  return model != NULL && model->name != NULL ? model->name : global_id;
}

static char *
model_label (MwSnapshot         *snapshot,
             const MwModelState *model)
{
  g_autofree char *name = mw_menu_escape_label (model->name != NULL ? model->name : model->id);
  g_autofree char *since = format_since (model->since);
  GString *label = g_string_new (NULL);

  /* Translators: "✖ Claude Opus 4.7 — Major outage" */
  g_string_append_printf (label, _("%s %s — %s"),
                          mw_tray_menu_health_mark (model->health), name,
                          mw_health_to_label (model->health));
  if (since != NULL && model->health != MW_HEALTH_UNKNOWN)
    /* Translators: appended to a model's health, "since 15:08" */
    g_string_append_printf (label, _(" since %s"), since);

  if (model->fallback != NULL && mw_health_is_degraded (model->health))
    {
      g_autofree char *fallback = mw_menu_escape_label (model_name (snapshot, model->fallback));

      /* Translators: appended to a degraded model, "use Claude Sonnet 4.6" */
      g_string_append_printf (label, _(", use %s"), fallback);
    }

  return g_string_free (label, FALSE);
}

static MwMenuNode *
provider_node (MwSnapshot            *snapshot,
               const MwProviderState *provider)
{
  g_autofree char *key = g_strconcat ("provider:", provider->id, NULL);
  g_autofree char *name = mw_menu_escape_label (provider->name != NULL ? provider->name : provider->id);
  g_autofree char *label = NULL;
  MwMenuNode *node;

  /* Translators: a provider's line in the tray menu, "▲ OpenAI — Degraded" */
  label = g_strdup_printf (_("%s %s — %s"), mw_tray_menu_health_mark (provider->health),
                           name, mw_health_to_label (provider->health));
  node = mw_menu_node_new (key, label);
  if (provider->error != NULL)
    mw_menu_node_set_accessible_desc (node, provider->error);

  for (guint i = 0; provider->models != NULL && i < provider->models->len; i++)
    {
      const MwModelState *model = g_ptr_array_index (provider->models, i);
      g_autofree char *model_key = g_strconcat ("model:", model->id, NULL);
      g_autofree char *model_text = model_label (snapshot, model);
      MwMenuNode *child = mw_menu_node_new (model_key, model_text);

      if (model->reason != NULL)
        mw_menu_node_set_accessible_desc (child, model->reason);
      mw_menu_node_append (node, child);
    }

  return node;
}

MwMenuNode *
mw_tray_menu_build (MwSnapshot *snapshot,
                    gboolean    checking,
                    gboolean    paused)
{
  MwMenuNode *root = mw_menu_node_new ("", NULL);
  g_autofree char *headline = mw_tray_menu_headline (snapshot);
  g_autofree char *headline_label = mw_menu_escape_label (headline);
  MwMenuNode *node;
  guint n_providers = snapshot != NULL ? mw_snapshot_get_n_providers (snapshot) : 0;

  node = mw_menu_node_new ("headline", headline_label);
  mw_menu_node_set_enabled (node, FALSE);
  mw_menu_node_append (root, node);
  mw_menu_node_append (root, mw_menu_node_new_separator ("separator-providers"));

  for (guint i = 0; i < n_providers; i++)
    mw_menu_node_append (root, provider_node (snapshot, mw_snapshot_get_provider (snapshot, i)));
  if (n_providers > 0)
    mw_menu_node_append (root, mw_menu_node_new_separator ("separator-actions"));

  node = mw_menu_node_new (MW_TRAY_KEY_CHECK, checking ? _("Checking…") : _("_Check now"));
  mw_menu_node_set_enabled (node, !checking);
  mw_menu_node_append (root, node);

  mw_menu_node_append (root, mw_menu_node_new (MW_TRAY_KEY_WINDOW, _("_Open status window")));

  node = mw_menu_node_new (MW_TRAY_KEY_PAUSE, _("_Pause notifications for 1 hour"));
  mw_menu_node_set_toggle (node, paused);
  mw_menu_node_append (root, node);

  mw_menu_node_append (root, mw_menu_node_new_separator ("separator-quit"));
  mw_menu_node_append (root, mw_menu_node_new (MW_TRAY_KEY_QUIT, _("_Quit")));

  return root;
}

typedef struct {
  MwHealth    health;
  const char *name;
  const char *reason;
} Item;

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const Item *item_a = a;
  const Item *item_b = b;
  /* Unknown sorts after every real problem. */
  int rank_a = item_a->health == MW_HEALTH_UNKNOWN ? 0 : (int) item_a->health;
  int rank_b = item_b->health == MW_HEALTH_UNKNOWN ? 0 : (int) item_b->health;

  return rank_b - rank_a;
}

/* The models (and providers with no affected model) that are not
 * operational, worst first. */
static GArray *
collect_items (MwSnapshot *snapshot)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (Item));
  guint n_providers = mw_snapshot_get_n_providers (snapshot);

  for (guint i = 0; i < n_providers; i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);
      gboolean listed = FALSE;

      for (guint j = 0; provider->models != NULL && j < provider->models->len; j++)
        {
          const MwModelState *model = g_ptr_array_index (provider->models, j);
          Item item = { model->health, model->name != NULL ? model->name : model->id, model->reason };

          if (model->health == MW_HEALTH_OPERATIONAL || model->health == MW_HEALTH_UNKNOWN)
            continue;
          g_array_append_val (items, item);
          listed = TRUE;
        }

      if (!listed && provider->health != MW_HEALTH_OPERATIONAL)
        {
          Item item = { provider->health, provider->name != NULL ? provider->name : provider->id,
                        provider->error != NULL ? provider->error : provider->description };

          g_array_append_val (items, item);
        }
    }

  g_array_sort (items, compare_items);
  return items;
}

char *
mw_tray_menu_headline (MwSnapshot *snapshot)
{
  guint n_providers;
  guint n_major = 0, n_bad = 0, n_maintenance = 0;
  guint n_providers_bad = 0, n_providers_unknown = 0, n_providers_maintenance = 0;
  const char *bad_provider = NULL;

  if (snapshot == NULL)
    return g_strdup (_("Checking…"));

  n_providers = mw_snapshot_get_n_providers (snapshot);
  if (n_providers == 0)
    return g_strdup (_("No providers watched"));

  if (mw_snapshot_get_offline (snapshot))
    return g_strdup (_("Offline — showing the last known status"));

  for (guint i = 0; i < n_providers; i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);

      for (guint j = 0; provider->models != NULL && j < provider->models->len; j++)
        {
          const MwModelState *model = g_ptr_array_index (provider->models, j);

          if (model->health == MW_HEALTH_MAJOR_OUTAGE)
            n_major++;
          if (mw_health_is_degraded (model->health))
            n_bad++;
          else if (model->health == MW_HEALTH_MAINTENANCE)
            n_maintenance++;
        }

      if (mw_health_is_degraded (provider->health))
        {
          n_providers_bad++;
          bad_provider = provider->name;
        }
      else if (provider->health == MW_HEALTH_MAINTENANCE)
        n_providers_maintenance++;
      else if (provider->health == MW_HEALTH_UNKNOWN)
        n_providers_unknown++;
    }

  if (n_major > 0 && n_bad > n_major)
    /* Translators: the first number is of models down, the second of models degraded */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u model down, %u more degraded",
                                         "%u models down, %u more degraded", n_major),
                            n_major, n_bad - n_major);
  if (n_major > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u model down", "%u models down", n_major),
                            n_major);
  if (n_bad > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u model degraded", "%u models degraded", n_bad),
                            n_bad);
  if (n_providers_bad == 1 && bad_provider != NULL)
    /* Translators: a provider's name */
    return g_strdup_printf (_("%s degraded"), bad_provider);
  if (n_providers_bad > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u provider degraded",
                                         "%u providers degraded", n_providers_bad),
                            n_providers_bad);
  if (n_maintenance > 0 || n_providers_maintenance > 0)
    return g_strdup (_("Maintenance in progress"));
  if (n_providers_unknown == n_providers)
    return g_strdup (_("Status unknown"));
  if (n_providers_unknown > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No current status for %u provider",
                                         "No current status for %u providers", n_providers_unknown),
                            n_providers_unknown);

  return g_strdup (_("All systems operational"));
}

/* The tooltip body may carry a small HTML subset, hence the escaping. */
char *
mw_tray_menu_tooltip_body (MwSnapshot *snapshot)
{
  g_autoptr(GArray) items = NULL;
  GString *body;

  if (snapshot == NULL)
    return g_strdup ("");

  items = collect_items (snapshot);
  body = g_string_new (NULL);
  for (guint i = 0; i < items->len && i < TOOLTIP_MAX_ITEMS; i++)
    {
      const Item *item = &g_array_index (items, Item, i);
      g_autofree char *line = NULL;
      g_autofree char *escaped = NULL;

      if (item->reason != NULL && *item->reason != '\0')
        /* Translators: a tooltip line, "Claude Opus 4.7: Major outage — Elevated errors" */
        line = g_strdup_printf (_("%s: %s — %s"), item->name, mw_health_to_label (item->health),
                                item->reason);
      else
        line = g_strdup_printf (_("%s: %s"), item->name, mw_health_to_label (item->health));

      escaped = g_markup_escape_text (line, -1);
      if (body->len > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, escaped);
    }

  if (items->len > TOOLTIP_MAX_ITEMS)
    {
      guint more = items->len - TOOLTIP_MAX_ITEMS;

      g_string_append_c (body, '\n');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", more),
                              more);
    }

  return g_string_free (body, FALSE);
}
