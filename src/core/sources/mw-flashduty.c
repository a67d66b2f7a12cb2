/* mw-flashduty.c
 *
 * Reader for flashduty status pages.  PLACEHOLDER: not yet implemented.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-reader.h"

static GStrv
flashduty_urls (const MwProvider *provider)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv urls;

  g_strv_builder_add (builder, provider->page_url);
  urls = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return urls;
}

static MwObservations *
flashduty_parse (const MwProvider *provider,
          GBytes * const   *bodies,
          guint             n_bodies,
          GError          **error)
{
  g_set_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_UNSUPPORTED,
               "the flashduty reader is not written yet");
  return NULL;
}

const MwReader mw_flashduty_reader = {
  .platform = "flashduty",
  .urls = flashduty_urls,
  .parse = flashduty_parse,
};
