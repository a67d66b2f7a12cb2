/* mw-checkly.c
 *
 * Reader for checkly status pages.  PLACEHOLDER: not yet implemented.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-reader.h"

static GStrv
checkly_urls (const MwProvider *provider)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv urls;

  g_strv_builder_add (builder, provider->page_url);
  urls = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return urls;
}

static MwObservations *
checkly_parse (const MwProvider *provider,
          GBytes * const   *bodies,
          guint             n_bodies,
          GError          **error)
{
  g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED,
               "the checkly reader is not written yet");
  return NULL;
}

const MwReader mw_checkly_reader = {
  .platform = "checkly",
  .urls = checkly_urls,
  .parse = checkly_parse,
};
