/* mw-fallback.c
 *
 * The fallback policy: for a model that is not usable, the first model of
 * its catalog chain that is operational with fresh data.
 *
 * Which models get a suggestion: every model whose health is maintenance,
 * degraded, partial_outage or major_outage.  Maintenance is included
 * because a model under maintenance may refuse requests, and a person who
 * looks at it wants to know where to go meanwhile (it is never *alarmed*
 * about, see mw-damper.c).  Operational models need none, and unknown
 * models get none: we do not know that they are broken, and suggesting an
 * alternative would say we do.
 *
 * Which models may be suggested: only `operational` models whose data is
 * fresh.  Unknown, stale, maintenance and degraded models are skipped, as
 * are ids the snapshot does not know (a chain may name a provider the
 * user does not watch).  Chains are not followed transitively: the chain
 * of a model is the whole list of what the user accepts in its place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-fallback.h"

/**
 * mw_model_is_healthy:
 * @model: (nullable): a model's state
 *
 * "Healthy", for fallbacks and `pick`, means operational with fresh data.
 *
 * Returns: whether @model may be suggested in place of another one
 */
gboolean
mw_model_is_healthy (const MwModelState *model)
{
  return model != NULL
         && model->health == MW_HEALTH_OPERATIONAL
         && !model->stale;
}

/**
 * mw_fallback_wanted:
 * @health: a model's health
 *
 * Returns: whether a model of that health gets a suggestion
 */
gboolean
mw_fallback_wanted (MwHealth health)
{
  return health >= MW_HEALTH_MAINTENANCE;
}

static const MwModelState *
find_model_in (GPtrArray  *providers,
               const char *global_id)
{
  for (guint i = 0; i < providers->len; i++)
    {
      const MwProviderState *provider = g_ptr_array_index (providers, i);

      if (provider->models == NULL)
        continue;

      for (guint j = 0; j < provider->models->len; j++)
        {
          const MwModelState *model = g_ptr_array_index (provider->models, j);

          if (g_strcmp0 (model->id, global_id) == 0)
            return model;
        }
    }

  return NULL;
}

/**
 * mw_fallback_fill:
 * @catalog: the catalog whose chains apply
 * @providers: (element-type MwProviderState): the states being assembled
 *   into a snapshot
 *
 * Sets ->fallback of every model that wants one (see mw_fallback_wanted())
 * to the first healthy model of its chain, or to %NULL when none of them
 * is ("No healthy fallback"), and clears it on every other model.
 */
void
mw_fallback_fill (MwCatalog *catalog,
                  GPtrArray *providers)
{
  g_return_if_fail (providers != NULL);

  for (guint i = 0; i < providers->len; i++)
    {
      MwProviderState *provider = g_ptr_array_index (providers, i);

      if (provider->models == NULL)
        continue;

      for (guint j = 0; j < provider->models->len; j++)
        {
          MwModelState *model = g_ptr_array_index (provider->models, j);
          const char * const *chain = NULL;
          const char *pick = NULL;

          g_clear_pointer (&model->fallback, g_free);

          if (!mw_fallback_wanted (model->health))
            continue;

          if (catalog != NULL)
            chain = mw_catalog_get_fallbacks (catalog, model->id);

          for (guint k = 0; chain != NULL && chain[k] != NULL && pick == NULL; k++)
            {
              /* A chain that names its own model would suggest the broken model. */
              if (g_strcmp0 (chain[k], model->id) == 0)
                continue;

              if (mw_model_is_healthy (find_model_in (providers, chain[k])))
                pick = chain[k];
            }

          model->fallback = g_strdup (pick);
        }
    }
}

/**
 * mw_fallback_pick:
 * @snapshot: the current state
 * @models: (array zero-terminated=1): global ids, in order of preference
 *
 * What `modelwatch pick` and the D-Bus `Pick` method answer.
 *
 * Returns: (transfer full) (nullable): the first healthy model of @models,
 *   or %NULL when none is
 */
char *
mw_fallback_pick (MwSnapshot         *snapshot,
                  const char * const *models)
{
  g_return_val_if_fail (snapshot != NULL, NULL);

  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    if (mw_model_is_healthy (mw_snapshot_find_model (snapshot, models[i])))
      return g_strdup (models[i]);

  return NULL;
}
