/* mw-markup.h
 *
 * The small tree the feed reader reads feeds and the HTML inside their
 * items into, and the two readers that build it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MwMarkupNode MwMarkupNode;

/* An element (with its local name: "atom:link" is "link"; lower case in
 * HTML) or, with a NULL name, text. */
struct _MwMarkupNode {
  char         *name;     /* NULL for a text node */
  char         *text;     /* text nodes only */
  gsize         text_len;
  gsize         text_size;
  GStrv         attrs;    /* name, value, name, value, …; XML elements only */
  GPtrArray    *children; /* of MwMarkupNode*; NULL when there are none */
  MwMarkupNode *parent;
};

void                mw_markup_node_free    (MwMarkupNode       *node);
gboolean            mw_markup_node_is      (const MwMarkupNode *node,
                                            const char         *name);
const char         *mw_markup_node_attr    (const MwMarkupNode *node,
                                            const char         *name);
char               *mw_markup_node_text    (const MwMarkupNode *node);
const MwMarkupNode *mw_markup_root         (const MwMarkupNode *document);

char               *mw_markup_xml_encoding (const char         *data,
                                            gsize               len);
MwMarkupNode       *mw_markup_parse_xml    (const char         *data,
                                            gsize               len,
                                            int                *line,
                                            GError            **error);
MwMarkupNode       *mw_markup_parse_html   (const char         *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMarkupNode, mw_markup_node_free)

G_END_DECLS
