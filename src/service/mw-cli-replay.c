/* mw-cli-replay.c
 *
 * `modelwatch replay SCENARIO [--speed N] [--dry-run] [--json]`: plays a
 * recorded incident through the real fallback policy, damping and
 * notifier, poll by poll, and prints every notification it sends (or
 * would send), so that a person can see what Modelwatch would have told
 * them, and tests can check it.
 *
 * A scenario is a JSON file:
 *
 *   {"title": "…", "interval": 60,
 *    "start": "2026-06-05T15:00:00Z", "end": "2026-06-05T18:40:00Z",
 *    "catalog": { …a catalog (DESIGN.md); the built-in one when absent… },
 *    "timeline": [
 *      {"at": "2026-06-05T15:08:00Z", "note": "…",
 *       "summary": {"anthropic": { …a Statuspage summary.json… }},
 *       "providers": {"anthropic": {"health": "major_outage", "description": "…"}},
 *       "models": {"anthropic/claude-opus-4-7": "major_outage",
 *                  "anthropic/claude-opus-4-6": {"health": "major_outage", "reason": "…"}}}]}
 *
 * The replay polls every provider every `interval` seconds of scenario
 * time from `start` to `end`; each poll sees the latest state the timeline
 * set at or before it (a model not named yet is operational).  A
 * "summary" goes through the provider's reader and the health rules like
 * a fetched page would; "models" and "providers" set states directly and
 * win over it.  --speed N plays N seconds of scenario time per second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "mw-assess.h"
#include "mw-catalog.h"
#include "mw-cli.h"
#include "mw-fallback.h"
#include "mw-notifier.h"
#include "mw-reader.h"
#include "mw-snapshot.h"

#define DEFAULT_SPEED 60.0

typedef struct {
  MwHealth   health;
  char      *reason;
  GDateTime *since;
} ModelSet;

typedef struct {
  MwCatalog   *catalog;
  JsonArray   *timeline;
  GDateTime   *start;
  GDateTime   *end;
  guint        interval;
  double       speed;
  gboolean     json;

  MwNotifier  *notifier;
  GMainLoop   *loop;
  GDateTime   *now;
  guint        next_entry;
  GHashTable  *models;        /* global id -> ModelSet */
  GHashTable  *providers;     /* provider id -> JsonObject (borrowed) */
  GHashTable  *summaries;     /* provider id -> MwProviderState from a page */
  GHashTable  *suggestions;   /* global id -> last fallback printed ("" = none) */
  int          status;
} Replay;

static void
model_set_free (gpointer data)
{
  ModelSet *set = data;

  g_free (set->reason);
  g_clear_pointer (&set->since, g_date_time_unref);
  g_free (set);
}

static char *
format_clock (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%d %H:%M UTC");
}

static void
print_line (Replay     *replay,
            JsonNode   *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  g_print ("%s\n", text);
}

static void
on_notification (MwNotifier *notifier,
                 const char *provider_id,
                 guint       serial,
                 gboolean    replaces,
                 const char *summary,
                 const char *body,
                 const char *urgency,
                 Replay     *replay)
{
  g_autofree char *clock = format_clock (replay->now);

  if (replay->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *at = mw_format_iso8601 (replay->now);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "notification");
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, at);
      json_builder_set_member_name (builder, "provider");
      json_builder_add_string_value (builder, provider_id);
      json_builder_set_member_name (builder, "serial");
      json_builder_add_int_value (builder, serial);
      json_builder_set_member_name (builder, "replaces");
      json_builder_add_boolean_value (builder, replaces);
      json_builder_set_member_name (builder, "urgency");
      json_builder_add_string_value (builder, urgency);
      json_builder_set_member_name (builder, "summary");
      json_builder_add_string_value (builder, summary);
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, body);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      print_line (replay, node);
      return;
    }

  {
    g_auto(GStrv) lines = g_strsplit (body, "\n", -1);

    /* TRANSLATORS: replay output: time, notification number, urgency, summary */
    g_print (replaces ? _("%s  #%u (replaced) %s: %s\n") : _("%s  #%u %s: %s\n"),
             clock, serial, urgency, summary);
    for (guint i = 0; lines[i] != NULL; i++)
      g_print ("      %s\n", lines[i]);
  }
}

static void
print_suggestion (Replay             *replay,
                  const MwModelState *model,
                  MwSnapshot         *snapshot)
{
  const char *now = model->fallback != NULL ? model->fallback : "";
  const char *before = g_hash_table_lookup (replay->suggestions, model->id);
  const MwModelState *fallback = NULL;
  g_autofree char *clock = NULL;

  if (g_strcmp0 (before != NULL ? before : "", now) == 0)
    return;
  g_hash_table_insert (replay->suggestions, g_strdup (model->id), g_strdup (now));

  /* Only what a degraded model is told to use; a cleared suggestion of a
   * model that is back is its recovery, printed as a notification. */
  if (!mw_fallback_wanted (model->health))
    return;

  if (replay->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *at = mw_format_iso8601 (replay->now);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "suggestion");
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, at);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, model->id);
      json_builder_set_member_name (builder, "health");
      json_builder_add_string_value (builder, mw_health_to_string (model->health));
      json_builder_set_member_name (builder, "fallback");
      if (model->fallback != NULL)
        json_builder_add_string_value (builder, model->fallback);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      print_line (replay, node);
      return;
    }

  clock = format_clock (replay->now);
  if (model->fallback != NULL)
    fallback = mw_snapshot_find_model (snapshot, model->fallback);
  /* TRANSLATORS: replay output: time, a degraded model, what to use instead */
  g_print (_("%s  suggestion for %s: %s\n"), clock, model->name,
           fallback != NULL ? fallback->name : _("No healthy fallback"));
}

/* Timeline */

static gboolean
read_health (JsonNode   *node,
             MwHealth   *health,
             char      **reason)
{
  const char *word = NULL;

  if (JSON_NODE_HOLDS_VALUE (node))
    word = json_node_get_string (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      word = json_object_get_string_member_with_default (object, "health", NULL);
      *reason = g_strdup (json_object_get_string_member_with_default (object, "reason", NULL));
    }

  return word != NULL && mw_health_from_string (word, health);
}

static MwProviderState *
read_summary (Replay            *replay,
              const MwProvider  *provider,
              JsonNode          *page,
              GError           **error)
{
  const MwReader *reader = mw_reader_lookup (provider->platform);
  g_autofree char *text = json_to_string (page, FALSE);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(MwObservations) observations = NULL;

  if (reader == NULL)
    {
      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED,
                   _("no reader for platform “%s”"), provider->platform);
      return NULL;
    }

  observations = reader->parse (provider, &body, 1, error);
  if (observations == NULL)
    return NULL;

  return mw_assess_provider (provider, observations, NULL, replay->now, NULL, NULL);
}

static gboolean
apply_entry (Replay      *replay,
             JsonObject  *entry,
             GDateTime   *at,
             GError     **error)
{
  JsonObject *summaries = mw_json_get_object (entry, "summary");
  JsonObject *models = mw_json_get_object (entry, "models");
  JsonObject *providers = mw_json_get_object (entry, "providers");
  g_autoptr(GList) members = NULL;

  if (summaries != NULL)
    {
      members = json_object_get_members (summaries);
      for (GList *l = members; l != NULL; l = l->next)
        {
          const MwProvider *provider = mw_catalog_find_provider (replay->catalog, l->data);
          MwProviderState *state;

          if (provider == NULL)
            {
              g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_NOT_FOUND,
                           _("the timeline names provider “%s”, which the catalog lacks"),
                           (const char *) l->data);
              return FALSE;
            }
          state = read_summary (replay, provider, json_object_get_member (summaries, l->data), error);
          if (state == NULL)
            return FALSE;
          g_hash_table_replace (replay->summaries, g_strdup (l->data), state);
        }
      g_clear_pointer (&members, g_list_free);
    }

  if (providers != NULL)
    {
      members = json_object_get_members (providers);
      for (GList *l = members; l != NULL; l = l->next)
        g_hash_table_replace (replay->providers, g_strdup (l->data),
                              json_object_get_object_member (providers, l->data));
      g_clear_pointer (&members, g_list_free);
    }

  if (models != NULL)
    {
      members = json_object_get_members (models);
      for (GList *l = members; l != NULL; l = l->next)
        {
          ModelSet *set = g_new0 (ModelSet, 1);
          ModelSet *before = g_hash_table_lookup (replay->models, l->data);

          if (mw_catalog_find_model (replay->catalog, l->data, NULL) == NULL)
            {
              model_set_free (set);
              g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_NOT_FOUND,
                           _("the timeline names model “%s”, which the catalog lacks"),
                           (const char *) l->data);
              return FALSE;
            }
          if (!read_health (json_object_get_member (models, l->data), &set->health, &set->reason))
            {
              model_set_free (set);
              g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
                           _("model “%s” has no valid health in the timeline"),
                           (const char *) l->data);
              return FALSE;
            }
          /* The health began when it changed, not when it was repeated. */
          set->since = g_date_time_ref (before != NULL && before->health == set->health
                                        ? before->since : at);
          g_hash_table_replace (replay->models, g_strdup (l->data), set);
        }
    }

  return TRUE;
}

static MwProviderState *
build_provider (Replay           *replay,
                const MwProvider *provider)
{
  MwProviderState *from_page = g_hash_table_lookup (replay->summaries, provider->id);
  JsonObject *set = g_hash_table_lookup (replay->providers, provider->id);
  MwProviderState *state;
  MwHealth worst = MW_HEALTH_UNKNOWN;

  if (from_page != NULL)
    state = mw_provider_state_copy (from_page);
  else
    {
      state = mw_provider_state_new (provider->id, provider->name);
      state->page_url = g_strdup (provider->page_url);
      state->page_health = MW_HEALTH_OPERATIONAL;
      state->fetched_at = g_date_time_ref (replay->now);
      for (guint i = 0; i < provider->models->len; i++)
        {
          const MwModel *model = g_ptr_array_index (provider->models, i);
          MwModelState *m = mw_model_state_new (model->global_id, model->name);

          m->health = MW_HEALTH_OPERATIONAL;
          m->official = MW_HEALTH_OPERATIONAL;
          m->since = g_date_time_ref (replay->start);
          g_ptr_array_add (state->models, m);
        }
    }

  for (guint i = 0; i < state->models->len; i++)
    {
      MwModelState *m = g_ptr_array_index (state->models, i);
      ModelSet *model_set = g_hash_table_lookup (replay->models, m->id);

      if (model_set != NULL)
        {
          m->health = model_set->health;
          m->official = model_set->health;
          g_clear_pointer (&m->since, g_date_time_unref);
          m->since = g_date_time_ref (model_set->since);
          g_free (m->reason);
          m->reason = g_strdup (model_set->reason);
        }
      m->stale = FALSE;
      worst = mw_health_worst (worst, m->health);
    }

  if (set != NULL)
    {
      MwHealth health;
      const char *word = json_object_get_string_member_with_default (set, "health", NULL);
      const char *description = json_object_get_string_member_with_default (set, "description", NULL);

      if (word != NULL && mw_health_from_string (word, &health))
        {
          state->page_health = health;
          worst = mw_health_worst (worst, health);
        }
      if (description != NULL)
        {
          g_free (state->description);
          state->description = g_strdup (description);
        }
    }

  state->health = from_page != NULL ? mw_health_worst (state->health, worst) : worst;

  return state;
}

static gboolean
poll_once (gpointer user_data)
{
  Replay *replay = user_data;
  g_autoptr(GPtrArray) providers = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_provider_state_free);
  g_autoptr(MwSnapshot) snapshot = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GError) error = NULL;

  while (replay->next_entry < json_array_get_length (replay->timeline))
    {
      JsonObject *entry = json_array_get_object_element (replay->timeline, replay->next_entry);
      g_autoptr(GDateTime) at = mw_parse_time (json_object_get_string_member_with_default (entry, "at", NULL));

      if (at == NULL)
        {
          g_printerr (_("modelwatch replay: timeline entry %u has no valid “at” time\n"),
                      replay->next_entry + 1);
          replay->status = MW_EXIT_CONFIG;
          g_main_loop_quit (replay->loop);
          return G_SOURCE_REMOVE;
        }
      if (g_date_time_compare (at, replay->now) > 0)
        break;
      if (!apply_entry (replay, entry, at, &error))
        {
          g_printerr ("modelwatch replay: %s\n", error->message);
          replay->status = MW_EXIT_CONFIG;
          g_main_loop_quit (replay->loop);
          return G_SOURCE_REMOVE;
        }
      replay->next_entry++;
    }

  for (guint i = 0; i < mw_catalog_get_n_providers (replay->catalog); i++)
    g_ptr_array_add (providers, build_provider (replay, mw_catalog_get_provider (replay->catalog, i)));

  mw_fallback_fill (replay->catalog, providers);
  snapshot = mw_snapshot_new (replay->now, FALSE, g_steal_pointer (&providers));

  for (guint i = 0; i < mw_snapshot_get_n_providers (snapshot); i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);

      for (guint j = 0; j < provider->models->len; j++)
        print_suggestion (replay, g_ptr_array_index (provider->models, j), snapshot);
    }

  for (guint i = 0; i < mw_snapshot_get_n_providers (snapshot); i++)
    mw_notifier_process (replay->notifier, mw_snapshot_get_provider (snapshot, i)->id, snapshot);

  next = g_date_time_add_seconds (replay->now, replay->interval);
  g_date_time_unref (replay->now);
  replay->now = g_steal_pointer (&next);

  if (g_date_time_compare (replay->now, replay->end) > 0)
    {
      g_main_loop_quit (replay->loop);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* Loading */

static char *
find_scenario (const char *name)
{
  g_autofree char *file = NULL;
  g_autofree char *installed = NULL;

  if (g_file_test (name, G_FILE_TEST_IS_REGULAR) || strchr (name, '/') != NULL)
    return g_strdup (name);

  file = g_str_has_suffix (name, ".json") ? g_strdup (name) : g_strconcat (name, ".json", NULL);
  installed = g_build_filename (PKGDATADIR, "scenarios", file, NULL);
  return g_steal_pointer (&installed);
}

static gboolean
load_scenario (Replay      *replay,
               const char  *path,
               JsonParser  *parser,
               GError     **error)
{
  JsonNode *root;
  JsonObject *object;
  JsonNode *catalog;
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_SYNTAX,
                   _("cannot read scenario %s: %s"), path, local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
                   _("scenario %s is not a JSON object"), path);
      return FALSE;
    }
  object = json_node_get_object (root);

  replay->timeline = mw_json_get_array (object, "timeline");
  replay->interval = json_object_get_int_member_with_default (object, "interval", 60);
  replay->start = mw_parse_time (json_object_get_string_member_with_default (object, "start", NULL));
  replay->end = mw_parse_time (json_object_get_string_member_with_default (object, "end", NULL));
  if (replay->timeline == NULL || replay->start == NULL || replay->end == NULL
      || replay->interval == 0 || g_date_time_compare (replay->start, replay->end) > 0)
    {
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
                   _("scenario %s needs “timeline”, “start” before “end” and a positive “interval”"),
                   path);
      return FALSE;
    }

  catalog = json_object_get_member (object, "catalog");
  if (catalog != NULL && JSON_NODE_HOLDS_OBJECT (catalog))
    {
      g_autofree char *text = json_to_string (catalog, FALSE);
      g_autofree char *source = g_strdup_printf ("%s (catalog)", path);

      replay->catalog = mw_catalog_new_from_data (text, -1, source, error);
    }
  else
    replay->catalog = mw_catalog_load (NULL, error);

  return replay->catalog != NULL;
}

int
mw_cli_replay (int    argc,
               char **argv)
{
  double speed = DEFAULT_SPEED;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("Seconds of scenario time per second (default 60)"), N_("N") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Print the notifications without sending them"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per line"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("SCENARIO — replay a recorded incident"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  MwDamperConfig config;
  Replay replay = { 0 };
  guint period_ms;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Plays a scenario (an installed name such as 2026-06-05-claude, or a file) through\n"
      "the fallback policy, the damping and the notifier, and prints every\n"
      "notification Modelwatch would send."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("modelwatch replay: %s\n", error->message);
      return MW_EXIT_USAGE;
    }
  if (rest == NULL || rest[0] == NULL || rest[1] != NULL || !(speed > 0))
    {
      g_printerr (_("Usage: modelwatch replay SCENARIO [--speed N] [--dry-run] [--json]\n"));
      return MW_EXIT_USAGE;
    }

  path = find_scenario (rest[0]);
  if (!load_scenario (&replay, path, parser, &error))
    {
      g_printerr ("modelwatch replay: %s\n", error->message);
      g_clear_pointer (&replay.start, g_date_time_unref);
      g_clear_pointer (&replay.end, g_date_time_unref);
      return MW_EXIT_CONFIG;
    }

  replay.speed = speed;
  replay.json = json;
  replay.loop = g_main_loop_new (NULL, FALSE);
  replay.now = g_date_time_ref (replay.start);
  replay.models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, model_set_free);
  replay.providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  replay.summaries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) mw_provider_state_free);
  replay.suggestions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* A replay shows what the defaults do, whatever this user configured. */
  replay.notifier = mw_notifier_new (NULL);
  mw_damper_config_init_default (&config);
  mw_notifier_set_config (replay.notifier, &config);
  mw_notifier_set_dry_run (replay.notifier, dry_run);
  g_signal_connect (replay.notifier, "notification", G_CALLBACK (on_notification), &replay);

  if (!json)
    {
      g_autofree char *from = format_clock (replay.start);

      g_print ("%s\n", json_object_get_string_member_with_default (
                         json_node_get_object (json_parser_get_root (parser)), "title", path));
      /* TRANSLATORS: replay output header */
      g_print (_("From %s, a poll every %u s, %g× real time\n\n"), from, replay.interval, speed);
    }

  period_ms = (guint) CLAMP (replay.interval * 1000.0 / speed, 0, G_MAXUINT);
  poll_once (&replay);
  if (g_date_time_compare (replay.now, replay.end) <= 0 && replay.status == 0)
    {
      g_timeout_add (period_ms, poll_once, &replay);
      g_main_loop_run (replay.loop);
    }

  g_object_unref (replay.notifier);
  g_main_loop_unref (replay.loop);
  g_hash_table_unref (replay.models);
  g_hash_table_unref (replay.providers);
  g_hash_table_unref (replay.summaries);
  g_hash_table_unref (replay.suggestions);
  g_date_time_unref (replay.now);
  g_date_time_unref (replay.start);
  g_date_time_unref (replay.end);
  mw_catalog_unref (replay.catalog);

  return replay.status;
}
