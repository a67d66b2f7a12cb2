/* mw-datadog.c
 *
 * Reader for Datadog status pages: <page>/config.json holds the component
 * tree (groups nest components and have no status of their own), the
 * incidents with their timelines and the maintenances (null when none).
 *
 * Component and impact words: operational, maintenance, degraded,
 * partial_outage, major_outage; anything else is unknown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

static GStrv
datadog_urls (const MwProvider *provider)
{
  GStrv urls;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  urls = g_new0 (char *, 2);
  urls[0] = mw_url_join (provider->page_url, "config.json");
  return urls;
}

static MwObservations *
format_error (GError     **error,
              const char  *url)
{
  g_autofree char *host = mw_url_host (url);

  g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
               _("%s: page format changed (expected Datadog JSON: config.json with components[] and pageType)"),
               host);
  return NULL;
}

static MwHealth
health_from_word (const char *word)
{
  static const MwHealthWord map[] = {
    { "operational", MW_HEALTH_OPERATIONAL },
    { "maintenance", MW_HEALTH_MAINTENANCE },
    { "degraded", MW_HEALTH_DEGRADED },
    { "partial_outage", MW_HEALTH_PARTIAL_OUTAGE },
    { "major_outage", MW_HEALTH_MAJOR_OUTAGE },
  };

  return mw_health_from_words (map, G_N_ELEMENTS (map), word);
}

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

static gboolean
get_true (JsonObject *object,
          const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* deletedAt is absent or null on live events; any value means deleted. */
static gboolean
is_deleted (JsonObject *event)
{
  JsonNode *node = json_object_get_member (event, "deletedAt");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return mw_json_get_string (event, "deletedAt") != NULL && *json_node_get_string (node) != '\0';

  return TRUE;
}

static void
add_components (MwObservations *obs,
                JsonArray      *components,
                const char     *group_name,
                guint           depth)
{
  /* A page's tree is shallow; a deep one is a loop or garbage. */
  if (depth > 8)
    return;

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *c = mw_json_array_get_object (components, i);
      const char *type = mw_json_get_string (c, "type");
      const char *id = mw_json_get_string (c, "id");
      const char *name = mw_json_get_string (c, "name");
      const char *status = mw_json_get_string (c, "status");
      JsonArray *children = mw_json_get_array (c, "components");
      MwComponentObs *obs_c;

      if (c == NULL)
        continue;

      /* Groups have no status of their own; drop the header, keep the rows. */
      if (g_strcmp0 (type, "ComponentGroup") == 0 || (children != NULL && status == NULL))
        {
          add_components (obs, children, name, depth + 1);
          continue;
        }

      if (id == NULL && name == NULL)
        continue;

      obs_c = mw_observations_add_component (obs, id, name, health_from_word (status));
      obs_c->raw_status = g_strdup (status);
      obs_c->group_name = g_strdup (group_name);
    }
}

static void
link_components (MwIncidentObs *incident,
                 JsonArray     *affected,
                 Severity      *severity)
{
  for (guint i = 0; affected != NULL && i < json_array_get_length (affected); i++)
    {
      JsonObject *ref = mw_json_array_get_object (affected, i);
      const char *id = mw_json_get_string (ref, "id");

      if (ref == NULL)
        continue;

      mw_incident_obs_add_component (incident, id != NULL ? id : mw_json_get_string (ref, "name"));
      if (severity != NULL)
        severity_add (severity, mw_json_get_string (ref, "status"));
    }
}

static GDateTime *
entry_time (JsonObject *entry)
{
  GDateTime *at = mw_parse_time (mw_json_get_string (entry, "startedAt"));

  /* createdAt is when the entry was last saved: all entries can share it. */
  return at != NULL ? at : mw_parse_time (mw_json_get_string (entry, "createdAt"));
}

static MwIncidentObs *
add_event (MwObservations   *obs,
           const MwProvider *provider,
           JsonObject       *event,
           const char       *kind,
           const char       *started_member,
           Severity         *severity)
{
  const char *id = mw_json_get_string (event, "id");
  const char *title = mw_json_get_string (event, "title");
  JsonArray *timeline = mw_json_get_array (event, "timeline");
  JsonObject *latest_entry = NULL;
  g_autoptr(GDateTime) latest_at = NULL;
  MwIncidentObs *incident;

  if (title == NULL)
    title = mw_json_get_string (event, "name");

  incident = mw_observations_add_incident (obs, id, title);
  incident->status = g_strdup (mw_json_get_string (event, "currentStatus"));
  incident->started_at = mw_parse_time (mw_json_get_string (event, started_member));
  if (id != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s", kind, id);
      incident->url = mw_url_join (provider->page_url, path);
    }
  else
    incident->url = g_strdup (provider->page_url);

  link_components (incident, mw_json_get_array (event, "componentsAffected"), severity);

  for (guint i = 0; timeline != NULL && i < json_array_get_length (timeline); i++)
    {
      JsonObject *entry = mw_json_array_get_object (timeline, i);
      g_autoptr(GDateTime) at = NULL;
      g_autofree char *body = NULL;

      if (entry == NULL)
        continue;

      at = entry_time (entry);
      body = g_strdup (mw_json_get_string (entry, "description"));
      if (body != NULL)
        g_strstrip (body);
      mw_incident_obs_add_update (incident, at, mw_json_get_string (entry, "status"), body);
      link_components (incident, mw_json_get_array (entry, "componentsAffected"), NULL);

      if (latest_entry == NULL || (at != NULL && (latest_at == NULL || g_date_time_compare (at, latest_at) > 0)))
        {
          latest_entry = entry;
          g_clear_pointer (&latest_at, g_date_time_unref);
          latest_at = at != NULL ? g_date_time_ref (at) : NULL;
        }
    }
  mw_incident_obs_sort_updates (incident);

  /* The event's own list shows components as they are now; the latest
   * timeline entry says what the last update declared. */
  if (latest_entry != NULL && severity != NULL)
    {
      JsonArray *affected = mw_json_get_array (latest_entry, "componentsAffected");

      for (guint i = 0; affected != NULL && i < json_array_get_length (affected); i++)
        severity_add (severity, mw_json_get_string (mw_json_array_get_object (affected, i), "status"));
    }

  incident->updated_at = latest_at != NULL ? g_date_time_ref (latest_at) :
                         mw_parse_time (mw_json_get_string (event, "lastModifiedAt"));

  return incident;
}

static MwObservations *
datadog_parse (const MwProvider *provider,
               GBytes * const   *bodies,
               guint             n_bodies,
               GError          **error)
{
  g_auto(GStrv) urls = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwObservations) obs = NULL;
  JsonObject *page;
  JsonArray *components;
  JsonArray *incidents;
  JsonArray *maintenances;
  const char *description;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  urls = datadog_urls (provider);
  if (n_bodies < 1 || bodies[0] == NULL)
    return format_error (error, urls[0]);

  root = mw_parse_json (urls[0], bodies[0], error);
  if (root == NULL)
    return NULL;

  /* A Statuspage summary also has components[], but inside a "page" and
   * without Datadog's pageType/domainPrefix. */
  page = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  components = mw_json_get_array (page, "components");
  if (components == NULL || mw_json_get_object (page, "page") != NULL ||
      (mw_json_get_string (page, "pageType") == NULL && mw_json_get_string (page, "domainPrefix") == NULL))
    return format_error (error, urls[0]);

  obs = mw_observations_new ();
  obs->page_name = g_strdup (mw_json_get_string (page, "name"));
  description = mw_json_get_string (page, "description");
  if (description != NULL && *description != '\0')
    obs->description = g_strdup (description);

  add_components (obs, components, NULL, 0);

  incidents = mw_json_get_array (page, "incidents");
  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *event = mw_json_array_get_object (incidents, i);
      Severity severity = { MW_HEALTH_UNKNOWN, FALSE, FALSE, NULL };
      MwIncidentObs *incident;

      if (event == NULL || get_true (event, "resolved") || is_deleted (event) ||
          g_strcmp0 (mw_json_get_string (event, "currentStatus"), "resolved") == 0)
        continue;

      incident = add_event (obs, provider, event, "incidents", "publishedDate", &severity);

      if (severity.any_known)
        {
          /* An open incident is at least degraded, even if its components
           * already read operational again. */
          incident->health = MAX (severity.worst, MW_HEALTH_DEGRADED);
          incident->impact = g_strdup (severity.worst_word);
        }
      else
        incident->health = severity.any_unknown ? MW_HEALTH_UNKNOWN : MW_HEALTH_DEGRADED;
    }

  maintenances = mw_json_get_array (page, "maintenances");
  for (guint i = 0; maintenances != NULL && i < json_array_get_length (maintenances); i++)
    {
      JsonObject *event = mw_json_array_get_object (maintenances, i);
      MwIncidentObs *maintenance;

      /* scheduled, completed and canceled ones are not signals. */
      if (event == NULL || is_deleted (event) ||
          g_strcmp0 (mw_json_get_string (event, "currentStatus"), "in_progress") != 0)
        continue;

      maintenance = add_event (obs, provider, event, "maintenances", "startDate", NULL);
      maintenance->maintenance = TRUE;
      maintenance->health = MW_HEALTH_MAINTENANCE;
      maintenance->impact = g_strdup ("maintenance");
    }

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_datadog_reader = {
  .platform = "datadog",
  .urls = datadog_urls,
  .parse = datadog_parse,
};
