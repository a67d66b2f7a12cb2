/* mw-secrets.h
 *
 * API keys: from the provider's environment variable or the Secret
 * Service (libsecret), the rule that decides where a key may be sent, and
 * the redacted hint that is the only form of a key ever shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "mw-catalog.h"

G_BEGIN_DECLS

#define MW_SECRET_ERROR (mw_secret_error_quark ())

typedef enum {
  MW_SECRET_ERROR_NO_KEY,     /* neither the keyring nor the environment holds one */
  MW_SECRET_ERROR_REFUSED,    /* the destination may not receive the key */
  MW_SECRET_ERROR_BACKEND,    /* the Secret Service failed */
} MwSecretError;

typedef enum {
  MW_SECRET_SOURCE_NONE,
  MW_SECRET_SOURCE_ENVIRONMENT,
  MW_SECRET_SOURCE_KEYRING,
} MwSecretSource;

GQuark              mw_secret_error_quark        (void);

/* The libsecret schema "io.github.modelwatch.ApiKey", attribute "provider". */
const SecretSchema *mw_secret_get_schema         (void);

void                mw_secret_lookup_async       (const MwProvider    *provider,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char               *mw_secret_lookup_finish      (GAsyncResult        *result,
                                                  MwSecretSource      *source_out,
                                                  GError             **error);

/* Keyring only; blocking, for the command line. */
char               *mw_secret_keyring_lookup_sync (const char         *provider_id,
                                                   GCancellable       *cancellable,
                                                   GError            **error);
gboolean            mw_secret_keyring_store_sync (const char          *provider_id,
                                                  const char          *provider_name,
                                                  const char          *key,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
gboolean            mw_secret_keyring_delete_sync (const char         *provider_id,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

gboolean            mw_secret_check_destination  (MwCatalog           *catalog,
                                                  const MwProvider    *provider,
                                                  const char          *url,
                                                  GError             **error);
char               *mw_secret_redact             (const char          *key);
gboolean            mw_secret_is_plausible       (const char          *key);
void                mw_secret_free               (char                *key);

G_END_DECLS
