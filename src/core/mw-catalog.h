/* mw-catalog.h
 *
 * The catalog: providers, their status pages and APIs, their models and
 * the fallback chains, read from the JSON contract of DESIGN.md and
 * validated strictly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MW_CATALOG_ERROR (mw_catalog_error_quark ())

typedef enum {
  MW_CATALOG_ERROR_SYNTAX,    /* not JSON */
  MW_CATALOG_ERROR_INVALID,   /* JSON, but not a valid catalog */
  MW_CATALOG_ERROR_NOT_FOUND, /* no such file, provider or model */
} MwCatalogError;

typedef enum {
  MW_MODEL_PROBE_OFF,
  MW_MODEL_PROBE_FREE,
  MW_MODEL_PROBE_GENERATE,
} MwModelProbe;

typedef struct {
  char *method;                  /* "GET" */
  char *path;                    /* "/v1/models", may hold "{model}" */
  char *body;                    /* nullable, may hold "{model}" */
} MwRequestTemplate;

typedef struct {
  char              *base_url;   /* https://api.anthropic.com */
  MwRequestTemplate  probe;      /* level 1, no key */
  GArray            *expect;     /* of guint: statuses that mean "reachable" */
  char              *key_env;    /* nullable */
  char              *auth;       /* nullable: "x-api-key", "bearer", "x-goog-api-key" */
  GPtrArray         *headers;    /* of char* "Name: value", sent with every probe */
  MwModelProbe       model_probe;
  MwRequestTemplate *free_probe;     /* nullable */
  MwRequestTemplate *generate_probe; /* nullable */
} MwApi;

typedef struct {
  char *key;                     /* the catalog's label, e.g. "api" */
  char *id;                      /* the page's id or exact name */
} MwComponentRef;

typedef struct {
  char         *id;              /* local id, "claude-opus-4-7" */
  char         *global_id;       /* "anthropic/claude-opus-4-7" */
  char         *name;            /* "Claude Opus 4.7" */
  char         *api_id;          /* nullable: the id the API knows, when not id */
  GStrv         components;      /* page component ids or names; may be empty */
  GStrv         match;           /* phrases; may be empty */
  MwModelProbe  model_probe;     /* the provider's unless overridden */
  gboolean      model_probe_set; /* whether the model overrides it */
} MwModel;

typedef struct {
  char       *id;                /* "anthropic" */
  char       *name;              /* "Anthropic" */
  char       *page_url;          /* base URL, or the feed itself for "feed" */
  char       *platform;          /* "statuspage", "incidentio", …, "auto" */
  GHashTable *options;           /* char* -> char*; lists joined by ',' */
  MwApi      *api;               /* nullable */
  GPtrArray  *components;        /* of MwComponentRef; empty = all */
  GPtrArray  *models;            /* of MwModel */
  char       *checked;           /* nullable: "2026-11-29", last checked against the page */
  gboolean    trusted;           /* a user entry whose key may go to its own host */
  gboolean    builtin;           /* this entry came from the built-in catalog */
  char       *source;            /* the file it came from, for messages */
} MwProvider;

typedef struct _MwCatalog MwCatalog;

#define MW_TYPE_CATALOG (mw_catalog_get_type ())

GQuark            mw_catalog_error_quark        (void);
GType             mw_catalog_get_type           (void) G_GNUC_CONST;

MwCatalog        *mw_catalog_new_builtin        (GError       **error);
MwCatalog        *mw_catalog_new_from_file      (const char    *path,
                                                 GError       **error);
MwCatalog        *mw_catalog_new_from_data      (const char    *data,
                                                 gssize         length,
                                                 const char    *source_name,
                                                 GError       **error);
MwCatalog        *mw_catalog_load               (const char    *override_file,
                                                 GError       **error);
MwCatalog        *mw_catalog_merge              (MwCatalog     *base,
                                                 MwCatalog     *overlay);
char             *mw_catalog_user_dir           (void);
gboolean          mw_catalog_check              (MwCatalog     *self,
                                                 GError       **error);

MwCatalog        *mw_catalog_ref                (MwCatalog     *self);
void              mw_catalog_unref              (MwCatalog     *self);

guint             mw_catalog_get_n_providers    (MwCatalog     *self);
const MwProvider *mw_catalog_get_provider       (MwCatalog     *self,
                                                 guint          index);
const MwProvider *mw_catalog_find_provider      (MwCatalog     *self,
                                                 const char    *provider_id);
const MwModel    *mw_catalog_find_model         (MwCatalog     *self,
                                                 const char    *global_id,
                                                 const MwProvider **provider);
const char * const *mw_catalog_get_fallbacks    (MwCatalog     *self,
                                                 const char    *global_id);
const char       *mw_catalog_get_builtin_host   (MwCatalog     *self,
                                                 const char    *provider_id);
GPtrArray        *mw_catalog_get_warnings       (MwCatalog     *self);

const char       *mw_provider_get_option        (const MwProvider *provider,
                                                 const char       *key);
GStrv             mw_provider_get_option_list   (const MwProvider *provider,
                                                 const char       *key);

gboolean          mw_url_is_allowed             (const char    *url,
                                                 GError       **error);
gboolean          mw_host_is_loopback           (const char    *host);
gboolean          mw_url_is_loopback            (const char    *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwCatalog, mw_catalog_unref)

G_END_DECLS
