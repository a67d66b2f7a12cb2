/* test-fallback.c
 *
 * The fallback policy: chains, cross-provider chains, what may never be
 * suggested (unknown, stale, maintenance, degraded), and "no healthy
 * fallback".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-catalog.h"
#include "mw-fallback.h"
#include "mw-snapshot.h"

static const char catalog_json[] =
  "{\"version\": 1, \"providers\": ["
  " {\"id\": \"anthropic\", \"name\": \"Anthropic\","
  "  \"status_page\": {\"url\": \"https://status.claude.com\", \"platform\": \"statuspage\"},"
  "  \"models\": ["
  "   {\"id\": \"claude-opus-4-8\", \"name\": \"Claude Opus 4.8\"},"
  "   {\"id\": \"claude-opus-4-7\", \"name\": \"Claude Opus 4.7\"},"
  "   {\"id\": \"claude-sonnet-4-6\", \"name\": \"Claude Sonnet 4.6\"}]},"
  " {\"id\": \"openai\", \"name\": \"OpenAI\","
  "  \"status_page\": {\"url\": \"https://status.openai.com\", \"platform\": \"statuspage\"},"
  "  \"models\": [{\"id\": \"gpt-5\", \"name\": \"GPT-5\"}]},"
  " {\"id\": \"google\", \"name\": \"Google\","
  "  \"status_page\": {\"url\": \"https://status.cloud.google.com\", \"platform\": \"gcloud\","
  "                   \"options\": {\"products\": [\"Z0FZJAMvEB4j3NbCJs6B\"]}},"
  "  \"models\": [{\"id\": \"gemini-2-5-pro\", \"name\": \"Gemini 2.5 Pro\"}]}],"
  " \"fallbacks\": {"
  "  \"anthropic/claude-opus-4-7\": [\"anthropic/claude-opus-4-8\", \"anthropic/claude-sonnet-4-6\","
  "                                 \"openai/gpt-5\", \"google/gemini-2-5-pro\"],"
  "  \"anthropic/claude-opus-4-8\": [\"anthropic/claude-opus-4-7\", \"openai/gpt-5\"],"
  "  \"anthropic/claude-sonnet-4-6\": [\"anthropic/claude-opus-4-7\"],"
  "  \"openai/gpt-5\": [\"anthropic/claude-opus-4-7\", \"google/gemini-2-5-pro\"]}}";

static MwCatalog *
load_catalog (void)
{
  g_autoptr(GError) error = NULL;
  MwCatalog *catalog = mw_catalog_new_from_data (catalog_json, -1, "test-catalog.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  return catalog;
}

/* A snapshot where each model has the given health word; "stale:" in
 * front of a word marks its data stale. */
static MwSnapshot *
snapshot_with (const char *opus48,
               const char *opus47,
               const char *sonnet46,
               const char *gpt5,
               const char *gemini)
{
  const char *words[] = { opus48, opus47, sonnet46, gpt5, gemini };
  const char *ids[] = { "anthropic/claude-opus-4-8", "anthropic/claude-opus-4-7",
                        "anthropic/claude-sonnet-4-6", "openai/gpt-5", "google/gemini-2-5-pro" };
  const char *providers[] = { "anthropic", "anthropic", "anthropic", "openai", "google" };
  g_autoptr(GString) json = g_string_new ("{\"checked_at\": \"2026-06-05T15:10:00Z\", \"providers\": [");
  g_autoptr(GError) error = NULL;
  MwSnapshot *snapshot;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gboolean stale = g_str_has_prefix (words[i], "stale:");
      const char *word = stale ? words[i] + 6 : words[i];

      if (i == 0 || !g_str_equal (providers[i], providers[i - 1]))
        g_string_append_printf (json, "%s{\"id\": \"%s\", \"name\": \"%s\", \"health\": \"operational\", \"models\": [",
                                i == 0 ? "" : "]}, ", providers[i], providers[i]);
      else
        g_string_append (json, ", ");
      g_string_append_printf (json,
                              "{\"id\": \"%s\", \"name\": \"%s\", \"health\": \"%s\", \"stale\": %s}",
                              ids[i], ids[i], word, stale ? "true" : "false");
    }
  g_string_append (json, "]}]}");

  snapshot = mw_snapshot_new_from_json (json->str, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

/* Runs mw_fallback_fill() over a copy of the snapshot's providers and
 * returns the suggestion for @model_id ("(null)" for none). */
static char *
filled (MwCatalog  *catalog,
        MwSnapshot *snapshot,
        const char *model_id)
{
  g_autoptr(GPtrArray) providers = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_provider_state_free);

  for (guint i = 0; i < mw_snapshot_get_n_providers (snapshot); i++)
    g_ptr_array_add (providers, mw_provider_state_copy (mw_snapshot_get_provider (snapshot, i)));

  mw_fallback_fill (catalog, providers);

  for (guint i = 0; i < providers->len; i++)
    {
      MwProviderState *provider = g_ptr_array_index (providers, i);

      for (guint j = 0; j < provider->models->len; j++)
        {
          MwModelState *model = g_ptr_array_index (provider->models, j);

          if (g_str_equal (model->id, model_id))
            return g_strdup (model->fallback != NULL ? model->fallback : "(null)");
        }
    }

  g_assert_not_reached ();
}

#define ASSERT_FALLBACK(catalog, snapshot, model, expected) \
  G_STMT_START { \
    g_autofree char *got_ = filled (catalog, snapshot, model); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

static void
test_chain_order (void)
{
  g_autoptr(MwCatalog) catalog = load_catalog ();
  g_autoptr(MwSnapshot) first = snapshot_with ("operational", "major_outage", "operational",
                                               "operational", "operational");
  g_autoptr(MwSnapshot) second = snapshot_with ("degraded", "major_outage", "operational",
                                                "operational", "operational");

  /* The first of the chain wins when it is healthy… */
  ASSERT_FALLBACK (catalog, first, "anthropic/claude-opus-4-7", "anthropic/claude-opus-4-8");
  /* …and a degraded one is passed over for the next. */
  ASSERT_FALLBACK (catalog, second, "anthropic/claude-opus-4-7", "anthropic/claude-sonnet-4-6");
  /* Healthy models get no suggestion. */
  ASSERT_FALLBACK (catalog, second, "anthropic/claude-sonnet-4-6", "(null)");
}

static void
test_cross_provider (void)
{
  g_autoptr(MwCatalog) catalog = load_catalog ();
  g_autoptr(MwSnapshot) claude_down = snapshot_with ("major_outage", "major_outage", "partial_outage",
                                                     "operational", "operational");
  g_autoptr(MwSnapshot) openai_too = snapshot_with ("major_outage", "major_outage", "partial_outage",
                                                    "degraded", "operational");

  ASSERT_FALLBACK (catalog, claude_down, "anthropic/claude-opus-4-7", "openai/gpt-5");
  ASSERT_FALLBACK (catalog, claude_down, "anthropic/claude-opus-4-8", "openai/gpt-5");
  ASSERT_FALLBACK (catalog, openai_too, "anthropic/claude-opus-4-7", "google/gemini-2-5-pro");
  ASSERT_FALLBACK (catalog, openai_too, "openai/gpt-5", "google/gemini-2-5-pro");
}

static void
test_unknown_skipped (void)
{
  g_autoptr(MwCatalog) catalog = load_catalog ();
  g_autoptr(MwSnapshot) snapshot = snapshot_with ("unknown", "major_outage", "unknown",
                                                  "operational", "operational");

  ASSERT_FALLBACK (catalog, snapshot, "anthropic/claude-opus-4-7", "openai/gpt-5");
  /* An unknown model is not known to be broken: no suggestion. */
  ASSERT_FALLBACK (catalog, snapshot, "anthropic/claude-opus-4-8", "(null)");
}

static void
test_stale_skipped (void)
{
  g_autoptr(MwCatalog) catalog = load_catalog ();
  g_autoptr(MwSnapshot) snapshot = snapshot_with ("stale:operational", "degraded",
                                                  "stale:operational", "operational",
                                                  "operational");
  g_autofree char *pick = NULL;
  const char * const chain[] = { "anthropic/claude-opus-4-8", "openai/gpt-5", NULL };

  ASSERT_FALLBACK (catalog, snapshot, "anthropic/claude-opus-4-7", "openai/gpt-5");

  pick = mw_fallback_pick (snapshot, chain);
  g_assert_cmpstr (pick, ==, "openai/gpt-5");
}

static void
test_maintenance (void)
{
  g_autoptr(MwCatalog) catalog = load_catalog ();
  g_autoptr(MwSnapshot) snapshot = snapshot_with ("maintenance", "maintenance", "operational",
                                                  "operational", "operational");

  /* A model under maintenance gets a suggestion but is never one. */
  ASSERT_FALLBACK (catalog, snapshot, "anthropic/claude-opus-4-7", "anthropic/claude-sonnet-4-6");
  ASSERT_FALLBACK (catalog, snapshot, "anthropic/claude-opus-4-8", "openai/gpt-5");
}

static void
test_no_healthy_fallback (void)
{
  g_autoptr(MwCatalog) catalog = load_catalog ();
  g_autoptr(MwSnapshot) snapshot = snapshot_with ("major_outage", "major_outage", "degraded",
                                                  "partial_outage", "stale:operational");
  g_autoptr(MwSnapshot) healthy = snapshot_with ("operational", "operational", "operational",
                                                 "operational", "operational");
  const char * const chain[] = { "anthropic/claude-opus-4-8", "openai/gpt-5",
                                 "google/gemini-2-5-pro", NULL };
  const char * const nothing[] = { NULL };
  g_autofree char *pick = mw_fallback_pick (snapshot, chain);
  g_autofree char *pick_empty = mw_fallback_pick (healthy, nothing);

  ASSERT_FALLBACK (catalog, snapshot, "anthropic/claude-opus-4-7", "(null)");
  /* A model without a chain has no suggestion either. */
  ASSERT_FALLBACK (catalog, snapshot, "google/gemini-2-5-pro", "(null)");
  g_assert_null (pick);
  g_assert_null (pick_empty);
  /* Without a catalog, nothing is suggested. */
  ASSERT_FALLBACK (NULL, snapshot, "anthropic/claude-opus-4-7", "(null)");
}

static void
test_pick (void)
{
  g_autoptr(MwSnapshot) snapshot = snapshot_with ("degraded", "unknown", "operational",
                                                  "operational", "operational");
  const char * const chain[] = { "nobody/nothing", "anthropic/claude-opus-4-8",
                                 "anthropic/claude-opus-4-7", "anthropic/claude-sonnet-4-6",
                                 "openai/gpt-5", NULL };
  const char * const first_ok[] = { "openai/gpt-5", "anthropic/claude-sonnet-4-6", NULL };
  g_autofree char *pick = mw_fallback_pick (snapshot, chain);
  g_autofree char *pick_first = mw_fallback_pick (snapshot, first_ok);

  g_assert_cmpstr (pick, ==, "anthropic/claude-sonnet-4-6");
  g_assert_cmpstr (pick_first, ==, "openai/gpt-5");
}

static void
test_user_chain_replaces_builtin (void)
{
  g_autoptr(MwCatalog) catalog = load_catalog ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) user = mw_catalog_new_from_data (
    "{\"version\": 1, \"fallbacks\": {"
    "  \"anthropic/claude-opus-4-7\": [\"google/gemini-2-5-pro\", \"openai/gpt-5\"]}}",
    -1, "user.json", &error);
  g_autoptr(MwCatalog) merged = NULL;
  g_autoptr(MwSnapshot) snapshot = snapshot_with ("operational", "major_outage", "operational",
                                                  "operational", "operational");

  g_assert_no_error (error);
  merged = mw_catalog_merge (catalog, user);

  ASSERT_FALLBACK (merged, snapshot, "anthropic/claude-opus-4-7", "google/gemini-2-5-pro");
  /* Chains the user file does not name stay as built in. */
  g_assert_cmpstr (mw_catalog_get_fallbacks (merged, "openai/gpt-5")[0], ==, "anthropic/claude-opus-4-7");
}

static void
test_is_healthy (void)
{
  MwModelState *model = mw_model_state_new ("a/b", "B");

  g_assert_false (mw_model_is_healthy (NULL));
  model->health = MW_HEALTH_OPERATIONAL;
  g_assert_true (mw_model_is_healthy (model));
  model->stale = TRUE;
  g_assert_false (mw_model_is_healthy (model));
  model->stale = FALSE;
  for (MwHealth h = MW_HEALTH_UNKNOWN; h <= MW_HEALTH_LAST; h++)
    {
      model->health = h;
      g_assert_cmpint (mw_model_is_healthy (model), ==, h == MW_HEALTH_OPERATIONAL);
      g_assert_cmpint (mw_fallback_wanted (h), ==, h >= MW_HEALTH_MAINTENANCE);
    }
  mw_model_state_free (model);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fallback/chain-order", test_chain_order);
  g_test_add_func ("/fallback/cross-provider", test_cross_provider);
  g_test_add_func ("/fallback/unknown-skipped", test_unknown_skipped);
  g_test_add_func ("/fallback/stale-skipped", test_stale_skipped);
  g_test_add_func ("/fallback/maintenance", test_maintenance);
  g_test_add_func ("/fallback/no-healthy-fallback", test_no_healthy_fallback);
  g_test_add_func ("/fallback/pick", test_pick);
  g_test_add_func ("/fallback/user-chain", test_user_chain_replaces_builtin);
  g_test_add_func ("/fallback/is-healthy", test_is_healthy);

  return g_test_run ();
}
