/* mw-snapshot.c
 *
 * The immutable, reference-counted state of every provider and model, and
 * its JSON form: what `modelwatch status --json` prints, what the service
 * publishes on D-Bus and what the window parses back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mw-snapshot.h"

struct _MwSnapshot {
  GDateTime *checked_at;
  gboolean   offline;
  MwHealth   health;
  GPtrArray *providers;   /* of MwProviderState */
};

G_DEFINE_QUARK (mw-snapshot-error-quark, mw_snapshot_error)
G_DEFINE_BOXED_TYPE (MwSnapshot, mw_snapshot, mw_snapshot_ref, mw_snapshot_unref)

/* Parts */

MwComponentState *
mw_component_state_new (const char *id,
                        const char *name,
                        MwHealth    health)
{
  MwComponentState *state = g_new0 (MwComponentState, 1);

  state->id = g_strdup (id != NULL ? id : name);
  state->name = g_strdup (name != NULL ? name : id);
  state->health = health;

  return state;
}

void
mw_component_state_free (MwComponentState *state)
{
  if (state == NULL)
    return;

  g_free (state->id);
  g_free (state->name);
  g_free (state);
}

MwUpdateState *
mw_update_state_new (GDateTime  *at,
                     const char *status,
                     const char *body)
{
  MwUpdateState *state = g_new0 (MwUpdateState, 1);

  state->at = at != NULL ? g_date_time_ref (at) : NULL;
  state->status = g_strdup (status);
  state->body = g_strdup (body);

  return state;
}

void
mw_update_state_free (MwUpdateState *state)
{
  if (state == NULL)
    return;

  g_clear_pointer (&state->at, g_date_time_unref);
  g_free (state->status);
  g_free (state->body);
  g_free (state);
}

MwProbeState *
mw_probe_state_new (void)
{
  MwProbeState *state = g_new0 (MwProbeState, 1);

  state->health = MW_HEALTH_UNKNOWN;
  state->latency_ms = -1;

  return state;
}

MwProbeState *
mw_probe_state_copy (const MwProbeState *state)
{
  MwProbeState *copy;

  if (state == NULL)
    return NULL;

  copy = mw_probe_state_new ();
  copy->health = state->health;
  copy->latency_ms = state->latency_ms;
  copy->checked_at = state->checked_at != NULL ? g_date_time_ref (state->checked_at) : NULL;
  copy->error = g_strdup (state->error);
  copy->detail = g_strdup (state->detail);

  return copy;
}

void
mw_probe_state_free (MwProbeState *state)
{
  if (state == NULL)
    return;

  g_clear_pointer (&state->checked_at, g_date_time_unref);
  g_free (state->error);
  g_free (state->detail);
  g_free (state);
}

/**
 * mw_incident_state_new:
 *
 * Returns: an incident with health %MW_HEALTH_DEGRADED (an open incident
 *   is never less), no models, no components and no updates.  @models and
 *   @components may stay %NULL, which means "none".
 */
MwIncidentState *
mw_incident_state_new (const char *id,
                       const char *name)
{
  MwIncidentState *state = g_new0 (MwIncidentState, 1);

  state->id = g_strdup (id != NULL ? id : name);
  state->name = g_strdup (name != NULL ? name : "");
  state->health = MW_HEALTH_DEGRADED;
  state->updates = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_update_state_free);

  return state;
}

MwIncidentState *
mw_incident_state_copy (const MwIncidentState *state)
{
  MwIncidentState *copy;

  if (state == NULL)
    return NULL;

  copy = mw_incident_state_new (state->id, state->name);
  copy->status = g_strdup (state->status);
  copy->impact = g_strdup (state->impact);
  copy->url = g_strdup (state->url);
  copy->health = state->health;
  copy->maintenance = state->maintenance;
  copy->started_at = state->started_at != NULL ? g_date_time_ref (state->started_at) : NULL;
  copy->updated_at = state->updated_at != NULL ? g_date_time_ref (state->updated_at) : NULL;
  copy->models = g_strdupv (state->models);
  copy->components = g_strdupv (state->components);

  for (guint i = 0; state->updates != NULL && i < state->updates->len; i++)
    {
      const MwUpdateState *u = g_ptr_array_index (state->updates, i);

      g_ptr_array_add (copy->updates, mw_update_state_new (u->at, u->status, u->body));
    }

  return copy;
}

void
mw_incident_state_free (MwIncidentState *state)
{
  if (state == NULL)
    return;

  g_free (state->id);
  g_free (state->name);
  g_free (state->status);
  g_free (state->impact);
  g_free (state->url);
  g_clear_pointer (&state->started_at, g_date_time_unref);
  g_clear_pointer (&state->updated_at, g_date_time_unref);
  g_strfreev (state->models);
  g_strfreev (state->components);
  g_clear_pointer (&state->updates, g_ptr_array_unref);
  g_free (state);
}

MwModelState *
mw_model_state_new (const char *global_id,
                    const char *name)
{
  MwModelState *state = g_new0 (MwModelState, 1);

  state->id = g_strdup (global_id);
  state->name = g_strdup (name != NULL ? name : global_id);
  state->health = MW_HEALTH_UNKNOWN;
  state->official = MW_HEALTH_UNKNOWN;

  return state;
}

MwModelState *
mw_model_state_copy (const MwModelState *state)
{
  MwModelState *copy;

  if (state == NULL)
    return NULL;

  copy = mw_model_state_new (state->id, state->name);
  copy->health = state->health;
  copy->official = state->official;
  copy->probe = mw_probe_state_copy (state->probe);
  copy->since = state->since != NULL ? g_date_time_ref (state->since) : NULL;
  copy->reason = g_strdup (state->reason);
  copy->fallback = g_strdup (state->fallback);
  copy->stale = state->stale;

  return copy;
}

void
mw_model_state_free (MwModelState *state)
{
  if (state == NULL)
    return;

  g_free (state->id);
  g_free (state->name);
  g_clear_pointer (&state->probe, mw_probe_state_free);
  g_clear_pointer (&state->since, g_date_time_unref);
  g_free (state->reason);
  g_free (state->fallback);
  g_free (state);
}

/**
 * mw_provider_state_new:
 *
 * Returns: a provider whose health, and whose page's health, are
 *   %MW_HEALTH_UNKNOWN, with empty @components, @incidents and @models
 *   arrays that free their elements.
 */
MwProviderState *
mw_provider_state_new (const char *id,
                       const char *name)
{
  MwProviderState *state = g_new0 (MwProviderState, 1);

  state->id = g_strdup (id);
  state->name = g_strdup (name != NULL ? name : id);
  state->health = MW_HEALTH_UNKNOWN;
  state->page_health = MW_HEALTH_UNKNOWN;
  state->components = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_component_state_free);
  state->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_incident_state_free);
  state->models = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_model_state_free);

  return state;
}

MwProviderState *
mw_provider_state_copy (const MwProviderState *state)
{
  MwProviderState *copy;

  if (state == NULL)
    return NULL;

  copy = mw_provider_state_new (state->id, state->name);
  copy->health = state->health;
  copy->page_url = g_strdup (state->page_url);
  copy->page_health = state->page_health;
  copy->description = g_strdup (state->description);
  copy->fetched_at = state->fetched_at != NULL ? g_date_time_ref (state->fetched_at) : NULL;
  copy->error = g_strdup (state->error);
  copy->probe = mw_probe_state_copy (state->probe);

  for (guint i = 0; state->components != NULL && i < state->components->len; i++)
    {
      const MwComponentState *c = g_ptr_array_index (state->components, i);

      g_ptr_array_add (copy->components, mw_component_state_new (c->id, c->name, c->health));
    }
  for (guint i = 0; state->incidents != NULL && i < state->incidents->len; i++)
    g_ptr_array_add (copy->incidents, mw_incident_state_copy (g_ptr_array_index (state->incidents, i)));
  for (guint i = 0; state->models != NULL && i < state->models->len; i++)
    g_ptr_array_add (copy->models, mw_model_state_copy (g_ptr_array_index (state->models, i)));

  return copy;
}

void
mw_provider_state_free (MwProviderState *state)
{
  if (state == NULL)
    return;

  g_free (state->id);
  g_free (state->name);
  g_free (state->page_url);
  g_free (state->description);
  g_clear_pointer (&state->fetched_at, g_date_time_unref);
  g_free (state->error);
  g_clear_pointer (&state->components, g_ptr_array_unref);
  g_clear_pointer (&state->incidents, g_ptr_array_unref);
  g_clear_pointer (&state->probe, mw_probe_state_free);
  g_clear_pointer (&state->models, g_ptr_array_unref);
  g_free (state);
}

/* The snapshot */

static MwHealth
providers_health (MwSnapshot         *self,
                  const char * const *provider_ids)
{
  MwHealth health = MW_HEALTH_UNKNOWN;

  for (guint i = 0; i < self->providers->len; i++)
    {
      const MwProviderState *p = g_ptr_array_index (self->providers, i);

      if (provider_ids != NULL && !g_strv_contains (provider_ids, p->id))
        continue;

      health = mw_health_worst (health, p->health);
    }

  return health;
}

/**
 * mw_snapshot_new:
 * @checked_at: (transfer none) (nullable): when the state was assembled
 * @offline: whether the machine had no network
 * @providers: (transfer full) (nullable): a #GPtrArray of #MwProviderState
 *
 * The snapshot steals @providers and sets its free function to
 * mw_provider_state_free(), so the caller must not free the states.  The
 * overall health is the worst of the providers' health.
 *
 * Returns: (transfer full): a new snapshot
 */
MwSnapshot *
mw_snapshot_new (GDateTime *checked_at,
                 gboolean   offline,
                 GPtrArray *providers)
{
  MwSnapshot *self = g_atomic_rc_box_new0 (MwSnapshot);

  self->checked_at = checked_at != NULL ? g_date_time_ref (checked_at) : NULL;
  self->offline = !!offline;
  self->providers = providers != NULL ? providers : g_ptr_array_new ();
  g_ptr_array_set_free_func (self->providers, (GDestroyNotify) mw_provider_state_free);
  /* A hole would crash every reader of the snapshot. */
  while (g_ptr_array_remove (self->providers, NULL))
    ;
  self->health = providers_health (self, NULL);

  return self;
}

MwSnapshot *
mw_snapshot_ref (MwSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
snapshot_clear (gpointer data)
{
  MwSnapshot *self = data;

  g_clear_pointer (&self->checked_at, g_date_time_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
}

void
mw_snapshot_unref (MwSnapshot *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, snapshot_clear);
}

GDateTime *
mw_snapshot_get_checked_at (MwSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->checked_at;
}

MwHealth
mw_snapshot_get_health (MwSnapshot *self)
{
  g_return_val_if_fail (self != NULL, MW_HEALTH_UNKNOWN);

  return self->health;
}

gboolean
mw_snapshot_get_offline (MwSnapshot *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->offline;
}

guint
mw_snapshot_get_n_providers (MwSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->providers->len;
}

const MwProviderState *
mw_snapshot_get_provider (MwSnapshot *self,
                          guint       index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->providers->len, NULL);

  return g_ptr_array_index (self->providers, index);
}

const MwProviderState *
mw_snapshot_find_provider (MwSnapshot *self,
                           const char *provider_id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; provider_id != NULL && i < self->providers->len; i++)
    {
      const MwProviderState *p = g_ptr_array_index (self->providers, i);

      if (g_strcmp0 (p->id, provider_id) == 0)
        return p;
    }

  return NULL;
}

const MwModelState *
mw_snapshot_find_model (MwSnapshot *self,
                        const char *global_id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; global_id != NULL && i < self->providers->len; i++)
    {
      const MwProviderState *p = g_ptr_array_index (self->providers, i);

      for (guint j = 0; j < p->models->len; j++)
        {
          const MwModelState *m = g_ptr_array_index (p->models, j);

          if (g_strcmp0 (m->id, global_id) == 0)
            return m;
        }
    }

  return NULL;
}

/* Formatting */

/* Writes @time as mw_format_iso8601() does into @text, which holds
 * ISO8601_MAX bytes, and returns its length. */
#define ISO8601_MAX 32

static gsize
format_iso8601 (GDateTime *time,
                char      *text)
{
  g_autoptr(GDateTime) utc = NULL;
  int year, month, day;

  /* What g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") prints, at a
   * fraction of its cost (it runs for every time of every snapshot).
   * Most times were read as UTC already: with no offset, the fields of
   * @time are those of UTC. */
  if (g_date_time_get_utc_offset (time) != 0)
    time = utc = g_date_time_to_utc (time);
  g_date_time_get_ymd (time, &year, &month, &day);

  if (year >= 1000)
    {
      int fields[] = { year / 100, year % 100, month, day, g_date_time_get_hour (time),
                       g_date_time_get_minute (time), g_date_time_get_second (time) };
      static const char pattern[] = "YYyy-mm-ddTHH:MM:SSZ";
      const guint at[] = { 0, 2, 5, 8, 11, 14, 17 };

      memcpy (text, pattern, sizeof pattern);
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          text[at[i]] = (char) ('0' + fields[i] / 10);
          text[at[i] + 1] = (char) ('0' + fields[i] % 10);
        }
      return sizeof pattern - 1;
    }

  return (gsize) g_snprintf (text, ISO8601_MAX, "%d-%02d-%02dT%02d:%02d:%02dZ", year, month, day,
                             g_date_time_get_hour (time), g_date_time_get_minute (time),
                             g_date_time_get_second (time));
}

/**
 * mw_format_iso8601:
 * @time: (nullable): a time in any zone
 *
 * Returns: (nullable): @time in UTC as "2026-06-05T15:10:02Z", whole
 *   seconds, or %NULL for a %NULL @time
 */
char *
mw_format_iso8601 (GDateTime *time)
{
  char text[ISO8601_MAX];
  gsize len;

  if (time == NULL)
    return NULL;

  len = format_iso8601 (time, text);
  return g_strndup (text, len);
}

/**
 * mw_format_duration:
 * @span: a duration in microseconds; negative counts as zero
 *
 * Returns: a short translated duration: "45 s", "35 min", "2 h 04 min",
 *   "3 d 02 h"
 */
char *
mw_format_duration (GTimeSpan span)
{
  gint64 secs = MAX (span, 0) / G_TIME_SPAN_SECOND;

  if (secs < 60)
    /* TRANSLATORS: a duration in seconds, as in "45 s" */
    return g_strdup_printf (_("%d s"), (int) secs);

  if (secs < 3600)
    /* TRANSLATORS: a duration in minutes, as in "35 min" */
    return g_strdup_printf (_("%d min"), (int) (secs / 60));

  if (secs < 86400)
    /* TRANSLATORS: hours and minutes, as in "2 h 04 min" */
    return g_strdup_printf (_("%d h %02d min"), (int) (secs / 3600), (int) (secs % 3600 / 60));

  /* TRANSLATORS: days and hours, as in "3 d 02 h" */
  return g_strdup_printf (_("%d d %02d h"), (int) (secs / 86400), (int) (secs % 86400 / 3600));
}

/* To JSON */

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *key,
          GDateTime   *time)
{
  g_autofree char *text = mw_format_iso8601 (time);

  add_string (builder, key, text);
}

static void
add_health (JsonBuilder *builder,
            const char  *key,
            MwHealth     health)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, mw_health_to_string (health));
}

static void
add_strv (JsonBuilder        *builder,
          const char         *key,
          const char * const *strv)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_probe (JsonBuilder        *builder,
           const char         *key,
           const MwProbeState *probe)
{
  json_builder_set_member_name (builder, key);
  if (probe == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  add_health (builder, "health", probe->health);
  json_builder_set_member_name (builder, "latency_ms");
  if (probe->latency_ms >= 0)
    json_builder_add_int_value (builder, probe->latency_ms);
  else
    json_builder_add_null_value (builder);
  add_time (builder, "checked_at", probe->checked_at);
  add_string (builder, "error", probe->error);
  add_string (builder, "detail", probe->detail);
  json_builder_end_object (builder);
}

static void
add_incident (JsonBuilder           *builder,
              const MwIncidentState *incident)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", incident->id);
  add_string (builder, "name", incident->name);
  add_string (builder, "status", incident->status);
  add_string (builder, "impact", incident->impact);
  add_string (builder, "url", incident->url);
  add_time (builder, "started_at", incident->started_at);
  add_time (builder, "updated_at", incident->updated_at);
  add_strv (builder, "models", (const char * const *) incident->models);
  /* Additions to the DESIGN.md shape; consumers that do not know them ignore them. */
  add_health (builder, "health", incident->health);
  json_builder_set_member_name (builder, "maintenance");
  json_builder_add_boolean_value (builder, incident->maintenance);
  add_strv (builder, "components", (const char * const *) incident->components);
  json_builder_set_member_name (builder, "updates");
  json_builder_begin_array (builder);
  for (guint i = 0; incident->updates != NULL && i < incident->updates->len; i++)
    {
      const MwUpdateState *u = g_ptr_array_index (incident->updates, i);

      json_builder_begin_object (builder);
      add_time (builder, "at", u->at);
      add_string (builder, "status", u->status);
      add_string (builder, "body", u->body);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_model (JsonBuilder        *builder,
           const MwModelState *model)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", model->id);
  add_string (builder, "name", model->name);
  add_health (builder, "health", model->health);
  add_time (builder, "since", model->since);
  add_string (builder, "reason", model->reason);
  json_builder_set_member_name (builder, "signals");
  json_builder_begin_object (builder);
  add_health (builder, "official", model->official);
  /* null, not "unknown": the model has no probe at all */
  if (model->probe != NULL)
    add_health (builder, "probe", model->probe->health);
  else
    add_string (builder, "probe", NULL);
  json_builder_end_object (builder);
  add_string (builder, "fallback", model->fallback);
  json_builder_set_member_name (builder, "stale");
  json_builder_add_boolean_value (builder, model->stale);
  /* Addition: the probe behind signals.probe, for its latency and detail. */
  add_probe (builder, "probe", model->probe);
  json_builder_end_object (builder);
}

static void
add_provider (JsonBuilder           *builder,
              const MwProviderState *provider)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", provider->id);
  add_string (builder, "name", provider->name);
  add_health (builder, "health", provider->health);

  json_builder_set_member_name (builder, "status_page");
  json_builder_begin_object (builder);
  add_string (builder, "url", provider->page_url);
  add_health (builder, "health", provider->page_health);
  add_string (builder, "description", provider->description);
  add_time (builder, "fetched_at", provider->fetched_at);
  add_string (builder, "error", provider->error);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "components");
  json_builder_begin_array (builder);
  for (guint i = 0; i < provider->components->len; i++)
    {
      const MwComponentState *c = g_ptr_array_index (provider->components, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", c->id);
      add_string (builder, "name", c->name);
      add_health (builder, "health", c->health);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "incidents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < provider->incidents->len; i++)
    add_incident (builder, g_ptr_array_index (provider->incidents, i));
  json_builder_end_array (builder);

  add_probe (builder, "probe", provider->probe);

  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);
  for (guint i = 0; i < provider->models->len; i++)
    add_model (builder, g_ptr_array_index (provider->models, i));
  json_builder_end_array (builder);

  json_builder_end_object (builder);
}

/**
 * mw_snapshot_to_json_node:
 * @provider_ids: (nullable): the providers to include, %NULL for all
 *
 * Builds the object of DESIGN.md "status --json".  With @provider_ids,
 * only those providers are listed and the top-level "health" is the worst
 * of them alone.  Beyond the contract it carries "offline" at the top,
 * "health", "maintenance", "components" and "updates" on incidents, and
 * "probe" on models, so that mw_snapshot_new_from_json() loses nothing.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
mw_snapshot_to_json_node (MwSnapshot         *self,
                          const char * const *provider_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  add_time (builder, "checked_at", self->checked_at);
  add_health (builder, "health", providers_health (self, provider_ids));
  json_builder_set_member_name (builder, "offline");
  json_builder_add_boolean_value (builder, self->offline);
  json_builder_set_member_name (builder, "providers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->providers->len; i++)
    {
      const MwProviderState *p = g_ptr_array_index (self->providers, i);

      if (provider_ids == NULL || g_strv_contains (provider_ids, p->id))
        add_provider (builder, p);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The text of mw_snapshot_to_json() is written directly, without a
 * JsonBuilder tree and a JsonGenerator: on `status --once --json` with 50
 * providers the tree cost about ten times the text. The output is byte
 * for byte what JsonGenerator (json-glib 1.6) prints for
 * mw_snapshot_to_json_node(), quirks included (its escaping, "[]" for an
 * empty array); tests/test-snapshot-writer.c holds the two together. */

#define WRITER_MAX_DEPTH 8

typedef struct {
  GString  *out;
  gboolean  pretty;
  guint     depth;                        /* open containers */
  gboolean  empty[WRITER_MAX_DEPTH + 1];  /* nothing in the container at this depth yet */
} Writer;

/* g_string_append_len() without the call: the pieces are a few bytes
 * each, thousands of them, and the call costs more than the copy. */
static inline void
writer_put (GString    *out,
            const char *bytes,
            gsize       n)
{
  if (G_UNLIKELY (out->len + n >= out->allocated_len))
    {
      g_string_append_len (out, bytes, (gssize) n);
      return;
    }

  memcpy (out->str + out->len, bytes, n);
  out->len += n;
  out->str[out->len] = '\0';
}

/* The bytes that end a run of plain text in writer_escape(): the ones
 * it escapes, and NUL. */
static const guint8 run_ends[256] = {
  [0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

/* json-glib's json_strescape(), except for 0x1f: '"' and '\\' escaped,
 * \b \f \n \r \t by name, the other bytes from 0x01 to 0x1f and 0x7f as
 * \u00XX (json-glib 1.6 leaves 0x1f raw, which RFC 8259 forbids); every
 * byte >= 0x80 goes through as it is. Runs of plain bytes are copied in
 * one go. */
static void
writer_escape (GString    *out,
               const char *str)
{
  const guchar *p = (const guchar *) str;

  for (;;)
    {
      const guchar *run = p;
      const char *named;
      char code[7];

      while (!run_ends[*p])
        p++;
      writer_put (out, (const char *) run, (gsize) (p - run));
      if (*p == '\0')
        return;

      switch (*p)
        {
        case '"': named = "\\\""; break;
        case '\\': named = "\\\\"; break;
        case '\b': named = "\\b"; break;
        case '\f': named = "\\f"; break;
        case '\n': named = "\\n"; break;
        case '\r': named = "\\r"; break;
        case '\t': named = "\\t"; break;
        default:
          g_snprintf (code, sizeof code, "\\u00%02x", (guint) *p);
          named = code;
          break;
        }
      writer_put (out, named, strlen (named));
      p++;
    }
}

/* What comes before a value: the separator from the previous one, the
 * line break and indentation, and "key" : */
static void
writer_key (Writer     *w,
            const char *key)
{
  if (w->depth > 0)
    {
      /* ",\n" and the indentation of the deepest level, of which a
       * prefix or a suffix is what a member needs */
      static const char separator[2 + 2 * WRITER_MAX_DEPTH + 1] = ",\n                ";
      gboolean first = w->empty[w->depth];

      w->empty[w->depth] = FALSE;
      if (w->pretty)
        writer_put (w->out, separator + first, 2 - first + 2 * w->depth);
      else if (!first)
        writer_put (w->out, separator, 1);
    }

  /* keys are the literals of this file: nothing in them to escape */
  if (key != NULL)
    {
      writer_put (w->out, "\"", 1);
      writer_put (w->out, key, strlen (key));
      if (w->pretty)
        writer_put (w->out, "\" : ", 4);
      else
        writer_put (w->out, "\":", 2);
    }
}

static void
writer_begin (Writer     *w,
              const char *key,
              char        open)
{
  g_assert (w->depth < WRITER_MAX_DEPTH);

  writer_key (w, key);
  writer_put (w->out, &open, 1);
  w->depth++;
  w->empty[w->depth] = TRUE;
}

static void
writer_end (Writer *w,
            char    close)
{
  static const char indent[1 + 2 * WRITER_MAX_DEPTH + 1] = "\n                ";
  gboolean empty = w->empty[w->depth];

  w->depth--;
  if (w->pretty)
    {
      /* JsonGenerator: "[]" and "{  }" (indented, no line break) when empty */
      if (!empty)
        writer_put (w->out, indent, 1 + 2 * w->depth);
      else if (close == '}')
        writer_put (w->out, indent + 1, 2 * w->depth);
    }
  writer_put (w->out, &close, 1);
}

static void
writer_raw (Writer     *w,
            const char *key,
            const char *text)
{
  writer_key (w, key);
  writer_put (w->out, text, strlen (text));
}

static void
writer_string (Writer     *w,
               const char *key,
               const char *value)
{
  if (value == NULL)
    {
      writer_raw (w, key, "null");
      return;
    }

  writer_key (w, key);
  writer_put (w->out, "\"", 1);
  writer_escape (w->out, value);
  writer_put (w->out, "\"", 1);
}

/* Times are digits and "-:TZ": nothing to escape. */
static void
writer_time (Writer     *w,
             const char *key,
             GDateTime  *time)
{
  char text[ISO8601_MAX];
  gsize len;

  if (time == NULL)
    {
      writer_raw (w, key, "null");
      return;
    }

  len = format_iso8601 (time, text);
  writer_key (w, key);
  writer_put (w->out, "\"", 1);
  writer_put (w->out, text, len);
  writer_put (w->out, "\"", 1);
}

static void
writer_strv (Writer             *w,
             const char         *key,
             const char * const *strv)
{
  writer_begin (w, key, '[');
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    writer_string (w, NULL, strv[i]);
  writer_end (w, ']');
}

static void
write_probe (Writer             *w,
             const char         *key,
             const MwProbeState *probe)
{
  if (probe == NULL)
    {
      writer_raw (w, key, "null");
      return;
    }

  writer_begin (w, key, '{');
  writer_string (w, "health", mw_health_to_string (probe->health));
  if (probe->latency_ms >= 0)
    {
      writer_key (w, "latency_ms");
      g_string_append_printf (w->out, "%" G_GINT64_FORMAT, probe->latency_ms);
    }
  else
    writer_raw (w, "latency_ms", "null");
  writer_time (w, "checked_at", probe->checked_at);
  writer_string (w, "error", probe->error);
  writer_string (w, "detail", probe->detail);
  writer_end (w, '}');
}

static void
write_incident (Writer                *w,
                const MwIncidentState *incident)
{
  writer_begin (w, NULL, '{');
  writer_string (w, "id", incident->id);
  writer_string (w, "name", incident->name);
  writer_string (w, "status", incident->status);
  writer_string (w, "impact", incident->impact);
  writer_string (w, "url", incident->url);
  writer_time (w, "started_at", incident->started_at);
  writer_time (w, "updated_at", incident->updated_at);
  writer_strv (w, "models", (const char * const *) incident->models);
  writer_string (w, "health", mw_health_to_string (incident->health));
  writer_raw (w, "maintenance", incident->maintenance ? "true" : "false");
  writer_strv (w, "components", (const char * const *) incident->components);
  writer_begin (w, "updates", '[');
  for (guint i = 0; incident->updates != NULL && i < incident->updates->len; i++)
    {
      const MwUpdateState *u = g_ptr_array_index (incident->updates, i);

      writer_begin (w, NULL, '{');
      writer_time (w, "at", u->at);
      writer_string (w, "status", u->status);
      writer_string (w, "body", u->body);
      writer_end (w, '}');
    }
  writer_end (w, ']');
  writer_end (w, '}');
}

static void
write_model (Writer             *w,
             const MwModelState *model)
{
  writer_begin (w, NULL, '{');
  writer_string (w, "id", model->id);
  writer_string (w, "name", model->name);
  writer_string (w, "health", mw_health_to_string (model->health));
  writer_time (w, "since", model->since);
  writer_string (w, "reason", model->reason);
  writer_begin (w, "signals", '{');
  writer_string (w, "official", mw_health_to_string (model->official));
  writer_string (w, "probe", model->probe != NULL ? mw_health_to_string (model->probe->health) : NULL);
  writer_end (w, '}');
  writer_string (w, "fallback", model->fallback);
  writer_raw (w, "stale", model->stale ? "true" : "false");
  write_probe (w, "probe", model->probe);
  writer_end (w, '}');
}

static void
write_provider (Writer                *w,
                const MwProviderState *provider)
{
  writer_begin (w, NULL, '{');
  writer_string (w, "id", provider->id);
  writer_string (w, "name", provider->name);
  writer_string (w, "health", mw_health_to_string (provider->health));

  writer_begin (w, "status_page", '{');
  writer_string (w, "url", provider->page_url);
  writer_string (w, "health", mw_health_to_string (provider->page_health));
  writer_string (w, "description", provider->description);
  writer_time (w, "fetched_at", provider->fetched_at);
  writer_string (w, "error", provider->error);
  writer_end (w, '}');

  writer_begin (w, "components", '[');
  for (guint i = 0; i < provider->components->len; i++)
    {
      const MwComponentState *c = g_ptr_array_index (provider->components, i);

      writer_begin (w, NULL, '{');
      writer_string (w, "id", c->id);
      writer_string (w, "name", c->name);
      writer_string (w, "health", mw_health_to_string (c->health));
      writer_end (w, '}');
    }
  writer_end (w, ']');

  writer_begin (w, "incidents", '[');
  for (guint i = 0; i < provider->incidents->len; i++)
    write_incident (w, g_ptr_array_index (provider->incidents, i));
  writer_end (w, ']');

  write_probe (w, "probe", provider->probe);

  writer_begin (w, "models", '[');
  for (guint i = 0; i < provider->models->len; i++)
    write_model (w, g_ptr_array_index (provider->models, i));
  writer_end (w, ']');

  writer_end (w, '}');
}

/**
 * mw_snapshot_to_json:
 * @provider_ids: (nullable): the providers to include, %NULL for all
 * @pretty: whether to indent by two spaces, one member a line
 *
 * Returns: (transfer full): the text of mw_snapshot_to_json_node(), as
 *   JsonGenerator would print it
 */
char *
mw_snapshot_to_json (MwSnapshot         *self,
                     const char * const *provider_ids,
                     gboolean            pretty)
{
  Writer w = { 0 };

  g_return_val_if_fail (self != NULL, NULL);

  /* a provider with a few components and models takes about 2 KB pretty */
  w.out = g_string_sized_new (1024 + self->providers->len * 2048);
  w.pretty = pretty;

  writer_begin (&w, NULL, '{');
  writer_time (&w, "checked_at", self->checked_at);
  writer_string (&w, "health", mw_health_to_string (providers_health (self, provider_ids)));
  writer_raw (&w, "offline", self->offline ? "true" : "false");
  writer_begin (&w, "providers", '[');
  for (guint i = 0; i < self->providers->len; i++)
    {
      const MwProviderState *p = g_ptr_array_index (self->providers, i);

      if (provider_ids == NULL || g_strv_contains (provider_ids, p->id))
        write_provider (&w, p);
    }
  writer_end (&w, ']');
  writer_end (&w, '}');

  return g_string_free (w.out, FALSE);
}

/* From JSON.  The text comes from our own service, so the shape is
 * checked strictly: a mismatch means a version skew or a bug, and the
 * window must say so rather than show a half-read state. */

static gboolean
invalid (GError    **error,
         const char *path,
         const char *key)
{
  g_set_error (error, MW_SNAPSHOT_ERROR, MW_SNAPSHOT_ERROR_INVALID,
               _("The service sent a snapshot in an unexpected form (“%s%s%s”)"),
               path, *path != '\0' ? "." : "", key);
  return FALSE;
}

/* A nullable string member: absent and null are NULL. */
static gboolean
read_string (JsonObject  *object,
             const char  *path,
             const char  *key,
             gboolean     required,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? invalid (error, path, key) : TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, path, key);

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_time (JsonObject  *object,
           const char  *path,
           const char  *key,
           GDateTime  **out,
           GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  *out = NULL;
  if (!read_string (object, path, key, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = g_date_time_new_from_iso8601 (text, utc);
  if (*out == NULL)
    return invalid (error, path, key);

  return TRUE;
}

static gboolean
read_health (JsonObject  *object,
             const char  *path,
             const char  *key,
             MwHealth    *out,
             GError     **error)
{
  g_autofree char *word = NULL;

  if (!read_string (object, path, key, TRUE, &word, error))
    return FALSE;
  if (!mw_health_from_string (word, out))
    return invalid (error, path, key);

  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *path,
           const char  *key,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, path, key);

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Absent and null are an empty list. */
static gboolean
read_array (JsonObject  *object,
            const char  *path,
            const char  *key,
            JsonArray  **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, path, key);

  *out = json_node_get_array (node);
  return TRUE;
}

static JsonObject *
array_object (JsonArray  *array,
              guint       index,
              const char *path,
              const char *key,
              GError    **error)
{
  JsonNode *node = json_array_get_element (array, index);
  g_autofree char *item = g_strdup_printf ("%s[%u]", key, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, path, item);
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
read_strv (JsonObject  *object,
           const char  *path,
           const char  *key,
           GStrv       *out,
           GError     **error)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  *out = NULL;
  if (!read_array (object, path, key, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return invalid (error, path, key);
      g_strv_builder_add (builder, json_node_get_string (node));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_probe (JsonObject    *object,
            const char    *path,
            const char    *key,
            MwProbeState **out,
            GError       **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *sub = g_strdup_printf ("%s%s%s", path, *path != '\0' ? "." : "", key);
  MwProbeState *probe;
  JsonObject *o;
  JsonNode *latency;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, path, key);

  o = json_node_get_object (node);
  probe = mw_probe_state_new ();
  if (!read_health (o, sub, "health", &probe->health, error) ||
      !read_time (o, sub, "checked_at", &probe->checked_at, error) ||
      !read_string (o, sub, "error", FALSE, &probe->error, error) ||
      !read_string (o, sub, "detail", FALSE, &probe->detail, error))
    {
      mw_probe_state_free (probe);
      return FALSE;
    }

  latency = json_object_get_member (o, "latency_ms");
  if (latency != NULL && !JSON_NODE_HOLDS_NULL (latency))
    {
      if (!JSON_NODE_HOLDS_VALUE (latency) || json_node_get_value_type (latency) != G_TYPE_INT64)
        {
          mw_probe_state_free (probe);
          return invalid (error, sub, "latency_ms");
        }
      probe->latency_ms = json_node_get_int (latency);
    }

  *out = probe;
  return TRUE;
}

static MwIncidentState *
read_incident (JsonObject  *o,
               const char  *path,
               GError     **error)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *updates_path = NULL;
  MwIncidentState *incident;
  JsonArray *updates;
  gboolean has_health = json_object_has_member (o, "health");

  if (!read_string (o, path, "id", TRUE, &id, error) ||
      !read_string (o, path, "name", FALSE, &name, error))
    return NULL;

  incident = mw_incident_state_new (id, name);
  if (!read_string (o, path, "status", FALSE, &incident->status, error) ||
      !read_string (o, path, "impact", FALSE, &incident->impact, error) ||
      !read_string (o, path, "url", FALSE, &incident->url, error) ||
      !read_time (o, path, "started_at", &incident->started_at, error) ||
      !read_time (o, path, "updated_at", &incident->updated_at, error) ||
      !read_strv (o, path, "models", &incident->models, error) ||
      !read_strv (o, path, "components", &incident->components, error) ||
      !read_bool (o, path, "maintenance", &incident->maintenance, error) ||
      (has_health && !read_health (o, path, "health", &incident->health, error)) ||
      !read_array (o, path, "updates", &updates, error))
    {
      mw_incident_state_free (incident);
      return NULL;
    }

  if (!has_health)
    incident->health = incident->maintenance ? MW_HEALTH_MAINTENANCE
                                             : mw_health_worst (mw_health_from_impact (incident->impact),
                                                                MW_HEALTH_DEGRADED);

  updates_path = g_strdup_printf ("%s.updates", path);
  for (guint i = 0; updates != NULL && i < json_array_get_length (updates); i++)
    {
      JsonObject *u = array_object (updates, i, path, "updates", error);
      g_autoptr(GDateTime) at = NULL;
      g_autofree char *status = NULL;
      g_autofree char *body = NULL;

      if (u == NULL ||
          !read_time (u, updates_path, "at", &at, error) ||
          !read_string (u, updates_path, "status", FALSE, &status, error) ||
          !read_string (u, updates_path, "body", FALSE, &body, error))
        {
          mw_incident_state_free (incident);
          return NULL;
        }
      g_ptr_array_add (incident->updates, mw_update_state_new (at, status, body));
    }

  return incident;
}

static MwModelState *
read_model (JsonObject  *o,
            const char  *path,
            GError     **error)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *signals_path = g_strdup_printf ("%s.signals", path);
  MwModelState *model;
  JsonNode *signals;

  if (!read_string (o, path, "id", TRUE, &id, error) ||
      !read_string (o, path, "name", FALSE, &name, error))
    return NULL;

  model = mw_model_state_new (id, name);
  if (!read_health (o, path, "health", &model->health, error) ||
      !read_time (o, path, "since", &model->since, error) ||
      !read_string (o, path, "reason", FALSE, &model->reason, error) ||
      !read_string (o, path, "fallback", FALSE, &model->fallback, error) ||
      !read_bool (o, path, "stale", &model->stale, error) ||
      !read_probe (o, path, "probe", &model->probe, error))
    {
      mw_model_state_free (model);
      return NULL;
    }

  signals = json_object_get_member (o, "signals");
  if (signals != NULL && !JSON_NODE_HOLDS_NULL (signals))
    {
      JsonObject *s;
      g_autofree char *probe_word = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (signals))
        {
          mw_model_state_free (model);
          invalid (error, path, "signals");
          return NULL;
        }
      s = json_node_get_object (signals);
      if (!read_health (s, signals_path, "official", &model->official, error) ||
          !read_string (s, signals_path, "probe", FALSE, &probe_word, error))
        {
          mw_model_state_free (model);
          return NULL;
        }

      /* A consumer that only knows the contract's shape: the word alone. */
      if (probe_word != NULL && model->probe == NULL)
        {
          model->probe = mw_probe_state_new ();
          if (!mw_health_from_string (probe_word, &model->probe->health))
            {
              mw_model_state_free (model);
              invalid (error, signals_path, "probe");
              return NULL;
            }
        }
    }

  return model;
}

static MwProviderState *
read_provider (JsonObject  *o,
               const char  *path,
               GError     **error)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *page_path = g_strdup_printf ("%s.status_page", path);
  MwProviderState *provider;
  JsonNode *page;
  JsonArray *components, *incidents, *models;

  if (!read_string (o, path, "id", TRUE, &id, error) ||
      !read_string (o, path, "name", FALSE, &name, error))
    return NULL;

  provider = mw_provider_state_new (id, name);
  if (!read_health (o, path, "health", &provider->health, error) ||
      !read_probe (o, path, "probe", &provider->probe, error) ||
      !read_array (o, path, "components", &components, error) ||
      !read_array (o, path, "incidents", &incidents, error) ||
      !read_array (o, path, "models", &models, error))
    goto fail;

  page = json_object_get_member (o, "status_page");
  if (page != NULL && !JSON_NODE_HOLDS_NULL (page))
    {
      JsonObject *p;

      if (!JSON_NODE_HOLDS_OBJECT (page))
        {
          invalid (error, path, "status_page");
          goto fail;
        }
      p = json_node_get_object (page);
      if (!read_string (p, page_path, "url", FALSE, &provider->page_url, error) ||
          !read_health (p, page_path, "health", &provider->page_health, error) ||
          !read_string (p, page_path, "description", FALSE, &provider->description, error) ||
          !read_time (p, page_path, "fetched_at", &provider->fetched_at, error) ||
          !read_string (p, page_path, "error", FALSE, &provider->error, error))
        goto fail;
    }

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *c = array_object (components, i, path, "components", error);
      g_autofree char *sub = g_strdup_printf ("%s.components[%u]", path, i);
      g_autofree char *cid = NULL;
      g_autofree char *cname = NULL;
      MwHealth health;

      if (c == NULL ||
          !read_string (c, sub, "id", TRUE, &cid, error) ||
          !read_string (c, sub, "name", FALSE, &cname, error) ||
          !read_health (c, sub, "health", &health, error))
        goto fail;
      g_ptr_array_add (provider->components, mw_component_state_new (cid, cname, health));
    }

  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *item = array_object (incidents, i, path, "incidents", error);
      g_autofree char *sub = g_strdup_printf ("%s.incidents[%u]", path, i);
      MwIncidentState *incident;

      if (item == NULL || (incident = read_incident (item, sub, error)) == NULL)
        goto fail;
      g_ptr_array_add (provider->incidents, incident);
    }

  for (guint i = 0; models != NULL && i < json_array_get_length (models); i++)
    {
      JsonObject *item = array_object (models, i, path, "models", error);
      g_autofree char *sub = g_strdup_printf ("%s.models[%u]", path, i);
      MwModelState *model;

      if (item == NULL || (model = read_model (item, sub, error)) == NULL)
        goto fail;
      g_ptr_array_add (provider->models, model);
    }

  return provider;

fail:
  mw_provider_state_free (provider);
  return NULL;
}

/**
 * mw_snapshot_new_from_json:
 * @json: the text of mw_snapshot_to_json()
 *
 * Parses a snapshot back, as the window and `modelwatch status` do with
 * what the service publishes.  Keys this version does not know are
 * ignored; a known key with the wrong type, a health word outside the six
 * or a time that is not ISO 8601 is %MW_SNAPSHOT_ERROR_INVALID.
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL with @error set
 */
MwSnapshot *
mw_snapshot_new_from_json (const char  *json,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GDateTime) checked_at = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *array;
  gboolean offline;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, MW_SNAPSHOT_ERROR, MW_SNAPSHOT_ERROR_SYNTAX,
                   _("The service sent a snapshot that is not JSON (%s)"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, "", "(root)");
      return NULL;
    }

  object = json_node_get_object (root);
  if (!read_time (object, "", "checked_at", &checked_at, error) ||
      !read_bool (object, "", "offline", &offline, error))
    return NULL;

  if (!json_object_has_member (object, "providers"))
    {
      invalid (error, "", "providers");
      return NULL;
    }
  if (!read_array (object, "", "providers", &array, error))
    return NULL;

  providers = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_provider_state_free);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *item = array_object (array, i, "", "providers", error);
      g_autofree char *path = g_strdup_printf ("providers[%u]", i);
      MwProviderState *provider;

      if (item == NULL || (provider = read_provider (item, path, error)) == NULL)
        return NULL;
      g_ptr_array_add (providers, provider);
    }

  return mw_snapshot_new (checked_at, offline, g_steal_pointer (&providers));
}

/* Equality: content only.  The times at which we looked (checked_at,
 * fetched_at, a probe's checked_at) move on every poll and are not news;
 * other times are compared to the second, which is what JSON carries. */

static gboolean
time_equal (GDateTime *a,
            GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_date_time_to_unix (a) == g_date_time_to_unix (b);
}

static gboolean
strv_equal (char **a,
            char **b)
{
  guint na = a != NULL ? g_strv_length (a) : 0;
  guint nb = b != NULL ? g_strv_length (b) : 0;

  if (na != nb)
    return FALSE;

  for (guint i = 0; i < na; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;

  return TRUE;
}

static gboolean
probe_equal (const MwProbeState *a,
             const MwProbeState *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return a->health == b->health &&
         a->latency_ms == b->latency_ms &&
         g_strcmp0 (a->error, b->error) == 0 &&
         g_strcmp0 (a->detail, b->detail) == 0;
}

static gboolean
incident_equal (const MwIncidentState *a,
                const MwIncidentState *b)
{
  guint na = a->updates != NULL ? a->updates->len : 0;
  guint nb = b->updates != NULL ? b->updates->len : 0;

  if (g_strcmp0 (a->id, b->id) != 0 ||
      g_strcmp0 (a->name, b->name) != 0 ||
      g_strcmp0 (a->status, b->status) != 0 ||
      g_strcmp0 (a->impact, b->impact) != 0 ||
      g_strcmp0 (a->url, b->url) != 0 ||
      a->health != b->health ||
      !a->maintenance != !b->maintenance ||
      !time_equal (a->started_at, b->started_at) ||
      !time_equal (a->updated_at, b->updated_at) ||
      !strv_equal (a->models, b->models) ||
      !strv_equal (a->components, b->components) ||
      na != nb)
    return FALSE;

  for (guint i = 0; i < na; i++)
    {
      const MwUpdateState *ua = g_ptr_array_index (a->updates, i);
      const MwUpdateState *ub = g_ptr_array_index (b->updates, i);

      if (!time_equal (ua->at, ub->at) ||
          g_strcmp0 (ua->status, ub->status) != 0 ||
          g_strcmp0 (ua->body, ub->body) != 0)
        return FALSE;
    }

  return TRUE;
}

static gboolean
model_equal (const MwModelState *a,
             const MwModelState *b)
{
  return g_strcmp0 (a->id, b->id) == 0 &&
         g_strcmp0 (a->name, b->name) == 0 &&
         a->health == b->health &&
         a->official == b->official &&
         probe_equal (a->probe, b->probe) &&
         time_equal (a->since, b->since) &&
         g_strcmp0 (a->reason, b->reason) == 0 &&
         g_strcmp0 (a->fallback, b->fallback) == 0 &&
         !a->stale == !b->stale;
}

static gboolean
provider_equal (const MwProviderState *a,
                const MwProviderState *b)
{
  if (g_strcmp0 (a->id, b->id) != 0 ||
      g_strcmp0 (a->name, b->name) != 0 ||
      a->health != b->health ||
      g_strcmp0 (a->page_url, b->page_url) != 0 ||
      a->page_health != b->page_health ||
      g_strcmp0 (a->description, b->description) != 0 ||
      g_strcmp0 (a->error, b->error) != 0 ||
      !probe_equal (a->probe, b->probe) ||
      a->components->len != b->components->len ||
      a->incidents->len != b->incidents->len ||
      a->models->len != b->models->len)
    return FALSE;

  for (guint i = 0; i < a->components->len; i++)
    {
      const MwComponentState *ca = g_ptr_array_index (a->components, i);
      const MwComponentState *cb = g_ptr_array_index (b->components, i);

      if (g_strcmp0 (ca->id, cb->id) != 0 ||
          g_strcmp0 (ca->name, cb->name) != 0 ||
          ca->health != cb->health)
        return FALSE;
    }

  for (guint i = 0; i < a->incidents->len; i++)
    if (!incident_equal (g_ptr_array_index (a->incidents, i), g_ptr_array_index (b->incidents, i)))
      return FALSE;

  for (guint i = 0; i < a->models->len; i++)
    if (!model_equal (g_ptr_array_index (a->models, i), g_ptr_array_index (b->models, i)))
      return FALSE;

  return TRUE;
}

/**
 * mw_snapshot_equal:
 *
 * Whether @a and @b say the same thing to a person: every health, reason,
 * incident and probe result, but not when they were fetched or checked.
 * The monitor emits "changed" only when this is %FALSE.
 */
gboolean
mw_snapshot_equal (MwSnapshot *a,
                   MwSnapshot *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  if (a == b)
    return TRUE;

  if (!a->offline != !b->offline ||
      a->health != b->health ||
      a->providers->len != b->providers->len)
    return FALSE;

  for (guint i = 0; i < a->providers->len; i++)
    if (!provider_equal (g_ptr_array_index (a->providers, i), g_ptr_array_index (b->providers, i)))
      return FALSE;

  return TRUE;
}
