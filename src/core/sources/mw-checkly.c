/* mw-checkly.c
 *
 * Reader for Checkly status pages, through the two JSON documents the page
 * itself loads (undocumented, keyless):
 *   <page>/api/status-page/<slug>/unresolved-incidents   the open incidents
 *   <page>/api/status-page/<slug>/uptime                 groups and services
 * The slug comes from the catalog's status_page.options.slug.
 *
 * Checkly publishes no current status per service: a service is
 * operational unless an unresolved incident names it, and then it is as bad
 * as the worst such incident.  Model names appear only in incident titles
 * ("Completion API Degraded - glm-5-2"), which the assessment matches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

static const char *
get_slug (const MwProvider *provider)
{
  const char *slug = provider->options != NULL ?
                     g_hash_table_lookup (provider->options, "slug") : NULL;

  return slug != NULL && *slug != '\0' ? slug : NULL;
}

/* Without a slug there is nothing to fetch: no URLs, and parse() says why. */
static GStrv
checkly_urls (const MwProvider *provider)
{
  g_autofree char *escaped = NULL;
  g_autofree char *incidents = NULL;
  g_autofree char *uptime = NULL;
  GStrv urls;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  if (get_slug (provider) == NULL)
    return g_new0 (char *, 1);

  escaped = g_uri_escape_string (get_slug (provider), NULL, FALSE);
  incidents = g_strdup_printf ("api/status-page/%s/unresolved-incidents", escaped);
  uptime = g_strdup_printf ("api/status-page/%s/uptime", escaped);

  urls = g_new0 (char *, 3);
  urls[0] = mw_url_join (provider->page_url, incidents);
  urls[1] = mw_url_join (provider->page_url, uptime);
  return urls;
}

static MwObservations *
format_error (GError     **error,
              const char  *url,
              const char  *expected)
{
  g_autofree char *host = mw_url_host (url);

  /* Translators: the first %s is a host name, the second names a JSON layout. */
  g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
               _("%s: page format changed (expected Checkly JSON: %s)"), host, expected);
  return NULL;
}

/* DESIGN.md's Checkly row; "open incident" is at least degraded, so there
 * is no operational word.  Anything else is unknown. */
static MwHealth
health_from_severity (const char *severity)
{
  static const MwHealthWord map[] = {
    { "MAINTENANCE", MW_HEALTH_MAINTENANCE },
    { "MINOR", MW_HEALTH_DEGRADED },
    { "MEDIUM", MW_HEALTH_DEGRADED },
    { "MAJOR", MW_HEALTH_PARTIAL_OUTAGE },
    { "CRITICAL", MW_HEALTH_MAJOR_OUTAGE },
  };

  if (severity == NULL)
    return MW_HEALTH_DEGRADED;

  return mw_health_from_words (map, G_N_ELEMENTS (map), severity);
}

/* Datadog's config.json and incident.io's history also carry incidents[];
 * Checkly's say how bad they are with "severity" and where they stand with
 * "lastUpdateStatus".  A list where no item has either is not Checkly's. */
static gboolean
speaks_checkly (JsonArray *incidents)
{
  gboolean any_object = FALSE;

  for (guint i = 0; i < json_array_get_length (incidents); i++)
    {
      JsonObject *event = mw_json_array_get_object (incidents, i);

      if (event == NULL)
        continue;
      if (json_object_has_member (event, "severity") || json_object_has_member (event, "lastUpdateStatus"))
        return TRUE;
      any_object = TRUE;
    }

  return !any_object;
}

/* Either spelling of a timestamp member. */
static GDateTime *
get_time (JsonObject *object,
          const char *snake,
          const char *camel)
{
  const char *text = mw_json_get_string (object, snake);

  return mw_parse_time (text != NULL ? text : mw_json_get_string (object, camel));
}

static void
link_service (MwObservations *obs,
              MwIncidentObs  *incident,
              JsonObject     *service)
{
  const char *id = mw_json_get_string (service, "id");
  const char *name = mw_json_get_string (service, "name");
  MwComponentObs *c = NULL;

  /* Ids first; some payloads carry only the service's name. */
  for (guint i = 0; i < obs->components->len && c == NULL; i++)
    {
      MwComponentObs *candidate = g_ptr_array_index (obs->components, i);

      if (id != NULL && g_strcmp0 (candidate->id, id) == 0)
        c = candidate;
    }
  for (guint i = 0; i < obs->components->len && c == NULL; i++)
    {
      MwComponentObs *candidate = g_ptr_array_index (obs->components, i);

      if (name != NULL && g_strcmp0 (candidate->name, name) == 0)
        c = candidate;
    }

  if (c == NULL)
    {
      mw_incident_obs_add_component (incident, id != NULL ? id : name);
      return;
    }

  mw_incident_obs_add_component (incident, c->id);

  /* An incident of unknown severity leaves its service unknown rather
   * than operational: something is open on it. */
  if (incident->health == MW_HEALTH_UNKNOWN)
    {
      if (c->health == MW_HEALTH_OPERATIONAL)
        c->health = MW_HEALTH_UNKNOWN;
    }
  else if (c->health == MW_HEALTH_UNKNOWN)
    c->health = incident->health;
  else
    c->health = MAX (c->health, incident->health);
}

static void
add_incident (MwObservations   *obs,
              const MwProvider *provider,
              JsonObject       *event)
{
  const char *id = mw_json_get_string (event, "id");
  const char *name = mw_json_get_string (event, "name");
  const char *severity = mw_json_get_string (event, "severity");
  const char *status = mw_json_get_string (event, "lastUpdateStatus");
  JsonArray *services = mw_json_get_array (event, "services");
  JsonArray *updates = mw_json_get_array (event, "incidentUpdates");
  g_autofree char *fallback_id = NULL;
  MwIncidentObs *incident;

  if (name == NULL)
    name = mw_json_get_string (event, "title");
  if (name == NULL && id == NULL)
    return;

  /* The documented payload has no id; a title and its start make one. */
  if (id == NULL)
    fallback_id = g_strdup_printf ("%s@%s", name,
                                   mw_json_get_string (event, "created_at") != NULL ?
                                   mw_json_get_string (event, "created_at") : "");

  incident = mw_observations_add_incident (obs, id != NULL ? id : fallback_id, name);
  incident->status = status != NULL ? g_ascii_strdown (status, -1) : NULL;
  incident->impact = g_strdup (severity);
  incident->health = health_from_severity (severity);
  incident->maintenance = g_strcmp0 (severity, "MAINTENANCE") == 0;
  incident->started_at = get_time (event, "created_at", "createdAt");
  incident->updated_at = get_time (event, "updated_at", "updatedAt");
  incident->url = g_strdup (provider->page_url);

  for (guint i = 0; services != NULL && i < json_array_get_length (services); i++)
    {
      JsonObject *service = mw_json_array_get_object (services, i);

      if (service != NULL)
        link_service (obs, incident, service);
    }

  for (guint i = 0; updates != NULL && i < json_array_get_length (updates); i++)
    {
      JsonObject *update = mw_json_array_get_object (updates, i);
      g_autoptr(GDateTime) at = NULL;
      g_autofree char *body = NULL;
      g_autofree char *update_status = NULL;

      if (update == NULL)
        continue;

      at = get_time (update, "created_at", "createdAt");
      body = g_strdup (mw_json_get_string (update, "description"));
      if (body != NULL)
        g_strstrip (body);
      if (mw_json_get_string (update, "status") != NULL)
        update_status = g_ascii_strdown (mw_json_get_string (update, "status"), -1);
      mw_incident_obs_add_update (incident, at, update_status, body);
    }
  mw_incident_obs_sort_updates (incident);
}

static MwObservations *
checkly_parse (const MwProvider *provider,
               GBytes * const   *bodies,
               guint             n_bodies,
               GError          **error)
{
  g_auto(GStrv) urls = NULL;
  g_autoptr(JsonNode) incidents_root = NULL;
  g_autoptr(JsonNode) uptime_root = NULL;
  g_autoptr(MwObservations) obs = NULL;
  JsonObject *incidents_doc;
  JsonObject *uptime_doc;
  JsonArray *incidents;
  JsonArray *groups;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  if (get_slug (provider) == NULL)
    {
      g_autofree char *host = mw_url_host (provider->page_url);

      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED,
                   _("%s: the catalog gives no Checkly page slug (status_page.options.slug)"), host);
      return NULL;
    }

  urls = checkly_urls (provider);
  if (n_bodies < 2 || bodies[0] == NULL || bodies[1] == NULL)
    return format_error (error, urls[0], "unresolved-incidents and uptime");

  incidents_root = mw_parse_json (urls[0], bodies[0], error);
  if (incidents_root == NULL)
    return NULL;

  /* A Statuspage unresolved.json also has "incidents", but inside a page. */
  incidents_doc = JSON_NODE_HOLDS_OBJECT (incidents_root) ? json_node_get_object (incidents_root) : NULL;
  incidents = mw_json_get_array (incidents_doc, "incidents");
  if (incidents == NULL || mw_json_get_object (incidents_doc, "page") != NULL ||
      json_object_has_member (incidents_doc, "components") || !speaks_checkly (incidents))
    return format_error (error, urls[0], "unresolved-incidents with incidents[]");

  uptime_root = mw_parse_json (urls[1], bodies[1], error);
  if (uptime_root == NULL)
    return NULL;

  uptime_doc = JSON_NODE_HOLDS_OBJECT (uptime_root) ? json_node_get_object (uptime_root) : NULL;
  groups = mw_json_get_array (uptime_doc, "metadata");
  if (groups == NULL)
    return format_error (error, urls[1], "uptime with metadata[]");

  obs = mw_observations_new ();

  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *group = mw_json_array_get_object (groups, i);
      JsonArray *services = mw_json_get_array (group, "services");
      const char *group_name = mw_json_get_string (group, "name");

      for (guint j = 0; services != NULL && j < json_array_get_length (services); j++)
        {
          JsonObject *service = mw_json_array_get_object (services, j);
          const char *id = mw_json_get_string (service, "id");
          const char *name = mw_json_get_string (service, "name");
          MwComponentObs *c;

          if (id == NULL && name == NULL)
            continue;

          c = mw_observations_add_component (obs, id, name, MW_HEALTH_OPERATIONAL);
          c->group_name = g_strdup (group_name);
        }
    }

  for (guint i = 0; i < json_array_get_length (incidents); i++)
    {
      JsonObject *event = mw_json_array_get_object (incidents, i);

      /* RESOLVED is never a signal, whichever document carries it. */
      if (event != NULL && g_strcmp0 (mw_json_get_string (event, "lastUpdateStatus"), "RESOLVED") != 0)
        add_incident (obs, provider, event);
    }

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_checkly_reader = {
  .platform = "checkly",
  .urls = checkly_urls,
  .parse = checkly_parse,
};
