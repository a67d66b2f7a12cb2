/* fuzz-markup.c — libFuzzer target for the feed reader's XML and HTML
 * parsers (mw_markup_parse_xml(), mw_markup_parse_html())
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-markup.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  MwMarkupNode *document;
  int line = 0;

  document = mw_markup_parse_xml ((const char *) data, size, &line, &error);
  if (document != NULL)
    {
      g_free (mw_markup_node_text (document));
      mw_markup_node_free (document);
    }

  document = mw_markup_parse_html (text);
  if (document != NULL)
    {
      g_free (mw_markup_node_text (document));
      mw_markup_node_free (document);
    }

  return 0;
}
