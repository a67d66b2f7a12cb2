/* mw-feed.c
 *
 * Reader for RSS 2.0 and Atom feeds: xAI's /feed.xml, Azure's status RSS,
 * AWS's per-region RSS and any Statuspage or incident.io /history.atom.
 * Feeds carry no component table and no status field, so the state of an
 * item is read from the words its publisher uses for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "mw-markup.h"
#include "mw-reader.h"

typedef struct {
  char      *id;
  char      *title;
  char      *link;
  char      *html;        /* description, content or summary */
  GPtrArray *categories;
  GDateTime *date;
} FeedItem;

static void
feed_item_free (gpointer data)
{
  FeedItem *item = data;

  g_free (item->id);
  g_free (item->title);
  g_free (item->link);
  g_free (item->html);
  g_ptr_array_unref (item->categories);
  g_clear_pointer (&item->date, g_date_time_unref);
  g_free (item);
}

static GStrv
feed_urls (const MwProvider *provider)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, provider->page_url);
  return g_strv_builder_end (builder);
}

static GDateTime *
parse_feed_date (const char *text)
{
  g_autoptr(GDateTime) http = NULL;
  GDateTime *iso;

  if (text == NULL)
    return NULL;

  iso = mw_parse_time (text);
  if (iso != NULL)
    return iso;

  http = soup_date_time_new_from_http_string (text);
  return http != NULL ? g_date_time_to_utc (http) : NULL;
}

static FeedItem *
read_item (const MwMarkupNode *item_node)
{
  FeedItem *item = g_new0 (FeedItem, 1);
  g_autofree char *published = NULL;

  item->categories = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; item_node->children != NULL && i < item_node->children->len; i++)
    {
      const MwMarkupNode *n = g_ptr_array_index (item_node->children, i);

      if (n->name == NULL)
        continue;

      if (mw_markup_node_is (n, "title") && item->title == NULL)
        item->title = mw_markup_node_text (n);
      else if ((mw_markup_node_is (n, "guid") || mw_markup_node_is (n, "id")) && item->id == NULL)
        item->id = mw_markup_node_text (n);
      else if (mw_markup_node_is (n, "link") && item->link == NULL)
        {
          const char *href = mw_markup_node_attr (n, "href");

          item->link = href != NULL ? g_strdup (href) : mw_markup_node_text (n);
        }
      else if (mw_markup_node_is (n, "description") || mw_markup_node_is (n, "content") ||
               (mw_markup_node_is (n, "summary") && item->html == NULL))
        {
          g_free (item->html);
          item->html = mw_markup_node_text (n);
        }
      else if (mw_markup_node_is (n, "category"))
        {
          const char *term = mw_markup_node_attr (n, "term");
          char *text = term != NULL ? g_strdup (term) : mw_markup_node_text (n);

          if (text != NULL && *text != '\0')
            g_ptr_array_add (item->categories, text);
          else
            g_free (text);
        }
      else if (mw_markup_node_is (n, "pubDate") || mw_markup_node_is (n, "updated"))
        {
          g_autofree char *text = mw_markup_node_text (n);

          g_clear_pointer (&item->date, g_date_time_unref);
          item->date = parse_feed_date (text);
        }
      else if (mw_markup_node_is (n, "published"))
        published = mw_markup_node_text (n);
    }

  if (item->date == NULL && published != NULL)
    item->date = parse_feed_date (published);

  if (item->id == NULL)
    item->id = g_strdup (item->link != NULL ? item->link : item->title);

  return item;
}

/* Text of the first element named one of @names, in document order. */
static char *
html_first_text (const MwMarkupNode *node,
                 const char * const *names)
{
  if (node->name == NULL)
    return NULL;
  if (g_strv_contains (names, node->name))
    return mw_markup_node_text (node);

  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    {
      char *found = html_first_text (g_ptr_array_index (node->children, i), names);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
html_collect (const MwMarkupNode *node,
              const char         *name,
              GPtrArray          *out)
{
  if (node->name == NULL)
    return;
  if (g_str_equal (node->name, name))
    {
      g_ptr_array_add (out, mw_markup_node_text (node));
      return;
    }

  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    html_collect (g_ptr_array_index (node->children, i), name, out);
}

typedef struct {
  char      *label;    /* the latest lifecycle word: "resolved", "monitoring", … */
  char      *latest;   /* the text of the latest update */
  char      *all;      /* every word of the item */
  GPtrArray *affected; /* component names the item lists */
} ItemText;

static void
item_text_clear (ItemText *t)
{
  g_free (t->label);
  g_free (t->latest);
  g_free (t->all);
  g_ptr_array_unref (t->affected);
}

static char *
normalise_label (char *label)
{
  char *p;

  if (label == NULL)
    return NULL;

  p = label;
  if (g_ascii_strncasecmp (p, "status:", 7) == 0)
    p += 7;
  p = g_ascii_strdown (g_strstrip (p), -1);
  g_free (label);

  return p;
}

/* Statuspage's Atom closes with "This incident affected: A, B, and C." */
static void
add_affected_sentence (GPtrArray  *affected,
                       const char *text)
{
  const char *marker = "This incident affected: ";
  const char *start = text != NULL ? strstr (text, marker) : NULL;
  g_autofree char *list = NULL;
  g_auto(GStrv) parts = NULL;

  if (start == NULL)
    return;

  list = g_strdup (start + strlen (marker));
  if (strchr (list, '.') != NULL && g_str_has_suffix (g_strstrip (list), "."))
    list[strlen (list) - 1] = '\0';

  parts = g_strsplit (list, ", ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = parts[i];

      if (g_str_has_prefix (part, "and "))
        part += 4;
      if (strstr (part, " and ") != NULL && parts[i + 1] == NULL)
        {
          g_auto(GStrv) two = g_strsplit (part, " and ", 2);

          g_ptr_array_add (affected, g_strdup (g_strstrip (two[0])));
          g_ptr_array_add (affected, g_strdup (g_strstrip (two[1])));
          continue;
        }
      if (*g_strstrip (part) != '\0')
        g_ptr_array_add (affected, g_strdup (part));
    }
}

static void
read_item_text (const FeedItem *item,
                ItemText       *t)
{
  static const char * const label_tags[] = { "strong", "b", "h3", NULL };
  static const char * const latest_tags[] = { "p", NULL };
  MwMarkupNode *doc = NULL;
  const MwMarkupNode *root = NULL;
  GString *all = g_string_new (item->title);

  t->affected = g_ptr_array_new_with_free_func (g_free);

  if (item->html != NULL && *item->html != '\0')
    {
      doc = mw_markup_parse_html (item->html);
      root = mw_markup_root (doc);
    }

  if (root != NULL)
    {
      g_autofree char *everything = mw_markup_node_text (root);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

      t->label = normalise_label (html_first_text (root, label_tags));
      t->latest = html_first_text (root, latest_tags);
      if (t->latest == NULL)
        t->latest = g_strdup (everything);

      /* incident.io lists "<li>Name (Current status)</li>". */
      html_collect (root, "li", items);
      for (guint i = 0; i < items->len; i++)
        {
          char *name = g_ptr_array_index (items, i);
          char *paren = name != NULL ? strrchr (name, '(') : NULL;

          if (paren != NULL)
            *paren = '\0';
          if (name != NULL && *g_strstrip (name) != '\0')
            g_ptr_array_add (t->affected, g_strdup (name));
        }

      add_affected_sentence (t->affected, everything);
    }

  /* xAI: "[API Console] Console not loading" */
  if (item->title != NULL && item->title[0] == '[')
    {
      const char *end = strchr (item->title, ']');

      if (end != NULL && end > item->title + 1)
        g_ptr_array_add (t->affected, g_strndup (item->title + 1, end - item->title - 1));
    }

  if (t->label != NULL)
    g_string_append_printf (all, " %s", t->label);
  for (guint i = 0; i < item->categories->len; i++)
    g_string_append_printf (all, " %s", (char *) g_ptr_array_index (item->categories, i));
  if (t->latest != NULL)
    g_string_append_printf (all, " %s", t->latest);

  t->all = g_utf8_strdown (all->str, -1);
  g_string_free (all, TRUE);

  if (doc != NULL)
    mw_markup_node_free (doc);
}

static gboolean
has_category (const FeedItem *item,
              const char     *word)
{
  for (guint i = 0; i < item->categories->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (item->categories, i), word) == 0)
      return TRUE;

  return FALSE;
}

typedef enum { ITEM_OPEN, ITEM_CLOSED, ITEM_UPCOMING } ItemLife;

static ItemLife
item_life (const FeedItem *item,
           const ItemText *t)
{
  static const char * const closed_labels[] = { "resolved", "postmortem", "completed", NULL };

  if (t->label != NULL && g_strv_contains (closed_labels, t->label))
    return ITEM_CLOSED;
  if (has_category (item, "resolved") || has_category (item, "completed"))
    return ITEM_CLOSED;
  if (item->title != NULL &&
      (g_str_has_prefix (item->title, "[RESOLVED]") ||
       g_str_has_prefix (item->title, "RESOLVED:") ||
       g_str_has_prefix (item->title, "Service is operating normally")))
    return ITEM_CLOSED;
  if (t->label != NULL && g_str_equal (t->label, "scheduled"))
    return ITEM_UPCOMING;

  return ITEM_OPEN;
}

/* DESIGN.md "feed item": maintenance words, "partial outage", then
 * "major outage" / "outage" / "unavailable"; an open item is at least
 * degraded. */
static MwHealth
item_health (const ItemText *t)
{
  const char *s = t->all;

  if (strstr (s, "partial outage") != NULL || strstr (s, "partial_outage") != NULL ||
      strstr (s, "partially unavailable") != NULL)
    return MW_HEALTH_PARTIAL_OUTAGE;
  if (strstr (s, "major outage") != NULL || strstr (s, "major_outage") != NULL ||
      strstr (s, "outage") != NULL || strstr (s, "unavailable") != NULL ||
      strstr (s, "disruption") != NULL)
    return MW_HEALTH_MAJOR_OUTAGE;
  if (strstr (s, "maintenance") != NULL ||
      (t->label != NULL && (g_str_equal (t->label, "in progress") || g_str_equal (t->label, "verifying"))))
    return MW_HEALTH_MAINTENANCE;

  return MW_HEALTH_DEGRADED;
}

static GPtrArray *
read_feed (const MwMarkupNode *root,
           gboolean           *is_feed)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (feed_item_free);

  *is_feed = FALSE;

  if (mw_markup_node_is (root, "rss") || mw_markup_node_is (root, "RDF"))
    {
      for (guint i = 0; root->children != NULL && i < root->children->len; i++)
        {
          const MwMarkupNode *channel = g_ptr_array_index (root->children, i);

          if (!mw_markup_node_is (channel, "channel"))
            continue;

          *is_feed = TRUE;
          for (guint j = 0; channel->children != NULL && j < channel->children->len; j++)
            if (mw_markup_node_is (g_ptr_array_index (channel->children, j), "item"))
              g_ptr_array_add (items, read_item (g_ptr_array_index (channel->children, j)));
        }

      /* RSS 1.0 puts items beside the channel. */
      for (guint i = 0; root->children != NULL && i < root->children->len; i++)
        if (mw_markup_node_is (g_ptr_array_index (root->children, i), "item"))
          g_ptr_array_add (items, read_item (g_ptr_array_index (root->children, i)));
    }
  else if (mw_markup_node_is (root, "feed"))
    {
      *is_feed = TRUE;
      for (guint i = 0; root->children != NULL && i < root->children->len; i++)
        if (mw_markup_node_is (g_ptr_array_index (root->children, i), "entry"))
          g_ptr_array_add (items, read_item (g_ptr_array_index (root->children, i)));
    }

  return items;
}

static void
drop_superseded (GPtrArray *items)
{
  /* Some feeds (AWS) post a new item per update under one guid: the newest wins. */
  for (guint i = 0; i < items->len; i++)
    {
      FeedItem *a = g_ptr_array_index (items, i);

      for (guint j = i + 1; j < items->len; j++)
        {
          FeedItem *b = g_ptr_array_index (items, j);

          if (g_strcmp0 (a->id, b->id) != 0)
            continue;

          if (a->date != NULL && b->date != NULL && g_date_time_compare (a->date, b->date) < 0)
            {
              g_ptr_array_remove_index (items, i);
              i--;
              break;
            }

          g_ptr_array_remove_index (items, j);
          j--;
        }
    }
}

static MwObservations *
feed_parse (const MwProvider *provider,
            GBytes * const   *bodies,
            guint             n_bodies,
            GError          **error)
{
  g_autoptr(MwObservations) obs = NULL;
  g_autoptr(GBytes) utf8 = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *host = mw_url_host (provider->page_url);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *converted = NULL;
  MwMarkupNode *doc;
  const MwMarkupNode *root;
  gboolean is_feed;
  int line;
  gsize len;
  const char *data;
  guint n_open = 0;

  g_return_val_if_fail (n_bodies == 1, NULL);

  utf8 = mw_bytes_to_utf8 (bodies[0], NULL);
  if (utf8 == NULL)
    utf8 = g_bytes_ref (bodies[0]);

  if (mw_body_looks_like_html (utf8))
    {
      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_CHALLENGE,
                   _("%s: page format changed (an HTML page instead of a feed, perhaps a bot challenge)"),
                   host);
      return NULL;
    }

  data = g_bytes_get_data (utf8, &len);
  if (len == 0)
    {
      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE, _("%s sent an empty answer"), host);
      return NULL;
    }

  /* A feed in another encoding than UTF-8 says so in its declaration. */
  encoding = mw_markup_xml_encoding (data, len);
  if (encoding != NULL)
    {
      converted = g_convert (data, len, "UTF-8", encoding, NULL, &len, NULL);
      if (converted == NULL)
        {
          g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE,
                       _("%s sent text in an unknown encoding"), host);
          return NULL;
        }
      data = converted;
    }

  /* GMarkup reads no DTD, expands no entity but XML's five and numeric
   * references, and never opens a file or the network: a feed is data,
   * not a program. */
  doc = mw_markup_parse_xml (data, len, &line, &local_error);
  if (doc == NULL)
    {
      g_autofree char *why = mw_one_line (local_error->message, 120);
      const char *what = why;

      /* GMarkup's own messages repeat the position the format gives. */
      if (g_str_has_prefix (what, "Error on line ") && strstr (what, ": ") != NULL)
        what = strstr (what, ": ") + 2;

      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE,
                   _("%s sent a malformed feed (line %d: %s)"), host, line, what);
      return NULL;
    }

  root = mw_markup_root (doc);
  items = root != NULL ? read_feed (root, &is_feed) : NULL;
  mw_markup_node_free (doc);

  if (items == NULL || !is_feed)
    {
      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT,
                   _("%s: page format changed (expected an RSS or Atom feed)"), host);
      return NULL;
    }

  drop_superseded (items);

  obs = mw_observations_new ();

  for (guint i = 0; i < items->len; i++)
    {
      const FeedItem *item = g_ptr_array_index (items, i);
      ItemText text = { 0 };
      MwIncidentObs *incident;

      read_item_text (item, &text);

      if (item_life (item, &text) != ITEM_OPEN)
        {
          item_text_clear (&text);
          continue;
        }

      n_open++;
      incident = mw_observations_add_incident (obs, item->id, item->title);
      incident->health = item_health (&text);
      incident->maintenance = incident->health == MW_HEALTH_MAINTENANCE;
      incident->status = g_strdup (text.label);
      incident->url = g_strdup (item->link);
      incident->updated_at = item->date != NULL ? g_date_time_ref (item->date) : NULL;
      incident->started_at = item->date != NULL ? g_date_time_ref (item->date) : NULL;
      mw_incident_obs_add_update (incident, item->date, text.label, text.latest);
      for (guint j = 0; j < text.affected->len; j++)
        mw_incident_obs_add_component (incident, g_ptr_array_index (text.affected, j));

      item_text_clear (&text);
    }

  /* Components: the ones the catalog watches, and the ones open items name. */
  for (guint i = 0; provider->components != NULL && i < provider->components->len; i++)
    {
      const MwComponentRef *ref = g_ptr_array_index (provider->components, i);

      if (mw_observations_find_component (obs, ref->id) == NULL)
        mw_observations_add_component (obs, ref->id, ref->id, MW_HEALTH_OPERATIONAL);
    }

  for (guint i = 0; i < obs->incidents->len; i++)
    {
      const MwIncidentObs *incident = g_ptr_array_index (obs->incidents, i);

      for (guint j = 0; j < incident->component_ids->len; j++)
        {
          const char *name = g_ptr_array_index (incident->component_ids, j);
          MwComponentObs *c = (MwComponentObs *) mw_observations_find_component (obs, name);

          if (c == NULL)
            c = mw_observations_add_component (obs, name, name, MW_HEALTH_OPERATIONAL);
          c->health = mw_health_worst (c->health, incident->health);
        }
    }

  obs->indicator = MW_HEALTH_OPERATIONAL;
  for (guint i = 0; i < obs->incidents->len; i++)
    obs->indicator = mw_health_worst (obs->indicator,
                                      ((MwIncidentObs *) g_ptr_array_index (obs->incidents, i))->health);

  obs->description = mw_describe_open_incidents (n_open);

  mw_observations_sort_incidents (obs);

  return g_steal_pointer (&obs);
}

const MwReader mw_feed_reader = {
  .platform = "feed",
  .urls = feed_urls,
  .parse = feed_parse,
};
