/* mw-cli-add.c
 *
 * `modelwatch add URL`: detect a status page's platform, show what it
 * found, and write a one-provider catalog drop-in that the loader reads
 * on the next start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mw-catalog.h"
#include "mw-cli.h"
#include "mw-detect.h"
#include "mw-fetch.h"

typedef struct {
  MwDetection *detection;
  GError      *error;
  gboolean     done;
} AddRun;

static void
detected_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AddRun *run = user_data;

  run->detection = mw_detect_finish (result, &run->error);
  run->done = TRUE;
  g_main_context_wakeup (NULL);
}

/* "Together AI" -> "together-ai"; "GLM 5.3" -> "glm-5.3" when @dots. */
static char *
slugify (const char *text,
         gboolean    dots)
{
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (g_ascii_isalnum (c) || (dots && c == '.' && slug->len > 0))
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, c);
          dash = FALSE;
        }
      else
        {
          dash = TRUE;
        }
    }

  while (slug->len > 0 && slug->str[slug->len - 1] == '.')
    g_string_truncate (slug, slug->len - 1);

  return g_string_free (slug, FALSE);
}

/* A model's display name from its component: without the bracketed
 * translation or path, non-ASCII text, and a trailing "API"/"Model". */
static char *
model_name (const char *component)
{
  g_autoptr(GRegex) brackets = g_regex_new ("\\([^)]*\\)|（[^）]*）", 0, 0, NULL);
  g_autoptr(GRegex) tail = g_regex_new ("(?i)[\\s-]+(api|model|service)$", 0, 0, NULL);
  g_autofree char *bare = g_regex_replace_literal (brackets, component, -1, 0, "", 0, NULL);
  GString *ascii = g_string_new (NULL);
  char *name;

  for (const char *p = bare; *p != '\0'; p++)
    if ((guchar) *p < 0x80)
      g_string_append_c (ascii, *p);

  name = g_strstrip (g_string_free (ascii, FALSE));
  for (;;)
    {
      char *shorter = g_regex_replace_literal (tail, name, -1, 0, "", 0, NULL);

      g_strstrip (shorter);
      if (g_str_equal (shorter, name) || *shorter == '\0')
        {
          g_free (shorter);
          break;
        }
      g_free (name);
      name = shorter;
    }

  return name;
}

/* Surfaces an API user cares about, besides the models themselves. */
static gboolean
component_is_api (const char *name)
{
  g_autoptr(GRegex) regex = g_regex_new ("(?i)\\b(api|apis|inference|completions?|chat|embeddings?|responses|gateway)\\b",
                                         0, 0, NULL);

  return g_regex_match (regex, name, 0, NULL);
}

static char *
default_id (MwDetection *detection)
{
  g_autoptr(GUri) uri = g_uri_parse (detection->url, G_URI_FLAGS_NONE, NULL);
  g_auto(GStrv) labels = NULL;

  if (detection->name != NULL)
    {
      /* "Claude Status - Incident History" -> "claude" */
      static const char * const tails[] = {
        "-incident-history", "-history", "-system-status", "-status-page", "-status", NULL
      };
      g_autofree char *slug = slugify (detection->name, FALSE);
      gboolean cut = TRUE;

      while (cut)
        {
          cut = FALSE;
          for (guint i = 0; tails[i] != NULL; i++)
            if (g_str_has_suffix (slug, tails[i]) && strlen (slug) > strlen (tails[i]))
              {
                slug[strlen (slug) - strlen (tails[i])] = '\0';
                cut = TRUE;
              }
        }

      if (*slug != '\0')
        return g_steal_pointer (&slug);
    }

  /* status.example.com -> example */
  labels = g_strsplit (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "page", ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    if (!g_str_equal (labels[i], "status") && !g_str_equal (labels[i], "www") && labels[i + 1] != NULL)
      return slugify (labels[i], FALSE);

  return slugify (labels[0], FALSE);
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;

  return TRUE;
}

static JsonNode *
build_catalog (MwDetection *detection,
               const char  *id,
               const char  *name,
               GPtrArray   *watched,
               GPtrArray   *models)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "providers");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);

  json_builder_set_member_name (builder, "status_page");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, detection->url);
  json_builder_set_member_name (builder, "platform");
  json_builder_add_string_value (builder, detection->platform);
  if (g_hash_table_size (detection->options) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      json_builder_set_member_name (builder, "options");
      json_builder_begin_object (builder);
      g_hash_table_iter_init (&iter, detection->options);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_string_value (builder, value);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  if (watched->len > 0)
    {
      json_builder_set_member_name (builder, "components");
      json_builder_begin_object (builder);
      for (guint i = 0; i < watched->len; i++)
        {
          MwDetectedComponent *component = g_ptr_array_index (watched, i);
          g_autofree char *base = slugify (component->name, TRUE);
          char *label = g_strdup (*base != '\0' ? base : component->id);

          for (guint n = 2; g_hash_table_contains (labels, label); n++)
            {
              g_free (label);
              label = g_strdup_printf ("%s-%u", *base != '\0' ? base : component->id, n);
            }
          g_hash_table_add (labels, label);

          json_builder_set_member_name (builder, label);
          json_builder_add_string_value (builder, component->id);
        }
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);
  for (guint i = 0; i < models->len; i++)
    {
      MwDetectedComponent *component = g_ptr_array_index (models, i);
      g_autofree char *display = model_name (component->name);
      g_autofree char *model_id = slugify (display, TRUE);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, model_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, display);
      json_builder_set_member_name (builder, "components");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, component->id);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "match");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, display);
      if (g_ascii_strcasecmp (display, model_id) != 0)
        json_builder_add_string_value (builder, model_id);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "checked");
  json_builder_add_string_value (builder, today);

  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

int
mw_cli_add (int    argc,
            char **argv)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("Provider id in the catalog (default: from the page’s name)"), N_("ID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Provider name shown to you (default: the page’s own)"), N_("NAME") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, N_("Replace an existing file for this id"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("URL — detect a status page and add it to your catalog"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFetcher) fetcher = NULL;
  g_autoptr(MwDetection) detection = NULL;
  g_autoptr(GPtrArray) watched = g_ptr_array_new ();
  g_autoptr(GPtrArray) models = g_ptr_array_new ();
  g_autoptr(GHashTable) model_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MwCatalog) check = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  AddRun run = { NULL, NULL, FALSE };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Finds which platform serves the page (incident.io, Atlassian Statuspage, "
                                  "Instatus, Better Stack, Datadog, Checkly, or an RSS/Atom feed), lists its components "
                                  "and writes $XDG_CONFIG_HOME/modelwatch/catalog.d/ID.json."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("modelwatch add: %s\n", error->message);
      return MW_EXIT_USAGE;
    }

  if (argc != 2)
    {
      g_printerr (_("modelwatch add: give exactly one URL (try “modelwatch add --help”)\n"));
      return MW_EXIT_USAGE;
    }

  if (id != NULL && !valid_id (id))
    {
      g_printerr (_("modelwatch add: --id “%s” must be lower-case letters, digits and “-”\n"), id);
      return MW_EXIT_USAGE;
    }

  if (!mw_url_is_allowed (argv[1], &error))
    {
      g_printerr ("modelwatch add: %s\n", error->message);
      return MW_EXIT_USAGE;
    }

  /* With --id the file is known before any request: refuse early. */
  if (id != NULL && !force)
    {
      g_autofree char *user_dir = mw_catalog_user_dir ();
      g_autofree char *early_name = g_strdup_printf ("%s.json", id);
      g_autofree char *early = user_dir != NULL ? g_build_filename (user_dir, early_name, NULL) : NULL;

      if (early != NULL && g_file_test (early, G_FILE_TEST_EXISTS))
        {
          g_printerr (_("modelwatch add: %s already exists; use --force to replace it, or --id to choose another id\n"),
                      early);
          return MW_EXIT_FAILURE;
        }
    }

  fetcher = mw_fetcher_new ();
  mw_detect_async (fetcher, argv[1], NULL, detected_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  if (run.detection == NULL)
    {
      g_printerr ("modelwatch add: %s\n", run.error->message);
      g_clear_error (&run.error);
      return MW_EXIT_FAILURE;
    }
  detection = run.detection;

  if (id == NULL)
    id = default_id (detection);
  if (!valid_id (id))
    {
      g_printerr (_("modelwatch add: cannot make an id from the page; give one with --id\n"));
      return MW_EXIT_USAGE;
    }
  if (name == NULL)
    name = g_strdup (detection->name != NULL ? detection->name : id);

  /* Models: one per component that names one; watched: those and the
   * API surfaces.  A page with neither is watched whole. */
  for (guint i = 0; i < detection->components->len; i++)
    {
      MwDetectedComponent *component = g_ptr_array_index (detection->components, i);

      if (mw_detect_component_is_model (component->name))
        {
          g_autofree char *display = model_name (component->name);
          g_autofree char *model_id = slugify (display, TRUE);

          if (*model_id == '\0' || !g_ascii_isalnum (model_id[0]) ||
              !g_hash_table_add (model_ids, g_steal_pointer (&model_id)))
            continue;

          g_ptr_array_add (models, component);
          g_ptr_array_add (watched, component);
        }
      else if (component_is_api (component->name))
        {
          g_ptr_array_add (watched, component);
        }
    }

  g_print (_("Found %s “%s” at %s\n"), detection->variant, name, detection->url);
  if (detection->components->len == 0)
    g_print (_("The page lists no components; Modelwatch will follow the page as a whole.\n"));
  else
    g_print (_("Components (%u), ✓ = watched:\n"), detection->components->len);

  for (guint i = 0; i < detection->components->len; i++)
    {
      MwDetectedComponent *component = g_ptr_array_index (detection->components, i);
      gboolean is_watched = watched->len == 0 || g_ptr_array_find (watched, component, NULL);
      gboolean is_model = g_ptr_array_find (models, component, NULL);

      g_print ("  %s %s%s%s%s%s\n", is_watched ? "✓" : " ", component->name,
               component->group != NULL ? "  [" : "", component->group != NULL ? component->group : "",
               component->group != NULL ? "]" : "", is_model ? _("  (model)") : "");
    }

  if (watched->len == 0 && detection->components->len > 0)
    g_print (_("No component looks like an API or a model, so every component is watched.\n"));
  if (models->len == 0)
    g_print (_("No per-model components: models are found through incident titles only; "
               "add them to the file by hand if you want them named.\n"));

  root = build_catalog (detection, id, name, watched, models);
  text = json_to_string (root, TRUE);

  /* What we write must be what the loader accepts. */
  file_name = g_strdup_printf ("%s.json", id);
  check = mw_catalog_new_from_data (text, -1, file_name, &error);
  if (check == NULL)
    {
      g_printerr (_("modelwatch add: could not build a valid catalog entry: %s\n"), error->message);
      return MW_EXIT_FAILURE;
    }

  dir = mw_catalog_user_dir ();
  if (dir == NULL)
    {
      g_printerr (_("modelwatch add: the configuration directory is not an absolute path; set XDG_CONFIG_HOME\n"));
      return MW_EXIT_FAILURE;
    }

  path = g_build_filename (dir, file_name, NULL);
  if (!force && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("modelwatch add: %s already exists; use --force to replace it, or --id to choose another id\n"),
                  path);
      return MW_EXIT_FAILURE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_printerr (_("modelwatch add: cannot create %s: %s\n"), dir, g_strerror (saved));
      return MW_EXIT_FAILURE;
    }

  text = g_realloc (text, strlen (text) + 2);
  strcat (text, "\n");
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    {
      g_printerr ("modelwatch add: %s\n", error->message);
      return MW_EXIT_FAILURE;
    }

  g_print (_("Wrote %s\n"), path);
  {
    g_autoptr(MwCatalog) builtin = mw_catalog_new_builtin (NULL);

    if (builtin != NULL && mw_catalog_find_provider (builtin, id) != NULL)
      g_print (_("This entry replaces the built-in provider “%s”.\n"), id);
  }
  g_print (_("Modelwatch reads it the next time it starts.\n"));

  return MW_EXIT_OK;
}
