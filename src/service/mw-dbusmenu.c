/* mw-dbusmenu.c
 *
 * The com.canonical.dbusmenu server behind the tray's menu. Hosts
 * (libdbusmenu-gtk in Xfce, libdbusmenu-qt in KDE, the GNOME extension)
 * fetch the layout once and then only react to LayoutUpdated and
 * ItemsPropertiesUpdated, so the diffing here is what keeps an open menu
 * from flickering.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mw-dbusmenu.h"

struct _MwMenuNode {
  char       *key;
  int         id;
  GHashTable *props;      /* char* -> GVariant*, non-default values only */
  GPtrArray  *children;   /* of MwMenuNode* */
};

struct _MwDbusMenu {
  GObject          parent_instance;

  GDBusConnection *connection;
  char            *object_path;
  guint            registration_id;

  MwMenuNode      *root;
  GHashTable      *ids;     /* key -> id; ids are never reused for another key */
  GHashTable      *by_id;   /* id -> MwMenuNode* of the current tree */
  int              next_id;
  guint            revision;
  char            *structure;
};

G_DEFINE_FINAL_TYPE (MwDbusMenu, mw_dbus_menu, G_TYPE_OBJECT)

enum {
  ITEM_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char introspection_xml[] =
  "<node>"
  "  <interface name='com.canonical.dbusmenu'>"
  "    <property name='Version' type='u' access='read'/>"
  "    <property name='TextDirection' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconThemePath' type='as' access='read'/>"
  "    <method name='GetLayout'>"
  "      <arg type='i' name='parentId' direction='in'/>"
  "      <arg type='i' name='recursionDepth' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='u' name='revision' direction='out'/>"
  "      <arg type='(ia{sv}av)' name='layout' direction='out'/>"
  "    </method>"
  "    <method name='GetGroupProperties'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='a(ia{sv})' name='properties' direction='out'/>"
  "    </method>"
  "    <method name='GetProperty'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='v' name='value' direction='out'/>"
  "    </method>"
  "    <method name='Event'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='eventId' direction='in'/>"
  "      <arg type='v' name='data' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='EventGroup'>"
  "      <arg type='a(isvu)' name='events' direction='in'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShow'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='b' name='needUpdate' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShowGroup'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='ai' name='updatesNeeded' direction='out'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <signal name='ItemsPropertiesUpdated'>"
  "      <arg type='a(ia{sv})' name='updatedProps'/>"
  "      <arg type='a(ias)' name='removedProps'/>"
  "    </signal>"
  "    <signal name='LayoutUpdated'>"
  "      <arg type='u' name='revision'/>"
  "      <arg type='i' name='parent'/>"
  "    </signal>"
  "    <signal name='ItemActivationRequested'>"
  "      <arg type='i' name='id'/>"
  "      <arg type='u' name='timestamp'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

/* Nodes */

static MwMenuNode *
menu_node_new (const char *key)
{
  MwMenuNode *node = g_new0 (MwMenuNode, 1);

  node->key = g_strdup (key);
  node->id = -1;
  node->props = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_variant_unref);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_menu_node_free);
  return node;
}

static void
menu_node_set (MwMenuNode *node,
               const char *name,
               GVariant   *value)
{
  g_hash_table_insert (node->props, g_strdup (name), g_variant_ref_sink (value));
}

MwMenuNode *
mw_menu_node_new (const char *key,
                  const char *label)
{
  MwMenuNode *node;

  g_return_val_if_fail (key != NULL, NULL);

  node = menu_node_new (key);
  if (label != NULL)
    menu_node_set (node, "label", g_variant_new_string (label));
  return node;
}

MwMenuNode *
mw_menu_node_new_separator (const char *key)
{
  MwMenuNode *node;

  g_return_val_if_fail (key != NULL, NULL);

  node = menu_node_new (key);
  menu_node_set (node, "type", g_variant_new_string ("separator"));
  return node;
}

void
mw_menu_node_free (MwMenuNode *node)
{
  if (node == NULL)
    return;

  g_free (node->key);
  g_hash_table_unref (node->props);
  g_ptr_array_unref (node->children);
  g_free (node);
}

void
mw_menu_node_set_enabled (MwMenuNode *node,
                          gboolean    enabled)
{
  g_return_if_fail (node != NULL);

  if (enabled)
    g_hash_table_remove (node->props, "enabled");
  else
    menu_node_set (node, "enabled", g_variant_new_boolean (FALSE));
}

void
mw_menu_node_set_toggle (MwMenuNode *node,
                         gboolean    active)
{
  g_return_if_fail (node != NULL);

  menu_node_set (node, "toggle-type", g_variant_new_string ("checkmark"));
  menu_node_set (node, "toggle-state", g_variant_new_int32 (active ? 1 : 0));
}

void
mw_menu_node_set_icon_name (MwMenuNode *node,
                            const char *icon_name)
{
  g_return_if_fail (node != NULL);

  if (icon_name == NULL)
    g_hash_table_remove (node->props, "icon-name");
  else
    menu_node_set (node, "icon-name", g_variant_new_string (icon_name));
}

void
mw_menu_node_set_accessible_desc (MwMenuNode *node,
                                  const char *text)
{
  g_return_if_fail (node != NULL);

  if (text == NULL)
    g_hash_table_remove (node->props, "accessible-desc");
  else
    menu_node_set (node, "accessible-desc", g_variant_new_string (text));
}

void
mw_menu_node_append (MwMenuNode *node,
                     MwMenuNode *child)
{
  g_return_if_fail (node != NULL);
  g_return_if_fail (child != NULL);

  g_ptr_array_add (node->children, child);
}

const char *
mw_menu_node_get_key (const MwMenuNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return node->key;
}

const char *
mw_menu_node_get_label (const MwMenuNode *node)
{
  GVariant *label;

  g_return_val_if_fail (node != NULL, NULL);

  label = g_hash_table_lookup (node->props, "label");
  return label != NULL ? g_variant_get_string (label, NULL) : NULL;
}

guint
mw_menu_node_get_n_children (const MwMenuNode *node)
{
  g_return_val_if_fail (node != NULL, 0);

  return node->children->len;
}

MwMenuNode *
mw_menu_node_get_child (const MwMenuNode *node,
                        guint             index)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (index < node->children->len, NULL);

  return g_ptr_array_index (node->children, index);
}

MwMenuNode *
mw_menu_node_find (MwMenuNode *node,
                   const char *key)
{
  g_return_val_if_fail (node != NULL, NULL);

  if (g_strcmp0 (node->key, key) == 0)
    return node;

  for (guint i = 0; i < node->children->len; i++)
    {
      MwMenuNode *found = mw_menu_node_find (g_ptr_array_index (node->children, i), key);

      if (found != NULL)
        return found;
    }

  return NULL;
}

char *
mw_menu_escape_label (const char *text)
{
  GString *escaped;

  if (text == NULL)
    return g_strdup ("");

  escaped = g_string_sized_new (strlen (text) + 4);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (escaped, '_');
      g_string_append_c (escaped, *p);
    }

  return g_string_free (escaped, FALSE);
}

static gboolean
node_is_separator (MwMenuNode *node)
{
  GVariant *type = g_hash_table_lookup (node->props, "type");

  return type != NULL && g_str_equal (g_variant_get_string (type, NULL), "separator");
}

static gboolean
name_wanted (const char * const *names,
             const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The a{sv} of @node, keys sorted so that two equal nodes serialise to
 * equal variants. */
static GVariant *
node_props_variant (MwMenuNode         *node,
                    const char * const *names)
{
  GVariantBuilder builder;
  g_autofree const char **keys = NULL;
  guint n_keys = 0;

  keys = (const char **) g_hash_table_get_keys_as_array (node->props, &n_keys);
  qsort (keys, n_keys, sizeof (char *), compare_names);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < n_keys; i++)
    if (name_wanted (names, keys[i]))
      g_variant_builder_add (&builder, "{sv}", keys[i],
                             g_hash_table_lookup (node->props, keys[i]));

  if (node->children->len > 0 && name_wanted (names, "children-display"))
    g_variant_builder_add (&builder, "{sv}", "children-display",
                           g_variant_new_string ("submenu"));

  return g_variant_builder_end (&builder);
}

static GVariant *
node_layout_variant (MwMenuNode         *node,
                     int                 depth,
                     const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  if (depth != 0)
    {
      for (guint i = 0; i < node->children->len; i++)
        {
          MwMenuNode *child = g_ptr_array_index (node->children, i);

          g_variant_builder_add (&children, "v",
                                 node_layout_variant (child, depth < 0 ? -1 : depth - 1, names));
        }
    }

  return g_variant_new ("(i@a{sv}av)", node->id, node_props_variant (node, names), &children);
}

/* Server */

static int
key_to_id (MwDbusMenu *self,
           const char *key)
{
  gpointer id;

  if (g_hash_table_lookup_extended (self->ids, key, NULL, &id))
    return GPOINTER_TO_INT (id);

  g_hash_table_insert (self->ids, g_strdup (key), GINT_TO_POINTER (self->next_id));
  return self->next_id++;
}

/* Gives every node its id and describes the tree's shape in a string:
 * two trees with the same string differ only in item properties. */
static void
assign_ids (MwDbusMenu *self,
            MwMenuNode *node,
            gboolean    is_root,
            GHashTable *by_id,
            GString    *structure)
{
  node->id = is_root ? 0 : key_to_id (self, node->key);
  g_hash_table_insert (by_id, GINT_TO_POINTER (node->id), node);

  g_string_append_printf (structure, "%d%s(", node->id, node_is_separator (node) ? "s" : "");
  for (guint i = 0; i < node->children->len; i++)
    assign_ids (self, g_ptr_array_index (node->children, i), FALSE, by_id, structure);
  g_string_append (structure, ")");
}

static void
emit_signal (MwDbusMenu *self,
             const char *name,
             GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  g_variant_ref_sink (parameters);
  if (self->connection != NULL &&
      !g_dbus_connection_emit_signal (self->connection, NULL, self->object_path,
                                      "com.canonical.dbusmenu", name, parameters, &error))
    g_debug ("Could not emit %s: %s", name, error->message);
  g_variant_unref (parameters);
}

void
mw_dbus_menu_set_root (MwDbusMenu *self,
                       MwMenuNode *root)
{
  g_autoptr(GHashTable) old_by_id = NULL;
  g_autoptr(GString) structure = g_string_new (NULL);
  MwMenuNode *old_root;

  g_return_if_fail (MW_IS_DBUS_MENU (self));
  g_return_if_fail (root != NULL);

  old_root = self->root;
  old_by_id = self->by_id;
  self->by_id = g_hash_table_new (NULL, NULL);
  self->root = root;
  assign_ids (self, root, TRUE, self->by_id, structure);

  if (g_strcmp0 (structure->str, self->structure) != 0)
    {
      g_free (self->structure);
      self->structure = g_string_free (g_steal_pointer (&structure), FALSE);
      self->revision++;
      emit_signal (self, "LayoutUpdated", g_variant_new ("(ui)", self->revision, 0));
    }
  else
    {
      GVariantBuilder updated;
      GVariantBuilder removed;
      gboolean any_updated = FALSE;
      gboolean any_removed = FALSE;
      GHashTableIter iter;
      gpointer key, value;

      g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
      g_variant_builder_init (&removed, G_VARIANT_TYPE ("a(ias)"));

      g_hash_table_iter_init (&iter, self->by_id);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          MwMenuNode *node = value;
          MwMenuNode *old = g_hash_table_lookup (old_by_id, key);
          g_autoptr(GVariant) new_props = g_variant_ref_sink (node_props_variant (node, NULL));
          g_autoptr(GVariant) old_props = g_variant_ref_sink (node_props_variant (old, NULL));
          GVariantBuilder gone;
          GHashTableIter old_iter;
          gpointer old_name;
          gboolean any_gone = FALSE;

          if (g_variant_equal (new_props, old_props))
            continue;

          g_variant_builder_add (&updated, "(i@a{sv})", node->id, new_props);
          any_updated = TRUE;

          g_variant_builder_init (&gone, G_VARIANT_TYPE_STRING_ARRAY);
          g_hash_table_iter_init (&old_iter, old->props);
          while (g_hash_table_iter_next (&old_iter, &old_name, NULL))
            {
              if (!g_hash_table_contains (node->props, old_name))
                {
                  g_variant_builder_add (&gone, "s", old_name);
                  any_gone = TRUE;
                }
            }

          if (any_gone)
            {
              g_variant_builder_add (&removed, "(ias)", node->id, &gone);
              any_removed = TRUE;
            }
          else
            {
              g_variant_builder_clear (&gone);
            }
        }

      if (any_updated || any_removed)
        emit_signal (self, "ItemsPropertiesUpdated",
                     g_variant_new ("(a(ia{sv})a(ias))", &updated, &removed));
      else
        {
          g_variant_builder_clear (&updated);
          g_variant_builder_clear (&removed);
        }
    }

  mw_menu_node_free (old_root);
}

MwMenuNode *
mw_dbus_menu_get_root (MwDbusMenu *self)
{
  g_return_val_if_fail (MW_IS_DBUS_MENU (self), NULL);

  return self->root;
}

guint
mw_dbus_menu_get_revision (MwDbusMenu *self)
{
  g_return_val_if_fail (MW_IS_DBUS_MENU (self), 0);

  return self->revision;
}

int
mw_dbus_menu_get_id (MwDbusMenu *self,
                     const char *key)
{
  MwMenuNode *node;

  g_return_val_if_fail (MW_IS_DBUS_MENU (self), -1);

  node = self->root != NULL ? mw_menu_node_find (self->root, key) : NULL;
  return node != NULL ? node->id : -1;
}

static MwMenuNode *
lookup (MwDbusMenu *self,
        int         id)
{
  return g_hash_table_lookup (self->by_id, GINT_TO_POINTER (id));
}

typedef struct {
  MwDbusMenu *menu;
  char       *key;
} Activation;

static gboolean
emit_activated_cb (gpointer data)
{
  Activation *activation = data;

  g_signal_emit (activation->menu, signals[ITEM_ACTIVATED], 0, activation->key);
  g_object_unref (activation->menu);
  g_free (activation->key);
  g_free (activation);
  return G_SOURCE_REMOVE;
}

/* Returns FALSE for an unknown id. Activation runs from an idle, after the
 * reply went out: an item may quit the application. */
static gboolean
handle_event (MwDbusMenu *self,
              int         id,
              const char *event_id)
{
  MwMenuNode *node = lookup (self, id);
  GVariant *enabled;
  Activation *activation;

  if (node == NULL)
    return FALSE;

  if (!g_str_equal (event_id, "clicked") || node_is_separator (node) || id == 0)
    return TRUE;

  enabled = g_hash_table_lookup (node->props, "enabled");
  if (enabled != NULL && !g_variant_get_boolean (enabled))
    return TRUE;

  activation = g_new0 (Activation, 1);
  activation->menu = g_object_ref (self);
  activation->key = g_strdup (node->key);
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_activated_cb, activation, NULL);
  return TRUE;
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  MwDbusMenu *self = user_data;

  if (self->root == NULL)
    mw_dbus_menu_set_root (self, mw_menu_node_new ("", NULL));

  if (g_str_equal (method_name, "GetLayout"))
    {
      int parent_id, depth;
      g_autofree const char **names = NULL;
      MwMenuNode *node;

      g_variant_get (parameters, "(ii^a&s)", &parent_id, &depth, &names);
      node = lookup (self, parent_id);
      if (node == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                                 "No menu item with id %d", parent_id);
          return;
        }

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                            node_layout_variant (node, depth, names)));
    }
  else if (g_str_equal (method_name, "GetGroupProperties"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      g_autofree const char **names = NULL;
      GVariantBuilder builder;
      int id;

      g_variant_get (parameters, "(ai^a&s)", &ids, &names);
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
      if (g_variant_iter_n_children (ids) == 0)
        {
          GHashTableIter iter;
          gpointer node;

          g_hash_table_iter_init (&iter, self->by_id);
          while (g_hash_table_iter_next (&iter, NULL, &node))
            g_variant_builder_add (&builder, "(i@a{sv})", ((MwMenuNode *) node)->id,
                                   node_props_variant (node, names));
        }
      while (g_variant_iter_next (ids, "i", &id))
        {
          MwMenuNode *node = lookup (self, id);

          if (node != NULL)
            g_variant_builder_add (&builder, "(i@a{sv})", id, node_props_variant (node, names));
        }

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &builder));
    }
  else if (g_str_equal (method_name, "GetProperty"))
    {
      const char *name;
      int id;
      MwMenuNode *node;
      const char *names[2] = { NULL, NULL };
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) value = NULL;

      g_variant_get (parameters, "(i&s)", &id, &name);
      node = lookup (self, id);
      names[0] = name;
      if (node != NULL)
        {
          props = g_variant_ref_sink (node_props_variant (node, names));
          value = g_variant_lookup_value (props, name, NULL);
        }

      if (value == NULL)
        g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                               "Menu item %d has no property “%s”", id, name);
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_str_equal (method_name, "Event"))
    {
      const char *event_id;
      int id;

      g_variant_get (parameters, "(i&svu)", &id, &event_id, NULL, NULL);
      if (handle_event (self, id, event_id))
        g_dbus_method_invocation_return_value (invocation, NULL);
      else
        g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                               "No menu item with id %d", id);
    }
  else if (g_str_equal (method_name, "EventGroup"))
    {
      g_autoptr(GVariantIter) events = NULL;
      GVariantBuilder errors;
      const char *event_id;
      int id;

      g_variant_get (parameters, "(a(isvu))", &events);
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_next (events, "(i&svu)", &id, &event_id, NULL, NULL))
        if (!handle_event (self, id, event_id))
          g_variant_builder_add (&errors, "i", id);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
    }
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      /* The menu is always current: it is rebuilt when the snapshot changes. */
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      GVariantBuilder errors;
      int id;

      g_variant_get (parameters, "(ai)", &ids);
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_next (ids, "i", &id))
        if (lookup (self, id) == NULL)
          g_variant_builder_add (&errors, "i", id);

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(@aiai)",
                                                            g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0),
                                                            &errors));
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "Unknown method %s", method_name);
    }
}

static GVariant *
get_property_cb (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property_name, "TextDirection"))
    return g_variant_new_string ("ltr");
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "Unknown property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable vtable = {
  method_call_cb,
  get_property_cb,
  NULL,
  { 0 }
};

gboolean
mw_dbus_menu_export (MwDbusMenu       *self,
                     GDBusConnection  *connection,
                     const char       *object_path,
                     GError          **error)
{
  g_autoptr(GDBusNodeInfo) info = NULL;

  g_return_val_if_fail (MW_IS_DBUS_MENU (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  info = g_dbus_node_info_new_for_xml (introspection_xml, error);
  if (info == NULL)
    return FALSE;

  self->registration_id = g_dbus_connection_register_object (connection, object_path,
                                                             info->interfaces[0], &vtable,
                                                             self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;

  self->connection = g_object_ref (connection);
  self->object_path = g_strdup (object_path);
  return TRUE;
}

void
mw_dbus_menu_unexport (MwDbusMenu *self)
{
  g_return_if_fail (MW_IS_DBUS_MENU (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
  g_clear_pointer (&self->object_path, g_free);
}

static void
mw_dbus_menu_dispose (GObject *object)
{
  MwDbusMenu *self = MW_DBUS_MENU (object);

  mw_dbus_menu_unexport (self);

  G_OBJECT_CLASS (mw_dbus_menu_parent_class)->dispose (object);
}

static void
mw_dbus_menu_finalize (GObject *object)
{
  MwDbusMenu *self = MW_DBUS_MENU (object);

  g_clear_pointer (&self->root, mw_menu_node_free);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_hash_table_unref);
  g_clear_pointer (&self->structure, g_free);

  G_OBJECT_CLASS (mw_dbus_menu_parent_class)->finalize (object);
}

static void
mw_dbus_menu_class_init (MwDbusMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_dbus_menu_dispose;
  object_class->finalize = mw_dbus_menu_finalize;

  signals[ITEM_ACTIVATED] =
    g_signal_new ("item-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mw_dbus_menu_init (MwDbusMenu *self)
{
  self->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_id = g_hash_table_new (NULL, NULL);
  /* 0 is the root. */
  self->next_id = 1;
}

MwDbusMenu *
mw_dbus_menu_new (void)
{
  return g_object_new (MW_TYPE_DBUS_MENU, NULL);
}
