/* test-catalog-lines.c
 *
 * Every message about a catalog names the line to look at. The lines come
 * from the JSON parser, which counts them as it reads: a key that appears
 * twice deep inside, or spelt with an escape; keys that hold quotes and
 * colons; a value that spans lines; text that is not JSON at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-catalog.h"

#define HEAD "{\n  \"version\": 1,\n  \"providers\": [\n    {\n"
#define PAGE "      \"status_page\": {\"url\": \"https://status.example.com\", \"platform\": \"statuspage\"},\n"
#define TAIL "    }\n  ]\n}\n"

static char *
load_error (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (text, -1, "c.json", &error);

  g_assert_null (catalog);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

static void
test_duplicate_deep (void)
{
  const char *text =
    HEAD
    "      \"id\": \"example\",\n"
    "      \"name\": \"Example\",\n"
    PAGE
    "      \"models\": [\n"
    "        {\"id\": \"m\", \"name\": \"M\",\n"
    "         \"match\": [\"M\"], \"name\": \"N\"}\n"
    "      ]\n"
    TAIL;
  g_autofree char *message = load_error (text);

  g_assert_cmpstr (message, ==, "c.json:10: “name” appears twice in the same object");
}

static void
test_duplicate_escaped (void)
{
  /* "\u0069d" is "id": the same key, whatever the text looks like */
  const char *text =
    HEAD
    "      \"id\": \"example\",\n"
    "      \"name\": \"Example\",\n"
    PAGE
    "      \"models\": [],\n"
    "      \"\\u0069d\": \"other\"\n"
    TAIL;
  g_autofree char *message = load_error (text);

  g_assert_nonnull (strstr (message, "c.json:9: "));
  g_assert_nonnull (strstr (message, "appears twice in the same object"));
}

static void
test_quotes_and_colons (void)
{
  /* strings holding \" and ": " must not be counted as keys, or a real
   * duplicate could hide behind them */
  const char *text =
    HEAD
    "      \"id\": \"example\",\n"
    "      \"name\": \"Example \\\"quoted\\\": name\",\n"
    PAGE
    "      \"models\": [{\"id\": \"m\", \"name\": \"a\\\\\", \"match\": [\"x\\\": y\"]}]\n"
    TAIL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (text, -1, "c.json", &error);
  const MwProvider *provider;

  g_assert_no_error (error);
  g_assert_cmpuint (mw_catalog_get_warnings (catalog)->len, ==, 0);
  provider = mw_catalog_find_provider (catalog, "example");
  g_assert_nonnull (provider);
  g_assert_cmpstr (provider->name, ==, "Example \"quoted\": name");
}

static void
test_unknown_key_line (void)
{
  const char *text =
    HEAD
    "      \"id\": \"example\",\n"
    "      \"name\": \"Example\",\n"
    PAGE
    "      \"models\": [{\"id\": \"m\", \"name\": \"M\", \"match\": [\"M\"],\n"
    "                  \"colour\": \"red\"}]\n"
    TAIL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (text, -1, "c.json", &error);
  GPtrArray *warnings;

  g_assert_no_error (error);
  warnings = mw_catalog_get_warnings (catalog);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "c.json:9: providers[0].models[0].colour: unknown key, ignored");
}

static void
test_error_line (void)
{
  const char *text =
    HEAD
    "      \"id\": \"example\",\n"
    "      \"name\": 7,\n"
    PAGE
    "      \"models\": []\n"
    TAIL;
  g_autofree char *message = load_error (text);

  g_assert_nonnull (strstr (message, "c.json:6: providers[0].name: "));
}

/* An object or array is where its bracket opens, not where it ends. */
static void
test_container_line (void)
{
  const char *text =
    HEAD
    "      \"id\": \"example\",\n"
    "      \"name\": \"Example\",\n"
    PAGE
    "      \"models\":\n"
    "        {\n"
    "          \"id\": \"m\"\n"
    "        }\n"
    TAIL;
  g_autofree char *message = load_error (text);

  g_assert_cmpstr (message, ==, "c.json:9: providers[0].models: must be an array, not an object");
}

static void
test_syntax_line (void)
{
  const char *text =
    HEAD
    "      \"id\": \"example\",\n"
    "      // a comment is not JSON\n"
    "      \"name\": \"Example\"\n"
    TAIL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (text, -1, "c.json", &error);

  g_assert_null (catalog);
  g_assert_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "c.json:6: not valid JSON: unexpected character ‘/’");
}

static void
test_not_utf8 (void)
{
  const char *text = HEAD "      \"id\": \"caf\xe9\",\n" TAIL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (text, -1, "c.json", &error);

  g_assert_null (catalog);
  g_assert_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "c.json: not valid JSON: the file is not UTF-8 text");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog-lines/duplicate-deep", test_duplicate_deep);
  g_test_add_func ("/catalog-lines/duplicate-escaped", test_duplicate_escaped);
  g_test_add_func ("/catalog-lines/quotes-and-colons", test_quotes_and_colons);
  g_test_add_func ("/catalog-lines/unknown-key-line", test_unknown_key_line);
  g_test_add_func ("/catalog-lines/error-line", test_error_line);
  g_test_add_func ("/catalog-lines/container-line", test_container_line);
  g_test_add_func ("/catalog-lines/syntax-line", test_syntax_line);
  g_test_add_func ("/catalog-lines/not-utf8", test_not_utf8);

  return g_test_run ();
}
