/* test-catalog-fast.c
 *
 * The catalog is first read without line bookkeeping and only read again
 * with it when something needs a line. These are the cases that quick
 * read could get wrong: a key that appears twice deep inside, or spelt
 * with an escape, keys that hold quotes and colons, comments, and a
 * valid catalog that must come out the same either way.
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog-fast/duplicate-deep", test_duplicate_deep);
  g_test_add_func ("/catalog-fast/duplicate-escaped", test_duplicate_escaped);
  g_test_add_func ("/catalog-fast/quotes-and-colons", test_quotes_and_colons);
  g_test_add_func ("/catalog-fast/unknown-key-line", test_unknown_key_line);
  g_test_add_func ("/catalog-fast/error-line", test_error_line);

  return g_test_run ();
}
