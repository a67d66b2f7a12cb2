/* mw-flashduty.c
 *
 * Reader for Flashduty (Flashcat) status pages, DeepSeek's platform.
 * Components carry no status of their own: a component is operational
 * unless an active change lists it.  The shape of an active change was
 * never seen filled in public captures, so every key is read defensively
 * and an unknown status word is unknown, never green.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

static GStrv
flashduty_urls (const MwProvider *provider)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *page_id = mw_provider_get_option (provider, "page_id");
  g_autofree char *path = g_strdup_printf ("/api/status-page/%s/summary/active",
                                           page_id != NULL ? page_id : "0");
  g_autofree char *url = mw_url_join (provider->page_url, path);

  g_strv_builder_add (builder, url);
  return g_strv_builder_end (builder);
}

static MwHealth
health_from_word (const char *word)
{
  if (word == NULL)
    return MW_HEALTH_UNKNOWN;
  if (g_str_equal (word, "maintenance") || g_str_equal (word, "under_maintenance"))
    return MW_HEALTH_MAINTENANCE;

  return mw_health_from_component_status (g_str_equal (word, "degraded") ? "degraded_performance" : word);
}

static const char *
first_string (JsonObject         *object,
              const char * const *members)
{
  for (guint i = 0; members[i] != NULL; i++)
    {
      const char *value = mw_json_get_string (object, members[i]);

      if (value != NULL)
        return value;
    }

  return NULL;
}

/* A component id can be a string or a number. */
static char *
id_string (JsonObject *object,
           const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return NULL;
}

static GDateTime *
time_member (JsonObject *object,
             const char *seconds_member,
             const char *text_member)
{
  if (object != NULL && json_object_has_member (object, seconds_member))
    {
      JsonNode *node = json_object_get_member (object, seconds_member);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
          json_node_get_int (node) > 0)
        return g_date_time_new_from_unix_utc (json_node_get_int (node));
    }

  return mw_parse_time (mw_json_get_string (object, text_member));
}

static void
read_change (MwObservations *obs,
             JsonObject     *change)
{
  static const char * const id_keys[] = { "change_id", "incident_id", "id", NULL };
  static const char * const title_keys[] = { "title", "name", NULL };
  static const char * const status_keys[] = { "status", "progress", NULL };
  static const char * const impact_keys[] = { "impact", "severity", "component_status", NULL };
  const char *type = mw_json_get_string (change, "type");
  const char *status = first_string (change, status_keys);
  const char *impact = first_string (change, impact_keys);
  JsonArray *components = mw_json_get_array (change, "components");
  JsonArray *updates = mw_json_get_array (change, "updates");
  MwIncidentObs *incident;
  g_autofree char *id = NULL;
  gboolean maintenance = g_strcmp0 (type, "maintenance") == 0;
  guint n;

  if (g_strcmp0 (status, "resolved") == 0 || g_strcmp0 (status, "completed") == 0 ||
      g_strcmp0 (status, "maintenance_scheduled") == 0 || g_strcmp0 (status, "scheduled") == 0)
    return;

  for (guint i = 0; id_keys[i] != NULL && id == NULL; i++)
    id = id_string (change, id_keys[i]);

  incident = mw_observations_add_incident (obs, id, first_string (change, title_keys));
  incident->status = g_strdup (status);
  incident->impact = g_strdup (impact);
  incident->maintenance = maintenance;
  incident->started_at = time_member (change, "start_at_seconds", "start_at");
  incident->updated_at = time_member (change, "updated_at_seconds", "updated_at");

  if (maintenance)
    incident->health = MW_HEALTH_MAINTENANCE;
  else
    incident->health = mw_health_worst (MW_HEALTH_DEGRADED, health_from_word (impact));

  if (components == NULL)
    components = mw_json_get_array (change, "affected_components");
  if (components == NULL)
    components = mw_json_get_array (change, "impacts");

  n = components != NULL ? json_array_get_length (components) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (components, i);
      JsonObject *ref;
      g_autofree char *component_id = NULL;
      MwComponentObs *component;
      MwHealth health;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      ref = json_node_get_object (node);
      component_id = id_string (ref, "component_id");
      if (component_id == NULL)
        continue;

      mw_incident_obs_add_component (incident, component_id);

      component = (MwComponentObs *) mw_observations_find_component (obs, component_id);
      if (component == NULL)
        continue;

      health = maintenance ? MW_HEALTH_MAINTENANCE
                           : health_from_word (mw_json_get_string (ref, "status"));
      if (health == MW_HEALTH_UNKNOWN && !maintenance && mw_json_get_string (ref, "status") == NULL)
        health = incident->health;

      g_free (component->raw_status);
      component->raw_status = g_strdup (mw_json_get_string (ref, "status"));
      component->health = health == MW_HEALTH_UNKNOWN
        ? MW_HEALTH_UNKNOWN
        : mw_health_worst (component->health, health);
    }

  n = updates != NULL ? json_array_get_length (updates) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (updates, i);
      JsonObject *u;
      g_autoptr(GDateTime) at = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      u = json_node_get_object (node);
      at = time_member (u, "at_seconds", "created_at");
      mw_incident_obs_add_update (incident, at, mw_json_get_string (u, "status"),
                                  first_string (u, (const char * const[]) { "description", "content", "message", NULL }));
    }
  mw_incident_obs_sort_updates (incident);

  obs->indicator = mw_health_worst (obs->indicator, incident->health);
}

static MwObservations *
flashduty_parse (const MwProvider *provider,
                 GBytes * const   *bodies,
                 guint             n_bodies,
                 GError          **error)
{
  g_auto(GStrv) urls = flashduty_urls (provider);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwObservations) obs = NULL;
  g_autofree char *host = mw_url_host (provider->page_url);
  g_autoptr(GHashTable) sections = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *data, *page;
  JsonArray *components, *sections_array, *changes;
  guint n;

  g_return_val_if_fail (n_bodies == 1, NULL);

  root = mw_parse_json (urls[0], bodies[0], error);
  if (root == NULL)
    return NULL;

  data = JSON_NODE_HOLDS_OBJECT (root) ? mw_json_get_object (json_node_get_object (root), "data") : NULL;
  page = mw_json_get_object (data, "page");
  components = mw_json_get_array (page, "components");
  changes = mw_json_get_array (data, "active_changes");

  if (page == NULL || components == NULL)
    {
      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
                   _("%s: page format changed (expected a Flashduty status page summary)"), host);
      return NULL;
    }

  obs = mw_observations_new ();
  obs->page_name = g_strdup (mw_json_get_string (page, "name"));
  obs->indicator = MW_HEALTH_OPERATIONAL;

  sections_array = mw_json_get_array (page, "sections");
  n = sections_array != NULL ? json_array_get_length (sections_array) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (sections_array, i);
      JsonObject *section = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = mw_json_get_string (section, "section_id");
      const char *name = mw_json_get_string (section, "name");

      if (id != NULL && name != NULL)
        g_hash_table_insert (sections, (gpointer) id, (gpointer) name);
    }

  n = json_array_get_length (components);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (components, i);
      JsonObject *object;
      g_autofree char *id = NULL;
      const char *section;
      MwComponentObs *component;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      object = json_node_get_object (node);
      id = id_string (object, "component_id");
      if (id == NULL && mw_json_get_string (object, "name") == NULL)
        continue;

      component = mw_observations_add_component (obs, id, mw_json_get_string (object, "name"),
                                                 MW_HEALTH_OPERATIONAL);
      section = mw_json_get_string (object, "section_id");
      if (section != NULL)
        component->group_name = g_strdup (g_hash_table_lookup (sections, section));
    }

  n = changes != NULL ? json_array_get_length (changes) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (changes, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        read_change (obs, json_node_get_object (node));
    }

  obs->description = mw_describe_open_incidents (obs->incidents->len);

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_flashduty_reader = {
  .platform = "flashduty",
  .urls = flashduty_urls,
  .parse = flashduty_parse,
};
