/* mw-detect.h
 *
 * Which status-page platform serves a URL, tried the way the platforms'
 * own pages fetch their data (reference: status-sources §5), and what
 * the page calls itself and its components.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-fetch.h"

G_BEGIN_DECLS

typedef struct {
  char *id;       /* the platform's id, or the name where it has none */
  char *name;     /* as published */
  char *group;    /* nullable: the group or section it sits in */
} MwDetectedComponent;

typedef struct {
  char       *platform;    /* a catalog platform word: "statuspage", "incidentio", … */
  char       *variant;     /* for people: "Atlassian Statuspage", "incident.io (Statuspage-compatible API)" */
  char       *url;         /* the catalog's status_page.url: the page's base URL, or the feed itself */
  char       *name;        /* the page's own name; nullable */
  GHashTable *options;     /* char* -> char*: status_page.options the platform needs ("slug") */
  GPtrArray  *components;  /* of MwDetectedComponent, in page order, groups dropped */
} MwDetection;

void         mw_detection_free (MwDetection *detection);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDetection, mw_detection_free)

void         mw_detect_async   (MwFetcher            *fetcher,
                                const char           *url,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
MwDetection *mw_detect_finish  (GAsyncResult         *result,
                                GError              **error);

/* Whether a component's name looks like one model ("Kimi K3",
 * "llama-3.3-70b-versatile", "DeepSeek V4 Pro API服务") rather than a
 * product surface ("Website", "API", "Login"). */
gboolean     mw_detect_component_is_model (const char *name);

G_END_DECLS
