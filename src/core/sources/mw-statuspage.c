/* mw-statuspage.c
 *
 * Reader for Atlassian Statuspage v2 pages and the incident.io pages that
 * mimic them: one GET of /api/v2/summary.json gives components, open
 * incidents and maintenances.
 *
 * Every key is optional (the incident.io shim omits incidents,
 * scheduled_maintenances, time_zone and group at times), but a body that
 * has no component list is not this platform at all and is rejected
 * rather than read as an empty, all-clear page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

static GStrv
statuspage_urls (const MwProvider *provider)
{
  GStrv urls = g_new0 (char *, 2);

  /* A catalog may point at the document itself. */
  if (g_str_has_suffix (provider->page_url, ".json"))
    urls[0] = g_strdup (provider->page_url);
  else
    urls[0] = mw_url_join (provider->page_url, "/api/v2/summary.json");

  return urls;
}

static gboolean
format_error (GError    **error,
              const char *url,
              const char *why)
{
  g_autofree char *host = mw_url_host (url);

  g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
               /* TRANSLATORS: first %s is a host name, second a short reason */
               _("%s: page format changed (%s)"), host, why);
  return FALSE;
}

/* A member that must be a list when present; null counts as absent. */
static gboolean
optional_array (const MwJsonValue  *object,
                const char         *member,
                const MwJsonValue **out)
{
  const MwJsonValue *value = mw_json_value_get_member (object, member);

  *out = NULL;
  if (value == NULL || mw_json_value_is (value, MW_JSON_NULL))
    return TRUE;
  if (!mw_json_value_is (value, MW_JSON_ARRAY))
    return FALSE;

  *out = value;
  return TRUE;
}

/* The page indicator: "none" is all clear here, unlike an incident's
 * impact "none", which still means an open incident. */
static MwHealth
indicator_health (const char *indicator)
{
  if (indicator == NULL)
    return MW_HEALTH_UNKNOWN;
  if (g_str_equal (indicator, "none"))
    return MW_HEALTH_OPERATIONAL;

  return mw_health_from_impact (indicator);
}

static gboolean
is_group (const MwJsonValue *component)
{
  return mw_json_value_get_boolean (mw_json_value_get_member (component, "group"));
}

static void
read_components (MwObservations    *obs,
                 const MwJsonValue *components)
{
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = mw_json_value_get_length (components);

  /* Group header rows carry an aggregate status; only their names matter. */
  for (guint i = 0; i < n; i++)
    {
      const MwJsonValue *c = mw_json_value_get_element_object (components, i);
      const char *id = mw_json_value_get_member_string (c, "id");

      if (c != NULL && is_group (c) && id != NULL)
        g_hash_table_insert (groups, (gpointer) id, (gpointer) mw_json_value_get_member_string (c, "name"));
    }

  for (guint i = 0; i < n; i++)
    {
      const MwJsonValue *c = mw_json_value_get_element_object (components, i);
      const char *id = mw_json_value_get_member_string (c, "id");
      const char *name = mw_json_value_get_member_string (c, "name");
      const char *status = mw_json_value_get_member_string (c, "status");
      const char *group_id = mw_json_value_get_member_string (c, "group_id");
      MwComponentObs *obs_c;

      if (c == NULL || is_group (c) || (id == NULL && name == NULL))
        continue;

      obs_c = mw_observations_add_component (obs, id, name,
                                             mw_health_from_component_status (status));
      obs_c->raw_status = g_strdup (status);
      if (group_id != NULL)
        obs_c->group_name = g_strdup (g_hash_table_lookup (groups, group_id));
    }
}

static void
link_components (MwIncidentObs     *incident,
                 const MwJsonValue *item)
{
  const MwJsonValue *components = mw_json_value_get_member_array (item, "components");
  const MwJsonValue *updates = mw_json_value_get_member_array (item, "incident_updates");

  for (guint i = 0; i < mw_json_value_get_length (components); i++)
    mw_incident_obs_add_component (incident,
                                   mw_json_value_get_member_string (mw_json_value_get_element_object (components, i), "id"));

  /* Incidents are often linked only through their updates. */
  for (guint i = 0; i < mw_json_value_get_length (updates); i++)
    {
      const MwJsonValue *affected = mw_json_value_get_member_array (mw_json_value_get_element_object (updates, i),
                                                                    "affected_components");

      for (guint j = 0; j < mw_json_value_get_length (affected); j++)
        mw_incident_obs_add_component (incident,
                                       mw_json_value_get_member_string (mw_json_value_get_element_object (affected, j), "code"));
    }
}

static void
read_updates (MwIncidentObs     *incident,
              const MwJsonValue *item)
{
  const MwJsonValue *updates = mw_json_value_get_member_array (item, "incident_updates");

  for (guint i = 0; i < mw_json_value_get_length (updates); i++)
    {
      const MwJsonValue *u = mw_json_value_get_element_object (updates, i);
      g_autoptr(GDateTime) at = NULL;

      if (u == NULL)
        continue;

      at = mw_parse_time (mw_json_value_get_member_string (u, "display_at"));
      if (at == NULL)
        at = mw_parse_time (mw_json_value_get_member_string (u, "created_at"));

      mw_incident_obs_add_update (incident, at,
                                  mw_json_value_get_member_string (u, "status"),
                                  mw_json_value_get_member_string (u, "body"));
    }

  /* "Newest first in practice" is not a promise. */
  mw_incident_obs_sort_updates (incident);
}

/* Links end up behind a button in the window: only web links. */
static gboolean
is_web_link (const char *url)
{
  return url != NULL &&
         (g_ascii_strncasecmp (url, "https://", 8) == 0 ||
          g_ascii_strncasecmp (url, "http://", 7) == 0);
}

static MwIncidentObs *
read_incident (MwObservations    *obs,
               const MwJsonValue *item,
               const char        *page_url)
{
  const char *id = mw_json_value_get_member_string (item, "id");
  const char *name = mw_json_value_get_member_string (item, "name");
  const char *shortlink = mw_json_value_get_member_string (item, "shortlink");
  MwIncidentObs *incident;
  GDateTime *started;

  if (id == NULL && name == NULL)
    return NULL;

  incident = mw_observations_add_incident (obs, id, name);
  incident->status = g_strdup (mw_json_value_get_member_string (item, "status"));
  incident->impact = g_strdup (mw_json_value_get_member_string (item, "impact"));

  if (is_web_link (shortlink))
    incident->url = g_strdup (shortlink);
  else if (id != NULL && page_url != NULL)
    {
      g_autofree char *path = g_strconcat ("incidents/", id, NULL);

      incident->url = mw_url_join (page_url, path);
    }

  started = mw_parse_time (mw_json_value_get_member_string (item, "started_at"));
  if (started == NULL)
    started = mw_parse_time (mw_json_value_get_member_string (item, "scheduled_for"));
  if (started == NULL)
    started = mw_parse_time (mw_json_value_get_member_string (item, "created_at"));
  incident->started_at = started;
  incident->updated_at = mw_parse_time (mw_json_value_get_member_string (item, "updated_at"));

  link_components (incident, item);
  read_updates (incident, item);

  return incident;
}

static gboolean
incident_is_open (const char *status)
{
  /* An unknown lifecycle word is kept: hiding an open incident is worse
   * than showing a closed one for one more poll. */
  return status == NULL ||
         !(g_str_equal (status, "resolved") ||
           g_str_equal (status, "postmortem") ||
           g_str_equal (status, "completed"));
}

static gboolean
maintenance_in_progress (const char *status)
{
  return g_strcmp0 (status, "in_progress") == 0 || g_strcmp0 (status, "verifying") == 0;
}

static MwObservations *
statuspage_parse (const MwProvider *provider,
                  GBytes * const   *bodies,
                  guint             n_bodies,
                  GError          **error)
{
  g_auto(GStrv) urls = statuspage_urls (provider);
  g_autoptr(MwJsonDoc) doc = NULL;
  g_autoptr(MwObservations) obs = NULL;
  const MwJsonValue *object, *page, *status;
  const MwJsonValue *components, *incidents, *maintenances;
  const char *page_url;

  g_return_val_if_fail (n_bodies >= 1, NULL);

  doc = mw_parse_json_doc (urls[0], bodies[0], error);
  if (doc == NULL)
    return NULL;

  object = mw_json_doc_get_root (doc);
  if (!mw_json_value_is (object, MW_JSON_OBJECT))
    {
      format_error (error, urls[0], _("not a JSON object"));
      return NULL;
    }

  if (mw_json_value_get_member (object, "page") == NULL && mw_json_value_get_member (object, "components") == NULL)
    {
      format_error (error, urls[0], _("no page and no components"));
      return NULL;
    }
  if (!optional_array (object, "components", &components) || components == NULL)
    {
      format_error (error, urls[0], _("no list of components"));
      return NULL;
    }
  if (!optional_array (object, "incidents", &incidents))
    {
      format_error (error, urls[0], _("incidents is not a list"));
      return NULL;
    }
  if (!optional_array (object, "scheduled_maintenances", &maintenances))
    {
      format_error (error, urls[0], _("scheduled_maintenances is not a list"));
      return NULL;
    }

  obs = mw_observations_new ();
  page = mw_json_value_get_member_object (object, "page");
  status = mw_json_value_get_member_object (object, "status");

  obs->page_name = g_strdup (mw_json_value_get_member_string (page, "name"));
  obs->description = g_strdup (mw_json_value_get_member_string (status, "description"));
  obs->indicator = indicator_health (mw_json_value_get_member_string (status, "indicator"));

  page_url = mw_json_value_get_member_string (page, "url");
  if (!is_web_link (page_url))
    page_url = provider->page_url;

  read_components (obs, components);

  for (guint i = 0; i < mw_json_value_get_length (incidents); i++)
    {
      const MwJsonValue *item = mw_json_value_get_element_object (incidents, i);
      MwIncidentObs *incident;

      if (item == NULL || !incident_is_open (mw_json_value_get_member_string (item, "status")))
        continue;

      incident = read_incident (obs, item, page_url);
      /* Open means at least degraded, whatever the impact says; an impact
       * word we do not know counts as degraded too: it must not hide the
       * incident, and we do not guess it is worse. */
      if (incident != NULL)
        incident->health = mw_health_worst (mw_health_from_impact (incident->impact),
                                            MW_HEALTH_DEGRADED);
    }

  for (guint i = 0; i < mw_json_value_get_length (maintenances); i++)
    {
      const MwJsonValue *item = mw_json_value_get_element_object (maintenances, i);
      MwIncidentObs *maintenance;

      /* Upcoming and completed maintenances say nothing about now. */
      if (item == NULL || !maintenance_in_progress (mw_json_value_get_member_string (item, "status")))
        continue;

      maintenance = read_incident (obs, item, page_url);
      if (maintenance != NULL)
        {
          maintenance->maintenance = TRUE;
          maintenance->health = MW_HEALTH_MAINTENANCE;
        }
    }

  /* The incident.io shim sometimes leaves the incidents out altogether.
   * If the page's own indicator then reports trouble, an incident is open
   * that we cannot see: stand in for it with the page's headline rather
   * than read the page as all clear. */
  if (mw_json_value_get_member (object, "incidents") == NULL &&
      obs->indicator >= MW_HEALTH_DEGRADED)
    {
      const char *headline = obs->description;
      MwIncidentObs *hidden;

      hidden = mw_observations_add_incident (obs, "indicator",
                                             headline != NULL ? headline
                                                              : _("The status page reports a problem"));
      hidden->impact = g_strdup (mw_json_value_get_member_string (status, "indicator"));
      hidden->health = obs->indicator;
      hidden->url = g_strdup (page_url);
    }

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_statuspage_reader = {
  .platform = "statuspage",
  .urls = statuspage_urls,
  .parse = statuspage_parse,
};
