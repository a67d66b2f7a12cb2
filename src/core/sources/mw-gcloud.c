/* mw-gcloud.c
 *
 * Reader for Google Cloud Service Health (/incidents.json), where Vertex
 * Gemini lives.  The page has no health table: a product is operational
 * while no open incident (one without "end") lists it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

static GStrv
gcloud_urls (const MwProvider *provider)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *url = mw_url_join (provider->page_url, "/incidents.json");

  g_strv_builder_add (builder, url);
  return g_strv_builder_end (builder);
}

static MwHealth
health_from_impact (const char *impact)
{
  if (g_strcmp0 (impact, "SERVICE_INFORMATION") == 0)
    return MW_HEALTH_DEGRADED;
  if (g_strcmp0 (impact, "SERVICE_DISRUPTION") == 0)
    return MW_HEALTH_PARTIAL_OUTAGE;
  if (g_strcmp0 (impact, "SERVICE_OUTAGE") == 0)
    return MW_HEALTH_MAJOR_OUTAGE;

  return MW_HEALTH_UNKNOWN;
}

static gboolean
is_watched (GStrv       products,
            const char *id,
            const char *title)
{
  if (products == NULL)
    return TRUE;

  return (id != NULL && g_strv_contains ((const char * const *) products, id)) ||
         (title != NULL && g_strv_contains ((const char * const *) products, title));
}

static void
add_updates (MwIncidentObs *incident,
             JsonObject    *object)
{
  JsonArray *updates = mw_json_get_array (object, "updates");
  guint n = updates != NULL ? json_array_get_length (updates) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (updates, i);
      JsonObject *u;
      g_autoptr(GDateTime) at = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      u = json_node_get_object (node);
      at = mw_parse_time (mw_json_get_string (u, "when"));
      if (at == NULL)
        at = mw_parse_time (mw_json_get_string (u, "created"));
      mw_incident_obs_add_update (incident, at, mw_json_get_string (u, "status"),
                                  mw_json_get_string (u, "text"));
    }

  /* The page lists updates newest first; everything above us wants time order. */
  mw_incident_obs_sort_updates (incident);
}

static MwObservations *
gcloud_parse (const MwProvider *provider,
              GBytes * const   *bodies,
              guint             n_bodies,
              GError          **error)
{
  g_auto(GStrv) urls = gcloud_urls (provider);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwObservations) obs = NULL;
  g_autofree char *host = mw_url_host (provider->page_url);
  g_auto(GStrv) products = mw_provider_get_option_list (provider, "products");
  JsonArray *incidents;
  guint n;

  g_return_val_if_fail (n_bodies == 1, NULL);

  root = mw_parse_json (urls[0], bodies[0], error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
                   _("%s: page format changed (expected the Google Cloud incident list)"), host);
      return NULL;
    }

  obs = mw_observations_new ();
  obs->indicator = MW_HEALTH_OPERATIONAL;

  /* One component per watched product, operational until an open incident says otherwise. */
  for (guint i = 0; products != NULL && products[i] != NULL; i++)
    mw_observations_add_component (obs, products[i], products[i], MW_HEALTH_OPERATIONAL);

  incidents = json_node_get_array (root);
  n = json_array_get_length (incidents);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (incidents, i);
      JsonObject *object;
      JsonArray *affected;
      MwIncidentObs *incident = NULL;
      gboolean open;
      guint n_affected;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      object = json_node_get_object (node);
      open = mw_json_get_string (object, "end") == NULL;
      affected = mw_json_get_array (object, "affected_products");
      n_affected = affected != NULL ? json_array_get_length (affected) : 0;

      for (guint j = 0; j < n_affected; j++)
        {
          JsonNode *pnode = json_array_get_element (affected, j);
          JsonObject *product;
          const char *id, *title;
          MwComponentObs *component;

          if (!JSON_NODE_HOLDS_OBJECT (pnode))
            continue;

          product = json_node_get_object (pnode);
          id = mw_json_get_string (product, "id");
          title = mw_json_get_string (product, "title");

          if (!is_watched (products, id, title) || id == NULL)
            continue;

          /* Resolved incidents still teach us the product's name. */
          component = (MwComponentObs *) mw_observations_find_component (obs, id);
          if (component == NULL)
            component = mw_observations_add_component (obs, id, title, MW_HEALTH_OPERATIONAL);
          else if (title != NULL && g_strcmp0 (component->name, id) == 0)
            {
              g_free (component->name);
              component->name = g_strdup (title);
            }

          if (!open)
            continue;

          if (incident == NULL)
            {
              const char *uri = mw_json_get_string (object, "uri");
              const char *impact = mw_json_get_string (object, "status_impact");

              incident = mw_observations_add_incident (obs, mw_json_get_string (object, "id"),
                                                       mw_json_get_string (object, "external_desc"));
              incident->impact = g_strdup (impact);
              incident->status = g_strdup ("open");
              /* An open incident is never less than degraded, whatever word it uses. */
              incident->health = mw_health_worst (MW_HEALTH_DEGRADED, health_from_impact (impact));
              incident->started_at = mw_parse_time (mw_json_get_string (object, "begin"));
              incident->updated_at = mw_parse_time (mw_json_get_string (object, "modified"));
              if (uri != NULL)
                incident->url = mw_url_join (provider->page_url, uri);
              add_updates (incident, object);
            }

          mw_incident_obs_add_component (incident, id);
          component->health = mw_health_worst (component->health, incident->health);
          /* A product can be in several open incidents (or listed twice in
           * one): the last word wins, the earlier copy must not leak. */
          g_free (component->raw_status);
          component->raw_status = g_strdup (incident->impact);
        }

      if (incident != NULL)
        obs->indicator = mw_health_worst (obs->indicator, incident->health);
    }

  obs->description = mw_describe_open_incidents (obs->incidents->len);

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_gcloud_reader = {
  .platform = "gcloud",
  .urls = gcloud_urls,
  .parse = gcloud_parse,
};
