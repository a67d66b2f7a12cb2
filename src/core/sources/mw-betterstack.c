/* mw-betterstack.c
 *
 * Reader for Better Stack (Better Uptime) status pages: <page>/index.json,
 * a JSON:API document.  data.attributes.aggregate_state is the page's
 * indicator; included[] holds sections, resources (the rows, often one per
 * model), status reports and their updates, told apart by "type".
 *
 * "not_monitored" resources are unknown: Better Stack shows them without a
 * check behind them, so nothing says that they work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-reader.h"

static GStrv
betterstack_urls (const MwProvider *provider)
{
  GStrv urls;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  urls = g_new0 (char *, 2);
  urls[0] = mw_url_join (provider->page_url, "index.json");
  return urls;
}

/* JSON:API ids are strings, but foreign keys such as status_page_section_id
 * arrive as numbers: compare them as text. */
static char *
member_as_id (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (mw_json_get_string (object, member));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL;
    }
}

static MwObservations *
format_error (GError     **error,
              const char  *url,
              const char  *expected)
{
  g_autofree char *host = mw_url_host (url);

  /* Translators: the first %s is a host name, the second names a JSON layout. */
  g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
               _("%s: page format changed (expected Better Stack JSON: %s)"), host, expected);
  return NULL;
}

/* DESIGN.md's Better Stack row; anything else, not_monitored included, is unknown. */
static MwHealth
health_from_word (const char *word)
{
  static const MwHealthWord map[] = {
    { "operational", MW_HEALTH_OPERATIONAL },
    { "maintenance", MW_HEALTH_MAINTENANCE },
    { "degraded", MW_HEALTH_DEGRADED },
    { "downtime", MW_HEALTH_MAJOR_OUTAGE },
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

  /* "resolved" is a report's lifecycle, not how bad it is. */
  if (word == NULL || g_str_equal (word, "resolved"))
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

static JsonObject *
find_included (JsonArray  *included,
               const char *type,
               const char *id)
{
  for (guint i = 0; id != NULL && i < json_array_get_length (included); i++)
    {
      JsonObject *item = mw_json_array_get_object (included, i);
      g_autofree char *item_id = member_as_id (item, "id");

      if (g_strcmp0 (mw_json_get_string (item, "type"), type) == 0 &&
          g_strcmp0 (item_id, id) == 0)
        return item;
    }

  return NULL;
}

static void
link_resources (MwObservations *obs,
                MwIncidentObs  *incident,
                JsonArray      *affected,
                Severity       *severity)
{
  for (guint i = 0; affected != NULL && i < json_array_get_length (affected); i++)
    {
      JsonObject *ref = mw_json_array_get_object (affected, i);
      g_autofree char *id = member_as_id (ref, "status_page_resource_id");

      /* Reports can name resources the page no longer shows. */
      if (id == NULL || mw_observations_find_component (obs, id) == NULL)
        continue;

      mw_incident_obs_add_component (incident, id);
      severity_add (severity, mw_json_get_string (ref, "status"));
    }
}

static gboolean
report_is_open (JsonObject *attributes,
                gboolean    maintenance,
                GDateTime  *now)
{
  g_autoptr(GDateTime) starts = mw_parse_time (mw_json_get_string (attributes, "starts_at"));
  g_autoptr(GDateTime) ends = mw_parse_time (mw_json_get_string (attributes, "ends_at"));

  if (g_strcmp0 (mw_json_get_string (attributes, "aggregate_state"), "resolved") == 0)
    return FALSE;

  /* A closed report has ends_at; a maintenance has it from the start, as
   * its planned end, and is upcoming until starts_at. */
  if (ends != NULL && g_date_time_compare (ends, now) <= 0)
    return FALSE;
  if (maintenance && starts != NULL && g_date_time_compare (starts, now) > 0)
    return FALSE;

  return TRUE;
}

static void
add_report (MwObservations   *obs,
            const MwProvider *provider,
            JsonArray        *included,
            JsonObject       *report,
            GDateTime        *now)
{
  JsonObject *attributes = mw_json_get_object (report, "attributes");
  JsonArray *updates = mw_json_get_array (mw_json_get_object (mw_json_get_object (report, "relationships"),
                                                              "status_updates"), "data");
  g_autofree char *id = member_as_id (report, "id");
  const char *title = mw_json_get_string (attributes, "title");
  gboolean maintenance = g_strcmp0 (mw_json_get_string (attributes, "report_type"), "maintenance") == 0;
  Severity severity = { MW_HEALTH_UNKNOWN, FALSE, FALSE, NULL };
  MwIncidentObs *incident;

  if (attributes == NULL || (id == NULL && title == NULL) ||
      !report_is_open (attributes, maintenance, now))
    return;

  incident = mw_observations_add_incident (obs, id, title);
  incident->maintenance = maintenance;
  incident->status = g_strdup (mw_json_get_string (attributes, "aggregate_state"));
  incident->started_at = mw_parse_time (mw_json_get_string (attributes, "starts_at"));
  incident->url = g_strdup (provider->page_url);

  link_resources (obs, incident, mw_json_get_array (attributes, "affected_resources"), &severity);
  severity_add (&severity, mw_json_get_string (attributes, "aggregate_state"));

  for (guint i = 0; updates != NULL && i < json_array_get_length (updates); i++)
    {
      g_autofree char *update_id = member_as_id (mw_json_array_get_object (updates, i), "id");
      JsonObject *update = mw_json_get_object (find_included (included, "status_update", update_id),
                                               "attributes");
      g_autoptr(GDateTime) at = NULL;
      g_autofree char *body = NULL;

      if (update == NULL)
        continue;

      at = mw_parse_time (mw_json_get_string (update, "published_at"));
      body = g_strdup (mw_json_get_string (update, "message"));
      if (body != NULL)
        g_strstrip (body);
      mw_incident_obs_add_update (incident, at, NULL, body);
      link_resources (obs, incident, mw_json_get_array (update, "affected_resources"), &severity);

      if (at != NULL && (incident->updated_at == NULL ||
                         g_date_time_compare (at, incident->updated_at) > 0))
        {
          g_clear_pointer (&incident->updated_at, g_date_time_unref);
          incident->updated_at = g_date_time_ref (at);
        }
    }
  mw_incident_obs_sort_updates (incident);

  if (maintenance)
    {
      incident->health = MW_HEALTH_MAINTENANCE;
      incident->impact = g_strdup ("maintenance");
    }
  else if (severity.any_known)
    {
      /* An open incident is at least degraded, whatever its words say. */
      incident->health = MAX (severity.worst, MW_HEALTH_DEGRADED);
      incident->impact = g_strdup (severity.worst_word);
    }
  else
    incident->health = severity.any_unknown ? MW_HEALTH_UNKNOWN : MW_HEALTH_DEGRADED;
}

static MwObservations *
betterstack_parse (const MwProvider *provider,
                   GBytes * const   *bodies,
                   guint             n_bodies,
                   GError          **error)
{
  g_auto(GStrv) urls = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwObservations) obs = NULL;
  g_autoptr(GHashTable) sections = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonObject *data;
  JsonObject *attributes;
  JsonArray *included;
  JsonArray *listed;
  const char *type;
  guint n_resources = 0;

  g_return_val_if_fail (provider != NULL && provider->page_url != NULL, NULL);

  urls = betterstack_urls (provider);
  if (n_bodies < 1 || bodies[0] == NULL)
    return format_error (error, urls[0], "index.json");

  root = mw_parse_json (urls[0], bodies[0], error);
  if (root == NULL)
    return NULL;

  /* A Statuspage or Instatus summary has no "data"; say so rather than
   * report an empty page as all clear. */
  data = JSON_NODE_HOLDS_OBJECT (root) ? mw_json_get_object (json_node_get_object (root), "data") : NULL;
  attributes = mw_json_get_object (data, "attributes");
  included = JSON_NODE_HOLDS_OBJECT (root) ? mw_json_get_array (json_node_get_object (root), "included") : NULL;
  type = mw_json_get_string (data, "type");
  if (attributes == NULL || included == NULL || (type != NULL && !g_str_equal (type, "status_page")))
    return format_error (error, urls[0], "data.attributes and included[]");

  obs = mw_observations_new ();
  obs->page_name = g_strdup (mw_json_get_string (attributes, "company_name"));
  obs->description = g_strdup (mw_json_get_string (attributes, "announcement"));
  obs->indicator = health_from_word (mw_json_get_string (attributes, "aggregate_state"));

  sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length (included); i++)
    {
      JsonObject *item = mw_json_array_get_object (included, i);
      const char *name = mw_json_get_string (mw_json_get_object (item, "attributes"), "name");
      char *id;

      if (g_strcmp0 (mw_json_get_string (item, "type"), "status_page_section") != 0 || name == NULL)
        continue;

      /* A section without a usable id cannot be referred to: skip it
       * (a NULL key would crash the string hash). */
      id = member_as_id (item, "id");
      if (id != NULL)
        g_hash_table_insert (sections, id, (gpointer) name);
    }

  for (guint i = 0; i < json_array_get_length (included); i++)
    {
      JsonObject *item = mw_json_array_get_object (included, i);
      JsonObject *resource = mw_json_get_object (item, "attributes");
      g_autofree char *id = member_as_id (item, "id");
      g_autofree char *section = member_as_id (resource, "status_page_section_id");
      const char *name = mw_json_get_string (resource, "public_name");
      const char *status = mw_json_get_string (resource, "status");
      MwComponentObs *c;

      if (g_strcmp0 (mw_json_get_string (item, "type"), "status_page_resource") != 0 ||
          (id == NULL && name == NULL))
        continue;

      n_resources++;
      c = mw_observations_add_component (obs, id, name, health_from_word (status));
      c->raw_status = g_strdup (status);
      if (section != NULL)
        c->group_name = g_strdup (g_hash_table_lookup (sections, section));
    }

  /* The page says it has resources, but none came: the layout moved. */
  listed = mw_json_get_array (mw_json_get_object (mw_json_get_object (data, "relationships"), "resources"),
                              "data");
  if (n_resources == 0 && listed != NULL && json_array_get_length (listed) > 0)
    return format_error (error, urls[0], "included status_page_resource items");

  for (guint i = 0; i < json_array_get_length (included); i++)
    {
      JsonObject *item = mw_json_array_get_object (included, i);

      if (g_strcmp0 (mw_json_get_string (item, "type"), "status_report") == 0)
        add_report (obs, provider, included, item, now);
    }

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_betterstack_reader = {
  .platform = "betterstack",
  .urls = betterstack_urls,
  .parse = betterstack_parse,
};
