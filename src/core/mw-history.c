/* mw-history.c
 *
 * The local SQLite record. Small statements on a small file: they run on
 * the caller's thread and take microseconds; a busy timeout lets the
 * service and a `status --once` share the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "mw-history.h"

#define SCHEMA_VERSION 2

/* The newest watch session is taken as still running up to the end of a
 * query when it was seen this recently: the recorder notes it at most
 * once a minute, and pages are polled every two. */
#define SESSION_GRACE (5 * 60)

struct _MwHistory
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  sqlite3_stmt *insert_transition;  /* prepared once: one per row recorded */
};

G_DEFINE_FINAL_TYPE (MwHistory, mw_history, G_TYPE_OBJECT)

G_DEFINE_QUARK (mw-history-error-quark, mw_history_error)

static void
mw_history_finalize (GObject *object)
{
  MwHistory *self = MW_HISTORY (object);

  g_clear_pointer (&self->insert_transition, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (mw_history_parent_class)->finalize (object);
}

static void
mw_history_class_init (MwHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_history_finalize;
}

static void
mw_history_init (MwHistory *self)
{
}

/**
 * mw_history_default_path:
 *
 * Returns: (transfer full): `$XDG_STATE_HOME/modelwatch/history.db`
 */
char *
mw_history_default_path (void)
{
  const char *state = g_getenv ("XDG_STATE_HOME");

  /* GLib 2.74 has g_get_user_state_dir(), but it caches the variable at
   * first use; reading it here keeps tests that set it per case honest. */
  if (state != NULL && g_path_is_absolute (state))
    return g_build_filename (state, "modelwatch", "history.db", NULL);

  return g_build_filename (g_get_user_state_dir (), "modelwatch", "history.db", NULL);
}

/**
 * mw_history_day:
 * @at: (nullable): a time, or %NULL for now
 *
 * Returns: (transfer full): the UTC day of @at, "2026-06-05", the unit of
 * the daily probe budget
 */
char *
mw_history_day (GDateTime *at)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (at == NULL)
    at = now = g_date_time_new_now_utc ();

  utc = g_date_time_to_utc (at);
  return g_date_time_format (utc, "%Y-%m-%d");
}

static gboolean
set_query_error (MwHistory  *self,
                 GError    **error)
{
  g_set_error (error, MW_HISTORY_ERROR, MW_HISTORY_ERROR_QUERY,
               _("The history database %s could not be used: %s"),
               self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (MwHistory   *self,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_query_error (self, error);

  return TRUE;
}

static gboolean migrate_1 (MwHistory  *self,
                           GError    **error);

static gboolean
migrate (MwHistory  *self,
         GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return set_query_error (self, error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version >= SCHEMA_VERSION)
    return TRUE;

  if (version < 1 && !migrate_1 (self, error))
    return FALSE;

  /* A watch session runs from the service's first snapshot to the last
   * one it saw (noted as it polls, and when it stops cleanly). A state
   * lasts until the subject's next transition or the end of its session:
   * the time the service did not run is unknown, not "as last seen".
   * old_health is NULL for the first state of a session. Only snapshot
   * fields are stored. */
  if (!exec (self,
             "BEGIN IMMEDIATE;"
             "CREATE TABLE IF NOT EXISTS sessions ("
             "  id INTEGER PRIMARY KEY,"
             "  started_at INTEGER NOT NULL,"
             "  seen_at INTEGER NOT NULL);"
             "CREATE TABLE IF NOT EXISTS transitions ("
             "  at INTEGER NOT NULL,"
             "  session INTEGER NOT NULL,"
             "  subject TEXT NOT NULL,"
             "  kind TEXT NOT NULL CHECK (kind IN ('model', 'provider')),"
             "  old_health TEXT,"
             "  new_health TEXT NOT NULL,"
             "  reason TEXT,"
             "  source TEXT NOT NULL CHECK (source IN ('official', 'probe')));"
             "CREATE INDEX IF NOT EXISTS transitions_by_subject ON transitions (subject, at);"
             "CREATE INDEX IF NOT EXISTS transitions_by_time ON transitions (at);"
             "PRAGMA user_version = 2;"
             "COMMIT;", error))
    {
      exec (self, "ROLLBACK", NULL);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate_1 (MwHistory  *self,
           GError    **error)
{
  /* One row per model per UTC day: the generation probes spent. Tokens
   * and the cost estimate come from the answers' usage; no key, no
   * request or answer text is ever kept. */
  return exec (self,
               "BEGIN IMMEDIATE;"
               "CREATE TABLE IF NOT EXISTS probe_calls ("
               "  day TEXT NOT NULL,"
               "  model TEXT NOT NULL,"
               "  calls INTEGER NOT NULL DEFAULT 0,"
               "  input_tokens INTEGER NOT NULL DEFAULT 0,"
               "  output_tokens INTEGER NOT NULL DEFAULT 0,"
               "  cost_usd REAL NOT NULL DEFAULT 0,"
               "  last_at INTEGER NOT NULL DEFAULT 0,"
               "  PRIMARY KEY (day, model));"
               "PRAGMA user_version = 1;"
               "COMMIT;", error);
}

static MwHistory *
open_history (const char  *path,
              gboolean     create,
              GError     **error)
{
  g_autoptr(MwHistory) self = g_object_new (MW_TYPE_HISTORY, NULL);
  g_autofree char *dir = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
  int rc;

  self->path = path != NULL ? g_strdup (path) : mw_history_default_path ();
  dir = g_path_get_dirname (self->path);

  if (create)
    {
      flags |= SQLITE_OPEN_CREATE;
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, MW_HISTORY_ERROR, MW_HISTORY_ERROR_OPEN,
                       _("The history directory %s could not be created: %s"),
                       dir, g_strerror (saved_errno));
          return NULL;
        }
    }
  else if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, MW_HISTORY_ERROR, MW_HISTORY_ERROR_NOT_FOUND,
                   _("There is no history yet (%s does not exist)"), self->path);
      return NULL;
    }

  rc = sqlite3_open_v2 (self->path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MW_HISTORY_ERROR, MW_HISTORY_ERROR_OPEN,
                   _("The history database %s could not be opened: %s"),
                   self->path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  if (create)
    g_chmod (self->path, 0600);
  sqlite3_busy_timeout (self->db, 2000);

  /* Write-ahead logging, synced at checkpoints only: a snapshot's
   * transaction costs no fsync. Measured on 11-row snapshots: 17 ms each
   * with the default rollback journal, 4 ms with WAL, under 1 ms with
   * WAL and synchronous=NORMAL. A power cut may lose the last seconds of
   * history, never the file. The -wal and -shm files take the
   * database's mode. */
  exec (self, "PRAGMA journal_mode = WAL", NULL);
  exec (self, "PRAGMA synchronous = NORMAL", NULL);

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * mw_history_new:
 * @path: (nullable): the database file, or %NULL for the default
 * @error: a #GError
 *
 * Opens (creating it and its directory, mode 0700/0600, if needed) the
 * history database.
 *
 * Returns: (transfer full) (nullable): the history
 */
MwHistory *
mw_history_new (const char  *path,
                GError     **error)
{
  return open_history (path, TRUE, error);
}

/**
 * mw_history_open_existing:
 * @path: (nullable): the database file, or %NULL for the default
 * @error: a #GError
 *
 * Opens the history database only if it exists, for the commands that
 * only read it: they must not leave an empty database behind. Fails with
 * %MW_HISTORY_ERROR_NOT_FOUND when there is none.
 *
 * Returns: (transfer full) (nullable): the history
 */
MwHistory *
mw_history_open_existing (const char  *path,
                          GError     **error)
{
  return open_history (path, FALSE, error);
}

const char *
mw_history_get_path (MwHistory *self)
{
  g_return_val_if_fail (MW_IS_HISTORY (self), NULL);

  return self->path;
}

static gboolean
read_spend (MwHistory    *self,
            const char   *model_id,
            const char   *day,
            MwProbeSpend *spend,
            GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *spend = (MwProbeSpend) { 0 };

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT calls, input_tokens, output_tokens, cost_usd "
                          "FROM probe_calls WHERE day = ?1 AND model = ?2",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_query_error (self, error);

  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, model_id, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      spend->calls = (guint) sqlite3_column_int64 (stmt, 0);
      spend->input_tokens = (guint64) sqlite3_column_int64 (stmt, 1);
      spend->output_tokens = (guint64) sqlite3_column_int64 (stmt, 2);
      spend->cost_usd = sqlite3_column_double (stmt, 3);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_query_error (self, error);

  /* the spacing between calls crosses midnight */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT MAX(last_at) FROM probe_calls WHERE model = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_query_error (self, error);
  sqlite3_bind_text (stmt, 1, model_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    spend->last_at = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_query_error (self, error);

  return TRUE;
}

/**
 * mw_history_get_probe_spend:
 * @self: the history
 * @model_id: a global model id
 * @day: a UTC day from mw_history_day()
 * @spend: (out caller-allocates): what was spent; zeros when nothing
 * @error: a #GError
 */
gboolean
mw_history_get_probe_spend (MwHistory     *self,
                            const char    *model_id,
                            const char    *day,
                            MwProbeSpend  *spend,
                            GError       **error)
{
  g_return_val_if_fail (MW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (model_id != NULL && day != NULL && spend != NULL, FALSE);

  return read_spend (self, model_id, day, spend, error);
}

/**
 * mw_history_reserve_probe_call:
 * @self: the history
 * @model_id: a global model id
 * @day: a UTC day from mw_history_day()
 * @budget: the most calls the model may get that day
 * @now: the current unix time
 * @min_spacing: seconds that must separate two calls of the model
 * @spend: (out caller-allocates) (optional): the day's spend afterwards
 * @error: a #GError
 *
 * Counts one generation probe before it is sent, atomically against
 * other processes, so that a crash or a timeout still counts it. The
 * spacing spreads the budget over the day, also across processes (a
 * `status --once` run every minute does not spend it in an hour).
 *
 * Returns: %TRUE when the call was counted and may be sent; %FALSE with
 * no error when the budget is spent or the spacing has not elapsed
 * (@spend says which), or with @error when the database failed
 */
gboolean
mw_history_reserve_probe_call (MwHistory     *self,
                               const char    *model_id,
                               const char    *day,
                               guint          budget,
                               gint64         now,
                               guint          min_spacing,
                               MwProbeSpend  *spend,
                               GError       **error)
{
  MwProbeSpend local;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (MW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (model_id != NULL && day != NULL, FALSE);

  if (spend == NULL)
    spend = &local;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!read_spend (self, model_id, day, spend, error))
    goto fail;

  if (spend->calls >= budget ||
      (spend->last_at > 0 && now >= spend->last_at && now - spend->last_at < (gint64) min_spacing))
    {
      exec (self, "ROLLBACK", NULL);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO probe_calls (day, model, calls, last_at) VALUES (?1, ?2, 1, ?3) "
                          "ON CONFLICT (day, model) DO UPDATE SET calls = calls + 1, last_at = ?3",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_query_error (self, error);
      goto fail;
    }
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, model_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    {
      set_query_error (self, error);
      goto fail;
    }

  if (!exec (self, "COMMIT", error))
    goto fail;

  spend->calls++;
  spend->last_at = now;
  return TRUE;

fail:
  exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * mw_history_add_probe_usage:
 * @self: the history
 * @model_id: a global model id
 * @day: the UTC day the call was counted on
 * @input_tokens: tokens the answer reported as read
 * @output_tokens: tokens it reported as written (reasoning included)
 * @cost_usd: the estimate for this call
 * @error: a #GError
 *
 * Adds what a generation probe cost, once its answer is known.
 */
gboolean
mw_history_add_probe_usage (MwHistory   *self,
                            const char  *model_id,
                            const char  *day,
                            guint64      input_tokens,
                            guint64      output_tokens,
                            double       cost_usd,
                            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (MW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (model_id != NULL && day != NULL, FALSE);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO probe_calls (day, model, input_tokens, output_tokens, cost_usd) "
                          "VALUES (?1, ?2, ?3, ?4, ?5) "
                          "ON CONFLICT (day, model) DO UPDATE SET "
                          "input_tokens = input_tokens + ?3, output_tokens = output_tokens + ?4, "
                          "cost_usd = cost_usd + ?5",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_query_error (self, error);

  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, model_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) input_tokens);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) output_tokens);
  sqlite3_bind_double (stmt, 5, cost_usd);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);

  if (!ok)
    return set_query_error (self, error);

  return TRUE;
}

/* Transitions and uptime {{{ */

MwTransition *
mw_transition_new (const char    *subject,
                   MwHistoryKind  kind)
{
  MwTransition *transition = g_new0 (MwTransition, 1);

  transition->subject = g_strdup (subject);
  transition->kind = kind;
  transition->duration = -1;

  return transition;
}

void
mw_transition_free (MwTransition *transition)
{
  if (transition == NULL)
    return;

  g_free (transition->subject);
  g_free (transition->reason);
  g_free (transition);
}

void
mw_timeline_free (MwTimeline *timeline)
{
  if (timeline == NULL)
    return;

  g_free (timeline->subject);
  g_clear_pointer (&timeline->transitions, g_ptr_array_unref);
  g_free (timeline);
}

/**
 * mw_timeline_get_uptime:
 * @timeline: a timeline
 *
 * Returns: the percentage of the known time that was operational or
 * maintenance, or -1 when no time of the window is known
 */
double
mw_timeline_get_uptime (const MwTimeline *timeline)
{
  g_return_val_if_fail (timeline != NULL, -1);

  if (timeline->known_seconds <= 0)
    return -1;

  return 100.0 * (double) timeline->up_seconds / (double) timeline->known_seconds;
}

const char *
mw_history_kind_to_string (MwHistoryKind kind)
{
  return kind == MW_HISTORY_KIND_PROVIDER ? "provider" : "model";
}

const char *
mw_history_source_to_string (MwHistorySource source)
{
  return source == MW_HISTORY_SOURCE_PROBE ? "probe" : "official";
}

/**
 * mw_history_begin_session:
 * @self: the history
 * @now: the unix time of the first snapshot
 * @error: a #GError
 *
 * Starts a watch session: the states recorded in it last at most until
 * the session was last seen (mw_history_touch_session()).
 *
 * Returns: the session's id, or 0 with @error
 */
gint64
mw_history_begin_session (MwHistory  *self,
                          gint64      now,
                          GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (MW_IS_HISTORY (self), 0);

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO sessions (started_at, seen_at) VALUES (?1, ?1)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_query_error (self, error);
      return 0;
    }

  sqlite3_bind_int64 (stmt, 1, now);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);

  if (!ok)
    {
      set_query_error (self, error);
      return 0;
    }

  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
touch_session (MwHistory  *self,
               gint64      session,
               gint64      now,
               GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (self->db, "UPDATE sessions SET seen_at = MAX(seen_at, ?2) WHERE id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_query_error (self, error);

  sqlite3_bind_int64 (stmt, 1, session);
  sqlite3_bind_int64 (stmt, 2, now);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);

  if (!ok)
    return set_query_error (self, error);

  return TRUE;
}

/**
 * mw_history_touch_session:
 * @self: the history
 * @session: a session from mw_history_begin_session()
 * @now: the unix time the service last saw its sources
 * @error: a #GError
 *
 * Notes that @session was still watching at @now.
 */
gboolean
mw_history_touch_session (MwHistory  *self,
                          gint64      session,
                          gint64      now,
                          GError    **error)
{
  g_return_val_if_fail (MW_IS_HISTORY (self), FALSE);

  return touch_session (self, session, now, error);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/**
 * mw_history_record:
 * @self: the history
 * @session: a session from mw_history_begin_session()
 * @now: the unix time of the snapshot
 * @transitions: (element-type MwTransition): the changes it showed
 * @error: a #GError
 *
 * Writes @transitions and notes the session as seen at @now, in one
 * transaction with one prepared statement: a snapshot costs one commit.
 */
gboolean
mw_history_record (MwHistory  *self,
                   gint64      session,
                   gint64      now,
                   GPtrArray  *transitions,
                   GError    **error)
{
  g_return_val_if_fail (MW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (transitions != NULL, FALSE);

  if (self->insert_transition == NULL &&
      sqlite3_prepare_v3 (self->db,
                          "INSERT INTO transitions (at, session, subject, kind, old_health, new_health, reason, source) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->insert_transition, NULL) != SQLITE_OK)
    return set_query_error (self, error);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (guint i = 0; i < transitions->len; i++)
    {
      const MwTransition *t = g_ptr_array_index (transitions, i);
      sqlite3_stmt *stmt = self->insert_transition;
      int rc;

      sqlite3_bind_int64 (stmt, 1, t->at);
      sqlite3_bind_int64 (stmt, 2, session);
      sqlite3_bind_text (stmt, 3, t->subject, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, mw_history_kind_to_string (t->kind), -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 5, t->initial ? NULL : mw_health_to_string (t->old_health));
      sqlite3_bind_text (stmt, 6, mw_health_to_string (t->new_health), -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 7, t->reason);
      sqlite3_bind_text (stmt, 8, mw_history_source_to_string (t->source), -1, SQLITE_STATIC);

      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);

      if (rc != SQLITE_DONE)
        {
          set_query_error (self, error);
          goto fail;
        }
    }

  if (!touch_session (self, session, now, error))
    goto fail;

  if (!exec (self, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  exec (self, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * mw_history_prune:
 * @self: the history
 * @before: a unix time
 * @n_removed: (out) (optional): how many transitions were removed
 * @error: a #GError
 *
 * Removes the transitions and sessions older than @before, so that the
 * file does not grow without bound. The probe budget's rows are left to
 * their own table.
 */
gboolean
mw_history_prune (MwHistory  *self,
                  gint64      before,
                  guint      *n_removed,
                  GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  guint removed = 0;
  gboolean ok;

  g_return_val_if_fail (MW_IS_HISTORY (self), FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db, "DELETE FROM transitions WHERE at < ?1", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_query_error (self, error);
      goto fail;
    }
  sqlite3_bind_int64 (stmt, 1, before);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    {
      set_query_error (self, error);
      goto fail;
    }
  removed = (guint) sqlite3_changes (self->db);

  /* a session that still has a transition keeps its end */
  if (sqlite3_prepare_v2 (self->db,
                          "DELETE FROM sessions WHERE seen_at < ?1 AND "
                          "NOT EXISTS (SELECT 1 FROM transitions WHERE transitions.session = sessions.id)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_query_error (self, error);
      goto fail;
    }
  sqlite3_bind_int64 (stmt, 1, before);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    {
      set_query_error (self, error);
      goto fail;
    }

  if (!exec (self, "COMMIT", error))
    goto fail;

  if (n_removed != NULL)
    *n_removed = removed;

  return TRUE;

fail:
  exec (self, "ROLLBACK", NULL);
  return FALSE;
}

typedef struct {
  MwTransition *t;
  gint64        session;
  gint64        seen_at;
} Row;

static MwTransition *
transition_from_row (sqlite3_stmt *stmt)
{
  const char *kind = (const char *) sqlite3_column_text (stmt, 3);
  const char *old_health = (const char *) sqlite3_column_text (stmt, 4);
  const char *new_health = (const char *) sqlite3_column_text (stmt, 5);
  const char *reason = (const char *) sqlite3_column_text (stmt, 6);
  const char *source = (const char *) sqlite3_column_text (stmt, 7);
  MwTransition *t;

  t = mw_transition_new ((const char *) sqlite3_column_text (stmt, 2),
                         g_strcmp0 (kind, "provider") == 0 ? MW_HISTORY_KIND_PROVIDER : MW_HISTORY_KIND_MODEL);
  t->at = sqlite3_column_int64 (stmt, 0);
  t->initial = old_health == NULL;
  /* a word this version does not know reads as unknown */
  if (old_health == NULL || !mw_health_from_string (old_health, &t->old_health))
    t->old_health = MW_HEALTH_UNKNOWN;
  if (new_health == NULL || !mw_health_from_string (new_health, &t->new_health))
    t->new_health = MW_HEALTH_UNKNOWN;
  t->reason = g_strdup (reason);
  t->source = g_strcmp0 (source, "probe") == 0 ? MW_HISTORY_SOURCE_PROBE : MW_HISTORY_SOURCE_OFFICIAL;

  return t;
}

static gint64
clip_length (gint64 start,
             gint64 end,
             gint64 since,
             gint64 until)
{
  start = MAX (start, since);
  end = MIN (end, until);

  return end > start ? end - start : 0;
}

/* Walks one subject's rows (the last one before the window, then those
 * in it): each state lasts until the next row of the same session, or
 * the end of its session. */
static MwTimeline *
build_timeline (GArray *rows,
                gint64  since,
                gint64  until,
                gint64  newest_session,
                gint64  newest_seen_at)
{
  MwTimeline *timeline = g_new0 (MwTimeline, 1);
  Row *first = &g_array_index (rows, Row, 0);

  timeline->subject = g_strdup (first->t->subject);
  timeline->kind = first->t->kind;
  timeline->since = since;
  timeline->until = until;
  timeline->transitions = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_transition_free);

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      Row *next = i + 1 < rows->len ? &g_array_index (rows, Row, i + 1) : NULL;
      gint64 session_end = row->seen_at;
      gint64 end, length;

      /* the service that runs now is watching until now */
      if (row->session == newest_session && until - newest_seen_at <= SESSION_GRACE)
        session_end = MAX (session_end, until);

      end = next != NULL && next->session == row->session ? next->t->at : session_end;
      if (next != NULL)
        end = MIN (end, next->t->at);

      if (next != NULL && next->session == row->session)
        next->t->duration = next->t->at - row->t->at;

      length = clip_length (row->t->at, end, since, until);
      if (row->t->new_health != MW_HEALTH_UNKNOWN)
        timeline->known_seconds += length;
      if (row->t->new_health == MW_HEALTH_OPERATIONAL || row->t->new_health == MW_HEALTH_MAINTENANCE)
        timeline->up_seconds += length;

      if (row->t->at >= since && row->t->at <= until)
        g_ptr_array_add (timeline->transitions, g_steal_pointer (&row->t));
    }

  return timeline;
}

static void
clear_row (Row *row)
{
  g_clear_pointer (&row->t, mw_transition_free);
}

/**
 * mw_history_get_timelines:
 * @self: the history
 * @subject: (nullable): a global model id or a provider id, or %NULL for all
 * @since: the start of the window, unix time
 * @until: its end, unix time
 * @error: a #GError
 *
 * Reads what the history knows of @subject (or of every model and
 * provider it has seen) between @since and @until: the transitions and
 * the uptime. A subject the history has never seen has no timeline.
 *
 * Returns: (transfer full) (element-type MwTimeline) (nullable): the
 * timelines, sorted by subject, or %NULL with @error
 */
GPtrArray *
mw_history_get_timelines (MwHistory   *self,
                          const char  *subject,
                          gint64       since,
                          gint64       until,
                          GError     **error)
{
  g_autoptr(GPtrArray) timelines = NULL;
  g_autoptr(GPtrArray) subjects = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 newest_session = 0, newest_seen_at = 0;
  int rc;

  g_return_val_if_fail (MW_IS_HISTORY (self), NULL);

  timelines = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_timeline_free);
  subjects = g_ptr_array_new_with_free_func (g_free);

  /* one snapshot of the file for every statement below */
  if (!exec (self, "BEGIN", error))
    return NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT id, seen_at FROM sessions ORDER BY id DESC LIMIT 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      newest_session = sqlite3_column_int64 (stmt, 0);
      newest_seen_at = sqlite3_column_int64 (stmt, 1);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT DISTINCT subject FROM transitions "
                          "WHERE at <= ?1 AND (?2 IS NULL OR subject = ?2) ORDER BY subject",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, until);
  bind_text_or_null (stmt, 2, subject);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (subjects, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_DONE)
    goto fail;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT t.at, t.session, t.subject, t.kind, t.old_health, t.new_health, "
                          "       t.reason, t.source, COALESCE (s.seen_at, t.at) "
                          "FROM transitions t LEFT JOIN sessions s ON s.id = t.session "
                          "WHERE t.subject = ?1 AND t.at <= ?3 AND t.at >= "
                          "  (SELECT COALESCE (MAX (at), ?2) FROM transitions WHERE subject = ?1 AND at < ?2) "
                          "ORDER BY t.at, t.rowid",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;

  for (guint i = 0; i < subjects->len; i++)
    {
      g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));

      g_array_set_clear_func (rows, (GDestroyNotify) clear_row);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (subjects, i), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, since);
      sqlite3_bind_int64 (stmt, 3, until);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Row row = { 0 };

          row.t = transition_from_row (stmt);
          row.session = sqlite3_column_int64 (stmt, 1);
          row.seen_at = sqlite3_column_int64 (stmt, 8);
          g_array_append_val (rows, row);
        }
      if (rc != SQLITE_DONE)
        goto fail;

      if (rows->len > 0)
        g_ptr_array_add (timelines, build_timeline (rows, since, until, newest_session, newest_seen_at));
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  exec (self, "COMMIT", NULL);

  return g_steal_pointer (&timelines);

fail:
  set_query_error (self, error);
  g_clear_pointer (&stmt, sqlite3_finalize);
  exec (self, "ROLLBACK", NULL);
  return NULL;
}

/* }}} */
