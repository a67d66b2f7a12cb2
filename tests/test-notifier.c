/* test-notifier.c
 *
 * The notifier end to end: Statuspage pages derived from the real Claude
 * capture, served on 127.0.0.1 and changed after every poll, read by a real
 * MwMonitor polling every second, told to a real notification server
 * (python3-dbusmock's notification_daemon) on a private bus.  Asserts the
 * exact Notify calls a person's desktop would get, and what the actions do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "mw-monitor.h"
#include "mw-notifier.h"
#include "mw-test-server.h"

#define FIXTURE "statuspage-anthropic-summary.json"
#define API_COMPONENT "k8w3r06qmzrp"
#define BUS_NAME "org.freedesktop.Notifications"
#define BUS_PATH "/org/freedesktop/Notifications"
#define MOCK_IFACE "org.freedesktop.DBus.Mock"

static GTestDBus *test_bus;
static GDBusConnection *connection;
static GPid mock_pid;
static guint no_server_messages;

/* The notification daemon */

static gboolean
name_has_owner (const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
wait_for_name (gboolean owned)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (name_has_owner (BUS_NAME) != owned)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

#define FULL_CAPS "body body-markup actions"

static void
start_daemon (const char *caps)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parameters = g_strdup_printf ("{\"capabilities\": \"%s\"}", caps);
  const char *argv[] = {
    "/usr/bin/python3", "-m", "dbusmock", "--template", "notification_daemon",
    "-p", parameters, NULL
  };

  /* Under CI a missing python3-dbusmock must fail the test, and it does:
   * the spawn or the wait below asserts. */
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 NULL, NULL, &mock_pid, &error);
  g_assert_no_error (error);
  wait_for_name (TRUE);
}

static void
stop_daemon (void)
{
  if (mock_pid == 0)
    return;
  kill (mock_pid, SIGTERM);
  waitpid (mock_pid, NULL, 0);
  g_spawn_close_pid (mock_pid);
  mock_pid = 0;
}

static void
mock_call (const char *method,
           GVariant   *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (connection, BUS_NAME, BUS_PATH, MOCK_IFACE, method,
                                       args, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

typedef struct {
  guint32  replaces_id;
  char    *summary;
  char    *body;
  GStrv    actions;       /* action ids only */
  guchar   urgency;
} NotifyCall;

static void
notify_call_free (gpointer data)
{
  NotifyCall *call = data;

  g_free (call->summary);
  g_free (call->body);
  g_strfreev (call->actions);
  g_free (call);
}

/* Every Notify call the daemon received since the last ClearCalls. */
static GPtrArray *
notify_calls (void)
{
  GPtrArray *calls = g_ptr_array_new_with_free_func (notify_call_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  const char *method;
  GVariant *args;

  reply = g_dbus_connection_call_sync (connection, BUS_NAME, BUS_PATH, MOCK_IFACE, "GetCalls",
                                       NULL, G_VARIANT_TYPE ("(a(tsav))"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  g_variant_get (reply, "(a(tsav))", &iter);
  while (g_variant_iter_next (iter, "(t&s@av)", NULL, &method, &args))
    {
      g_autoptr(GVariant) app = g_variant_n_children (args) > 0 ? g_variant_get_child_value (args, 0) : NULL;
      g_autoptr(GVariant) app_v = app != NULL ? g_variant_get_variant (app) : NULL;

      if (g_str_equal (method, "Notify")
          && !(app_v != NULL && g_variant_is_of_type (app_v, G_VARIANT_TYPE_STRING)
               && g_str_equal (g_variant_get_string (app_v, NULL), "id-probe")))
        {
          NotifyCall *call = g_new0 (NotifyCall, 1);
          g_autoptr(GVariant) replaces = g_variant_get_child_value (args, 1);
          g_autoptr(GVariant) summary = g_variant_get_child_value (args, 3);
          g_autoptr(GVariant) body = g_variant_get_child_value (args, 4);
          g_autoptr(GVariant) actions = g_variant_get_child_value (args, 5);
          g_autoptr(GVariant) hints = g_variant_get_child_value (args, 6);
          g_autoptr(GVariant) replaces_v = g_variant_get_variant (replaces);
          g_autoptr(GVariant) summary_v = g_variant_get_variant (summary);
          g_autoptr(GVariant) body_v = g_variant_get_variant (body);
          g_autoptr(GVariant) actions_v = g_variant_get_variant (actions);
          g_autoptr(GVariant) hints_v = g_variant_get_variant (hints);
          g_autoptr(GVariant) urgency = NULL;
          g_autoptr(GPtrArray) ids = g_ptr_array_new ();
          gsize n_actions;
          const char **strv = g_variant_get_strv (actions_v, &n_actions);

          call->replaces_id = g_variant_get_uint32 (replaces_v);
          call->summary = g_variant_dup_string (summary_v, NULL);
          call->body = g_variant_dup_string (body_v, NULL);
          /* Actions come as id, label pairs. */
          for (gsize i = 0; i + 1 < n_actions; i += 2)
            g_ptr_array_add (ids, g_strdup (strv[i]));
          g_ptr_array_add (ids, NULL);
          call->actions = (GStrv) g_ptr_array_steal (ids, NULL);
          g_free (strv);
          urgency = g_variant_lookup_value (hints_v, "urgency", G_VARIANT_TYPE_BYTE);
          call->urgency = urgency != NULL ? g_variant_get_byte (urgency) : 255;
          g_ptr_array_add (calls, call);
        }
      g_variant_unref (args);
    }

  return calls;
}

static void
emit_action (guint32     id,
             const char *action)
{
  GVariantBuilder args;

  g_variant_builder_init (&args, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&args, "v", g_variant_new_uint32 (id));
  g_variant_builder_add (&args, "v", g_variant_new_string (action));
  mock_call ("EmitSignal", g_variant_new ("(sssav)", BUS_NAME, "ActionInvoked", "us", &args));
}

/* The id the daemon gave the last notification: it numbers them in
 * order, so ask it for one more and subtract.  The extra call is told
 * apart by its app name. */
static guint32
last_notification_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 id;

  reply = g_dbus_connection_call_sync (connection, BUS_NAME, BUS_PATH, BUS_NAME, "Notify",
                                       g_variant_new ("(susssasa{sv}i)", "id-probe", 0, "", "id probe", "",
                                                      NULL, NULL, -1),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &id);
  return id - 1;
}

/* Pages, derived from the real capture */

typedef enum {
  PAGE_OK,
  PAGE_OPUS47_CRITICAL,   /* an incident naming Opus 4.7, impact critical */
  PAGE_OPUS47_MINOR,      /* the same, impact minor */
  PAGE_THREE_MAJOR,       /* an incident naming three models, impact major */
  PAGE_API_DOWN,          /* the API component in a major outage */
  PAGE_API_MAINTENANCE,   /* the API component under maintenance */
} Page;

static JsonNode *
incident (const char *id,
          const char *name,
          const char *impact)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"%s\", \"name\": \"%s\", \"status\": \"investigating\", \"impact\": \"%s\","
    " \"created_at\": \"%s\", \"updated_at\": \"%s\", \"started_at\": \"%s\","
    " \"monitoring_at\": null, \"resolved_at\": null, \"shortlink\": \"https://stspg.io/x\","
    " \"incident_updates\": [{\"id\": \"%s-1\", \"status\": \"investigating\","
    "   \"body\": \"We are investigating.\", \"created_at\": \"%s\", \"affected_components\": null}],"
    " \"components\": []}", id, name, impact, at, at, at, id, at);

  return json_from_string (json, NULL);
}

static char *
page_body (Page page)
{
  g_autoptr(GBytes) bytes = mw_test_fixture_bytes (FIXTURE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *components, *incidents, *maintenances;
  const char *api_status = "operational";
  const char *indicator = "none";

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  components = json_object_get_array_member (root, "components");
  incidents = json_object_get_array_member (root, "incidents");
  maintenances = json_object_get_array_member (root, "scheduled_maintenances");

  switch (page)
    {
    case PAGE_OK:
      break;
    case PAGE_OPUS47_CRITICAL:
      json_array_add_element (incidents, incident ("inc47c", "Elevated errors on Claude Opus 4.7 & Claude Code", "critical"));
      indicator = "critical";
      break;
    case PAGE_OPUS47_MINOR:
      json_array_add_element (incidents, incident ("inc47m", "Slow responses from Claude Opus 4.7", "minor"));
      indicator = "minor";
      break;
    case PAGE_THREE_MAJOR:
      json_array_add_element (incidents, incident ("inc3", "Elevated errors on Opus 4.7, Opus 4.5 and Sonnet 4.6", "major"));
      indicator = "major";
      break;
    case PAGE_API_DOWN:
      json_array_add_element (incidents, incident ("inc3", "Elevated errors on Opus 4.7, Opus 4.5 and Sonnet 4.6", "critical"));
      api_status = "major_outage";
      indicator = "critical";
      break;
    case PAGE_API_MAINTENANCE:
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);
        g_autofree char *at = g_date_time_format_iso8601 (now);
        g_autofree char *until = g_date_time_format_iso8601 (later);
        g_autofree char *json = g_strdup_printf (
          "{\"id\": \"maint1\", \"name\": \"Scheduled maintenance of the Claude API\","
          " \"status\": \"in_progress\", \"impact\": \"maintenance\", \"created_at\": \"%s\","
          " \"updated_at\": \"%s\", \"scheduled_for\": \"%s\", \"scheduled_until\": \"%s\","
          " \"incident_updates\": [], \"components\": [{\"id\": \"" API_COMPONENT "\","
          "   \"name\": \"Claude API (api.anthropic.com)\", \"status\": \"under_maintenance\"}]}",
          at, at, at, until);

        json_array_add_element (maintenances, json_from_string (json, NULL));
        api_status = "under_maintenance";
        indicator = "maintenance";
      }
      break;
    default:
      g_assert_not_reached ();
    }

  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);

      if (g_str_equal (json_object_get_string_member (component, "id"), API_COMPONENT))
        json_object_set_string_member (component, "status", api_status);
    }
  json_object_set_string_member (json_object_get_object_member (root, "status"), "indicator", indicator);

  return json_to_string (json_parser_get_root (parser), FALSE);
}

/* Without a bus: settings and wording, through mw_notifier_process() */

typedef struct {
  guint  shown;
  char  *summary;
  char  *body;
  char  *urgency;
} Seen;

static void
on_seen (MwNotifier *notifier,
         const char *provider_id,
         guint       serial,
         gboolean    replaces,
         const char *summary,
         const char *body,
         const char *urgency,
         Seen       *seen)
{
  seen->shown++;
  g_free (seen->summary);
  g_free (seen->body);
  g_free (seen->urgency);
  seen->summary = g_strdup (summary);
  seen->body = g_strdup (body);
  seen->urgency = g_strdup (urgency);
}

static void
seen_clear (Seen *seen)
{
  g_clear_pointer (&seen->summary, g_free);
  g_clear_pointer (&seen->body, g_free);
  g_clear_pointer (&seen->urgency, g_free);
  seen->shown = 0;
}

/* One poll at 15:MM where Opus 4.7 has @health and Opus 4.5 @health2,
 * each with its fallback ("null" for none). */
static MwSnapshot *
poll_at (guint       minute,
         const char *health,
         const char *fallback,
         const char *health2,
         const char *fallback2)
{
  g_autofree char *json = g_strdup_printf (
    "{\"checked_at\": \"2026-06-05T15:%02u:00Z\", \"providers\": [{\"id\": \"anthropic\","
    " \"name\": \"Anthropic\", \"health\": \"%s\","
    " \"status_page\": {\"url\": \"https://status.claude.com\", \"health\": \"operational\"}, \"models\": ["
    "  {\"id\": \"anthropic/claude-opus-4-7\", \"name\": \"Claude Opus 4.7\", \"health\": \"%s\","
    "   \"since\": \"2026-06-05T15:00:00Z\", \"reason\": \"Elevated errors\", \"fallback\": %s},"
    "  {\"id\": \"anthropic/claude-opus-4-5\", \"name\": \"Claude Opus 4.5\", \"health\": \"%s\","
    "   \"since\": \"2026-06-05T15:00:00Z\", \"reason\": \"Elevated errors\", \"fallback\": %s},"
    "  {\"id\": \"anthropic/claude-sonnet-4-6\", \"name\": \"Claude Sonnet 4.6\", \"health\": \"operational\"}]},"
    " {\"id\": \"openai\", \"name\": \"OpenAI\", \"health\": \"operational\", \"models\": ["
    "  {\"id\": \"openai/gpt-5\", \"name\": \"GPT-5\", \"health\": \"operational\"}]}]}",
    minute, health, health, fallback, health2, fallback2);
  g_autoptr(GError) error = NULL;
  MwSnapshot *snapshot = mw_snapshot_new_from_json (json, &error);

  g_assert_no_error (error);
  return snapshot;
}

static void
feed (MwNotifier *notifier,
      guint       minute,
      const char *health,
      const char *fallback,
      const char *health2,
      const char *fallback2)
{
  g_autoptr(MwSnapshot) snapshot = poll_at (minute, health, fallback, health2, fallback2);

  mw_notifier_process (notifier, "anthropic", snapshot);
}

static MwNotifier *
dry_notifier (Seen *seen)
{
  MwNotifier *notifier = mw_notifier_new (NULL);

  mw_notifier_set_dry_run (notifier, TRUE);
  g_signal_connect (notifier, "notification", G_CALLBACK (on_seen), seen);
  return notifier;
}

#define OPUS47 "\"anthropic/claude-opus-4-7\""
#define SONNET "\"anthropic/claude-sonnet-4-6\""
#define GPT5 "\"openai/gpt-5\""

static void
test_wording (void)
{
  Seen seen = { 0 };
  g_autoptr(MwNotifier) notifier = dry_notifier (&seen);

  /* Two models in one poll, with different suggestions and health. */
  feed (notifier, 1, "partial_outage", "null", "degraded", OPUS47);
  g_assert_cmpuint (seen.shown, ==, 0);
  feed (notifier, 2, "partial_outage", "null", "degraded", SONNET);
  g_assert_cmpuint (seen.shown, ==, 1);
  g_assert_cmpstr (seen.summary, ==, "2 Anthropic models degraded: Opus 4.7, Opus 4.5");
  g_assert_cmpstr (seen.body, ==,
                   "Elevated errors\n"
                   "Since 15:00\n"
                   "Opus 4.7: partial outage\n"
                   "Opus 4.5: degraded performance\n"
                   "Opus 4.7: no healthy fallback\n"
                   "Opus 4.5: use Claude Sonnet 4.6 instead (operational)");
  g_assert_cmpstr (seen.urgency, ==, "normal");

  /* A suggestion that changes to a healthy model is worth an update. */
  feed (notifier, 3, "partial_outage", GPT5, "degraded", SONNET);
  g_assert_cmpuint (seen.shown, ==, 2);
  g_assert_nonnull (strstr (seen.body, "Opus 4.7: use GPT-5 instead (operational)"));
  /* Nothing new: nothing shown. */
  feed (notifier, 4, "partial_outage", GPT5, "degraded", SONNET);
  g_assert_cmpuint (seen.shown, ==, 2);

  /* One of them back: the other is still listed with what to use. */
  feed (notifier, 5, "operational", "null", "degraded", SONNET);
  feed (notifier, 6, "operational", "null", "degraded", SONNET);
  g_assert_cmpuint (seen.shown, ==, 3);
  g_assert_cmpstr (seen.summary, ==, "Claude Opus 4.7 is back — down for 5 min");
  g_assert_cmpstr (seen.body, ==, "Still affected: Claude Opus 4.5\n"
                                  "Elevated errors\n"
                                  "Since 15:00\n"
                                  "Use Claude Sonnet 4.6 instead (operational)");
  seen_clear (&seen);
}

static void
test_settings (void)
{
  Seen seen = { 0 };
  g_autoptr(GSettings) settings = g_settings_new ("io.github.modelwatch");
  g_autoptr(MwNotifier) notifier = dry_notifier (&seen);

  /* Notify from major outages only. */
  g_settings_set_enum (settings, "notify-min-severity", MW_HEALTH_MAJOR_OUTAGE);
  for (guint minute = 1; minute < 5; minute++)
    feed (notifier, minute, "partial_outage", "null", "operational", "null");
  g_assert_cmpuint (seen.shown, ==, 0);
  feed (notifier, 5, "major_outage", "null", "operational", "null");
  g_assert_cmpuint (seen.shown, ==, 1);
  g_assert_cmpstr (seen.summary, ==, "Claude Opus 4.7 — major outage");
  g_assert_cmpstr (seen.urgency, ==, "critical");
  g_settings_reset (settings, "notify-min-severity");

  /* Reminders: 5 minutes means at least 30. */
  g_settings_set_uint (settings, "reminder-minutes", 5);
  for (guint minute = 6; minute < 35; minute++)
    feed (notifier, minute, "major_outage", "null", "operational", "null");
  g_assert_cmpuint (seen.shown, ==, 1);
  feed (notifier, 35, "major_outage", "null", "operational", "null");
  g_assert_cmpuint (seen.shown, ==, 2);
  g_assert_cmpstr (seen.summary, ==, "Claude Opus 4.7 — major outage");
  g_settings_reset (settings, "reminder-minutes");

  /* A provider muted in the settings, and notifications turned off. */
  {
    const char * const muted[] = { "anthropic", NULL };

    g_settings_set_strv (settings, "muted-providers", muted);
    g_assert_true (mw_notifier_is_muted (notifier, "anthropic"));
    g_assert_false (mw_notifier_is_muted (notifier, "openai"));
    g_settings_reset (settings, "muted-providers");
    g_assert_false (mw_notifier_is_muted (notifier, "anthropic"));
    g_settings_set_boolean (settings, "notify", FALSE);
    g_assert_true (mw_notifier_is_muted (notifier, "openai"));
    g_settings_reset (settings, "notify");
  }
  seen_clear (&seen);
}

/* Without the installed schema, the defaults apply instead of an abort. */
static void
test_no_schema (void)
{
  if (g_test_subprocess ())
    {
      Seen seen = { 0 };
      g_autoptr(MwNotifier) notifier = NULL;

      g_setenv ("GSETTINGS_SCHEMA_DIR", "/nonexistent", TRUE);
      g_setenv ("XDG_DATA_DIRS", "/nonexistent", TRUE);
      notifier = dry_notifier (&seen);
      feed (notifier, 1, "partial_outage", "null", "operational", "null");
      feed (notifier, 2, "partial_outage", "null", "operational", "null");
      g_assert_cmpuint (seen.shown, ==, 1);
      seen_clear (&seen);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* The monitor, driven poll by poll */

typedef struct {
  MwTestServer *server;
  MwMonitor    *monitor;
  MwNotifier   *notifier;
  const Page   *script;      /* the page for each poll of "anthropic" */
  guint         n_script;
  guint         polls;
  gboolean      done;
  guint         shown;       /* "notification" signals */
  guint         dismiss_at;  /* after this poll, the person closes the notification */
  gboolean      replaced;    /* whether the last "notification" replaced one */
} Run;

static void
serve (Run  *run,
       Page  page)
{
  g_autofree char *body = page_body (page);

  mw_test_server_set_body (run->server, "/anthropic/api/v2/summary.json", 200,
                           "application/json", body, -1);
}

static void
on_polled (MwMonitor  *monitor,
           const char *provider_id,
           MwSnapshot *snapshot,
           Run        *run)
{
  if (!g_str_equal (provider_id, "anthropic") || run->done)
    return;

  run->polls++;
  if (run->polls == run->dismiss_at)
    {
      GVariantBuilder args;

      g_variant_builder_init (&args, G_VARIANT_TYPE ("av"));
      g_variant_builder_add (&args, "v", g_variant_new_uint32 (last_notification_id ()));
      g_variant_builder_add (&args, "v", g_variant_new_uint32 (2));
      mock_call ("EmitSignal", g_variant_new ("(sssav)", BUS_NAME, "NotificationClosed", "uu", &args));
    }
  if (run->polls < run->n_script)
    serve (run, run->script[run->polls]);
  else
    run->done = TRUE;
}

static void
on_shown (MwNotifier *notifier,
          const char *provider_id,
          guint       serial,
          gboolean    replaces,
          const char *summary,
          const char *body,
          const char *urgency,
          Run        *run)
{
  run->shown++;
  run->replaced = replaces;
}

static MwCatalog *
catalog_for (MwTestServer *server)
{
  g_autofree char *url = mw_test_server_url (server, NULL);
  g_autofree char *json = g_strdup_printf (
    "{\"version\": 1, \"providers\": ["
    " {\"id\": \"anthropic\", \"name\": \"Anthropic\","
    "  \"status_page\": {\"url\": \"%s/anthropic\", \"platform\": \"statuspage\"},"
    "  \"components\": {\"api\": \"" API_COMPONENT "\"},"
    "  \"models\": ["
    "   {\"id\": \"claude-opus-4-7\", \"name\": \"Claude Opus 4.7\", \"components\": [\"" API_COMPONENT "\"],"
    "    \"match\": [\"Opus 4.7\"]},"
    "   {\"id\": \"claude-opus-4-5\", \"name\": \"Claude Opus 4.5\", \"components\": [\"" API_COMPONENT "\"],"
    "    \"match\": [\"Opus 4.5\"]},"
    "   {\"id\": \"claude-sonnet-4-6\", \"name\": \"Claude Sonnet 4.6\", \"components\": [\"" API_COMPONENT "\"],"
    "    \"match\": [\"Sonnet 4.6\"]}]},"
    " {\"id\": \"openai\", \"name\": \"OpenAI\","
    "  \"status_page\": {\"url\": \"%s/openai\", \"platform\": \"statuspage\"},"
    "  \"models\": [{\"id\": \"gpt-5\", \"name\": \"GPT-5\", \"match\": [\"GPT-5\"]}]}],"
    " \"fallbacks\": {"
    "  \"anthropic/claude-opus-4-7\": [\"anthropic/claude-sonnet-4-6\", \"openai/gpt-5\"],"
    "  \"anthropic/claude-opus-4-5\": [\"anthropic/claude-opus-4-7\", \"openai/gpt-5\"],"
    "  \"anthropic/claude-sonnet-4-6\": [\"anthropic/claude-opus-4-7\", \"openai/gpt-5\"]}}",
    url, url);
  g_autoptr(GError) error = NULL;
  MwCatalog *catalog = mw_catalog_new_from_data (json, -1, "test-catalog.json", &error);

  g_assert_no_error (error);
  return catalog;
}

/* Plays @script (one page per poll of Anthropic's page) through a monitor
 * polling every second and a notifier, and returns the Notify calls. */
static GPtrArray *
play (const Page *script,
      guint       n_script,
      Run        *run)
{
  g_autoptr(MwCatalog) catalog = NULL;
  g_autofree char *openai = page_body (PAGE_OK);

  mock_call ("ClearCalls", NULL);

  run->server = mw_test_server_new ();
  run->script = script;
  run->n_script = n_script;
  catalog = catalog_for (run->server);
  mw_test_server_set_body (run->server, "/openai/api/v2/summary.json", 200,
                           "application/json", openai, -1);
  serve (run, script[0]);

  run->monitor = mw_monitor_new (catalog);
  mw_monitor_set_probes_enabled (run->monitor, FALSE);
  mw_monitor_set_interval (run->monitor, 1);
  run->notifier = mw_notifier_new (run->monitor);
  /* After the notifier's handler: the page changes once the poll was told. */
  g_signal_connect (run->monitor, "polled", G_CALLBACK (on_polled), run);
  g_signal_connect (run->notifier, "notification", G_CALLBACK (on_shown), run);
  mw_monitor_start (run->monitor);

  g_assert_true (mw_test_wait_until (&run->done, (n_script + 10) * 1500));
  /* Let the last Notify reach the daemon before reading its log. */
  {
    gboolean never = FALSE;

    mw_test_wait_until (&never, 200);
  }

  return notify_calls ();
}

static void
run_clear (Run *run)
{
  if (run->monitor != NULL)
    mw_monitor_stop (run->monitor);
  g_clear_object (&run->notifier);
  g_clear_object (&run->monitor);
  g_clear_pointer (&run->server, mw_test_server_free);
}

static char *
line (const char *body,
      guint       index)
{
  g_auto(GStrv) lines = g_strsplit (body, "\n", -1);

  return index < g_strv_length (lines) ? g_strdup (lines[index]) : NULL;
}

static void
assert_actions (const NotifyCall *call,
                gboolean          with_mute)
{
  g_assert_true (g_strv_contains ((const char * const *) call->actions, "default"));
  g_assert_true (g_strv_contains ((const char * const *) call->actions, "details"));
  g_assert_true (g_strv_contains ((const char * const *) call->actions, "status-page"));
  g_assert_cmpint (g_strv_contains ((const char * const *) call->actions, "mute"), ==, with_mute);
}

/* (a) A clean outage and recovery, and the actions of its notification. */
static void
test_outage_and_recovery (void)
{
  static const Page script[] = {
    PAGE_OK, PAGE_OK, PAGE_OPUS47_CRITICAL, PAGE_OPUS47_CRITICAL, PAGE_OK, PAGE_OK, PAGE_OK,
  };
  Run run = { 0 };
  g_autoptr(GPtrArray) calls = play (script, G_N_ELEMENTS (script), &run);
  const NotifyCall *down, *back;
  g_autofree char *reason = NULL;
  g_autofree char *since = NULL;
  g_autofree char *use = NULL;

  g_assert_cmpuint (calls->len, ==, 2);
  down = g_ptr_array_index (calls, 0);
  back = g_ptr_array_index (calls, 1);

  g_assert_cmpstr (down->summary, ==, "Claude Opus 4.7 — major outage");
  reason = line (down->body, 0);
  since = line (down->body, 1);
  use = line (down->body, 2);
  /* The server speaks markup: the incident title's "&" is escaped. */
  g_assert_cmpstr (reason, ==, "Elevated errors on Claude Opus 4.7 &amp; Claude Code");
  g_assert_true (g_str_has_prefix (since, "Since "));
  g_assert_cmpstr (use, ==, "Use Claude Sonnet 4.6 instead (operational)");
  g_assert_cmpuint (down->urgency, ==, 2);
  g_assert_cmpuint (down->replaces_id, ==, 0);
  assert_actions (down, TRUE);

  g_assert_true (g_str_has_prefix (back->summary, "Claude Opus 4.7 is back — down for "));
  g_assert_true (g_str_has_suffix (back->summary, " s"));
  g_assert_cmpstr (back->body, ==, "All Anthropic models are operational.");
  g_assert_cmpuint (back->urgency, ==, 1);
  /* Replaced in place: the id the daemon gave the first one. */
  g_assert_cmpuint (back->replaces_id, !=, 0);
  assert_actions (back, FALSE);
  g_assert_cmpuint (run.shown, ==, 2);

  run_clear (&run);
}

/* (b) A degradation that lasts one poll is not worth a notification. */
static void
test_one_poll_blip (void)
{
  static const Page script[] = {
    PAGE_OK, PAGE_OK, PAGE_OPUS47_MINOR, PAGE_OK, PAGE_OK, PAGE_OK,
  };
  Run run = { 0 };
  g_autoptr(GPtrArray) calls = play (script, G_N_ELEMENTS (script), &run);

  g_assert_cmpuint (calls->len, ==, 0);
  g_assert_cmpuint (run.shown, ==, 0);
  run_clear (&run);
}

/* (c) A provider flapping every poll (five minutes, compressed to
 * seconds) yields at most one notification. */
static void
test_flapping (void)
{
  static const Page script[] = {
    PAGE_OK, PAGE_API_DOWN, PAGE_OK, PAGE_API_DOWN, PAGE_OK, PAGE_API_DOWN, PAGE_OK,
    PAGE_API_DOWN, PAGE_OK, PAGE_API_DOWN, PAGE_OK,
  };
  static const Page minor[] = {
    PAGE_OK, PAGE_OPUS47_MINOR, PAGE_OK, PAGE_THREE_MAJOR, PAGE_OK, PAGE_OPUS47_MINOR, PAGE_OK,
    PAGE_THREE_MAJOR, PAGE_OK,
  };
  Run run = { 0 };
  Run run_minor = { 0 };
  g_autoptr(GPtrArray) calls = play (script, G_N_ELEMENTS (script), &run);
  g_autoptr(GPtrArray) calls_minor = NULL;
  const NotifyCall *down;

  g_assert_cmpuint (calls->len, ==, 1);
  down = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (down->summary, ==, "3 Anthropic models down: Opus 4.7, Opus 4.5, Sonnet 4.6");
  g_assert_cmpuint (down->urgency, ==, 2);
  run_clear (&run);

  /* Below a major outage, a state that never holds two polls is silent. */
  calls_minor = play (minor, G_N_ELEMENTS (minor), &run_minor);
  g_assert_cmpuint (calls_minor->len, ==, 0);
  run_clear (&run_minor);
}

/* (d) Three models degrading in one poll: one notification, replaced in
 * place when the incident grows. */
static void
test_coalesced (void)
{
  static const Page script[] = {
    PAGE_OK, PAGE_THREE_MAJOR, PAGE_THREE_MAJOR, PAGE_API_DOWN, PAGE_API_DOWN,
  };
  Run run = { 0 };
  g_autoptr(GPtrArray) calls = play (script, G_N_ELEMENTS (script), &run);
  const NotifyCall *first, *second;
  g_autofree char *reason = NULL;
  g_autofree char *use = NULL;
  g_autofree char *last = NULL;

  g_assert_cmpuint (calls->len, ==, 2);
  first = g_ptr_array_index (calls, 0);
  second = g_ptr_array_index (calls, 1);

  g_assert_cmpstr (first->summary, ==, "3 Anthropic models degraded: Opus 4.7, Opus 4.5, Sonnet 4.6");
  reason = line (first->body, 0);
  use = line (first->body, 2);
  g_assert_cmpstr (reason, ==, "Elevated errors on Opus 4.7, Opus 4.5 and Sonnet 4.6");
  /* Every Claude model is down: the chains lead out of Anthropic. */
  g_assert_cmpstr (use, ==, "Use GPT-5 instead (operational)");
  g_assert_cmpuint (first->urgency, ==, 1);
  g_assert_cmpuint (first->replaces_id, ==, 0);
  assert_actions (first, TRUE);

  g_assert_cmpstr (second->summary, ==, "3 Anthropic models down: Opus 4.7, Opus 4.5, Sonnet 4.6");
  last = line (second->body, 2);
  g_assert_cmpstr (last, ==, "Use GPT-5 instead (operational)");
  g_assert_cmpuint (second->urgency, ==, 2);
  g_assert_cmpuint (second->replaces_id, !=, 0);

  run_clear (&run);
}

/* A notification the person closed is not resurrected: the next change
 * of the incident gets a new one. */
static void
test_dismissed (void)
{
  static const Page script[] = {
    PAGE_OK, PAGE_API_DOWN, PAGE_API_DOWN, PAGE_THREE_MAJOR, PAGE_THREE_MAJOR, PAGE_THREE_MAJOR,
  };
  Run run = { .dismiss_at = 3 };
  g_autoptr(GPtrArray) calls = play (script, G_N_ELEMENTS (script), &run);
  const NotifyCall *first, *second;

  g_assert_cmpuint (calls->len, ==, 2);
  first = g_ptr_array_index (calls, 0);
  second = g_ptr_array_index (calls, 1);
  g_assert_cmpstr (first->summary, ==, "3 Anthropic models down: Opus 4.7, Opus 4.5, Sonnet 4.6");
  g_assert_cmpstr (second->summary, ==, "3 Anthropic models degraded: Opus 4.7, Opus 4.5, Sonnet 4.6");
  g_assert_cmpuint (second->replaces_id, ==, 0);
  g_assert_false (run.replaced);
  run_clear (&run);
}

/* (e) Maintenance is shown, never alarmed. */
static void
test_maintenance (void)
{
  static const Page script[] = {
    PAGE_OK, PAGE_API_MAINTENANCE, PAGE_API_MAINTENANCE, PAGE_API_MAINTENANCE, PAGE_OK, PAGE_OK,
  };
  Run run = { 0 };
  g_autoptr(GPtrArray) calls = play (script, G_N_ELEMENTS (script), &run);

  g_assert_cmpuint (calls->len, ==, 0);
  run_clear (&run);
}

static gboolean
file_has_content (gpointer user_data)
{
  return g_file_test (user_data, G_FILE_TEST_EXISTS);
}

/* "Details" opens the window on the model; "Mute 1 hour" silences the
 * provider. */
static void
test_actions (void)
{
  static const Page script[] = { PAGE_OK, PAGE_OPUS47_CRITICAL, PAGE_OPUS47_CRITICAL };
  static const Page again[] = { PAGE_OK, PAGE_OPUS47_CRITICAL, PAGE_OPUS47_CRITICAL, PAGE_OK, PAGE_OK };
  Run run = { 0 };
  Run run_again = { 0 };
  g_autoptr(GPtrArray) calls = play (script, G_N_ELEMENTS (script), &run);
  g_autoptr(GPtrArray) calls_again = NULL;
  g_autofree char *dir = g_dir_make_tmp ("modelwatch-notifier-XXXXXX", NULL);
  g_autofree char *script_path = g_build_filename (dir, "window.sh", NULL);
  g_autofree char *args_path = g_build_filename (dir, "args", NULL);
  g_autofree char *shell = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s.tmp'\nmv '%s.tmp' '%s'\n",
                                            args_path, args_path, args_path);
  g_autofree char *recorded = NULL;
  g_autoptr(GError) error = NULL;
  guint32 id;

  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_nonnull (run.notifier);

  /* The daemon numbers notifications from 1 and this is the first one it
   * got since it started, or the id the last Notify returned. */
  g_file_set_contents (script_path, shell, -1, &error);
  g_assert_no_error (error);
  g_chmod (script_path, 0755);
  g_setenv ("MODELWATCH_WINDOW_BIN", script_path, TRUE);

  /* Ids are handed out in order: count the Notify calls made so far. */
  {
    g_autoptr(GVariant) reply = NULL;

    reply = g_dbus_connection_call_sync (connection, BUS_NAME, BUS_PATH, BUS_NAME, "Notify",
                                         g_variant_new ("(susssasa{sv}i)", "probe", 0, "", "id probe", "",
                                                        NULL, NULL, -1),
                                         G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_no_error (error);
    g_variant_get (reply, "(u)", &id);
    /* The probe took the next id; ours was the one before. */
    id--;
  }

  emit_action (id, "details");
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (!file_has_content (args_path) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE), g_usleep (10 * 1000);
  }
  g_file_get_contents (args_path, &recorded, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (recorded, ==, "--model\nanthropic/claude-opus-4-7\n");

  g_assert_false (mw_notifier_is_muted (run.notifier, "anthropic"));
  emit_action (id, "mute");
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (!mw_notifier_is_muted (run.notifier, "anthropic") && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE), g_usleep (10 * 1000);
  }
  g_assert_true (mw_notifier_is_muted (run.notifier, "anthropic"));
  g_assert_false (mw_notifier_is_muted (run.notifier, "openai"));
  run_clear (&run);

  /* Muted: an outage reaches no one; once unmuted, it is told if it holds. */
  {
    g_autoptr(MwNotifier) quiet = mw_notifier_new (NULL);
    g_autoptr(GError) json_error = NULL;
#define DOWN_AT(minute) \
      "{\"checked_at\": \"2026-06-05T15:0" minute ":00Z\", \"providers\": [{\"id\": \"anthropic\"," \
      " \"name\": \"Anthropic\", \"health\": \"major_outage\", \"models\": [{\"id\":" \
      " \"anthropic/claude-opus-4-7\", \"name\": \"Claude Opus 4.7\", \"health\": \"major_outage\"}]}]}"
    g_autoptr(MwSnapshot) down = mw_snapshot_new_from_json (DOWN_AT ("8"), &json_error);
    g_autoptr(MwSnapshot) still_down = mw_snapshot_new_from_json (DOWN_AT ("9"), &json_error);
    Run counter = { 0 };

    g_assert_no_error (json_error);
    g_signal_connect (quiet, "notification", G_CALLBACK (on_shown), &counter);
    mw_notifier_set_dry_run (quiet, TRUE);
    mw_notifier_mute (quiet, "anthropic", 3600);
    mw_notifier_process (quiet, "anthropic", down);
    g_assert_cmpuint (counter.shown, ==, 0);
    mw_notifier_mute (quiet, NULL, 0);
    g_assert_false (mw_notifier_is_muted (quiet, "anthropic"));
    mw_notifier_process (quiet, "anthropic", still_down);
    g_assert_cmpuint (counter.shown, ==, 1);
  }

  calls_again = play (again, G_N_ELEMENTS (again), &run_again);
  g_assert_cmpuint (calls_again->len, ==, 2);
  run_clear (&run_again);

  g_unlink (script_path);
  g_unlink (args_path);
  g_rmdir (dir);
}

/* A server without actions or markup gets neither. */
static void
test_plain_server (void)
{
  static const Page script[] = { PAGE_OK, PAGE_OPUS47_CRITICAL, PAGE_OPUS47_CRITICAL };
  Run run = { 0 };
  g_autoptr(GPtrArray) calls = NULL;
  const NotifyCall *down;
  g_autofree char *reason = NULL;

  stop_daemon ();
  wait_for_name (FALSE);
  start_daemon ("body");

  calls = play (script, G_N_ELEMENTS (script), &run);
  g_assert_cmpuint (calls->len, ==, 1);
  down = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (down->summary, ==, "Claude Opus 4.7 — major outage");
  reason = line (down->body, 0);
  g_assert_cmpstr (reason, ==, "Elevated errors on Claude Opus 4.7 & Claude Code");
  g_assert_cmpuint (g_strv_length (down->actions), ==, 0);
  run_clear (&run);

  stop_daemon ();
  wait_for_name (FALSE);
  start_daemon (FULL_CAPS);
}

/* Without a notification server the service goes on, and says so once. */
static void
test_no_server (void)
{
  static const Page script[] = {
    PAGE_OK, PAGE_OPUS47_CRITICAL, PAGE_OPUS47_CRITICAL, PAGE_OK, PAGE_OK,
    PAGE_API_DOWN, PAGE_API_DOWN,
  };
  Run run = { 0 };
  g_autoptr(MwCatalog) catalog = NULL;
  g_autofree char *openai = page_body (PAGE_OK);

  stop_daemon ();
  wait_for_name (FALSE);

  run.server = mw_test_server_new ();
  run.script = script;
  run.n_script = G_N_ELEMENTS (script);
  catalog = catalog_for (run.server);
  mw_test_server_set_body (run.server, "/openai/api/v2/summary.json", 200,
                           "application/json", openai, -1);
  serve (&run, script[0]);
  run.monitor = mw_monitor_new (catalog);
  mw_monitor_set_probes_enabled (run.monitor, FALSE);
  mw_monitor_set_interval (run.monitor, 1);
  run.notifier = mw_notifier_new (run.monitor);
  g_signal_connect (run.monitor, "polled", G_CALLBACK (on_polled), &run);
  g_signal_connect (run.notifier, "notification", G_CALLBACK (on_shown), &run);
  no_server_messages = 0;
  mw_monitor_start (run.monitor);

  g_assert_true (mw_test_wait_until (&run.done, 20000));
  /* Outage, recovery, outage: told three times, logged once. */
  g_assert_cmpuint (run.shown, ==, 3);
  g_assert_cmpuint (no_server_messages, ==, 1);
  /* The monitor, and with it the tray, stays current. */
  g_assert_cmpint (mw_snapshot_get_health (mw_monitor_get_snapshot (run.monitor)), ==,
                   MW_HEALTH_MAJOR_OUTAGE);
  run_clear (&run);
}

static GLogWriterOutput
count_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0
        && strstr (fields[i].value, "Notifications cannot be shown") != NULL)
      no_server_messages++;

  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_log_set_writer_func (count_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_setenv ("TZ", "UTC", TRUE);

  if (!g_test_subprocess ())
    {
      test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (test_bus);
      connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
      g_assert_nonnull (connection);
      start_daemon (FULL_CAPS);
    }

  g_test_add_func ("/notifier/wording", test_wording);
  g_test_add_func ("/notifier/settings", test_settings);
  g_test_add_func ("/notifier/no-schema", test_no_schema);
  g_test_add_func ("/notifier/outage-and-recovery", test_outage_and_recovery);
  g_test_add_func ("/notifier/one-poll-blip", test_one_poll_blip);
  g_test_add_func ("/notifier/flapping", test_flapping);
  g_test_add_func ("/notifier/coalesced", test_coalesced);
  g_test_add_func ("/notifier/dismissed", test_dismissed);
  g_test_add_func ("/notifier/maintenance", test_maintenance);
  g_test_add_func ("/notifier/actions", test_actions);
  g_test_add_func ("/notifier/plain-server", test_plain_server);
  g_test_add_func ("/notifier/no-server", test_no_server);

  status = g_test_run ();

  stop_daemon ();
  g_clear_object (&connection);
  /* libnotify keeps its connection to the end: stop, don't wait for it. */
  if (test_bus != NULL)
    g_test_dbus_stop (test_bus);
  /* Not unreffed: its dispose would wait for that connection too.  It
   * stays reachable from test_bus, so leak checkers do not count it. */

  return status;
}
