/* mw-json.h — a fast, strict JSON parser that builds json-glib trees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than any real document (rich text nests a few levels), shallow
 * enough that the recursion stays within a few hundred KiB of stack. */
#define MW_JSON_MAX_DEPTH 4096

/**
 * MwJsonFlags:
 * @MW_JSON_NONE: json-glib's rules: a name given twice keeps its last value
 * @MW_JSON_UNIQUE_NAMES: a name given twice in one object is an error
 */
typedef enum
{
  MW_JSON_NONE = 0,
  MW_JSON_UNIQUE_NAMES = 1 << 0,
} MwJsonFlags;

JsonNode *mw_json_parse (const char   *data,
                         gsize         length,
                         MwJsonFlags   flags,
                         GError      **error);

G_END_DECLS
