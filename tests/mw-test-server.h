/* mw-test-server.h
 *
 * A scriptable status-page server on 127.0.0.1 for tests: fixtures, HTTP
 * errors, delays, validators, redirects and connection resets, per path.
 * Also reachable from other processes through its control path:
 *   GET /_control/set?path=/api/v2/summary.json&fixture=NAME[&status=N][&delay_ms=N]
 *   GET /_control/hits?path=/api/v2/summary.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _MwTestServer MwTestServer;

MwTestServer *mw_test_server_new          (void);
void          mw_test_server_free         (MwTestServer *self);
guint         mw_test_server_get_port     (MwTestServer *self);
char         *mw_test_server_url          (MwTestServer *self,
                                           const char   *path);

/* Routes. Each setter replaces what the path answered before. */
void          mw_test_server_set_fixture  (MwTestServer *self,
                                           const char   *path,
                                           const char   *fixture_name);
void          mw_test_server_set_body     (MwTestServer *self,
                                           const char   *path,
                                           guint         status,
                                           const char   *content_type,
                                           const char   *body,
                                           gssize        length);
void          mw_test_server_set_etag     (MwTestServer *self,
                                           const char   *path,
                                           const char   *etag);
void          mw_test_server_set_last_modified (MwTestServer *self,
                                           const char   *path,
                                           const char   *http_date);
void          mw_test_server_set_header   (MwTestServer *self,
                                           const char   *path,
                                           const char   *name,
                                           const char   *value);
void          mw_test_server_set_delay    (MwTestServer *self,
                                           const char   *path,
                                           guint         delay_ms);
void          mw_test_server_set_redirect (MwTestServer *self,
                                           const char   *path,
                                           const char   *location);
void          mw_test_server_set_reset    (MwTestServer *self,
                                           const char   *path);

guint         mw_test_server_get_hits     (MwTestServer *self,
                                           const char   *path);
/* The value of a request header the last request to @path carried, or NULL. */
const char   *mw_test_server_get_request_header (MwTestServer *self,
                                           const char   *path,
                                           const char   *name);
/* The body of the last request to @path, or NULL. */
GBytes       *mw_test_server_get_request_body (MwTestServer *self,
                                           const char   *path);

/* Fixtures live in tests/fixtures/ (G_TEST_SRCDIR). */
char         *mw_test_fixture_path        (const char   *name);
GBytes       *mw_test_fixture_bytes       (const char   *name);

/* Runs the default main context until @done is TRUE or @timeout_ms passes. */
gboolean      mw_test_wait_until          (gboolean     *done,
                                           guint         timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwTestServer, mw_test_server_free)

G_END_DECLS

/* A hand-made catalog entry for reader tests: @options are "key=value"
 * strings and @components component ids or names, each NULL-terminated. */
#include "mw-catalog.h"

MwProvider   *mw_test_provider_new        (const char         *platform,
                                           const char         *page_url,
                                           const char * const *options,
                                           const char * const *components);
void          mw_test_provider_free       (MwProvider         *provider);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwProvider, mw_test_provider_free)

#include "mw-reader.h"

/* Runs @platform's reader over fixture files, one per URL the reader asks for. */
MwObservations *mw_test_parse_fixtures    (const char         *platform,
                                           const MwProvider   *provider,
                                           const char * const *fixtures,
                                           GError            **error);

/* After g_subprocess_launcher_set_environ(): hands the sanitizer and GSlice
 * settings of this test on to the child, so a child's memory error still
 * fails the test in the sanitizer run. */
void            mw_test_launcher_pass_sanitizers (GSubprocessLauncher *launcher);

/* Reader tests: the open incident titled @name (the test fails without one),
 * and a "page format changed" error: @code, one line, naming @host. */
const MwIncidentObs *mw_test_find_incident       (MwObservations *obs,
                                                  const char     *name);
void                 mw_test_assert_page_changed (const GError   *error,
                                                  int             code,
                                                  const char     *host);
