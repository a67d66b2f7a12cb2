/* mw-observation.c
 *
 * Platform-neutral observations of a status page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-observation.h"

G_DEFINE_BOXED_TYPE (MwObservations, mw_observations,
                     mw_observations_ref, mw_observations_unref)

static void
component_obs_free (gpointer data)
{
  MwComponentObs *c = data;

  g_free (c->id);
  g_free (c->name);
  g_free (c->group_name);
  g_free (c->raw_status);
  g_free (c);
}

static void
update_obs_free (gpointer data)
{
  MwUpdateObs *u = data;

  g_clear_pointer (&u->at, g_date_time_unref);
  g_free (u->status);
  g_free (u->body);
  g_free (u);
}

static void
incident_obs_free (gpointer data)
{
  MwIncidentObs *i = data;

  g_free (i->id);
  g_free (i->name);
  g_free (i->status);
  g_free (i->impact);
  g_free (i->url);
  g_clear_pointer (&i->started_at, g_date_time_unref);
  g_clear_pointer (&i->updated_at, g_date_time_unref);
  g_ptr_array_unref (i->updates);
  g_ptr_array_unref (i->component_ids);
  g_free (i);
}

static void
observations_clear (gpointer data)
{
  MwObservations *self = data;

  g_free (self->page_name);
  g_free (self->description);
  g_ptr_array_unref (self->components);
  g_ptr_array_unref (self->incidents);
}

MwObservations *
mw_observations_new (void)
{
  MwObservations *self = g_atomic_rc_box_new0 (MwObservations);

  self->indicator = MW_HEALTH_UNKNOWN;
  self->components = g_ptr_array_new_with_free_func (component_obs_free);
  self->incidents = g_ptr_array_new_with_free_func (incident_obs_free);

  return self;
}

MwObservations *
mw_observations_ref (MwObservations *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
mw_observations_unref (MwObservations *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, observations_clear);
}

MwComponentObs *
mw_observations_add_component (MwObservations *self,
                               const char     *id,
                               const char     *name,
                               MwHealth        health)
{
  MwComponentObs *c;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL || name != NULL, NULL);

  c = g_new0 (MwComponentObs, 1);
  c->id = g_strdup (id != NULL ? id : name);
  c->name = g_strdup (name != NULL ? name : id);
  c->health = health;
  g_ptr_array_add (self->components, c);

  return c;
}

MwIncidentObs *
mw_observations_add_incident (MwObservations *self,
                              const char     *id,
                              const char     *name)
{
  MwIncidentObs *i;

  g_return_val_if_fail (self != NULL, NULL);

  i = g_new0 (MwIncidentObs, 1);
  i->id = g_strdup (id != NULL ? id : name);
  i->name = g_strdup (name != NULL ? name : "");
  i->health = MW_HEALTH_DEGRADED;
  i->updates = g_ptr_array_new_with_free_func (update_obs_free);
  i->component_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->incidents, i);

  return i;
}

const MwComponentObs *
mw_observations_find_component (const MwObservations *self,
                                const char           *id_or_name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  /* Ids first: pages rename components, ids stay. */
  for (guint i = 0; i < self->components->len; i++)
    {
      const MwComponentObs *c = g_ptr_array_index (self->components, i);

      if (g_strcmp0 (c->id, id_or_name) == 0)
        return c;
    }

  for (guint i = 0; i < self->components->len; i++)
    {
      const MwComponentObs *c = g_ptr_array_index (self->components, i);

      if (g_strcmp0 (c->name, id_or_name) == 0)
        return c;
    }

  return NULL;
}

static int
compare_incidents_newest_first (gconstpointer a,
                                gconstpointer b)
{
  const MwIncidentObs *ia = *(MwIncidentObs * const *) a;
  const MwIncidentObs *ib = *(MwIncidentObs * const *) b;
  GDateTime *ta = ia->started_at != NULL ? ia->started_at : ia->updated_at;
  GDateTime *tb = ib->started_at != NULL ? ib->started_at : ib->updated_at;

  if (ta == NULL || tb == NULL)
    return (ta == NULL) - (tb == NULL);

  return g_date_time_compare (tb, ta);
}

void
mw_observations_sort_incidents (MwObservations *self)
{
  g_return_if_fail (self != NULL);

  g_ptr_array_sort (self->incidents, compare_incidents_newest_first);
}

void
mw_incident_obs_add_component (MwIncidentObs *incident,
                               const char    *component_id)
{
  g_return_if_fail (incident != NULL);

  if (component_id == NULL || mw_incident_obs_has_component (incident, component_id))
    return;

  g_ptr_array_add (incident->component_ids, g_strdup (component_id));
}

gboolean
mw_incident_obs_has_component (const MwIncidentObs *incident,
                               const char          *component_id)
{
  g_return_val_if_fail (incident != NULL, FALSE);

  for (guint i = 0; i < incident->component_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (incident->component_ids, i), component_id) == 0)
      return TRUE;

  return FALSE;
}

MwUpdateObs *
mw_incident_obs_add_update (MwIncidentObs *incident,
                            GDateTime     *at,
                            const char    *status,
                            const char    *body)
{
  MwUpdateObs *u;

  g_return_val_if_fail (incident != NULL, NULL);

  u = g_new0 (MwUpdateObs, 1);
  u->at = at != NULL ? g_date_time_ref (at) : NULL;
  u->status = g_strdup (status);
  u->body = g_strdup (body);
  g_ptr_array_add (incident->updates, u);

  return u;
}

static int
compare_updates_oldest_first (gconstpointer a,
                              gconstpointer b)
{
  const MwUpdateObs *ua = *(MwUpdateObs * const *) a;
  const MwUpdateObs *ub = *(MwUpdateObs * const *) b;

  if (ua->at == NULL || ub->at == NULL)
    return (ub->at == NULL) - (ua->at == NULL);

  return g_date_time_compare (ua->at, ub->at);
}

/* Pages list updates newest first "in practice"; order by time, not by array. */
void
mw_incident_obs_sort_updates (MwIncidentObs *incident)
{
  g_return_if_fail (incident != NULL);

  g_ptr_array_sort (incident->updates, compare_updates_oldest_first);
}

const MwUpdateObs *
mw_incident_obs_latest_update (const MwIncidentObs *incident)
{
  g_return_val_if_fail (incident != NULL, NULL);

  if (incident->updates->len == 0)
    return NULL;

  return g_ptr_array_index (incident->updates, incident->updates->len - 1);
}
