/* test-replay.c
 *
 * `modelwatch replay` of the 5 June 2026 Claude outage, compressed to well
 * under a second: one degradation notice with a fallback outside
 * Anthropic, then one recovery per model in the order they came back, and
 * suggestions that move to a Claude model as soon as one is back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#define SCENARIO "2026-06-05-claude.json"

static char *
scenario_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "scenarios", SCENARIO, NULL);
}

static int
run_replay (const char * const *args,
            const char         *bus_address,
            char              **out,
            char              **err)
{
  const char *bin = g_getenv ("MODELWATCH_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "replay");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "TZ", "UTC", TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));

  return WEXITSTATUS (status);
}

typedef struct {
  char     *type;
  char     *at;        /* "15:08" */
  char     *summary;
  char     *body;
  char     *urgency;
  guint     serial;
  gboolean  replaces;
  char     *model;
  char     *fallback;  /* NULL: none */
} Line;

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->type);
  g_free (line->at);
  g_free (line->summary);
  g_free (line->body);
  g_free (line->urgency);
  g_free (line->model);
  g_free (line->fallback);
  g_free (line);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? g_strdup (json_node_get_string (node)) : NULL;
}

static GPtrArray *
parse_lines (const char *out)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (line_free);
  g_auto(GStrv) texts = g_strsplit (out, "\n", -1);

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *object;
      Line *line;
      g_autofree char *at = NULL;

      if (*texts[i] == '\0')
        continue;
      node = json_from_string (texts[i], &error);
      g_assert_no_error (error);
      object = json_node_get_object (node);
      line = g_new0 (Line, 1);
      line->type = dup_member (object, "type");
      at = dup_member (object, "at");
      g_assert_nonnull (at);
      /* "2026-06-05T15:08:00Z" -> "15:08" */
      g_assert_true (g_str_has_prefix (at, "2026-06-05T"));
      line->at = g_strndup (at + 11, 5);
      line->summary = dup_member (object, "summary");
      line->body = dup_member (object, "body");
      line->urgency = dup_member (object, "urgency");
      line->model = dup_member (object, "model");
      line->fallback = dup_member (object, "fallback");
      if (json_object_has_member (object, "serial"))
        line->serial = json_object_get_int_member (object, "serial");
      if (json_object_has_member (object, "replaces"))
        line->replaces = json_object_get_boolean_member (object, "replaces");
      g_ptr_array_add (lines, line);
    }

  return lines;
}

static GPtrArray *
of_type (GPtrArray  *lines,
         const char *type)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (((Line *) g_ptr_array_index (lines, i))->type, type))
      g_ptr_array_add (out, g_ptr_array_index (lines, i));

  return out;
}

/* The suggestion for @model in force at @at ("HH:MM"), from the lines. */
static const char *
suggestion_at (GPtrArray  *suggestions,
               const char *model,
               const char *at)
{
  const char *fallback = "(none yet)";

  for (guint i = 0; i < suggestions->len; i++)
    {
      Line *line = g_ptr_array_index (suggestions, i);

      if (g_str_equal (line->model, model) && strcmp (line->at, at) <= 0)
        fallback = line->fallback != NULL ? line->fallback : "(null)";
    }

  return fallback;
}

static void
check_timeline (const char *out)
{
  g_autoptr(GPtrArray) lines = parse_lines (out);
  g_autoptr(GPtrArray) notes = of_type (lines, "notification");
  g_autoptr(GPtrArray) suggestions = of_type (lines, "suggestion");
  static const struct {
    const char *at;
    const char *summary;
    const char *last_line;
  } recoveries[] = {
    { "15:26", "Claude Opus 4.6 is back — down for 17 min", "Use Claude Opus 4.6 instead (operational)" },
    { "16:24", "Claude Sonnet 4.6 is back — down for 1 h 15 min", "Use Claude Opus 4.6 instead (operational)" },
    { "17:00", "Claude Opus 4.8 is back — down for 1 h 51 min", "Opus 4.5: use Claude Opus 4.6 instead (operational)" },
    { "17:13", "Claude Opus 4.7 is back — down for 2 h 04 min", "Use Claude Opus 4.6 instead (operational)" },
    { "17:30", "Claude Opus 4.5 is back — down for 2 h 21 min", "All Anthropic models are operational." },
  };
  Line *down;

  /* One degradation notice, for every affected model at once, pointing
   * outside Anthropic because every Claude model is down. */
  g_assert_cmpuint (notes->len, ==, 1 + G_N_ELEMENTS (recoveries));
  down = g_ptr_array_index (notes, 0);
  g_assert_cmpstr (down->at, ==, "15:08");
  g_assert_cmpstr (down->summary, ==,
                   "5 Anthropic models down: Opus 4.8, Opus 4.7, Opus 4.6, Opus 4.5, Sonnet 4.6");
  g_assert_cmpstr (down->body, ==,
                   "Elevated errors on the Claude API, claude.ai, Claude Code and Cowork\n"
                   "Since 15:08\n"
                   "Use GPT-5 instead (operational)");
  g_assert_cmpstr (down->urgency, ==, "critical");
  g_assert_false (down->replaces);
  g_assert_cmpuint (down->serial, ==, 1);

  /* Then the recoveries, in the order the models came back, each one
   * replacing the same notification in place. */
  for (guint i = 0; i < G_N_ELEMENTS (recoveries); i++)
    {
      Line *note = g_ptr_array_index (notes, i + 1);
      g_auto(GStrv) body = g_strsplit (note->body, "\n", -1);

      g_assert_cmpstr (note->at, ==, recoveries[i].at);
      g_assert_cmpstr (note->summary, ==, recoveries[i].summary);
      g_assert_cmpstr (body[g_strv_length (body) - 1], ==, recoveries[i].last_line);
      g_assert_cmpstr (note->urgency, ==, "normal");
      g_assert_true (note->replaces);
      g_assert_cmpuint (note->serial, ==, 1);
    }
  {
    Line *opus48 = g_ptr_array_index (notes, 3);

    g_assert_nonnull (strstr (opus48->body, "Opus 4.7: use Claude Opus 4.8 instead (operational)\n"));
  }

  /* Suggestions switch to the first recovered Claude model of each chain
   * as soon as it is back, before its recovery is confirmed. */
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-opus-4-7", "15:08"), ==, "openai/gpt-5");
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-opus-4-7", "15:24"), ==, "openai/gpt-5");
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-opus-4-7", "15:25"), ==, "anthropic/claude-opus-4-6");
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-opus-4-7", "16:59"), ==, "anthropic/claude-opus-4-8");
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-opus-4-5", "15:25"), ==, "anthropic/claude-opus-4-6");
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-opus-4-5", "17:12"), ==, "anthropic/claude-opus-4-6");
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-sonnet-4-6", "15:25"), ==, "anthropic/claude-opus-4-6");
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-opus-4-8", "15:25"), ==, "anthropic/claude-opus-4-6");
  /* A model that is back is told nothing. */
  g_assert_cmpstr (suggestion_at (suggestions, "anthropic/claude-opus-4-6", "18:00"), ==, "openai/gpt-5");
}

static void
test_dry_run (void)
{
  g_autofree char *path = scenario_path ();
  const char *args[] = { path, "--speed", "1000000", "--dry-run", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (run_replay (args, "unix:path=/nonexistent", &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  /* Three and a half hours of polls a minute apart, in well under 10 s. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  check_timeline (out);
}

static void
test_without_server (void)
{
  g_autofree char *path = scenario_path ();
  const char *args[] = { path, "--speed", "1000000", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *first, *second;

  /* Sending for real with no notification server: the same output, and
   * the problem said once. */
  g_assert_cmpint (run_replay (args, "unix:path=/nonexistent", &out, &err), ==, 0);
  check_timeline (out);
  first = strstr (err, "Notifications cannot be shown");
  g_assert_nonnull (first);
  second = strstr (first + 1, "Notifications cannot be shown");
  g_assert_null (second);
}

static void
test_human_output (void)
{
  g_autofree char *path = scenario_path ();
  const char *args[] = { path, "--speed", "1000000", "--dry-run", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_replay (args, "unix:path=/nonexistent", &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Claude outage of 5 June 2026\n"));
  g_assert_nonnull (strstr (out, "2026-06-05 15:08 UTC  #1 critical: 5 Anthropic models down: "
                                 "Opus 4.8, Opus 4.7, Opus 4.6, Opus 4.5, Sonnet 4.6\n"
                                 "      Elevated errors on the Claude API, claude.ai, Claude Code and Cowork\n"));
  g_assert_nonnull (strstr (out, "2026-06-05 17:13 UTC  #1 (replaced) normal: "
                                 "Claude Opus 4.7 is back — down for 2 h 04 min\n"));
  g_assert_nonnull (strstr (out, "2026-06-05 15:25 UTC  suggestion for Claude Opus 4.7: Claude Opus 4.6\n"));
}

/* A timeline of Statuspage pages goes through the reader and the health
 * rules, as a fetched page would. */
static void
test_summary_pages (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures",
                                                 "replay-statuspage-anthropic-summary.json", NULL);
  const char *args[] = { path, "--speed", "1000000", "--dry-run", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  Line *down, *back;

  g_assert_cmpint (run_replay (args, "unix:path=/nonexistent", &out, &err), ==, 0);
  lines = parse_lines (out);
  notes = of_type (lines, "notification");
  g_assert_cmpuint (notes->len, ==, 2);
  down = g_ptr_array_index (notes, 0);
  back = g_ptr_array_index (notes, 1);
  g_assert_cmpstr (down->at, ==, "15:02");
  g_assert_cmpstr (down->summary, ==, "Claude Opus 4.7 — major outage");
  g_assert_cmpstr (down->body, ==, "Elevated errors on Claude Opus 4.7\n"
                                   "Since 15:02\n"
                                   "Use Claude Sonnet 4.6 instead (operational)");
  g_assert_cmpstr (back->at, ==, "15:11");
  g_assert_cmpstr (back->summary, ==, "Claude Opus 4.7 is back — down for 8 min");
}

static void
test_errors (void)
{
  const char *missing[] = { "/nonexistent/scenario.json", "--dry-run", NULL };
  const char *none[] = { "--dry-run", NULL };
  const char *bad_speed[] = { "x.json", "--speed", "0", NULL };
  g_autofree char *dir = g_dir_make_tmp ("modelwatch-replay-XXXXXX", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.json", NULL);
  const char *bad_timeline[] = { broken, "--dry-run", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_replay (missing, "unix:path=/nonexistent", &out, &err), ==, 78);
  g_assert_nonnull (strstr (err, "/nonexistent/scenario.json"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_replay (none, "unix:path=/nonexistent", &out, &err), ==, 64);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_replay (bad_speed, "unix:path=/nonexistent", &out, &err), ==, 64);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A timeline naming a model the catalog lacks is refused by name. */
  g_assert_true (g_file_set_contents (broken,
    "{\"interval\": 60, \"start\": \"2026-06-05T15:00:00Z\", \"end\": \"2026-06-05T15:05:00Z\","
    " \"catalog\": {\"version\": 1, \"providers\": [{\"id\": \"anthropic\", \"name\": \"Anthropic\","
    "   \"status_page\": {\"url\": \"https://status.claude.com\", \"platform\": \"statuspage\"},"
    "   \"models\": [{\"id\": \"claude-opus-4-7\", \"name\": \"Claude Opus 4.7\"}]}]},"
    " \"timeline\": [{\"at\": \"2026-06-05T15:01:00Z\", \"models\": {\"anthropic/claude-opus-9\": \"major_outage\"}}]}",
    -1, NULL));
  g_assert_cmpint (run_replay (bad_timeline, "unix:path=/nonexistent", &out, &err), ==, 78);
  g_assert_nonnull (strstr (err, "anthropic/claude-opus-9"));

  g_unlink (broken);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/replay/2026-06-05/dry-run", test_dry_run);
  g_test_add_func ("/replay/2026-06-05/without-server", test_without_server);
  g_test_add_func ("/replay/2026-06-05/human-output", test_human_output);
  g_test_add_func ("/replay/summary-pages", test_summary_pages);
  g_test_add_func ("/replay/errors", test_errors);

  return g_test_run ();
}
