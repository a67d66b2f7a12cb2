/* mw-reader.h
 *
 * The contract between the monitor and the status-page readers: a reader
 * names the documents it needs from a page and turns their bodies into
 * MwObservations.  It never touches the network itself, so each reader is
 * a pure function that tests feed with fixture bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mw-catalog.h"
#include "mw-json.h"
#include "mw-observation.h"

G_BEGIN_DECLS

#define MW_SOURCE_ERROR (mw_source_error_quark ())

/* Each code is something a person can act on; the message is one line. */
typedef enum {
  MW_SOURCE_ERROR_NETWORK,      /* "cannot reach status.claude.com: …" */
  MW_SOURCE_ERROR_TIMEOUT,      /* "status.claude.com did not answer within 15 s" */
  MW_SOURCE_ERROR_HTTP,         /* "status.claude.com answered HTTP 503" */
  MW_SOURCE_ERROR_TOO_LARGE,    /* "status.claude.com sent more than 4 MiB" */
  MW_SOURCE_ERROR_REDIRECTS,    /* "status.claude.com redirects in a loop" */
  MW_SOURCE_ERROR_PARSE,        /* "status.claude.com sent malformed JSON (line 3: …)" */
  MW_SOURCE_ERROR_FORMAT,       /* "status.claude.com: page format changed (…)" */
  MW_SOURCE_ERROR_CHALLENGE,    /* "status.claude.com: page format changed (an HTML challenge page)" */
  MW_SOURCE_ERROR_OFFLINE,      /* "offline" */
  MW_SOURCE_ERROR_UNSUPPORTED,  /* no reader for the platform */
} MwSourceError;

typedef struct {
  const char *platform;

  /* Absolute URLs of the documents to fetch, in the order parse() gets them. */
  GStrv (*urls) (const MwProvider *provider);

  /* @bodies holds one GBytes per URL, already stripped of a BOM and in
   * UTF-8.  Returns NULL with MW_SOURCE_ERROR_PARSE or _FORMAT when the
   * bodies do not have the platform's shape. */
  MwObservations *(*parse) (const MwProvider *provider,
                            GBytes * const   *bodies,
                            guint             n_bodies,
                            GError          **error);
} MwReader;

GQuark          mw_source_error_quark  (void);
const MwReader *mw_reader_lookup       (const char   *platform);
const char * const *mw_reader_platforms (void);

/* Helpers shared by the readers. */
char           *mw_url_host            (const char   *url);
char           *mw_url_join            (const char   *base,
                                        const char   *path);
GBytes         *mw_bytes_to_utf8       (GBytes       *bytes,
                                        GError      **error);
MwJsonDoc      *mw_parse_json_doc      (const char   *url,
                                        GBytes       *body,
                                        GError      **error);
JsonNode       *mw_parse_json          (const char   *url,
                                        GBytes       *body,
                                        GError      **error);
gboolean        mw_body_looks_like_html (GBytes      *body);
gboolean        mw_text_is_blank       (const char   *data,
                                        gsize         len);
char           *mw_describe_open_incidents (guint   n_open);
char           *mw_one_line            (const char   *text,
                                        guint         max_chars);
GDateTime      *mw_parse_time          (const char   *text);
const char     *mw_json_get_string     (JsonObject   *object,
                                        const char   *member);
JsonArray      *mw_json_get_array      (JsonObject   *object,
                                        const char   *member);
JsonObject     *mw_json_array_get_object (JsonArray  *array,
                                        guint         index);
JsonObject     *mw_json_get_object     (JsonObject   *object,
                                        const char   *member);

/* One declaration per reader; each lives in sources/mw-<platform>.c */
extern const MwReader mw_statuspage_reader;
extern const MwReader mw_incidentio_reader;
extern const MwReader mw_instatus_reader;
extern const MwReader mw_betterstack_reader;
extern const MwReader mw_checkly_reader;
extern const MwReader mw_datadog_reader;
extern const MwReader mw_flashduty_reader;
extern const MwReader mw_gcloud_reader;
extern const MwReader mw_aws_reader;
extern const MwReader mw_feed_reader;

G_END_DECLS
