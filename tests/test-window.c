/* test-window.c
 *
 * The status window against a fake service on a private bus: rows for every
 * provider and model with the words a user reads, live updates that keep
 * the rows (and their expanded state and the scroll position), Check now
 * with its progress, and the states a user meets (service gone, first run,
 * offline). Runs on its own Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <adwaita.h>

#include "mw-dbus-generated.h"
#include "mw-incident-dialog.h"
#include "mw-monitor-client.h"
#include "mw-window.h"
#include "mw-window-util.h"

/* ---- the display ---- */

static GPid xvfb_pid;

/* The display must not outlive a test that crashes. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
start_xvfb (void)
{
  g_autofree char *xvfb = g_find_program_in_path ("Xvfb");
  int fds[2];
  char buffer[32] = { 0 };
  ssize_t n = 0;
  g_autofree char *display = NULL;
  g_autofree char *fd_arg = NULL;
  g_autoptr(GError) error = NULL;

  if (xvfb == NULL)
    return FALSE;
  if (!g_unix_open_pipe (fds, 0, &error))
    g_error ("pipe: %s", error->message);

  fd_arg = g_strdup_printf ("%d", fds[1]);
  {
    const char *argv[] = { xvfb, "-displayfd", fd_arg, "-screen", "0", "1024x768x24",
                           "-nolisten", "tcp", "-noreset", NULL };

    if (!g_spawn_async (NULL, (char **) argv, NULL,
                        G_SPAWN_LEAVE_DESCRIPTORS_OPEN | G_SPAWN_STDOUT_TO_DEV_NULL |
                        G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_DO_NOT_REAP_CHILD,
                        die_with_parent, NULL, &xvfb_pid, &error))
      g_error ("Xvfb: %s", error->message);
  }
  close (fds[1]);

  while (n < (ssize_t) sizeof buffer - 1)
    {
      ssize_t r = read (fds[0], buffer + n, sizeof buffer - 1 - n);

      if (r <= 0 || memchr (buffer, '\n', n + r) != NULL)
        {
          n += r > 0 ? r : 0;
          break;
        }
      n += r;
    }
  close (fds[0]);
  g_strstrip (buffer);
  if (*buffer == '\0')
    g_error ("Xvfb did not report a display");

  display = g_strdup_printf (":%s", buffer);
  g_setenv ("DISPLAY", display, TRUE);
  return TRUE;
}

static void
stop_xvfb (void)
{
  if (xvfb_pid > 0)
    {
      kill (xvfb_pid, SIGTERM);
      g_spawn_close_pid (xvfb_pid);
    }
}

/* ---- waiting ---- */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond) G_STMT_START {                                     \
    gboolean timed_out_ = FALSE;                                          \
    guint id_ = g_timeout_add_seconds (10, timeout_cb, &timed_out_);      \
    while (!(cond) && !timed_out_)                                        \
      g_main_context_iteration (NULL, TRUE);                              \
    if (timed_out_)                                                       \
      g_error ("timed out waiting for %s", #cond);                        \
    g_source_remove (id_);                                                \
  } G_STMT_END

static void
spin (guint msec)
{
  gboolean done = FALSE;

  g_timeout_add (msec, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- the fake service ---- */

/* One private bus for the whole run: GTK keeps the session bus it finds. */
static GTestDBus *test_bus;

typedef struct {
  GTestDBus             *bus;
  GDBusConnection       *client_connection;
  GDBusConnection       *service_connection;
  MwDBusMonitor1        *skeleton;
  guint                  owner_id;
  gboolean               owned;
  GDBusMethodInvocation *check_invocation;
  guint                  n_checks;
  MwMonitorClient       *client;
  MwWindow              *window;
} Fixture;

static char *
load_fixture (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "window-snapshot.json", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Edits the fixture: @edit gets the root object. */
static char *
edit_fixture (void (*edit) (JsonObject *root))
{
  g_autofree char *json = load_fixture ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSnapshot) check = NULL;
  JsonNode *root;
  char *edited;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  edit (json_node_get_object (root));
  edited = json_to_string (root, FALSE);

  /* The edit must still be a snapshot the window can read. */
  check = mw_snapshot_new_from_json (edited, &error);
  g_assert_no_error (error);
  return edited;
}

static JsonObject *
provider_object (JsonObject *root,
                 guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (root, "providers"), index);
}

static JsonObject *
model_object (JsonObject *root,
              guint       provider,
              guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (provider_object (root, provider),
                                                                      "models"), index);
}

static gboolean
handle_check_now (MwDBusMonitor1        *skeleton,
                  GDBusMethodInvocation *invocation,
                  Fixture               *fixture)
{
  /* Answer later, like a service that polls for a while. */
  fixture->n_checks++;
  fixture->check_invocation = g_object_ref (invocation);
  mw_dbus_monitor1_set_checking (skeleton, TRUE);
  return TRUE;
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  Fixture *fixture = user_data;

  fixture->owned = TRUE;
}

static void
service_publish (Fixture    *fixture,
                 const char *json)
{
  mw_dbus_monitor1_set_snapshot (fixture->skeleton, json);
  mw_dbus_monitor1_emit_changed (fixture->skeleton, json);
}

static void
service_start (Fixture    *fixture,
               const char *json)
{
  g_autoptr(GError) error = NULL;

  fixture->service_connection =
    g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);

  fixture->skeleton = mw_dbus_monitor1_skeleton_new ();
  mw_dbus_monitor1_set_snapshot (fixture->skeleton, json);
  g_signal_connect (fixture->skeleton, "handle-check-now", G_CALLBACK (handle_check_now), fixture);
  g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (fixture->skeleton),
                                    fixture->service_connection, SERVICE_OBJECT_PATH, &error);
  g_assert_no_error (error);

  fixture->owned = FALSE;
  fixture->owner_id = g_bus_own_name_on_connection (fixture->service_connection, SERVICE_ID,
                                                    G_BUS_NAME_OWNER_FLAGS_NONE,
                                                    name_acquired_cb, NULL, fixture, NULL);
  WAIT_FOR (fixture->owned);
}

static void
service_stop (Fixture *fixture)
{
  g_clear_handle_id (&fixture->owner_id, g_bus_unown_name);
  if (fixture->skeleton != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (fixture->skeleton));
  g_clear_object (&fixture->check_invocation);
  g_clear_object (&fixture->skeleton);
  if (fixture->service_connection != NULL)
    g_dbus_connection_close_sync (fixture->service_connection, NULL, NULL);
  g_clear_object (&fixture->service_connection);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->bus = test_bus;
  fixture->client_connection =
    g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
open_window (Fixture *fixture)
{
  fixture->client = mw_monitor_client_new (fixture->client_connection);
  /* No spawn fallback: a test must never start a real service. */
  mw_monitor_client_set_spawn_argv (fixture->client, NULL);
  fixture->window = mw_window_new (NULL, fixture->client);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 480);
  gtk_window_present (GTK_WINDOW (fixture->window));
  mw_monitor_client_start (fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  g_clear_object (&fixture->client);
  service_stop (fixture);
  g_dbus_connection_close_sync (fixture->client_connection, NULL, NULL);
  g_clear_object (&fixture->client_connection);
  spin (50);
}

static const char *
row_title (gpointer row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
provider_subtitle (MwProviderRow *row)
{
  return adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));
}

static const char *
model_subtitle (MwModelRow *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
page_is (Fixture    *fixture,
         const char *page)
{
  return g_strcmp0 (mw_window_get_page (fixture->window), page) == 0;
}

/* What the window shows now, or %NULL while it has nothing to show. */
static GskRenderNode *
render_window (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

/* Keeps a picture of the window in the build dir's tests/artifacts/. */
static void
save_picture (Fixture    *fixture,
              const char *name)
{
  GtkWidget *widget = GTK_WIDGET (fixture->window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "artifacts", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  /* Let the page settle; under the sanitizers a window can take longer
   * than that to be mapped and drawn at all, so wait for its picture. */
  spin (300);
  WAIT_FOR (gtk_widget_get_mapped (widget) && (node = render_window (widget)) != NULL);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("picture: %s", path);
}

/* ---- tests ---- */

static void
test_rows (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *json = load_fixture ();
  MwProviderRow *anthropic, *openai, *example;
  MwModelRow *opus, *sonnet, *gpt5, *example1;
  GtkWidget *incident;

  service_start (fixture, json);
  open_window (fixture);
  WAIT_FOR (page_is (fixture, "status"));

  g_assert_cmpuint (mw_window_get_n_provider_rows (fixture->window), ==, 3);
  g_assert_cmpstr (mw_window_get_headline (fixture->window), ==, "Claude Opus 4.7: major outage");
  g_assert_true (g_str_has_prefix (mw_window_get_checked_text (fixture->window), "Last checked at "));
  g_assert_null (mw_window_get_offline_text (fixture->window));

  anthropic = mw_window_get_provider_row (fixture->window, "anthropic");
  openai = mw_window_get_provider_row (fixture->window, "openai");
  example = mw_window_get_provider_row (fixture->window, "example");
  g_assert_nonnull (anthropic);
  g_assert_nonnull (openai);
  g_assert_nonnull (example);

  g_assert_cmpstr (row_title (anthropic), ==, "Anthropic");
  g_assert_cmpstr (provider_subtitle (anthropic), ==,
                   "Major outage\nStatus page: Major System Outage\nAPI probe: operational, 182 ms");
  g_assert_cmpint (mw_provider_row_get_health (anthropic), ==, MW_HEALTH_MAJOR_OUTAGE);
  /* What needs attention opens by itself; the rest stays closed. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (anthropic)));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (openai)));

  g_assert_cmpstr (row_title (openai), ==, "OpenAI");
  g_assert_cmpstr (provider_subtitle (openai), ==,
                   "Operational\nStatus page: All Systems Operational\nAPI probe: operational, 95 ms");
  g_assert_cmpstr (row_title (example), ==, "Example AI");
  g_assert_cmpstr (provider_subtitle (example), ==,
                   "Unknown\nUnknown: status.example.com answered HTTP 503");

  /* A closed row builds its children when first opened. */
  g_assert_null (mw_provider_row_find_model_row (openai, "openai/gpt-5"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (openai), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (example), TRUE);

  opus = mw_provider_row_find_model_row (anthropic, "anthropic/claude-opus-4-7");
  sonnet = mw_provider_row_find_model_row (anthropic, "anthropic/claude-sonnet-4-6");
  gpt5 = mw_provider_row_find_model_row (openai, "openai/gpt-5");
  example1 = mw_provider_row_find_model_row (example, "example/example-1");
  g_assert_nonnull (opus);
  g_assert_nonnull (sonnet);
  g_assert_nonnull (gpt5);
  g_assert_nonnull (example1);

  g_assert_cmpstr (row_title (opus), ==, "Claude Opus 4.7");
  {
    g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 ("2026-06-05T15:08:00Z", NULL);
    g_autofree char *time = mw_window_format_time (since);
    g_autofree char *expected =
      g_strdup_printf ("Major outage since %s\n"
                       "Elevated errors on Claude Opus 4.7\n"
                       "Official: major outage · Probe: operational\n"
                       "Use instead: Claude Sonnet 4.6", time);

    g_assert_cmpstr (model_subtitle (opus), ==, expected);
  }
  g_assert_true (g_str_has_prefix (model_subtitle (sonnet), "Operational since "));
  g_assert_null (strstr (model_subtitle (sonnet), "Use instead"));
  g_assert_cmpstr (row_title (gpt5), ==, "GPT-5");
  g_assert_cmpstr (model_subtitle (example1), ==,
                   "Unknown\nstatus.example.com answered HTTP 503\nOfficial: unknown");

  incident = mw_provider_row_find_incident_row (anthropic, "inc-opus");
  g_assert_nonnull (incident);
  g_assert_cmpstr (row_title (incident), ==, "Elevated errors on Claude Opus 4.7");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (incident)), ==, "win.open-incident");
}

static void
make_openai_degraded (JsonObject *root)
{
  JsonObject *openai = provider_object (root, 1);
  JsonObject *gpt5 = model_object (root, 1, 0);
  JsonObject *anthropic = provider_object (root, 0);
  JsonObject *opus = model_object (root, 0, 0);

  json_object_set_string_member (root, "checked_at", "2026-06-05T17:12:00Z");
  json_object_set_string_member (root, "health", "degraded");
  json_object_set_string_member (openai, "health", "degraded");
  json_object_set_string_member (gpt5, "health", "degraded");
  json_object_set_string_member (gpt5, "reason", "Increased latency for GPT-5");
  json_object_set_string_member (gpt5, "fallback", "anthropic/claude-opus-4-7");
  json_object_set_string_member (json_object_get_object_member (gpt5, "signals"), "official", "degraded");

  /* Opus recovers: the row must not collapse or reopen by itself. */
  json_object_set_string_member (anthropic, "health", "operational");
  json_object_set_string_member (opus, "health", "operational");
  json_object_set_null_member (opus, "reason");
  json_object_set_string_member (json_object_get_object_member (opus, "signals"), "official", "operational");
}

static void
add_provider (JsonObject *root)
{
  JsonArray *providers = json_object_get_array_member (root, "providers");
  g_autofree char *openai = json_to_string (json_array_get_element (providers, 1), FALSE);
  /* json_node_copy() shares the object: copy through text instead. */
  JsonNode *copy = json_from_string (openai, NULL);
  JsonObject *object = json_node_get_object (copy);

  json_object_set_string_member (object, "id", "mistral");
  json_object_set_string_member (object, "name", "Mistral AI");
  json_object_set_array_member (object, "models", json_array_new ());
  json_array_add_element (providers, copy);
}

static void
remove_example (JsonObject *root)
{
  json_array_remove_element (json_object_get_array_member (root, "providers"), 2);
}

static void
test_changed_in_place (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *json = load_fixture ();
  g_autofree char *degraded = edit_fixture (make_openai_degraded);
  g_autofree char *added = edit_fixture (add_provider);
  g_autofree char *removed = edit_fixture (remove_example);
  MwProviderRow *anthropic, *openai, *example;
  MwModelRow *gpt5, *opus;
  GtkAdjustment *adjustment;
  GtkWidget *scroller;
  double scrolled_to;

  service_start (fixture, json);
  open_window (fixture);
  WAIT_FOR (page_is (fixture, "status"));

  anthropic = mw_window_get_provider_row (fixture->window, "anthropic");
  openai = mw_window_get_provider_row (fixture->window, "openai");
  example = mw_window_get_provider_row (fixture->window, "example");

  /* The user closes Anthropic, opens OpenAI and scrolls down a bit. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (anthropic), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (openai), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (example), TRUE);
  gpt5 = mw_provider_row_find_model_row (openai, "openai/gpt-5");
  opus = mw_provider_row_find_model_row (anthropic, "anthropic/claude-opus-4-7");
  g_assert_nonnull (gpt5);
  g_assert_nonnull (opus);
  spin (400);
  scroller = gtk_widget_get_ancestor (GTK_WIDGET (anthropic), GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  /* The expander animation and layout take longer on a slow machine. */
  WAIT_FOR (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) > 40);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment), >, 40);
  gtk_adjustment_set_value (adjustment, 40);
  scrolled_to = gtk_adjustment_get_value (adjustment);

  service_publish (fixture, degraded);
  WAIT_FOR (g_strcmp0 (mw_window_get_headline (fixture->window), "GPT-5: degraded") == 0);
  spin (100);

  /* The same widgets, updated in place, as the user left them. */
  g_assert_true (mw_window_get_provider_row (fixture->window, "anthropic") == anthropic);
  g_assert_true (mw_window_get_provider_row (fixture->window, "openai") == openai);
  g_assert_true (mw_window_get_provider_row (fixture->window, "example") == example);
  g_assert_true (mw_provider_row_find_model_row (openai, "openai/gpt-5") == gpt5);
  g_assert_true (mw_provider_row_find_model_row (anthropic, "anthropic/claude-opus-4-7") == opus);
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (anthropic)));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (openai)));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (example)));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, scrolled_to);

  g_assert_true (g_str_has_prefix (provider_subtitle (openai), "Degraded\n"));
  g_assert_true (g_str_has_prefix (model_subtitle (gpt5), "Degraded since "));
  g_assert_nonnull (strstr (model_subtitle (gpt5), "\nIncreased latency for GPT-5\n"));
  g_assert_nonnull (strstr (model_subtitle (gpt5), "\nOfficial: degraded · Probe: operational\n"));
  g_assert_nonnull (strstr (model_subtitle (gpt5), "\nUse instead: Claude Opus 4.7"));
  g_assert_true (g_str_has_prefix (model_subtitle (opus), "Operational since "));
  g_assert_cmpint (mw_model_row_get_health (opus), ==, MW_HEALTH_OPERATIONAL);

  /* A provider appears: one new row, the others untouched. */
  service_publish (fixture, added);
  WAIT_FOR (mw_window_get_n_provider_rows (fixture->window) == 4);
  g_assert_true (mw_window_get_provider_row (fixture->window, "anthropic") == anthropic);
  g_assert_true (mw_window_get_provider_row (fixture->window, "openai") == openai);
  g_assert_true (mw_window_get_provider_row (fixture->window, "example") == example);
  g_assert_cmpstr (row_title (mw_window_get_provider_row (fixture->window, "mistral")), ==, "Mistral AI");
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (mw_window_get_provider_row (fixture->window,
                                                                                             "mistral"))), ==, 3);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (openai)));

  /* And one goes away. */
  service_publish (fixture, removed);
  WAIT_FOR (mw_window_get_n_provider_rows (fixture->window) == 2);
  g_assert_null (mw_window_get_provider_row (fixture->window, "example"));
  g_assert_true (mw_window_get_provider_row (fixture->window, "openai") == openai);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (openai)));
}

static void
test_opens_trouble (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *json = load_fixture ();
  g_autofree char *degraded = edit_fixture (make_openai_degraded);
  MwProviderRow *openai, *example;

  service_start (fixture, json);
  open_window (fixture);
  WAIT_FOR (page_is (fixture, "status"));
  openai = mw_window_get_provider_row (fixture->window, "openai");
  example = mw_window_get_provider_row (fixture->window, "example");
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (openai)));

  /* The user opens and closes Example AI: it is theirs from now on. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (example), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (example), FALSE);

  /* OpenAI comes into trouble and opens by itself. */
  service_publish (fixture, degraded);
  WAIT_FOR (g_strcmp0 (mw_window_get_headline (fixture->window), "GPT-5: degraded") == 0);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (openai)));
  g_assert_nonnull (mw_provider_row_find_model_row (openai, "openai/gpt-5"));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (example)));
}

static void
recheck (JsonObject *root)
{
  json_object_set_string_member (root, "checked_at", "2026-06-05T18:27:00Z");
}

static void
test_check_now (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *json = load_fixture ();
  g_autofree char *after = edit_fixture (recheck);
  g_autoptr(GDateTime) checked = g_date_time_new_from_iso8601 ("2026-06-05T18:27:00Z", NULL);
  g_autofree char *time = mw_window_format_time (checked);
  g_autofree char *expected = g_strdup_printf ("Last checked at %s", time);

  service_start (fixture, json);
  open_window (fixture);
  WAIT_FOR (page_is (fixture, "status"));
  g_assert_false (mw_window_get_spinner_visible (fixture->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.check-now", NULL));

  WAIT_FOR (fixture->check_invocation != NULL);
  g_assert_cmpuint (fixture->n_checks, ==, 1);
  /* The service says it is checking: the spinner runs, the button waits. */
  spin (100);
  g_assert_true (mw_window_get_spinner_visible (fixture->window));
  g_assert_true (mw_monitor_client_get_checking (fixture->client));
  save_picture (fixture, "window-checking-360.png");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.check-now", NULL) &&
                  fixture->n_checks > 1);
  g_assert_cmpuint (fixture->n_checks, ==, 1);

  /* The poll ends with a new snapshot. */
  service_publish (fixture, after);
  mw_dbus_monitor1_set_checking (fixture->skeleton, FALSE);
  mw_dbus_monitor1_complete_check_now (fixture->skeleton, g_steal_pointer (&fixture->check_invocation));
  WAIT_FOR (!mw_window_get_spinner_visible (fixture->window));
  WAIT_FOR (g_strcmp0 (mw_window_get_checked_text (fixture->window), expected) == 0);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *json = load_fixture ();

  /* No service, and the private bus cannot activate one. */
  open_window (fixture);
  WAIT_FOR (page_is (fixture, "unreachable"));
  g_assert_cmpint (mw_monitor_client_get_state (fixture->client), ==, MW_CLIENT_STATE_UNREACHABLE);
  g_assert_nonnull (mw_monitor_client_get_error (fixture->client));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.check-now", NULL) &&
                  fixture->n_checks > 0);

  /* The service starts some other way: the window follows. */
  service_start (fixture, json);
  WAIT_FOR (page_is (fixture, "status"));
  g_assert_cmpuint (mw_window_get_n_provider_rows (fixture->window), ==, 3);

  /* The service goes away: say so, and offer to start it. */
  service_stop (fixture);
  WAIT_FOR (page_is (fixture, "unreachable"));
  g_assert_cmpstr (mw_monitor_client_get_error (fixture->client), ==, "The Modelwatch service stopped.");
  save_picture (fixture, "window-unreachable-360.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-service", NULL));
  WAIT_FOR (page_is (fixture, "unreachable"));
}

static void
never_checked (JsonObject *root)
{
  json_object_set_null_member (root, "checked_at");
}

static void
go_offline (JsonObject *root)
{
  json_object_set_boolean_member (root, "offline", TRUE);
}

static void
test_first_run_and_offline (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *first = edit_fixture (never_checked);
  g_autofree char *offline = edit_fixture (go_offline);
  g_autoptr(GDateTime) checked = g_date_time_new_from_iso8601 ("2026-06-05T15:10:02Z", NULL);
  g_autofree char *time = mw_window_format_time (checked);
  g_autofree char *expected = g_strdup_printf ("Offline — showing the last known state from %s", time);

  service_start (fixture, first);
  open_window (fixture);
  WAIT_FOR (page_is (fixture, "first-run"));

  service_publish (fixture, offline);
  WAIT_FOR (page_is (fixture, "status"));
  g_assert_cmpstr (mw_window_get_offline_text (fixture->window), ==, expected);
  save_picture (fixture, "window-offline-360.png");
}

static void
test_incident (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *json = load_fixture ();
  g_autoptr(GDateTime) first = g_date_time_new_from_iso8601 ("2026-06-05T15:08:00Z", NULL);
  g_autoptr(GDateTime) second = g_date_time_new_from_iso8601 ("2026-06-05T15:25:00Z", NULL);
  g_autofree char *first_time = mw_window_format_time (first);
  g_autofree char *second_time = mw_window_format_time (second);
  g_autofree char *first_title = g_strdup_printf ("%s · investigating", first_time);
  g_autofree char *second_title = g_strdup_printf ("%s · identified", second_time);
  g_auto(GStrv) texts = NULL;
  GtkWindow *dialog;

  service_start (fixture, json);
  open_window (fixture);
  WAIT_FOR (page_is (fixture, "status"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-incident",
                                             "(ss)", "anthropic", "inc-opus"));
  dialog = mw_window_get_incident_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (fixture->window));

  texts = mw_incident_dialog_dup_texts (MW_INCIDENT_DIALOG (dialog));
  /* Name, then what it affects, then the updates oldest first. */
  g_assert_cmpuint (g_strv_length (texts), ==, 6);
  g_assert_cmpstr (texts[0], ==, "Elevated errors on Claude Opus 4.7");
  g_assert_cmpstr (texts[1], ==, "Claude API (api.anthropic.com)");
  g_assert_cmpstr (texts[2], ==, "claude.ai");
  g_assert_cmpstr (texts[3], ==, "Claude Opus 4.7");
  g_assert_cmpstr (texts[4], ==, first_title);
  g_assert_cmpstr (texts[5], ==, second_title);

  gtk_window_destroy (dialog);
  g_assert_null (mw_window_get_incident_dialog (fixture->window));
}

static void
test_show_model (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *json = load_fixture ();
  MwProviderRow *openai;
  MwModelRow *gpt5;

  service_start (fixture, json);
  open_window (fixture);
  /* Asked before the snapshot arrives, as `--model` on launch does. */
  mw_window_show_model (fixture->window, "openai/gpt-5");
  WAIT_FOR (page_is (fixture, "status"));

  openai = mw_window_get_provider_row (fixture->window, "openai");
  gpt5 = mw_provider_row_find_model_row (openai, "openai/gpt-5");
  WAIT_FOR (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (openai)));
  WAIT_FOR (gtk_root_get_focus (GTK_ROOT (fixture->window)) == GTK_WIDGET (gpt5));
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "1", TRUE);

  /* GTestDBus unsets DISPLAY: bring the bus up first. */
  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);

  if (!start_xvfb ())
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("Xvfb is missing (install xvfb)");
      g_test_skip ("Xvfb is missing");
      return g_test_run ();
    }

  gtk_init ();
  adw_init ();

  g_test_add ("/window/rows", Fixture, NULL, fixture_set_up, test_rows, fixture_tear_down);
  g_test_add ("/window/changed-in-place", Fixture, NULL, fixture_set_up, test_changed_in_place, fixture_tear_down);
  g_test_add ("/window/opens-trouble", Fixture, NULL, fixture_set_up, test_opens_trouble, fixture_tear_down);
  g_test_add ("/window/check-now", Fixture, NULL, fixture_set_up, test_check_now, fixture_tear_down);
  g_test_add ("/window/unreachable", Fixture, NULL, fixture_set_up, test_unreachable, fixture_tear_down);
  g_test_add ("/window/first-run-offline", Fixture, NULL, fixture_set_up, test_first_run_and_offline, fixture_tear_down);
  g_test_add ("/window/incident", Fixture, NULL, fixture_set_up, test_incident, fixture_tear_down);
  g_test_add ("/window/show-model", Fixture, NULL, fixture_set_up, test_show_model, fixture_tear_down);

  ret = g_test_run ();
  stop_xvfb ();
  /* No g_test_dbus_down(): GTK keeps a reference to the session bus until
   * exit, which it would wait for; GTestDBus's watcher process ends the
   * daemon when this process exits. */
  return ret;
}
