/* mw-detect.c
 *
 * Platform detection for `modelwatch add`: each platform is recognised by
 * the document its own page loads (status-sources §5), tried in a fixed
 * order from the most specific fingerprint to the least.  A step that
 * fails (404, HTML, another shape) just moves on to the next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "mw-catalog.h"
#include "mw-detect.h"
#include "mw-reader.h"

typedef enum {
  STEP_FEED_URL,        /* the URL itself, when it has a path: a feed? */
  STEP_INCIDENTIO,      /* /proxy/<host> with a top-level "summary" */
  STEP_STATUSPAGE,      /* /api/v2/summary.json with page.id */
  STEP_INSTATUS,        /* /summary.json with page.status UP|HASISSUES|UNDERMAINTENANCE */
  STEP_INSTATUS_COMPONENTS,
  STEP_BETTERSTACK,     /* /index.json with data.type == "status_page" */
  STEP_DATADOG,         /* /config.json with domainPrefix and pageType */
  STEP_CHECKLY,         /* /api/status-page/<slug>/uptime with metadata[], slug guessed from the host */
  STEP_FEED_ORIGIN,     /* the URL itself, when it is a bare host: a feed? */
  STEP_DONE,
} Step;

typedef struct {
  MwFetcher   *fetcher;
  char        *url;        /* as given, without a trailing slash */
  char        *origin;     /* scheme://host[:port] */
  char        *host;       /* host without port */
  char        *slug;       /* Checkly's guess: status.mistral.ai -> mistral-ai */
  gboolean     has_path;
  Step         step;
  MwDetection *detection;  /* being filled (Instatus needs two documents) */
} Detect;

static void run_step (GTask *task);

static void
component_free (MwDetectedComponent *component)
{
  g_free (component->id);
  g_free (component->name);
  g_free (component->group);
  g_free (component);
}

void
mw_detection_free (MwDetection *detection)
{
  if (detection == NULL)
    return;

  g_free (detection->platform);
  g_free (detection->variant);
  g_free (detection->url);
  g_free (detection->name);
  g_clear_pointer (&detection->components, g_ptr_array_unref);
  g_clear_pointer (&detection->options, g_hash_table_unref);
  g_free (detection);
}

static MwDetection *
detection_new (const char *platform,
               const char *variant,
               const char *url,
               const char *name)
{
  MwDetection *detection = g_new0 (MwDetection, 1);

  detection->platform = g_strdup (platform);
  detection->variant = g_strdup (variant);
  detection->url = g_strdup (url);
  detection->name = name != NULL && *name != '\0' ? g_strstrip (g_strdup (name)) : NULL;
  detection->components = g_ptr_array_new_with_free_func ((GDestroyNotify) component_free);
  detection->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return detection;
}

static void
add_component (MwDetection *detection,
               const char  *id,
               const char  *name,
               const char  *group)
{
  MwDetectedComponent *component;

  if (name == NULL || *name == '\0')
    return;

  component = g_new0 (MwDetectedComponent, 1);
  component->id = g_strdup (id != NULL && *id != '\0' ? id : name);
  component->name = g_strstrip (g_strdup (name));
  component->group = group != NULL && *group != '\0' ? g_strdup (group) : NULL;
  g_ptr_array_add (detection->components, component);
}

static void
detect_free (Detect *detect)
{
  g_clear_object (&detect->fetcher);
  g_free (detect->url);
  g_free (detect->origin);
  g_free (detect->host);
  g_free (detect->slug);
  g_clear_pointer (&detect->detection, mw_detection_free);
  g_free (detect);
}

/* Fingerprints: each takes a parsed body and returns a detection or NULL. */

static MwDetection *
match_incidentio (Detect   *detect,
                  JsonNode *root)
{
  JsonObject *summary, *structure;
  JsonArray *components, *items;
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) hidden = g_hash_table_new (g_str_hash, g_str_equal);
  MwDetection *detection;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (summary = mw_json_get_object (json_node_get_object (root), "summary")) == NULL)
    return NULL;

  detection = detection_new ("incidentio", "incident.io", detect->origin,
                             mw_json_get_string (summary, "name"));

  /* Group names and hidden components come from the page's layout. */
  structure = mw_json_get_object (summary, "structure");
  items = structure != NULL ? mw_json_get_array (structure, "items") : NULL;
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      JsonObject *group = item != NULL ? mw_json_get_object (item, "group") : NULL;
      JsonObject *single = item != NULL ? mw_json_get_object (item, "component") : NULL;
      JsonArray *members = group != NULL ? mw_json_get_array (group, "components") : NULL;

      if (single != NULL && json_object_get_boolean_member_with_default (single, "hidden", FALSE) &&
          mw_json_get_string (single, "component_id") != NULL)
        g_hash_table_add (hidden, (gpointer) mw_json_get_string (single, "component_id"));

      for (guint j = 0; members != NULL && j < json_array_get_length (members); j++)
        {
          JsonObject *member = json_array_get_object_element (members, j);
          const char *id = member != NULL ? mw_json_get_string (member, "component_id") : NULL;

          if (id == NULL)
            continue;
          if (json_object_get_boolean_member_with_default (member, "hidden", FALSE) ||
              json_object_get_boolean_member_with_default (group, "hidden", FALSE))
            g_hash_table_add (hidden, (gpointer) id);
          g_hash_table_insert (groups, (gpointer) id, (gpointer) mw_json_get_string (group, "name"));
        }
    }

  components = mw_json_get_array (summary, "components");
  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);
      const char *id = component != NULL ? mw_json_get_string (component, "id") : NULL;

      if (id == NULL || g_hash_table_contains (hidden, id))
        continue;
      add_component (detection, id, mw_json_get_string (component, "name"),
                     g_hash_table_lookup (groups, id));
    }

  return detection;
}

static MwDetection *
match_statuspage (Detect   *detect,
                  JsonNode *root)
{
  JsonObject *object, *page;
  JsonArray *components;
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  const char *page_id, *variant;
  MwDetection *detection;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  page = mw_json_get_object (object, "page");
  page_id = page != NULL ? mw_json_get_string (page, "id") : NULL;
  if (page_id == NULL)
    return NULL;

  /* Atlassian: a 12-character id and a time zone; the incident.io shim:
   * a 26-character ULID and no time zone.  The same reader takes both. */
  if (strlen (page_id) == 12 && mw_json_get_string (page, "time_zone") != NULL)
    variant = _("Atlassian Statuspage");
  else if (strlen (page_id) == 26)
    variant = _("incident.io (Statuspage-compatible API)");
  else
    variant = _("Statuspage-compatible API");

  detection = detection_new ("statuspage", variant, detect->origin, mw_json_get_string (page, "name"));

  components = mw_json_get_array (object, "components");
  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);

      if (component != NULL && json_object_get_boolean_member_with_default (component, "group", FALSE) &&
          mw_json_get_string (component, "id") != NULL)
        g_hash_table_insert (groups, (gpointer) mw_json_get_string (component, "id"),
                             (gpointer) mw_json_get_string (component, "name"));
    }

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);
      const char *group_id;

      if (component == NULL || json_object_get_boolean_member_with_default (component, "group", FALSE))
        continue;

      group_id = mw_json_get_string (component, "group_id");
      add_component (detection, mw_json_get_string (component, "id"),
                     mw_json_get_string (component, "name"),
                     group_id != NULL ? g_hash_table_lookup (groups, group_id) : NULL);
    }

  return detection;
}

static MwDetection *
match_instatus (Detect   *detect,
                JsonNode *root)
{
  static const char * const words[] = { "UP", "HASISSUES", "UNDERMAINTENANCE", NULL };
  JsonObject *page;
  const char *status;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (page = mw_json_get_object (json_node_get_object (root), "page")) == NULL)
    return NULL;

  status = mw_json_get_string (page, "status");
  if (status == NULL || !g_strv_contains (words, status))
    return NULL;

  return detection_new ("instatus", "Instatus", detect->origin, mw_json_get_string (page, "name"));
}

static void
read_instatus_components (MwDetection *detection,
                          JsonNode    *root)
{
  JsonArray *components;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;

  components = mw_json_get_array (json_node_get_object (root), "components");
  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);
      JsonNode *group;
      const char *group_name = NULL;

      if (component == NULL)
        continue;

      group = json_object_get_member (component, "group");
      if (group != NULL && JSON_NODE_HOLDS_OBJECT (group))
        group_name = mw_json_get_string (json_node_get_object (group), "name");
      else if (group != NULL && JSON_NODE_HOLDS_VALUE (group) && json_node_get_value_type (group) == G_TYPE_STRING)
        group_name = json_node_get_string (group);

      add_component (detection, mw_json_get_string (component, "id"),
                     mw_json_get_string (component, "name"), group_name);
    }
}

static MwDetection *
match_betterstack (Detect   *detect,
                   JsonNode *root)
{
  JsonObject *data, *attributes;
  JsonArray *included;
  g_autoptr(GHashTable) sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  MwDetection *detection;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (data = mw_json_get_object (json_node_get_object (root), "data")) == NULL ||
      g_strcmp0 (mw_json_get_string (data, "type"), "status_page") != 0)
    return NULL;

  attributes = mw_json_get_object (data, "attributes");
  detection = detection_new ("betterstack", "Better Stack", detect->origin,
                             attributes != NULL ? mw_json_get_string (attributes, "company_name") : NULL);

  included = mw_json_get_array (json_node_get_object (root), "included");
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; included != NULL && i < json_array_get_length (included); i++)
      {
        JsonObject *item = json_array_get_object_element (included, i);
        JsonObject *attrs = item != NULL ? mw_json_get_object (item, "attributes") : NULL;
        const char *type = item != NULL ? mw_json_get_string (item, "type") : NULL;
        g_autofree char *id = NULL;
        JsonNode *id_node;

        if (attrs == NULL || type == NULL)
          continue;

        /* Better Stack sends ids as strings, but numbers do no harm. */
        id_node = json_object_get_member (item, "id");
        if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node) && json_node_get_value_type (id_node) == G_TYPE_INT64)
          id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id_node));
        else
          id = g_strdup (mw_json_get_string (item, "id"));

        if (pass == 0 && g_str_equal (type, "status_page_section") && id != NULL)
          g_hash_table_insert (sections, g_strdup (id), (gpointer) mw_json_get_string (attrs, "name"));
        else if (pass == 1 && g_str_equal (type, "status_page_resource"))
          {
            JsonNode *section = json_object_get_member (attrs, "status_page_section_id");
            g_autofree char *section_id = NULL;

            if (section != NULL && JSON_NODE_HOLDS_VALUE (section))
              section_id = json_node_get_value_type (section) == G_TYPE_INT64
                ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (section))
                : g_strdup (json_node_get_string (section));

            add_component (detection, id, mw_json_get_string (attrs, "public_name"),
                           section_id != NULL ? g_hash_table_lookup (sections, section_id) : NULL);
          }
      }

  return detection;
}

static void
read_datadog_components (MwDetection *detection,
                         JsonArray   *components,
                         const char  *group)
{
  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);
      JsonArray *children;

      if (component == NULL)
        continue;

      children = mw_json_get_array (component, "components");
      if (g_strcmp0 (mw_json_get_string (component, "type"), "ComponentGroup") == 0 || children != NULL)
        read_datadog_components (detection, children, mw_json_get_string (component, "name"));
      else
        add_component (detection, mw_json_get_string (component, "id"),
                       mw_json_get_string (component, "name"), group);
    }
}

static MwDetection *
match_datadog (Detect   *detect,
               JsonNode *root)
{
  JsonObject *object;
  MwDetection *detection;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  if (!json_object_has_member (object, "domainPrefix") || !json_object_has_member (object, "pageType"))
    return NULL;

  detection = detection_new ("datadog", "Datadog", detect->origin, mw_json_get_string (object, "name"));
  read_datadog_components (detection, mw_json_get_array (object, "components"), NULL);

  return detection;
}

/* Checkly's page API is keyed by a slug the page does not publish in a
 * fixed place; Mistral's is its domain with dashes ("mistral-ai"). */
static char *
guess_checkly_slug (const char *host)
{
  const char *rest = host;

  if (g_str_has_prefix (rest, "status."))
    rest += strlen ("status.");
  else if (g_str_has_prefix (rest, "www."))
    rest += strlen ("www.");

  return g_strdelimit (g_ascii_strdown (rest, -1), ".:", '-');
}

static MwDetection *
match_checkly (Detect   *detect,
               JsonNode *root)
{
  JsonArray *groups;
  MwDetection *detection;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (groups = mw_json_get_array (json_node_get_object (root), "metadata")) == NULL)
    return NULL;

  detection = detection_new ("checkly", "Checkly", detect->origin, NULL);
  g_hash_table_insert (detection->options, g_strdup ("slug"), g_strdup (detect->slug));

  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *group = json_array_get_object_element (groups, i);
      JsonArray *services = group != NULL ? mw_json_get_array (group, "services") : NULL;

      for (guint j = 0; services != NULL && j < json_array_get_length (services); j++)
        {
          JsonObject *service = json_array_get_object_element (services, j);

          if (service != NULL)
            add_component (detection, mw_json_get_string (service, "id"), mw_json_get_string (service, "name"),
                           mw_json_get_string (group, "name"));
        }
    }

  return detection;
}

/* An RSS or Atom document: its root element says so. */
static MwDetection *
match_feed (Detect *detect,
            GBytes *body)
{
  g_autoptr(GBytes) utf8 = mw_bytes_to_utf8 (body, NULL);
  g_autoptr(GRegex) root_regex = NULL;
  g_autoptr(GRegex) title_regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  const char *data;
  gsize length;

  if (utf8 == NULL)
    return NULL;

  data = g_bytes_get_data (utf8, &length);
  text = g_strndup (data, MIN (length, 65536));

  /* The first element that is not a declaration, comment or doctype. */
  root_regex = g_regex_new ("^\\s*(?:<\\?[^>]*\\?>\\s*|<!--.*?-->\\s*|<!DOCTYPE[^>]*>\\s*)*<(rss|feed|rdf:RDF)[\\s>]",
                            G_REGEX_DOTALL, 0, NULL);
  if (!g_regex_match (root_regex, text, 0, NULL))
    return NULL;

  title_regex = g_regex_new ("<title[^>]*>\\s*(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?\\s*</title>",
                             G_REGEX_DOTALL, 0, NULL);
  if (g_regex_match (title_regex, text, 0, &match))
    title = g_match_info_fetch (match, 1);

  return detection_new ("feed", _("RSS/Atom feed"), detect->url, title);
}

/* The steps */

static char *
step_url (Detect *detect)
{
  switch (detect->step)
    {
    case STEP_FEED_URL:
    case STEP_FEED_ORIGIN:
      return g_strdup (detect->url);
    case STEP_INCIDENTIO:
      return g_strdup_printf ("%s/proxy/%s", detect->origin, detect->host);
    case STEP_STATUSPAGE:
      return g_strdup_printf ("%s/api/v2/summary.json", detect->origin);
    case STEP_INSTATUS:
      return g_strdup_printf ("%s/summary.json", detect->origin);
    case STEP_INSTATUS_COMPONENTS:
      return g_strdup_printf ("%s/v2/components.json", detect->origin);
    case STEP_BETTERSTACK:
      return g_strdup_printf ("%s/index.json", detect->origin);
    case STEP_DATADOG:
      return g_strdup_printf ("%s/config.json", detect->origin);
    case STEP_CHECKLY:
      return g_strdup_printf ("%s/api/status-page/%s/uptime", detect->origin, detect->slug);
    case STEP_DONE:
    default:
      return NULL;
    }
}

static void
next_step (GTask *task)
{
  Detect *detect = g_task_get_task_data (task);

  detect->step++;

  /* The URL is read as a feed once: first when it has a path of its own,
   * last when it is a bare host. */
  if (detect->step == STEP_FEED_ORIGIN && detect->has_path)
    detect->step++;

  run_step (task);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Detect *detect = g_task_get_task_data (task);
  g_autoptr(MwFetchResult) fetched = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = step_url (detect);
  MwDetection *found = NULL;

  fetched = mw_fetcher_get_finish (MW_FETCHER (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A host that cannot be reached will not answer the next path either;
   * say so rather than "not a status page". */
  if (g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_NETWORK) ||
      g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TIMEOUT) ||
      g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_OFFLINE))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (fetched != NULL && fetched->body != NULL)
    {
      g_debug ("detect: %s answered %u", url, fetched->status);

      if (detect->step == STEP_FEED_URL || detect->step == STEP_FEED_ORIGIN)
        found = match_feed (detect, fetched->body);
      else
        root = mw_parse_json (url, fetched->body, NULL);
    }
  else
    {
      g_debug ("detect: %s: %s", url, error != NULL ? error->message : "no body");
    }

  if (root != NULL)
    {
      switch (detect->step)
        {
        case STEP_INCIDENTIO:
          found = match_incidentio (detect, root);
          break;
        case STEP_STATUSPAGE:
          found = match_statuspage (detect, root);
          break;
        case STEP_INSTATUS:
          detect->detection = match_instatus (detect, root);
          if (detect->detection != NULL)
            {
              /* Its components live in a second document. */
              detect->step = STEP_INSTATUS_COMPONENTS;
              run_step (g_steal_pointer (&task));
              return;
            }
          break;
        case STEP_INSTATUS_COMPONENTS:
          read_instatus_components (detect->detection, root);
          break;
        case STEP_BETTERSTACK:
          found = match_betterstack (detect, root);
          break;
        case STEP_DATADOG:
          found = match_datadog (detect, root);
          break;
        case STEP_CHECKLY:
          found = match_checkly (detect, root);
          break;
        case STEP_FEED_URL:
        case STEP_FEED_ORIGIN:
        case STEP_DONE:
        default:
          break;
        }
    }

  /* Instatus is found even when its component list cannot be read. */
  if (detect->step == STEP_INSTATUS_COMPONENTS)
    found = g_steal_pointer (&detect->detection);

  if (found != NULL)
    {
      g_task_return_pointer (task, found, (GDestroyNotify) mw_detection_free);
      return;
    }

  next_step (g_steal_pointer (&task));
}

static void
run_step (GTask *task)
{
  Detect *detect = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  if (detect->step >= STEP_DONE)
    {
      g_task_return_new_error (task, MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED,
                               _("%s does not look like a status page Modelwatch can read "
                                 "(tried incident.io, Atlassian Statuspage, Instatus, Better Stack, "
                                 "Datadog, Checkly and RSS/Atom)"),
                               detect->url);
      g_object_unref (task);
      return;
    }

  url = step_url (detect);
  mw_fetcher_get_async (detect->fetcher, url, NULL, NULL, g_task_get_cancellable (task),
                        fetched_cb, task);
}

/**
 * mw_detect_async:
 * @fetcher: the fetcher to use (its timeout and size cap apply)
 * @url: the page, its base URL or a feed; https:// (http:// only on loopback)
 *
 * Finds which platform serves @url by trying each platform's own data
 * document in turn.  Completes with %MW_SOURCE_ERROR_UNSUPPORTED when
 * none answers, and %MW_CATALOG_ERROR_INVALID for a URL that may not be
 * fetched.
 */
void
mw_detect_async (MwFetcher           *fetcher,
                 const char          *url,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  Detect *detect;
  const char *path;
  gsize length;

  g_return_if_fail (MW_IS_FETCHER (fetcher));
  g_return_if_fail (url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_detect_async);

  if (!mw_url_is_allowed (url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  detect = g_new0 (Detect, 1);
  detect->fetcher = g_object_ref (fetcher);
  detect->host = g_strdup (g_uri_get_host (uri));
  detect->slug = guess_checkly_slug (detect->host);

  length = strlen (url);
  while (length > 0 && url[length - 1] == '/')
    length--;
  detect->url = g_strndup (url, length);

  if (g_uri_get_port (uri) > 0)
    detect->origin = g_strdup_printf ("%s://%s%s%s:%d", g_uri_get_scheme (uri),
                                      strchr (detect->host, ':') != NULL ? "[" : "", detect->host,
                                      strchr (detect->host, ':') != NULL ? "]" : "", g_uri_get_port (uri));
  else
    detect->origin = g_strdup_printf ("%s://%s%s%s", g_uri_get_scheme (uri),
                                      strchr (detect->host, ':') != NULL ? "[" : "", detect->host,
                                      strchr (detect->host, ':') != NULL ? "]" : "");

  path = g_uri_get_path (uri);
  detect->has_path = (path != NULL && *path != '\0' && !g_str_equal (path, "/")) || g_uri_get_query (uri) != NULL;
  detect->step = detect->has_path ? STEP_FEED_URL : STEP_INCIDENTIO;
  g_task_set_task_data (task, detect, (GDestroyNotify) detect_free);

  run_step (g_steal_pointer (&task));
}

MwDetection *
mw_detect_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GRegex *
bracketed (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("\\([^)]*\\)", 0, 0, NULL));

  return regex;
}

gboolean
mw_detect_component_is_model (const char *name)
{
  /* Family words count only next to a version number: "Claude Code" is
   * a product, "Claude Opus 4.7" a model. */
  static const char * const families[] = {
    "claude", "opus", "sonnet", "haiku", "gpt", "o1", "o3", "o4", "gemini", "gemma", "llama", "mistral",
    "qwen", "qwq", "deepseek", "kimi", "glm", "grok", "command", "embed", "rerank", "aya", "c4ai",
    "whisper", "phi", "minimax", "nova", "titan", "flux", "sdxl", "e5", "bge", "jamba", "nemotron",
    "granite", "olmo", "hermes", "yi", "ernie", "hunyuan", "doubao", "k2", "k3", "muse",
    NULL
  };
  /* Model names that carry no number. */
  static const char * const names[] = {
    "codestral", "devstral", "magistral", "mixtral", "sonar", "inkling", "kokoro", "orpheus", NULL
  };
  g_autofree char *lower = NULL;
  g_auto(GStrv) words = NULL;
  gboolean has_digit = FALSE;

  if (name == NULL)
    return FALSE;

  /* "Embeddings (/api/v1/embeddings)": what is in brackets is a path,
   * a host or a translation, never the model. */
  {
    g_autofree char *down = g_ascii_strdown (name, -1);

    lower = g_regex_replace_literal (bracketed (), down, -1, 0, "", 0, NULL);
  }
  for (const char *p = lower; *p != '\0'; p++)
    has_digit |= g_ascii_isdigit (*p);

  /* An API model id: "llama-3.3-70b-versatile", "openai/gpt-oss-120b". */
  if (has_digit && strchr (lower, ' ') == NULL && (strchr (lower, '-') != NULL || strchr (lower, '/') != NULL) &&
      strstr (lower, "://") == NULL && lower[0] != '/')
    return TRUE;

  words = g_regex_split_simple ("[^a-z0-9]+", lower, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (g_strv_contains (names, words[i]))
        return TRUE;

      for (guint j = 0; has_digit && families[j] != NULL; j++)
        if (g_str_has_prefix (words[i], families[j]))
          return TRUE;
    }

  return FALSE;
}
