/* test-json.c — our JSON parser against json-glib's, and against the RFC
 *
 * Every reader sees pages through mw_json_doc_parse(), most of them
 * through the json-glib tree made from it, so it must build the very tree
 * json-glib would for every page we have, refuse what is not JSON with
 * the place it went wrong, and never accept a broken page that json-glib
 * would refuse (a reader would then show something instead of "page
 * format changed").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mw-json.h"

/* A text read as the readers read it: our parser, then json-glib's tree
 * made from what it read. */
static JsonNode *
parse_as_node (const char  *data,
               gsize        length,
               GError     **error)
{
  g_autoptr(MwJsonDoc) doc = mw_json_doc_parse (data, length, error);

  return doc != NULL ? mw_json_value_to_node (mw_json_doc_get_root (doc)) : NULL;
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

/* json-glib's verdict on @data: its tree, or NULL. */
static JsonNode *
glib_parse (const char *data,
            gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : NULL;
}

/* The same tree, members in the same order: what the readers see. */
static void
assert_same_tree (JsonNode *ours,
                  JsonNode *theirs)
{
  g_autofree char *a = json_to_string (ours, FALSE);
  g_autofree char *b = json_to_string (theirs, FALSE);

  g_assert_cmpstr (a, ==, b);
  g_assert_true (json_node_equal (ours, theirs));
}

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = parse_as_node (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static void
assert_refused (const char *text,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = parse_as_node (text, strlen (text), &error);

  g_assert_null (root);
  g_assert_error (error, JSON_PARSER_ERROR, error->code);
  g_assert_null (strchr (error->message, '\n'));
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

/* The compact tree says what json-glib's does, value by value. */
static void
assert_same_value (const MwJsonValue *value,
                   JsonNode          *node)
{
  switch (value->type)
    {
    case MW_JSON_NULL:
      g_assert_true (JSON_NODE_HOLDS_NULL (node));
      break;
    case MW_JSON_BOOLEAN:
      g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_BOOLEAN);
      g_assert_cmpint (mw_json_value_get_boolean (value), ==, json_node_get_boolean (node));
      break;
    case MW_JSON_INT:
      g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
      g_assert_cmpint (value->u.integer, ==, json_node_get_int (node));
      break;
    case MW_JSON_DOUBLE:
      g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
      g_assert_cmpfloat (value->u.number, ==, json_node_get_double (node));
      break;
    case MW_JSON_STRING:
      g_assert_cmpstr (mw_json_value_get_string (value), ==, json_node_get_string (node));
      g_assert_cmpuint (value->size, ==, strlen (json_node_get_string (node)));
      break;
    case MW_JSON_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_assert_nonnull (array);
        g_assert_cmpuint (mw_json_value_get_length (value), ==, json_array_get_length (array));
        for (guint i = 0; i < value->size; i++)
          assert_same_value (mw_json_value_get_element (value, i), json_array_get_element (array, i));
        g_assert_null (mw_json_value_get_element (value, value->size));
      }
      break;
    case MW_JSON_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);

        g_assert_nonnull (object);
        for (guint i = 0; i < value->size; i++)
          {
            const char *name = value->u.members[i].name;

            g_assert_true (json_object_has_member (object, name));
            assert_same_value (mw_json_value_get_member (value, name), json_object_get_member (object, name));
          }
        g_assert_cmpuint (json_object_get_size (object), <=, value->size);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Every JSON page we have, captured or derived: the same tree, and the
 * same values in the compact tree. */
static void
test_fixtures (void)
{
  g_autofree char *dir_path = fixture_path ("");
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint compared = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *data = NULL;
      g_autoptr(JsonNode) ours = NULL;
      g_autoptr(JsonNode) theirs = NULL;
      g_autoptr(MwJsonDoc) doc = NULL;
      gsize length;

      if (!g_str_has_suffix (name, ".json"))
        continue;

      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      theirs = glib_parse (data, length);
      ours = parse_as_node (data, length, NULL);
      doc = mw_json_doc_parse (data, length, NULL);

      if (theirs == NULL)
        {
          /* A fixture that is broken on purpose. */
          g_assert_null (ours);
          continue;
        }
      if (ours == NULL && g_utf8_validate_len (data, length, NULL))
        g_error ("%s: json-glib reads it, our parser does not", name);
      if (ours == NULL)
        continue;  /* json-glib takes invalid UTF-8 in strings; we do not */

      assert_same_tree (ours, theirs);
      g_assert_nonnull (doc);
      assert_same_value (mw_json_doc_get_root (doc), theirs);
      compared++;
    }

  g_assert_cmpuint (compared, >=, 50);
}

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = fixture_path (name);
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, length, NULL));
  return data;
}

/* A page cut anywhere is refused, as json-glib refuses it. */
static void
test_truncated (void)
{
  static const char * const names[] = {
    "statuspage-anthropic-summary.json",
    "statuspage-anthropic-summary-two-incidents-trimmed.json",
  };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      gsize length;
      g_autofree char *data = read_fixture (names[n], &length);

      while (length > 0 && g_ascii_isspace (data[length - 1]))
        length--;

      for (gsize cut = 0; cut < length; cut++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) root = parse_as_node (data, cut, &error);

          if (root != NULL)
            g_error ("%s cut at %" G_GSIZE_FORMAT " was accepted", names[n], cut);
          g_assert_error (error, JSON_PARSER_ERROR, error->code);
        }
    }
}

/* One byte of a real page overwritten, at every position, with two of
 * the characters that matter to a JSON scanner (a different two each
 * time, so every character meets every kind of place): whenever json-glib refuses the
 * result, so do we, and whenever both take it, the trees agree. Where
 * json-glib is laxer than the RFC (unknown escapes, raw control
 * characters, numbers with a leading zero or dot), we refuse. */
static void
test_mutations (void)
{
  static const char replacements[] = "{}[],:\"\\ 0-.eEtn\x01\x7f";
  gsize length;
  g_autofree char *original = read_fixture ("statuspage-anthropic-summary-two-incidents-trimmed.json", &length);
  g_autofree char *data = g_memdup2 (original, length);
  guint both = 0, neither = 0, stricter = 0;

  for (gsize i = 0; i < length; i++)
    {
      for (guint k = 0; k < 2; k++)
        {
          g_autoptr(JsonNode) ours = NULL;
          g_autoptr(JsonNode) theirs = NULL;
          guint r = (i * 2 + k) % (sizeof replacements - 1);

          if (original[i] == replacements[r])
            continue;
          data[i] = replacements[r];

          ours = parse_as_node (data, length, NULL);
          theirs = glib_parse (data, length);

          if (theirs == NULL && ours != NULL)
            g_error ("byte %" G_GSIZE_FORMAT " as 0x%02x: json-glib refuses it, our parser takes it",
                     i, (guchar) replacements[r]);
          if (theirs != NULL && ours != NULL)
            {
              assert_same_tree (ours, theirs);
              both++;
            }
          else if (theirs == NULL)
            neither++;
          else if (strchr ("\\0.\x01", replacements[r]) != NULL)
            stricter++;  /* "\q", a raw control character, "04" or ".4": not JSON, json-glib takes them */
          else
            g_error ("byte %" G_GSIZE_FORMAT " as 0x%02x: json-glib takes it, our parser refuses it",
                     i, (guchar) replacements[r]);
        }
      data[i] = original[i];
    }

  g_test_message ("mutations: %u read by both, %u by neither, %u by json-glib only", both, neither, stricter);
  g_assert_cmpuint (both, >, 0);
  g_assert_cmpuint (neither, >, 0);
}

static void
test_values (void)
{
  g_autoptr(JsonNode) root = parse_ok (" {\"int\": -42, \"big\": 9223372036854775807,"
                                       " \"min\": -9223372036854775808, \"huge\": 18446744073709551616,"
                                       " \"frac\": 0.25, \"exp\": 1.5e3, \"zero\": -0, \"t\": true,"
                                       " \"f\": false, \"n\": null, \"a\": [], \"o\": {}} \r\n\t");
  JsonObject *o = json_node_get_object (root);

  g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "int")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (o, "int"), ==, -42);
  g_assert_cmpint (json_object_get_int_member (o, "big"), ==, G_MAXINT64);
  g_assert_cmpint (json_object_get_int_member (o, "min"), ==, G_MININT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "huge")), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (o, "huge"), ==, 18446744073709551616.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "frac"), ==, 0.25);
  g_assert_cmpfloat (json_object_get_double_member (o, "exp"), ==, 1500.0);
  g_assert_cmpint (json_object_get_int_member (o, "zero"), ==, 0);
  g_assert_true (json_object_get_boolean_member (o, "t"));
  g_assert_false (json_object_get_boolean_member (o, "f"));
  g_assert_true (json_object_get_null_member (o, "n"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "a")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (o, "o")), ==, 0);

  /* Top-level scalars are JSON too. */
  g_clear_pointer (&root, json_node_unref);
  root = parse_ok ("\"just a string\"");
  g_assert_cmpstr (json_node_get_string (root), ==, "just a string");
  g_clear_pointer (&root, json_node_unref);
  root = parse_ok ("7");
  g_assert_cmpint (json_node_get_int (root), ==, 7);
}

static void
test_strings (void)
{
  g_autoptr(JsonNode) root = parse_ok ("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud83d\\ude00\","
                                       " \"caf\xc3\xa9\", \"\\ud83d alone\", \"nul\\u0000here\", \"\\udc00\"]");
  JsonArray *a = json_node_get_array (root);

  g_assert_cmpstr (json_array_get_string_element (a, 0), ==, "a\"b\\c/d\b\f\n\r\t");
  g_assert_cmpstr (json_array_get_string_element (a, 1), ==, "é€");
  g_assert_cmpstr (json_array_get_string_element (a, 2), ==, "😀");
  g_assert_cmpstr (json_array_get_string_element (a, 3), ==, "café");
  /* What UTF-8 cannot hold becomes U+FFFD instead of refusing the page. */
  g_assert_cmpstr (json_array_get_string_element (a, 4), ==, "\xef\xbf\xbd alone");
  g_assert_cmpstr (json_array_get_string_element (a, 5), ==, "nul\xef\xbf\xbdhere");
  g_assert_cmpstr (json_array_get_string_element (a, 6), ==, "\xef\xbf\xbd");
}

/* Strings are scanned eight bytes at a time, and indentation too: what
 * stops a scan must stop it at every offset in a word, and at the end of
 * the text. */
static void
test_word_offsets (void)
{
  for (guint k = 0; k < 20; k++)
    {
      g_autofree char *lead = g_strnfill (k, 'a');
      g_autofree char *indent = g_strnfill (k, ' ');
      g_autofree char *plain = g_strdup_printf ("[\"%sbbbbbbbbb\"]", lead);
      g_autofree char *escaped = g_strdup_printf ("[\"%s\\nbbbbbbbbb\"]", lead);
      g_autofree char *accented = g_strdup_printf ("[\"%s\xc3\xa9" "bbbbbbbbb\"]", lead);
      g_autofree char *control = g_strdup_printf ("[\"%s\x01" "bbbbbbbbb\"]", lead);
      g_autofree char *bad_utf8 = g_strdup_printf ("[\"%sbbbbbbbbb\xff\"]", lead);
      g_autofree char *open = g_strdup_printf ("[\"%sbbbbbbbbb", lead);
      g_autofree char *lines = g_strdup_printf ("[\n%s1,\n%s\"x\",\n%s{\"k\":\n%s2}]", indent, indent, indent, indent);
      g_autofree char *expected = NULL;
      const char *texts[] = { plain, escaped, accented, lines };

      for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          g_autoptr(JsonNode) ours = parse_ok (texts[i]);
          g_autoptr(JsonNode) theirs = glib_parse (texts[i], strlen (texts[i]));

          assert_same_tree (ours, theirs);
        }

      expected = g_strdup_printf ("line 1, column %u: a control character inside a string", k + 3);
      assert_refused (control, expected);
      g_clear_pointer (&expected, g_free);
      expected = g_strdup_printf ("line 1, column %u: invalid UTF-8", k + 12);
      assert_refused (bad_utf8, expected);
      g_clear_pointer (&expected, g_free);
      expected = g_strdup_printf ("line 1, column %u: a string is not closed", k + 12);
      assert_refused (open, expected);

      {
        g_autoptr(MwJsonDoc) doc = mw_json_doc_parse (lines, strlen (lines), NULL);
        const MwJsonValue *root = mw_json_doc_get_root (doc);

        g_assert_cmpuint (mw_json_value_get_element (root, 2)->line, ==, 4);
        g_assert_cmpuint (mw_json_value_get_member (mw_json_value_get_element (root, 2), "k")->line, ==, 5);
      }
    }
}

static void
test_errors (void)
{
  assert_refused ("", "line 1, column 1: no JSON value, only white space");
  assert_refused (" \n ", "line 2, column 2: no JSON value, only white space");
  assert_refused ("{\"a\": 1,\n \"b\" 2}", "line 2, column 6: a ‘:’ is missing");
  assert_refused ("{\"a\": 1 \"b\": 2}", "line 1, column 9: a comma is missing");
  assert_refused ("[1, 2,]", "line 1, column 7: a comma before ‘]’");
  assert_refused ("{\"a\": 1,}", "line 1, column 9: a comma before ‘}’");
  assert_refused ("{\"é\": tru}", "line 1, column 7: unexpected character ‘t’");
  assert_refused ("[1] [2]", "line 1, column 5: more text after the end of the value");
  assert_refused ("[01]", "line 1, column 3: a comma is missing");
  assert_refused ("[1.]", "line 1, column 2: an invalid number");
  assert_refused ("[-]", "line 1, column 2: an invalid number");
  assert_refused ("[1e+]", "line 1, column 2: an invalid number");
  assert_refused ("[\"tab\there\"]", "line 1, column 6: a control character inside a string");
  assert_refused ("[\"\\x\"]", "line 1, column 3: an invalid escape ‘\\x’");
  assert_refused ("[\"\\u12G4\"]", "line 1, column 3: an invalid \\u escape");
  assert_refused ("[\"open", "line 1, column 7: a string is not closed");
  assert_refused ("{\"a\": [1, 2", "line 1, column 12: the text ends too early");
  assert_refused ("{'a': 1}", "line 1, column 2: unexpected character ‘'’");
  assert_refused ("/* comment */ {}", "line 1, column 1: unexpected character ‘/’");
  assert_refused ("[NaN]", "line 1, column 2: unexpected character ‘N’");
  assert_refused ("[\"\xc3\"]", "line 1, column 3: invalid UTF-8");
  assert_refused ("[\"\xe2\x80\xa8\", \xe2\x80\xa8]", "line 1, column 7: unexpected character U+2028");
}

static void
test_nul_byte (void)
{
  static const char data[] = "{\"a\": \"b\0c\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = parse_as_node (data, sizeof data - 1, &error);

  g_assert_null (root);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "line 1, column 9: a NUL byte");
}

static char *
nested (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, i % 2 ? "{\"k\": " : "[");
  g_string_append (text, "1");
  for (guint i = depth; i > 0; i--)
    g_string_append (text, (i - 1) % 2 ? "}" : "]");

  return g_string_free (text, FALSE);
}

/* A hostile page cannot take the stack: nesting is bounded. */
static void
test_depth (void)
{
  g_autofree char *deep = nested (MW_JSON_MAX_DEPTH);
  g_autofree char *deeper = nested (MW_JSON_MAX_DEPTH + 1);
  g_autofree char *expected = g_strdup_printf ("line 1, column %d: nested deeper than %d levels",
                                               (MW_JSON_MAX_DEPTH / 2) * 7 + 1, MW_JSON_MAX_DEPTH);
  g_autoptr(JsonNode) root = parse_ok (deep);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  assert_refused (deeper, expected);
}

static void
test_duplicates (void)
{
  static const char text[] = "{\"a\": 1, \"b\": {\"a\": 2}, \"a\": 3}";
  g_autoptr(JsonNode) last_wins = parse_ok (text);
  g_autoptr(JsonNode) theirs = glib_parse (text, strlen (text));
  g_autoptr(MwJsonDoc) doc = mw_json_doc_parse (text, strlen (text), NULL);
  const MwJsonValue *root = mw_json_doc_get_root (doc);

  assert_same_tree (last_wins, theirs);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (last_wins), "a"), ==, 3);

  /* The compact tree keeps both, in order, for the catalog to refuse;
   * a lookup finds the last. */
  g_assert_cmpuint (root->size, ==, 3);
  g_assert_cmpstr (root->u.members[0].name, ==, "a");
  g_assert_cmpstr (root->u.members[2].name, ==, "a");
  g_assert_cmpint (mw_json_value_get_member (root, "a")->u.integer, ==, 3);
}

/* Readers ask for members that may be absent, null or of another type. */
static void
test_doc_accessors (void)
{
  static const char text[] = "{\"s\": \"text\", \"u\": \"$undefined\", \"n\": null, \"b\": true,"
                             " \"o\": {\"k\": 1}, \"a\": [{\"x\": 1}, 2], \"d\": \"first\", \"d\": \"last\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwJsonDoc) doc = mw_json_doc_parse (text, strlen (text), &error);
  const MwJsonValue *root;

  g_assert_no_error (error);
  root = mw_json_doc_get_root (doc);

  g_assert_cmpstr (mw_json_value_get_member_string (root, "s"), ==, "text");
  g_assert_null (mw_json_value_get_member_string (root, "u"));
  g_assert_null (mw_json_value_get_member_string (root, "n"));
  g_assert_null (mw_json_value_get_member_string (root, "b"));
  g_assert_null (mw_json_value_get_member_string (root, "missing"));
  g_assert_true (mw_json_value_is (mw_json_value_get_member (root, "n"), MW_JSON_NULL));
  g_assert_true (mw_json_value_get_boolean (mw_json_value_get_member (root, "b")));
  g_assert_false (mw_json_value_get_boolean (mw_json_value_get_member (root, "s")));
  g_assert_nonnull (mw_json_value_get_member_object (root, "o"));
  g_assert_null (mw_json_value_get_member_object (root, "a"));
  g_assert_null (mw_json_value_get_member_array (root, "o"));
  g_assert_cmpuint (mw_json_value_get_length (mw_json_value_get_member_array (root, "a")), ==, 2);
  g_assert_nonnull (mw_json_value_get_element_object (mw_json_value_get_member (root, "a"), 0));
  g_assert_null (mw_json_value_get_element_object (mw_json_value_get_member (root, "a"), 1));
  g_assert_null (mw_json_value_get_element_object (mw_json_value_get_member (root, "a"), 2));
  g_assert_cmpstr (mw_json_value_get_member_string (root, "d"), ==, "last");

  /* Absent all the way down. */
  g_assert_cmpuint (mw_json_value_get_length (NULL), ==, 0);
  g_assert_null (mw_json_value_get_member (NULL, "s"));
  g_assert_null (mw_json_value_get_member (mw_json_value_get_member (root, "s"), "s"));
  g_assert_null (mw_json_value_get_element (root, 0));
  g_assert_false (mw_json_value_is (NULL, MW_JSON_NULL));
}

/* A document larger than one block of memory. */
static void
test_doc_large (void)
{
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(MwJsonDoc) doc = NULL;
  const MwJsonValue *root;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "%s{\"id\": \"component-%u\", \"n\": %u}", i > 0 ? ", " : "", i, i);
  g_string_append (text, "]");

  doc = mw_json_doc_parse (text->str, text->len, NULL);
  g_assert_nonnull (doc);
  root = mw_json_doc_get_root (doc);
  g_assert_cmpuint (mw_json_value_get_length (root), ==, 20000);
  g_assert_cmpstr (mw_json_value_get_member_string (mw_json_value_get_element (root, 0), "id"), ==, "component-0");
  g_assert_cmpstr (mw_json_value_get_member_string (mw_json_value_get_element (root, 19999), "id"), ==,
                   "component-19999");
  g_assert_cmpint (mw_json_value_get_member (mw_json_value_get_element (root, 12345), "n")->u.integer, ==, 12345);
}

/* The catalog names the line of whatever it finds wrong: every value
 * knows the line it starts on, and an error its line apart from its text. */
static void
test_doc_lines (void)
{
  static const char text[] =
    "{\r\n"
    "  \"a\": 1,\r\n"
    "  \"b\":\n"
    "    [\"x\",\n"
    "\n"
    "     {\"c\": true}],\n"
    "  \"d\": \"line\\nbreak\"\n"
    "}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwJsonDoc) doc = mw_json_doc_parse (text, strlen (text), &error);
  g_autoptr(MwJsonDoc) refused = NULL;
  const MwJsonValue *root, *b;
  guint line = 0;

  g_assert_no_error (error);
  root = mw_json_doc_get_root (doc);
  b = mw_json_value_get_member (root, "b");
  g_assert_cmpuint (root->line, ==, 1);
  g_assert_cmpuint (mw_json_value_get_member (root, "a")->line, ==, 2);
  g_assert_cmpuint (b->line, ==, 4);
  g_assert_cmpuint (mw_json_value_get_element (b, 0)->line, ==, 4);
  g_assert_cmpuint (mw_json_value_get_element (b, 1)->line, ==, 6);
  g_assert_cmpuint (mw_json_value_get_member (mw_json_value_get_element (b, 1), "c")->line, ==, 6);
  /* an escaped line break is not a line */
  g_assert_cmpuint (mw_json_value_get_member (root, "d")->line, ==, 7);

  refused = mw_json_doc_parse_full ("{\n\n  \"a\": tru\n}", 15, &line, &error);
  g_assert_null (refused);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "unexpected character ‘t’");
  g_assert_cmpuint (line, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/fixtures", test_fixtures);
  g_test_add_func ("/json/truncated", test_truncated);
  g_test_add_func ("/json/mutations", test_mutations);
  g_test_add_func ("/json/values", test_values);
  g_test_add_func ("/json/strings", test_strings);
  g_test_add_func ("/json/errors", test_errors);
  g_test_add_func ("/json/word-offsets", test_word_offsets);
  g_test_add_func ("/json/nul-byte", test_nul_byte);
  g_test_add_func ("/json/depth", test_depth);
  g_test_add_func ("/json/duplicates", test_duplicates);
  g_test_add_func ("/json/doc/accessors", test_doc_accessors);
  g_test_add_func ("/json/doc/large", test_doc_large);
  g_test_add_func ("/json/doc/lines", test_doc_lines);

  return g_test_run ();
}
