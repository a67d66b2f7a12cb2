/* mw-catalog.c — PLACEHOLDER until the catalog lands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-catalog.h"

struct _MwCatalog { int unused; };

G_DEFINE_QUARK (mw-catalog-error-quark, mw_catalog_error)
G_DEFINE_BOXED_TYPE (MwCatalog, mw_catalog, mw_catalog_ref, mw_catalog_unref)

MwCatalog *mw_catalog_new_builtin (GError **error) { g_set_error (error, MW_CATALOG_ERROR, MW_CATALOG_ERROR_INVALID, "unimplemented"); return NULL; }
MwCatalog *mw_catalog_new_from_file (const char *path, GError **error) { return mw_catalog_new_builtin (error); }
MwCatalog *mw_catalog_new_from_data (const char *data, gssize length, const char *source_name, GError **error) { return mw_catalog_new_builtin (error); }
MwCatalog *mw_catalog_load (const char *override_file, GError **error) { return mw_catalog_new_builtin (error); }
MwCatalog *mw_catalog_merge (MwCatalog *base, MwCatalog *overlay) { return NULL; }
char *mw_catalog_user_dir (void) { return NULL; }
MwCatalog *mw_catalog_ref (MwCatalog *self) { return self; }
void mw_catalog_unref (MwCatalog *self) { }
guint mw_catalog_get_n_providers (MwCatalog *self) { return 0; }
const MwProvider *mw_catalog_get_provider (MwCatalog *self, guint index) { return NULL; }
const MwProvider *mw_catalog_find_provider (MwCatalog *self, const char *provider_id) { return NULL; }
const MwModel *mw_catalog_find_model (MwCatalog *self, const char *global_id, const MwProvider **provider) { return NULL; }
const char * const *mw_catalog_get_fallbacks (MwCatalog *self, const char *global_id) { return NULL; }
const char *mw_catalog_get_builtin_host (MwCatalog *self, const char *provider_id) { return NULL; }
GPtrArray *mw_catalog_get_warnings (MwCatalog *self) { return NULL; }
const char *mw_provider_get_option (const MwProvider *provider, const char *key) { return NULL; }
gboolean mw_url_is_allowed (const char *url, GError **error) { return FALSE; }
gboolean mw_url_is_loopback (const char *url) { return FALSE; }
