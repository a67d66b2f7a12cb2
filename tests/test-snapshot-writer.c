/* test-snapshot-writer.c
 *
 * mw_snapshot_to_json() writes its text by hand for speed; it must stay
 * byte for byte what JsonGenerator prints for mw_snapshot_to_json_node(),
 * compact and pretty, with escapes, empty and nested arrays, nulls,
 * filters and strings that are not even UTF-8 — except that U+001F is
 * escaped, as RFC 8259 requires: json-glib 1.6 leaves it raw, which strict
 * readers (jq, our own parser) refuse.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-snapshot.h"

static char *
generator_text (MwSnapshot         *snapshot,
                const char * const *provider_ids,
                gboolean            pretty)
{
  g_autoptr(JsonNode) root = mw_snapshot_to_json_node (snapshot, provider_ids);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}

static void
assert_same_text (MwSnapshot         *snapshot,
                  const char * const *provider_ids)
{
  for (int pretty = 0; pretty < 2; pretty++)
    {
      g_autofree char *generated = generator_text (snapshot, provider_ids, pretty);
      g_auto(GStrv) pieces = g_strsplit (generated, "\x1f", -1);
      g_autofree char *expected = g_strjoinv ("\\u001f", pieces);
      g_autofree char *written = mw_snapshot_to_json (snapshot, provider_ids, pretty);

      g_assert_cmpstr (written, ==, expected);
      g_assert_null (strchr (written, '\x1f'));
    }
}

static GDateTime *
at (const char *text)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return dt;
}

/* Every byte from 0x01 to 0xff, then some text. */
static char *
all_bytes (const char *prefix)
{
  GString *s = g_string_new (prefix);

  for (guint c = 1; c < 256; c++)
    g_string_append_c (s, (char) c);
  g_string_append (s, " «Claude» 模型 \"quoted\" back\\slash");

  return g_string_free (s, FALSE);
}

static MwProviderState *
busy_provider (const char *id)
{
  MwProviderState *p = mw_provider_state_new (id, "Busy \"provider\"\n");
  MwIncidentState *incident = mw_incident_state_new ("inc1", "Errors\ton\x1f" "API");
  MwIncidentState *bare = mw_incident_state_new ("inc2", NULL);
  MwModelState *probed = mw_model_state_new ("busy/a", "Model A");
  MwModelState *plain = mw_model_state_new ("busy/b", "Model \x7f" "B");
  const char *models[] = { "busy/a", "busy/b", NULL };
  const char *none[] = { NULL };
  g_autoptr(GDateTime) started = at ("2026-06-05T15:08:00Z");

  p->health = MW_HEALTH_PARTIAL_OUTAGE;
  p->page_url = g_strdup ("https://status.example.com/a?b=c&d=\"e\"");
  p->page_health = MW_HEALTH_DEGRADED;
  p->description = all_bytes ("desc ");
  p->fetched_at = at ("1999-12-31T23:59:59.999+05:30");
  g_ptr_array_add (p->components, mw_component_state_new ("c1", "Component \\1", MW_HEALTH_OPERATIONAL));
  g_ptr_array_add (p->components, mw_component_state_new ("c2", "", MW_HEALTH_MAINTENANCE));

  incident->status = g_strdup ("identified");
  incident->impact = NULL;
  incident->url = g_strdup ("https://stspg.io/x");
  incident->health = MW_HEALTH_PARTIAL_OUTAGE;
  incident->maintenance = TRUE;
  incident->started_at = g_date_time_ref (started);
  incident->models = g_strdupv ((char **) models);
  incident->components = g_strdupv ((char **) none);
  g_ptr_array_add (incident->updates, mw_update_state_new (started, "investigating", "Line 1\r\nLine 2\b\f"));
  g_ptr_array_add (incident->updates, mw_update_state_new (NULL, NULL, NULL));
  g_ptr_array_add (p->incidents, incident);
  g_ptr_array_add (p->incidents, bare);

  p->probe = mw_probe_state_new ();
  p->probe->health = MW_HEALTH_OPERATIONAL;
  p->probe->latency_ms = 0;
  p->probe->checked_at = at ("2026-06-05T15:10:00Z");
  p->probe->detail = g_strdup ("HTTP 401 in 0 ms");

  probed->health = MW_HEALTH_MAJOR_OUTAGE;
  probed->official = MW_HEALTH_DEGRADED;
  probed->probe = mw_probe_state_copy (p->probe);
  probed->probe->latency_ms = G_MAXINT64;
  probed->probe->error = all_bytes ("error ");
  probed->since = g_date_time_ref (started);
  probed->reason = g_strdup ("über");
  probed->fallback = g_strdup ("busy/b");
  g_ptr_array_add (p->models, probed);

  plain->stale = TRUE;
  plain->probe = mw_probe_state_new ();
  plain->probe->latency_ms = -1;
  g_ptr_array_add (p->models, plain);

  return p;
}

static void
test_writer_busy (void)
{
  g_autoptr(GDateTime) checked = at ("2026-06-05T15:10:02.500Z");
  GPtrArray *providers = g_ptr_array_new ();
  g_autoptr(MwSnapshot) snapshot = NULL;
  const char *only_empty[] = { "empty", NULL };
  const char *only_busy[] = { "busy2", "busy", NULL };
  const char *nobody[] = { "nobody", NULL };

  g_ptr_array_add (providers, busy_provider ("busy"));
  g_ptr_array_add (providers, mw_provider_state_new ("empty", NULL));
  g_ptr_array_add (providers, busy_provider ("busy2"));
  snapshot = mw_snapshot_new (checked, FALSE, providers);

  assert_same_text (snapshot, NULL);
  assert_same_text (snapshot, only_empty);
  assert_same_text (snapshot, only_busy);
  assert_same_text (snapshot, nobody);
}

static void
test_writer_empty (void)
{
  g_autoptr(MwSnapshot) empty = mw_snapshot_new (NULL, TRUE, NULL);

  assert_same_text (empty, NULL);
}

/* mw_format_iso8601() writes its digits by hand: the same text as
 * g_date_time_format() in UTC, for every year and from any zone. */
static void
test_iso8601 (void)
{
  const int years[] = { 1, 9, 99, 999, 1000, 1999, 2026, 9999 };
  g_autoptr(GTimeZone) plus = g_time_zone_new_offset (5 * 3600 + 30 * 60);
  g_autoptr(GTimeZone) minus = g_time_zone_new_offset (-8 * 3600);

  for (guint i = 0; i < G_N_ELEMENTS (years); i++)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_utc (years[i], 12, 31, 23, 59, 59.999);
      g_autoptr(GDateTime) east = g_date_time_new (plus, years[i], 1, 1, 0, 7, 3.5);
      g_autoptr(GDateTime) west = g_date_time_new (minus, years[i], 6, 9, 20, 0, 0);
      GDateTime *times[] = { utc, east, west };

      for (guint j = 0; j < G_N_ELEMENTS (times); j++)
        {
          g_autoptr(GDateTime) as_utc = NULL;
          g_autofree char *expected = NULL;
          g_autofree char *written = NULL;

          if (times[j] == NULL)
            continue;   /* before year 1 once in UTC */
          as_utc = g_date_time_to_utc (times[j]);
          if (as_utc == NULL)
            continue;
          expected = g_date_time_format (as_utc, "%Y-%m-%dT%H:%M:%SZ");
          written = mw_format_iso8601 (times[j]);
          g_assert_cmpstr (written, ==, expected);
        }
    }

  g_assert_null (mw_format_iso8601 (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/snapshot-writer/iso8601", test_iso8601);

  g_test_add_func ("/snapshot-writer/busy", test_writer_busy);
  g_test_add_func ("/snapshot-writer/empty", test_writer_empty);

  return g_test_run ();
}
