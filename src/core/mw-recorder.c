/* mw-recorder.c
 *
 * Listens to the monitor and keeps the history. A snapshot costs one
 * transaction; a poll that changes nothing costs at most one small
 * update a minute (the session's "last seen"), so that the time the
 * service was not running counts as unknown rather than as the last
 * state it saw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-recorder.h"

/* how often a poll that changed nothing notes the session as alive */
#define TOUCH_INTERVAL 60

struct _MwRecorder
{
  GObject     parent_instance;

  MwMonitor  *monitor;         /* nullable */
  MwHistory  *history;
  MwSnapshot *previous;        /* nullable: nothing recorded yet */
  gint64      session;         /* 0 until the first snapshot */
  gint64      seen_at;         /* the newest snapshot time */
  gint64      touched_at;      /* the session's "last seen" in the file */
  gboolean    warned;
};

G_DEFINE_FINAL_TYPE (MwRecorder, mw_recorder, G_TYPE_OBJECT)

static gint64
snapshot_time (MwSnapshot *snapshot)
{
  GDateTime *at = mw_snapshot_get_checked_at (snapshot);

  if (at != NULL)
    return g_date_time_to_unix (at);

  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
report (MwRecorder *self,
        GError     *error)
{
  /* a full disk or a locked file must not flood the journal */
  if (!self->warned)
    g_warning ("history: %s", error->message);
  else
    g_debug ("history: %s", error->message);

  self->warned = TRUE;
}

/* Which signal made the change: the one that changed alone, else the
 * one the new health comes from (official first). */
static MwHistorySource
pick_source (MwHealth old_official,
             MwHealth old_probe,
             MwHealth new_official,
             MwHealth new_probe,
             MwHealth new_health,
             gboolean initial)
{
  gboolean official_changed = !initial && old_official != new_official;
  gboolean probe_changed = !initial && old_probe != new_probe;

  if (probe_changed && !official_changed)
    return MW_HISTORY_SOURCE_PROBE;
  if (official_changed && !probe_changed)
    return MW_HISTORY_SOURCE_OFFICIAL;
  if (new_health != new_official && new_health == new_probe)
    return MW_HISTORY_SOURCE_PROBE;

  return MW_HISTORY_SOURCE_OFFICIAL;
}

static MwHealth
probe_health (const MwProbeState *probe)
{
  return probe != NULL ? probe->health : MW_HEALTH_UNKNOWN;
}

static void
diff_provider (const MwProviderState *old,
               const MwProviderState *provider,
               gint64                 at,
               GPtrArray             *out)
{
  g_autoptr(MwTransition) t = NULL;

  if (old != NULL && old->health == provider->health)
    return;

  t = mw_transition_new (provider->id, MW_HISTORY_KIND_PROVIDER);
  t->at = at;
  t->initial = old == NULL;
  t->old_health = old != NULL ? old->health : MW_HEALTH_UNKNOWN;
  t->new_health = provider->health;
  t->source = pick_source (old != NULL ? old->page_health : MW_HEALTH_UNKNOWN,
                           old != NULL ? probe_health (old->probe) : MW_HEALTH_UNKNOWN,
                           provider->page_health, probe_health (provider->probe),
                           provider->health, old == NULL);

  if (t->source == MW_HISTORY_SOURCE_PROBE && provider->probe != NULL)
    t->reason = g_strdup (provider->probe->error != NULL ? provider->probe->error : provider->probe->detail);
  else if (provider->error != NULL)
    t->reason = g_strdup (provider->error);
  else if (provider->health != MW_HEALTH_OPERATIONAL)
    t->reason = g_strdup (provider->description);

  g_ptr_array_add (out, g_steal_pointer (&t));
}

static void
diff_model (const MwModelState    *old,
            const MwModelState    *model,
            const MwProviderState *provider,
            gint64                 at,
            GPtrArray             *out)
{
  g_autoptr(MwTransition) t = NULL;

  if (old != NULL && old->health == model->health)
    return;

  t = mw_transition_new (model->id, MW_HISTORY_KIND_MODEL);
  t->at = at;
  t->initial = old == NULL;
  t->old_health = old != NULL ? old->health : MW_HEALTH_UNKNOWN;
  t->new_health = model->health;
  t->source = pick_source (old != NULL ? old->official : MW_HEALTH_UNKNOWN,
                           old != NULL ? probe_health (old->probe) : MW_HEALTH_UNKNOWN,
                           model->official, probe_health (model->probe),
                           model->health, old == NULL);

  if (model->reason != NULL)
    t->reason = g_strdup (model->reason);
  else if (t->source == MW_HISTORY_SOURCE_PROBE && model->probe != NULL)
    t->reason = g_strdup (model->probe->error != NULL ? model->probe->error : model->probe->detail);
  else if (model->health == MW_HEALTH_UNKNOWN)
    t->reason = g_strdup (provider->error);

  g_ptr_array_add (out, g_steal_pointer (&t));
}

/**
 * mw_recorder_diff:
 * @previous: (nullable): the snapshot recorded last, or %NULL at the
 *   start of a session
 * @snapshot: the new snapshot
 *
 * Returns: (transfer full) (element-type MwTransition): one transition
 * per provider and model whose health differs from @previous (all of
 * them, as initial states, when @previous is %NULL), timed at
 * @snapshot's check
 */
GPtrArray *
mw_recorder_diff (MwSnapshot *previous,
                  MwSnapshot *snapshot)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_transition_free);
  gint64 at;

  g_return_val_if_fail (snapshot != NULL, out);

  at = snapshot_time (snapshot);

  for (guint i = 0; i < mw_snapshot_get_n_providers (snapshot); i++)
    {
      const MwProviderState *provider = mw_snapshot_get_provider (snapshot, i);
      const MwProviderState *old = previous != NULL ? mw_snapshot_find_provider (previous, provider->id) : NULL;

      diff_provider (old, provider, at, out);

      for (guint j = 0; provider->models != NULL && j < provider->models->len; j++)
        {
          const MwModelState *model = g_ptr_array_index (provider->models, j);
          const MwModelState *old_model = previous != NULL ? mw_snapshot_find_model (previous, model->id) : NULL;

          diff_model (old_model, model, provider, at, out);
        }
    }

  return out;
}

/**
 * mw_recorder_record:
 * @self: the recorder
 * @snapshot: a snapshot of the monitor
 * @error: a #GError
 *
 * Records what changed since the previous snapshot (the first snapshot
 * records every state), in one transaction. The monitor's "changed"
 * signal calls this; tests may too.
 */
gboolean
mw_recorder_record (MwRecorder  *self,
                    MwSnapshot  *snapshot,
                    GError     **error)
{
  g_autoptr(GPtrArray) transitions = NULL;
  gint64 at;

  g_return_val_if_fail (MW_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  at = snapshot_time (snapshot);

  if (self->session == 0)
    {
      self->session = mw_history_begin_session (self->history, at, error);
      if (self->session == 0)
        return FALSE;
    }

  transitions = mw_recorder_diff (self->previous, snapshot);
  if (!mw_history_record (self->history, self->session, at, transitions, error))
    return FALSE;

  g_clear_pointer (&self->previous, mw_snapshot_unref);
  self->previous = mw_snapshot_ref (snapshot);
  self->seen_at = MAX (self->seen_at, at);
  self->touched_at = MAX (self->touched_at, at);

  return TRUE;
}

static void
changed_cb (MwMonitor  *monitor,
            MwSnapshot *snapshot,
            MwRecorder *self)
{
  g_autoptr(GError) error = NULL;

  if (!mw_recorder_record (self, snapshot, &error))
    report (self, error);
}

static void
polled_cb (MwMonitor  *monitor,
           const char *provider_id,
           MwSnapshot *snapshot,
           MwRecorder *self)
{
  g_autoptr(GError) error = NULL;
  gint64 at = snapshot_time (snapshot);

  /* a first poll that changed nothing still starts the session */
  if (self->previous == NULL)
    {
      changed_cb (monitor, snapshot, self);
      return;
    }

  self->seen_at = MAX (self->seen_at, at);
  if (at - self->touched_at < TOUCH_INTERVAL)
    return;

  if (!mw_history_touch_session (self->history, self->session, at, &error))
    report (self, error);
  else
    self->touched_at = at;
}

static void
mw_recorder_dispose (GObject *object)
{
  MwRecorder *self = MW_RECORDER (object);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);

  /* a clean stop ends the session at the last snapshot seen */
  if (self->history != NULL && self->session != 0 && self->seen_at > self->touched_at)
    {
      g_autoptr(GError) error = NULL;

      if (!mw_history_touch_session (self->history, self->session, self->seen_at, &error))
        g_debug ("history: %s", error->message);
      self->touched_at = self->seen_at;
    }

  g_clear_object (&self->history);
  g_clear_pointer (&self->previous, mw_snapshot_unref);

  G_OBJECT_CLASS (mw_recorder_parent_class)->dispose (object);
}

static void
mw_recorder_class_init (MwRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mw_recorder_dispose;
}

static void
mw_recorder_init (MwRecorder *self)
{
}

/**
 * mw_recorder_new:
 * @monitor: (nullable): the monitor to listen to, or %NULL to feed
 *   snapshots with mw_recorder_record()
 * @history: the history to write to
 *
 * Starts recording. Rows older than %MW_HISTORY_KEEP_DAYS days are
 * pruned first, so that the file stays bounded.
 *
 * Returns: (transfer full): the recorder
 */
MwRecorder *
mw_recorder_new (MwMonitor *monitor,
                 MwHistory *history)
{
  MwRecorder *self;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (monitor == NULL || MW_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (MW_IS_HISTORY (history), NULL);

  self = g_object_new (MW_TYPE_RECORDER, NULL);
  self->history = g_object_ref (history);

  if (!mw_history_prune (history, now - (gint64) MW_HISTORY_KEEP_DAYS * 86400, NULL, &error))
    report (self, error);

  if (monitor != NULL)
    {
      self->monitor = g_object_ref (monitor);
      g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), self);
      g_signal_connect (monitor, "polled", G_CALLBACK (polled_cb), self);
    }

  return self;
}

/**
 * mw_recorder_new_default:
 * @monitor: the monitor to listen to
 *
 * Records @monitor into the default history
 * (`$XDG_STATE_HOME/modelwatch/history.db`), for the service. A history
 * that cannot be opened is a warning, not a reason to stop watching.
 *
 * Returns: (transfer full) (nullable): the recorder, or %NULL when the
 * history cannot be opened
 */
MwRecorder *
mw_recorder_new_default (MwMonitor *monitor)
{
  g_autoptr(MwHistory) history = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (MW_IS_MONITOR (monitor), NULL);

  history = mw_history_new (NULL, &error);
  if (history == NULL)
    {
      g_warning ("history: %s", error->message);
      return NULL;
    }

  return mw_recorder_new (monitor, history);
}
