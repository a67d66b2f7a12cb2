/* test-reader-mutations.c
 *
 * Status pages are untrusted input that changes without notice. Every
 * reader gets its captured fixtures cut short, with bytes overwritten, and
 * (for JSON) with one member replaced by a value of another type or
 * removed. Whatever it gets, a reader must return either observations or a
 * one-line MW_SOURCE_ERROR: no crash, no critical (the tests run with
 * fatal criticals), and under the sanitizer run no leak or invalid access.
 * The mutations are drawn from a fixed seed per fixture, so a failure
 * reproduces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-test-server.h"

#define N_TRUNCATIONS 6
#define N_CORRUPTIONS 6
#define N_JSON_EDITS 16

typedef struct {
  const char *prefix;
  const char *platform;
} FixturePlatform;

/* Fixture names start with the platform that serves them. */
static const FixturePlatform platforms[] = {
  { "statuspage-", "statuspage" },
  { "replay-statuspage-", "statuspage" },
  { "incidentio-", "incidentio" },
  { "instatus-", "instatus" },
  { "betterstack-", "betterstack" },
  { "checkly-", "checkly" },
  { "datadog-", "datadog" },
  { "flashcat-", "flashduty" },
  { "google-cloud-", "gcloud" },
  { "aws-", "aws" },
};

static const char *
platform_for (const char *name)
{
  if (g_str_has_suffix (name, ".xml"))
    return "feed";
  if (!g_str_has_suffix (name, ".json"))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (platforms); i++)
    if (g_str_has_prefix (name, platforms[i].prefix))
      return platforms[i].platform;

  return NULL;
}

static void
check_parse (const char *platform,
             const char *fixture,
             const char *what,
             const char *data,
             gsize       len)
{
  /* Options every reader may look for; readers ignore the others. */
  g_autoptr(MwProvider) provider =
    mw_test_provider_new (platform, "https://status.example.com",
                          (const char *[]) { "page_id=6410630422455", "slug=mistral-ai",
                                             "products=Z0FZJAMvEB4j3NbCJs6B", NULL },
                          (const char *[]) { "api", "Claude API", NULL });
  const MwReader *reader = mw_reader_lookup (platform);
  g_auto(GStrv) urls = reader->urls (provider);
  guint n_urls = g_strv_length (urls);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = NULL;

  /* Readers of two documents get the mutated one in every place. */
  for (guint i = 0; i < n_urls; i++)
    g_ptr_array_add (bodies, g_bytes_new (data, len));

  obs = reader->parse (provider, (GBytes * const *) bodies->pdata, bodies->len, &error);

  if (obs == NULL)
    {
      if (error == NULL)
        g_error ("%s, %s: no observations and no error", fixture, what);
      if (error->domain != MW_SOURCE_ERROR || strchr (error->message, '\n') != NULL)
        g_error ("%s, %s: not a one-line source error: %s", fixture, what, error->message);
    }
  else if (error != NULL)
    {
      g_error ("%s, %s: observations and an error: %s", fixture, what, error->message);
    }
}

/* A JSON value of another kind, for a member whose kind the reader expects. */
static JsonNode *
odd_value (guint kind)
{
  JsonNode *node;

  switch (kind)
    {
    case 0:
      return json_node_new (JSON_NODE_NULL);
    case 1:
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, json_array_new ());
      return node;
    case 2:
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
      return node;
    case 3:
      return json_node_init_int (json_node_alloc (), -1);
    case 4:
      return json_node_init_double (json_node_alloc (), 1e308);
    case 5:
      return json_node_init_boolean (json_node_alloc (), TRUE);
    case 6:
      return json_node_init_string (json_node_alloc (), "");
    case 7:
      return json_node_init_string (json_node_alloc (), "$undefined");
    default:
      return json_node_init_string (json_node_alloc (), "9999-99-99T99:99:99Z");
    }
}

typedef struct {
  JsonNode *container;
  char     *member;   /* NULL for an array element */
  guint     index;
} Place;

static void
place_clear (gpointer data)
{
  g_free (((Place *) data)->member);
}

static void
collect_places (JsonNode *node,
                GArray   *places)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          Place place = { node, g_strdup (l->data), 0 };

          g_array_append_val (places, place);
          collect_places (json_object_get_member (object, l->data), places);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          Place place = { node, NULL, i };

          g_array_append_val (places, place);
          collect_places (json_array_get_element (array, i), places);
        }
    }
}

/* Replaces (or, with @kind past the last odd value, removes) the @which'th
 * member or element of a copy of @root, and returns it as text. */
static char *
edit_json (JsonNode *root,
           guint32   which,
           guint     kind)
{
  g_autoptr(JsonNode) copy = json_node_copy (root);
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (Place));
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gboolean remove = kind > 8;
  Place *place;

  g_array_set_clear_func (places, place_clear);
  collect_places (copy, places);
  if (places->len == 0)
    return NULL;

  place = &g_array_index (places, Place, which % places->len);
  if (place->member != NULL)
    {
      JsonObject *object = json_node_get_object (place->container);

      if (remove)
        json_object_remove_member (object, place->member);
      else
        json_object_set_member (object, place->member, odd_value (kind));
    }
  else
    {
      JsonArray *array = json_node_get_array (place->container);

      if (remove)
        {
          json_array_remove_element (array, place->index);
        }
      else
        {
          /* json-glib 1.6 cannot replace an element in place. */
          JsonArray *edited = json_array_new ();

          for (guint i = 0; i < json_array_get_length (array); i++)
            json_array_add_element (edited, i == place->index
                                              ? odd_value (kind)
                                              : json_node_copy (json_array_get_element (array, i)));
          json_node_take_array (place->container, edited);
        }
    }

  json_generator_set_root (generator, copy);
  return json_generator_to_data (generator, NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
test_mutations (gconstpointer data)
{
  const char *fixture = data;
  const char *platform = platform_for (fixture);
  g_autoptr(GBytes) bytes = mw_test_fixture_bytes (fixture);
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (fixture));
  g_autoptr(JsonParser) parser = json_parser_new ();

  check_parse (platform, fixture, "as captured", text, len);

  for (guint i = 0; i < N_TRUNCATIONS && len > 0; i++)
    {
      gsize cut = g_rand_int_range (rand, 0, (gint32) MIN (len, G_MAXINT32));
      g_autofree char *what = g_strdup_printf ("cut at byte %" G_GSIZE_FORMAT, cut);

      check_parse (platform, fixture, what, text, cut);
    }

  for (guint i = 0; i < N_CORRUPTIONS && len > 0; i++)
    {
      g_autofree char *copy = g_memdup2 (text, len);
      guint n = g_rand_int_range (rand, 1, 8);
      g_autofree char *what = g_strdup_printf ("corruption %u", i);

      for (guint j = 0; j < n; j++)
        copy[g_rand_int_range (rand, 0, (gint32) MIN (len, G_MAXINT32))] = (char) g_rand_int_range (rand, 0, 256);
      check_parse (platform, fixture, what, copy, len);
    }

  /* The structural edits need the fixture as JSON; UTF-16 and BOM
   * variants are left to the byte-level mutations above. */
  if (g_str_has_suffix (fixture, ".json") &&
      json_parser_load_from_data (parser, text, len, NULL))
    {
      for (guint i = 0; i < N_JSON_EDITS; i++)
        {
          guint32 which = g_rand_int (rand);
          guint kind = g_rand_int_range (rand, 0, 11);
          g_autofree char *edited = edit_json (json_parser_get_root (parser), which, kind);
          g_autofree char *what = g_strdup_printf ("JSON edit %u (place %u, kind %u)", i, which, kind);

          if (edited != NULL)
            check_parse (platform, fixture, what, edited, strlen (edited));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) fixtures = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  g_test_init (&argc, &argv, NULL);

  dir = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  fixtures = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (fixtures)) != NULL)
    if (platform_for (name) != NULL)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  /* No fixtures would make this test pass while checking nothing. */
  g_assert_cmpuint (names->len, >, 20);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/reader/mutations/%s", (char *) g_ptr_array_index (names, i));

      g_test_add_data_func (path, g_ptr_array_index (names, i), test_mutations);
    }

  return g_test_run ();
}
