/* test-catalog.c
 *
 * The catalog contract: strict validation with file:line: key messages,
 * warnings for unknown keys, catalog.d drop-ins merged by provider id,
 * the built-in host that a drop-in cannot move, and the built-in catalog
 * itself (every provider, model, phrase and fallback chain).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "mw-assess.h"
#include "mw-catalog.h"
#include "mw-reader.h"

/* A valid one-provider catalog; tests replace parts of it. */
#define GOOD_PROVIDER(ID, URL) \
  "    {\n" \
  "      \"id\": \"" ID "\",\n" \
  "      \"name\": \"Example\",\n" \
  "      \"status_page\": {\n" \
  "        \"url\": \"" URL "\",\n" \
  "        \"platform\": \"statuspage\"\n" \
  "      },\n" \
  "      \"models\": [\n" \
  "        {\"id\": \"m-1\", \"name\": \"Model One\", \"match\": [\"Model One\"]}\n" \
  "      ]\n" \
  "    }"

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("mw-catalog-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* The 1-based line of the first occurrence of @needle in @text. */
static guint
line_of (const char *text,
         const char *needle)
{
  const char *hit = strstr (text, needle);
  guint line = 1;

  g_assert_nonnull (hit);
  for (const char *p = text; p < hit; p++)
    if (*p == '\n')
      line++;

  return line;
}

static guint
line_at (const char *text,
         const char *position)
{
  guint line = 1;

  for (const char *p = text; p < position; p++)
    if (*p == '\n')
      line++;

  return line;
}

/* Loads @text as `--catalog catalog.json` would and returns the error message. */
static char *
load_error (const char *text,
            int         code)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = write_file (dir, "catalog.json", text);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_load (path, &error);
  char *message;

  g_assert_null (catalog);
  g_assert_error (error, MW_CATALOG_ERROR, code);
  g_assert_null (strchr (error->message, '\n'));

  /* Messages name the file as it was given. */
  g_assert_true (g_str_has_prefix (error->message, path));
  message = g_strdup_printf ("catalog.json%s", error->message + strlen (path));

  g_unlink (path);
  g_rmdir (dir);
  return message;
}

static void
test_syntax_error (void)
{
  const char *text = "{\n  \"version\": 1,\n  \"providers\": [,]\n}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_SYNTAX);

  g_assert_true (g_str_has_prefix (message, "catalog.json:3: not valid JSON: "));
}

static void
test_empty_file (void)
{
  g_autofree char *message = load_error ("", MW_CATALOG_ERROR_SYNTAX);

  g_assert_cmpstr (message, ==, "catalog.json:1: not valid JSON: the file is empty");
}

static void
test_wrong_type (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"providers\": [\n"
    "    {\n"
    "      \"id\": \"example\",\n"
    "      \"name\": 42,\n"
    "      \"status_page\": {\"url\": \"https://status.example.com\", \"platform\": \"statuspage\"},\n"
    "      \"models\": []\n"
    "    }\n"
    "  ]\n"
    "}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);

  g_assert_cmpstr (message, ==, "catalog.json:6: providers[0].name: must be a string, not a number");
}

static void
test_missing_key_cites_object (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"providers\": [\n"
    "    {\n"
    "      \"id\": \"example\",\n"
    "      \"name\": \"Example\",\n"
    "      \"status_page\": {\n"
    "        \"platform\": \"statuspage\"\n"
    "      },\n"
    "      \"models\": []\n"
    "    }\n"
    "  ]\n"
    "}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);

  /* The line of the object that lacks it. */
  g_assert_cmpstr (message, ==, "catalog.json:7: providers[0].status_page.url: required key is missing");
}

static void
test_http_rejected (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"providers\": [\n"
    GOOD_PROVIDER ("example", "http://example.com") "\n"
    "  ]\n"
    "}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);
  g_autofree char *expected =
    g_strdup_printf ("catalog.json:%u: providers[0].status_page.url: “http://example.com” must be https:// "
                     "(http:// is only for loopback hosts)", line_of (text, "http://example.com"));

  g_assert_cmpstr (message, ==, expected);
}

static void
test_url_rules (void)
{
  const char *allowed[] = {
    "https://status.claude.com", "http://127.0.0.1:8080/x", "http://127.3.4.5/", "http://[::1]:9/",
    "http://localhost:1234", "HTTPS://Example.com/",
  };
  const char *refused[] = {
    "http://example.com", "http://10.0.0.1/", "http://127.0.0.1.example.com/", "ftp://example.com/",
    "file:///etc/passwd", "https://user:secret@example.com/", "status.claude.com", "", "https://",
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (mw_url_is_allowed (allowed[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (mw_url_is_allowed (refused[i], &error));
      g_assert_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID);
      /* Credentials never reach a message. */
      g_assert_null (strstr (error->message, "secret"));
    }

  g_assert_true (mw_url_is_loopback ("http://127.0.0.1:1/"));
  g_assert_true (mw_url_is_loopback ("http://[::1]/"));
  g_assert_false (mw_url_is_loopback ("https://status.claude.com"));
  g_assert_false (mw_url_is_loopback ("http://0.0.0.0/"));
  g_assert_true (mw_url_is_loopback ("http://127.3.2.1:8080/x"));
  g_assert_true (mw_url_is_loopback ("http://LocalHost/"));
  g_assert_false (mw_url_is_loopback ("http://127.0.0.1.example.com/"));
  g_assert_false (mw_url_is_loopback ("http://[::2]/"));
  g_assert_false (mw_url_is_loopback ("not a url"));
  g_assert_false (mw_url_is_loopback (NULL));

  g_assert_true (mw_host_is_loopback ("127.255.255.254"));
  g_assert_true (mw_host_is_loopback ("::1"));
  g_assert_false (mw_host_is_loopback ("128.0.0.1"));
  g_assert_false (mw_host_is_loopback ("127.1"));
  g_assert_false (mw_host_is_loopback ("localhost.example.com"));
  g_assert_false (mw_host_is_loopback (""));
  g_assert_false (mw_host_is_loopback (NULL));
}

static void
test_loopback_accepted (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"providers\": [\n"
    GOOD_PROVIDER ("local", "http://127.0.0.1:8080") "\n"
    "  ]\n"
    "}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (text, -1, "test.json", &error);
  const MwProvider *provider;

  g_assert_no_error (error);
  g_assert_cmpuint (mw_catalog_get_n_providers (catalog), ==, 1);
  provider = mw_catalog_get_provider (catalog, 0);
  g_assert_cmpstr (provider->page_url, ==, "http://127.0.0.1:8080");
  g_assert_false (provider->builtin);
  g_assert_cmpstr (provider->source, ==, "test.json");
  g_assert_cmpuint (provider->components->len, ==, 0);
  g_assert_cmpuint (mw_catalog_get_warnings (catalog)->len, ==, 0);
}

static void
test_unknown_keys_warn (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"comment\": \"mine\",\n"
    "  \"providers\": [\n"
    "    {\n"
    "      \"id\": \"example\",\n"
    "      \"name\": \"Example\",\n"
    "      \"status_page\": {\"url\": \"https://status.example.com\", \"platform\": \"statuspage\",\n"
    "                      \"colour\": \"red\"},\n"
    "      \"models\": []\n"
    "    }\n"
    "  ]\n"
    "}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (text, -1, "mine.json", &error);
  GPtrArray *warnings;

  g_assert_no_error (error);
  warnings = mw_catalog_get_warnings (catalog);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==, "mine.json:3: comment: unknown key, ignored");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "mine.json:9: providers[0].status_page.colour: unknown key, ignored");
}

static void
test_duplicate_provider (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"providers\": [\n"
    GOOD_PROVIDER ("twice", "https://a.example.com") ",\n"
    GOOD_PROVIDER ("twice", "https://b.example.com") "\n"
    "  ]\n"
    "}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);
  const char *second = strstr (strstr (text, "\"twice\"") + 1, "\"twice\"");
  g_autofree char *expected =
    g_strdup_printf ("catalog.json:%u: providers[1].id: provider “twice” is listed twice",
                     line_at (text, second));

  g_assert_cmpstr (message, ==, expected);
}

static void
test_duplicate_json_key (void)
{
  const char *text = "{\n  \"version\": 1,\n  \"providers\": [],\n  \"version\": 1\n}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);

  g_assert_cmpstr (message, ==, "catalog.json:4: “version” appears twice in the same object");
}

static void
test_duplicate_phrase (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"providers\": [{\n"
    "    \"id\": \"p\", \"name\": \"P\",\n"
    "    \"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"},\n"
    "    \"models\": [\n"
    "      {\"id\": \"a\", \"name\": \"A\", \"match\": [\"Opus 4.7\"]},\n"
    "      {\"id\": \"b\", \"name\": \"B\", \"match\": [\"Sonnet\",\n"
    "                                        \"opus 4.7\"]}\n"
    "    ]\n"
    "  }]\n"
    "}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);

  g_assert_cmpstr (message, ==,
                   "catalog.json:9: providers[0].models[1].match[1]: “opus 4.7” is already a match phrase of model “a”");
}

static void
test_unknown_fallback (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"providers\": [\n"
    GOOD_PROVIDER ("example", "https://status.example.com") "\n"
    "  ],\n"
    "  \"fallbacks\": {\n"
    "    \"example/m-1\": [\n"
    "      \"openai/gpt-9\"\n"
    "    ]\n"
    "  }\n"
    "}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);
  g_autofree char *expected =
    g_strdup_printf ("catalog.json:%u: fallbacks.example/m-1[0]: “openai/gpt-9”: no such model in the catalog",
                     line_of (text, "openai/gpt-9"));

  g_assert_cmpstr (message, ==, expected);
}

static void
test_unknown_fallback_key (void)
{
  const char *text =
    "{\n"
    "  \"version\": 1,\n"
    "  \"providers\": [\n"
    GOOD_PROVIDER ("example", "https://status.example.com") "\n"
    "  ],\n"
    "  \"fallbacks\": {\"example/m-2\": [\"example/m-1\"]}\n"
    "}\n";
  g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);
  g_autofree char *expected =
    g_strdup_printf ("catalog.json:%u: fallbacks.example/m-2: no such model in the catalog",
                     line_of (text, "example/m-2"));

  g_assert_cmpstr (message, ==, expected);
}

static void
test_fallback_only_drop_in (void)
{
  const char *text =
    "{\"version\": 1,\n"
    " \"fallbacks\": {\"anthropic/claude-opus-4-7\": [\"google/gemini-2.5-pro\", \"openai/gpt-5\"]}}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) user = mw_catalog_new_from_data (text, -1, "chains.json", &error);
  g_autoptr(MwCatalog) builtin = mw_catalog_new_builtin (&error);
  g_autoptr(MwCatalog) merged = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (mw_catalog_get_n_providers (user), ==, 0);

  /* Alone, its chain names models it does not have. */
  g_assert_false (mw_catalog_check (user, &error));
  g_assert_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "chains.json:2: fallbacks.anthropic/claude-opus-4-7: no such model in the catalog");
  g_clear_error (&error);

  /* Over the built-in catalog, it replaces one chain and keeps the rest. */
  merged = mw_catalog_merge (builtin, user);
  g_assert_true (mw_catalog_check (merged, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mw_catalog_get_fallbacks (merged, "anthropic/claude-opus-4-7")[0], ==, "google/gemini-2.5-pro");
  g_assert_cmpstr (mw_catalog_get_fallbacks (merged, "openai/gpt-5")[0], ==,
                   mw_catalog_get_fallbacks (builtin, "openai/gpt-5")[0]);
  g_assert_cmpuint (mw_catalog_get_n_providers (merged), ==, mw_catalog_get_n_providers (builtin));
}

static void
test_other_rules (void)
{
  static const struct {
    const char *provider_body;  /* inside the provider object, after id/name */
    const char *expected;       /* after "catalog.json:LINE: " */
  } cases[] = {
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"geocities\"}, \"models\": []",
      "providers[0].status_page.platform: “geocities” is not one of" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"checkly\"}, \"models\": []",
      "providers[0].status_page.options.slug: required for platform “checkly”" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"}, \"models\": [],"
      " \"api\": {\"base_url\": \"https://api.example.com\", \"headers\": {\"Authorization\": \"Bearer x\"}}",
      "providers[0].api.headers.Authorization: credentials do not belong in the catalog" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"}, \"models\": [],"
      " \"api\": {\"base_url\": \"https://api.example.com\", \"probe\": {\"path\": \"/\", \"expect\": [999]}}",
      "providers[0].api.probe.expect[0]: 999 is not an HTTP status" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"}, \"models\": [],"
      " \"api\": {\"base_url\": \"https://api.example.com\", \"model_probe\": \"always\"}",
      "providers[0].api.model_probe: “always” is not one of off, free, generate" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"}, \"models\": [],"
      " \"checked\": \"2026-02-30\"",
      "providers[0].checked: “2026-02-30” is not a date like 2026-11-29" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"},"
      " \"models\": [{\"id\": \"a\", \"name\": \"A\"}, {\"id\": \"a\", \"name\": \"B\"}]",
      "providers[0].models[1].id: model “a” is listed twice" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"},"
      " \"models\": [{\"id\": \"A/b\", \"name\": \"A\"}]",
      "providers[0].models[0].id: “A/b” must be lower-case letters" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"},"
      " \"models\": [{\"id\": \"a\", \"name\": \"A\", \"api_id\": \"a\\\"}, \\\"x\"}]",
      "providers[0].models[0].api_id: “a\"}, \"x” must be letters, digits" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"}, \"models\": {}",
      "providers[0].models: must be an array, not an object" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"}, \"models\": [], \"components\": 3",
      "providers[0].components: must be an object (label → id) or an array of ids, not a number" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\", \"options\": {\"page_id\": 12}},"
      " \"models\": []",
      "providers[0].status_page.options.page_id: must be a string or an array of strings, not a number" },
    { "\"status_page\": {\"url\": \"https://s.example.com\", \"platform\": \"auto\"}, \"models\": [], \"trusted\": \"yes\"",
      "providers[0].trusted: must be true or false, not a string" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"version\": 1, \"providers\": [{\"id\": \"p\", \"name\": \"P\", %s}]}",
                                               cases[i].provider_body);
      g_autofree char *message = load_error (text, MW_CATALOG_ERROR_INVALID);

      g_test_message ("%s", message);
      g_assert_true (g_str_has_prefix (message, "catalog.json:1: "));
      g_assert_true (g_str_has_prefix (message + strlen ("catalog.json:1: "), cases[i].expected));
    }

  {
    g_autofree char *message = load_error ("{\"version\": 2, \"providers\": []}", MW_CATALOG_ERROR_INVALID);

    g_assert_cmpstr (message, ==, "catalog.json:1: version: this is version 2; this Modelwatch reads version 1");
  }
  {
    g_autofree char *message = load_error ("[]", MW_CATALOG_ERROR_INVALID);

    g_assert_cmpstr (message, ==, "catalog.json:1: (top level): must be an object, not an array");
  }
}

static void
test_full_entry (void)
{
  const char *text =
    "{\"version\": 1, \"providers\": [{\n"
    "  \"id\": \"acme\", \"name\": \"Acme\", \"trusted\": true, \"checked\": \"2026-11-29\",\n"
    "  \"status_page\": {\"url\": \"https://status.acme.test\", \"platform\": \"aws\",\n"
    "                  \"options\": {\"services\": [\"bedrock-us-east-1\", \"bedrock-eu-west-1\"], \"slug\": \"s\"}},\n"
    "  \"api\": {\"base_url\": \"https://api.acme.test\", \"probe\": {\"method\": \"GET\", \"path\": \"/v1/models\", \"expect\": [401, 403]},\n"
    "          \"key_env\": \"ACME_KEY\", \"auth\": \"bearer\", \"headers\": {\"acme-version\": \"2\"}, \"model_probe\": \"free\",\n"
    "          \"free_probe\": {\"method\": \"POST\", \"path\": \"/v1/count\", \"body\": {\"model\": \"{model}\"}}},\n"
    "  \"components\": {\"api\": \"abc\", \"web\": \"Website\"},\n"
    "  \"models\": [{\"id\": \"big-1\", \"name\": \"Big 1\", \"components\": [\"abc\"], \"match\": [\"Big 1\"]},\n"
    "             {\"id\": \"small-1\", \"name\": \"Small 1\", \"model_probe\": \"off\"}]}],\n"
    " \"fallbacks\": {\"acme/big-1\": [\"acme/small-1\"]}}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (text, -1, "acme.json", &error);
  const MwProvider *provider, *owner = NULL;
  const MwModel *model;
  const char * const *chain;
  MwComponentRef *ref;

  g_assert_no_error (error);
  provider = mw_catalog_find_provider (catalog, "acme");
  g_assert_nonnull (provider);
  g_assert_true (provider->trusted);
  g_assert_cmpstr (provider->checked, ==, "2026-11-29");
  g_assert_cmpstr (mw_provider_get_option (provider, "services"), ==, "bedrock-us-east-1,bedrock-eu-west-1");
  g_assert_cmpstr (mw_provider_get_option (provider, "slug"), ==, "s");
  g_assert_null (mw_provider_get_option (provider, "nope"));
  g_assert_cmpstr (provider->api->base_url, ==, "https://api.acme.test");
  g_assert_cmpstr (provider->api->probe.path, ==, "/v1/models");
  g_assert_cmpuint (provider->api->expect->len, ==, 2);
  g_assert_cmpuint (g_array_index (provider->api->expect, guint, 1), ==, 403);
  g_assert_cmpstr (provider->api->key_env, ==, "ACME_KEY");
  g_assert_cmpstr (g_ptr_array_index (provider->api->headers, 0), ==, "acme-version: 2");
  g_assert_cmpint (provider->api->model_probe, ==, MW_MODEL_PROBE_FREE);
  g_assert_cmpstr (provider->api->free_probe->body, ==, "{\"model\":\"{model}\"}");
  g_assert_null (provider->api->generate_probe);
  g_assert_cmpuint (provider->components->len, ==, 2);
  ref = g_ptr_array_index (provider->components, 1);
  g_assert_cmpstr (ref->key, ==, "web");
  g_assert_cmpstr (ref->id, ==, "Website");

  model = mw_catalog_find_model (catalog, "acme/big-1", &owner);
  g_assert_nonnull (model);
  g_assert_true (owner == provider);
  g_assert_cmpstr (model->global_id, ==, "acme/big-1");
  g_assert_cmpint (model->model_probe, ==, MW_MODEL_PROBE_FREE);
  g_assert_false (model->model_probe_set);
  model = mw_catalog_find_model (catalog, "acme/small-1", NULL);
  g_assert_cmpint (model->model_probe, ==, MW_MODEL_PROBE_OFF);
  g_assert_true (model->model_probe_set);
  g_assert_cmpuint (g_strv_length (model->match), ==, 0);
  g_assert_null (mw_catalog_find_model (catalog, "acme/nope", NULL));
  g_assert_null (mw_catalog_find_model (catalog, "big-1", NULL));

  chain = mw_catalog_get_fallbacks (catalog, "acme/big-1");
  g_assert_nonnull (chain);
  g_assert_cmpstr (chain[0], ==, "acme/small-1");
  g_assert_null (chain[1]);
  g_assert_null (mw_catalog_get_fallbacks (catalog, "acme/small-1"));
}

static void
test_builtin_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_builtin (&error);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const expected[] = {
    "anthropic", "openai", "google", "mistral", "cohere", "groq", "deepseek", "xai", "perplexity",
    "openrouter", "together", "fireworks", "cerebras", "moonshot", "github-copilot", "azure-openai",
    "aws-bedrock",
  };
  guint n_models = 0;

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  /* The built-in catalog uses no key this Modelwatch does not know. */
  for (guint i = 0; i < mw_catalog_get_warnings (catalog)->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (mw_catalog_get_warnings (catalog), i));
  g_assert_cmpuint (mw_catalog_get_warnings (catalog)->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_nonnull (mw_catalog_find_provider (catalog, expected[i]));

  for (guint i = 0; i < mw_catalog_get_n_providers (catalog); i++)
    {
      const MwProvider *provider = mw_catalog_get_provider (catalog, i);
      g_autoptr(GHashTable) phrases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      g_test_message ("provider %s", provider->id);
      g_assert_true (g_hash_table_add (ids, provider->id));
      g_assert_true (provider->builtin);
      g_assert_nonnull (mw_reader_lookup (provider->platform));
      g_assert_true (g_str_has_prefix (provider->page_url, "https://"));
      g_assert_nonnull (provider->checked);
      g_assert_cmpuint (provider->models->len, >=, 1);

      if (provider->api != NULL)
        {
          g_assert_true (g_str_has_prefix (provider->api->base_url, "https://"));
          g_assert_cmpstr (mw_catalog_get_builtin_host (catalog, provider->id), !=, NULL);
        }

      for (guint j = 0; j < provider->models->len; j++)
        {
          const MwModel *model = g_ptr_array_index (provider->models, j);
          const char * const *chain = mw_catalog_get_fallbacks (catalog, model->global_id);
          g_autofree char *prefix = g_strdup_printf ("%s/", provider->id);
          guint length;

          n_models++;
          g_assert_cmpuint (g_strv_length (model->match), >=, 1);
          for (guint k = 0; model->match[k] != NULL; k++)
            g_assert_true (g_hash_table_add (phrases, g_utf8_casefold (model->match[k], -1)));

          /* Every model has a chain of existing models that ends on
           * another provider, so one provider's outage always has a way out. */
          g_assert_nonnull (chain);
          length = g_strv_length ((GStrv) chain);
          g_assert_cmpuint (length, >=, 1);
          for (guint k = 0; k < length; k++)
            {
              g_assert_nonnull (mw_catalog_find_model (catalog, chain[k], NULL));
              g_assert_cmpstr (chain[k], !=, model->global_id);
            }
          g_assert_false (g_str_has_prefix (chain[length - 1], prefix));
          /* Siblings first: once a chain leaves the provider it stays out. */
          for (guint k = 1; k < length; k++)
            g_assert_true (g_str_has_prefix (chain[k - 1], prefix) || !g_str_has_prefix (chain[k], prefix));
        }
    }

  g_assert_cmpuint (g_hash_table_size (ids), ==, mw_catalog_get_n_providers (catalog));
  g_assert_cmpuint (n_models, >=, 60);

  /* Spot checks against the reference. */
  {
    const MwProvider *anthropic = mw_catalog_find_provider (catalog, "anthropic");
    const MwProvider *google = mw_catalog_find_provider (catalog, "google");
    const MwProvider *deepseek = mw_catalog_find_provider (catalog, "deepseek");
    const MwProvider *mistral = mw_catalog_find_provider (catalog, "mistral");
    const char * const *chain = mw_catalog_get_fallbacks (catalog, "anthropic/claude-opus-4-7");

    g_assert_cmpstr (anthropic->page_url, ==, "https://status.claude.com");
    g_assert_cmpuint (anthropic->components->len, ==, 6);
    g_assert_cmpstr (mw_catalog_get_builtin_host (catalog, "anthropic"), ==, "api.anthropic.com");
    g_assert_cmpuint (g_array_index (anthropic->api->expect, guint, 0), ==, 401);
    g_assert_nonnull (mw_catalog_find_model (catalog, "anthropic/claude-opus-5-5", NULL));
    g_assert_cmpstr (chain[0], ==, "anthropic/claude-sonnet-4-6");
    g_assert_cmpstr (mw_provider_get_option (google, "products"), ==, "Z0FZJAMvEB4j3NbCJs6B");
    g_assert_cmpuint (g_array_index (google->api->expect, guint, 0), ==, 403);
    g_assert_cmpstr (mw_provider_get_option (deepseek, "page_id"), ==, "6410630422455");
    g_assert_cmpstr (mw_provider_get_option (mistral, "slug"), ==, "mistral-ai");
    g_assert_cmpstr (mw_catalog_find_provider (catalog, "xai")->platform, ==, "feed");
    g_assert_cmpstr (mw_catalog_get_builtin_host (catalog, "github-copilot"), ==, "api.github.com");
    g_assert_null (mw_catalog_get_builtin_host (catalog, "azure-openai"));

    /* OpenAI through its native incident.io feed: the shim's summary.json
     * stops at position 24 and Chat Completions is 26. */
    g_assert_cmpstr (mw_catalog_find_provider (catalog, "openai")->platform, ==, "incidentio");
    /* The Datadog page has no custom domain (customDomainEnabled false). */
    g_assert_cmpstr (mw_catalog_find_provider (catalog, "openrouter")->page_url, ==,
                     "https://openrouter.statuspage.datadoghq.com");
    /* Better Stack resources by id, as in the Together capture. */
    g_assert_cmpstr (mw_catalog_find_model (catalog, "together/kimi-k3", NULL)->components[0], ==, "8978884");
    g_assert_cmpstr (mw_catalog_find_model (catalog, "mistral/glm-5-2", NULL)->components[0], ==,
                     "c4869a5a-054c-4c1b-88d1-3d195ba58511");
    /* "checked" is the date of the newest evidence, not the day of an edit. */
    g_assert_cmpstr (anthropic->checked, ==, "2026-10-08");
    g_assert_cmpstr (mw_catalog_find_provider (catalog, "groq")->checked, ==, "2026-06-28");
  }
}

/* Incident titles from the captures name exactly the models they mean:
 * the built-in match phrases do not let "Opus 5" also hit "Opus 5.5". */
static void
test_builtin_phrases (void)
{
  static const struct {
    const char *provider;
    const char *title;
    const char *models;   /* global ids, comma-separated, in title order */
  } cases[] = {
    { "anthropic", "Elevated errors for Claude Opus 5.5", "anthropic/claude-opus-5-5" },
    { "anthropic", "Degraded performance for Claude Opus 5", "anthropic/claude-opus-5" },
    { "anthropic", "Elevated errors for Claude Mythos 5.1 and Claude Fable 5.1",
      "anthropic/claude-mythos-5-1,anthropic/claude-fable-5-1" },
    { "anthropic", "Opus 4.6 recovered; Sonnet 4.6 and claude-opus-4-7 still erroring",
      "anthropic/claude-opus-4-6,anthropic/claude-sonnet-4-6,anthropic/claude-opus-4-7" },
    { "anthropic", "Elevated errors for multiple models", "" },
    { "openai", "Elevated errors for GPT-5.6 Sol on the API", "openai/gpt-5.6-sol" },
    { "openai", "GPT-5 mini latency", "openai/gpt-5-mini" },
    { "openai", "Errors on GPT-5", "openai/gpt-5" },
    { "github-copilot", "Degraded availability GPT 5.6 Luna", "github-copilot/gpt-5.6-luna" },
    { "github-copilot", "Errors with the Fable 5 Model in Copilot", "github-copilot/claude-fable-5" },
    { "github-copilot", "Degraded Gemini 2.5 Pro experience in Copilot", "github-copilot/gemini-2.5-pro" },
    { "github-copilot", "Incident with Grok Copilot AI Model Provider", "" },
    { "together", "Kimi K3 and GLM 5.3 Flash degraded", "together/kimi-k3,together/glm-5.3-flash" },
    { "deepseek", "DeepSeek-V4-Flash-Vision-Exp unavailable", "deepseek/deepseek-v4-flash-vision-exp" },
    { "groq", "Elevated latency on llama-3.3-70b-versatile", "groq/llama-3.3-70b-versatile" },
    /* Titles and update bodies as the captures and the reference quote them. */
    { "anthropic", "Elevated errors on claude.ai, Claude Code, Claude Cowork and the Claude API", "" },
    { "anthropic", "We are investigating elevated errors on requests to Claude Mythos 5.1, Claude Fable 5.1, "
      "and Claude Opus 5.", "anthropic/claude-mythos-5-1,anthropic/claude-fable-5-1,anthropic/claude-opus-5" },
    { "anthropic", "Elevated errors on Claude Opus 4 and Opus 4.1", "" },
    { "anthropic", "Opus 4.6 / Sonnet 4.6 timeouts, Haiku 4.5 elevated errors",
      "anthropic/claude-opus-4-6,anthropic/claude-sonnet-4-6,anthropic/claude-haiku-4-5" },
    { "openai", "Increased Error Rate For Pro and Plus Plan Conversations", "" },
    { "openai", "Issues with Custom GPT actions", "" },
    { "github-copilot", "Copilot model Claude Fable 5 experiencing elevated errors", "github-copilot/claude-fable-5" },
    { "github-copilot", "Disruption with Gemini 2.5 Pro and Gemini 2.0 Flash in Copilot",
      "github-copilot/gemini-2.5-pro,github-copilot/gemini-2.0-flash" },
    { "github-copilot", "the GPT-5.2, GPT-5.3-Codex, GPT-5.4, GPT-5.4 Mini, GPT-5.6 Sol, GPT-5.6 Terra, and "
      "GPT-5.6 Luna models",
      "github-copilot/gpt-5.2,github-copilot/gpt-5.3-codex,github-copilot/gpt-5.4,github-copilot/gpt-5.4-mini,"
      "github-copilot/gpt-5.6-sol,github-copilot/gpt-5.6-terra,github-copilot/gpt-5.6-luna" },
    { "github-copilot", "Claude Opus 4 is experiencing degraded performance", "" },
    { "github-copilot", "degradation of the Kimi K3 model", "github-copilot/kimi-k3" },
    { "mistral", "Completion API Degraded - glm-5-2", "mistral/glm-5-2" },
    { "mistral", "Conversations API Degraded", "" },
    { "deepseek", "DeepSeek V4 Pro API服务(API Service)", "deepseek/deepseek-v4-pro" },
    { "deepseek", "DeepSeek V4 Flash API服务(API Service)", "deepseek/deepseek-v4-flash" },
    { "together", "DeepSeek V4 Pro 0813", "together/deepseek-v4-pro" },
    { "together", "Qwen3.8-2.4T-A95B", "together/qwen3.8-2.4t-a95b" },
    { "together", "Inkling Small", "together/inkling-small" },
    { "openrouter", "Elevated 429s on Anthropic and OpenAI", "" },
    { "xai", "[API Console] Console not loading", "" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_builtin (&error);

  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MwProvider *provider = mw_catalog_find_provider (catalog, cases[i].provider);
      g_autoptr(GPtrArray) models = mw_match_models (provider, cases[i].title);
      g_autoptr(GString) got = g_string_new (NULL);

      for (guint j = 0; j < models->len; j++)
        g_string_append_printf (got, "%s%s", j > 0 ? "," : "",
                                ((const MwModel *) g_ptr_array_index (models, j))->global_id);

      g_test_message ("%s: %s", cases[i].title, got->str);
      g_assert_cmpstr (got->str, ==, cases[i].models);
    }
}

static void
test_user_dir_merge (void)
{
  g_autofree char *dir = mw_catalog_user_dir ();
  g_autofree char *override = NULL;
  g_autofree char *extra = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) builtin = mw_catalog_new_builtin (&error);
  g_autoptr(MwCatalog) catalog = NULL;
  const MwProvider *provider;
  const char * const *chain;

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  /* G_TEST_OPTION_ISOLATE_DIRS keeps this away from the real config. */
  g_assert_true (g_str_has_prefix (dir, g_get_tmp_dir ()) || strstr (dir, "isolated") != NULL ||
                 g_getenv ("XDG_CONFIG_HOME") != NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* No drop-ins: the built-in catalog. */
  catalog = mw_catalog_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_catalog_get_n_providers (catalog), ==, mw_catalog_get_n_providers (builtin));
  g_clear_pointer (&catalog, mw_catalog_unref);

  override = write_file (dir, "10-anthropic.json",
    "{\"version\": 1, \"providers\": [{\n"
    "  \"id\": \"anthropic\", \"name\": \"Anthropic (mirror)\",\n"
    "  \"status_page\": {\"url\": \"https://anthropic.statuspage.io\", \"platform\": \"statuspage\"},\n"
    "  \"api\": {\"base_url\": \"https://api.mirror.example\", \"key_env\": \"ANTHROPIC_API_KEY\"},\n"
    "  \"models\": [{\"id\": \"claude-opus-4-7\", \"name\": \"Claude Opus 4.7\", \"match\": [\"Opus 4.7\"]},\n"
    "             {\"id\": \"claude-sonnet-4-6\", \"name\": \"Claude Sonnet 4.6\", \"match\": [\"Sonnet 4.6\"]}]}],\n"
    " \"fallbacks\": {\"anthropic/claude-opus-4-7\": [\"local/tiny\", \"openai/gpt-5\"]}}\n");
  extra = write_file (dir, "20-local.json",
    "{\"version\": 1, \"providers\": [{\n"
    "  \"id\": \"local\", \"name\": \"Local\", \"wibble\": 1,\n"
    "  \"status_page\": {\"url\": \"http://127.0.0.1:9\", \"platform\": \"statuspage\"},\n"
    "  \"models\": [{\"id\": \"tiny\", \"name\": \"Tiny\"}]}]}\n");
  /* Not a catalog: ignored by name. */
  g_free (write_file (dir, "notes.txt", "not json"));

  catalog = mw_catalog_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_catalog_get_n_providers (catalog), ==, mw_catalog_get_n_providers (builtin) + 1);

  /* Replaced in place, not appended. */
  provider = mw_catalog_get_provider (catalog, 0);
  g_assert_cmpstr (provider->id, ==, "anthropic");
  g_assert_cmpstr (provider->name, ==, "Anthropic (mirror)");
  g_assert_false (provider->builtin);
  g_assert_cmpstr (provider->source, ==, override);
  g_assert_cmpuint (provider->models->len, ==, 2);
  g_assert_null (mw_catalog_find_model (catalog, "anthropic/claude-opus-5-5", NULL));
  g_assert_true (mw_catalog_find_provider (catalog, "openai")->builtin);
  g_assert_cmpstr (mw_catalog_get_provider (catalog, mw_catalog_get_n_providers (catalog) - 1)->id, ==, "local");

  /* The key of "anthropic" still only goes to the built-in host. */
  g_assert_cmpstr (mw_catalog_get_builtin_host (catalog, "anthropic"), ==, "api.anthropic.com");
  g_assert_null (mw_catalog_get_builtin_host (catalog, "local"));

  /* Fallbacks merged key by key; built-in chains that named models the
   * drop-in removed lose them. */
  chain = mw_catalog_get_fallbacks (catalog, "anthropic/claude-opus-4-7");
  g_assert_cmpstr (chain[0], ==, "local/tiny");
  g_assert_cmpstr (mw_catalog_get_fallbacks (catalog, "openai/gpt-5")[0], ==,
                   mw_catalog_get_fallbacks (builtin, "openai/gpt-5")[0]);
  g_assert_null (mw_catalog_get_fallbacks (catalog, "anthropic/claude-opus-5-5"));
  chain = mw_catalog_get_fallbacks (catalog, "anthropic/claude-sonnet-4-6");
  for (guint i = 0; chain[i] != NULL; i++)
    g_assert_nonnull (mw_catalog_find_model (catalog, chain[i], NULL));

  /* The unknown key of the second drop-in is a warning naming it. */
  {
    GPtrArray *warnings = mw_catalog_get_warnings (catalog);
    g_autofree char *expected = g_strdup_printf ("%s:2: providers[0].wibble: unknown key, ignored", extra);
    gboolean found = FALSE;

    for (guint i = 0; i < warnings->len; i++)
      found |= g_str_equal (g_ptr_array_index (warnings, i), expected);
    g_assert_true (found);
  }
  g_clear_pointer (&catalog, mw_catalog_unref);

  /* --catalog FILE: that file alone. */
  catalog = mw_catalog_load (extra, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_catalog_get_n_providers (catalog), ==, 1);
  g_assert_cmpstr (mw_catalog_get_builtin_host (catalog, "anthropic"), ==, "api.anthropic.com");
  g_clear_pointer (&catalog, mw_catalog_unref);

  /* A drop-in chain naming a missing model is an error naming the drop-in. */
  g_unlink (extra);
  catalog = mw_catalog_load (NULL, &error);
  g_assert_null (catalog);
  g_assert_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, override));
  g_assert_nonnull (strstr (error->message, ":7: fallbacks.anthropic/claude-opus-4-7[0]: “local/tiny”"));
  g_clear_error (&error);

  /* A broken drop-in fails the load and says which file. */
  g_unlink (override);
  g_free (extra);
  extra = write_file (dir, "30-broken.json", "{\"version\": 1,\n \"providers\": [\n");
  catalog = mw_catalog_load (NULL, &error);
  g_assert_null (catalog);
  g_assert_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, extra));
  g_clear_error (&error);
  g_unlink (extra);

  /* Missing --catalog file. */
  catalog = mw_catalog_load ("/nonexistent/catalog.json", &error);
  g_assert_null (catalog);
  g_assert_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/catalog.json: "));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/catalog/syntax-error", test_syntax_error);
  g_test_add_func ("/catalog/empty-file", test_empty_file);
  g_test_add_func ("/catalog/wrong-type", test_wrong_type);
  g_test_add_func ("/catalog/missing-key", test_missing_key_cites_object);
  g_test_add_func ("/catalog/http-rejected", test_http_rejected);
  g_test_add_func ("/catalog/url-rules", test_url_rules);
  g_test_add_func ("/catalog/loopback-accepted", test_loopback_accepted);
  g_test_add_func ("/catalog/unknown-keys-warn", test_unknown_keys_warn);
  g_test_add_func ("/catalog/duplicate-provider", test_duplicate_provider);
  g_test_add_func ("/catalog/duplicate-json-key", test_duplicate_json_key);
  g_test_add_func ("/catalog/duplicate-phrase", test_duplicate_phrase);
  g_test_add_func ("/catalog/unknown-fallback", test_unknown_fallback);
  g_test_add_func ("/catalog/unknown-fallback-key", test_unknown_fallback_key);
  g_test_add_func ("/catalog/fallback-only-drop-in", test_fallback_only_drop_in);
  g_test_add_func ("/catalog/other-rules", test_other_rules);
  g_test_add_func ("/catalog/full-entry", test_full_entry);
  g_test_add_func ("/catalog/builtin-valid", test_builtin_valid);
  g_test_add_func ("/catalog/builtin-phrases", test_builtin_phrases);
  g_test_add_func ("/catalog/user-dir-merge", test_user_dir_merge);

  return g_test_run ();
}
