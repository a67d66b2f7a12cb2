/* mw-json.c — a fast, strict JSON parser
 *
 * Every poll parses every page, so parsing is most of what a poll costs.
 * json-glib's own parser reads a character at a time through a general
 * scanner and spends about 250 instructions a byte on a status page, and
 * its tree costs a hash table per object and several allocations per
 * value, to build and again to free.
 *
 * This parser reads RFC 8259 JSON directly into a compact tree: every
 * value, name and string of a document lives in a few large blocks that
 * are freed at once, and an object's members lie side by side in document
 * order, a name given twice kept twice. Every value knows the line it
 * starts on, which the catalog names in its messages. The readers of the
 * pages polled most and the catalog read that tree (MwJsonDoc); the other
 * readers get the same json-glib tree as before, made from it
 * (mw_json_value_to_node()).
 *
 * It is stricter than json-glib where the RFC is (numbers, literals,
 * trailing commas, escapes), bounds nesting so a hostile page cannot
 * exhaust the stack, and never reads past the length it is given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-json.h"

/* The memory of a document, in blocks that only grow. */
typedef struct _Block Block;
struct _Block
{
  Block *next;
  gsize  used;
  gsize  size;
  char   data[];
};

struct _MwJsonDoc
{
  Block       *blocks;
  MwJsonValue  root;
};

typedef struct
{
  MwJsonDoc  *doc;
  /* The members (or elements, with no name) of the containers being read,
   * innermost last; a container's are copied out side by side when it
   * closes. */
  GArray     *stack;
  const char *start;
  const char *p;
  const char *end;
  GString    *scratch;  /* a string with escapes, being decoded */
  guint       line;     /* of parser->p, from 1 */
  guint      *error_line;
  GError    **error;
} Parser;

static gboolean parse_value (Parser      *parser,
                             guint        depth,
                             MwJsonValue *out);

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

  if (parser->error_line != NULL)
    {
      *parser->error_line = line;
      g_set_error_literal (parser->error, JSON_PARSER_ERROR, code, what);
      return;
    }

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

      if (c >= 0x110000)
        fail (parser, at, JSON_PARSER_ERROR_INVALID_DATA, _("invalid UTF-8"));
      else
        fail (parser, at, JSON_PARSER_ERROR_PARSE, _("unexpected character U+%04X"), c);
    }
}

/* Eight bytes at a time, for the words of a string and the indentation
 * of pretty-printed pages. */
#define ONES   G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS  G_GUINT64_CONSTANT (0x8080808080808080)
#define SPACES (ONES * ' ')

/* A raw line break can only be white space (strings refuse control
 * characters), so lines are counted here and nowhere else. */
static inline void
skip_space (Parser *parser)
{
  const char *p = parser->p;
  const char *end = parser->end;

  while (p < end)
    {
      guint64 word;

      if (*p == ' ' || *p == '\t' || *p == '\r')
        {
          p++;
          continue;
        }
      if (*p != '\n')
        break;

      parser->line++;
      p++;
      /* the indentation of the next line */
      while (end - p >= 8 && (memcpy (&word, p, sizeof word), word == SPACES))
        p += 8;
    }
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

static gpointer
doc_alloc (MwJsonDoc *doc,
           gsize      size)
{
  Block *block = doc->blocks;
  gpointer memory;

  size = (size + 7) & ~(gsize) 7;
  if (block == NULL || block->size - block->used < size)
    {
      gsize block_size = MAX (size, block != NULL ? MIN (block->size * 2, 1024 * 1024) : 4096);

      block = g_malloc (sizeof (Block) + block_size);
      block->next = doc->blocks;
      block->used = 0;
      block->size = block_size;
      doc->blocks = block;
    }

  memory = block->data + block->used;
  block->used += size;
  return memory;
}

/* Strings are checked for UTF-8 as they are read, and only those with a
 * byte outside ASCII: everything else in a document must be ASCII to
 * parse at all. An escape is ASCII, so no character spans two runs. */
static gboolean
check_utf8 (Parser     *parser,
            const char *run,
            const char *end)
{
  const char *bad = NULL;

  if (g_utf8_validate_len (run, end - run, &bad))
    return TRUE;

  fail (parser, bad, JSON_PARSER_ERROR_INVALID_DATA, _("invalid UTF-8"));
  return FALSE;
}

static const char *
copy_to_doc (Parser     *parser,
             const char *text,
             gsize       length)
{
  char *copy = doc_alloc (parser->doc, length + 1);

  memcpy (copy, text, length);
  copy[length] = '\0';
  return copy;
}

/* Skips the bytes a string holds as they are: anything but a quote, a
 * backslash or a control character. Most of a page's bytes are in its
 * strings, so this looks at eight at a time ("Bit Twiddling Hacks": a
 * word has a byte below n when (x - n·0x01…01) & ~x & 0x80…80 is not
 * zero). @seen collects every byte skipped, for the UTF-8 check. */
static inline const char *
skip_plain (const char *p,
            const char *end,
            guchar     *seen)
{
  guint64 all = 0;

  while (end - p >= 8)
    {
      guint64 word, quote, backslash;

      memcpy (&word, p, sizeof word);
      quote = word ^ (ONES * '"');
      backslash = word ^ (ONES * '\\');
      if ((((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) |
           ((word - ONES * 0x20) & ~word)) & HIGHS)
        break;
      all |= word;
      p += 8;
    }
  if ((all & HIGHS) != 0)
    *seen |= 0x80;

  while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
    *seen |= (guchar) *p++;

  return p;
}

/* Why a string stops at @p, which is neither a quote nor a backslash. */
static void
fail_in_string (Parser     *parser,
                const char *p)
{
  if (p >= parser->end)
    fail (parser, p, JSON_PARSER_ERROR_PARSE, _("a string is not closed"));
  else if (*p == '\0')
    fail (parser, p, JSON_PARSER_ERROR_INVALID_DATA, _("a NUL byte"));
  else
    fail (parser, p, JSON_PARSER_ERROR_INVALID_DATA, _("a control character inside a string"));
}

/* Reads the string at parser->p (its opening quote) into the document,
 * decoded and NUL-terminated; its length in bytes goes to @length.
 *
 * A lone surrogate or "\u0000" cannot be stored in a C string as UTF-8;
 * they become U+FFFD rather than make a whole page unreadable. */
static const char *
read_string (Parser *parser,
             guint  *length)
{
  GString *out = parser->scratch;
  const char *p = parser->p + 1;
  const char *end = parser->end;
  const char *run = p;
  guchar seen = 0;

  /* Most strings have no escape: straight from the page. */
  p = skip_plain (p, end, &seen);
  if (p < end && *p == '"')
    {
      if ((seen & 0x80) != 0 && !check_utf8 (parser, run, p))
        return NULL;
      parser->p = p + 1;
      *length = (guint) (p - run);
      return copy_to_doc (parser, run, p - run);
    }

  g_string_truncate (out, 0);
  p = run;
  for (;;)
    {
      run = p;
      seen = 0;
      p = skip_plain (p, end, &seen);
      if ((seen & 0x80) != 0 && !check_utf8 (parser, run, p))
        return NULL;
      g_string_append_len (out, run, p - run);

      if (p < end && *p == '"')
        break;

      if (p >= end || *p != '\\')
        {
          fail_in_string (parser, p);
          return NULL;
        }

      if (p + 1 >= end)
        {
          fail (parser, p, JSON_PARSER_ERROR_PARSE, _("a string is not closed"));
          return NULL;
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
                return NULL;
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
          return NULL;
        }
      p += 2;
    }

  parser->p = p + 1;
  *length = (guint) out->len;
  return copy_to_doc (parser, out->str, out->len);
}

static gboolean
parse_string_value (Parser      *parser,
                    MwJsonValue *out)
{
  out->u.string = read_string (parser, &out->size);
  if (out->u.string == NULL)
    return FALSE;

  out->type = MW_JSON_STRING;
  return TRUE;
}

static gboolean
parse_number (Parser      *parser,
              MwJsonValue *out)
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
      return FALSE;
    }

  if (p < end && *p == '.')
    {
      integral = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          fail (parser, begin, JSON_PARSER_ERROR_INVALID_DATA, _("an invalid number"));
          return FALSE;
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
          return FALSE;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }

  parser->p = p;

  if (integral && !overflow)
    {
      if (!negative && magnitude <= G_MAXINT64)
        {
          out->type = MW_JSON_INT;
          out->u.integer = (gint64) magnitude;
          return TRUE;
        }
      if (negative && magnitude <= (guint64) G_MAXINT64 + 1)
        {
          out->type = MW_JSON_INT;
          out->u.integer = (gint64) (0 - magnitude);
          return TRUE;
        }
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

  out->type = MW_JSON_DOUBLE;
  out->u.number = g_ascii_strtod (text, NULL);
  return TRUE;
}

static gboolean
parse_literal (Parser      *parser,
               MwJsonValue *out)
{
  static const struct { const char *word; gsize len; MwJsonType type; gboolean value; } literals[] = {
    { "true", 4, MW_JSON_BOOLEAN, TRUE },
    { "false", 5, MW_JSON_BOOLEAN, FALSE },
    { "null", 4, MW_JSON_NULL, FALSE },
  };
  gsize left = parser->end - parser->p;

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      if (left >= literals[i].len && memcmp (parser->p, literals[i].word, literals[i].len) == 0)
        {
          parser->p += literals[i].len;
          out->type = literals[i].type;
          out->u.boolean = literals[i].value;
          return TRUE;
        }
    }

  fail_unexpected (parser);
  return FALSE;
}

typedef enum {
  NEXT_ITEM,
  NEXT_CLOSED,
  NEXT_FAILED,
} Next;

/* What follows a member or an element: a comma and another one, or the
 * @close bracket (consumed). Where neither is, a character in @may_start
 * (what could start the next one) means a comma is missing. */
static Next
read_separator (Parser     *parser,
                char        close,
                const char *may_start)
{
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == ',')
    {
      parser->p++;
      skip_space (parser);
      if (parser->p < parser->end && *parser->p == close)
        {
          fail (parser, parser->p, JSON_PARSER_ERROR_TRAILING_COMMA,
                "%s", close == '}' ? _("a comma before ‘}’") : _("a comma before ‘]’"));
          return NEXT_FAILED;
        }
      return NEXT_ITEM;
    }
  if (parser->p < parser->end && *parser->p == close)
    {
      parser->p++;
      return NEXT_CLOSED;
    }

  if (parser->p < parser->end && *parser->p != '\0' && strchr (may_start, *parser->p) != NULL)
    fail (parser, parser->p, JSON_PARSER_ERROR_MISSING_COMMA, _("a comma is missing"));
  else
    fail_unexpected (parser);
  return NEXT_FAILED;
}

/* Copies the members above @base out of the stack into the document. */
static void
close_object (Parser      *parser,
              guint        base,
              MwJsonValue *out)
{
  guint n = parser->stack->len - base;
  MwJsonMember *members = NULL;

  if (n > 0)
    {
      members = doc_alloc (parser->doc, n * sizeof (MwJsonMember));
      memcpy (members, &g_array_index (parser->stack, MwJsonMember, base), n * sizeof (MwJsonMember));
    }
  g_array_set_size (parser->stack, base);

  out->type = MW_JSON_OBJECT;
  out->size = n;
  out->u.members = members;
}

static gboolean
parse_object (Parser      *parser,
              guint        depth,
              MwJsonValue *out)
{
  guint base = parser->stack->len;

  parser->p++;
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == '}')
    {
      parser->p++;
      close_object (parser, base, out);
      return TRUE;
    }

  for (;;)
    {
      MwJsonMember member = { NULL, { 0 } };
      guint length;

      if (parser->p >= parser->end || *parser->p != '"')
        {
          fail_unexpected (parser);
          return FALSE;
        }
      member.name = read_string (parser, &length);
      if (member.name == NULL)
        return FALSE;

      skip_space (parser);
      if (parser->p >= parser->end || *parser->p != ':')
        {
          if (parser->p < parser->end)
            fail (parser, parser->p, JSON_PARSER_ERROR_MISSING_COLON, _("a ‘:’ is missing"));
          else
            fail_unexpected (parser);
          return FALSE;
        }
      parser->p++;
      skip_space (parser);

      if (!parse_value (parser, depth, &member.value))
        return FALSE;
      g_array_append_val (parser->stack, member);

      switch (read_separator (parser, '}', "\""))
        {
        case NEXT_ITEM:
          break;
        case NEXT_CLOSED:
          close_object (parser, base, out);
          return TRUE;
        case NEXT_FAILED:
        default:
          return FALSE;
        }
    }
}

static void
close_array (Parser      *parser,
             guint        base,
             MwJsonValue *out)
{
  guint n = parser->stack->len - base;
  MwJsonValue *elements = NULL;

  if (n > 0)
    {
      elements = doc_alloc (parser->doc, n * sizeof (MwJsonValue));
      for (guint i = 0; i < n; i++)
        elements[i] = g_array_index (parser->stack, MwJsonMember, base + i).value;
    }
  g_array_set_size (parser->stack, base);

  out->type = MW_JSON_ARRAY;
  out->size = n;
  out->u.elements = elements;
}

static gboolean
parse_array (Parser      *parser,
             guint        depth,
             MwJsonValue *out)
{
  guint base = parser->stack->len;

  parser->p++;
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == ']')
    {
      parser->p++;
      close_array (parser, base, out);
      return TRUE;
    }

  for (;;)
    {
      MwJsonMember element = { NULL, { 0 } };

      if (!parse_value (parser, depth, &element.value))
        return FALSE;
      g_array_append_val (parser->stack, element);

      switch (read_separator (parser, ']', "\"{[-0123456789tfn"))
        {
        case NEXT_ITEM:
          break;
        case NEXT_CLOSED:
          close_array (parser, base, out);
          return TRUE;
        case NEXT_FAILED:
        default:
          return FALSE;
        }
    }
}

static gboolean
parse_value (Parser      *parser,
             guint        depth,
             MwJsonValue *out)
{
  if (parser->p >= parser->end)
    {
      fail_unexpected (parser);
      return FALSE;
    }

  out->line = MIN (parser->line, MW_JSON_MAX_LINE);

  switch (*parser->p)
    {
    case '{':
    case '[':
      if (depth >= MW_JSON_MAX_DEPTH)
        {
          fail (parser, parser->p, JSON_PARSER_ERROR_INVALID_DATA,
                _("nested deeper than %d levels"), MW_JSON_MAX_DEPTH);
          return FALSE;
        }
      if (*parser->p == '{')
        return parse_object (parser, depth + 1, out);
      return parse_array (parser, depth + 1, out);

    case '"':
      return parse_string_value (parser, out);

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (parser, out);

    default:
      return parse_literal (parser, out);
    }
}

/**
 * mw_json_doc_parse:
 * @data: JSON text in UTF-8; it need not end with a NUL
 * @length: the length of @data in bytes
 * @error: return location for a #JSON_PARSER_ERROR
 *
 * Parses one JSON value (RFC 8259) into a compact, read-only tree. Errors
 * name the line and column, on one line. A text that holds nothing but
 * white space is an error too; a UTF-8 byte order mark at the start is
 * skipped.
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
MwJsonDoc *
mw_json_doc_parse (const char   *data,
                   gsize         length,
                   GError      **error)
{
  return mw_json_doc_parse_full (data, length, NULL, error);
}

/**
 * mw_json_doc_parse_full:
 * @data: JSON text in UTF-8; it need not end with a NUL
 * @length: the length of @data in bytes
 * @error_line: (out) (optional): where the line of an error goes
 * @error: return location for a #JSON_PARSER_ERROR
 *
 * As mw_json_doc_parse(), for callers that write the position of an
 * error their own way ("catalog.json:3: …"): with @error_line, the
 * error's message is only what is wrong, and its line goes to
 * @error_line.
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
MwJsonDoc *
mw_json_doc_parse_full (const char   *data,
                        gsize         length,
                        guint        *error_line,
                        GError      **error)
{
  g_autoptr(MwJsonDoc) doc = g_new0 (MwJsonDoc, 1);
  g_autoptr(GString) scratch = g_string_sized_new (256);
  g_autoptr(GArray) stack = g_array_sized_new (FALSE, FALSE, sizeof (MwJsonMember), 64);
  Parser parser = { doc, stack, data, data, data + length, scratch, 1, error_line, error };

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* RFC 8259 lets a parser ignore a byte order mark; servers send them. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    parser.p += 3;

  skip_space (&parser);
  if (parser.p >= parser.end)
    {
      fail (&parser, parser.p, JSON_PARSER_ERROR_PARSE, _("no JSON value, only white space"));
      return NULL;
    }

  if (!parse_value (&parser, 0, &doc->root))
    return NULL;

  skip_space (&parser);
  if (parser.p < parser.end)
    {
      fail (&parser, parser.p, JSON_PARSER_ERROR_PARSE, _("more text after the end of the value"));
      return NULL;
    }

  return g_steal_pointer (&doc);
}

void
mw_json_doc_free (MwJsonDoc *doc)
{
  Block *block;

  if (doc == NULL)
    return;

  while ((block = doc->blocks) != NULL)
    {
      doc->blocks = block->next;
      g_free (block);
    }
  g_free (doc);
}

const MwJsonValue *
mw_json_doc_get_root (const MwJsonDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  return &doc->root;
}

gboolean
mw_json_value_is (const MwJsonValue *value,
                  MwJsonType         type)
{
  return value != NULL && value->type == type;
}

/* Objects are small, so a scan beats a table. From the end: a name given
 * twice keeps its last value, as in json-glib. */
const MwJsonValue *
mw_json_value_get_member (const MwJsonValue *object,
                          const char        *name)
{
  if (object == NULL || object->type != MW_JSON_OBJECT)
    return NULL;

  /* Readers ask for a dozen names of each object, most of them absent:
   * the first byte settles nearly every comparison without a call. */
  for (guint i = object->size; i > 0; i--)
    {
      const char *candidate = object->u.members[i - 1].name;

      if (candidate[0] == name[0] && strcmp (candidate, name) == 0)
        return &object->u.members[i - 1].value;
    }

  return NULL;
}

/* A string member; "$undefined" (what some pages' serialisers write for a
 * missing value) counts as absent, as mw_json_get_string() has it. */
const char *
mw_json_value_get_member_string (const MwJsonValue *object,
                                 const char        *name)
{
  const char *text = mw_json_value_get_string (mw_json_value_get_member (object, name));

  return g_strcmp0 (text, "$undefined") != 0 ? text : NULL;
}

const MwJsonValue *
mw_json_value_get_member_object (const MwJsonValue *object,
                                 const char        *name)
{
  const MwJsonValue *value = mw_json_value_get_member (object, name);

  return mw_json_value_is (value, MW_JSON_OBJECT) ? value : NULL;
}

const MwJsonValue *
mw_json_value_get_member_array (const MwJsonValue *object,
                                const char        *name)
{
  const MwJsonValue *value = mw_json_value_get_member (object, name);

  return mw_json_value_is (value, MW_JSON_ARRAY) ? value : NULL;
}

guint
mw_json_value_get_length (const MwJsonValue *array)
{
  return mw_json_value_is (array, MW_JSON_ARRAY) ? array->size : 0;
}

const MwJsonValue *
mw_json_value_get_element (const MwJsonValue *array,
                           guint              index)
{
  if (!mw_json_value_is (array, MW_JSON_ARRAY) || index >= array->size)
    return NULL;

  return &array->u.elements[index];
}

const MwJsonValue *
mw_json_value_get_element_object (const MwJsonValue *array,
                                  guint              index)
{
  const MwJsonValue *element = mw_json_value_get_element (array, index);

  return mw_json_value_is (element, MW_JSON_OBJECT) ? element : NULL;
}

const char *
mw_json_value_get_string (const MwJsonValue *value)
{
  return mw_json_value_is (value, MW_JSON_STRING) ? value->u.string : NULL;
}

gboolean
mw_json_value_get_boolean (const MwJsonValue *value)
{
  return mw_json_value_is (value, MW_JSON_BOOLEAN) && value->u.boolean;
}

/**
 * mw_json_value_to_node:
 * @value: a value of an #MwJsonDoc
 *
 * Returns: (transfer full): the json-glib tree of @value, members in
 * document order, a name given twice keeping its last value
 */
JsonNode *
mw_json_value_to_node (const MwJsonValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  switch (value->type)
    {
    case MW_JSON_NULL:
      return json_node_init_null (json_node_alloc ());
    case MW_JSON_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), value->u.boolean);
    case MW_JSON_INT:
      return json_node_init_int (json_node_alloc (), value->u.integer);
    case MW_JSON_DOUBLE:
      return json_node_init_double (json_node_alloc (), value->u.number);
    case MW_JSON_STRING:
      return json_node_init_string (json_node_alloc (), value->u.string);
    case MW_JSON_ARRAY:
      {
        g_autoptr(JsonArray) array = json_array_sized_new (value->size);

        for (guint i = 0; i < value->size; i++)
          json_array_add_element (array, mw_json_value_to_node (&value->u.elements[i]));
        return json_node_init_array (json_node_alloc (), array);
      }
    case MW_JSON_OBJECT:
      {
        g_autoptr(JsonObject) object = json_object_new ();

        for (guint i = 0; i < value->size; i++)
          json_object_set_member (object, value->u.members[i].name,
                                  mw_json_value_to_node (&value->u.members[i].value));
        return json_node_init_object (json_node_alloc (), object);
      }
    default:
      g_assert_not_reached ();
    }
}
