/* test-history.c
 *
 * The history: what the recorder writes from a sequence of snapshots
 * (initial states, one row per change, which signal made it), the uptime
 * arithmetic on known timelines (the 5 June 2026 Opus 4.7 outage), time
 * the service did not watch counted as unknown, pruning, the file's mode,
 * no key in the file, the probe budget's table kept across the schema
 * upgrade, and `modelwatch history` run as a process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "mw-history.h"
#include "mw-recorder.h"
#include "mw-test-server.h"

#define OPUS "anthropic/claude-opus-4-7"
#define SONNET "anthropic/claude-sonnet-4-6"
#define CANARY "sk-ant-canary-h1st0ry-0000000000000000"
#define OUTAGE_TITLE "Elevated errors on Claude Opus 4.7"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("mw-history-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "modelwatch", "history.db", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
unix_at (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static char *
iso_at (gint64 at)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (at);

  return g_date_time_format_iso8601 (dt);
}

/* A snapshot of Anthropic with Opus and Sonnet, as the service publishes
 * it. @reason NULL for none; @api is the provider's API probe. */
static MwSnapshot *
snapshot_new (gint64      at,
              const char *page,
              const char *api,
              const char *opus_official,
              const char *opus_probe,
              const char *reason)
{
  g_autofree char *checked_at = iso_at (at);
  g_autofree char *reason_json = reason != NULL ? g_strdup_printf ("\"%s\"", reason) : g_strdup ("null");
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  MwHealth official, probe, opus, provider, page_health, api_health;
  MwSnapshot *snapshot;

  g_assert_true (mw_health_from_string (page, &page_health));
  g_assert_true (mw_health_from_string (api, &api_health));
  g_assert_true (mw_health_from_string (opus_official, &official));
  g_assert_true (mw_health_from_string (opus_probe, &probe));
  opus = mw_health_worst (official, probe);
  provider = mw_health_worst (mw_health_worst (page_health, api_health), opus);

  json = g_strdup_printf (
    "{\"checked_at\": \"%s\", \"offline\": false, \"health\": \"%s\","
    " \"providers\": [{\"id\": \"anthropic\", \"name\": \"Anthropic\", \"health\": \"%s\","
    "   \"status_page\": {\"url\": \"https://status.claude.com\", \"health\": \"%s\","
    "                     \"description\": \"%s\", \"fetched_at\": \"%s\", \"error\": null},"
    "   \"components\": [], \"incidents\": [],"
    "   \"probe\": {\"health\": \"%s\", \"latency_ms\": 180, \"checked_at\": \"%s\", \"error\": null},"
    "   \"models\": ["
    "     {\"id\": \"" OPUS "\", \"name\": \"Claude Opus 4.7\", \"health\": \"%s\", \"since\": null,"
    "      \"reason\": %s, \"signals\": {\"official\": \"%s\", \"probe\": \"%s\"}, \"fallback\": null},"
    "     {\"id\": \"" SONNET "\", \"name\": \"Claude Sonnet 4.6\", \"health\": \"operational\","
    "      \"since\": null, \"reason\": null,"
    "      \"signals\": {\"official\": \"operational\", \"probe\": \"%s\"}, \"fallback\": null}]}]}",
    checked_at, mw_health_to_string (provider), mw_health_to_string (provider),
    page, page_health == MW_HEALTH_OPERATIONAL ? "All Systems Operational" : "Major Service Outage",
    checked_at, api, checked_at,
    mw_health_to_string (opus), reason_json, opus_official, opus_probe, api);

  snapshot = mw_snapshot_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static void
record (MwRecorder *recorder,
        gint64      at,
        const char *page,
        const char *opus_official,
        const char *reason)
{
  /* no data at all: the probes do not answer either */
  const char *probe = g_str_equal (opus_official, "unknown") ? "unknown" : "operational";
  g_autoptr(MwSnapshot) snapshot = snapshot_new (at, page, probe, opus_official, probe, reason);
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_recorder_record (recorder, snapshot, &error));
  g_assert_no_error (error);
}

static MwTimeline *
find_timeline (GPtrArray  *timelines,
               const char *subject)
{
  for (guint i = 0; i < timelines->len; i++)
    {
      MwTimeline *timeline = g_ptr_array_index (timelines, i);

      if (g_str_equal (timeline->subject, subject))
        return timeline;
    }

  g_assert_not_reached ();
}

static GPtrArray *
timelines_between (MwHistory  *history,
                   const char *subject,
                   const char *since,
                   const char *until)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *timelines = mw_history_get_timelines (history, subject, unix_at (since), unix_at (until), &error);

  g_assert_no_error (error);
  g_assert_nonnull (timelines);
  return timelines;
}

static MwTransition *
transition (GPtrArray *transitions,
            guint      index)
{
  g_assert_cmpuint (index, <, transitions->len);
  return g_ptr_array_index (transitions, index);
}

/* The diff: first snapshot = every initial state; then one row per
 * subject that changed, with the signal that changed it. */
static void
test_diff (void)
{
  g_autoptr(MwSnapshot) first = snapshot_new (unix_at ("2026-06-05T15:00:00Z"), "operational",
                                               "operational", "operational", "operational", NULL);
  g_autoptr(MwSnapshot) outage = snapshot_new (unix_at ("2026-06-05T15:08:00Z"), "major_outage",
                                               "operational", "major_outage", "operational", OUTAGE_TITLE);
  g_autoptr(MwSnapshot) probe_down = snapshot_new (unix_at ("2026-06-05T15:10:00Z"), "major_outage",
                                                   "operational", "major_outage", "major_outage", OUTAGE_TITLE);
  g_autoptr(MwSnapshot) api_down = snapshot_new (unix_at ("2026-06-05T15:12:00Z"), "operational",
                                                 "partial_outage", "operational", "operational", NULL);
  g_autoptr(GPtrArray) initial = mw_recorder_diff (NULL, first);
  g_autoptr(GPtrArray) changes = mw_recorder_diff (first, outage);
  g_autoptr(GPtrArray) same = mw_recorder_diff (outage, probe_down);
  g_autoptr(GPtrArray) by_probe = mw_recorder_diff (first, api_down);
  MwTransition *t;

  /* the provider, Opus and Sonnet, all as initial states */
  g_assert_cmpuint (initial->len, ==, 3);
  for (guint i = 0; i < initial->len; i++)
    {
      t = transition (initial, i);
      g_assert_true (t->initial);
      g_assert_cmpint (t->new_health, ==, MW_HEALTH_OPERATIONAL);
      g_assert_cmpint (t->at, ==, unix_at ("2026-06-05T15:00:00Z"));
    }
  g_assert_cmpstr (transition (initial, 0)->subject, ==, "anthropic");
  g_assert_cmpint (transition (initial, 0)->kind, ==, MW_HISTORY_KIND_PROVIDER);
  g_assert_cmpstr (transition (initial, 1)->subject, ==, OPUS);
  g_assert_cmpint (transition (initial, 1)->kind, ==, MW_HISTORY_KIND_MODEL);

  /* the provider and Opus changed; Sonnet did not */
  g_assert_cmpuint (changes->len, ==, 2);
  t = transition (changes, 1);
  g_assert_cmpstr (t->subject, ==, OPUS);
  g_assert_false (t->initial);
  g_assert_cmpint (t->old_health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (t->new_health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (t->source, ==, MW_HISTORY_SOURCE_OFFICIAL);
  g_assert_cmpstr (t->reason, ==, OUTAGE_TITLE);
  t = transition (changes, 0);
  g_assert_cmpstr (t->subject, ==, "anthropic");
  g_assert_cmpint (t->source, ==, MW_HISTORY_SOURCE_OFFICIAL);
  g_assert_cmpstr (t->reason, ==, "Major Service Outage");

  /* the probe agreeing changes no health: nothing to record */
  g_assert_cmpuint (same->len, ==, 0);

  /* only the API probe changed: the provider's row says so */
  g_assert_cmpuint (by_probe->len, ==, 1);
  t = transition (by_probe, 0);
  g_assert_cmpstr (t->subject, ==, "anthropic");
  g_assert_cmpint (t->new_health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpint (t->source, ==, MW_HISTORY_SOURCE_PROBE);
}

/* The 5 June 2026 outage: Opus 4.7 down 15:08–17:12 UTC. Over the 24 h
 * that end at 17:30 it was up 1316 of 1440 minutes: 91.39 %. */
static void
test_outage_uptime (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwHistory) history = mw_history_new (f->path, &error);
  g_autoptr(MwRecorder) recorder = NULL;
  g_autoptr(GPtrArray) day = NULL;
  g_autoptr(GPtrArray) late = NULL;
  g_autofree char *shown = NULL;
  MwTimeline *opus, *sonnet;
  MwTransition *t;

  g_assert_no_error (error);
  recorder = mw_recorder_new (NULL, history);

  record (recorder, unix_at ("2026-06-04T17:30:00Z"), "operational", "operational", NULL);
  record (recorder, unix_at ("2026-06-05T15:08:00Z"), "major_outage", "major_outage", OUTAGE_TITLE);
  record (recorder, unix_at ("2026-06-05T17:12:00Z"), "operational", "operational", NULL);
  /* a later poll that changed nothing: the session was still watching */
  record (recorder, unix_at ("2026-06-05T17:30:00Z"), "operational", "operational", NULL);

  day = timelines_between (history, NULL, "2026-06-04T17:30:00Z", "2026-06-05T17:30:00Z");
  g_assert_cmpuint (day->len, ==, 3);
  /* sorted by subject */
  g_assert_cmpstr (((MwTimeline *) g_ptr_array_index (day, 0))->subject, ==, "anthropic");

  opus = find_timeline (day, OPUS);
  g_assert_nonnull (opus);
  g_assert_cmpint (opus->kind, ==, MW_HISTORY_KIND_MODEL);
  g_assert_cmpint (opus->known_seconds, ==, 86400);
  g_assert_cmpint (opus->up_seconds, ==, 86400 - 124 * 60);
  g_assert_cmpfloat_with_epsilon (mw_timeline_get_uptime (opus), 91.3889, 0.0001);
  shown = g_strdup_printf ("%.2f", mw_timeline_get_uptime (opus));
  g_assert_cmpstr (shown, ==, "91.39");

  g_assert_cmpuint (opus->transitions->len, ==, 3);
  g_assert_true (transition (opus->transitions, 0)->initial);
  t = transition (opus->transitions, 1);
  g_assert_cmpint (t->at, ==, unix_at ("2026-06-05T15:08:00Z"));
  g_assert_cmpint (t->new_health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpstr (t->reason, ==, OUTAGE_TITLE);
  t = transition (opus->transitions, 2);
  g_assert_cmpint (t->old_health, ==, MW_HEALTH_MAJOR_OUTAGE);
  g_assert_cmpint (t->new_health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (t->duration, ==, 2 * 3600 + 4 * 60);

  sonnet = find_timeline (day, SONNET);
  g_assert_nonnull (sonnet);
  g_assert_cmpfloat (mw_timeline_get_uptime (sonnet), ==, 100.0);
  g_assert_cmpuint (sonnet->transitions->len, ==, 1);

  /* A window that opens during the outage starts from the state before
   * it: down 16:00–17:12, up 17:12–17:30, 18 of 90 minutes. */
  late = timelines_between (history, OPUS, "2026-06-05T16:00:00Z", "2026-06-05T17:30:00Z");
  g_assert_cmpuint (late->len, ==, 1);
  opus = g_ptr_array_index (late, 0);
  g_assert_cmpint (opus->known_seconds, ==, 90 * 60);
  g_assert_cmpfloat_with_epsilon (mw_timeline_get_uptime (opus), 20.0, 0.0001);
  g_assert_cmpuint (opus->transitions->len, ==, 1);
  /* the duration still counts from the start of the outage */
  g_assert_cmpint (transition (opus->transitions, 0)->duration, ==, 124 * 60);
}

/* Time the service did not run, and time with unknown health, are
 * left out of the uptime, not taken as the last state seen. (Recent
 * days: a recorder prunes what is older than 90 days when it starts.) */
static void
test_unknown_excluded (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwHistory) history = mw_history_new (f->path, &error);
  g_autoptr(GPtrArray) timelines = NULL;
  g_autoptr(GPtrArray) none = NULL;
  gint64 day = (g_get_real_time () / G_USEC_PER_SEC / 86400 - 2) * 86400;
  MwRecorder *recorder;
  MwTimeline *opus;

  g_assert_no_error (error);

  /* first run: 00:00–06:00, Opus down 04:00–06:00, then stopped */
  recorder = mw_recorder_new (NULL, history);
  record (recorder, day, "operational", "operational", NULL);
  record (recorder, day + 4 * 3600, "major_outage", "major_outage", OUTAGE_TITLE);
  record (recorder, day + 6 * 3600, "major_outage", "major_outage", OUTAGE_TITLE);
  g_object_unref (recorder);

  /* second run from 12:00: operational, its page unreadable 18:00–20:00 */
  recorder = mw_recorder_new (NULL, history);
  record (recorder, day + 12 * 3600, "operational", "operational", NULL);
  record (recorder, day + 18 * 3600, "unknown", "unknown", NULL);
  record (recorder, day + 20 * 3600, "operational", "operational", NULL);
  record (recorder, day + 24 * 3600, "operational", "operational", NULL);
  g_object_unref (recorder);

  timelines = mw_history_get_timelines (history, OPUS, day, day + 86400, &error);
  g_assert_no_error (error);
  opus = find_timeline (timelines, OPUS);
  /* known: 6 h of the first run + 12 h of the second minus 2 h unknown */
  g_assert_cmpint (opus->known_seconds, ==, 16 * 3600);
  g_assert_cmpint (opus->up_seconds, ==, 14 * 3600);
  g_assert_cmpfloat_with_epsilon (mw_timeline_get_uptime (opus), 87.5, 0.0001);
  /* the second run starts with its initial state, not a change */
  g_assert_cmpuint (opus->transitions->len, ==, 5);
  g_assert_true (transition (opus->transitions, 2)->initial);
  g_assert_cmpint (transition (opus->transitions, 2)->duration, ==, -1);
  g_assert_cmpint (transition (opus->transitions, 3)->new_health, ==, MW_HEALTH_UNKNOWN);

  /* a subject the history never saw has no timeline */
  none = mw_history_get_timelines (history, "anthropic/claude-nothing", day, day + 86400, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static guint
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* Rows older than 90 days go when a recorder starts. */
static void
test_prune (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwHistory) history = mw_history_new (f->path, &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(MwSnapshot) first = snapshot_new (now - 100 * 86400, "operational", "operational",
                                               "operational", "operational", NULL);
  g_autoptr(MwSnapshot) outage = snapshot_new (now - 95 * 86400, "major_outage", "operational",
                                                "major_outage", "operational", OUTAGE_TITLE);
  g_autoptr(MwSnapshot) recent = snapshot_new (now - 10 * 86400, "operational", "operational",
                                                "operational", "operational", NULL);
  g_autoptr(GPtrArray) old = mw_recorder_diff (NULL, first);
  g_autoptr(GPtrArray) changes = mw_recorder_diff (first, outage);
  g_autoptr(GPtrArray) later = mw_recorder_diff (NULL, recent);
  MwRecorder *recorder;
  gint64 session;
  guint removed = 0;

  g_assert_no_error (error);

  /* two past runs of the service, written as their recorders did */
  session = mw_history_begin_session (history, now - 100 * 86400, &error);
  g_assert_no_error (error);
  g_assert_true (mw_history_record (history, session, now - 100 * 86400, old, &error));
  g_assert_true (mw_history_record (history, session, now - 95 * 86400, changes, &error));
  session = mw_history_begin_session (history, now - 10 * 86400, &error);
  g_assert_true (mw_history_record (history, session, now - 10 * 86400, later, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count_rows (f->path, "SELECT COUNT(*) FROM transitions"), ==, 8);
  g_assert_cmpuint (count_rows (f->path, "SELECT COUNT(*) FROM sessions"), ==, 2);

  /* starting the service prunes */
  recorder = mw_recorder_new (NULL, history);
  g_object_unref (recorder);
  g_assert_cmpuint (count_rows (f->path, "SELECT COUNT(*) FROM transitions"), ==, 3);
  g_assert_cmpuint (count_rows (f->path, "SELECT COUNT(*) FROM transitions "
                                         "WHERE at < strftime('%s', 'now') - 90 * 86400"), ==, 0);
  g_assert_cmpuint (count_rows (f->path, "SELECT COUNT(*) FROM sessions"), ==, 1);

  /* and the function says how much it removed */
  g_assert_true (mw_history_prune (history, now, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 3);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &bytes, &len, NULL))
    return FALSE;

  for (gsize i = 0, n = strlen (needle); i + n <= len; i++)
    if (memcmp (bytes + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

/* Mode 0600, and no key in any of the database's files even with one
 * in the environment. */
static void
test_file_mode_and_no_key (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwHistory) history = NULL;
  g_autoptr(MwRecorder) recorder = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gboolean found_reason = FALSE;
  guint n_files = 0;
  struct stat st;

  g_setenv ("ANTHROPIC_API_KEY", CANARY, TRUE);

  history = mw_history_new (f->path, &error);
  g_assert_no_error (error);
  recorder = mw_recorder_new (NULL, history);
  record (recorder, unix_at ("2026-06-05T15:00:00Z"), "operational", "operational", NULL);
  record (recorder, unix_at ("2026-06-05T15:08:00Z"), "major_outage", "major_outage", OUTAGE_TITLE);

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_false (file_contains (path, CANARY));
      found_reason |= file_contains (path, OUTAGE_TITLE);
      n_files++;
      /* journal files too: nobody else may read them */
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0077, ==, 0);
    }
  /* the reading works: what was recorded is in there; and the journal
   * files (write-ahead log) were among those checked */
  g_assert_true (found_reason);
  g_assert_cmpuint (n_files, ==, 3);

  g_unsetenv ("ANTHROPIC_API_KEY");
}

/* A version-1 file (the probe budget only) gains the new tables and
 * keeps what it counted. */
static void
test_upgrade_keeps_budget (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwHistory) history = NULL;
  g_autoptr(MwRecorder) recorder = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  MwProbeSpend spend;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE probe_calls (day TEXT NOT NULL, model TEXT NOT NULL,"
                                 " calls INTEGER NOT NULL DEFAULT 0, input_tokens INTEGER NOT NULL DEFAULT 0,"
                                 " output_tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL NOT NULL DEFAULT 0,"
                                 " last_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, model));"
                                 "INSERT INTO probe_calls VALUES ('2026-06-05', '" OPUS "', 7, 70, 7, 0.5, 1000);"
                                 "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = mw_history_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (mw_history_get_probe_spend (history, OPUS, "2026-06-05", &spend, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spend.calls, ==, 7);
  g_assert_cmpint (spend.last_at, ==, 1000);

  recorder = mw_recorder_new (NULL, history);
  record (recorder, unix_at ("2026-06-05T15:00:00Z"), "operational", "operational", NULL);
  g_assert_cmpuint (count_rows (f->path, "SELECT COUNT(*) FROM transitions"), ==, 3);
  g_assert_cmpuint (count_rows (f->path, "PRAGMA user_version"), ==, 2);
}

typedef struct {
  gboolean done;
  GError  *error;
} Wait;

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Wait *wait = data;

  mw_monitor_check_finish (MW_MONITOR (object), result, &wait->error);
  wait->done = TRUE;
}

static void
check (MwMonitor *monitor)
{
  Wait wait = { 0 };

  mw_monitor_check_async (monitor, NULL, check_cb, &wait);
  g_assert_true (mw_test_wait_until (&wait.done, 20000));
  g_assert_no_error (wait.error);
}

/* Through a real monitor: its "changed" signal records the first
 * states, and a page that breaks records the change to unknown, with
 * the page's error as the reason. */
static void
test_monitor (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(MwTestServer) server = mw_test_server_new ();
  g_autofree char *url = mw_test_server_url (server, "/alpha");
  g_autofree char *json = g_strdup_printf (
    "{\"version\": 1, \"providers\": [{\"id\": \"alpha\", \"name\": \"Alpha\","
    " \"status_page\": {\"url\": \"%s\", \"platform\": \"statuspage\"},"
    " \"components\": {\"api\": \"k8w3r06qmzrp\"},"
    " \"models\": [{\"id\": \"model\", \"name\": \"Model\", \"components\": [\"k8w3r06qmzrp\"]}]}]}",
    url);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCatalog) catalog = mw_catalog_new_from_data (json, -1, "test-catalog.json", &error);
  g_autoptr(MwHistory) history = NULL;
  g_autoptr(MwMonitor) monitor = NULL;
  g_autoptr(MwRecorder) recorder = NULL;
  g_autoptr(GPtrArray) timelines = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const MwModelState *model;
  MwTimeline *timeline;
  MwTransition *t;

  g_assert_no_error (error);
  history = mw_history_new (f->path, &error);
  g_assert_no_error (error);

  mw_test_server_set_fixture (server, "/alpha/api/v2/summary.json", "statuspage-anthropic-summary.json");
  monitor = mw_monitor_new (catalog);
  mw_monitor_set_probes_enabled (monitor, FALSE);
  recorder = mw_recorder_new (monitor, history);

  check (monitor);
  model = mw_snapshot_find_model (mw_monitor_get_snapshot (monitor), "alpha/model");
  g_assert_nonnull (model);
  g_assert_cmpint (model->health, !=, MW_HEALTH_UNKNOWN);

  timelines = mw_history_get_timelines (history, "alpha/model", now - 60, now + 60, &error);
  g_assert_no_error (error);
  timeline = find_timeline (timelines, "alpha/model");
  g_assert_cmpuint (timeline->transitions->len, ==, 1);
  t = transition (timeline->transitions, 0);
  g_assert_true (t->initial);
  g_assert_cmpint (t->new_health, ==, model->health);
  g_clear_pointer (&timelines, g_ptr_array_unref);

  /* the page breaks: the model is unknown, and the history says why */
  mw_test_server_set_body (server, "/alpha/api/v2/summary.json", 500, "text/plain", "oops", -1);
  check (monitor);
  model = mw_snapshot_find_model (mw_monitor_get_snapshot (monitor), "alpha/model");
  g_assert_cmpint (model->health, ==, MW_HEALTH_UNKNOWN);

  timelines = mw_history_get_timelines (history, NULL, now - 60, now + 60, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timelines->len, ==, 2);
  timeline = find_timeline (timelines, "alpha/model");
  g_assert_cmpuint (timeline->transitions->len, ==, 2);
  t = transition (timeline->transitions, 1);
  g_assert_false (t->initial);
  g_assert_cmpint (t->new_health, ==, MW_HEALTH_UNKNOWN);
  g_assert_cmpint (t->source, ==, MW_HISTORY_SOURCE_OFFICIAL);
  g_assert_nonnull (t->reason);
  g_assert_cmpstr (find_timeline (timelines, "alpha")->subject, ==, "alpha");

  /* what the service uses: the default file under $XDG_STATE_HOME */
  {
    g_autofree char *state = g_build_filename (f->dir, "state", NULL);
    g_autofree char *file = g_build_filename (state, "modelwatch", "history.db", NULL);
    g_autoptr(MwRecorder) service = NULL;

    g_setenv ("XDG_STATE_HOME", state, TRUE);
    service = mw_recorder_new_default (monitor);
    g_assert_nonnull (service);
    g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
    g_unsetenv ("XDG_STATE_HOME");
  }
}

/* The command line {{{ */

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
run_history (Run                *run,
             const char         *state,
             const char         *tz,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("MODELWATCH_BIN");
  g_autofree char *home = g_build_filename (state, "home", NULL);
  char *env[] = {
    g_strdup_printf ("HOME=%s", home),
    g_strdup_printf ("XDG_STATE_HOME=%s", state),
    g_strdup_printf ("XDG_CONFIG_HOME=%s/config", home),
    g_strdup_printf ("XDG_DATA_HOME=%s/data", home),
    g_strdup_printf ("XDG_CACHE_HOME=%s/cache", home),
    g_strdup ("DBUS_SESSION_BUS_ADDRESS=disabled:"),
    g_strdup_printf ("TZ=%s", tz),
    g_strdup ("LC_ALL=C.UTF-8"),
    g_strdup ("G_DEBUG=fatal-criticals"),
    g_strdup ("PATH=/usr/bin:/bin"),
    NULL
  };

  g_assert_nonnull (bin);
  g_subprocess_launcher_set_environ (launcher, env);
  mw_test_launcher_pass_sanitizers (launcher);
  for (guint i = 0; env[i] != NULL; i++)
    g_free (env[i]);

  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "history");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);

  if (g_test_verbose ())
    g_printerr ("exit %d\n--- stdout\n%s--- stderr\n%s", run->status, run->out, run->err);

  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "WARNING"));
}

#define HISTORY(run, state, tz, ...) G_STMT_START { \
  const char *args_[] = { __VA_ARGS__, NULL }; \
  run_history (run, state, tz, args_); \
} G_STMT_END

static void
assert_one_line (const char *text)
{
  const char *newline = strchr (text, '\n');

  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
}

static char *
local_minute (gint64      at,
              const char *offset)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (offset);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* Opus watched from three days ago, down from 5 h ago to 3 h ago, the
 * service still running (its session seen now). */
static gint64
write_recent_history (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwHistory) history = mw_history_new (path, &error);
  g_autoptr(MwRecorder) recorder = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_no_error (error);
  recorder = mw_recorder_new (NULL, history);
  record (recorder, now - 3 * 86400, "operational", "operational", NULL);
  record (recorder, now - 5 * 3600, "major_outage", "major_outage", OUTAGE_TITLE);
  record (recorder, now - 3 * 3600, "operational", "operational", NULL);
  record (recorder, now, "operational", "operational", NULL);

  return now;
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, "modelwatch", "history.db", NULL);
  g_autofree char *up_at = NULL;
  g_autofree char *down_at = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) since = NULL;
  JsonObject *root, *model = NULL;
  JsonArray *models, *transitions;
  Run run = { 0 };
  gint64 now;

  /* no database: say so, and do not create one */
  HISTORY (&run, f->dir, "UTC", OPUS, "--json");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no history yet"));
  assert_one_line (run.err);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  run_clear (&run);

  now = write_recent_history (db);

  /* the table, in local time (UTC+05:00 here) */
  HISTORY (&run, f->dir, "XYZ-05:00", OPUS);
  g_assert_cmpint (run.status, ==, 0);
  down_at = local_minute (now - 5 * 3600, "+05:00");
  up_at = local_minute (now - 3 * 3600, "+05:00");
  g_assert_nonnull (strstr (run.out, down_at));
  g_assert_nonnull (strstr (run.out, up_at));
  g_assert_nonnull (strstr (run.out, OPUS "  operational → major_outage"));
  g_assert_nonnull (strstr (run.out, OUTAGE_TITLE));
  g_assert_nonnull (strstr (run.out, "major_outage → operational  (down 2 h 00 min)"));
  g_assert_nonnull (strstr (run.out, "(last 24h)"));
  g_assert_nonnull (strstr (run.out, "Uptime"));
  g_assert_nonnull (strstr (run.out, "91.67 %"));
  /* one model asked for: no other */
  g_assert_null (strstr (run.out, SONNET));
  /* the initial state three days ago is outside the default 24 h */
  g_assert_null (strstr (run.out, "started as"));
  run_clear (&run);

  /* without MODEL: every model and provider */
  HISTORY (&run, f->dir, "UTC", "--since", "7d");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, SONNET));
  g_assert_nonnull (strstr (run.out, "anthropic "));
  g_assert_nonnull (strstr (run.out, "started as operational"));
  g_assert_nonnull (strstr (run.out, "(last 7d)"));
  /* watched for 3 of the 7 days */
  g_assert_nonnull (strstr (run.out, "known 3 d 00 h, unknown "));
  run_clear (&run);

  /* --json */
  HISTORY (&run, f->dir, "UTC", OPUS, "--json");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  since = g_date_time_new_from_iso8601 (json_object_get_string_member (root, "since"), NULL);
  g_assert_nonnull (since);
  g_assert_cmpint (now - 86400 - g_date_time_to_unix (since), <=, 0);
  g_assert_cmpint (now - 86400 - g_date_time_to_unix (since), >, -60);
  models = json_object_get_array_member (root, "models");
  g_assert_cmpuint (json_array_get_length (models), ==, 1);
  model = json_array_get_object_element (models, 0);
  g_assert_cmpstr (json_object_get_string_member (model, "id"), ==, OPUS);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (model, "uptime"), 91.67, 0.001);
  g_assert_cmpint (json_object_get_int_member (model, "known_seconds"), ==, 86400);
  transitions = json_object_get_array_member (model, "transitions");
  g_assert_cmpuint (json_array_get_length (transitions), ==, 2);
  {
    JsonObject *t = json_array_get_object_element (transitions, 0);
    g_autofree char *at = iso_at (now - 5 * 3600);

    g_assert_cmpstr (json_object_get_string_member (t, "at"), ==, at);
    g_assert_cmpstr (json_object_get_string_member (t, "from"), ==, "operational");
    g_assert_cmpstr (json_object_get_string_member (t, "to"), ==, "major_outage");
    g_assert_cmpstr (json_object_get_string_member (t, "reason"), ==, OUTAGE_TITLE);
    g_assert_cmpstr (json_object_get_string_member (t, "source"), ==, "official");
    t = json_array_get_object_element (transitions, 1);
    g_assert_cmpstr (json_object_get_string_member (t, "to"), ==, "operational");
    g_assert_true (json_object_get_null_member (t, "reason"));
  }
  run_clear (&run);

  /* --since 4h: only the recovery; down 1 h of 4 */
  HISTORY (&run, f->dir, "UTC", OPUS, "--since", "4h", "--json");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  model = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "models"), 0);
  transitions = json_object_get_array_member (model, "transitions");
  g_assert_cmpuint (json_array_get_length (transitions), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (transitions, 0), "to"), ==, "operational");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (model, "uptime"), 75.0, 0.05);
  run_clear (&run);

  /* a model the history does not know */
  HISTORY (&run, f->dir, "UTC", "anthropic/claude-nothing");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "anthropic/claude-nothing"));
  assert_one_line (run.err);
  run_clear (&run);

  /* usage errors */
  HISTORY (&run, f->dir, "UTC", "--since", "yesterday");
  g_assert_cmpint (run.status, ==, 64);
  assert_one_line (run.err);
  run_clear (&run);
  HISTORY (&run, f->dir, "UTC", OPUS, SONNET);
  g_assert_cmpint (run.status, ==, 64);
  run_clear (&run);
  HISTORY (&run, f->dir, "UTC", "--bogus");
  g_assert_cmpint (run.status, ==, 64);
  run_clear (&run);

  /* a file that is not a database */
  g_assert_true (g_file_set_contents (db, "this is not a database, not even close to one", -1, NULL));
  HISTORY (&run, f->dir, "UTC", OPUS);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "modelwatch history: "));
  assert_one_line (run.err);
  run_clear (&run);
}

/* }}} */

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history/diff", test_diff);
  g_test_add ("/history/outage-uptime", Fixture, NULL, fixture_set_up, test_outage_uptime, fixture_tear_down);
  g_test_add ("/history/unknown-excluded", Fixture, NULL, fixture_set_up, test_unknown_excluded, fixture_tear_down);
  g_test_add ("/history/prune", Fixture, NULL, fixture_set_up, test_prune, fixture_tear_down);
  g_test_add ("/history/mode-and-no-key", Fixture, NULL, fixture_set_up, test_file_mode_and_no_key, fixture_tear_down);
  g_test_add ("/history/upgrade-keeps-budget", Fixture, NULL, fixture_set_up, test_upgrade_keeps_budget, fixture_tear_down);
  g_test_add ("/history/monitor", Fixture, NULL, fixture_set_up, test_monitor, fixture_tear_down);
  g_test_add ("/history/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);

  return g_test_run ();
}
