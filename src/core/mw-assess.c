/* mw-assess.c
 *
 * The health rules of DESIGN.md ("Health"): from a catalog entry, what its
 * status page said and our own probes, to the state of the provider and
 * of each of its models.  Pure functions: no I/O, no clock, no damping.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mw-assess.h"

/* Matching */

/* g_utf8_casefold(), which costs a table lookup per character; ASCII
 * text (most of what pages say) folds to its lower case. */
static char *
fold (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return g_utf8_casefold (text, -1);

  return g_ascii_strdown (text, -1);
}

/* Case-folded, with every run of spaces, '-' and '_' made one space, so
 * that "GPT-5 mini", "gpt-5-mini" and "GPT 5  mini" read alike. */
static char *
normalize (const char *text)
{
  g_autofree char *folded = fold (text);
  GString *out = g_string_sized_new (strlen (folded));
  gboolean in_gap = FALSE;

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p == '-' || *p == '_')
        {
          in_gap = TRUE;
          continue;
        }
      if (in_gap && out->len > 0)
        g_string_append_c (out, ' ');
      in_gap = FALSE;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_word_char (const char *p)
{
  return g_unichar_isalnum (g_utf8_get_char (p));
}

/* Whether the hit text[start, end) stands alone: not inside a longer word,
 * and not a prefix of a longer version number ("Opus 4" in "Opus 4.7"). */
static gboolean
hit_is_bounded (const char *text,
                gsize       start,
                gsize       end)
{
  if (start > 0)
    {
      const char *prev = g_utf8_find_prev_char (text, text + start);

      if (is_word_char (prev))
        return FALSE;
      if (*prev == '.' && g_ascii_isdigit (text[start]) && prev > text && g_ascii_isdigit (prev[-1]))
        return FALSE;
    }

  if (text[end] != '\0')
    {
      if (is_word_char (text + end))
        return FALSE;
      if (text[end] == '.' && g_ascii_isdigit (text[end + 1]) && end > start &&
          g_ascii_isdigit (text[end - 1]))
        return FALSE;
    }

  return TRUE;
}

typedef struct {
  const MwModel *model;
  gsize          start;
  gsize          end;
} Hit;

static int
compare_hits_longest_first (gconstpointer a,
                            gconstpointer b)
{
  const Hit *ha = a;
  const Hit *hb = b;
  gssize la = ha->end - ha->start;
  gssize lb = hb->end - hb->start;

  if (la != lb)
    return la > lb ? -1 : 1;
  return ha->start < hb->start ? -1 : ha->start > hb->start;
}

static int
compare_hits_by_position (gconstpointer a,
                          gconstpointer b)
{
  const Hit *ha = a;
  const Hit *hb = b;

  return ha->start < hb->start ? -1 : ha->start > hb->start;
}

static void
find_phrase (GArray        *hits,
             const char    *text,
             const char    *phrase,
             const MwModel *model)
{
  g_autofree char *needle = normalize (phrase);
  gsize len = strlen (needle);
  const char *p = text;

  if (len == 0)
    return;

  while ((p = strstr (p, needle)) != NULL)
    {
      gsize start = p - text;

      if (hit_is_bounded (text, start, start + len))
        {
          Hit hit = { model, start, start + len };

          g_array_append_val (hits, hit);
        }
      p = g_utf8_next_char (p);
    }
}

/**
 * mw_match_models:
 * @provider: the catalog entry whose models to look for
 * @text: (nullable): an incident title or update body
 *
 * Finds the models that @text names through their `match` phrases (or,
 * for a model without any, its name and id).  Matching is
 * case-insensitive and whole-word, and the longest phrase wins: a hit
 * that lies inside a longer phrase's hit is dropped, so "GPT-5 mini"
 * names gpt-5-mini and not gpt-5.  A version number is one word, so
 * "Opus 4" does not name a model in "Opus 4.7".
 *
 * Returns: (transfer container) (element-type MwModel): the models named,
 *   in the order the text names them, each once; the elements belong to
 *   @provider
 */
GPtrArray *
mw_match_models (const MwProvider *provider,
                 const char       *text)
{
  GPtrArray *models = g_ptr_array_new ();
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GArray) kept = NULL;
  g_autofree char *haystack = NULL;

  g_return_val_if_fail (provider != NULL, models);

  if (text == NULL || *text == '\0' || provider->models == NULL)
    return models;

  haystack = normalize (text);
  hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  kept = g_array_new (FALSE, FALSE, sizeof (Hit));

  for (guint i = 0; i < provider->models->len; i++)
    {
      const MwModel *model = g_ptr_array_index (provider->models, i);

      if (model->match != NULL && model->match[0] != NULL)
        {
          for (guint j = 0; model->match[j] != NULL; j++)
            find_phrase (hits, haystack, model->match[j], model);
        }
      else
        {
          if (model->name != NULL)
            find_phrase (hits, haystack, model->name, model);
          if (model->id != NULL)
            find_phrase (hits, haystack, model->id, model);
        }
    }

  g_array_sort (hits, compare_hits_longest_first);
  for (guint i = 0; i < hits->len; i++)
    {
      const Hit *hit = &g_array_index (hits, Hit, i);
      gboolean inside = FALSE;

      for (guint j = 0; j < kept->len && !inside; j++)
        {
          const Hit *longer = &g_array_index (kept, Hit, j);

          inside = longer->end - longer->start > hit->end - hit->start &&
                   hit->start >= longer->start && hit->end <= longer->end;
        }

      if (!inside)
        g_array_append_val (kept, *hit);
    }

  g_array_sort (kept, compare_hits_by_position);
  for (guint i = 0; i < kept->len; i++)
    {
      const MwModel *model = g_array_index (kept, Hit, i).model;

      if (!g_ptr_array_find (models, model, NULL))
        g_ptr_array_add (models, (gpointer) model);
    }

  return models;
}

/**
 * mw_text_says_many_models:
 * @text: (nullable): an incident title or update body
 *
 * Whether @text speaks of several models without naming them: "multiple
 * models", "all models", "several GPT models", "some of the models".
 * Such an incident hits every model on the components it affects.
 */
gboolean
mw_text_says_many_models (const char *text)
{
  static const char * const quantifiers[] = {
    "multiple", "all", "several", "many", "various", "some", "most", NULL
  };
  g_autofree char *folded = NULL;
  g_autoptr(GPtrArray) words = NULL;
  const char *p;

  if (text == NULL)
    return FALSE;

  /* The pattern below needs the word "models"; most texts have none. */
  folded = fold (text);
  if (strstr (folded, "models") == NULL)
    return FALSE;

  /* Words are runs of letters and digits. */
  words = g_ptr_array_new_with_free_func (g_free);
  p = folded;
  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !is_word_char (p))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && is_word_char (p))
        p = g_utf8_next_char (p);
      if (p > start)
        g_ptr_array_add (words, g_strndup (start, p - start));
    }
  g_ptr_array_add (words, NULL);

  /* "<quantifier> [of [the|our]] [one or two words] models" */
  for (guint i = 0; i + 1 < words->len; i++)
    {
      const char * const *w = (const char * const *) words->pdata;
      guint j = i + 1;

      if (!g_strv_contains (quantifiers, w[i]))
        continue;

      if (w[j] != NULL && g_str_equal (w[j], "of"))
        j++;
      if (w[j] != NULL && (g_str_equal (w[j], "the") || g_str_equal (w[j], "our")))
        j++;

      for (guint k = 0; k < 3 && w[j + k] != NULL; k++)
        if (g_str_equal (w[j + k], "models"))
          return TRUE;
    }

  return FALSE;
}

/* Assessment */

/* The latest update by time, whatever order the page listed them in. */
static const MwUpdateObs *
latest_update (const MwIncidentObs *incident)
{
  const MwUpdateObs *latest = NULL;

  for (guint i = 0; i < incident->updates->len; i++)
    {
      const MwUpdateObs *u = g_ptr_array_index (incident->updates, i);

      if (latest == NULL ||
          (u->at != NULL && (latest->at == NULL || g_date_time_compare (u->at, latest->at) >= 0)) ||
          (u->at == NULL && latest->at == NULL))
        latest = u;
    }

  return latest;
}

/* The page's id for a catalog reference (an id or an exact name). */
static const char *
resolve_component (const MwObservations *obs,
                   const char           *ref)
{
  const MwComponentObs *c = mw_observations_find_component (obs, ref);

  return c != NULL ? c->id : ref;
}

static gboolean
model_on_incident (const MwModel        *model,
                   const MwIncidentObs  *incident,
                   const MwObservations *obs)
{
  for (guint i = 0; model->components != NULL && model->components[i] != NULL; i++)
    if (mw_incident_obs_has_component (incident, resolve_component (obs, model->components[i])))
      return TRUE;

  return FALSE;
}

/* A component under an in-progress maintenance is in maintenance even
 * while the page still shows it operational. */
static MwHealth
component_health (const MwObservations *obs,
                  const MwComponentObs *c)
{
  MwHealth health = c->health;

  for (guint i = 0; i < obs->incidents->len; i++)
    {
      const MwIncidentObs *incident = g_ptr_array_index (obs->incidents, i);

      if (incident->maintenance && mw_incident_obs_has_component (incident, c->id))
        health = mw_health_worst (health, MW_HEALTH_MAINTENANCE);
    }

  return health;
}

static gboolean
is_watched (const MwProvider     *provider,
            const MwObservations *obs,
            const char           *component_id)
{
  if (provider->components == NULL || provider->components->len == 0)
    return TRUE;

  for (guint i = 0; i < provider->components->len; i++)
    {
      const MwComponentRef *ref = g_ptr_array_index (provider->components, i);

      if (g_strcmp0 (resolve_component (obs, ref->id), component_id) == 0)
        return TRUE;
    }

  return FALSE;
}

typedef struct {
  MwHealth             official;
  const MwIncidentObs *incident;   /* the worst incident that hits it */
  const MwComponentObs *component; /* its worst known component */
  MwHealth             component_health;
  gboolean             components_missing;
} ModelVerdict;

static void
add_watched_components (MwProviderState      *state,
                        const MwProvider     *provider,
                        const MwObservations *obs,
                        gboolean              readable)
{
  if (provider->components != NULL && provider->components->len > 0)
    {
      for (guint i = 0; i < provider->components->len; i++)
        {
          const MwComponentRef *ref = g_ptr_array_index (provider->components, i);
          const MwComponentObs *c = obs != NULL ? mw_observations_find_component (obs, ref->id) : NULL;

          if (c != NULL)
            g_ptr_array_add (state->components,
                             mw_component_state_new (c->id, c->name,
                                                     readable ? component_health (obs, c)
                                                              : MW_HEALTH_UNKNOWN));
          else
            /* Missing from the page (renamed, removed, or the page is not
             * read): unknown, never operational. */
            g_ptr_array_add (state->components,
                             mw_component_state_new (ref->id,
                                                     ref->key != NULL ? ref->key : ref->id,
                                                     MW_HEALTH_UNKNOWN));
        }
    }
  else if (obs != NULL)
    {
      for (guint i = 0; i < obs->components->len; i++)
        {
          const MwComponentObs *c = g_ptr_array_index (obs->components, i);

          g_ptr_array_add (state->components,
                           mw_component_state_new (c->id, c->name,
                                                   readable ? component_health (obs, c)
                                                            : MW_HEALTH_UNKNOWN));
        }
    }
}

static MwIncidentState *
incident_state (const MwIncidentObs  *incident,
                const MwObservations *obs,
                GPtrArray            *hit_models)
{
  MwIncidentState *state = mw_incident_state_new (incident->id, incident->name);
  g_autoptr(GStrvBuilder) models = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) components = g_strv_builder_new ();

  state->status = g_strdup (incident->status);
  state->impact = g_strdup (incident->impact);
  state->url = g_strdup (incident->url);
  state->health = incident->health;
  state->maintenance = incident->maintenance;
  state->started_at = incident->started_at != NULL ? g_date_time_ref (incident->started_at) : NULL;
  state->updated_at = incident->updated_at != NULL ? g_date_time_ref (incident->updated_at) : NULL;

  for (guint i = 0; i < hit_models->len; i++)
    g_strv_builder_add (models, ((const MwModel *) g_ptr_array_index (hit_models, i))->global_id);
  state->models = g_strv_builder_end (models);

  /* Names a person recognises; links to components the page does not
   * list (another part of a shared page) are left out. */
  for (guint i = 0; i < incident->component_ids->len; i++)
    {
      const char *id = g_ptr_array_index (incident->component_ids, i);
      const MwComponentObs *c = mw_observations_find_component (obs, id);

      if (c != NULL)
        g_strv_builder_add (components, c->name);
    }
  state->components = g_strv_builder_end (components);

  for (guint i = 0; i < incident->updates->len; i++)
    {
      const MwUpdateObs *u = g_ptr_array_index (incident->updates, i);

      g_ptr_array_add (state->updates, mw_update_state_new (u->at, u->status, u->body));
    }

  return state;
}

static char *
model_reason (const ModelVerdict *verdict,
              const MwProbeState *probe,
              const GError       *page_error,
              gboolean            readable)
{
  gboolean probe_bad = probe != NULL && (mw_health_is_degraded (probe->health) ||
                                         probe->health == MW_HEALTH_MAINTENANCE);
  const char *probe_text = probe != NULL ? (probe->detail != NULL ? probe->detail : probe->error) : NULL;

  if (!readable)
    {
      /* What makes it red beats why the page is grey. */
      if (probe_bad && probe_text != NULL)
        return g_strdup (probe_text);
      if (page_error != NULL)
        return g_strdup (page_error->message);
      return g_strdup (_("The status page has not been read yet"));
    }

  if (verdict->incident != NULL)
    return g_strdup (verdict->incident->name);

  if (verdict->component != NULL && verdict->component_health != MW_HEALTH_OPERATIONAL)
    /* TRANSLATORS: a status-page component and its health, as in
     * "Claude API (api.anthropic.com): Major outage" */
    return g_strdup_printf (_("%s: %s"), verdict->component->name,
                            mw_health_to_label (verdict->component_health));

  if (probe_bad && probe_text != NULL)
    return g_strdup (probe_text);

  if (verdict->official == MW_HEALTH_UNKNOWN && verdict->components_missing)
    return g_strdup (_("Its components are missing from the status page"));

  return NULL;
}

/**
 * mw_assess_provider:
 * @provider: the catalog entry
 * @observations: (nullable): what its page said, if it was read
 * @page_error: (nullable): why the page could not be read; when set, the
 *   official signal is unknown whatever @observations holds
 * @fetched_at: (nullable): when the page was last read successfully
 * @provider_probe: (nullable): the provider's API probe, if any
 * @model_probes: (nullable) (element-type utf8 MwProbeState): per-model
 *   probes keyed by global id
 *
 * Applies DESIGN.md "Health" as observed, without damping.
 *
 * Returns: (transfer full): the provider's state; its models have no
 *   fallback yet
 */
MwProviderState *
mw_assess_provider (const MwProvider   *provider,
                    MwObservations     *observations,
                    const GError       *page_error,
                    GDateTime          *fetched_at,
                    const MwProbeState *provider_probe,
                    GHashTable         *model_probes)
{
  MwProviderState *state;
  const MwObservations *obs = observations;
  gboolean readable = page_error == NULL && obs != NULL;
  guint n_models;
  g_autofree ModelVerdict *verdicts = NULL;
  MwHealth page_health = MW_HEALTH_UNKNOWN;
  MwHealth health;

  g_return_val_if_fail (provider != NULL, NULL);

  n_models = provider->models != NULL ? provider->models->len : 0;
  verdicts = g_new0 (ModelVerdict, n_models + 1);

  state = mw_provider_state_new (provider->id, provider->name);
  state->page_url = g_strdup (provider->page_url);
  state->fetched_at = fetched_at != NULL ? g_date_time_ref (fetched_at) : NULL;
  state->probe = mw_probe_state_copy (provider_probe);
  if (page_error != NULL)
    state->error = g_strdup (page_error->message);
  if (readable)
    state->description = g_strdup (obs->description);

  add_watched_components (state, provider, obs, readable);
  for (guint i = 0; readable && i < state->components->len; i++)
    page_health = mw_health_worst (page_health,
                                   ((MwComponentState *) g_ptr_array_index (state->components, i))->health);

  /* Each model's own components. */
  for (guint m = 0; m < n_models; m++)
    {
      const MwModel *model = g_ptr_array_index (provider->models, m);
      ModelVerdict *v = &verdicts[m];
      gboolean has_components = model->components != NULL && model->components[0] != NULL;

      /* A readable page that lists the model nowhere and names it in no
       * incident has nothing against it. */
      v->official = readable && !has_components ? MW_HEALTH_OPERATIONAL : MW_HEALTH_UNKNOWN;

      for (guint i = 0; readable && has_components && model->components[i] != NULL; i++)
        {
          const MwComponentObs *c = mw_observations_find_component (obs, model->components[i]);
          MwHealth h;

          if (c == NULL)
            {
              v->components_missing = TRUE;
              continue;
            }

          h = component_health (obs, c);
          v->official = mw_health_worst (v->official, h);
          if (v->component == NULL || h > v->component_health)
            {
              v->component = c;
              v->component_health = h;
            }
        }
    }

  /* Incidents, newest first as the reader sorted them. */
  for (guint i = 0; readable && i < obs->incidents->len; i++)
    {
      const MwIncidentObs *incident = g_ptr_array_index (obs->incidents, i);
      const MwUpdateObs *latest = latest_update (incident);
      const char *body = latest != NULL ? latest->body : NULL;
      g_autoptr(GPtrArray) named = mw_match_models (provider, incident->name);
      g_autoptr(GPtrArray) named_later = mw_match_models (provider, body);
      g_autoptr(GPtrArray) hit = g_ptr_array_new ();
      gboolean many = mw_text_says_many_models (incident->name) || mw_text_says_many_models (body);
      gboolean relevant = incident->component_ids->len == 0;

      for (guint m = 0; m < n_models; m++)
        {
          const MwModel *model = g_ptr_array_index (provider->models, m);
          ModelVerdict *v = &verdicts[m];
          gboolean on_component = model_on_incident (model, incident, obs);

          if (!g_ptr_array_find (named, model, NULL) &&
              !g_ptr_array_find (named_later, model, NULL) &&
              !((many || incident->maintenance) && on_component))
            continue;

          g_ptr_array_add (hit, (gpointer) model);
          v->official = mw_health_worst (v->official, incident->health);
          if (v->incident == NULL || incident->health > v->incident->health)
            v->incident = incident;
        }

      for (guint c = 0; !relevant && c < incident->component_ids->len; c++)
        relevant = is_watched (provider, obs, g_ptr_array_index (incident->component_ids, c));

      /* An incident tied to no component could be about anything we
       * watch: the page is at least degraded, whatever its indicator. */
      if (incident->component_ids->len == 0)
        page_health = mw_health_worst (page_health,
                                       incident->maintenance ? MW_HEALTH_MAINTENANCE
                                                             : MW_HEALTH_DEGRADED);

      if (relevant || hit->len > 0)
        g_ptr_array_add (state->incidents, incident_state (incident, obs, hit));
    }

  for (guint m = 0; m < n_models; m++)
    {
      const MwModel *model = g_ptr_array_index (provider->models, m);
      const ModelVerdict *v = &verdicts[m];
      const MwProbeState *probe = NULL;
      MwModelState *ms = mw_model_state_new (model->global_id, model->name);

      const MwProbeState *health_probe;

      if (model_probes != NULL)
        probe = g_hash_table_lookup (model_probes, model->global_id);
      if (probe == NULL)
        probe = provider_probe;

      /* A per-model probe that could not tell (no key, key rejected, retired
       * model) is shown as it is, but the provider's probe still counts. */
      health_probe = (probe != NULL && probe->health == MW_HEALTH_UNKNOWN) ? provider_probe : probe;

      ms->official = readable ? v->official : MW_HEALTH_UNKNOWN;
      ms->probe = mw_probe_state_copy (probe);
      ms->health = mw_health_worst (ms->official,
                                    health_probe != NULL ? health_probe->health : MW_HEALTH_UNKNOWN);
      ms->reason = model_reason (v, health_probe, page_error, readable);
      if (readable && v->incident != NULL && v->incident->started_at != NULL)
        ms->since = g_date_time_ref (v->incident->started_at);

      page_health = mw_health_worst (page_health, ms->official);
      g_ptr_array_add (state->models, ms);
    }

  state->page_health = readable ? page_health : MW_HEALTH_UNKNOWN;

  health = state->page_health;
  for (guint m = 0; m < state->models->len; m++)
    health = mw_health_worst (health, ((MwModelState *) g_ptr_array_index (state->models, m))->health);
  if (provider_probe != NULL)
    health = mw_health_worst (health, provider_probe->health);
  state->health = health;

  return state;
}
