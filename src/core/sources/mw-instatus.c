/* mw-instatus.c
 *
 * Reader for Instatus pages: <page>/summary.json gives the page status and
 * the active incidents and maintenances, <page>/v2/components.json the
 * components.  Instatus leaves keys out when their arrays are empty, so an
 * all-clear summary is just {"page": {…, "status": "UP"}}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

static GStrv
instatus_urls (const MwProvider *provider)
{
  GStrv urls;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  urls = g_new0 (char *, 3);
  urls[0] = mw_url_join (provider->page_url, "summary.json");
  urls[1] = mw_url_join (provider->page_url, "v2/components.json");
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
               _("%s: page format changed (expected Instatus JSON: %s)"), host, expected);
  return NULL;
}

/* DESIGN.md's Instatus row; the same words serve components, the page
 * status and incident impacts.  Anything else is unknown. */
static MwHealth
health_from_word (const char *word)
{
  static const MwHealthWord map[] = {
    { "OPERATIONAL", MW_HEALTH_OPERATIONAL },
    { "UP", MW_HEALTH_OPERATIONAL },
    { "UNDERMAINTENANCE", MW_HEALTH_MAINTENANCE },
    { "DEGRADEDPERFORMANCE", MW_HEALTH_DEGRADED },
    { "HASISSUES", MW_HEALTH_DEGRADED },
    { "PARTIALOUTAGE", MW_HEALTH_PARTIAL_OUTAGE },
    { "MINOROUTAGE", MW_HEALTH_PARTIAL_OUTAGE },
    { "MAJOROUTAGE", MW_HEALTH_MAJOR_OUTAGE },
  };

  return mw_health_from_words (map, G_N_ELEMENTS (map), word);
}

/* Statuspage, its incident.io shim and Datadog also serve a components[]
 * list, in lower-case words.  If no row uses an Instatus word, this is
 * another platform's document, not a page of unknown rows. */
static gboolean
speaks_instatus (JsonArray *components)
{
  gboolean any_status = FALSE;

  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonObject *c = mw_json_array_get_object (components, i);
      JsonArray *children = mw_json_get_array (c, "children");
      const char *status = mw_json_get_string (c, "status");

      if (children != NULL && speaks_instatus (children))
        return TRUE;
      if (status == NULL)
        continue;
      if (health_from_word (status) != MW_HEALTH_UNKNOWN)
        return TRUE;
      any_status = TRUE;
    }

  return !any_status;
}

/* "group" has been seen as null; a name or an object with one is handled too. */
static const char *
group_name_of (JsonObject *component)
{
  JsonNode *node = json_object_get_member (component, "group");

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return mw_json_get_string (json_node_get_object (node), "name");

  return mw_json_get_string (component, "group");
}

static void
add_components (MwObservations *obs,
                JsonArray      *components,
                const char     *parent)
{
  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *c = mw_json_array_get_object (components, i);
      JsonArray *children = mw_json_get_array (c, "children");
      const char *id = mw_json_get_string (c, "id");
      const char *name = mw_json_get_string (c, "name");
      const char *status = mw_json_get_string (c, "status");
      const char *group = parent;
      MwComponentObs *obs_c;

      if (c == NULL || (id == NULL && name == NULL))
        continue;

      /* A row with children is a group header, not a component. */
      if (children != NULL && json_array_get_length (children) > 0)
        {
          add_components (obs, children, name);
          continue;
        }

      if (group == NULL)
        group = group_name_of (c);

      obs_c = mw_observations_add_component (obs, id, name, health_from_word (status));
      obs_c->raw_status = g_strdup (status);
      obs_c->group_name = g_strdup (group);
    }
}

static void
link_components (MwObservations *obs,
                 MwIncidentObs  *incident,
                 JsonObject     *event)
{
  JsonArray *refs = mw_json_get_array (event, "components");

  for (guint i = 0; refs != NULL && i < json_array_get_length (refs); i++)
    {
      JsonNode *node = json_array_get_element (refs, i);
      const char *ref = NULL;
      const MwComponentObs *c;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);

          ref = mw_json_get_string (object, "id");
          if (ref == NULL)
            ref = mw_json_get_string (object, "name");
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        ref = json_node_get_string (node);

      if (ref == NULL)
        continue;

      c = mw_observations_find_component (obs, ref);
      mw_incident_obs_add_component (incident, c != NULL ? c->id : ref);
    }
}

static MwIncidentObs *
add_event (MwObservations *obs,
           JsonObject     *event,
           const char     *started_member)
{
  const char *id = mw_json_get_string (event, "id");
  const char *name = mw_json_get_string (event, "name");
  const char *url = mw_json_get_string (event, "url");
  const char *status = mw_json_get_string (event, "status");
  MwIncidentObs *incident;

  incident = mw_observations_add_incident (obs, id != NULL ? id : url != NULL ? url : name, name);
  incident->url = g_strdup (url);
  incident->status = status != NULL ? g_ascii_strdown (status, -1) : NULL;
  incident->started_at = mw_parse_time (mw_json_get_string (event, started_member));
  incident->updated_at = mw_parse_time (mw_json_get_string (event, "updatedAt"));
  link_components (obs, incident, event);

  return incident;
}

static MwObservations *
instatus_parse (const MwProvider *provider,
                GBytes * const   *bodies,
                guint             n_bodies,
                GError          **error)
{
  g_auto(GStrv) urls = NULL;
  g_autoptr(JsonNode) summary_root = NULL;
  g_autoptr(JsonNode) components_root = NULL;
  g_autoptr(MwObservations) obs = NULL;
  JsonObject *summary;
  JsonObject *page;
  JsonObject *components_doc;
  JsonArray *components;
  JsonArray *incidents;
  JsonArray *maintenances;
  const char *page_status;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  urls = instatus_urls (provider);
  if (n_bodies < 2 || bodies[0] == NULL || bodies[1] == NULL)
    return format_error (error, urls[0], "summary.json and v2/components.json");

  summary_root = mw_parse_json (urls[0], bodies[0], error);
  if (summary_root == NULL)
    return NULL;

  /* page.status is the one key Instatus always sends; a Statuspage summary
   * has a page without it. */
  summary = JSON_NODE_HOLDS_OBJECT (summary_root) ? json_node_get_object (summary_root) : NULL;
  page = mw_json_get_object (summary, "page");
  page_status = mw_json_get_string (page, "status");
  if (page_status == NULL)
    return format_error (error, urls[0], "summary.json with page.status");

  components_root = mw_parse_json (urls[1], bodies[1], error);
  if (components_root == NULL)
    return NULL;

  components_doc = JSON_NODE_HOLDS_OBJECT (components_root) ?
                   json_node_get_object (components_root) : NULL;
  components = mw_json_get_array (components_doc, "components");
  if (components == NULL || mw_json_get_object (components_doc, "page") != NULL ||
      !speaks_instatus (components))
    return format_error (error, urls[1], "v2/components.json with components");

  obs = mw_observations_new ();
  obs->page_name = g_strdup (mw_json_get_string (page, "name"));
  obs->indicator = health_from_word (page_status);

  add_components (obs, components, NULL);

  incidents = mw_json_get_array (summary, "activeIncidents");
  for (guint i = 0; incidents != NULL && i < json_array_get_length (incidents); i++)
    {
      JsonObject *event = mw_json_array_get_object (incidents, i);
      const char *impact;
      MwIncidentObs *incident;

      if (event == NULL || g_strcmp0 (mw_json_get_string (event, "status"), "RESOLVED") == 0)
        continue;

      incident = add_event (obs, event, "started");
      impact = mw_json_get_string (event, "impact");
      incident->impact = g_strdup (impact);

      /* An open incident is at least degraded, even if its impact says
       * OPERATIONAL; a word outside the table is unknown. */
      if (impact == NULL)
        incident->health = MW_HEALTH_DEGRADED;
      else if (health_from_word (impact) == MW_HEALTH_UNKNOWN)
        incident->health = MW_HEALTH_UNKNOWN;
      else
        incident->health = MAX (health_from_word (impact), MW_HEALTH_DEGRADED);
    }

  maintenances = mw_json_get_array (summary, "activeMaintenances");
  for (guint i = 0; maintenances != NULL && i < json_array_get_length (maintenances); i++)
    {
      JsonObject *event = mw_json_array_get_object (maintenances, i);
      MwIncidentObs *maintenance;

      /* Upcoming (NOTSTARTEDYET) and COMPLETED ones are not signals. */
      if (event == NULL || g_strcmp0 (mw_json_get_string (event, "status"), "INPROGRESS") != 0)
        continue;

      maintenance = add_event (obs, event, "start");
      maintenance->maintenance = TRUE;
      g_free (maintenance->status);
      maintenance->status = g_strdup ("in_progress");
      maintenance->health = MW_HEALTH_MAINTENANCE;
      maintenance->impact = g_strdup ("maintenance");
    }

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_instatus_reader = {
  .platform = "instatus",
  .urls = instatus_urls,
  .parse = instatus_parse,
};
