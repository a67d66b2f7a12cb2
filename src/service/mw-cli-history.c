/* mw-cli-history.c
 *
 * `modelwatch history [MODEL] [--since DURATION] [--json]`: the changes
 * of health the service recorded, and each model's and provider's uptime
 * over the window. It only reads the history: it never creates it.
 *
 * Uptime is the share of the time with known data that was operational
 * or in maintenance; the time with no data (the service not running, a
 * page that could not be read) is left out and shown on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mw-cli.h"
#include "mw-history.h"
#include "mw-snapshot.h"

#define DEFAULT_SINCE (24 * 3600)

/* "30m", "24h", "7d", "2w", "90s" → seconds; 0 when not a duration. */
static gint64
parse_duration (const char *text)
{
  static const struct { char unit; gint64 seconds; } units[] = {
    { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 7 * 86400 },
  };
  g_autofree char *number = NULL;
  guint64 value = 0;
  gsize len;

  if (text == NULL || (len = strlen (text)) < 2)
    return 0;

  number = g_strndup (text, len - 1);
  /* ten years is plenty, and keeps the product far from overflow */
  if (!g_ascii_string_to_unsigned (number, 10, 1, 3650 * 86400, &value, NULL))
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (units[i].unit == text[len - 1])
      return MIN ((gint64) value * units[i].seconds, (gint64) 3650 * 86400);

  return 0;
}

static char *
format_local (gint64 at)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (at);

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static char *
format_utc (gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);

  return mw_format_iso8601 (utc);
}

static char *
format_span (gint64 seconds)
{
  return mw_format_duration ((GTimeSpan) seconds * G_TIME_SPAN_SECOND);
}

/* "(down 2 h 04 min)": how long the state that ended lasted. */
static char *
describe_duration (const MwTransition *t)
{
  g_autofree char *span = NULL;

  if (t->initial || t->duration < 0)
    return NULL;

  span = format_span (t->duration);
  switch (t->old_health)
    {
    case MW_HEALTH_PARTIAL_OUTAGE:
    case MW_HEALTH_MAJOR_OUTAGE:
      /* TRANSLATORS: how long a model was down, as in "down 2 h 04 min" */
      return g_strdup_printf (_("down %s"), span);
    case MW_HEALTH_DEGRADED:
      return g_strdup_printf (_("degraded %s"), span);
    case MW_HEALTH_MAINTENANCE:
      return g_strdup_printf (_("in maintenance %s"), span);
    case MW_HEALTH_OPERATIONAL:
      return g_strdup_printf (_("up %s"), span);
    case MW_HEALTH_UNKNOWN:
    default:
      return g_strdup_printf (_("unknown %s"), span);
    }
}

static gint
compare_by_time (gconstpointer a,
                 gconstpointer b)
{
  const MwTransition *ta = *(const MwTransition * const *) a;
  const MwTransition *tb = *(const MwTransition * const *) b;

  if (ta->at != tb->at)
    return ta->at < tb->at ? -1 : 1;

  return g_strcmp0 (ta->subject, tb->subject);
}

static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  glong len = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = len; i < (glong) width; i++)
    g_string_append_c (out, ' ');
}

static void
print_table (GPtrArray  *timelines,
             gint64      since,
             const char *window)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autofree char *from = format_local (since);
  guint width = 0;

  for (guint i = 0; i < timelines->len; i++)
    {
      MwTimeline *timeline = g_ptr_array_index (timelines, i);

      width = MAX (width, (guint) g_utf8_strlen (timeline->subject, -1));
      for (guint j = 0; j < timeline->transitions->len; j++)
        g_ptr_array_add (all, g_ptr_array_index (timeline->transitions, j));
    }
  g_ptr_array_sort (all, compare_by_time);

  /* TRANSLATORS: "Since 2026-06-04 17:30 (last 24h)" */
  g_string_append_printf (out, _("Since %s (last %s)"), from, window);
  g_string_append (out, "\n\n");

  if (all->len == 0)
    g_string_append_printf (out, "%s\n", _("No change of health in this window."));

  for (guint i = 0; i < all->len; i++)
    {
      const MwTransition *t = g_ptr_array_index (all, i);
      g_autofree char *when = format_local (t->at);
      g_autofree char *duration = describe_duration (t);

      g_string_append_printf (out, "%s  ", when);
      append_padded (out, t->subject, width);
      g_string_append (out, "  ");
      if (t->initial)
        /* TRANSLATORS: the first state seen when the service started */
        g_string_append_printf (out, _("started as %s"), mw_health_to_string (t->new_health));
      else
        g_string_append_printf (out, "%s → %s", mw_health_to_string (t->old_health),
                                mw_health_to_string (t->new_health));
      if (duration != NULL)
        g_string_append_printf (out, "  (%s)", duration);
      g_string_append_printf (out, "  [%s]", mw_history_source_to_string (t->source));
      if (t->reason != NULL)
        g_string_append_printf (out, " %s", t->reason);
      g_string_append_c (out, '\n');
    }

  g_string_append_printf (out, "\n%s\n", _("Uptime (share of the time with known data)"));
  for (guint i = 0; i < timelines->len; i++)
    {
      const MwTimeline *timeline = g_ptr_array_index (timelines, i);
      double uptime = mw_timeline_get_uptime (timeline);
      gint64 unknown = MAX (0, (timeline->until - timeline->since) - timeline->known_seconds);
      g_autofree char *known = format_span (timeline->known_seconds);

      g_string_append (out, "  ");
      append_padded (out, timeline->subject, width);
      g_string_append (out, "  ");
      if (uptime < 0)
        g_string_append_printf (out, "%8s", _("no data"));
      else
        g_string_append_printf (out, "%6.2f %%", uptime);
      g_string_append_printf (out, _("  known %s"), known);
      if (unknown > 0)
        {
          g_autofree char *unknown_span = format_span (unknown);

          g_string_append_printf (out, _(", unknown %s"), unknown_span);
        }
      g_string_append_c (out, '\n');
    }

  g_print ("%s", out->str);
}

static void
print_json (GPtrArray *timelines,
            gint64     since,
            gint64     until)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *since_text = format_utc (since);
  g_autofree char *until_text = format_utc (until);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = NULL;
  g_autofree char *generated = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "since");
  json_builder_add_string_value (builder, since_text);
  json_builder_set_member_name (builder, "until");
  json_builder_add_string_value (builder, until_text);
  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);

  for (guint i = 0; i < timelines->len; i++)
    {
      const MwTimeline *timeline = g_ptr_array_index (timelines, i);
      double uptime = mw_timeline_get_uptime (timeline);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, timeline->subject);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, mw_history_kind_to_string (timeline->kind));
      json_builder_set_member_name (builder, "uptime");
      if (uptime < 0)
        {
          json_builder_add_null_value (builder);
        }
      else
        {
          /* A percentage to two decimals, as the table shows it. JSON-GLib
           * writes doubles with 17 digits (91.670000000000002): a string
           * stands in for the number and is swapped for it below. No
           * string of ours can hold a control character unescaped, so the
           * stand-in cannot match anything else. */
          g_autofree char *stand_in = g_strdup_printf ("\001uptime%u\001", i);
          char number[G_ASCII_DTOSTR_BUF_SIZE];

          json_builder_add_string_value (builder, stand_in);
          g_ptr_array_add (numbers, g_strdup (g_ascii_formatd (number, sizeof number, "%.2f", uptime)));
        }
      json_builder_set_member_name (builder, "known_seconds");
      json_builder_add_int_value (builder, timeline->known_seconds);
      json_builder_set_member_name (builder, "unknown_seconds");
      json_builder_add_int_value (builder, MAX (0, (timeline->until - timeline->since) - timeline->known_seconds));
      json_builder_set_member_name (builder, "transitions");
      json_builder_begin_array (builder);
      for (guint j = 0; j < timeline->transitions->len; j++)
        {
          const MwTransition *t = g_ptr_array_index (timeline->transitions, j);
          g_autofree char *at = format_utc (t->at);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "at");
          json_builder_add_string_value (builder, at);
          json_builder_set_member_name (builder, "from");
          if (t->initial)
            json_builder_add_null_value (builder);
          else
            json_builder_add_string_value (builder, mw_health_to_string (t->old_health));
          json_builder_set_member_name (builder, "to");
          json_builder_add_string_value (builder, mw_health_to_string (t->new_health));
          json_builder_set_member_name (builder, "reason");
          if (t->reason != NULL)
            json_builder_add_string_value (builder, t->reason);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, mw_history_source_to_string (t->source));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  generated = json_generator_to_data (generator, NULL);
  text = g_string_new (generated);
  for (guint i = 0, n = 0; i < timelines->len; i++)
    {
      g_autofree char *quoted = g_strdup_printf ("\"\\u0001uptime%u\\u0001\"", i);

      if (mw_timeline_get_uptime (g_ptr_array_index (timelines, i)) >= 0)
        g_string_replace (text, quoted, g_ptr_array_index (numbers, n++), 1);
    }
  g_print ("%s\n", text->str);
}

int
mw_cli_history (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  g_autofree char *since_text = NULL;
  GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, N_("How far back: 30m, 24h, 7d (default 24h)"), N_("DURATION") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[MODEL]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwHistory) history = NULL;
  g_autoptr(GPtrArray) timelines = NULL;
  const char *subject = NULL;
  gint64 window = DEFAULT_SINCE;
  gint64 now, since;

  g_option_context_set_summary (context, _("Show the changes of health the service recorded, and the uptime of each model and provider."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_set_prgname ("modelwatch history");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr (_("modelwatch history: %s (try “modelwatch history --help”)\n"), error->message);
      return MW_EXIT_USAGE;
    }

  if (argc > 2)
    {
      g_printerr (_("modelwatch history: unexpected argument “%s”\n"), argv[2]);
      return MW_EXIT_USAGE;
    }
  if (argc == 2)
    subject = argv[1];

  if (since_text != NULL)
    {
      window = parse_duration (since_text);
      if (window == 0)
        {
          g_printerr (_("modelwatch history: “%s” is not a duration (try 30m, 24h or 7d)\n"), since_text);
          return MW_EXIT_USAGE;
        }
    }

  history = mw_history_open_existing (NULL, &error);
  if (history == NULL)
    {
      if (g_error_matches (error, MW_HISTORY_ERROR, MW_HISTORY_ERROR_NOT_FOUND))
        g_printerr ("%s\n", _("modelwatch history: no history yet (the service records it while it runs)"));
      else
        g_printerr (_("modelwatch history: %s\n"), error->message);
      return MW_EXIT_FAILURE;
    }

  now = g_get_real_time () / G_USEC_PER_SEC;
  since = now - window;

  timelines = mw_history_get_timelines (history, subject, since, now, &error);
  if (timelines == NULL)
    {
      g_printerr (_("modelwatch history: %s\n"), error->message);
      return MW_EXIT_FAILURE;
    }

  if (subject != NULL && timelines->len == 0)
    {
      g_printerr (_("modelwatch history: no history for “%s” (models are named provider/model)\n"), subject);
      return MW_EXIT_FAILURE;
    }

  if (json)
    print_json (timelines, since, now);
  else
    print_table (timelines, since, since_text != NULL ? since_text : "24h");

  return MW_EXIT_OK;
}
