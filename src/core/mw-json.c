/* mw-json.c — a fast, strict JSON parser that builds json-glib trees
 *
 * Every poll parses every page, so parsing is most of what a poll costs.
 * json-glib's own parser reads a character at a time through a general
 * scanner and spends about 250 instructions a byte on a status page; this
 * one reads RFC 8259 JSON directly and builds the same JsonNode tree, so
 * the readers keep json-glib's API. It is stricter than json-glib where
 * the RFC is (numbers, literals, trailing commas), bounds nesting so a
 * hostile page cannot exhaust the stack, and never reads past @length.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-json.h"

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  /* Member names and escaped strings are decoded here, as a stack: an
   * object keeps its member's name at the top while the value is parsed
   * above it. Offsets, not pointers, because the string may move. */
  GString    *scratch;
  MwJsonFlags flags;
  GError    **error;
} Parser;

static JsonNode *parse_value (Parser *parser,
                              guint   depth);

static void fail (Parser          *parser,
                  const char      *at,
                  JsonParserError  code,
                  const char      *format,
                  ...) G_GNUC_PRINTF (4, 5);

/* Lines and columns are counted only when something is wrong. */
static void
fail (Parser          *parser,
      const char      *at,
      JsonParserError  code,
      const char      *format,
      ...)
{
  g_autofree char *what = NULL;
  const char *line_start = parser->start;
  guint line = 1;
  glong column;
  va_list args;

  if (parser->error == NULL || *parser->error != NULL)
    return;

  for (const char *q = parser->start; q < at; q++)
    if (*q == '\n')
      {
        line++;
        line_start = q + 1;
      }
  column = g_utf8_strlen (line_start, at - line_start) + 1;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (parser->error, JSON_PARSER_ERROR, code,
               /* Translators: the last %s says what is wrong, e.g. "unexpected character ‘x’" */
               _("line %u, column %ld: %s"), line, column, what);
}

/* What the parser found where it expected something else. */
static void
fail_unexpected (Parser *parser)
{
  const char *at = parser->p;

  if (at >= parser->end)
    {
      fail (parser, at, JSON_PARSER_ERROR_PARSE, _("the text ends too early"));
    }
  else if (g_ascii_isgraph (*at))
    {
      fail (parser, at, JSON_PARSER_ERROR_PARSE, _("unexpected character ‘%c’"), *at);
    }
  else
    {
      gunichar c = g_utf8_get_char_validated (at, parser->end - at);

      fail (parser, at, JSON_PARSER_ERROR_PARSE, _("unexpected character U+%04X"),
            c < 0x110000 ? c : (guchar) *at);
    }
}

static inline void
skip_space (Parser *parser)
{
  const char *p = parser->p;

  while (p < parser->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  parser->p = p;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u"; -1 if they are not. */
static int
read_hex4 (const char *p,
           const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

/* Reads the string at parser->p (its opening quote) and appends it,
 * decoded and NUL-terminated, to the scratch stack. The input is valid
 * UTF-8 already (mw_json_parse checks it once), so only escapes and
 * control characters need attention.
 *
 * A lone surrogate or "\u0000" cannot be stored in a C string as UTF-8;
 * they become U+FFFD rather than make a whole page unreadable. */
static gboolean
parse_string (Parser *parser)
{
  GString *out = parser->scratch;
  const char *p = parser->p + 1;
  const char *end = parser->end;

  for (;;)
    {
      const char *run = p;

      while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
        p++;
      g_string_append_len (out, run, p - run);

      if (p >= end)
        {
          parser->p = p;
          fail (parser, p, JSON_PARSER_ERROR_PARSE, _("a string is not closed"));
          return FALSE;
        }

      if (*p == '"')
        break;

      if (*p != '\\')
        {
          fail (parser, p, JSON_PARSER_ERROR_INVALID_DATA, _("a control character inside a string"));
          return FALSE;
        }

      if (p + 1 >= end)
        {
          fail (parser, p, JSON_PARSER_ERROR_PARSE, _("a string is not closed"));
          return FALSE;
        }

      switch (p[1])
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            int unit = read_hex4 (p + 2, end);
            gunichar c;

            if (unit < 0)
              {
                fail (parser, p, JSON_PARSER_ERROR_INVALID_DATA, _("an invalid \\u escape"));
                return FALSE;
              }
            c = (gunichar) unit;
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                int low = -1;

                if (end - p >= 12 && p[6] == '\\' && p[7] == 'u')
                  low = read_hex4 (p + 8, end);
                if (low >= 0xDC00 && low <= 0xDFFF)
                  {
                    c = 0x10000 + ((c - 0xD800) << 10) + (gunichar) (low - 0xDC00);
                    p += 6;
                  }
                else
                  {
                    c = 0xFFFD;
                  }
              }
            else if ((c >= 0xDC00 && c <= 0xDFFF) || c == 0)
              {
                c = 0xFFFD;
              }
            g_string_append_unichar (out, c);
            p += 4;
          }
          break;
        default:
          fail (parser, p, JSON_PARSER_ERROR_INVALID_DATA, _("an invalid escape ‘\\%c’"),
                g_ascii_isgraph (p[1]) ? p[1] : '?');
          return FALSE;
        }
      p += 2;
    }

  g_string_append_c (out, '\0');
  parser->p = p + 1;
  return TRUE;
}

static JsonNode *
parse_string_value (Parser *parser)
{
  gsize mark = parser->scratch->len;
  JsonNode *node;

  if (!parse_string (parser))
    return NULL;

  node = json_node_init_string (json_node_alloc (), parser->scratch->str + mark);
  g_string_truncate (parser->scratch, mark);
  return node;
}

static JsonNode *
parse_number (Parser *parser)
{
  const char *begin = parser->p;
  const char *p = begin;
  const char *end = parser->end;
  gboolean negative = FALSE;
  gboolean integral = TRUE;
  guint64 magnitude = 0;
  gboolean overflow = FALSE;
  char buffer[64];
  g_autofree char *long_text = NULL;
  const char *text;
  gsize n;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  if (p < end && *p == '0')
    {
      p++;
    }
  else if (p < end && *p >= '1' && *p <= '9')
    {
      for (; p < end && g_ascii_isdigit (*p); p++)
        {
          guint digit = (guint) (*p - '0');

          if (magnitude > (G_MAXUINT64 - digit) / 10)
            overflow = TRUE;
          else
            magnitude = magnitude * 10 + digit;
        }
    }
  else
    {
      parser->p = p;
      fail (parser, begin, JSON_PARSER_ERROR_INVALID_DATA, _("an invalid number"));
      return NULL;
    }

  if (p < end && *p == '.')
    {
      integral = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          fail (parser, begin, JSON_PARSER_ERROR_INVALID_DATA, _("an invalid number"));
          return NULL;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      integral = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          fail (parser, begin, JSON_PARSER_ERROR_INVALID_DATA, _("an invalid number"));
          return NULL;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }

  parser->p = p;

  if (integral && !overflow)
    {
      if (!negative && magnitude <= G_MAXINT64)
        return json_node_init_int (json_node_alloc (), (gint64) magnitude);
      if (negative && magnitude <= (guint64) G_MAXINT64 + 1)
        return json_node_init_int (json_node_alloc (), (gint64) (0 - magnitude));
    }

  /* A fraction, an exponent or an integer too large for 64 bits. The
   * input is not NUL-terminated here, so strtod gets a copy. */
  n = p - begin;
  if (n < sizeof buffer)
    {
      memcpy (buffer, begin, n);
      buffer[n] = '\0';
      text = buffer;
    }
  else
    {
      long_text = g_strndup (begin, n);
      text = long_text;
    }

  return json_node_init_double (json_node_alloc (), g_ascii_strtod (text, NULL));
}

static JsonNode *
parse_literal (Parser *parser)
{
  static const struct { const char *word; gsize len; int kind; } literals[] = {
    { "true", 4, 1 }, { "false", 5, 0 }, { "null", 4, -1 },
  };
  gsize left = parser->end - parser->p;

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      if (left >= literals[i].len && memcmp (parser->p, literals[i].word, literals[i].len) == 0)
        {
          parser->p += literals[i].len;
          if (literals[i].kind < 0)
            return json_node_init_null (json_node_alloc ());
          return json_node_init_boolean (json_node_alloc (), literals[i].kind);
        }
    }

  fail_unexpected (parser);
  return NULL;
}

static JsonNode *
parse_object (Parser *parser,
              guint   depth)
{
  g_autoptr(JsonObject) object = json_object_new ();
  GString *scratch = parser->scratch;

  parser->p++;
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == '}')
    {
      parser->p++;
      return json_node_init_object (json_node_alloc (), object);
    }

  for (;;)
    {
      gsize mark = scratch->len;
      JsonNode *value;

      if (parser->p >= parser->end || *parser->p != '"')
        {
          fail_unexpected (parser);
          return NULL;
        }
      if (!parse_string (parser))
        return NULL;

      skip_space (parser);
      if (parser->p >= parser->end || *parser->p != ':')
        {
          if (parser->p < parser->end)
            fail (parser, parser->p, JSON_PARSER_ERROR_MISSING_COLON, _("a ‘:’ is missing"));
          else
            fail_unexpected (parser);
          return NULL;
        }
      parser->p++;
      skip_space (parser);

      value = parse_value (parser, depth);
      if (value == NULL)
        return NULL;

      if ((parser->flags & MW_JSON_UNIQUE_NAMES) != 0 &&
          json_object_has_member (object, scratch->str + mark))
        {
          json_node_unref (value);
          fail (parser, parser->p, JSON_PARSER_ERROR_INVALID_DATA,
                _("the name ‘%s’ appears twice"), scratch->str + mark);
          return NULL;
        }

      /* Otherwise a name given twice keeps its last value, as json-glib does. */
      json_object_set_member (object, scratch->str + mark, value);
      g_string_truncate (scratch, mark);

      skip_space (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          skip_space (parser);
          if (parser->p < parser->end && *parser->p == '}')
            {
              fail (parser, parser->p, JSON_PARSER_ERROR_TRAILING_COMMA, _("a comma before ‘}’"));
              return NULL;
            }
          continue;
        }
      if (parser->p < parser->end && *parser->p == '}')
        {
          parser->p++;
          return json_node_init_object (json_node_alloc (), object);
        }

      if (parser->p < parser->end && *parser->p == '"')
        fail (parser, parser->p, JSON_PARSER_ERROR_MISSING_COMMA, _("a comma is missing"));
      else
        fail_unexpected (parser);
      return NULL;
    }
}

static JsonNode *
parse_array (Parser *parser,
             guint   depth)
{
  g_autoptr(JsonArray) array = json_array_new ();

  parser->p++;
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == ']')
    {
      parser->p++;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      JsonNode *element = parse_value (parser, depth);

      if (element == NULL)
        return NULL;
      json_array_add_element (array, element);

      skip_space (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          skip_space (parser);
          if (parser->p < parser->end && *parser->p == ']')
            {
              fail (parser, parser->p, JSON_PARSER_ERROR_TRAILING_COMMA, _("a comma before ‘]’"));
              return NULL;
            }
          continue;
        }
      if (parser->p < parser->end && *parser->p == ']')
        {
          parser->p++;
          return json_node_init_array (json_node_alloc (), array);
        }

      if (parser->p < parser->end && strchr ("\"{[-0123456789tfn", *parser->p) != NULL)
        fail (parser, parser->p, JSON_PARSER_ERROR_MISSING_COMMA, _("a comma is missing"));
      else
        fail_unexpected (parser);
      return NULL;
    }
}

static JsonNode *
parse_value (Parser *parser,
             guint   depth)
{
  if (parser->p >= parser->end)
    {
      fail_unexpected (parser);
      return NULL;
    }

  switch (*parser->p)
    {
    case '{':
    case '[':
      if (depth >= MW_JSON_MAX_DEPTH)
        {
          fail (parser, parser->p, JSON_PARSER_ERROR_INVALID_DATA,
                _("nested deeper than %d levels"), MW_JSON_MAX_DEPTH);
          return NULL;
        }
      if (*parser->p == '{')
        return parse_object (parser, depth + 1);
      return parse_array (parser, depth + 1);

    case '"':
      return parse_string_value (parser);

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (parser);

    default:
      return parse_literal (parser);
    }
}

/**
 * mw_json_parse:
 * @data: JSON text in UTF-8; it need not end with a NUL
 * @length: the length of @data in bytes
 * @flags: #MwJsonFlags
 * @error: return location for a #JSON_PARSER_ERROR
 *
 * Parses one JSON value (RFC 8259) and builds the tree json-glib's parser
 * would. Errors name the line and column, on one line. A text that holds
 * nothing but white space is an error too; a UTF-8 byte order mark at the
 * start is skipped.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
mw_json_parse (const char   *data,
               gsize         length,
               MwJsonFlags   flags,
               GError      **error)
{
  g_autoptr(GString) scratch = g_string_sized_new (256);
  Parser parser = { data, data, data + length, scratch, flags, error };
  const char *bad = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!g_utf8_validate_len (data, length, &bad))
    {
      fail (&parser, bad, JSON_PARSER_ERROR_INVALID_DATA,
            bad < parser.end && *bad == '\0' ? _("a NUL byte") : _("invalid UTF-8"));
      return NULL;
    }

  /* RFC 8259 lets a parser ignore a byte order mark; servers send them. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    parser.p += 3;

  skip_space (&parser);
  if (parser.p >= parser.end)
    {
      fail (&parser, parser.p, JSON_PARSER_ERROR_PARSE, _("no JSON value, only white space"));
      return NULL;
    }

  root = parse_value (&parser, 0);
  if (root == NULL)
    return NULL;

  skip_space (&parser);
  if (parser.p < parser.end)
    {
      fail (&parser, parser.p, JSON_PARSER_ERROR_PARSE, _("more text after the end of the value"));
      json_node_unref (root);
      return NULL;
    }

  return root;
}
