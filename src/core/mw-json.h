/* mw-json.h — a fast, strict JSON parser
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
 * MwJsonType:
 * @MW_JSON_NULL: null
 * @MW_JSON_BOOLEAN: true or false
 * @MW_JSON_INT: a number without fraction or exponent that fits in 64 bits
 * @MW_JSON_DOUBLE: any other number
 * @MW_JSON_STRING: a string
 * @MW_JSON_ARRAY: an array
 * @MW_JSON_OBJECT: an object
 */
typedef enum
{
  MW_JSON_NULL,
  MW_JSON_BOOLEAN,
  MW_JSON_INT,
  MW_JSON_DOUBLE,
  MW_JSON_STRING,
  MW_JSON_ARRAY,
  MW_JSON_OBJECT,
} MwJsonType;

typedef struct _MwJsonDoc    MwJsonDoc;
typedef struct _MwJsonValue  MwJsonValue;
typedef struct _MwJsonMember MwJsonMember;

/* Lines past this one are all reported as this one. */
#define MW_JSON_MAX_LINE ((1u << 28) - 1)

/* A parsed document: one block of memory, read-only, freed at once. */
struct _MwJsonValue
{
  MwJsonType type : 4;
  guint      line : 28;  /* where the value starts, from 1 */
  guint      size;       /* elements, members, or the string's length in bytes */
  union {
    gboolean            boolean;
    gint64              integer;
    double              number;
    const char         *string;
    const MwJsonValue  *elements;
    const MwJsonMember *members;
  } u;
};

struct _MwJsonMember
{
  const char  *name;
  MwJsonValue  value;
};

MwJsonDoc         *mw_json_doc_parse                (const char         *data,
                                                    gsize               length,
                                                    GError            **error);
MwJsonDoc         *mw_json_doc_parse_full           (const char         *data,
                                                    gsize               length,
                                                    guint              *error_line,
                                                    GError            **error);
void               mw_json_doc_free                 (MwJsonDoc          *doc);
const MwJsonValue *mw_json_doc_get_root             (const MwJsonDoc    *doc);

/* All of these take %NULL (an absent member) and values of the wrong type:
 * they answer %NULL, 0 or %FALSE then. */
gboolean           mw_json_value_is                 (const MwJsonValue  *value,
                                                    MwJsonType          type);
const char        *mw_json_value_get_string         (const MwJsonValue  *value);
gboolean           mw_json_value_get_boolean        (const MwJsonValue  *value);
const MwJsonValue *mw_json_value_get_member         (const MwJsonValue  *object,
                                                    const char         *name);
const char        *mw_json_value_get_member_string  (const MwJsonValue  *object,
                                                    const char         *name);
const MwJsonValue *mw_json_value_get_member_object  (const MwJsonValue  *object,
                                                    const char         *name);
const MwJsonValue *mw_json_value_get_member_array   (const MwJsonValue  *object,
                                                    const char         *name);
guint              mw_json_value_get_length         (const MwJsonValue  *array);
const MwJsonValue *mw_json_value_get_element        (const MwJsonValue  *array,
                                                    guint               index);
const MwJsonValue *mw_json_value_get_element_object (const MwJsonValue  *array,
                                                    guint               index);

JsonNode          *mw_json_value_to_node            (const MwJsonValue  *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwJsonDoc, mw_json_doc_free)

G_END_DECLS
