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

#define SCHEMA_VERSION 1

struct _MwHistory
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (MwHistory, mw_history, G_TYPE_OBJECT)

G_DEFINE_QUARK (mw-history-error-quark, mw_history_error)

static void
mw_history_finalize (GObject *object)
{
  MwHistory *self = MW_HISTORY (object);

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
  g_autoptr(MwHistory) self = g_object_new (MW_TYPE_HISTORY, NULL);
  g_autofree char *dir = NULL;
  int rc;

  self->path = path != NULL ? g_strdup (path) : mw_history_default_path ();
  dir = g_path_get_dirname (self->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MW_HISTORY_ERROR, MW_HISTORY_ERROR_OPEN,
                   _("The history directory %s could not be created: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MW_HISTORY_ERROR, MW_HISTORY_ERROR_OPEN,
                   _("The history database %s could not be opened: %s"),
                   self->path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  g_chmod (self->path, 0600);
  sqlite3_busy_timeout (self->db, 2000);

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
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
