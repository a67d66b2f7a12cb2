/* mw-aws.c
 *
 * Reader for the AWS Health Dashboard's public current events, where
 * Amazon Bedrock's regional entries appear.  The live endpoint answers in
 * UTF-16 with a BOM; mw_parse_json() converts it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

/* The events live at the dashboard's origin, whatever page path the catalog names. */
static GStrv
aws_urls (const MwProvider *provider)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GUri) uri = g_uri_parse (provider->page_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *origin = NULL;
  g_autofree char *url = NULL;

  if (uri != NULL && g_uri_get_host (uri) != NULL)
    origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                         g_uri_get_port (uri), "", NULL, NULL);
  else
    origin = g_strdup (provider->page_url);

  url = mw_url_join (origin, "/public/currentevents");
  g_strv_builder_add (builder, url);

  return g_strv_builder_end (builder);
}

/* AWS sends numbers as strings ("3") in some places and integers in others. */
static gint64
get_number (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return -1;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;
      gint64 value = g_ascii_strtoll (text, &end, 10);

      return (end != NULL && end != text && *end == '\0') ? value : -1;
    }
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);

  return -1;
}

static MwHealth
health_from_status (gint64 status)
{
  switch (status)
    {
    case 0:
      return MW_HEALTH_OPERATIONAL;
    case 1:
      return MW_HEALTH_DEGRADED;
    case 2:
      return MW_HEALTH_PARTIAL_OUTAGE;
    case 3:
      return MW_HEALTH_MAJOR_OUTAGE;
    default:
      return MW_HEALTH_UNKNOWN;
    }
}

static gboolean
is_watched (GStrv       services,
            const char *key)
{
  if (services == NULL)
    return g_str_has_prefix (key, "bedrock-");

  return g_strv_contains ((const char * const *) services, key);
}

static GDateTime *
time_from_number (gint64 seconds)
{
  return seconds > 0 ? g_date_time_new_from_unix_utc (seconds) : NULL;
}

static void
add_updates (MwIncidentObs *incident,
             JsonObject    *event)
{
  JsonArray *log = mw_json_get_array (event, "event_log");
  guint n = log != NULL ? json_array_get_length (log) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (log, i);
      JsonObject *entry;
      g_autoptr(GDateTime) at = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      entry = json_node_get_object (node);
      at = time_from_number (get_number (entry, "timestamp"));
      mw_incident_obs_add_update (incident, at, mw_json_get_string (entry, "summary"),
                                  mw_json_get_string (entry, "message"));
    }

  mw_incident_obs_sort_updates (incident);
}

static MwObservations *
aws_parse (const MwProvider *provider,
           GBytes * const   *bodies,
           guint             n_bodies,
           GError          **error)
{
  g_auto(GStrv) urls = aws_urls (provider);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwObservations) obs = NULL;
  g_autofree char *host = mw_url_host (provider->page_url);
  g_auto(GStrv) services = mw_provider_get_option_list (provider, "services");
  JsonArray *events;
  guint n;

  g_return_val_if_fail (n_bodies == 1, NULL);

  root = mw_parse_json (urls[0], bodies[0], error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
                   _("%s: page format changed (expected the AWS Health event list)"), host);
      return NULL;
    }

  obs = mw_observations_new ();
  obs->indicator = MW_HEALTH_OPERATIONAL;

  for (guint i = 0; services != NULL && services[i] != NULL; i++)
    mw_observations_add_component (obs, services[i], services[i], MW_HEALTH_OPERATIONAL);

  events = json_node_get_array (root);
  n = json_array_get_length (events);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      JsonObject *event, *impacted;
      MwIncidentObs *incident = NULL;
      gint64 status;
      g_autoptr(GList) keys = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      event = json_node_get_object (node);
      status = get_number (event, "status");

      /* Resolved events stay listed for hours, with "end_time" and status "0". */
      if (status == 0 || get_number (event, "end_time") > 0)
        continue;

      impacted = mw_json_get_object (event, "impacted_services");
      keys = impacted != NULL ? json_object_get_members (impacted) : NULL;

      for (GList *l = keys; l != NULL; l = l->next)
        {
          const char *key = l->data;
          JsonObject *service = mw_json_get_object (impacted, key);
          MwComponentObs *component;
          MwHealth health;

          if (!is_watched (services, key))
            continue;

          health = health_from_status (get_number (service, "current"));
          if (health == MW_HEALTH_OPERATIONAL)
            continue;

          component = (MwComponentObs *) mw_observations_find_component (obs, key);
          if (component == NULL)
            component = mw_observations_add_component (obs, key, key, MW_HEALTH_OPERATIONAL);

          if (incident == NULL)
            {
              incident = mw_observations_add_incident (obs, mw_json_get_string (event, "arn"),
                                                       mw_json_get_string (event, "summary"));
              incident->impact = g_strdup_printf ("%" G_GINT64_FORMAT, status);
              incident->health = mw_health_worst (MW_HEALTH_DEGRADED, health_from_status (status));
              incident->started_at = time_from_number (get_number (event, "date"));
              add_updates (incident, event);
            }

          /* An unknown status word in one region is unknown, not green. */
          component->health = health == MW_HEALTH_UNKNOWN
            ? (component->health == MW_HEALTH_OPERATIONAL ? MW_HEALTH_UNKNOWN : component->health)
            : mw_health_worst (component->health, health);
          g_free (component->raw_status);
          component->raw_status = g_strdup (mw_json_get_string (service, "current"));
          mw_incident_obs_add_component (incident, key);
        }

      if (incident != NULL)
        obs->indicator = mw_health_worst (obs->indicator, incident->health);
    }

  obs->description = mw_describe_open_incidents (obs->incidents->len);

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_aws_reader = {
  .platform = "aws",
  .urls = aws_urls,
  .parse = aws_parse,
};
