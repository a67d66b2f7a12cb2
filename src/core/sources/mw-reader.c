/* mw-reader.c
 *
 * The registry of status-page readers and the helpers they share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "mw-reader.h"

G_DEFINE_QUARK (mw-source-error-quark, mw_source_error)

static const MwReader * const readers[] = {
  &mw_statuspage_reader,
  &mw_incidentio_reader,
  &mw_instatus_reader,
  &mw_betterstack_reader,
  &mw_checkly_reader,
  &mw_datadog_reader,
  &mw_flashduty_reader,
  &mw_gcloud_reader,
  &mw_aws_reader,
  &mw_feed_reader,
};

const MwReader *
mw_reader_lookup (const char *platform)
{
  for (guint i = 0; platform != NULL && i < G_N_ELEMENTS (readers); i++)
    if (g_str_equal (readers[i]->platform, platform))
      return readers[i];

  return NULL;
}

const char * const *
mw_reader_platforms (void)
{
  static const char *names[G_N_ELEMENTS (readers) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
      names[i] = readers[i]->platform;

  return names;
}

/* The host of @url, for messages: "status.claude.com", or "127.0.0.1:8080". */
char *
mw_url_host (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return g_strdup ("?");

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);

  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));

  return g_strdup (g_uri_get_host (uri));
}

/* Joins a page's base URL and an absolute path, with exactly one slash. */
char *
mw_url_join (const char *base,
             const char *path)
{
  gsize len;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    len--;
  while (*path == '/')
    path++;

  return g_strdup_printf ("%.*s/%s", (int) len, base, path);
}

/* Strips a UTF-8 BOM and converts UTF-16 (with a BOM) to UTF-8. */
GBytes *
mw_bytes_to_utf8 (GBytes  *bytes,
                  GError **error)
{
  gsize len;
  const guchar *data = g_bytes_get_data (bytes, &len);

  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    return g_bytes_new_from_bytes (bytes, 3, len - 3);

  if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
    {
      const char *charset = data[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      gsize written = 0;
      char *utf8 = g_convert ((const char *) data + 2, len - 2, "UTF-8", charset,
                              NULL, &written, error);

      if (utf8 == NULL)
        return NULL;

      return g_bytes_new_take (utf8, written);
    }

  return g_bytes_ref (bytes);
}

/* A challenge or login page: an HTML document where data was expected.
 * Feeds start with "<?xml" or "<rss" and mention "html" in attributes, so
 * only the start of the document counts. */
gboolean
mw_body_looks_like_html (GBytes *body)
{
  static const char * const starts[] = { "<!doctype html", "<html", "<head", "<body", NULL };
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  gsize i = 0;

  if (len >= 3 && (guchar) data[0] == 0xEF && (guchar) data[1] == 0xBB && (guchar) data[2] == 0xBF)
    i = 3;
  while (i < len && g_ascii_isspace (data[i]))
    i++;

  for (guint k = 0; starts[k] != NULL; k++)
    {
      gsize n = strlen (starts[k]);

      if (len - i >= n && g_ascii_strncasecmp (data + i, starts[k], n) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The headline of a page that has none of its own (feeds, Google Cloud,
 * AWS, Flashduty): how many incidents are open. */
char *
mw_describe_open_incidents (guint n_open)
{
  if (n_open == 0)
    return g_strdup (_("No open incidents"));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open incident", "%u open incidents", n_open),
                          n_open);
}

/**
 * mw_one_line:
 * @text: a message that may quote the page, such as a parser's error
 * @max_chars: how many characters to keep
 *
 * Error messages are one line, but a parser's message quotes the bytes it
 * choked on, which can hold newlines and any amount of text: those become
 * spaces, invalid UTF-8 is replaced, and the rest is cut with an ellipsis.
 *
 * Returns: (transfer full): the message on one line
 */
char *
mw_one_line (const char *text,
             guint       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *line = g_string_new (NULL);
  const char *p = valid;

  for (guint n = 0; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_iscntrl (c) || type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_c (line, ' ');
      else
        g_string_append_unichar (line, c);
    }
  if (*p != '\0')
    g_string_append (line, "…");

  return g_string_free (line, FALSE);
}

/* Nothing but ASCII white space (or nothing at all): an empty page or
 * file, told apart from a broken one. */
gboolean
mw_text_is_blank (const char *data,
                  gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;

  return TRUE;
}

/**
 * mw_parse_json_doc:
 *
 * Parses a page's body as JSON. An HTML body (a bot challenge, a login
 * wall) is %MW_SOURCE_ERROR_CHALLENGE, not a parse error, so the user is
 * told that the page changed, not that it is broken.
 */
MwJsonDoc *
mw_parse_json_doc (const char *url,
                   GBytes     *body,
                   GError    **error)
{
  g_autoptr(GBytes) utf8 = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *reason = NULL;
  gboolean html = FALSE;
  gsize len = 0;
  const char *data = NULL;

  utf8 = mw_bytes_to_utf8 (body, NULL);
  if (utf8 != NULL)
    html = mw_body_looks_like_html (utf8);
  if (utf8 != NULL && !html)
    {
      MwJsonDoc *doc;

      data = g_bytes_get_data (utf8, &len);
      doc = mw_json_doc_parse (data, len, &local_error);
      if (doc != NULL)
        return doc;
    }

  /* Every page of every poll comes here: the host for a message is only
   * worked out when there is one to write. */
  host = mw_url_host (url);

  if (utf8 == NULL)
    g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE,
                 _("%s sent text in an unknown encoding"), host);
  else if (html)
    g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_CHALLENGE,
                 _("%s: page format changed (an HTML page instead of JSON, perhaps a bot challenge)"),
                 host);
  else if (mw_text_is_blank (data, len))
    g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE,
                 _("%s sent an empty answer"), host);
  else
    {
      reason = mw_one_line (local_error->message, 120);
      g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE,
                   _("%s sent malformed JSON (%s)"), host, reason);
    }

  return NULL;
}

/**
 * mw_parse_json:
 *
 * As mw_parse_json_doc(), for readers that read json-glib's tree.
 */
JsonNode *
mw_parse_json (const char *url,
               GBytes     *body,
               GError    **error)
{
  g_autoptr(MwJsonDoc) doc = mw_parse_json_doc (url, body, error);

  if (doc == NULL)
    return NULL;

  return mw_json_value_to_node (mw_json_doc_get_root (doc));
}

/* ISO 8601 with or without fractions or zone (UTC assumed), or epoch seconds. */
GDateTime *
mw_parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  GDateTime *dt;

  if (text == NULL || *text == '\0' || g_str_equal (text, "$undefined"))
    return NULL;

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt != NULL)
    return dt;

  if (g_ascii_isdigit (*text))
    {
      char *end = NULL;
      gint64 secs = g_ascii_strtoll (text, &end, 10);

      if (end != NULL && *end == '\0')
        {
          if (secs > G_GINT64_CONSTANT (100000000000))  /* milliseconds */
            secs /= 1000;
          return g_date_time_new_from_unix_utc (secs);
        }
    }

  return NULL;
}

/* Like json_object_get_string_member(), but absent, null, non-string and
 * the Next.js "$undefined" artefact are all NULL. */
const char *
mw_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node;
  const char *value;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  if (value == NULL || g_str_equal (value, "$undefined"))
    return NULL;

  return value;
}

JsonArray *
mw_json_get_array (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The @index-th element of @array when it is an object; NULL for anything
 * else, since pages put nulls and strays in their arrays too. */
JsonObject *
mw_json_array_get_object (JsonArray *array,
                          guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
mw_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
