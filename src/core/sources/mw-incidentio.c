/* mw-incidentio.c
 *
 * Reader for incident.io status pages through their native feed,
 * GET <page>/proxy/<host>: the document the page itself renders from.  It
 * is richer than the Statuspage-compatible shim (which the statuspage
 * reader handles): it carries the group structure, every component's
 * current status and the open incidents with their updates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

static char *
proxy_url (const MwProvider *provider)
{
  g_autoptr(GUri) uri = g_uri_parse (provider->page_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *path = NULL;

  /* The feed is keyed by the page's public host name, without a port. */
  path = g_strdup_printf ("proxy/%s",
                          uri != NULL && g_uri_get_host (uri) != NULL ?
                          g_uri_get_host (uri) : "");
  return mw_url_join (provider->page_url, path);
}

static GStrv
incidentio_urls (const MwProvider *provider)
{
  GStrv urls;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  urls = g_new0 (char *, 2);
  urls[0] = proxy_url (provider);
  return urls;
}

/* json_array_get_object_element() is critical on a non-object; pages are
 * not trusted to keep their arrays homogeneous. */
static MwObservations *
format_error (GError     **error,
              const char  *url)
{
  g_autofree char *host = mw_url_host (url);

  g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
               _("%s: page format changed (expected incident.io JSON with summary.components)"),
               host);
  return NULL;
}

/* incident.io words are the Statuspage ones plus "full_outage". */
static MwHealth
health_from_word (const char *word)
{
  return mw_health_from_component_status (word);
}

/* A worst-of that remembers whether any word was outside the mapping, so
 * that an incident whose only word is unknown is unknown, not degraded. */
typedef struct {
  MwHealth    worst;
  gboolean    any_known;
  gboolean    any_unknown;
  const char *worst_word;
} Severity;

static void
severity_add (Severity   *s,
              const char *word)
{
  MwHealth h;

  if (word == NULL)
    return;

  h = health_from_word (word);
  if (h == MW_HEALTH_UNKNOWN)
    {
      s->any_unknown = TRUE;
      return;
    }

  if (!s->any_known || h > s->worst)
    {
      s->worst = h;
      s->worst_word = word;
    }
  s->any_known = TRUE;
}

/* Rich-text messages are ProseMirror-like documents; blocks become lines.
 * Real documents are a few levels deep; the limit keeps a hostile one from
 * exhausting the stack. */
static void
flatten_doc (JsonNode *node,
             GString  *out,
             guint     depth)
{
  JsonObject *object;
  const char *type;
  const char *text;
  JsonArray *content;
  gboolean block;

  if (node == NULL || depth > 32)
    return;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        flatten_doc (json_array_get_element (array, i), out, depth + 1);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;

  object = json_node_get_object (node);
  type = mw_json_get_string (object, "type");
  text = mw_json_get_string (object, "text");

  /* A mention carries its visible text as a label. */
  if (text == NULL && g_strcmp0 (type, "mention") == 0)
    text = mw_json_get_string (mw_json_get_object (object, "attrs"), "label");

  if (g_strcmp0 (type, "hardBreak") == 0 || g_strcmp0 (type, "hard_break") == 0)
    {
      g_string_append_c (out, '\n');
      return;
    }

  block = type != NULL && g_strcmp0 (type, "text") != 0 && g_strcmp0 (type, "doc") != 0 &&
          g_strcmp0 (type, "mention") != 0 && g_strcmp0 (type, "emoji") != 0;

  if (block && out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');

  if (text != NULL)
    g_string_append (out, text);

  content = mw_json_get_array (object, "content");
  if (content != NULL)
    flatten_doc (json_object_get_member (object, "content"), out, depth + 1);

  if (block && out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
}

static char *
update_text (JsonObject *update)
{
  const char *plain = mw_json_get_string (update, "message_string");
  JsonNode *message;
  g_autoptr(GString) out = NULL;

  if (plain != NULL)
    return g_strstrip (g_strdup (plain));

  if (!json_object_has_member (update, "message"))
    return NULL;

  message = json_object_get_member (update, "message");
  if (JSON_NODE_HOLDS_VALUE (message))
    {
      plain = mw_json_get_string (update, "message");
      return plain != NULL ? g_strstrip (g_strdup (plain)) : NULL;
    }

  out = g_string_new (NULL);
  flatten_doc (message, out, 0);
  g_strstrip (out->str);
  if (out->str[0] == '\0')
    return NULL;

  return g_strdup (out->str);
}

static void
link_components (MwIncidentObs *incident,
                 JsonArray     *refs,
                 Severity      *severity,
                 gboolean       open_only)
{
  for (guint i = 0; refs != NULL && i < json_array_get_length (refs); i++)
    {
      JsonObject *ref = mw_json_array_get_object (refs, i);

      if (ref == NULL)
        continue;

      mw_incident_obs_add_component (incident, mw_json_get_string (ref, "component_id"));

      /* component_impacts keep their history; only open ones are current. */
      if (open_only && mw_json_get_string (ref, "end_at") != NULL)
        continue;

      if (severity != NULL)
        severity_add (severity, mw_json_get_string (ref, "status"));
    }
}

static void
add_event (MwObservations   *obs,
           const MwProvider *provider,
           JsonObject       *event)
{
  const char *id = mw_json_get_string (event, "id");
  const char *name = mw_json_get_string (event, "name");
  const char *status = mw_json_get_string (event, "status");
  const char *type = mw_json_get_string (event, "type");
  const char *url = mw_json_get_string (event, "url");
  JsonArray *updates = mw_json_get_array (event, "updates");
  gboolean maintenance;
  Severity current = { MW_HEALTH_UNKNOWN, FALSE, FALSE, NULL };
  Severity during = { MW_HEALTH_UNKNOWN, FALSE, FALSE, NULL };
  MwIncidentObs *incident;

  if (id == NULL && name == NULL)
    return;

  maintenance = g_strcmp0 (type, "maintenance") == 0 ||
                (status != NULL && g_str_has_prefix (status, "maintenance_"));

  /* Only what is happening now: resolved incidents, upcoming and completed
   * maintenances are not signals. */
  if (maintenance && g_strcmp0 (status, "maintenance_in_progress") != 0)
    return;
  if (!maintenance && g_strcmp0 (status, "resolved") == 0)
    return;

  incident = mw_observations_add_incident (obs, id, name);
  incident->status = g_strdup (status);
  incident->maintenance = maintenance;
  incident->started_at = mw_parse_time (mw_json_get_string (event, "published_at"));
  if (url != NULL)
    incident->url = g_strdup (url);
  else if (id != NULL)
    {
      g_autofree char *path = g_strdup_printf ("incidents/%s", id);
      incident->url = mw_url_join (provider->page_url, path);
    }

  /* Open component_impacts say how bad it is now; affected_components say
   * how bad it got, which is the fallback when the page gives no impacts. */
  link_components (incident, mw_json_get_array (event, "component_impacts"), &current, TRUE);
  link_components (incident, mw_json_get_array (event, "affected_components"), &during, FALSE);
  severity_add (&current, mw_json_get_string (event, "current_worst_impact"));

  for (guint i = 0; updates != NULL && i < json_array_get_length (updates); i++)
    {
      JsonObject *update = mw_json_array_get_object (updates, i);
      g_autoptr(GDateTime) at = NULL;
      g_autofree char *body = NULL;

      if (update == NULL)
        continue;

      at = mw_parse_time (mw_json_get_string (update, "published_at"));
      body = update_text (update);
      mw_incident_obs_add_update (incident, at, mw_json_get_string (update, "to_status"), body);
      link_components (incident, mw_json_get_array (update, "component_statuses"), NULL, FALSE);

      if (at != NULL && (incident->updated_at == NULL ||
                         g_date_time_compare (at, incident->updated_at) > 0))
        {
          g_clear_pointer (&incident->updated_at, g_date_time_unref);
          incident->updated_at = g_date_time_ref (at);
        }
    }
  mw_incident_obs_sort_updates (incident);

  if (!current.any_known && !current.any_unknown)
    current = during;

  if (maintenance)
    {
      incident->health = MW_HEALTH_MAINTENANCE;
      incident->impact = g_strdup ("maintenance");
    }
  else if (current.any_known)
    {
      /* An open incident is at least degraded, whatever its words say. */
      incident->health = MAX (current.worst, MW_HEALTH_DEGRADED);
      incident->impact = g_strdup (current.worst_word);
    }
  else if (current.any_unknown)
    incident->health = MW_HEALTH_UNKNOWN;
  else
    incident->health = MW_HEALTH_DEGRADED;
}

static void
add_component (MwObservations *obs,
               GHashTable     *names,
               GHashTable     *statuses,
               GHashTable     *seen,
               const char     *id,
               const char     *name,
               const char     *group_name)
{
  const char *status;
  const char *canonical;
  MwComponentObs *c;

  if (id == NULL || g_hash_table_contains (seen, id))
    return;
  g_hash_table_add (seen, g_strdup (id));

  canonical = g_hash_table_lookup (names, id);
  if (canonical != NULL)
    name = canonical;

  /* affected_components lists only what is not operational right now. */
  status = g_hash_table_lookup (statuses, id);
  if (status == NULL)
    status = "operational";

  c = mw_observations_add_component (obs, id, name, health_from_word (status));
  c->raw_status = g_strdup (status);
  c->group_name = g_strdup (group_name);
}

static void
hide (GHashTable *seen,
      JsonObject *component)
{
  const char *id = mw_json_get_string (component, "component_id");

  if (id != NULL)
    g_hash_table_add (seen, g_strdup (id));
}

static gboolean
is_hidden (JsonObject *object)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, "hidden") : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static void
add_events (MwObservations   *obs,
            const MwProvider *provider,
            JsonArray        *events)
{
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = mw_json_array_get_object (events, i);

      if (event != NULL)
        add_event (obs, provider, event);
    }
}

static MwObservations *
incidentio_parse (const MwProvider *provider,
                  GBytes * const   *bodies,
                  guint             n_bodies,
                  GError          **error)
{
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwObservations) obs = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(GHashTable) seen = NULL;
  JsonObject *summary;
  JsonArray *components;
  JsonArray *affected;
  JsonArray *items;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  url = proxy_url (provider);
  if (n_bodies < 1 || bodies[0] == NULL)
    return format_error (error, url);

  root = mw_parse_json (url, bodies[0], error);
  if (root == NULL)
    return NULL;

  /* Another platform's document (the Statuspage shim's summary.json, the
   * widget API) has no "summary": say the page changed, never "all clear". */
  summary = JSON_NODE_HOLDS_OBJECT (root) ?
            mw_json_get_object (json_node_get_object (root), "summary") : NULL;
  components = mw_json_get_array (summary, "components");
  if (components == NULL)
    return format_error (error, url);

  obs = mw_observations_new ();
  obs->page_name = g_strdup (mw_json_get_string (summary, "name"));

  names = g_hash_table_new (g_str_hash, g_str_equal);
  statuses = g_hash_table_new (g_str_hash, g_str_equal);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonObject *c = mw_json_array_get_object (components, i);
      const char *id = mw_json_get_string (c, "id");
      const char *name = mw_json_get_string (c, "name");

      if (id != NULL && name != NULL)
        g_hash_table_insert (names, (gpointer) id, (gpointer) name);
    }

  affected = mw_json_get_array (summary, "affected_components");
  for (guint i = 0; affected != NULL && i < json_array_get_length (affected); i++)
    {
      JsonObject *a = mw_json_array_get_object (affected, i);
      const char *id = mw_json_get_string (a, "component_id");
      const char *status = mw_json_get_string (a, "status");

      if (id != NULL && status != NULL)
        g_hash_table_insert (statuses, (gpointer) id, (gpointer) status);
    }

  /* The structure gives the page's order and groups; hidden rows are not
   * on the page, so they are not watched either. */
  items = mw_json_get_array (mw_json_get_object (summary, "structure"), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = mw_json_array_get_object (items, i);
      JsonObject *group = mw_json_get_object (item, "group");
      JsonObject *component = mw_json_get_object (item, "component");

      if (group != NULL)
        {
          JsonArray *children = mw_json_get_array (group, "components");
          gboolean group_hidden = is_hidden (group);

          for (guint j = 0; children != NULL && j < json_array_get_length (children); j++)
            {
              JsonObject *child = mw_json_array_get_object (children, j);

              if (child == NULL)
                continue;
              if (group_hidden || is_hidden (child))
                hide (seen, child);
              else
                add_component (obs, names, statuses, seen,
                               mw_json_get_string (child, "component_id"),
                               mw_json_get_string (child, "name"),
                               mw_json_get_string (group, "name"));
            }
        }
      else if (component != NULL)
        {
          if (is_hidden (component))
            hide (seen, component);
          else
            add_component (obs, names, statuses, seen,
                           mw_json_get_string (component, "component_id"),
                           mw_json_get_string (component, "name"), NULL);
        }
    }

  /* Components the structure does not place still exist on the page. */
  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonObject *c = mw_json_array_get_object (components, i);

      add_component (obs, names, statuses, seen,
                     mw_json_get_string (c, "id"), mw_json_get_string (c, "name"), NULL);
    }

  add_events (obs, provider, mw_json_get_array (summary, "ongoing_incidents"));
  add_events (obs, provider, mw_json_get_array (summary, "scheduled_maintenances"));
  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_incidentio_reader = {
  .platform = "incidentio",
  .urls = incidentio_urls,
  .parse = incidentio_parse,
};
