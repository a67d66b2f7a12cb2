/* mw-dbusmenu.h
 *
 * A small com.canonical.dbusmenu server: the tray describes its whole menu
 * as a tree of nodes with stable string keys, and the server works out
 * what changed and tells the host with as few signals as it can.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MwMenuNode MwMenuNode;

MwMenuNode *mw_menu_node_new           (const char *key,
                                        const char *label);
MwMenuNode *mw_menu_node_new_separator (const char *key);
void        mw_menu_node_free          (MwMenuNode *node);
void        mw_menu_node_set_enabled   (MwMenuNode *node,
                                        gboolean    enabled);
void        mw_menu_node_set_toggle    (MwMenuNode *node,
                                        gboolean    active);
void        mw_menu_node_set_icon_name (MwMenuNode *node,
                                        const char *icon_name);
void        mw_menu_node_set_accessible_desc (MwMenuNode *node,
                                        const char *text);
/* Takes ownership of @child. */
void        mw_menu_node_append        (MwMenuNode *node,
                                        MwMenuNode *child);
const char *mw_menu_node_get_key       (const MwMenuNode *node);
const char *mw_menu_node_get_label     (const MwMenuNode *node);
guint       mw_menu_node_get_n_children (const MwMenuNode *node);
MwMenuNode *mw_menu_node_get_child     (const MwMenuNode *node,
                                        guint             index);
MwMenuNode *mw_menu_node_find          (MwMenuNode *node,
                                        const char *key);

/* Doubles underscores, so that a name never becomes a mnemonic. */
char       *mw_menu_escape_label       (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMenuNode, mw_menu_node_free)

#define MW_TYPE_DBUS_MENU (mw_dbus_menu_get_type ())
G_DECLARE_FINAL_TYPE (MwDbusMenu, mw_dbus_menu, MW, DBUS_MENU, GObject)

MwDbusMenu *mw_dbus_menu_new          (void);
gboolean    mw_dbus_menu_export       (MwDbusMenu       *self,
                                       GDBusConnection  *connection,
                                       const char       *object_path,
                                       GError          **error);
void        mw_dbus_menu_unexport     (MwDbusMenu       *self);
/* Takes ownership of @root. Emits LayoutUpdated when the structure
 * changed, ItemsPropertiesUpdated when only properties did, nothing
 * otherwise. */
void        mw_dbus_menu_set_root     (MwDbusMenu       *self,
                                       MwMenuNode       *root);
MwMenuNode *mw_dbus_menu_get_root     (MwDbusMenu       *self);
guint       mw_dbus_menu_get_revision (MwDbusMenu       *self);
/* The id the host sees for @key, or -1. */
int         mw_dbus_menu_get_id       (MwDbusMenu       *self,
                                       const char       *key);

/* Signals:
 *   "item-activated" (const char *key): the host clicked an item.
 */

G_END_DECLS
