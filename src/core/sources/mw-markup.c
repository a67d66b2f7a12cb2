/* mw-markup.c
 *
 * The two markup readers of the feed reader, without libxml2: feeds
 * themselves (XML, through GMarkup, refusing what GMarkup lets through and
 * XML does not) and the HTML inside their items (a lenient reader that
 * builds the tree libxml2's HTML parser built, as far as text goes). Both
 * give the same small tree. Neither reads a DTD, expands an entity beyond
 * XML's and HTML's own, opens a file or the network, or nests deeper
 * than MAX_DEPTH.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mw-markup.h"

/* Both parsers refuse to nest deeper than this, as libxml2 did. */
#define MAX_DEPTH 256

void
mw_markup_node_free (MwMarkupNode *node)
{
  g_free (node->name);
  g_free (node->text);
  g_strfreev (node->attrs);
  if (node->children != NULL)
    g_ptr_array_unref (node->children);
  g_free (node);
}

static MwMarkupNode *
node_append (MwMarkupNode *parent,
             const char   *name)
{
  MwMarkupNode *node = g_new0 (MwMarkupNode, 1);

  node->name = g_strdup (name);
  node->parent = parent;
  if (parent->children == NULL)
    parent->children = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_markup_node_free);
  g_ptr_array_add (parent->children, node);

  return node;
}

static MwMarkupNode *
node_last_child (const MwMarkupNode *node)
{
  if (node->children == NULL || node->children->len == 0)
    return NULL;

  return g_ptr_array_index (node->children, node->children->len - 1);
}

static void
node_append_text (MwMarkupNode *parent,
                  const char   *text,
                  gsize         len)
{
  MwMarkupNode *last = node_last_child (parent);

  if (len == 0)
    return;

  /* Adjacent text is one node, as in a DOM. */
  if (last == NULL || last->name != NULL)
    last = node_append (parent, NULL);

  /* Grown in steps, as text may come one character reference at a time. */
  if (last->text_len + len + 1 > last->text_size)
    {
      last->text_size = MAX (2 * last->text_size, last->text_len + len + 1);
      last->text = g_realloc (last->text, last->text_size);
    }
  memcpy (last->text + last->text_len, text, len);
  last->text_len += len;
  last->text[last->text_len] = '\0';
}

gboolean
mw_markup_node_is (const MwMarkupNode *node,
                   const char         *name)
{
  return node->name != NULL && strcmp (node->name, name) == 0;
}

const char *
mw_markup_node_attr (const MwMarkupNode *node,
                     const char         *name)
{
  for (guint i = 0; node->attrs != NULL && node->attrs[i] != NULL; i += 2)
    if (strcmp (node->attrs[i], name) == 0)
      return node->attrs[i + 1];

  return NULL;
}

static void
node_collect_text (const MwMarkupNode *node,
                   GString            *out)
{
  if (node->text != NULL)
    g_string_append (out, node->text);

  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    node_collect_text (g_ptr_array_index (node->children, i), out);
}

/* All the text under @node, stripped. */
char *
mw_markup_node_text (const MwMarkupNode *node)
{
  GString *text = g_string_new (NULL);

  node_collect_text (node, text);
  g_strstrip (text->str);

  return g_string_free (text, FALSE);
}

/* XML ------------------------------------------------------------------ */

typedef struct {
  MwMarkupNode *document;
  MwMarkupNode *current;
  guint         depth;
  GPtrArray    *prefixes;   /* namespace prefixes declared by the open elements */
  GArray       *n_prefixes; /* how many each open element declared */
} XmlBuilder;

static gboolean
prefix_declared (XmlBuilder *b,
                 const char *qname,
                 gsize       len)
{
  if (len == 3 && strncmp (qname, "xml", 3) == 0)
    return TRUE;

  for (guint i = 0; i < b->prefixes->len; i++)
    {
      const char *p = g_ptr_array_index (b->prefixes, i);

      if (strlen (p) == len && strncmp (p, qname, len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* "atom:link" is "link" when "atom" is a declared prefix, as feeds mean it;
 * an undeclared prefix stays part of the name. */
static char *
local_name (XmlBuilder *b,
            const char *qname)
{
  const char *colon = strchr (qname, ':');

  if (colon != NULL && colon > qname && colon[1] != '\0' &&
      prefix_declared (b, qname, colon - qname))
    return g_strdup (colon + 1);

  return g_strdup (qname);
}

/* XML turns a line break into "\n" in text and into a space in an
 * attribute value. */
static char *
normalise_breaks (const char *text,
                  gsize       len,
                  gboolean    attribute)
{
  char *out = g_malloc (len + 1);
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '\r')
        {
          if (i + 1 < len && text[i + 1] == '\n')
            i++;
          c = '\n';
        }
      if (attribute && (c == '\n' || c == '\t'))
        c = ' ';
      out[n++] = c;
    }
  out[n] = '\0';

  return out;
}

/* XML allows no control character but tab and line breaks, not even as
 * a character reference; GMarkup lets some through. */
static gboolean
xml_chars_allowed (const char *text,
                   gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if ((guchar) text[i] < 0x20 && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
      return FALSE;

  return TRUE;
}

/* XML forbids an attribute twice on one element; GMarkup does not check. */
static gboolean
attributes_unique (const char **names,
                   GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; names[i] != NULL; i++)
    if (!g_hash_table_add (seen, (gpointer) names[i]))
      {
        g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                     _("attribute %s given twice"), names[i]);
        return FALSE;
      }

  return TRUE;
}

static void
xml_start (GMarkupParseContext  *context,
           const char           *element_name,
           const char          **attribute_names,
           const char          **attribute_values,
           gpointer              user_data,
           GError              **error)
{
  XmlBuilder *b = user_data;
  g_autoptr(GStrvBuilder) attrs = NULL;
  guint declared = 0;
  MwMarkupNode *node;

  if (b->depth > MAX_DEPTH)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   _("elements nested deeper than %d"), MAX_DEPTH);
      return;
    }

  if (b->current == b->document && b->document->children != NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                           _("more than one root element"));
      return;
    }

  if (!attributes_unique (attribute_names, error))
    return;

  for (guint i = 0; attribute_values[i] != NULL; i++)
    if (!xml_chars_allowed (attribute_values[i], strlen (attribute_values[i])))
      {
        g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                             _("a control character in an attribute value"));
        return;
      }

  for (guint i = 0; attribute_names[i] != NULL; i++)
    if (g_str_has_prefix (attribute_names[i], "xmlns:"))
      {
        g_ptr_array_add (b->prefixes, g_strdup (attribute_names[i] + 6));
        declared++;
      }
  g_array_append_val (b->n_prefixes, declared);

  attrs = g_strv_builder_new ();
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (g_str_equal (attribute_names[i], "xmlns") || g_str_has_prefix (attribute_names[i], "xmlns:"))
        continue;
      name = local_name (b, attribute_names[i]);
      value = normalise_breaks (attribute_values[i], strlen (attribute_values[i]), TRUE);
      g_strv_builder_add (attrs, name);
      g_strv_builder_add (attrs, value);
    }

  node = node_append (b->current, NULL);
  node->name = local_name (b, element_name);
  node->attrs = g_strv_builder_end (attrs);
  b->current = node;
  b->depth++;
}

static void
xml_end (GMarkupParseContext  *context,
         const char           *element_name,
         gpointer              user_data,
         GError              **error)
{
  XmlBuilder *b = user_data;
  guint declared = g_array_index (b->n_prefixes, guint, b->n_prefixes->len - 1);

  g_ptr_array_remove_range (b->prefixes, b->prefixes->len - declared, declared);
  g_array_set_size (b->n_prefixes, b->n_prefixes->len - 1);
  b->current = b->current->parent;
  b->depth--;
}

static void
xml_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 text_len,
          gpointer              user_data,
          GError              **error)
{
  XmlBuilder *b = user_data;
  g_autofree char *normal = NULL;

  if (!xml_chars_allowed (text, text_len))
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, _("a control character in text"));
      return;
    }

  /* GMarkup refuses text outside the root element itself. */
  if (b->current == b->document)
    return;

  normal = normalise_breaks (text, text_len, FALSE);
  node_append_text (b->current, normal, strlen (normal));
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_' || c == ':' || (guchar) c >= 0x80;
}

static gboolean
is_xml_name_char (char c)
{
  return is_name_start (c) || g_ascii_isdigit (c) || c == '-' || c == '.';
}

/* A processing instruction between "<?" and "?>": a target other than
 * "xml", then nothing or a blank and anything. */
static gboolean
valid_pi (const char *p,
          const char *end)
{
  const char *target = p;

  if (p >= end || !is_name_start (*p))
    return FALSE;
  while (p < end && is_xml_name_char (*p))
    p++;
  if (p - target == 3 && g_ascii_strncasecmp (target, "xml", 3) == 0)
    return FALSE;

  return p == end || g_ascii_isspace (*p);
}

/* Comments and processing instructions are ignored, but an XML
 * declaration belongs at the start only. */
static void
xml_passthrough (GMarkupParseContext  *context,
                 const char           *text,
                 gsize                 text_len,
                 gpointer              user_data,
                 GError              **error)
{
  if (text_len >= 4 && strncmp (text, "<?", 2) == 0 && !valid_pi (text + 2, text + text_len - 2))
    g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                         _("a broken processing instruction, or an XML declaration after the start"));
}

static const GMarkupParser xml_parser = {
  .start_element = xml_start,
  .end_element = xml_end,
  .text = xml_text,
  .passthrough = xml_passthrough,
};

static gboolean
skip_literal (const char **p,
              const char  *end,
              const char  *word)
{
  gsize n = strlen (word);

  while (*p < end && g_ascii_isspace (**p))
    (*p)++;
  if ((gsize) (end - *p) < n || strncmp (*p, word, n) != 0)
    return FALSE;
  *p += n;
  while (*p < end && g_ascii_isspace (**p))
    (*p)++;

  return TRUE;
}

/* A quoted value made of @allowed characters; returns it, or NULL. */
static char *
quoted_value (const char **p,
              const char  *end,
              const char  *allowed)
{
  char quote;
  const char *start;

  if (*p >= end || (**p != '"' && **p != '\''))
    return NULL;
  quote = *(*p)++;
  start = *p;
  while (*p < end && **p != quote && (g_ascii_isalnum (**p) || strchr (allowed, **p) != NULL))
    (*p)++;
  if (*p >= end || **p != quote || *p == start)
    return NULL;

  return g_strndup (start, (*p)++ - start);
}

/* version="1.x" [encoding="name"] [standalone="yes|no"], as XML has it,
 * between "<?xml" and @end, the "?>". */
static gboolean
valid_xml_declaration (const char *p,
                       const char *end)
{
  g_autofree char *version = NULL;

  if (!skip_literal (&p, end, "version") || !skip_literal (&p, end, "="))
    return FALSE;
  version = quoted_value (&p, end, ".");
  if (version == NULL || !g_str_has_prefix (version, "1.") || version[2] == '\0' ||
      strspn (version + 2, "0123456789") != strlen (version + 2))
    return FALSE;

  if (p < end && g_ascii_isspace (*p) && skip_literal (&p, end, "encoding"))
    {
      g_autofree char *encoding = NULL;

      if (!skip_literal (&p, end, "="))
        return FALSE;
      encoding = quoted_value (&p, end, "._-");
      if (encoding == NULL || !g_ascii_isalpha (encoding[0]))
        return FALSE;
    }

  if (p < end && g_ascii_isspace (*p) && skip_literal (&p, end, "standalone"))
    {
      g_autofree char *standalone = NULL;

      if (!skip_literal (&p, end, "="))
        return FALSE;
      standalone = quoted_value (&p, end, "");
      if (standalone == NULL || (!g_str_equal (standalone, "yes") && !g_str_equal (standalone, "no")))
        return FALSE;
    }

  while (p < end && g_ascii_isspace (*p))
    p++;

  return p == end;
}

/* A character reference GMarkup reads and XML does not ("&# 41;"), in
 * [@p, @end); returns where it starts, or NULL. */
static const char *
bad_char_ref (const char *p,
              const char *end)
{
  while ((p = g_strstr_len (p, end - p, "&#")) != NULL)
    {
      gboolean hex = p + 2 < end && p[2] == 'x';
      const char *digits = p + (hex ? 3 : 2);

      if (digits >= end || !(hex ? g_ascii_isxdigit (*digits) : g_ascii_isdigit (*digits)))
        return p;
      p = digits;
    }

  return NULL;
}

/* What GMarkup lets through and XML does not: '<' in an attribute value,
 * "]]>" in text, attributes run together and malformed character
 * references. Returns the offending place, or NULL. */
static const char *
xml_lexical_error (const char  *data,
                   gsize        len,
                   const char **why)
{
  const char *p = data;
  const char *end = data + len;

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);
      const char *text_end = lt != NULL ? lt : end;
      const char *bad = g_strstr_len (p, text_end - p, "]]>");
      const char *close = NULL;
      gsize close_len = 1;

      if (bad != NULL)
        {
          *why = _("“]]>” in text");
          return bad;
        }
      bad = bad_char_ref (p, text_end);
      if (bad != NULL)
        {
          *why = _("a malformed character reference");
          return bad;
        }
      if (lt == NULL)
        break;

      if (end - lt >= 4 && strncmp (lt, "<!--", 4) == 0)
        {
          close = g_strstr_len (lt + 4, end - lt - 4, "-->");
          close_len = 3;
        }
      else if (end - lt >= 9 && strncmp (lt, "<![CDATA[", 9) == 0)
        {
          close = g_strstr_len (lt + 9, end - lt - 9, "]]>");
          close_len = 3;
        }
      else if (end - lt >= 2 && lt[1] == '?')
        {
          close = g_strstr_len (lt + 2, end - lt - 2, "?>");
          close_len = 2;
        }
      else if (end - lt >= 2 && lt[1] == '!')
        close = memchr (lt, '>', end - lt);
      else
        {
          char quote = 0;

          for (close = lt + 1; close < end; close++)
            {
              if (quote != 0 && *close == '<')
                {
                  *why = _("“<” in an attribute value");
                  return close;
                }
              if (quote != 0 && *close == quote && close + 1 < end &&
                  !g_ascii_isspace (close[1]) && close[1] != '>' && close[1] != '/' && close[1] != '?')
                {
                  *why = _("attributes without a space between them");
                  return close + 1;
                }
              if (quote != 0)
                quote = *close == quote ? 0 : quote;
              else if (*close == '"' || *close == '\'')
                quote = *close;
              else if (*close == '>')
                break;
            }

          bad = bad_char_ref (lt, MIN (close, end));
          if (bad != NULL)
            {
              *why = _("a malformed character reference");
              return bad;
            }
        }

      /* GMarkup tells of what does not end. */
      if (close == NULL || close >= end)
        break;
      p = close + close_len;
    }

  return NULL;
}

static gboolean
skip_blanks (const char **p,
             const char  *end)
{
  const char *start = *p;

  while (*p < end && strchr (" \t\r\n", **p) != NULL)
    (*p)++;

  return *p > start;
}

/* A quoted literal; a public id allows fewer characters. */
static gboolean
skip_quoted (const char **p,
             const char  *end,
             gboolean     public_id)
{
  char quote;

  if (*p >= end || (**p != '"' && **p != '\''))
    return FALSE;
  quote = *(*p)++;
  for (; *p < end && **p != quote; (*p)++)
    if (public_id && !g_ascii_isalnum (**p) && strchr (" \r\n-'()+,./:=?;!*#@$_%", **p) == NULL)
      return FALSE;
  if (*p >= end)
    return FALSE;
  (*p)++;

  return TRUE;
}

/* After "<!DOCTYPE": a blank, the root's name and an optional external
 * id, up to the internal subset or the end. */
static gboolean
valid_doctype_start (const char *p,
                     const char *end)
{
  if (!skip_blanks (&p, end) || p >= end || !is_name_start (*p))
    return FALSE;
  while (p < end && is_xml_name_char (*p))
    p++;

  if (skip_blanks (&p, end) && end - p >= 6 &&
      (strncmp (p, "PUBLIC", 6) == 0 || strncmp (p, "SYSTEM", 6) == 0))
    {
      gboolean public_id = *p == 'P';

      p += 6;
      if (!skip_blanks (&p, end) || !skip_quoted (&p, end, public_id))
        return FALSE;
      if (public_id && (!skip_blanks (&p, end) || !skip_quoted (&p, end, FALSE)))
        return FALSE;
      skip_blanks (&p, end);
    }

  return p < end && (*p == '[' || *p == '>');
}

/* The length of the prolog GMarkup does not take: the XML declaration,
 * comments, processing instructions and a DOCTYPE, whose internal subset
 * is skipped and never read (no entity of it is ever defined, so a
 * document that uses one is refused). Returns FALSE when it never ends. */
static gboolean
skip_prolog (const char *data,
             gsize       len,
             gsize      *out)
{
  gsize i = 0;

  for (;;)
    {
      while (i < len && g_ascii_isspace (data[i]))
        i++;

      if (i + 4 <= len && strncmp (data + i, "<!--", 4) == 0)
        {
          const char *end = g_strstr_len (data + i + 4, len - i - 4, "-->");

          if (end == NULL)
            return FALSE;
          i = end + 3 - data;
        }
      else if (i + 2 <= len && strncmp (data + i, "<?", 2) == 0)
        {
          const char *end = g_strstr_len (data + i + 2, len - i - 2, "?>");

          if (end == NULL)
            return FALSE;
          /* The XML declaration comes first and says what XML allows. */
          if (i == 0 && strncmp (data, "<?xml", 5) == 0 && data + 5 < end && g_ascii_isspace (data[5]))
            {
              if (!valid_xml_declaration (data + 5, end))
                return FALSE;
            }
          else if (!valid_pi (data + i + 2, end))
            return FALSE;
          i = end + 2 - data;
        }
      else if (i + 9 <= len && strncmp (data + i, "<!DOCTYPE", 9) == 0)
        {
          char quote = 0;
          guint brackets = 0;

          if (!valid_doctype_start (data + i + 9, data + len))
            return FALSE;

          for (i += 9; i < len; i++)
            {
              char c = data[i];

              if (quote != 0)
                quote = c == quote ? 0 : quote;
              else if (c == '"' || c == '\'')
                quote = c;
              else if (c == '[')
                brackets++;
              else if (c == ']' && brackets > 0)
                brackets--;
              else if (c == '>' && brackets == 0)
                break;
            }
          if (i >= len)
            return FALSE;
          i++;
        }
      else
        break;
    }

  *out = i;
  return TRUE;
}

/* The encoding the XML declaration names, if it is not UTF-8. */
char *
mw_markup_xml_encoding (const char *data,
                        gsize       len)
{
  const char *end;
  const char *enc;
  char quote;
  const char *close;
  g_autofree char *name = NULL;

  if (len < 5 || strncmp (data, "<?xml", 5) != 0)
    return NULL;
  end = g_strstr_len (data, MIN (len, 200), "?>");
  if (end == NULL)
    return NULL;
  enc = g_strstr_len (data, end - data, "encoding");
  if (enc == NULL)
    return NULL;
  enc += 8;
  while (enc < end && (g_ascii_isspace (*enc) || *enc == '='))
    enc++;
  if (enc >= end || (*enc != '"' && *enc != '\''))
    return NULL;
  quote = *enc++;
  close = memchr (enc, quote, end - enc);
  if (close == NULL)
    return NULL;

  name = g_ascii_strdown (enc, close - enc);
  /* UTF-16 was already turned into UTF-8 by its byte order mark. */
  if (g_str_equal (name, "utf-8") || g_str_equal (name, "utf8") || g_str_equal (name, "us-ascii") ||
      g_str_equal (name, "ascii") || g_str_has_prefix (name, "utf-16"))
    return NULL;

  return g_steal_pointer (&name);
}

/* The line of @at, counted from 1. */
static int
line_of (const char *data,
         const char *at)
{
  int line = 1;

  for (const char *nl = data; (nl = memchr (nl, '\n', at - nl)) != NULL; nl++)
    line++;

  return line;
}

/* Parses @data into a tree whose one child is the root element; on error,
 * sets @line to where it is. */
MwMarkupNode *
mw_markup_parse_xml (const char  *data,
                     gsize        len,
                     int         *line,
                     GError     **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  XmlBuilder b = { 0 };
  gsize prolog = 0;
  const char *bad = NULL;
  const char *why = NULL;
  const char *nul;

  /* The document ends at a NUL, as it did for libxml2 (C strings sent
   * with their terminator). */
  nul = memchr (data, '\0', len);
  if (nul != NULL)
    len = nul - data;

  if (!g_utf8_validate (data, len, &bad))
    why = _("the text is not UTF-8");
  else if (!skip_prolog (data, len, &prolog))
    {
      bad = data;
      why = _("a broken XML declaration, DOCTYPE or comment before the root element");
    }
  else
    bad = xml_lexical_error (data + prolog, len - prolog, &why);

  if (why != NULL)
    {
      *line = line_of (data, bad);
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, why);
      return NULL;
    }

  b.document = g_new0 (MwMarkupNode, 1);
  b.current = b.document;
  b.prefixes = g_ptr_array_new_with_free_func (g_free);
  b.n_prefixes = g_array_new (FALSE, FALSE, sizeof (guint));

  context = g_markup_parse_context_new (&xml_parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &b, NULL);
  if (g_markup_parse_context_parse (context, data + prolog, len - prolog, &local_error) &&
      local_error == NULL)
    g_markup_parse_context_end_parse (context, &local_error);

  if (local_error != NULL)
    {
      /* GMarkup counts from the root element; the prolog comes first. */
      g_markup_parse_context_get_position (context, line, NULL);
      *line += line_of (data, data + prolog) - 1;
      g_propagate_error (error, g_steal_pointer (&local_error));
      g_clear_pointer (&b.document, mw_markup_node_free);
    }

  g_ptr_array_unref (b.prefixes);
  g_array_unref (b.n_prefixes);

  return b.document;
}

/* HTML ----------------------------------------------------------------- */

/* A lenient reader of the HTML inside feed items. It builds the tree the
 * way libxml2's HTML parser did, as far as the text is concerned: implied
 * <html>, <body> and <p> around loose text, <p> closed by block elements,
 * unclosed tags closed at the end, and blank text before any element
 * dropped. It keeps no attributes and skips comments, <script> and <style>
 * (libxml2 kept their content as text). */

typedef struct {
  MwMarkupNode *document;
  MwMarkupNode *current;
  guint         depth;    /* open elements, <html> and <body> included */
  gboolean      stopped;  /* nested too deep: the rest is not read */
  gboolean      had_body;
  const char   *p;        /* the input not yet read */
  const char   *end;
} Html;

static gboolean
name_in (const char         *name,
         const char * const *names)
{
  return g_strv_contains (names, name);
}

static const char * const void_tags[] = {
  "br", "hr", "img", "input", "meta", "link", "area", "base", "basefont", "col", "frame",
  "isindex", "param", "embed", "source", "track", "wbr", NULL
};

/* Which open elements a start tag closes: "<p>a<div>" is "<p>a</p><div>".
 * libxml2's table, as far as it concerns elements found in feeds. */
static const struct {
  const char *tag;
  const char *closes; /* space-separated, with a space at each end */
} html_start_closes[] = {
  { "a", " a " },
  { "address", " p ul " },
  { "blockquote", " p " },
  { "caption", " p " },
  { "center", " b font i p " },
  { "col", " caption p " },
  { "colgroup", " caption colgroup p " },
  { "dd", " address dir dt listing menu p pre xmp " },
  { "dir", " p " },
  { "div", " p " },
  { "dl", " address dir dt listing menu p pre xmp " },
  { "dt", " address dd dir listing menu p pre xmp " },
  { "fieldset", " a h1 h2 h3 h4 h5 h6 legend listing p pre xmp " },
  { "form", " address dir dl form h1 h2 h3 h4 h5 h6 listing menu ol p pre ul xmp " },
  { "h1", " p " },
  { "h2", " p " },
  { "h3", " p " },
  { "h4", " p " },
  { "h5", " p " },
  { "h6", " p " },
  { "hr", " p " },
  { "li", " address dl h1 h2 h3 h4 h5 h6 li listing p pre xmp " },
  { "listing", " p " },
  { "menu", " p ul " },
  { "ol", " p ul " },
  { "optgroup", " option " },
  { "option", " option " },
  { "p", " b big h1 h2 h3 h4 h5 h6 i p s small strike tt u " },
  { "pre", " p ul " },
  { "table", " a h1 h2 h3 h4 h5 h6 listing p pre xmp " },
  { "tbody", " caption colgroup p tbody td tfoot th thead tr " },
  { "td", " a b font i p span td th u " },
  { "tfoot", " caption colgroup p tbody td th thead tr " },
  { "th", " a b font i p span td th u " },
  { "thead", " caption colgroup " },
  { "tr", " caption colgroup p td th tr " },
  { "ul", " address dir listing menu ol p pre xmp " },
  { "xmp", " p " },
};

static const char * const head_tags[] = { "script", "style", "meta", "link", "title", "base", NULL };

/* Whether opening @tag closes the open element @open. */
static gboolean
html_closes (const char *tag,
             const char *open)
{
  g_autofree char *word = NULL;

  if (g_str_equal (open, "head"))
    return !name_in (tag, head_tags);

  word = g_strconcat (" ", open, " ", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (html_start_closes); i++)
    if (g_str_equal (tag, html_start_closes[i].tag))
      return strstr (html_start_closes[i].closes, word) != NULL;

  return FALSE;
}

static gboolean
html_push (Html       *h,
           const char *name)
{
  if (h->depth > MAX_DEPTH)
    {
      /* libxml2 stops reading a document that nests this deep. */
      h->stopped = TRUE;
      return FALSE;
    }

  h->current = node_append (h->current, name);
  h->depth++;
  if (g_str_equal (name, "body"))
    h->had_body = TRUE;

  return TRUE;
}

static void
html_pop (Html *h)
{
  h->current = h->current->parent;
  h->depth--;
}

static gboolean
html_open (Html       *h,
           const char *name)
{
  for (MwMarkupNode *n = h->current; n != h->document; n = n->parent)
    if (g_str_equal (n->name, name))
      return TRUE;

  return FALSE;
}

/* The <html> and <body> (or <head>) a fragment implies. */
static void
html_imply (Html       *h,
            const char *tag)
{
  if (g_str_equal (tag, "html"))
    return;
  if (h->depth == 0 && !html_push (h, "html"))
    return;
  if (g_str_equal (tag, "body") || g_str_equal (tag, "head"))
    return;
  if (h->depth <= 1 && name_in (tag, head_tags))
    {
      if (!html_open (h, "head") && !h->had_body)
        html_push (h, "head");
      return;
    }
  if (h->had_body || html_open (h, "body") || html_open (h, "head"))
    return;
  html_push (h, "body");
}

/* Returns whether @tag was opened. */
static gboolean
html_start (Html       *h,
            const char *tag)
{
  while (h->current != h->document && html_closes (tag, h->current->name))
    html_pop (h);
  html_imply (h, tag);

  if (h->stopped)
    return FALSE;
  /* A second <html>, <head> or <body> is ignored. */
  if ((g_str_equal (tag, "html") && h->depth > 0) ||
      ((g_str_equal (tag, "body") || g_str_equal (tag, "head")) && html_open (h, tag)))
    return FALSE;

  return html_push (h, tag);
}

static int
end_priority (const char *tag)
{
  static const struct { const char *tag; int priority; } priorities[] = {
    { "div", 150 }, { "td", 160 }, { "th", 160 }, { "tr", 170 }, { "thead", 180 }, { "tbody", 180 },
    { "tfoot", 180 }, { "table", 190 }, { "head", 200 }, { "body", 200 }, { "html", 220 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (priorities); i++)
    if (g_str_equal (tag, priorities[i].tag))
      return priorities[i].priority;

  return 100;
}

static void
html_end (Html       *h,
          const char *tag)
{
  int priority = end_priority (tag);
  MwMarkupNode *n;

  /* An end tag closes what it ends and what is open inside it, unless
   * that is a bigger block: "</b>" does not end a <div> inside the <b>. */
  for (n = h->current; n != h->document; n = n->parent)
    {
      if (g_str_equal (n->name, tag))
        break;
      if (end_priority (n->name) > priority)
        return;
    }
  if (n == h->document)
    return;

  while (h->current != n)
    html_pop (h);
  html_pop (h);
}

/* Text directly in the document, <html> or <head> gets a <p> of its own. */
static void
html_check_paragraph (Html *h)
{
  if (h->depth == 0 || g_str_equal (h->current->name, "html") || g_str_equal (h->current->name, "head"))
    html_start (h, "p");
}

/* Text where it is: dropped before any element. */
static void
html_add_raw (Html       *h,
              const char *text,
              gsize       len)
{
  if (h->depth > 0)
    node_append_text (h->current, text, len);
}

static void
html_add_text (Html       *h,
               const char *text,
               gsize       len)
{
  html_check_paragraph (h);
  if (!h->stopped)
    node_append_text (h->current, text, len);
}

/* Blank text (before a tag or at the end) goes where it is and never
 * starts an implied <p>; before any element it is dropped. */
static gboolean
html_is_blank (Html       *h,
               const char *text,
               gsize       len,
               const char *next)
{
  for (gsize i = 0; i < len; i++)
    if (strchr (" \t\n\r", text[i]) == NULL)
      return FALSE;

  return next >= h->end || *next == '<';
}

static const struct {
  const char *name;
  gunichar    c;
} html_entities[] = {
  { "quot", 34 }, { "amp", 38 }, { "apos", 39 }, { "lt", 60 }, { "gt", 62 },
  { "nbsp", 160 }, { "iexcl", 161 }, { "cent", 162 }, { "pound", 163 }, { "curren", 164 },
  { "yen", 165 }, { "brvbar", 166 }, { "sect", 167 }, { "uml", 168 }, { "copy", 169 },
  { "ordf", 170 }, { "laquo", 171 }, { "not", 172 }, { "shy", 173 }, { "reg", 174 },
  { "macr", 175 }, { "deg", 176 }, { "plusmn", 177 }, { "sup2", 178 }, { "sup3", 179 },
  { "acute", 180 }, { "micro", 181 }, { "para", 182 }, { "middot", 183 }, { "cedil", 184 },
  { "sup1", 185 }, { "ordm", 186 }, { "raquo", 187 }, { "frac14", 188 }, { "frac12", 189 },
  { "frac34", 190 }, { "iquest", 191 }, { "Agrave", 192 }, { "Aacute", 193 }, { "Acirc", 194 },
  { "Atilde", 195 }, { "Auml", 196 }, { "Aring", 197 }, { "AElig", 198 }, { "Ccedil", 199 },
  { "Egrave", 200 }, { "Eacute", 201 }, { "Ecirc", 202 }, { "Euml", 203 }, { "Igrave", 204 },
  { "Iacute", 205 }, { "Icirc", 206 }, { "Iuml", 207 }, { "ETH", 208 }, { "Ntilde", 209 },
  { "Ograve", 210 }, { "Oacute", 211 }, { "Ocirc", 212 }, { "Otilde", 213 }, { "Ouml", 214 },
  { "times", 215 }, { "Oslash", 216 }, { "Ugrave", 217 }, { "Uacute", 218 }, { "Ucirc", 219 },
  { "Uuml", 220 }, { "Yacute", 221 }, { "THORN", 222 }, { "szlig", 223 }, { "agrave", 224 },
  { "aacute", 225 }, { "acirc", 226 }, { "atilde", 227 }, { "auml", 228 }, { "aring", 229 },
  { "aelig", 230 }, { "ccedil", 231 }, { "egrave", 232 }, { "eacute", 233 }, { "ecirc", 234 },
  { "euml", 235 }, { "igrave", 236 }, { "iacute", 237 }, { "icirc", 238 }, { "iuml", 239 },
  { "eth", 240 }, { "ntilde", 241 }, { "ograve", 242 }, { "oacute", 243 }, { "ocirc", 244 },
  { "otilde", 245 }, { "ouml", 246 }, { "divide", 247 }, { "oslash", 248 }, { "ugrave", 249 },
  { "uacute", 250 }, { "ucirc", 251 }, { "uuml", 252 }, { "yacute", 253 }, { "thorn", 254 },
  { "yuml", 255 }, { "OElig", 338 }, { "oelig", 339 }, { "Scaron", 352 }, { "scaron", 353 },
  { "Yuml", 376 }, { "fnof", 402 }, { "circ", 710 }, { "tilde", 732 }, { "ensp", 8194 },
  { "emsp", 8195 }, { "thinsp", 8201 }, { "zwnj", 8204 }, { "zwj", 8205 }, { "lrm", 8206 },
  { "rlm", 8207 }, { "ndash", 8211 }, { "mdash", 8212 }, { "lsquo", 8216 }, { "rsquo", 8217 },
  { "sbquo", 8218 }, { "ldquo", 8220 }, { "rdquo", 8221 }, { "bdquo", 8222 }, { "dagger", 8224 },
  { "Dagger", 8225 }, { "bull", 8226 }, { "hellip", 8230 }, { "permil", 8240 }, { "prime", 8242 },
  { "Prime", 8243 }, { "lsaquo", 8249 }, { "rsaquo", 8250 }, { "oline", 8254 }, { "frasl", 8260 },
  { "euro", 8364 }, { "trade", 8482 }, { "larr", 8592 }, { "uarr", 8593 }, { "rarr", 8594 },
  { "darr", 8595 }, { "harr", 8596 },
};

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_' || c == ':' || (guchar) c >= 0x80;
}

/* "&…" at h->p: adds what it stands for and moves past it. An unknown or
 * unfinished reference stays as it was written. */
static void
html_reference (Html *h)
{
  const char *p = h->p + 1;
  char utf8[6];

  if (p < h->end && *p == '#')
    {
      gunichar c = 0;
      gboolean hex = p + 1 < h->end && (p[1] == 'x' || p[1] == 'X');

      p += hex ? 2 : 1;
      for (; p < h->end && (hex ? g_ascii_isxdigit (*p) : g_ascii_isdigit (*p)); p++)
        {
          c = c * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*p) : g_ascii_digit_value (*p));
          if (c > 0x10FFFF)
            c = 0x110000;
        }
      if (p < h->end && *p == ';')
        p++;
      h->p = p;
      /* An invalid character is dropped. */
      if (c != 0 && c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF))
        html_add_text (h, utf8, g_unichar_to_utf8 (c, utf8));
      return;
    }

  while (p < h->end && is_name_char (*p))
    p++;

  if (p < h->end && *p == ';' && p > h->p + 1)
    for (guint i = 0; i < G_N_ELEMENTS (html_entities); i++)
      if (strlen (html_entities[i].name) == (gsize) (p - h->p - 1) &&
          strncmp (html_entities[i].name, h->p + 1, p - h->p - 1) == 0)
        {
          html_add_text (h, utf8, g_unichar_to_utf8 (html_entities[i].c, utf8));
          h->p = p + 1;
          return;
        }

  html_add_text (h, h->p, p - h->p);
  h->p = p;
}

static const char *
find_ci (const char *p,
         const char *end,
         const char *needle)
{
  gsize n = strlen (needle);

  for (; p + n <= end; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p;

  return NULL;
}

/* "<name attributes…>" at h->p. */
static void
html_tag (Html *h)
{
  gboolean closing = h->p[1] == '/';
  const char *start = h->p + (closing ? 2 : 1);
  const char *p = start;
  g_autofree char *name = NULL;
  gboolean self_closing = FALSE;
  gboolean finished = FALSE;

  while (p < h->end && is_name_char (*p))
    p++;
  name = g_ascii_strdown (start, p - start);

  /* Attributes, whose quoted values may hold '>' (in a start tag). */
  while (p < h->end)
    {
      if (closing && *p != '>')
        {
          p++;
          continue;
        }
      if (*p == '>')
        {
          p++;
          finished = TRUE;
          break;
        }
      if (*p == '/' && p + 1 < h->end && p[1] == '>')
        {
          p += 2;
          self_closing = finished = TRUE;
          break;
        }
      if (*p == '=')
        {
          p++;
          while (p < h->end && g_ascii_isspace (*p))
            p++;
          if (p < h->end && (*p == '"' || *p == '\''))
            {
              const char *q = memchr (p + 1, *p, h->end - p - 1);

              p = q != NULL ? q + 1 : h->end;
              continue;
            }
          continue;
        }
      p++;
    }
  h->p = p;

  if (closing)
    {
      html_end (h, name);
      return;
    }

  if (!html_start (h, name))
    return;

  if (!finished || self_closing || name_in (name, void_tags))
    {
      html_pop (h);
      return;
    }

  /* Their content is not text a person reads. */
  if (g_str_equal (name, "script") || g_str_equal (name, "style"))
    {
      g_autofree char *close = g_strconcat ("</", name, NULL);
      const char *end = find_ci (h->p, h->end, close);

      h->p = end != NULL ? end : h->end;
    }
}

MwMarkupNode *
mw_markup_parse_html (const char *text)
{
  Html h = { 0 };

  h.document = g_new0 (MwMarkupNode, 1);
  h.current = h.document;
  h.p = text;
  h.end = text + strlen (text);

  /* Leading blanks are never text. */
  while (h.p < h.end && strchr (" \t\n\r", *h.p) != NULL)
    h.p++;

  while (h.p < h.end && !h.stopped)
    {
      const char *p = h.p;

      if (*p == '<' && p + 1 < h.end && (g_ascii_isalpha (p[1]) ||
                                         (p[1] == '/' && p + 2 < h.end && g_ascii_isalpha (p[2]))))
        html_tag (&h);
      else if (*p == '<' && p + 1 < h.end && p[1] == '/')
        {
          /* "</" and no name: libxml2 dropped the two characters. */
          h.p += 2;
        }
      else if (g_str_has_prefix (p, "<!--"))
        {
          const char *end = strstr (p + 4, "-->");

          h.p = end != NULL ? end + 3 : h.end;
        }
      else if (g_str_has_prefix (p, "<?") && (p + 2 >= h.end || !(g_ascii_isalpha (p[2]) || p[2] == '_' || p[2] == ':')))
        {
          /* "<?" and no target: libxml2 dropped the two characters. */
          h.p += 2;
        }
      else if (g_ascii_strncasecmp (p, "<!doctype", 9) == 0 || g_str_has_prefix (p, "<?"))
        {
          const char *end = strchr (p, '>');

          h.p = end != NULL ? end + 1 : h.end;
          /* After a DOCTYPE inside the content libxml2 took an end tag
           * for text. */
          if (p[1] == '!' && h.depth > 0 && g_str_has_prefix (h.p, "</"))
            html_add_raw (&h, h.p++, 1);
        }
      else if (*p == '<')
        {
          /* A '<' that starts nothing is text, with no implied <p>. */
          html_add_raw (&h, h.p++, 1);
        }
      else if (*p == '&')
        html_reference (&h);
      else
        {
          /* Text runs to the next tag or reference. */
          const char *end = p + 1;

          while (end < h.end && *end != '<' && *end != '&')
            end++;
          h.p = end;
          if (html_is_blank (&h, p, end - p, end))
            html_add_raw (&h, p, end - p);
          else
            html_add_text (&h, p, end - p);
        }
    }

  return h.document;
}

/* The first element of a parsed document: <html>, or NULL. */
const MwMarkupNode *
mw_markup_root (const MwMarkupNode *document)
{
  for (guint i = 0; document->children != NULL && i < document->children->len; i++)
    {
      const MwMarkupNode *n = g_ptr_array_index (document->children, i);

      if (n->name != NULL)
        return n;
    }

  return NULL;
}

