/* mw-secrets.c
 *
 * API keys from the environment or the Secret Service, the destination
 * rule and redaction. A key only ever leaves this file towards the code
 * that puts it in a request header; every message here names the
 * provider, never the key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mw-secrets.h"

G_DEFINE_QUARK (mw-secret-error-quark, mw_secret_error)

const SecretSchema *
mw_secret_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.modelwatch.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/**
 * mw_secret_free:
 * @key: (nullable): a key returned by this file
 *
 * Overwrites the key's memory before freeing it, so that it does not
 * linger in freed heap pages (and core dumps).
 */
void
mw_secret_free (char *key)
{
  if (key == NULL)
    return;

  secret_password_wipe (key);
  g_free (key);
}

/* A key copied into memory we own, so that every key is released with
 * mw_secret_free() whatever its origin. */
static char *
own_key (const char *key)
{
  g_autofree char *stripped = g_strstrip (g_strdup (key));
  char *copy;

  if (stripped[0] == '\0')
    {
      secret_password_wipe (stripped);
      return NULL;
    }

  copy = g_strdup (stripped);
  secret_password_wipe (stripped);
  return copy;
}

/**
 * mw_secret_is_plausible:
 * @key: a candidate key
 *
 * Returns: whether @key can be sent in an HTTP header at all: printable
 * ASCII without spaces, of a sensible length. This keeps a pasted
 * newline or a whole paragraph out of a request.
 */
gboolean
mw_secret_is_plausible (const char *key)
{
  gsize len;

  if (key == NULL)
    return FALSE;

  len = strlen (key);
  if (len < 8 || len > 512)
    return FALSE;

  for (const char *p = key; *p != '\0'; p++)
    if (*p <= ' ' || *p > '~')
      return FALSE;

  return TRUE;
}

/**
 * mw_secret_redact:
 * @key: (nullable): a key
 *
 * The only form of a key that may be shown: a short known prefix such as
 * "sk-" and the last four characters, "sk-…abcd". Keys too short to spare
 * four characters are shown as "…" alone.
 *
 * Returns: (transfer full): the hint
 */
char *
mw_secret_redact (const char *key)
{
  gsize len;
  gsize prefix = 0;

  if (key == NULL || *key == '\0')
    return g_strdup ("…");

  len = strlen (key);
  if (len < 16)
    return g_strdup ("…");

  /* "sk-", "xai-", "gsk_": a vendor tag up to the first separator, if short */
  while (prefix < 4 && g_ascii_isalpha (key[prefix]))
    prefix++;
  if (prefix > 0 && (key[prefix] == '-' || key[prefix] == '_'))
    prefix++;
  else
    prefix = 0;

  return g_strdup_printf ("%.*s…%s", (int) prefix, key, key + len - 4);
}

/* Lookup: the environment first (it is explicit for this process and needs
 * no bus), then the keyring. */

typedef struct {
  char           *provider_id;
  char           *key_env;
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *d = data;

  g_free (d->provider_id);
  g_free (d->key_env);
  g_free (d);
}

typedef struct {
  char           *key;
  MwSecretSource  source;
} LookupResult;

static void
lookup_result_free (gpointer data)
{
  LookupResult *r = data;

  mw_secret_free (r->key);
  g_free (r);
}

/* The key stored for @provider_id, or NULL (with no error) when none is.
 *
 * Not secret_password_lookup() nor secret_service_lookup(): libsecret 0.20
 * leaks the Service.GetSecrets reply (about 1 KB) on every key they find.
 * Searching without loading secrets and then loading the one item's
 * secret (Item.GetSecret) does not. */
static char *
keyring_lookup (const char    *provider_id,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  GList *items;
  char *key = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, error);
  if (service == NULL)
    return NULL;

  attributes = secret_attributes_build (mw_secret_get_schema (), "provider", provider_id, NULL);
  items = secret_service_search_sync (service, mw_secret_get_schema (), attributes,
                                      SECRET_SEARCH_UNLOCK, cancellable, error);

  if (items != NULL && secret_item_load_secret_sync (items->data, cancellable, error))
    {
      value = secret_item_get_secret (items->data);
      if (value != NULL && secret_value_get_text (value) != NULL)
        key = own_key (secret_value_get_text (value));
    }

  g_list_free_full (items, g_object_unref);
  return key;
}

static void
keyring_lookup_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  LookupData *d = task_data;
  g_autoptr(GError) error = NULL;
  char *key = keyring_lookup (d->provider_id, cancellable, &error);
  LookupResult *r;

  if (error != NULL)
    {
      g_debug ("keyring lookup for %s failed: %s", d->provider_id, error->message);
      g_task_return_new_error (task, MW_SECRET_ERROR, MW_SECRET_ERROR_BACKEND,
                               _("The keyring could not be read: %s"), error->message);
      return;
    }

  if (key == NULL)
    {
      if (d->key_env != NULL)
        g_task_return_new_error (task, MW_SECRET_ERROR, MW_SECRET_ERROR_NO_KEY,
                                 _("No API key for %s (run “modelwatch key set %s” or set $%s)"),
                                 d->provider_id, d->provider_id, d->key_env);
      else
        g_task_return_new_error (task, MW_SECRET_ERROR, MW_SECRET_ERROR_NO_KEY,
                                 _("No API key for %s (run “modelwatch key set %s”)"),
                                 d->provider_id, d->provider_id);
      return;
    }

  r = g_new0 (LookupResult, 1);
  r->key = key;
  r->source = MW_SECRET_SOURCE_KEYRING;
  g_task_return_pointer (task, r, lookup_result_free);
}

/**
 * mw_secret_lookup_async:
 * @provider: the provider whose key is wanted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is known
 * @user_data: data for @callback
 *
 * Finds the provider's key: its `api.key_env` variable when set and not
 * empty, else the Secret Service item with the provider's id.
 */
void
mw_secret_lookup_async (const MwProvider    *provider,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *d;
  const char *env_value = NULL;

  g_return_if_fail (provider != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_secret_lookup_async);

  d = g_new0 (LookupData, 1);
  d->provider_id = g_strdup (provider->id);
  d->key_env = provider->api != NULL ? g_strdup (provider->api->key_env) : NULL;
  g_task_set_task_data (task, d, lookup_data_free);

  if (d->key_env != NULL)
    env_value = g_getenv (d->key_env);

  if (env_value != NULL && env_value[0] != '\0')
    {
      LookupResult *r = g_new0 (LookupResult, 1);

      r->key = own_key (env_value);
      r->source = MW_SECRET_SOURCE_ENVIRONMENT;
      if (r->key != NULL)
        {
          g_task_return_pointer (task, r, lookup_result_free);
          return;
        }
      lookup_result_free (r);
    }

  /* The lookup blocks on D-Bus: in a worker, off the main loop. */
  g_task_run_in_thread (task, keyring_lookup_thread);
}

/**
 * mw_secret_lookup_finish:
 * @result: the #GAsyncResult
 * @source_out: (out) (optional): where the key came from
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the key, to be released with
 * mw_secret_free(); %NULL with %MW_SECRET_ERROR_NO_KEY when there is none
 */
char *
mw_secret_lookup_finish (GAsyncResult    *result,
                         MwSecretSource  *source_out,
                         GError         **error)
{
  LookupResult *r;
  char *key;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (source_out != NULL)
    *source_out = MW_SECRET_SOURCE_NONE;

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return NULL;

  key = g_steal_pointer (&r->key);
  if (source_out != NULL)
    *source_out = r->source;
  lookup_result_free (r);

  return key;
}

char *
mw_secret_keyring_lookup_sync (const char    *provider_id,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *key = keyring_lookup (provider_id, cancellable, &local_error);

  if (local_error != NULL)
    {
      g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_BACKEND,
                   _("The keyring could not be read: %s"), local_error->message);
      return NULL;
    }

  if (key == NULL)
    {
      g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_NO_KEY,
                   _("No API key for %s in the keyring"), provider_id);
      return NULL;
    }

  return key;
}

gboolean
mw_secret_keyring_store_sync (const char    *provider_id,
                              const char    *provider_name,
                              const char    *key,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (provider_id != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  label = g_strdup_printf (_("Modelwatch API key for %s"),
                           provider_name != NULL ? provider_name : provider_id);

  if (!secret_password_store_sync (mw_secret_get_schema (), SECRET_COLLECTION_DEFAULT,
                                   label, key, cancellable, &local_error,
                                   "provider", provider_id,
                                   NULL))
    {
      g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_BACKEND,
                   _("The key could not be stored in the keyring: %s"),
                   local_error != NULL ? local_error->message : _("unknown error"));
      return FALSE;
    }

  return TRUE;
}

gboolean
mw_secret_keyring_delete_sync (const char    *provider_id,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!secret_password_clear_sync (mw_secret_get_schema (), cancellable, &local_error,
                                   "provider", provider_id,
                                   NULL))
    {
      if (local_error != NULL)
        g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_BACKEND,
                     _("The keyring could not be changed: %s"), local_error->message);
      else
        g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_NO_KEY,
                     _("No API key for %s in the keyring"), provider_id);
      return FALSE;
    }

  return TRUE;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* "host" or "host:port" as the catalog reports it, against a parsed URL. */
static gboolean
host_matches (const char *expected,
              GUri       *uri)
{
  const char *host = g_uri_get_host (uri);
  g_autofree char *with_port = NULL;

  if (expected == NULL || host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (expected, host) == 0)
    return TRUE;

  if (g_uri_get_port (uri) > 0)
    {
      with_port = g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
      return g_ascii_strcasecmp (expected, with_port) == 0;
    }

  return FALSE;
}

/**
 * mw_secret_check_destination:
 * @catalog: the catalog in force (it knows the built-in hosts)
 * @provider: the provider whose key would be sent
 * @url: the request's URL
 * @error: a #GError
 *
 * The one rule for sending a key: over https (http only to a loopback
 * host, for tests), to the host the built-in catalog names for this
 * provider, or to the entry's own `api.base_url` origin when a user entry
 * is marked `"trusted": true`.
 *
 * Returns: %TRUE when @url may receive the key; otherwise %FALSE with a
 * one-line %MW_SECRET_ERROR_REFUSED message
 */
gboolean
mw_secret_check_destination (MwCatalog         *catalog,
                             const MwProvider  *provider,
                             const char        *url,
                             GError           **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *builtin_host;

  g_return_val_if_fail (provider != NULL, FALSE);

  uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_REFUSED,
                   _("Refusing to send the %s API key: the probe URL is not valid"),
                   provider->id);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && mw_url_is_loopback (url)))
    {
      g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_REFUSED,
                   _("Refusing to send the %s API key to %s over %s: keys travel over https only"),
                   provider->id, g_uri_get_host (uri), scheme);
      return FALSE;
    }

  builtin_host = catalog != NULL ? mw_catalog_get_builtin_host (catalog, provider->id) : NULL;
  if (builtin_host != NULL && host_matches (builtin_host, uri))
    return TRUE;

  if (provider->trusted && provider->api != NULL && provider->api->base_url != NULL)
    {
      g_autoptr(GUri) base = g_uri_parse (provider->api->base_url, G_URI_FLAGS_NONE, NULL);

      if (base != NULL && g_uri_get_host (base) != NULL && same_origin (base, uri))
        return TRUE;
    }

  if (builtin_host != NULL)
    g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_REFUSED,
                 _("Refusing to send the %s API key to %s: the built-in catalog names %s "
                   "(mark the entry in %s \"trusted\": true to allow it)"),
                 provider->id, g_uri_get_host (uri), builtin_host,
                 provider->source != NULL ? provider->source : _("the user catalog"));
  else
    g_set_error (error, MW_SECRET_ERROR, MW_SECRET_ERROR_REFUSED,
                 _("Refusing to send the %s API key to %s: the built-in catalog does not name this "
                   "provider (mark the entry in %s \"trusted\": true to allow it)"),
                 provider->id, g_uri_get_host (uri),
                 provider->source != NULL ? provider->source : _("the user catalog"));

  return FALSE;
}
