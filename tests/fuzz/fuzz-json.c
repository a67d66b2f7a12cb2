/* fuzz-json.c — libFuzzer target for mw_json_doc_parse()
 *
 * Any input either parses into a tree whose strings are valid UTF-8 of
 * the length they claim, and which converts to json-glib's tree, or fails
 * with a one-line error. ASan and UBSan watch the rest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
walk (const MwJsonValue *value)
{
  switch (value->type)
    {
    case MW_JSON_OBJECT:
      for (guint i = 0; i < value->size; i++)
        {
          const MwJsonMember *member = &value->u.members[i];

          if (mw_json_value_get_member (value, member->name) == NULL)
            __builtin_trap ();
          walk (&member->value);
        }
      break;
    case MW_JSON_ARRAY:
      for (guint i = 0; i < value->size; i++)
        walk (mw_json_value_get_element (value, i));
      break;
    case MW_JSON_STRING:
      if (strlen (value->u.string) != value->size || !g_utf8_validate (value->u.string, -1, NULL))
        __builtin_trap ();
      break;
    default:
      break;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwJsonDoc) doc = mw_json_doc_parse ((const char *) data, size, &error);

  if (doc != NULL)
    {
      JsonNode *node;

      walk (mw_json_doc_get_root (doc));
      node = mw_json_value_to_node (mw_json_doc_get_root (doc));
      json_node_unref (node);
    }
  else if (error == NULL || strchr (error->message, '\n') != NULL)
    {
      __builtin_trap ();
    }

  return 0;
}
