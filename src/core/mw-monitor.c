/* mw-monitor.c
 *
 * Schedules every status page (and the prober), keeps what each page last
 * said, and turns it into one immutable snapshot per change.
 *
 * Each provider is a Source: its reader, its URLs with their validators
 * and last bodies, its last observations or error, and its own timer.
 * Sources are polled independently, with jitter, so fifty pages never
 * fire in one burst, and each backs off on its own when it fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "mw-assess.h"
#include "mw-fallback.h"
#include "mw-monitor.h"
#include "mw-probe.h"
#include "mw-reader.h"

#define MAX_BACKOFF        (30 * 60)  /* seconds */
#define STALE_INTERVALS    3
#define LOOPBACK_MIN_INTERVAL 1
#define NETWORK_SETTLE_MS  1000
/* Bodies up to this size (a status page is a few KB) are parsed on the
 * main loop: handing them to a thread and back costs more than parsing
 * them, mostly in the kernel. Bigger ones go to the pool, so that the
 * loop stays responsive while a large feed is read. */
#define PARSE_IN_PLACE_MAX (256 * 1024)

typedef struct {
  MwMonitor         *monitor;        /* unowned: the monitor owns its sources */
  const MwProvider  *provider;       /* owned by the monitor's catalog */
  const MwReader    *reader;         /* NULL: no reader for its platform */
  GStrv              urls;
  guint              n_urls;
  gboolean           loopback;       /* every URL is on this machine */
  gboolean           enabled;        /* not filtered out */

  /* What we have, per URL: the last 200's body and its validators. */
  GBytes           **bodies;
  char             **etags;
  char             **last_modified;

  MwObservations    *observations;   /* nullable: the last readable answer */
  GError            *error;          /* nullable: why the last poll failed */
  GDateTime         *fetched_at;     /* nullable: last successful read */
  MwProviderState   *state;          /* what assess made of the above */

  guint              timer_id;
  guint              failures;       /* consecutive */

  /* The poll in flight. */
  gboolean           polling;
  guint              pending;
  MwFetchResult    **results;
  GError            *round_error;
  gint64             retry_after;
} Source;

typedef struct {
  GTask      *task;
  GHashTable *waiting;               /* Source* set */
  gboolean    probes_pending;
} Check;

struct _MwMonitor
{
  GObject          parent_instance;

  MwCatalog       *catalog;
  MwFetcher       *fetcher;
  MwProber        *prober;
  GPtrArray       *sources;          /* of Source*, catalog order */
  MwSnapshot      *snapshot;
  gboolean         dirty;            /* a source changed since the snapshot */

  guint            interval;
  gboolean         interval_set;   /* given by the user: probes follow it too */
  gboolean         probes_enabled;
  gboolean         once;
  gboolean         running;
  gboolean         offline;
  GList           *checks;           /* of Check* */

  GCancellable    *cancellable;      /* polls in flight; replaced by stop() */
  GNetworkMonitor *network;
  guint            settle_id;
  GDBusConnection *system_bus;
  guint            sleep_subscription;
};

G_DEFINE_FINAL_TYPE (MwMonitor, mw_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHECKING,
  PROP_SNAPSHOT,
  N_PROPS
};

enum {
  CHANGED,
  POLLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static guint notify_signal;   /* GObject::notify, looked up once */

static void poll_source (MwMonitor *self,
                         Source    *src);

/* Sources {{{ */

static void
source_clear_round (Source *src)
{
  for (guint i = 0; src->results != NULL && i < src->n_urls; i++)
    g_clear_pointer (&src->results[i], mw_fetch_result_free);
  g_clear_pointer (&src->results, g_free);
  g_clear_error (&src->round_error);
  src->retry_after = -1;
}

static void
source_free (gpointer data)
{
  Source *src = data;

  g_clear_handle_id (&src->timer_id, g_source_remove);
  source_clear_round (src);
  for (guint i = 0; i < src->n_urls; i++)
    {
      g_clear_pointer (&src->bodies[i], g_bytes_unref);
      g_free (src->etags[i]);
      g_free (src->last_modified[i]);
    }
  g_free (src->bodies);
  g_free (src->etags);
  g_free (src->last_modified);
  g_strfreev (src->urls);
  g_clear_pointer (&src->observations, mw_observations_unref);
  g_clear_error (&src->error);
  g_clear_pointer (&src->fetched_at, g_date_time_unref);
  g_clear_pointer (&src->state, mw_provider_state_free);
  g_free (src);
}

static Source *
source_new (MwMonitor        *self,
            const MwProvider *provider)
{
  Source *src = g_new0 (Source, 1);

  src->monitor = self;
  src->provider = provider;
  src->reader = mw_reader_lookup (provider->platform);
  src->retry_after = -1;
  src->enabled = TRUE;

  if (src->reader != NULL)
    src->urls = src->reader->urls (provider);
  if (src->urls == NULL)
    src->urls = g_new0 (char *, 1);
  src->n_urls = g_strv_length (src->urls);

  src->bodies = g_new0 (GBytes *, src->n_urls);
  src->etags = g_new0 (char *, src->n_urls);
  src->last_modified = g_new0 (char *, src->n_urls);

  src->loopback = src->n_urls > 0;
  for (guint i = 0; i < src->n_urls; i++)
    src->loopback = src->loopback && mw_url_is_loopback (src->urls[i]);

  if (src->reader == NULL)
    src->error = g_error_new (MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED,
                              _("no reader for the “%s” status page platform"),
                              provider->platform != NULL ? provider->platform : "");
  else if (src->n_urls == 0)
    src->error = g_error_new (MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED,
                              _("%s: no status page address to read"), provider->id);

  return src;
}

/* The interval of one source: the floor protects real status pages from
 * us; pages on this machine (tests) may be polled every second. */
static guint
source_interval (MwMonitor *self,
                 Source    *src)
{
  return MAX (self->interval, src->loopback ? LOOPBACK_MIN_INTERVAL : MW_MONITOR_MIN_INTERVAL);
}

static Source *
find_source (MwMonitor  *self,
             const char *provider_id)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *src = g_ptr_array_index (self->sources, i);

      if (g_strcmp0 (src->provider->id, provider_id) == 0)
        return src;
    }

  return NULL;
}

/* }}} */

/* Assessment and snapshots {{{ */

static const MwModelState *
find_model_state (const MwProviderState *state,
                  const char            *global_id)
{
  for (guint i = 0; state != NULL && state->models != NULL && i < state->models->len; i++)
    {
      const MwModelState *model = g_ptr_array_index (state->models, i);

      if (g_strcmp0 (model->id, global_id) == 0)
        return model;
    }

  return NULL;
}

/* What a source says now: assess's verdict, with `since` carried over
 * from the previous verdict for every model whose health held. */
static void
assess_source (MwMonitor *self,
               Source    *src)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const MwProbeState *probe = NULL;
  GHashTable *model_probes = NULL;
  MwProviderState *state;

  if (self->prober != NULL)
    {
      probe = mw_prober_get_provider_state (self->prober, src->provider->id);
      model_probes = mw_prober_get_model_states (self->prober, src->provider->id);
    }

  state = mw_assess_provider (src->provider,
                              src->error == NULL ? src->observations : NULL,
                              src->error, src->fetched_at, probe, model_probes);

  /* assess never fails; this keeps a snapshot whole if it ever does */
  if (state == NULL)
    {
      state = mw_provider_state_new (src->provider->id, src->provider->name);
      state->page_url = g_strdup (src->provider->page_url);
      state->error = src->error != NULL ? g_strdup (src->error->message) : NULL;
    }

  for (guint i = 0; state->models != NULL && i < state->models->len; i++)
    {
      MwModelState *model = g_ptr_array_index (state->models, i);
      const MwModelState *previous = find_model_state (src->state, model->id);

      if (previous != NULL && previous->health == model->health && previous->since != NULL)
        {
          g_clear_pointer (&model->since, g_date_time_unref);
          model->since = g_date_time_ref (previous->since);
        }
      else if (model->since == NULL || g_date_time_compare (model->since, now) > 0)
        {
          /* assess gives the incident's start when it knows one */
          g_clear_pointer (&model->since, g_date_time_unref);
          model->since = g_date_time_ref (now);
        }
    }

  g_clear_pointer (&src->state, mw_provider_state_free);
  src->state = state;
  self->dirty = TRUE;
}

static void
rebuild_snapshot (MwMonitor *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(MwSnapshot) old = g_steal_pointer (&self->snapshot);
  GPtrArray *providers = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_provider_state_free);

  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *src = g_ptr_array_index (self->sources, i);
      MwProviderState *copy = mw_provider_state_copy (src->state);
      GTimeSpan limit = (GTimeSpan) STALE_INTERVALS * source_interval (self, src) * G_TIME_SPAN_SECOND;
      gboolean stale = src->fetched_at != NULL && g_date_time_difference (now, src->fetched_at) > limit;

      for (guint j = 0; stale && copy->models != NULL && j < copy->models->len; j++)
        ((MwModelState *) g_ptr_array_index (copy->models, j))->stale = TRUE;

      g_ptr_array_add (providers, copy);
    }

  mw_fallback_fill (self->catalog, providers);

  self->snapshot = mw_snapshot_new (now, self->offline, providers);
  self->dirty = FALSE;

  /* the first snapshot is the starting point, not a change */
  if (old != NULL && !mw_snapshot_equal (old, self->snapshot))
    {
      g_signal_emit (self, signals[CHANGED], 0, self->snapshot);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAPSHOT]);
    }
}

static gboolean
has_listeners (MwMonitor *self)
{
  return g_signal_has_handler_pending (self, signals[CHANGED], 0, FALSE) ||
         g_signal_has_handler_pending (self, signals[POLLED], 0, FALSE) ||
         g_signal_has_handler_pending (self, notify_signal,
                                       g_param_spec_get_name_quark (properties[PROP_SNAPSHOT]),
                                       FALSE);
}

/* }}} */

/* Checks {{{ */

static void
notify_checking (MwMonitor *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

static void
check_free (Check *check)
{
  g_clear_object (&check->task);
  g_hash_table_unref (check->waiting);
  g_free (check);
}

static void
maybe_complete_checks (MwMonitor *self)
{
  GList *l = self->checks;
  gboolean completed = FALSE;

  while (l != NULL)
    {
      Check *check = l->data;
      GList *next = l->next;

      if (g_hash_table_size (check->waiting) == 0 && !check->probes_pending)
        {
          self->checks = g_list_delete_link (self->checks, l);
          if (self->dirty)
            rebuild_snapshot (self);
          g_task_return_boolean (check->task, TRUE);
          check_free (check);
          completed = TRUE;
        }

      l = next;
    }

  if (completed && self->checks == NULL)
    notify_checking (self);
}

static void
source_done_for_checks (MwMonitor *self,
                        Source    *src)
{
  for (GList *l = self->checks; l != NULL; l = l->next)
    g_hash_table_remove (((Check *) l->data)->waiting, src);

  maybe_complete_checks (self);
}

/* }}} */

/* Scheduling {{{ */

static gboolean
timer_cb (gpointer data)
{
  Source *src = data;

  src->timer_id = 0;
  poll_source (src->monitor, src);

  return G_SOURCE_REMOVE;
}

/* Seconds until the next poll: the interval ±10 %, or after failures an
 * exponential backoff with jitter; never earlier than Retry-After. */
static double
next_delay (MwMonitor *self,
            Source    *src,
            gint64     retry_after)
{
  double base = source_interval (self, src);
  double delay;

  if (src->failures == 0)
    {
      delay = base * g_random_double_range (0.9, 1.1);
    }
  else
    {
      delay = base * ldexp (1.0, (int) MIN (src->failures, 16u));
      delay = MIN (delay, MAX (MAX_BACKOFF, base));
      /* jitter spreads the retries of many clients of one failing page */
      delay *= g_random_double_range (0.8, 1.0);
      delay = MAX (delay, base);
    }

  if (retry_after > 0)
    delay = MAX (delay, (double) retry_after);

  return delay;
}

static void
schedule (MwMonitor *self,
          Source    *src,
          double     delay)
{
  g_clear_handle_id (&src->timer_id, g_source_remove);

  if (!self->running || !src->enabled || src->reader == NULL || src->n_urls == 0)
    return;
  if (self->offline && !src->loopback)
    return;

  src->timer_id = g_timeout_add ((guint) MIN (delay * 1000.0, (double) G_MAXUINT), timer_cb, src);
  g_source_set_name_by_id (src->timer_id, "[modelwatch] poll");
}

/* The poll after a round. A monitor that does not run (a --once check)
 * has no next poll: no delay is drawn for it. */
static void
schedule_next (MwMonitor *self,
               Source    *src,
               gint64     retry_after)
{
  if (!self->running)
    {
      g_clear_handle_id (&src->timer_id, g_source_remove);
      return;
    }

  schedule (self, src, next_delay (self, src, retry_after));
}

/* }}} */

/* Polling {{{ */

static gboolean
network_available (void)
{
  return g_network_monitor_get_network_available (g_network_monitor_get_default ());
}

static void
source_set_offline (MwMonitor *self,
                    Source    *src)
{
  g_clear_error (&src->error);
  src->error = g_error_new_literal (MW_SOURCE_ERROR, MW_SOURCE_ERROR_OFFLINE, _("offline"));
  assess_source (self, src);
}

/* The bodies of a round, the new ones and, for each 304, the one we have. */
static gboolean
source_take_bodies (Source   *src,
                    GBytes  **bodies,
                    gboolean *unchanged,
                    GError  **error)
{
  *unchanged = TRUE;

  for (guint i = 0; i < src->n_urls; i++)
    {
      MwFetchResult *result = src->results[i];
      g_autoptr(GBytes) utf8 = NULL;

      if (result->status == 304 && src->bodies[i] != NULL)
        {
          bodies[i] = g_bytes_ref (src->bodies[i]);
          continue;
        }

      *unchanged = FALSE;
      if (result->body == NULL)
        result->body = g_bytes_new (NULL, 0);

      utf8 = mw_bytes_to_utf8 (result->body, NULL);
      if (utf8 == NULL)
        {
          g_autofree char *host = mw_url_host (src->urls[i]);

          g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE,
                       _("%s sent text in an unknown encoding"), host);
          return FALSE;
        }

      bodies[i] = g_steal_pointer (&utf8);
    }

  return TRUE;
}

static void
source_forget_validators (Source *src)
{
  for (guint i = 0; i < src->n_urls; i++)
    {
      g_clear_pointer (&src->bodies[i], g_bytes_unref);
      g_clear_pointer (&src->etags[i], g_free);
      g_clear_pointer (&src->last_modified[i], g_free);
    }
}

/* The end of a round: keep what was read (or why not), assess, schedule
 * the next poll and tell the listeners. */
static void
source_apply (MwMonitor      *self,
              Source         *src,
              GBytes        **bodies,
              MwObservations *observations,
              GError         *error)
{
  gint64 retry_after = src->retry_after;

  src->polling = FALSE;

  if (observations != NULL)
    {
      for (guint i = 0; i < src->n_urls; i++)
        {
          MwFetchResult *result = src->results[i];

          if (result->status == 304)
            continue;
          g_clear_pointer (&src->bodies[i], g_bytes_unref);
          src->bodies[i] = g_bytes_ref (bodies[i]);
          g_free (src->etags[i]);
          src->etags[i] = g_strdup (result->etag);
          g_free (src->last_modified[i]);
          src->last_modified[i] = g_strdup (result->last_modified);
        }

      if (src->observations != observations)
        {
          g_clear_pointer (&src->observations, mw_observations_unref);
          src->observations = mw_observations_ref (observations);
        }
      g_clear_error (&src->error);
      g_clear_pointer (&src->fetched_at, g_date_time_unref);
      src->fetched_at = g_date_time_new_now_utc ();
      src->failures = 0;
    }
  else
    {
      g_assert (error != NULL);

      /* an unreadable page must be fetched whole next time, not 304'd */
      if (g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE) ||
          g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT) ||
          g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_CHALLENGE))
        source_forget_validators (src);

      g_clear_error (&src->error);

      /* Offline is not the provider's fault: say so instead of blaming it. */
      if (!src->loopback &&
          (g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_NETWORK) ||
           g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TIMEOUT)) &&
          !network_available ())
        {
          src->error = g_error_new_literal (MW_SOURCE_ERROR, MW_SOURCE_ERROR_OFFLINE, _("offline"));
          self->offline = TRUE;
        }
      else
        {
          src->error = g_error_copy (error);
        }

      src->failures++;
    }

  source_clear_round (src);
  assess_source (self, src);

  if (!(self->offline && !src->loopback))
    schedule_next (self, src, src->error != NULL ? retry_after : -1);

  if (has_listeners (self))
    {
      rebuild_snapshot (self);
      g_signal_emit (self, signals[POLLED], 0, src->provider->id, self->snapshot);
    }

  source_done_for_checks (self, src);
}

typedef struct {
  MwMonitor  *monitor;
  Source     *src;
  GBytes    **bodies;
  guint       n_bodies;
} ParseJob;

static void
free_bodies (GBytes **bodies,
             guint    n_bodies)
{
  for (guint i = 0; i < n_bodies; i++)
    g_clear_pointer (&bodies[i], g_bytes_unref);
  g_free (bodies);
}

static gsize
bodies_size (GBytes * const *bodies,
             guint           n_bodies)
{
  gsize size = 0;

  for (guint i = 0; i < n_bodies; i++)
    size += bodies[i] != NULL ? g_bytes_get_size (bodies[i]) : 0;

  return size;
}

static void
parse_job_free (gpointer data)
{
  ParseJob *job = data;

  free_bodies (job->bodies, job->n_bodies);
  g_free (job);
}

/* Readers are pure functions of immutable input (the catalog entry and
 * the bodies), so a big page is parsed off the main loop, while the other
 * pages are still being fetched. */
static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      data,
              GCancellable *cancellable)
{
  ParseJob *job = data;
  GError *error = NULL;
  MwObservations *observations;

  observations = job->src->reader->parse (job->src->provider, job->bodies, job->n_bodies, &error);
  if (observations == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, observations, (GDestroyNotify) mw_observations_unref);
}

static void
parse_pool_run (gpointer data,
                gpointer user_data)
{
  g_autoptr(GTask) task = data;

  parse_thread (task, g_task_get_source_object (task), g_task_get_task_data (task), NULL);
}

/* Parses run in a pool of one thread per processor rather than in GTask's
 * general pool: fifty pages polled at once would otherwise start up to a
 * dozen threads (each with its own malloc arena) that only contend for
 * the same few processors. GTask still delivers each result on the main
 * loop. */
static void
run_parse (GTask *task)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (parse_pool_run, NULL,
                                                 (int) MAX (g_get_num_processors (), 1),
                                                 FALSE, NULL));

  g_thread_pool_push (pool, g_object_ref (task), NULL);
}

static void
parse_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  MwMonitor *self = MW_MONITOR (object);
  ParseJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) observations = g_task_propagate_pointer (G_TASK (result), &error);

  source_apply (self, job->src, job->bodies, observations, error);
}

static void
source_round_finished (MwMonitor *self,
                       Source    *src)
{
  g_autoptr(GError) error = g_steal_pointer (&src->round_error);
  GBytes **bodies;
  gboolean unchanged = FALSE;
  g_autoptr(GTask) task = NULL;
  ParseJob *job;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* stopped: what we knew still holds */
      src->polling = FALSE;
      source_clear_round (src);
      source_done_for_checks (self, src);
      return;
    }

  if (error != NULL)
    {
      source_apply (self, src, NULL, NULL, error);
      return;
    }

  bodies = g_new0 (GBytes *, src->n_urls + 1);

  if (!source_take_bodies (src, bodies, &unchanged, &error))
    {
      source_apply (self, src, NULL, NULL, error);
      free_bodies (bodies, src->n_urls);
      return;
    }

  /* 304 everywhere: the page said nothing new, what we have holds */
  if (unchanged && src->observations != NULL && src->error == NULL)
    {
      source_apply (self, src, bodies, src->observations, NULL);
      free_bodies (bodies, src->n_urls);
      return;
    }

  if (bodies_size (bodies, src->n_urls) <= PARSE_IN_PLACE_MAX)
    {
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(MwObservations) observations = NULL;

      observations = src->reader->parse (src->provider, bodies, src->n_urls, &parse_error);
      source_apply (self, src, bodies, observations, parse_error);
      free_bodies (bodies, src->n_urls);
      return;
    }

  job = g_new0 (ParseJob, 1);
  job->monitor = self;
  job->src = src;
  job->bodies = bodies;
  job->n_bodies = src->n_urls;

  task = g_task_new (self, NULL, parse_done_cb, NULL);
  g_task_set_source_tag (task, source_round_finished);
  g_task_set_task_data (task, job, parse_job_free);
  run_parse (task);
}

typedef struct {
  MwMonitor *monitor;
  Source    *src;
  guint      index;
} UrlCall;

static void
url_fetched_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      data)
{
  UrlCall *call = data;
  g_autoptr(MwMonitor) self = call->monitor;
  Source *src = call->src;
  g_autoptr(GError) error = NULL;
  gint64 retry_after = -1;
  MwFetchResult *result;

  result = mw_fetcher_get_finish (MW_FETCHER (object), res, &retry_after, &error);
  src->results[call->index] = result;
  src->retry_after = MAX (src->retry_after, retry_after);

  /* the first URL's failure names the problem: the others are alike */
  if (error != NULL && src->round_error == NULL)
    src->round_error = g_steal_pointer (&error);

  g_free (call);

  if (--src->pending == 0)
    source_round_finished (self, src);
}

static void
poll_source (MwMonitor *self,
             Source    *src)
{
  g_clear_handle_id (&src->timer_id, g_source_remove);

  if (src->polling)
    return;  /* the poll in flight answers for this one too */

  if (!src->enabled || src->reader == NULL || src->n_urls == 0)
    {
      source_done_for_checks (self, src);
      return;
    }

  if (self->offline && !src->loopback)
    {
      source_set_offline (self, src);
      if (has_listeners (self))
        rebuild_snapshot (self);
      source_done_for_checks (self, src);
      return;
    }

  src->polling = TRUE;
  src->pending = src->n_urls;
  source_clear_round (src);
  src->results = g_new0 (MwFetchResult *, src->n_urls);

  for (guint i = 0; i < src->n_urls; i++)
    {
      UrlCall *call = g_new0 (UrlCall, 1);
      gboolean have = src->bodies[i] != NULL;

      call->monitor = g_object_ref (self);
      call->src = src;
      call->index = i;
      mw_fetcher_get_async (self->fetcher, src->urls[i],
                            have ? src->etags[i] : NULL,
                            have ? src->last_modified[i] : NULL,
                            self->cancellable, url_fetched_cb, call);
    }
}

static void
poll_all (MwMonitor *self)
{
  for (guint i = 0; i < self->sources->len; i++)
    poll_source (self, g_ptr_array_index (self->sources, i));
}

/* }}} */

/* Network and sleep {{{ */

static gboolean
settle_cb (gpointer data)
{
  MwMonitor *self = data;

  self->settle_id = 0;
  poll_all (self);

  return G_SOURCE_REMOVE;
}

static void
network_changed_cb (GNetworkMonitor *network,
                    gboolean         available,
                    MwMonitor       *self)
{
  if (!available)
    {
      if (self->offline)
        return;

      self->offline = TRUE;
      g_clear_handle_id (&self->settle_id, g_source_remove);
      for (guint i = 0; i < self->sources->len; i++)
        {
          Source *src = g_ptr_array_index (self->sources, i);

          if (src->loopback || src->reader == NULL || src->n_urls == 0)
            continue;
          g_clear_handle_id (&src->timer_id, g_source_remove);
          source_set_offline (self, src);
        }
      rebuild_snapshot (self);
      return;
    }

  if (self->offline)
    {
      self->offline = FALSE;
      self->dirty = TRUE;
    }

  /* Routes come and go in bursts when a link comes up: poll once, when
   * it has settled. */
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (NETWORK_SETTLE_MS, settle_cb, self);
}

static void
prepare_for_sleep_cb (GDBusConnection *connection,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         data)
{
  MwMonitor *self = data;
  gboolean going_to_sleep = TRUE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;

  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep && self->running)
    {
      g_clear_handle_id (&self->settle_id, g_source_remove);
      self->settle_id = g_timeout_add (NETWORK_SETTLE_MS, settle_cb, self);
    }
}

static void
system_bus_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      data)
{
  g_autoptr(MwMonitor) self = data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (res, &error);

  /* no system bus (a container, a test): resume is simply not noticed */
  if (bus == NULL)
    {
      g_debug ("no system bus, not watching for resume: %s", error->message);
      return;
    }

  if (!self->running || self->system_bus != NULL)
    {
      g_object_unref (bus);
      return;
    }

  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        prepare_for_sleep_cb, self, NULL);
}

/* }}} */

/* Prober {{{ */

static void
prober_changed_cb (MwProber   *prober,
                   const char *provider_id,
                   MwMonitor  *self)
{
  Source *src = find_source (self, provider_id);

  if (src == NULL)
    return;

  assess_source (self, src);
  if (has_listeners (self))
    rebuild_snapshot (self);
}

static gboolean
catalog_has_api (MwCatalog *catalog)
{
  for (guint i = 0; i < mw_catalog_get_n_providers (catalog); i++)
    if (mw_catalog_get_provider (catalog, i)->api != NULL)
      return TRUE;

  return FALSE;
}

static void
ensure_prober (MwMonitor *self)
{
  /* nothing to probe, no prober (it watches the network for itself) */
  if (self->prober != NULL || !self->probes_enabled || !catalog_has_api (self->catalog))
    return;

  self->prober = mw_prober_new (self->catalog, self->fetcher);
  if (self->prober == NULL)
    return;

  /* Probes keep their own, shorter default unless an interval was asked for. */
  if (self->interval_set)
    mw_prober_set_interval (self->prober, self->interval);
  if (self->once)
    mw_prober_set_damping (self->prober, FALSE);
  if (g_signal_lookup ("changed", MW_TYPE_PROBER) != 0)
    g_signal_connect_object (self->prober, "changed", G_CALLBACK (prober_changed_cb), self, 0);
}

/* }}} */

/* GObject {{{ */

static void
mw_monitor_dispose (GObject *object)
{
  MwMonitor *self = MW_MONITOR (object);

  mw_monitor_stop (self);
  g_clear_object (&self->prober);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->snapshot, mw_snapshot_unref);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mw_monitor_parent_class)->dispose (object);
}

static void
mw_monitor_finalize (GObject *object)
{
  MwMonitor *self = MW_MONITOR (object);

  g_clear_pointer (&self->catalog, mw_catalog_unref);

  G_OBJECT_CLASS (mw_monitor_parent_class)->finalize (object);
}

static void
mw_monitor_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MwMonitor *self = MW_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CHECKING:
      g_value_set_boolean (value, mw_monitor_get_checking (self));
      break;

    case PROP_SNAPSHOT:
      g_value_set_boxed (value, mw_monitor_get_snapshot (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_monitor_class_init (MwMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_monitor_dispose;
  object_class->finalize = mw_monitor_finalize;
  object_class->get_property = mw_monitor_get_property;

  /**
   * MwMonitor:checking:
   *
   * Whether a check asked for with mw_monitor_check_async() runs.
   */
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_SNAPSHOT] =
    g_param_spec_boxed ("snapshot", NULL, NULL, MW_TYPE_SNAPSHOT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MwMonitor::changed:
   * @snapshot: the new snapshot
   *
   * The snapshot differs from the previous one (times aside).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  MW_TYPE_SNAPSHOT | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MwMonitor::polled:
   * @provider_id: the provider whose page was polled
   * @snapshot: the snapshot after the poll
   *
   * A poll of one provider's page finished, whether or not it changed
   * anything; damping counts these.
   */
  signals[POLLED] =
    g_signal_new ("polled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  MW_TYPE_SNAPSHOT | G_SIGNAL_TYPE_STATIC_SCOPE);

  notify_signal = g_signal_lookup ("notify", G_TYPE_OBJECT);
}

static void
mw_monitor_init (MwMonitor *self)
{
  self->interval = MW_MONITOR_DEFAULT_INTERVAL;
  self->probes_enabled = TRUE;
  self->fetcher = mw_fetcher_new ();
  self->cancellable = g_cancellable_new ();
  self->sources = g_ptr_array_new_with_free_func (source_free);
}

/* }}} */

/* Public API {{{ */

MwMonitor *
mw_monitor_new (MwCatalog *catalog)
{
  MwMonitor *self;

  g_return_val_if_fail (catalog != NULL, NULL);

  self = g_object_new (MW_TYPE_MONITOR, NULL);
  self->catalog = mw_catalog_ref (catalog);

  for (guint i = 0; i < mw_catalog_get_n_providers (catalog); i++)
    {
      Source *src = source_new (self, mw_catalog_get_provider (catalog, i));

      g_ptr_array_add (self->sources, src);
      assess_source (self, src);
    }

  /* everything unknown: the state every later snapshot is a change from */
  rebuild_snapshot (self);

  return self;
}

MwCatalog *
mw_monitor_get_catalog (MwMonitor *self)
{
  g_return_val_if_fail (MW_IS_MONITOR (self), NULL);

  return self->catalog;
}

MwFetcher *
mw_monitor_get_fetcher (MwMonitor *self)
{
  g_return_val_if_fail (MW_IS_MONITOR (self), NULL);

  return self->fetcher;
}

/* transfer none; NULL while the catalog has nothing to probe */
MwProber *
mw_monitor_get_prober (MwMonitor *self)
{
  g_return_val_if_fail (MW_IS_MONITOR (self), NULL);

  return self->prober;
}

/**
 * mw_monitor_set_interval:
 * @seconds: seconds between two polls of a page; pages on non-loopback
 *   hosts are polled at most every %MW_MONITOR_MIN_INTERVAL seconds
 *
 * Takes effect from each page's next poll.
 */
void
mw_monitor_set_interval (MwMonitor *self,
                         guint      seconds)
{
  g_return_if_fail (MW_IS_MONITOR (self));

  self->interval = seconds > 0 ? seconds : MW_MONITOR_DEFAULT_INTERVAL;
  self->interval_set = seconds > 0;
  if (self->prober != NULL && self->interval_set)
    mw_prober_set_interval (self->prober, self->interval);
}

guint
mw_monitor_get_interval (MwMonitor *self)
{
  g_return_val_if_fail (MW_IS_MONITOR (self), 0);

  return self->interval;
}

void
mw_monitor_set_timeout (MwMonitor *self,
                        guint      seconds)
{
  g_return_if_fail (MW_IS_MONITOR (self));

  mw_fetcher_set_timeout (self->fetcher, seconds);
}

void
mw_monitor_set_probes_enabled (MwMonitor *self,
                               gboolean   enabled)
{
  g_return_if_fail (MW_IS_MONITOR (self));

  self->probes_enabled = !!enabled;
  if (!enabled && self->prober != NULL)
    {
      mw_prober_stop (self->prober);
      g_signal_handlers_disconnect_by_data (self->prober, self);
      g_clear_object (&self->prober);
      for (guint i = 0; i < self->sources->len; i++)
        assess_source (self, g_ptr_array_index (self->sources, i));
    }
}

void
mw_monitor_set_provider_filter (MwMonitor          *self,
                                const char * const *provider_ids)
{
  g_return_if_fail (MW_IS_MONITOR (self));

  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *src = g_ptr_array_index (self->sources, i);

      src->enabled = provider_ids == NULL ||
                     g_strv_contains (provider_ids, src->provider->id);
      if (!src->enabled)
        g_clear_handle_id (&src->timer_id, g_source_remove);
    }
}

void
mw_monitor_set_once (MwMonitor *self,
                     gboolean   once)
{
  g_return_if_fail (MW_IS_MONITOR (self));

  self->once = !!once;
  if (self->prober != NULL)
    mw_prober_set_damping (self->prober, !once);
}

/**
 * mw_monitor_start:
 *
 * Polls every page now and then on its schedule, watches the network
 * and resume from sleep, and starts the prober.
 */
void
mw_monitor_start (MwMonitor *self)
{
  g_return_if_fail (MW_IS_MONITOR (self));

  if (self->running)
    return;

  self->running = TRUE;

  self->network = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect (self->network, "network-changed", G_CALLBACK (network_changed_cb), self);
  self->offline = !g_network_monitor_get_network_available (self->network);

  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, g_object_ref (self));

  ensure_prober (self);
  if (self->prober != NULL)
    mw_prober_start (self->prober);

  /* Spread the first polls a little: fifty pages at the same instant is
   * the burst that jitter exists to avoid later on. */
  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *src = g_ptr_array_index (self->sources, i);

      if (self->offline && !src->loopback && src->reader != NULL && src->n_urls > 0)
        source_set_offline (self, src);
      else
        schedule (self, src, g_random_double_range (0.0, 0.5));
    }

  if (self->dirty)
    rebuild_snapshot (self);
}

void
mw_monitor_stop (MwMonitor *self)
{
  g_return_if_fail (MW_IS_MONITOR (self));

  self->running = FALSE;

  for (guint i = 0; self->sources != NULL && i < self->sources->len; i++)
    {
      Source *src = g_ptr_array_index (self->sources, i);

      g_clear_handle_id (&src->timer_id, g_source_remove);
    }

  g_clear_handle_id (&self->settle_id, g_source_remove);

  if (self->network != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->network, self);
      g_clear_object (&self->network);
    }

  if (self->system_bus != NULL)
    {
      g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
      self->sleep_subscription = 0;
      g_clear_object (&self->system_bus);
    }

  if (self->prober != NULL)
    mw_prober_stop (self->prober);

  /* Polls in flight end as "cancelled", which keeps what we knew. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
}

gboolean
mw_monitor_get_checking (MwMonitor *self)
{
  g_return_val_if_fail (MW_IS_MONITOR (self), FALSE);

  return self->checks != NULL;
}

/**
 * mw_monitor_get_snapshot:
 *
 * Returns: (transfer none): the current snapshot; never %NULL
 */
MwSnapshot *
mw_monitor_get_snapshot (MwMonitor *self)
{
  g_return_val_if_fail (MW_IS_MONITOR (self), NULL);

  if (self->snapshot == NULL || self->dirty)
    rebuild_snapshot (self);

  return self->snapshot;
}

static void
prober_check_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  MwMonitor *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mw_prober_check_finish (MW_PROBER (object), res, &error))
    g_debug ("probe check failed: %s", error->message);

  for (GList *l = self->checks; l != NULL; l = l->next)
    {
      Check *check = l->data;

      if (check->task == task)
        check->probes_pending = FALSE;
    }

  maybe_complete_checks (self);
}

/**
 * mw_monitor_check_async:
 *
 * Polls every page (and the probes) now, concurrently. A page that hangs
 * costs one request timeout, not one per page.
 */
void
mw_monitor_check_async (MwMonitor           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Check *check;
  gboolean was_checking;

  g_return_if_fail (MW_IS_MONITOR (self));

  check = g_new0 (Check, 1);
  check->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (check->task, mw_monitor_check_async);
  check->waiting = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *src = g_ptr_array_index (self->sources, i);

      if (src->enabled && src->reader != NULL && src->n_urls > 0)
        g_hash_table_add (check->waiting, src);
    }

  ensure_prober (self);
  check->probes_pending = self->prober != NULL;

  was_checking = self->checks != NULL;
  self->checks = g_list_append (self->checks, check);
  if (!was_checking)
    notify_checking (self);

  if (self->prober != NULL)
    mw_prober_check_async (self->prober, cancellable, prober_check_cb, g_object_ref (check->task));

  g_object_ref (self);
  poll_all (self);
  /* a catalog with nothing to poll completes at once */
  maybe_complete_checks (self);
  g_object_unref (self);
}

gboolean
mw_monitor_check_finish (MwMonitor     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */
