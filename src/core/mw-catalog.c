/* mw-catalog.c
 *
 * The catalog: the built-in providers.json (a GResource), the user's
 * drop-ins in $XDG_CONFIG_HOME/modelwatch/catalog.d/ merged over it by
 * provider id, or one file given on the command line alone.
 *
 * Validation is strict because a typo in a catalog silently watches the
 * wrong thing: every error names the file, the line and the key path.
 * The catalog is read with the pages' own JSON parser (mw-json.c), whose
 * values know the line they start on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "mw-catalog.h"
#include "mw-json.h"
#include "mw-catalog-resources.h"
#include "mw-reader.h"

#define BUILTIN_PATH   "/io/github/modelwatch/catalog/providers.json"
#define BUILTIN_SOURCE "providers.json (built-in)"

/* One fallback chain, with where it was written for later messages. */
typedef struct {
  char     *key;        /* global id */
  GStrv     ids;        /* global ids, in order */
  char     *source;
  guint     line;       /* line of the key */
  GArray   *lines;      /* guint: line of each id */
  gboolean  builtin;
} FallbackEntry;

struct _MwCatalog {
  gatomicrefcount  ref_count;
  GPtrArray       *owned;           /* MwProvider*, parsed by this catalog */
  GPtrArray       *providers;       /* MwProvider*, borrowed from owned or parts */
  GPtrArray       *owned_fallbacks; /* FallbackEntry* */
  GHashTable      *fallbacks;       /* global id -> FallbackEntry*, borrowed */
  GPtrArray       *fallback_order;  /* FallbackEntry*, borrowed, file order */
  GPtrArray       *parts;           /* MwCatalog*: the catalogs a merge borrows from */
  GPtrArray       *warnings;        /* char* */
};

G_DEFINE_QUARK (mw-catalog-error-quark, mw_catalog_error)
G_DEFINE_BOXED_TYPE (MwCatalog, mw_catalog, mw_catalog_ref, mw_catalog_unref)

/* Freeing */

static void
request_template_clear (MwRequestTemplate *template)
{
  g_clear_pointer (&template->method, g_free);
  g_clear_pointer (&template->path, g_free);
  g_clear_pointer (&template->body, g_free);
}

static void
request_template_free (MwRequestTemplate *template)
{
  if (template == NULL)
    return;

  request_template_clear (template);
  g_free (template);
}

static void
api_free (MwApi *api)
{
  if (api == NULL)
    return;

  g_free (api->base_url);
  request_template_clear (&api->probe);
  g_clear_pointer (&api->expect, g_array_unref);
  g_free (api->key_env);
  g_free (api->auth);
  g_clear_pointer (&api->headers, g_ptr_array_unref);
  request_template_free (api->free_probe);
  request_template_free (api->generate_probe);
  g_free (api);
}

static void
component_ref_free (MwComponentRef *ref)
{
  g_free (ref->key);
  g_free (ref->id);
  g_free (ref);
}

static void
model_free (MwModel *model)
{
  g_free (model->id);
  g_free (model->global_id);
  g_free (model->name);
  g_free (model->api_id);
  g_strfreev (model->components);
  g_strfreev (model->match);
  g_free (model);
}

static void
provider_free (MwProvider *provider)
{
  g_free (provider->id);
  g_free (provider->name);
  g_free (provider->page_url);
  g_free (provider->platform);
  g_clear_pointer (&provider->options, g_hash_table_unref);
  api_free (provider->api);
  g_clear_pointer (&provider->components, g_ptr_array_unref);
  g_clear_pointer (&provider->models, g_ptr_array_unref);
  g_free (provider->checked);
  g_free (provider->source);
  g_free (provider);
}

static void
fallback_entry_free (FallbackEntry *entry)
{
  g_free (entry->key);
  g_strfreev (entry->ids);
  g_free (entry->source);
  g_clear_pointer (&entry->lines, g_array_unref);
  g_free (entry);
}

static MwCatalog *
catalog_new (void)
{
  MwCatalog *self = g_new0 (MwCatalog, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->owned = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_free);
  self->providers = g_ptr_array_new ();
  self->owned_fallbacks = g_ptr_array_new_with_free_func ((GDestroyNotify) fallback_entry_free);
  self->fallbacks = g_hash_table_new (g_str_hash, g_str_equal);
  self->fallback_order = g_ptr_array_new ();
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_catalog_unref);
  self->warnings = g_ptr_array_new_with_free_func (g_free);

  return self;
}

MwCatalog *
mw_catalog_ref (MwCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mw_catalog_unref (MwCatalog *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_ptr_array_unref (self->providers);
  g_ptr_array_unref (self->owned);
  g_hash_table_unref (self->fallbacks);
  g_ptr_array_unref (self->fallback_order);
  g_ptr_array_unref (self->owned_fallbacks);
  g_ptr_array_unref (self->parts);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

/* What a parse is reading. Every value of the compact tree knows the
 * line it starts on, so messages can name it. */
typedef struct {
  const char *source;
  GPtrArray  *warnings;
  GError     *error;
} Ctx;

/* The line of a member's value, or of the object when it is absent. */
static guint
member_line (const MwJsonValue *object,
             const char        *member)
{
  const MwJsonValue *value = mw_json_value_get_member (object, member);

  return value != NULL ? value->line : object->line;
}

static guint
element_line (const MwJsonValue *array,
              guint              index)
{
  return mw_json_value_get_element (array, index)->line;
}

/* Messages */

G_GNUC_PRINTF (4, 5)
static gboolean
fail (Ctx        *ctx,
      guint       line,
      const char *path,
      const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (ctx->error != NULL)
    return FALSE;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (&ctx->error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
               "%s:%u: %s: %s", ctx->source, line, path, text);
  return FALSE;
}

static char *
path_member (const char *parent,
             const char *member)
{
  if (parent == NULL || *parent == '\0')
    return g_strdup (member);

  return g_strdup_printf ("%s.%s", parent, member);
}

static char *
path_index (const char *parent,
            guint       index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

static const char *
value_kind (const MwJsonValue *value)
{
  switch (value != NULL ? value->type : MW_JSON_NULL)
    {
    case MW_JSON_NULL:
      return _("null");
    case MW_JSON_OBJECT:
      return _("an object");
    case MW_JSON_ARRAY:
      return _("an array");
    case MW_JSON_BOOLEAN:
      return _("a boolean");
    case MW_JSON_STRING:
      return _("a string");
    case MW_JSON_INT:
    case MW_JSON_DOUBLE:
    default:
      return _("a number");
    }
}

static void
check_keys (Ctx                *ctx,
            const MwJsonValue  *object,
            const char         *path,
            const char * const *known)
{
  for (guint i = 0; i < object->size; i++)
    {
      const MwJsonMember *member = &object->u.members[i];

      if (!g_strv_contains (known, member->name))
        {
          g_autofree char *where = path_member (path, member->name);

          g_ptr_array_add (ctx->warnings,
                           g_strdup_printf (_("%s:%u: %s: unknown key, ignored"),
                                            ctx->source, member->value.line, where));
        }
    }
}

/* Typed getters: each returns FALSE (with ctx->error set) when the member
 * is present with the wrong type, or missing while required. */

static gboolean
get_node (Ctx                *ctx,
          const MwJsonValue  *object,
          const char         *path,
          const char         *member,
          gboolean            required,
          const MwJsonValue **out)
{
  *out = mw_json_value_get_member (object, member);

  if (*out == NULL && required)
    {
      g_autofree char *where = path_member (path, member);

      return fail (ctx, object->line, where, _("required key is missing"));
    }

  return TRUE;
}

/* A non-empty string. */
static gboolean
check_string (Ctx               *ctx,
              const MwJsonValue *value,
              const char        *path)
{
  if (value->type != MW_JSON_STRING)
    return fail (ctx, value->line, path, _("must be a string, not %s"), value_kind (value));
  if (value->size == 0)
    return fail (ctx, value->line, path, _("must not be empty"));

  return TRUE;
}

static gboolean
get_string (Ctx                *ctx,
            const MwJsonValue  *object,
            const char         *path,
            const char         *member,
            gboolean            required,
            const char        **out)
{
  const MwJsonValue *node;

  *out = NULL;
  if (!get_node (ctx, object, path, member, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  /* the key path only for a message: this runs for every string read */
  if (node->type != MW_JSON_STRING || node->size == 0)
    {
      g_autofree char *where = path_member (path, member);

      return check_string (ctx, node, where);
    }

  *out = node->u.string;
  return TRUE;
}

static gboolean
get_typed (Ctx                *ctx,
           const MwJsonValue  *object,
           const char         *path,
           const char         *member,
           gboolean            required,
           MwJsonType          type,
           const MwJsonValue **out)
{
  const MwJsonValue *node;

  *out = NULL;
  if (!get_node (ctx, object, path, member, required, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (node->type != type)
    {
      g_autofree char *where = path_member (path, member);

      return fail (ctx, node->line, where,
                   type == MW_JSON_OBJECT ? _("must be an object, not %s") : _("must be an array, not %s"),
                   value_kind (node));
    }

  *out = node;
  return TRUE;
}

static gboolean
get_object (Ctx                *ctx,
            const MwJsonValue  *object,
            const char         *path,
            const char         *member,
            gboolean            required,
            const MwJsonValue **out)
{
  return get_typed (ctx, object, path, member, required, MW_JSON_OBJECT, out);
}

static gboolean
get_array (Ctx                *ctx,
           const MwJsonValue  *object,
           const char         *path,
           const char         *member,
           gboolean            required,
           const MwJsonValue **out)
{
  return get_typed (ctx, object, path, member, required, MW_JSON_ARRAY, out);
}

/* An array of non-empty strings. */
static gboolean
get_string_list (Ctx               *ctx,
                 const MwJsonValue *object,
                 const char        *path,
                 const char        *member,
                 GStrv             *out)
{
  const MwJsonValue *array;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  *out = NULL;
  if (!get_array (ctx, object, path, member, FALSE, &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < array->size; i++)
    {
      const MwJsonValue *node = &array->u.elements[i];

      if (node->type != MW_JSON_STRING || node->size == 0)
        {
          g_autofree char *where = path_member (path, member);
          g_autofree char *at = path_index (where, i);

          return check_string (ctx, node, at);
        }

      g_strv_builder_add (builder, node->u.string);
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
is_word (const char *text,
         const char *extra)
{
  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || strchr (extra, *p) != NULL))
      return FALSE;

  return TRUE;
}

/* An API's own model id ("openai/gpt-oss-120b", "Llama-3.3-70B"): it goes
 * into probe paths and JSON bodies as it is, so nothing that needs escaping. */
static gboolean
is_api_id (const char *text)
{
  if (text == NULL || !g_ascii_isalnum (*text) || strstr (text, "..") != NULL)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._:/@", *p) == NULL)
      return FALSE;

  return TRUE;
}

/* URLs */

/* "localhost" or a loopback address: this machine. */
gboolean
mw_host_is_loopback (const char *host)
{
  struct in_addr v4;
  struct in6_addr v6;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  /* inet_pton() rather than GInetAddress: this runs for every request,
   * and a GObject per question cost more than the request's own setup. */
  if (inet_pton (AF_INET, host, &v4) == 1)
    return (ntohl (v4.s_addr) >> 24) == 127;
  if (inet_pton (AF_INET6, host, &v6) == 1)
    return IN6_IS_ADDR_LOOPBACK (&v6);

  return FALSE;
}

gboolean
mw_url_is_loopback (const char *url)
{
  g_autofree char *host = NULL;

  if (url == NULL || !g_uri_split_network (url, G_URI_FLAGS_NONE, NULL, &host, NULL, NULL))
    return FALSE;

  return mw_host_is_loopback (host);
}

/**
 * mw_url_is_allowed:
 * @url: a status page or API URL
 * @error: the reason it is refused, one line
 *
 * Whether Modelwatch may fetch @url: https:// anywhere, http:// only on
 * loopback hosts (where the tests serve their pages), never with
 * credentials in the URL.
 */
gboolean
mw_url_is_allowed (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL)
    {
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID, _("no URL given"));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
                   _("“%s” is not an absolute URL"), url);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      /* Not quoted: the URL holds a password. */
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
                   _("the URL for %s must not carry a user name or password"), g_uri_get_host (uri));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && mw_url_is_loopback (url))
    return TRUE;

  g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
               _("“%s” must be https:// (http:// is only for loopback hosts)"), url);
  return FALSE;
}

static gboolean
get_url (Ctx         *ctx,
         const MwJsonValue *object,
         const char  *path,
         const char  *member,
         gboolean     required,
         char       **out)
{
  const char *url;
  g_autoptr(GError) error = NULL;

  if (!get_string (ctx, object, path, member, required, &url))
    return FALSE;

  if (url != NULL && !mw_url_is_allowed (url, &error))
    {
      g_autofree char *where = path_member (path, member);

      return fail (ctx, member_line (object, member), where, "%s", error->message);
    }

  *out = g_strdup (url);
  return TRUE;
}

static gboolean
parse_model_probe (Ctx               *ctx,
                   const MwJsonValue *object,
                   const char    *path,
                   MwModelProbe  *out,
                   gboolean      *set)
{
  const char *word;

  if (!get_string (ctx, object, path, "model_probe", FALSE, &word))
    return FALSE;

  *set = word != NULL;
  if (word == NULL || g_str_equal (word, "off"))
    *out = MW_MODEL_PROBE_OFF;
  else if (g_str_equal (word, "free"))
    *out = MW_MODEL_PROBE_FREE;
  else if (g_str_equal (word, "generate"))
    *out = MW_MODEL_PROBE_GENERATE;
  else
    {
      g_autofree char *where = path_member (path, "model_probe");

      return fail (ctx, member_line (object, "model_probe"), where,
                   _("“%s” is not one of off, free, generate"), word);
    }

  return TRUE;
}

/* A request: {"method": "GET", "path": "/v1/models/{model}", "body": …};
 * a body given as JSON is kept as its text. */
static gboolean
parse_template (Ctx                *ctx,
                const MwJsonValue  *object,
                const char         *path,
                MwRequestTemplate  *template,
                gboolean            with_expect,
                GArray            **expect)
{
  static const char * const known_probe[] = { "method", "path", "body", "expect", NULL };
  static const char * const known_template[] = { "method", "path", "body", NULL };
  static const char * const methods[] = { "GET", "HEAD", "POST", NULL };
  const char *method, *request_path;
  const MwJsonValue *body, *array;

  check_keys (ctx, object, path, with_expect ? known_probe : known_template);

  if (!get_string (ctx, object, path, "method", FALSE, &method) ||
      !get_string (ctx, object, path, "path", TRUE, &request_path) ||
      !get_node (ctx, object, path, "body", FALSE, &body))
    return FALSE;

  if (method != NULL && !g_strv_contains (methods, method))
    {
      g_autofree char *where = path_member (path, "method");

      return fail (ctx, member_line (object, "method"), where,
                   _("“%s” is not one of GET, HEAD, POST"), method);
    }

  if (request_path[0] != '/' || strpbrk (request_path, "\r\n ") != NULL)
    {
      g_autofree char *where = path_member (path, "path");

      return fail (ctx, member_line (object, "path"), where,
                   _("“%s” must be a path that starts with /"), request_path);
    }

  template->method = g_strdup (method != NULL ? method : "GET");
  template->path = g_strdup (request_path);

  if (body != NULL && body->type == MW_JSON_STRING)
    {
      template->body = g_strdup (body->u.string);
    }
  else if (body != NULL && (body->type == MW_JSON_OBJECT || body->type == MW_JSON_ARRAY))
    {
      g_autoptr(JsonNode) node = mw_json_value_to_node (body);

      template->body = json_to_string (node, FALSE);
    }
  else if (body != NULL)
    {
      g_autofree char *where = path_member (path, "body");

      return fail (ctx, member_line (object, "body"), where,
                   _("must be a string or a JSON object, not %s"), value_kind (body));
    }

  if (!with_expect)
    return TRUE;

  *expect = g_array_new (FALSE, FALSE, sizeof (guint));
  if (!get_array (ctx, object, path, "expect", FALSE, &array))
    return FALSE;

  for (guint i = 0; array != NULL && i < array->size; i++)
    {
      const MwJsonValue *node = &array->u.elements[i];
      g_autofree char *where = path_member (path, "expect");
      g_autofree char *at = path_index (where, i);
      gint64 status;

      if (node->type != MW_JSON_INT)
        return fail (ctx, node->line, at,
                     _("must be an HTTP status number, not %s"), value_kind (node));

      status = node->u.integer;
      if (status < 100 || status > 599)
        return fail (ctx, node->line, at,
                     _("%lld is not an HTTP status"), (long long) status);

      {
        guint code = (guint) status;

        g_array_append_val (*expect, code);
      }
    }

  return TRUE;
}

static gboolean
parse_optional_template (Ctx                 *ctx,
                         const MwJsonValue   *object,
                         const char          *path,
                         const char          *member,
                         MwRequestTemplate  **out)
{
  const MwJsonValue *child;
  g_autofree char *where = path_member (path, member);

  if (!get_object (ctx, object, path, member, FALSE, &child))
    return FALSE;
  if (child == NULL)
    return TRUE;

  *out = g_new0 (MwRequestTemplate, 1);
  return parse_template (ctx, child, where, *out, FALSE, NULL);
}

static gboolean
valid_header_name (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;

  return *name != '\0';
}

static gboolean
parse_api (Ctx         *ctx,
           const MwJsonValue *object,
           const char  *path,
           MwApi      **out)
{
  static const char * const known[] = {
    "base_url", "probe", "key_env", "auth", "headers", "model_probe",
    "free_probe", "generate_probe", NULL
  };
  static const char * const auths[] = { "x-api-key", "bearer", "x-goog-api-key", NULL };
  /* Keys come from the Secret Service or the environment, never a file. */
  static const char * const secret_headers[] = {
    "authorization", "x-api-key", "x-goog-api-key", "api-key", "proxy-authorization", "cookie", NULL
  };
  MwApi *api = g_new0 (MwApi, 1);
  const MwJsonValue *probe, *headers;
  const char *key_env, *auth;
  gboolean set;

  *out = api;
  api->headers = g_ptr_array_new_with_free_func (g_free);
  check_keys (ctx, object, path, known);

  if (!get_url (ctx, object, path, "base_url", TRUE, &api->base_url) ||
      !get_object (ctx, object, path, "probe", FALSE, &probe) ||
      !get_string (ctx, object, path, "key_env", FALSE, &key_env) ||
      !get_string (ctx, object, path, "auth", FALSE, &auth) ||
      !get_object (ctx, object, path, "headers", FALSE, &headers) ||
      !parse_model_probe (ctx, object, path, &api->model_probe, &set) ||
      !parse_optional_template (ctx, object, path, "free_probe", &api->free_probe) ||
      !parse_optional_template (ctx, object, path, "generate_probe", &api->generate_probe))
    return FALSE;

  if (probe != NULL)
    {
      g_autofree char *where = path_member (path, "probe");

      if (!parse_template (ctx, probe, where, &api->probe, TRUE, &api->expect))
        return FALSE;
    }
  else
    {
      /* Reachability of the host itself; any answer below 500 will do. */
      api->probe.method = g_strdup ("GET");
      api->probe.path = g_strdup ("/");
      api->expect = g_array_new (FALSE, FALSE, sizeof (guint));
    }

  if (key_env != NULL)
    {
      gboolean ok = g_ascii_isupper (key_env[0]) || key_env[0] == '_';

      for (const char *p = key_env; ok && *p != '\0'; p++)
        ok = g_ascii_isupper (*p) || g_ascii_isdigit (*p) || *p == '_';

      if (!ok)
        {
          g_autofree char *where = path_member (path, "key_env");

          return fail (ctx, member_line (object, "key_env"), where,
                       _("“%s” is not an environment variable name"), key_env);
        }
      api->key_env = g_strdup (key_env);
    }

  if (auth != NULL)
    {
      if (!g_strv_contains (auths, auth))
        {
          g_autofree char *where = path_member (path, "auth");

          return fail (ctx, member_line (object, "auth"), where,
                       _("“%s” is not one of x-api-key, bearer, x-goog-api-key"), auth);
        }
      api->auth = g_strdup (auth);
    }

  if (headers != NULL)
    {
      g_autofree char *hpath = path_member (path, "headers");

      for (guint i = 0; i < headers->size; i++)
        {
          const char *name = headers->u.members[i].name;
          const char *value;
          g_autofree char *lower = g_ascii_strdown (name, -1);
          g_autofree char *where = path_member (hpath, name);

          if (!valid_header_name (name))
            return fail (ctx, member_line (headers, name), where,
                         _("not a valid HTTP header name"));
          if (g_strv_contains (secret_headers, lower))
            return fail (ctx, member_line (headers, name), where,
                         _("credentials do not belong in the catalog; use key_env or “modelwatch key set”"));
          if (!get_string (ctx, headers, hpath, name, TRUE, &value))
            return FALSE;
          if (strpbrk (value, "\r\n") != NULL)
            return fail (ctx, member_line (headers, name), where,
                         _("a header value must be one line"));

          g_ptr_array_add (api->headers, g_strdup_printf ("%s: %s", name, value));
        }
    }

  return TRUE;
}

static gboolean
parse_options (Ctx         *ctx,
               const MwJsonValue *object,
               const char  *path,
               GHashTable  *options)
{
  for (guint i = 0; i < object->size; i++)
    {
      const char *name = object->u.members[i].name;
      const MwJsonValue *node = &object->u.members[i].value;
      g_autofree char *where = path_member (path, name);

      if (node->type == MW_JSON_STRING)
        {
          g_hash_table_replace (options, g_strdup (name), g_strdup (node->u.string));
        }
      else if (node->type == MW_JSON_ARRAY)
        {
          g_auto(GStrv) list = NULL;
          g_autofree char *joined = NULL;

          if (!get_string_list (ctx, object, path, name, &list))
            return FALSE;

          for (guint j = 0; list[j] != NULL; j++)
            if (strchr (list[j], ',') != NULL)
              {
                g_autofree char *at = path_index (where, j);

                return fail (ctx, element_line (node, j), at, _("must not contain a comma"));
              }

          joined = g_strjoinv (",", list);
          g_hash_table_replace (options, g_strdup (name), g_steal_pointer (&joined));
        }
      else
        {
          return fail (ctx, member_line (object, name), where,
                       _("must be a string or an array of strings, not %s"), value_kind (node));
        }
    }

  return TRUE;
}

/* Options a platform cannot do without. */
static const struct {
  const char *platform;
  const char *option;
} required_options[] = {
  { "checkly", "slug" },
  { "flashduty", "page_id" },
  { "gcloud", "products" },
  { "aws", "services" },
};

static gboolean
parse_status_page (Ctx         *ctx,
                   const MwJsonValue *object,
                   const char  *path,
                   MwProvider  *provider)
{
  static const char * const known[] = { "url", "platform", "options", NULL };
  const char *platform;
  const MwJsonValue *options = NULL;
  g_autofree char *opath = path_member (path, "options");

  check_keys (ctx, object, path, known);

  if (!get_url (ctx, object, path, "url", TRUE, &provider->page_url) ||
      !get_string (ctx, object, path, "platform", TRUE, &platform) ||
      !get_object (ctx, object, path, "options", FALSE, &options))
    return FALSE;

  if (!g_str_equal (platform, "auto") && !g_strv_contains (mw_reader_platforms (), platform))
    {
      g_autofree char *where = path_member (path, "platform");
      g_autofree char *list = g_strjoinv (", ", (GStrv) mw_reader_platforms ());

      return fail (ctx, member_line (object, "platform"), where,
                   _("“%s” is not one of %s, auto"), platform, list);
    }
  provider->platform = g_strdup (platform);

  if (options != NULL && !parse_options (ctx, options, opath, provider->options))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (required_options); i++)
    if (g_str_equal (platform, required_options[i].platform) &&
        !g_hash_table_contains (provider->options, required_options[i].option))
      {
        g_autofree char *where = path_member (opath, required_options[i].option);

        return fail (ctx, options != NULL ? options->line : member_line (object, "platform"),
                     where, _("required for platform “%s”"), platform);
      }

  return TRUE;
}

static gboolean
parse_components (Ctx         *ctx,
                  const MwJsonValue *object,
                  const char  *path,
                  MwProvider  *provider)
{
  const MwJsonValue *node = mw_json_value_get_member (object, "components");
  g_autofree char *where = path_member (path, "components");

  if (node == NULL)
    return TRUE;

  if (node->type == MW_JSON_OBJECT)
    {
      for (guint i = 0; i < node->size; i++)
        {
          const char *key = node->u.members[i].name;
          MwComponentRef *ref;
          const char *id;

          if (!get_string (ctx, node, where, key, TRUE, &id))
            return FALSE;

          ref = g_new0 (MwComponentRef, 1);
          ref->key = g_strdup (key);
          ref->id = g_strdup (id);
          g_ptr_array_add (provider->components, ref);
        }
    }
  else if (node->type == MW_JSON_ARRAY)
    {
      g_auto(GStrv) list = NULL;

      if (!get_string_list (ctx, object, path, "components", &list))
        return FALSE;

      for (guint i = 0; list[i] != NULL; i++)
        {
          MwComponentRef *ref = g_new0 (MwComponentRef, 1);

          ref->key = g_strdup (list[i]);
          ref->id = g_strdup (list[i]);
          g_ptr_array_add (provider->components, ref);
        }
    }
  else
    {
      return fail (ctx, member_line (object, "components"), where,
                   _("must be an object (label → id) or an array of ids, not %s"), value_kind (node));
    }

  return TRUE;
}

static gboolean
parse_models (Ctx         *ctx,
              const MwJsonValue *object,
              const char  *path,
              MwProvider  *provider)
{
  static const char * const known[] = { "id", "name", "api_id", "components", "match", "model_probe", NULL };
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) phrases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *mpath = path_member (path, "models");
  const MwJsonValue *array;

  if (!get_array (ctx, object, path, "models", TRUE, &array))
    return FALSE;

  for (guint i = 0; i < array->size; i++)
    {
      const MwJsonValue *entry = &array->u.elements[i];
      g_autofree char *at = path_index (mpath, i);
      MwModel *model;
      const char *id, *name, *api_id = NULL;

      if (entry->type != MW_JSON_OBJECT)
        return fail (ctx, entry->line, at,
                     _("must be an object, not %s"), value_kind (entry));

      check_keys (ctx, entry, at, known);

      if (!get_string (ctx, entry, at, "id", TRUE, &id) ||
          !get_string (ctx, entry, at, "name", TRUE, &name) ||
          !get_string (ctx, entry, at, "api_id", FALSE, &api_id))
        return FALSE;

      if (api_id != NULL && !is_api_id (api_id))
        {
          g_autofree char *where = path_member (at, "api_id");

          return fail (ctx, member_line (entry, "api_id"), where,
                       _("“%s” must be letters, digits, “-”, “.”, “_”, “:”, “/” and “@”"), api_id);
        }

      if (!is_word (id, "-._") || !g_ascii_isalnum (id[0]))
        {
          g_autofree char *where = path_member (at, "id");

          return fail (ctx, member_line (entry, "id"), where,
                       _("“%s” must be lower-case letters, digits, “-”, “.” and “_”"), id);
        }

      if (g_hash_table_contains (ids, id))
        {
          g_autofree char *where = path_member (at, "id");

          return fail (ctx, member_line (entry, "id"), where,
                       _("model “%s” is listed twice"), id);
        }

      model = g_new0 (MwModel, 1);
      model->id = g_strdup (id);
      model->global_id = g_strdup_printf ("%s/%s", provider->id, id);
      model->name = g_strdup (name);
      model->api_id = g_strdup (api_id);
      g_ptr_array_add (provider->models, model);
      g_hash_table_add (ids, model->id);

      if (!get_string_list (ctx, entry, at, "components", &model->components) ||
          !get_string_list (ctx, entry, at, "match", &model->match) ||
          !parse_model_probe (ctx, entry, at, &model->model_probe, &model->model_probe_set))
        return FALSE;

      if (model->components == NULL)
        model->components = g_new0 (char *, 1);
      if (model->match == NULL)
        model->match = g_new0 (char *, 1);
      if (!model->model_probe_set && provider->api != NULL)
        model->model_probe = provider->api->model_probe;

      /* The longest phrase wins when titles are matched, but two models
       * claiming the same phrase can never be told apart. */
      for (guint j = 0; model->match[j] != NULL; j++)
        {
          g_autofree char *folded = g_utf8_casefold (model->match[j], -1);
          const char *owner = g_hash_table_lookup (phrases, folded);

          if (owner != NULL)
            {
              const MwJsonValue *match = mw_json_value_get_member (entry, "match");
              g_autofree char *where = path_member (at, "match");
              g_autofree char *mat = path_index (where, j);

              if (g_str_equal (owner, model->id))
                return fail (ctx, element_line (match, j), mat,
                             _("“%s” is listed twice"), model->match[j]);

              return fail (ctx, element_line (match, j), mat,
                           _("“%s” is already a match phrase of model “%s”"),
                           model->match[j], owner);
            }

          g_hash_table_insert (phrases, g_steal_pointer (&folded), model->id);
        }
    }

  return TRUE;
}

static gboolean
parse_checked (Ctx         *ctx,
               const MwJsonValue *object,
               const char  *path,
               MwProvider  *provider)
{
  const char *text;
  guint year, month, day;
  char tail;

  if (!get_string (ctx, object, path, "checked", FALSE, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &tail) != 3 ||
      !g_date_valid_dmy (day, month, year))
    {
      g_autofree char *where = path_member (path, "checked");

      return fail (ctx, member_line (object, "checked"), where,
                   _("“%s” is not a date like 2026-11-29"), text);
    }

  provider->checked = g_strdup (text);
  return TRUE;
}

static gboolean
parse_provider (Ctx         *ctx,
                const MwJsonValue *object,
                const char  *path,
                gboolean     builtin,
                MwCatalog   *catalog)
{
  static const char * const known[] = {
    "id", "name", "status_page", "api", "components", "models", "checked", "trusted", NULL
  };
  MwProvider *provider;
  const char *id, *name;
  const MwJsonValue *status_page, *api, *trusted;

  check_keys (ctx, object, path, known);

  if (!get_string (ctx, object, path, "id", TRUE, &id) ||
      !get_string (ctx, object, path, "name", TRUE, &name))
    return FALSE;

  if (!is_word (id, "-"))
    {
      g_autofree char *where = path_member (path, "id");

      return fail (ctx, member_line (object, "id"), where,
                   _("“%s” must be lower-case letters, digits and “-”"), id);
    }

  if (mw_catalog_find_provider (catalog, id) != NULL)
    {
      g_autofree char *where = path_member (path, "id");

      return fail (ctx, member_line (object, "id"), where,
                   _("provider “%s” is listed twice"), id);
    }

  provider = g_new0 (MwProvider, 1);
  provider->id = g_strdup (id);
  provider->name = g_strdup (name);
  provider->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  provider->components = g_ptr_array_new_with_free_func ((GDestroyNotify) component_ref_free);
  provider->models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_free);
  provider->builtin = builtin;
  provider->source = g_strdup (ctx->source);
  g_ptr_array_add (catalog->owned, provider);
  g_ptr_array_add (catalog->providers, provider);

  if (!get_object (ctx, object, path, "status_page", TRUE, &status_page) ||
      !get_object (ctx, object, path, "api", FALSE, &api) ||
      !get_node (ctx, object, path, "trusted", FALSE, &trusted))
    return FALSE;

  {
    g_autofree char *where = path_member (path, "status_page");

    if (!parse_status_page (ctx, status_page, where, provider))
      return FALSE;
  }

  if (api != NULL)
    {
      g_autofree char *where = path_member (path, "api");

      if (!parse_api (ctx, api, where, &provider->api))
        return FALSE;
    }

  if (trusted != NULL)
    {
      if (trusted->type != MW_JSON_BOOLEAN)
        {
          g_autofree char *where = path_member (path, "trusted");

          return fail (ctx, member_line (object, "trusted"), where,
                       _("must be true or false, not %s"), value_kind (trusted));
        }
      provider->trusted = trusted->u.boolean;
    }

  return parse_components (ctx, object, path, provider) &&
         parse_models (ctx, object, path, provider) &&
         parse_checked (ctx, object, path, provider);
}

static gboolean
is_global_id (const char *id)
{
  const char *slash = strchr (id, '/');

  return slash != NULL && slash != id && slash[1] != '\0' && strchr (slash + 1, '/') == NULL;
}

static gboolean
parse_fallbacks (Ctx         *ctx,
                 const MwJsonValue *object,
                 gboolean     builtin,
                 MwCatalog   *catalog)
{
  for (guint k = 0; k < object->size; k++)
    {
      const char *key = object->u.members[k].name;
      const MwJsonValue *array = &object->u.members[k].value;
      g_autofree char *where = g_strdup_printf ("fallbacks.%s", key);
      g_auto(GStrv) ids = NULL;
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      FallbackEntry *entry;

      if (!is_global_id (key))
        return fail (ctx, array->line, where,
                     _("“%s” is not a global model id like “anthropic/claude-opus-4-7”"), key);

      if (array->type != MW_JSON_ARRAY)
        return fail (ctx, array->line, where,
                     _("must be an array of global model ids, not %s"), value_kind (array));

      if (!get_string_list (ctx, object, "fallbacks", key, &ids))
        return FALSE;

      entry = g_new0 (FallbackEntry, 1);
      entry->key = g_strdup (key);
      entry->source = g_strdup (ctx->source);
      entry->line = array->line;
      entry->lines = g_array_new (FALSE, FALSE, sizeof (guint));
      entry->builtin = builtin;
      g_ptr_array_add (catalog->owned_fallbacks, entry);

      for (guint i = 0; ids[i] != NULL; i++)
        {
          g_autofree char *at = path_index (where, i);
          guint line = element_line (array, i);

          g_array_append_val (entry->lines, line);

          if (!is_global_id (ids[i]))
            return fail (ctx, line, at,
                         _("“%s” is not a global model id like “openai/gpt-5”"), ids[i]);
          if (g_str_equal (ids[i], key))
            return fail (ctx, line, at, _("a model cannot be its own fallback"));
          if (!g_hash_table_add (seen, ids[i]))
            return fail (ctx, line, at, _("“%s” is listed twice"), ids[i]);
        }

      entry->ids = g_steal_pointer (&ids);
      g_hash_table_replace (catalog->fallbacks, entry->key, entry);
      g_ptr_array_add (catalog->fallback_order, entry);
    }

  return TRUE;
}

static gboolean
parse_root (Ctx               *ctx,
            const MwJsonValue *object,
            gboolean           builtin,
            MwCatalog         *catalog)
{
  static const char * const known[] = { "version", "providers", "fallbacks", NULL };
  const MwJsonValue *fallbacks, *providers, *version;

  if (object->type != MW_JSON_OBJECT)
    return fail (ctx, object->line, "(top level)", _("must be an object, not %s"), value_kind (object));

  check_keys (ctx, object, "", known);

  if (!get_node (ctx, object, "", "version", TRUE, &version))
    return FALSE;

  if (version->type != MW_JSON_INT)
    return fail (ctx, version->line, "version",
                 _("must be the number 1, not %s"), value_kind (version));
  if (version->u.integer != 1)
    return fail (ctx, version->line, "version",
                 _("this is version %lld; this Modelwatch reads version 1"),
                 (long long) version->u.integer);

  /* A drop-in may only change fallback chains. */
  if (!get_array (ctx, object, "", "providers", FALSE, &providers) ||
      !get_object (ctx, object, "", "fallbacks", FALSE, &fallbacks))
    return FALSE;

  for (guint i = 0; providers != NULL && i < providers->size; i++)
    {
      const MwJsonValue *node = &providers->u.elements[i];
      g_autofree char *at = path_index ("providers", i);

      if (node->type != MW_JSON_OBJECT)
        return fail (ctx, node->line, at,
                     _("must be an object, not %s"), value_kind (node));

      if (!parse_provider (ctx, node, at, builtin, catalog))
        return FALSE;
    }

  return fallbacks == NULL || parse_fallbacks (ctx, fallbacks, builtin, catalog);
}

/* Every id of every chain must name a model.  A user's chain that names
 * a missing model is an error; a built-in chain that names a model a
 * drop-in took away loses that id, with a warning. */
static gboolean
check_fallbacks (MwCatalog  *self,
                 gboolean    prune_builtin,
                 GError    **error)
{
  for (guint i = 0; i < self->fallback_order->len; i++)
    {
      FallbackEntry *entry = g_ptr_array_index (self->fallback_order, i);
      g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
      gboolean pruned = FALSE;

      if (mw_catalog_find_model (self, entry->key, NULL) == NULL)
        {
          if (entry->builtin && prune_builtin)
            {
              g_hash_table_remove (self->fallbacks, entry->key);
              g_ptr_array_remove_index (self->fallback_order, i--);
              continue;
            }

          g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
                       _("%s:%u: fallbacks.%s: no such model in the catalog"),
                       entry->source, entry->line, entry->key);
          return FALSE;
        }

      for (guint j = 0; entry->ids[j] != NULL; j++)
        {
          if (mw_catalog_find_model (self, entry->ids[j], NULL) != NULL)
            {
              g_strv_builder_add (kept, entry->ids[j]);
              continue;
            }

          if (!entry->builtin || !prune_builtin)
            {
              g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
                           _("%s:%u: fallbacks.%s[%u]: “%s”: no such model in the catalog"),
                           entry->source, g_array_index (entry->lines, guint, j),
                           entry->key, j, entry->ids[j]);
              return FALSE;
            }

          g_ptr_array_add (self->warnings,
                           g_strdup_printf (_("%s: fallbacks.%s: “%s” was replaced by a user catalog; dropped from the chain"),
                                            entry->source, entry->key, entry->ids[j]));
          pruned = TRUE;
        }

      if (pruned)
        {
          FallbackEntry *copy = g_new0 (FallbackEntry, 1);

          copy->key = g_strdup (entry->key);
          copy->ids = g_strv_builder_end (kept);
          copy->source = g_strdup (entry->source);
          copy->line = entry->line;
          copy->lines = g_array_new (FALSE, FALSE, sizeof (guint));
          copy->builtin = entry->builtin;
          g_ptr_array_add (self->owned_fallbacks, copy);
          g_hash_table_replace (self->fallbacks, copy->key, copy);
          self->fallback_order->pdata[i] = copy;
        }
    }

  return TRUE;
}

/**
 * mw_catalog_check:
 * @error: names the file, the line and the key of a chain that names a
 *   model the catalog does not have
 *
 * Checks what one file cannot check alone: that every fallback chain
 * names existing models.  mw_catalog_load() runs it on what it returns.
 */
gboolean
mw_catalog_check (MwCatalog  *self,
                  GError    **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return check_fallbacks (self, FALSE, error);
}

/* A valid JSON text may give a name twice in one object, and the last one
 * would silently win; in a catalog, "id" given twice is a mistake worth
 * stopping for. Names are compared in the order the text gives them, so
 * the first repeat in the file is the one reported. */
static gboolean
check_unique_names (Ctx               *ctx,
                    const MwJsonValue *value)
{
  if (value->type == MW_JSON_ARRAY)
    {
      for (guint i = 0; i < value->size; i++)
        if (!check_unique_names (ctx, &value->u.elements[i]))
          return FALSE;
    }
  else if (value->type == MW_JSON_OBJECT)
    {
      for (guint i = 0; i < value->size; i++)
        {
          const MwJsonMember *member = &value->u.members[i];

          if (!check_unique_names (ctx, &member->value))
            return FALSE;

          for (guint j = 0; j < i; j++)
            if (strcmp (value->u.members[j].name, member->name) == 0)
              {
                g_set_error (&ctx->error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID,
                             _("%s:%u: “%s” appears twice in the same object"),
                             ctx->source, member->value.line, member->name);
                return FALSE;
              }
        }
    }

  return TRUE;
}

static MwCatalog *
catalog_parse (const char  *data,
               gssize       length,
               const char  *source,
               gboolean     builtin,
               gboolean     check_references,
               GError     **error)
{
  g_autoptr(MwCatalog) catalog = catalog_new ();
  g_autoptr(MwJsonDoc) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  Ctx ctx = { source, catalog->warnings, NULL };
  const MwJsonValue *root;
  guint line = 1;

  if (length < 0)
    length = strlen (data);

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_SYNTAX,
                   _("%s: not valid JSON: the file is not UTF-8 text"), source);
      return NULL;
    }

  if (mw_text_is_blank (data, length))
    {
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_SYNTAX,
                   _("%s:1: not valid JSON: the file is empty"), source);
      return NULL;
    }

  doc = mw_json_doc_parse_full (data, length, &line, &local_error);
  if (doc == NULL)
    {
      g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_SYNTAX,
                   _("%s:%u: not valid JSON: %s"), source, line, local_error->message);
      return NULL;
    }

  root = mw_json_doc_get_root (doc);
  if (!check_unique_names (&ctx, root) || !parse_root (&ctx, root, builtin, catalog))
    {
      g_propagate_error (error, ctx.error);
      return NULL;
    }

  if (check_references && !check_fallbacks (catalog, FALSE, error))
    return NULL;

  return g_steal_pointer (&catalog);
}

/**
 * mw_catalog_new_from_data:
 * @data: the JSON text
 * @length: its length, or -1 when NUL-terminated
 * @source_name: the name messages use for it, e.g. the file name
 * @error: a one-line "file:line: key: reason" when it is not a valid catalog
 *
 * Reads one catalog file: its syntax, its shape and what can be checked
 * inside it.  Its fallback chains may name models of other files (a
 * drop-in extends the built-in catalog), so they are checked by
 * mw_catalog_check(), which mw_catalog_load() runs.  Its providers are
 * not built-in.
 */
MwCatalog *
mw_catalog_new_from_data (const char  *data,
                          gssize       length,
                          const char  *source_name,
                          GError     **error)
{
  g_return_val_if_fail (data != NULL, NULL);

  return catalog_parse (data, length, source_name != NULL ? source_name : "catalog",
                        FALSE, FALSE, error);
}

static MwCatalog *
catalog_new_from_file (const char  *path,
                       gboolean     check_references,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, MW_CATALOG_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? MW_CATALOG_ERROR_NOT_FOUND : MW_CATALOG_ERROR_INVALID,
                   _("%s: cannot read the catalog: %s"), path, local_error->message);
      return NULL;
    }

  return catalog_parse (contents, length, path, FALSE, check_references, error);
}

MwCatalog *
mw_catalog_new_from_file (const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return catalog_new_from_file (path, FALSE, error);
}

MwCatalog *
mw_catalog_new_builtin (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const char *data;

  bytes = g_resource_lookup_data (mw_catalog_get_resource (), BUILTIN_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &length);

  return catalog_parse (data, length, BUILTIN_SOURCE, TRUE, TRUE, error);
}

/* The built-in catalog, parsed once: the source of truth for which host
 * may receive which provider's key, whatever catalog is in use. */
static MwCatalog *
builtin_singleton (void)
{
  static MwCatalog *builtin;

  if (g_once_init_enter (&builtin))
    {
      g_autoptr(GError) error = NULL;
      MwCatalog *catalog = mw_catalog_new_builtin (&error);

      if (catalog == NULL)
        {
          g_warning ("The built-in catalog is broken: %s", error->message);
          catalog = catalog_new ();
        }

      g_once_init_leave (&builtin, catalog);
    }

  return builtin;
}

/**
 * mw_catalog_merge:
 * @base: the catalog underneath, e.g. the built-in one
 * @overlay: a user's catalog
 *
 * A provider of @overlay replaces the one with the same id in @base (in
 * its place); new ones are appended.  Fallback chains are merged key by
 * key.  Chains are not checked here: mw_catalog_load() does that once
 * every drop-in is in.
 *
 * Returns: (transfer full): a catalog that borrows from both
 */
MwCatalog *
mw_catalog_merge (MwCatalog *base,
                  MwCatalog *overlay)
{
  MwCatalog *self;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (overlay != NULL, NULL);

  self = catalog_new ();
  g_ptr_array_add (self->parts, mw_catalog_ref (base));
  g_ptr_array_add (self->parts, mw_catalog_ref (overlay));

  for (guint i = 0; i < base->providers->len; i++)
    {
      MwProvider *provider = g_ptr_array_index (base->providers, i);
      const MwProvider *replacement = mw_catalog_find_provider (overlay, provider->id);

      g_ptr_array_add (self->providers, replacement != NULL ? (gpointer) replacement : provider);
    }

  for (guint i = 0; i < overlay->providers->len; i++)
    {
      MwProvider *provider = g_ptr_array_index (overlay->providers, i);

      if (mw_catalog_find_provider (base, provider->id) == NULL)
        g_ptr_array_add (self->providers, provider);
    }

  for (guint i = 0; i < base->fallback_order->len; i++)
    {
      FallbackEntry *entry = g_ptr_array_index (base->fallback_order, i);

      if (!g_hash_table_contains (overlay->fallbacks, entry->key))
        {
          g_hash_table_replace (self->fallbacks, entry->key, entry);
          g_ptr_array_add (self->fallback_order, entry);
        }
    }

  for (guint i = 0; i < overlay->fallback_order->len; i++)
    {
      FallbackEntry *entry = g_ptr_array_index (overlay->fallback_order, i);

      g_hash_table_replace (self->fallbacks, entry->key, entry);
      g_ptr_array_add (self->fallback_order, entry);
    }

  for (guint i = 0; i < base->warnings->len; i++)
    g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (base->warnings, i)));
  for (guint i = 0; i < overlay->warnings->len; i++)
    g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (overlay->warnings, i)));

  return self;
}

/**
 * mw_catalog_user_dir:
 *
 * Returns: (transfer full) (nullable): `$XDG_CONFIG_HOME/modelwatch/catalog.d`,
 * or %NULL when the configuration directory is not an absolute path (the
 * XDG rule; it keeps a relative $XDG_CONFIG_HOME from reading the
 * current directory).
 */
char *
mw_catalog_user_dir (void)
{
  const char *config = g_get_user_config_dir ();

  if (config == NULL || !g_path_is_absolute (config))
    return NULL;

  return g_build_filename (config, "modelwatch", "catalog.d", NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * mw_catalog_load:
 * @override_file: (nullable): a catalog to use alone (`--catalog FILE`)
 * @error: names the file, the line and the key of the first problem
 *
 * With @override_file, that file is the whole catalog.  Without it, the
 * built-in catalog with every .json file of catalog.d merged over it in name
 * order.  One broken drop-in fails the whole load, so that the caller
 * keeps the catalog it has.
 */
MwCatalog *
mw_catalog_load (const char  *override_file,
                 GError     **error)
{
  g_autoptr(MwCatalog) catalog = NULL;
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (override_file != NULL)
    return catalog_new_from_file (override_file, TRUE, error);

  catalog = mw_catalog_new_builtin (error);
  if (catalog == NULL)
    return NULL;

  dir_path = mw_catalog_user_dir ();
  if (dir_path == NULL || !g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&catalog);

  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return g_steal_pointer (&catalog);

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json") && name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      g_autoptr(MwCatalog) drop_in = catalog_new_from_file (path, FALSE, error);
      MwCatalog *merged;

      if (drop_in == NULL)
        return NULL;

      merged = mw_catalog_merge (catalog, drop_in);
      g_clear_pointer (&catalog, mw_catalog_unref);
      catalog = merged;
    }

  if (!check_fallbacks (catalog, TRUE, error))
    return NULL;

  return g_steal_pointer (&catalog);
}

/* Queries */

guint
mw_catalog_get_n_providers (MwCatalog *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->providers->len;
}

const MwProvider *
mw_catalog_get_provider (MwCatalog *self,
                         guint      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->providers->len, NULL);

  return g_ptr_array_index (self->providers, index);
}

const MwProvider *
mw_catalog_find_provider (MwCatalog  *self,
                          const char *provider_id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; provider_id != NULL && i < self->providers->len; i++)
    {
      const MwProvider *provider = g_ptr_array_index (self->providers, i);

      if (g_str_equal (provider->id, provider_id))
        return provider;
    }

  return NULL;
}

const MwModel *
mw_catalog_find_model (MwCatalog         *self,
                       const char        *global_id,
                       const MwProvider **provider)
{
  const MwProvider *owner;
  g_autofree char *provider_id = NULL;
  const char *slash;

  g_return_val_if_fail (self != NULL, NULL);

  if (provider != NULL)
    *provider = NULL;

  if (global_id == NULL || (slash = strchr (global_id, '/')) == NULL)
    return NULL;

  provider_id = g_strndup (global_id, slash - global_id);
  owner = mw_catalog_find_provider (self, provider_id);

  for (guint i = 0; owner != NULL && i < owner->models->len; i++)
    {
      const MwModel *model = g_ptr_array_index (owner->models, i);

      if (g_str_equal (model->id, slash + 1))
        {
          if (provider != NULL)
            *provider = owner;
          return model;
        }
    }

  return NULL;
}

/**
 * mw_catalog_get_fallbacks:
 *
 * Returns: (nullable): the ordered chain of global ids for @global_id,
 * or %NULL when it has none
 */
const char * const *
mw_catalog_get_fallbacks (MwCatalog  *self,
                          const char *global_id)
{
  FallbackEntry *entry;

  g_return_val_if_fail (self != NULL, NULL);

  if (global_id == NULL)
    return NULL;

  entry = g_hash_table_lookup (self->fallbacks, global_id);

  return entry != NULL ? (const char * const *) entry->ids : NULL;
}

/**
 * mw_catalog_get_builtin_host:
 *
 * The host of the built-in catalog's `api.base_url` for @provider_id,
 * whatever @self says: a user catalog can override a provider, but not
 * move where its key may go (that needs `"trusted": true`).
 *
 * Returns: (nullable): "api.anthropic.com", or %NULL when the built-in
 * catalog has no API for that id
 */
const char *
mw_catalog_get_builtin_host (MwCatalog  *self,
                             const char *provider_id)
{
  static GHashTable *hosts;

  g_return_val_if_fail (self != NULL, NULL);

  if (g_once_init_enter (&hosts))
    {
      MwCatalog *builtin = builtin_singleton ();
      GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      for (guint i = 0; i < builtin->providers->len; i++)
        {
          const MwProvider *provider = g_ptr_array_index (builtin->providers, i);
          g_autoptr(GUri) uri = NULL;

          if (provider->api == NULL)
            continue;

          uri = g_uri_parse (provider->api->base_url, G_URI_FLAGS_NONE, NULL);
          if (uri != NULL && g_uri_get_host (uri) != NULL)
            g_hash_table_insert (table, g_strdup (provider->id),
                                 g_ascii_strdown (g_uri_get_host (uri), -1));
        }

      g_once_init_leave (&hosts, table);
    }

  return provider_id != NULL ? g_hash_table_lookup (hosts, provider_id) : NULL;
}

/**
 * mw_catalog_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): one line per unknown key
 * or dropped fallback, "file:line: key: reason"
 */
GPtrArray *
mw_catalog_get_warnings (MwCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->warnings;
}

const char *
mw_provider_get_option (const MwProvider *provider,
                        const char       *key)
{
  g_return_val_if_fail (provider != NULL, NULL);

  if (key == NULL || provider->options == NULL)
    return NULL;

  return g_hash_table_lookup (provider->options, key);
}

/* A list option (stored joined by ","), or NULL when it is absent or empty. */
GStrv
mw_provider_get_option_list (const MwProvider *provider,
                             const char       *key)
{
  const char *value = mw_provider_get_option (provider, key);

  if (value == NULL || *value == '\0')
    return NULL;

  return g_strsplit (value, ",", -1);
}
