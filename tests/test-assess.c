/* test-assess.c
 *
 * The health rules of DESIGN.md on hand-built catalog entries: which
 * incident hits which model (title, latest update, "multiple models"),
 * longest-phrase matching, the indicator floor, missing components,
 * unreadable pages and probes.  Pages come from real-shaped fixtures
 * read by the Statuspage reader, or are built by hand where a rule needs
 * one signal alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-assess.h"
#include "mw-reader.h"

/* Catalog entries by hand: the catalog parser is another unit. */

static void
model_free (gpointer data)
{
  MwModel *m = data;

  g_free (m->id);
  g_free (m->global_id);
  g_free (m->name);
  g_strfreev (m->components);
  g_strfreev (m->match);
  g_free (m);
}

static void
component_ref_free (gpointer data)
{
  MwComponentRef *ref = data;

  g_free (ref->key);
  g_free (ref->id);
  g_free (ref);
}

static MwProvider *
provider_new (const char *id,
              const char *page_url)
{
  MwProvider *p = g_new0 (MwProvider, 1);

  p->id = g_strdup (id);
  p->name = g_strdup (id);
  p->page_url = g_strdup (page_url);
  p->platform = g_strdup ("statuspage");
  p->components = g_ptr_array_new_with_free_func (component_ref_free);
  p->models = g_ptr_array_new_with_free_func (model_free);

  return p;
}

static void
provider_free (MwProvider *p)
{
  g_free (p->id);
  g_free (p->name);
  g_free (p->page_url);
  g_free (p->platform);
  g_ptr_array_unref (p->components);
  g_ptr_array_unref (p->models);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwProvider, provider_free)

static void
watch (MwProvider *p,
       const char *key,
       const char *id)
{
  MwComponentRef *ref = g_new0 (MwComponentRef, 1);

  ref->key = g_strdup (key);
  ref->id = g_strdup (id);
  g_ptr_array_add (p->components, ref);
}

/* @components and @match are '|'-separated, or NULL. */
static MwModel *
add_model (MwProvider *p,
           const char *id,
           const char *name,
           const char *components,
           const char *match)
{
  MwModel *m = g_new0 (MwModel, 1);

  m->id = g_strdup (id);
  m->global_id = g_strconcat (p->id, "/", id, NULL);
  m->name = g_strdup (name);
  m->components = components != NULL ? g_strsplit (components, "|", -1) : g_new0 (char *, 1);
  m->match = match != NULL ? g_strsplit (match, "|", -1) : g_new0 (char *, 1);
  g_ptr_array_add (p->models, m);

  return m;
}

static MwProvider *
anthropic (const char *api_ref)
{
  MwProvider *p = provider_new ("anthropic", "https://status.claude.com");

  watch (p, "api", api_ref);
  add_model (p, "claude-opus-4-7", "Claude Opus 4.7", api_ref, "Opus 4.7|claude-opus-4-7");
  add_model (p, "claude-sonnet-4-6", "Claude Sonnet 4.6", api_ref, "Sonnet 4.6|claude-sonnet-4-6");
  add_model (p, "claude-opus-5", "Claude Opus 5", api_ref, "Opus 5|claude-opus-5");

  return p;
}

static MwObservations *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(MwProvider) provider = provider_new ("x", "https://status.example.com");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  MwObservations *obs;
  char *data;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  body = g_bytes_new_take (data, len);

  obs = mw_statuspage_reader.parse (provider, &body, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (obs);

  return obs;
}

static const MwModelState *
model (const MwProviderState *state,
       const char            *global_id)
{
  for (guint i = 0; i < state->models->len; i++)
    {
      const MwModelState *m = g_ptr_array_index (state->models, i);

      if (g_str_equal (m->id, global_id))
        return m;
    }

  g_error ("no model %s", global_id);
}

static gboolean
has_incident (const MwProviderState *state,
              const char            *id)
{
  for (guint i = 0; i < state->incidents->len; i++)
    if (g_str_equal (((MwIncidentState *) g_ptr_array_index (state->incidents, i))->id, id))
      return TRUE;

  return FALSE;
}

static const MwIncidentState *
incident (const MwProviderState *state,
          const char            *id)
{
  for (guint i = 0; i < state->incidents->len; i++)
    {
      const MwIncidentState *inc = g_ptr_array_index (state->incidents, i);

      if (g_str_equal (inc->id, id))
        return inc;
    }

  g_error ("no incident %s", id);
}

static char *
iso (GDateTime *time)
{
  return mw_format_iso8601 (time);
}

static GDateTime *
at (const char *text)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return dt;
}

/* Matching */

static void
assert_matches (const MwProvider *p,
                const char       *text,
                const char       *expected)
{
  g_autoptr(GPtrArray) hits = mw_match_models (p, text);
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      if (i > 0)
        g_string_append_c (got, ' ');
      g_string_append (got, ((const MwModel *) g_ptr_array_index (hits, i))->id);
    }

  g_assert_cmpstr (got->str, ==, expected);
}

static void
test_match_longest_phrase (void)
{
  g_autoptr(MwProvider) p = provider_new ("openai", "https://status.openai.com");

  add_model (p, "gpt-5", "GPT-5", NULL, "GPT-5");
  add_model (p, "gpt-5-mini", "GPT-5 mini", NULL, "GPT-5 mini|gpt-5-mini");
  add_model (p, "o3", "o3", NULL, NULL);

  assert_matches (p, "Elevated errors on GPT-5 mini", "gpt-5-mini");
  assert_matches (p, "elevated errors on gpt-5-mini requests", "gpt-5-mini");
  assert_matches (p, "GPT-5 and GPT-5 mini degraded", "gpt-5 gpt-5-mini");
  assert_matches (p, "Errors for GPT-5.", "gpt-5");
  assert_matches (p, "(GPT-5) errors", "gpt-5");
  /* Whole words only; a version number is one word. */
  assert_matches (p, "GPT-5.1 latency", "");
  assert_matches (p, "GPT-50 latency", "");
  assert_matches (p, "myGPT-5 latency", "");
  assert_matches (p, "gpt-5o latency", "");
  /* Without match phrases, the name and id. */
  assert_matches (p, "Slow responses from O3", "o3");
  assert_matches (p, "Issues with Custom GPT actions", "");
  assert_matches (p, NULL, "");
}

static void
test_many_models (void)
{
  g_assert_true (mw_text_says_many_models ("Elevated errors for multiple models"));
  g_assert_true (mw_text_says_many_models ("Degraded performance of multiple models"));
  g_assert_true (mw_text_says_many_models ("Several GPT models degraded"));
  g_assert_true (mw_text_says_many_models ("We are seeing errors across ALL MODELS."));
  g_assert_true (mw_text_says_many_models ("Some of the models are slow"));
  g_assert_false (mw_text_says_many_models ("Degraded performance for Claude Opus 5"));
  g_assert_false (mw_text_says_many_models ("Issues with the model picker"));
  g_assert_false (mw_text_says_many_models (NULL));
}

/* Whole pages */

static void
test_all_clear (void)
{
  g_autoptr(MwProvider) p = anthropic ("k8w3r06qmzrp");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary.json");
  g_autoptr(GDateTime) fetched = at ("2026-09-03T17:52:00Z");
  MwProviderState *state = mw_assess_provider (p, obs, NULL, fetched, NULL, NULL);
  g_autofree char *fetched_text = iso (state->fetched_at);

  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (state->page_health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpstr (state->page_url, ==, "https://status.claude.com");
  g_assert_cmpstr (state->description, ==, "All Systems Operational");
  g_assert_cmpstr (fetched_text, ==, "2026-09-03T17:52:00Z");
  g_assert_null (state->error);
  g_assert_null (state->probe);

  /* The watched component only, with the page's name for it. */
  g_assert_cmpuint (state->components->len, ==, 1);
  g_assert_cmpstr (((MwComponentState *) g_ptr_array_index (state->components, 0))->name, ==,
                   "Claude API (api.anthropic.com)");
  g_assert_cmpuint (state->incidents->len, ==, 0);

  for (guint i = 0; i < state->models->len; i++)
    {
      const MwModelState *m = g_ptr_array_index (state->models, i);

      g_assert_cmpint (m->health, ==, MW_HEALTH_OPERATIONAL);
      g_assert_cmpint (m->official, ==, MW_HEALTH_OPERATIONAL);
      g_assert_null (m->reason);
      g_assert_null (m->probe);
      g_assert_null (m->fallback);
    }
  g_assert_cmpstr (model (state, "anthropic/claude-opus-4-7")->name, ==, "Claude Opus 4.7");

  mw_provider_state_free (state);
}

static void
test_model_in_title (void)
{
  /* Component ids of this capture are a/c/d: watch by exact name. */
  g_autoptr(MwProvider) p = anthropic ("Claude API (api.anthropic.com)");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary-two-incidents-trimmed.json");
  MwProviderState *state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);
  const MwModelState *opus5 = model (state, "anthropic/claude-opus-5");
  const MwModelState *opus47 = model (state, "anthropic/claude-opus-4-7");
  const MwIncidentState *named, *many;
  g_autofree char *since = iso (opus5->since);

  g_assert_cmpstr (((MwComponentState *) g_ptr_array_index (state->components, 0))->id, ==, "c");

  g_assert_cmpint (opus5->official, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (opus5->reason, ==, "Degraded performance for Claude Opus 5");
  g_assert_cmpstr (since, ==, "2026-08-05T13:51:30Z");

  /* Degraded through its component; the "multiple models" incident has
   * no components, so it does not touch models. */
  g_assert_cmpint (opus47->official, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (opus47->reason, ==, "Claude API (api.anthropic.com): Degraded");
  g_assert_null (opus47->since);

  named = incident (state, "mgp99sn4ynd4");
  many = incident (state, "f6gkkq6txl7z");
  g_assert_cmpuint (g_strv_length (named->models), ==, 1);
  g_assert_cmpstr (named->models[0], ==, "anthropic/claude-opus-5");
  g_assert_cmpstr (named->components[0], ==, "Claude Code");
  g_assert_cmpuint (g_strv_length (many->models), ==, 0);
  g_assert_cmpuint (many->updates->len, ==, 2);

  g_assert_cmpint (state->health, ==, MW_HEALTH_DEGRADED);

  mw_provider_state_free (state);
}

static void
test_latest_update_only (void)
{
  g_autoptr(MwProvider) p = anthropic ("api");
  g_autoptr(MwObservations) obs = mw_observations_new ();
  g_autoptr(GDateTime) t1 = at ("2026-08-05T07:06:00Z");
  g_autoptr(GDateTime) t2 = at ("2026-08-05T13:08:34Z");
  MwIncidentObs *inc;
  MwProviderState *state;

  mw_observations_add_component (obs, "api", "Claude API", MW_HEALTH_OPERATIONAL);
  inc = mw_observations_add_incident (obs, "inc1", "Elevated error rates");
  inc->health = MW_HEALTH_PARTIAL_OUTAGE;
  inc->started_at = g_date_time_ref (t1);
  /* Listed newest first, as pages do: the reader's sort is not relied on. */
  mw_incident_obs_add_update (inc, t2, "monitoring", "Claude Sonnet 4.6 is still recovering.");
  mw_incident_obs_add_update (inc, t1, "investigating", "Errors on Claude Opus 4.7.");

  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);

  g_assert_cmpint (model (state, "anthropic/claude-sonnet-4-6")->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (model (state, "anthropic/claude-sonnet-4-6")->reason, ==, "Elevated error rates");
  /* Only an older update names Opus 4.7. */
  g_assert_cmpint (model (state, "anthropic/claude-opus-4-7")->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_null (model (state, "anthropic/claude-opus-4-7")->reason);
  g_assert_cmpstr (incident (state, "inc1")->models[0], ==, "anthropic/claude-sonnet-4-6");
  g_assert_null (incident (state, "inc1")->models[1]);
  g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);

  mw_provider_state_free (state);
}

static void
test_latest_update_fixture (void)
{
  g_autoptr(MwProvider) p = anthropic ("Claude API (api.anthropic.com)");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary-latest-update.json");
  MwProviderState *state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);
  const MwIncidentState *inc = incident (state, "f6gkkq6txl7z");

  g_assert_cmpuint (g_strv_length (inc->models), ==, 1);
  g_assert_cmpstr (inc->models[0], ==, "anthropic/claude-sonnet-4-6");
  g_assert_cmpstr (model (state, "anthropic/claude-sonnet-4-6")->reason, ==, "Elevated error rates");
  /* Named only in the oldest update, and in a postmortem: its component
   * speaks for it. */
  g_assert_cmpstr (model (state, "anthropic/claude-opus-4-7")->reason, ==,
                   "Claude API (api.anthropic.com): Degraded");
  g_assert_false (has_incident (state, "p0stmortemop"));

  mw_provider_state_free (state);
}

static void
test_multiple_models_on_component (void)
{
  g_autoptr(MwProvider) p = anthropic ("k8w3r06qmzrp");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary-affected-only.json");
  MwProviderState *state;
  const MwIncidentState *inc;

  add_model (p, "claude-gov", "Claude Gov", "0scnb50nvy53", NULL);

  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);
  inc = incident (state, "461yvfrzpwtt");

  g_assert_cmpint (model (state, "anthropic/claude-opus-4-7")->official, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpstr (model (state, "anthropic/claude-opus-4-7")->reason, ==,
                   "Elevated errors for multiple models");
  g_assert_cmpint (model (state, "anthropic/claude-sonnet-4-6")->official, ==, MW_HEALTH_PARTIAL_OUTAGE);
  /* Not on an affected component. */
  g_assert_cmpint (model (state, "anthropic/claude-gov")->official, ==, MW_HEALTH_OPERATIONAL);

  g_assert_cmpuint (g_strv_length (inc->models), ==, 3);
  g_assert_cmpuint (g_strv_length (inc->components), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) inc->components, "Claude API (api.anthropic.com)"));
  g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);

  mw_provider_state_free (state);
}

static void
test_multiple_models_beats_component (void)
{
  g_autoptr(MwProvider) p = anthropic ("api");
  g_autoptr(MwObservations) obs = mw_observations_new ();
  MwIncidentObs *inc;
  MwProviderState *state;

  add_model (p, "claude-web", "claude.ai model", "web", NULL);
  mw_observations_add_component (obs, "api", "Claude API", MW_HEALTH_OPERATIONAL);
  mw_observations_add_component (obs, "web", "claude.ai", MW_HEALTH_OPERATIONAL);
  inc = mw_observations_add_incident (obs, "inc", "Elevated errors");
  inc->health = MW_HEALTH_MAJOR_OUTAGE;
  mw_incident_obs_add_component (inc, "api");
  mw_incident_obs_add_update (inc, NULL, "investigating", "Requests to multiple models fail.");

  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);

  /* The page has not moved the component yet; the incident says it all. */
  g_assert_cmpint (model (state, "anthropic/claude-opus-4-7")->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (model (state, "anthropic/claude-opus-5")->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (model (state, "anthropic/claude-web")->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (state->health, ==, MW_HEALTH_MAJOR_OUTAGE);

  mw_provider_state_free (state);
}

static void
test_indicator_floor (void)
{
  g_autoptr(MwProvider) p = anthropic ("k8w3r06qmzrp");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary-indicator-none.json");
  MwProviderState *state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);

  /* Indicator "none", every component operational, one open incident. */
  g_assert_cmpint (model (state, "anthropic/claude-opus-5")->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (model (state, "anthropic/claude-opus-4-7")->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (state->page_health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (state->health, ==, MW_HEALTH_DEGRADED);

  mw_provider_state_free (state);
}

static void
test_unattributed_incident (void)
{
  g_autoptr(MwProvider) p = anthropic ("api");
  g_autoptr(MwObservations) obs = mw_observations_new ();
  MwProviderState *state;

  mw_observations_add_component (obs, "api", "Claude API", MW_HEALTH_OPERATIONAL);
  mw_observations_add_component (obs, "web", "claude.ai", MW_HEALTH_OPERATIONAL);
  mw_observations_add_incident (obs, "open", "Issues with login");

  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);
  /* Names no component: a floor for the provider, nothing for models. */
  g_assert_cmpint (state->health, ==, MW_HEALTH_DEGRADED);
  for (guint i = 0; i < state->models->len; i++)
    g_assert_cmpint (((MwModelState *) g_ptr_array_index (state->models, i))->health, ==,
                     MW_HEALTH_OPERATIONAL);
  g_assert_true (has_incident (state, "open"));
  mw_provider_state_free (state);

  /* On a component we do not watch and no model sits on: not ours. */
  mw_incident_obs_add_component (g_ptr_array_index (obs->incidents, 0), "web");
  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_false (has_incident (state, "open"));
  mw_provider_state_free (state);
}

static void
test_page_error (void)
{
  g_autoptr(MwProvider) p = anthropic ("k8w3r06qmzrp");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary.json");
  g_autoptr(GError) error = g_error_new (MW_SOURCE_ERROR, MW_SOURCE_ERROR_HTTP,
                                         "status.claude.com answered HTTP 503");
  MwProbeState *probe = mw_probe_state_new ();
  MwProviderState *state;
  const MwModelState *m;

  /* Even with an older reading at hand, an error makes it unknown. */
  state = mw_assess_provider (p, obs, error, NULL, NULL, NULL);
  g_assert_cmpint (state->page_health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (state->error, ==, "status.claude.com answered HTTP 503");
  g_assert_cmpint (((MwComponentState *) g_ptr_array_index (state->components, 0))->health, ==,
                   MW_HEALTH_UNKNOWN);
  m = model (state, "anthropic/claude-opus-4-7");
  g_assert_cmpint (m->official, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (m->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpstr (m->reason, ==, "status.claude.com answered HTTP 503");
  mw_provider_state_free (state);

  /* Nothing read at all. */
  state = mw_assess_provider (p, NULL, error, NULL, NULL, NULL);
  g_assert_cmpint (state->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpuint (state->components->len, ==, 1);
  g_assert_cmpstr (((MwComponentState *) g_ptr_array_index (state->components, 0))->name, ==, "api");
  mw_provider_state_free (state);

  /* A working probe is a signal of its own; the official one stays unknown. */
  probe->health = MW_HEALTH_OPERATIONAL;
  probe->latency_ms = 182;
  state = mw_assess_provider (p, NULL, error, NULL, probe, NULL);
  m = model (state, "anthropic/claude-opus-4-7");
  g_assert_cmpint (m->official, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (m->probe->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (m->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (state->page_health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (state->probe->latency_ms, ==, 182);
  mw_provider_state_free (state);

  mw_probe_state_free (probe);
}

static void
test_missing_components (void)
{
  g_autoptr(MwProvider) p = provider_new ("anthropic", "https://status.claude.com");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary.json");
  MwProviderState *state;
  const MwComponentState *gone;

  watch (p, "api", "k8w3r06qmzrp");
  watch (p, "old console", "console.anthropic.com");
  add_model (p, "ghost", "Ghost", "zzzzzzzzzzzz", NULL);
  add_model (p, "opus", "Claude Opus 4.7", "Claude API (api.anthropic.com)", NULL);

  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);

  g_assert_cmpuint (state->components->len, ==, 2);
  gone = g_ptr_array_index (state->components, 1);
  g_assert_cmpstr (gone->id, ==, "console.anthropic.com");
  g_assert_cmpstr (gone->name, ==, "old console");
  g_assert_cmpint (gone->health, ==, MW_HEALTH_UNKNOWN);

  g_assert_cmpint (model (state, "anthropic/ghost")->official, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (model (state, "anthropic/ghost")->health, ==, MW_HEALTH_UNKNOWN);
  g_assert_nonnull (model (state, "anthropic/ghost")->reason);
  /* Found by exact name. */
  g_assert_cmpint (model (state, "anthropic/opus")->health, ==, MW_HEALTH_OPERATIONAL);
  /* Unknown does not hide a known signal. */
  g_assert_cmpint (state->health, ==, MW_HEALTH_OPERATIONAL);

  mw_provider_state_free (state);
}

static void
test_maintenance (void)
{
  g_autoptr(MwProvider) p = provider_new ("replicate", "https://www.cloudflarestatus.com");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-cloudflare-summary-replicate-maintenance.json");
  MwProviderState *state;
  const MwIncidentState *m;

  watch (p, "replicate", "fvgfcmy66tdr");
  add_model (p, "flux", "FLUX", "fvgfcmy66tdr", NULL);

  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);

  /* The component still reads operational; its maintenance is in progress. */
  g_assert_cmpint (((MwComponentState *) g_ptr_array_index (state->components, 0))->health, ==,
                   MW_HEALTH_MAINTENANCE);
  g_assert_cmpint (model (state, "replicate/flux")->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_cmpstr (model (state, "replicate/flux")->reason, ==, "IAD (Ashburn) on 2026-09-14");
  g_assert_cmpint (state->health, ==, MW_HEALTH_MAINTENANCE);

  m = incident (state, "xtmjwqxfxf1g");
  g_assert_true (m->maintenance);
  g_assert_cmpint (m->health, ==, MW_HEALTH_MAINTENANCE);
  /* Other parts of a shared page are not Replicate's. */
  g_assert_false (has_incident (state, "qz56cwckjprs"));
  g_assert_false (has_incident (state, "k7l4hzmthl3k"));
  g_assert_cmpuint (state->incidents->len, ==, 1);

  mw_provider_state_free (state);
}

static void
test_all_components_when_none_listed (void)
{
  g_autoptr(MwProvider) p = provider_new ("cloudflare", "https://www.cloudflarestatus.com");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-cloudflare-summary-replicate-groups.json");
  MwProviderState *state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);

  /* The group header row is not a component. */
  g_assert_cmpuint (state->components->len, ==, 2);
  g_assert_cmpstr (((MwComponentState *) g_ptr_array_index (state->components, 0))->name, ==, "Replicate");
  g_assert_cmpstr (((MwComponentState *) g_ptr_array_index (state->components, 1))->name, ==, "Tunnel");
  g_assert_cmpint (state->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpuint (state->incidents->len, ==, 2);

  mw_provider_state_free (state);
}

static void
test_probes (void)
{
  g_autoptr(MwProvider) p = anthropic ("k8w3r06qmzrp");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary.json");
  g_autoptr(GHashTable) model_probes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                              (GDestroyNotify) mw_probe_state_free);
  MwProbeState *api = mw_probe_state_new ();
  MwProbeState *opus = mw_probe_state_new ();
  MwProviderState *state;
  const MwModelState *m;

  api->health = MW_HEALTH_OPERATIONAL;
  api->latency_ms = 95;
  opus->health = MW_HEALTH_MAJOR_OUTAGE;
  opus->error = g_strdup ("api.anthropic.com answered HTTP 503");
  opus->detail = g_strdup ("failing 3/3 (HTTP 503)");
  g_hash_table_insert (model_probes, (gpointer) "anthropic/claude-opus-4-7", opus);

  state = mw_assess_provider (p, obs, NULL, NULL, api, model_probes);

  m = model (state, "anthropic/claude-opus-4-7");
  g_assert_cmpint (m->official, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (m->probe->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (m->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpstr (m->reason, ==, "failing 3/3 (HTTP 503)");

  /* The others fall back to the provider's API probe. */
  m = model (state, "anthropic/claude-sonnet-4-6");
  g_assert_cmpint (m->probe->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (m->probe->latency_ms, ==, 95);
  g_assert_cmpint (m->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_null (m->reason);

  g_assert_cmpint (state->page_health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (state->health, ==, MW_HEALTH_MAJOR_OUTAGE);
  mw_provider_state_free (state);

  /* A failing API probe reaches every model without its own probe. */
  api->health = MW_HEALTH_DEGRADED;
  api->detail = g_strdup ("slow: 9.8 s");
  state = mw_assess_provider (p, obs, NULL, NULL, api, NULL);
  g_assert_cmpint (model (state, "anthropic/claude-sonnet-4-6")->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (model (state, "anthropic/claude-sonnet-4-6")->reason, ==, "slow: 9.8 s");
  g_assert_cmpint (state->health, ==, MW_HEALTH_DEGRADED);
  mw_provider_state_free (state);

  /* A per-model probe that cannot tell (a rejected key, a retired model) is
   * shown, but the provider's probe still decides the model's health. */
  {
    g_autoptr(GHashTable) unsure = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) mw_probe_state_free);
    MwProbeState *retired = mw_probe_state_new ();

    retired->health = MW_HEALTH_UNKNOWN;
    retired->detail = g_strdup ("model retired or unknown to the API (HTTP 404)");
    g_hash_table_insert (unsure, (gpointer) "anthropic/claude-opus-4-7", retired);

    state = mw_assess_provider (p, obs, NULL, NULL, api, unsure);
    m = model (state, "anthropic/claude-opus-4-7");
    g_assert_cmpint (m->probe->health, ==, MW_HEALTH_UNKNOWN);
    g_assert_cmpstr (m->probe->detail, ==, "model retired or unknown to the API (HTTP 404)");
    g_assert_cmpint (m->health, ==, MW_HEALTH_DEGRADED);
    g_assert_cmpstr (m->reason, ==, "slow: 9.8 s");
    mw_provider_state_free (state);

    api->health = MW_HEALTH_OPERATIONAL;
    state = mw_assess_provider (p, obs, NULL, NULL, api, unsure);
    g_assert_cmpint (model (state, "anthropic/claude-opus-4-7")->health, ==, MW_HEALTH_OPERATIONAL);
    mw_provider_state_free (state);
  }

  mw_probe_state_free (api);
}

/* Through the catalog parser, as the monitor does it. */
static void
test_with_catalog (void)
{
  static const char catalog_json[] =
    "{\"version\": 1, \"providers\": [{\"id\": \"anthropic\", \"name\": \"Anthropic\","
    " \"status_page\": {\"url\": \"https://status.claude.com\", \"platform\": \"statuspage\"},"
    " \"components\": {\"api\": \"k8w3r06qmzrp\"},"
    " \"models\": ["
    "  {\"id\": \"claude-opus-5-5\", \"name\": \"Claude Opus 5.5\", \"components\": [\"k8w3r06qmzrp\"],"
    "   \"match\": [\"Claude Opus 5.5\", \"Opus 5.5\"]},"
    "  {\"id\": \"claude-opus-5\", \"name\": \"Claude Opus 5\", \"components\": [\"k8w3r06qmzrp\"],"
    "   \"match\": [\"Claude Opus 5\", \"Opus 5\"]}]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (catalog_json, -1, "test.json", &error);
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary-indicator-none.json");
  const MwProvider *p;
  MwProviderState *state;

  g_assert_no_error (error);
  p = mw_catalog_find_provider (catalog, "anthropic");
  g_assert_nonnull (p);

  /* "…for Claude Opus 5": not Opus 5.5, whose phrase is longer but absent. */
  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);
  g_assert_cmpint (model (state, "anthropic/claude-opus-5")->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpint (model (state, "anthropic/claude-opus-5-5")->health, ==, MW_HEALTH_OPERATIONAL);
  mw_provider_state_free (state);
}

/* The built-in catalog against the real 2026-09-03 outage shape: every
 * Anthropic model on the API component is hit by "multiple models". */
static void
test_builtin_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_builtin (&error);
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary-affected-only.json");
  const MwProvider *p;
  MwProviderState *state;
  guint on_api = 0;

  g_assert_no_error (error);
  p = mw_catalog_find_provider (catalog, "anthropic");
  g_assert_nonnull (p);

  state = mw_assess_provider (p, obs, NULL, NULL, NULL, NULL);
  for (guint i = 0; i < p->models->len; i++)
    {
      const MwModel *m = g_ptr_array_index (p->models, i);

      if (m->components != NULL && g_strv_contains ((const char * const *) m->components, "k8w3r06qmzrp"))
        {
          g_assert_cmpint (model (state, m->global_id)->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
          g_assert_cmpstr (model (state, m->global_id)->reason, ==, "Elevated errors for multiple models");
          on_api++;
        }
    }
  g_assert_cmpuint (on_api, >, 0);
  g_assert_cmpint (state->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  mw_provider_state_free (state);
}

static void
test_to_json (void)
{
  g_autoptr(MwProvider) p = anthropic ("k8w3r06qmzrp");
  g_autoptr(MwObservations) obs = read_fixture ("statuspage-anthropic-summary-affected-only.json");
  g_autoptr(GDateTime) now = at ("2026-09-03T16:06:00Z");
  g_autoptr(GPtrArray) providers = g_ptr_array_new ();
  g_autoptr(MwSnapshot) snapshot = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonObject *root, *provider, *m, *signals;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (providers, mw_assess_provider (p, obs, NULL, now, NULL, NULL));
  snapshot = mw_snapshot_new (now, FALSE, g_steal_pointer (&providers));
  json = mw_snapshot_to_json (snapshot, NULL, FALSE);

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "health"), ==, "partial_outage");
  provider = json_array_get_object_element (json_object_get_array_member (root, "providers"), 0);
  g_assert_cmpstr (json_object_get_string_member (provider, "id"), ==, "anthropic");
  m = json_array_get_object_element (json_object_get_array_member (provider, "models"), 0);
  g_assert_cmpstr (json_object_get_string_member (m, "id"), ==, "anthropic/claude-opus-4-7");
  g_assert_cmpstr (json_object_get_string_member (m, "health"), ==, "partial_outage");
  g_assert_cmpstr (json_object_get_string_member (m, "since"), ==, "2026-09-03T15:58:40Z");
  g_assert_cmpstr (json_object_get_string_member (m, "reason"), ==, "Elevated errors for multiple models");
  signals = json_object_get_object_member (m, "signals");
  g_assert_cmpstr (json_object_get_string_member (signals, "official"), ==, "partial_outage");
  g_assert_true (json_object_get_null_member (signals, "probe"));
  g_assert_true (json_object_get_null_member (m, "fallback"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assess/match/longest-phrase", test_match_longest_phrase);
  g_test_add_func ("/assess/match/many-models", test_many_models);
  g_test_add_func ("/assess/all-clear", test_all_clear);
  g_test_add_func ("/assess/model-in-title", test_model_in_title);
  g_test_add_func ("/assess/latest-update-only", test_latest_update_only);
  g_test_add_func ("/assess/latest-update-fixture", test_latest_update_fixture);
  g_test_add_func ("/assess/multiple-models-on-component", test_multiple_models_on_component);
  g_test_add_func ("/assess/multiple-models-beats-component", test_multiple_models_beats_component);
  g_test_add_func ("/assess/indicator-floor", test_indicator_floor);
  g_test_add_func ("/assess/unattributed-incident", test_unattributed_incident);
  g_test_add_func ("/assess/page-error", test_page_error);
  g_test_add_func ("/assess/missing-components", test_missing_components);
  g_test_add_func ("/assess/maintenance", test_maintenance);
  g_test_add_func ("/assess/all-components", test_all_components_when_none_listed);
  g_test_add_func ("/assess/probes", test_probes);
  g_test_add_func ("/assess/with-catalog", test_with_catalog);
  g_test_add_func ("/assess/builtin-catalog", test_builtin_catalog);
  g_test_add_func ("/assess/to-json", test_to_json);

  return g_test_run ();
}
