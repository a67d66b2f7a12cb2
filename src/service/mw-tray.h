/* mw-tray.h
 *
 * The tray icon: an org.kde.StatusNotifierItem with a com.canonical.dbusmenu
 * menu, written on GDBus alone so that the always-on service loads no GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-dbusmenu.h"
#include "mw-snapshot.h"

G_BEGIN_DECLS

#define MW_TRAY_ITEM_PATH "/StatusNotifierItem"
#define MW_TRAY_MENU_PATH "/MenuBar"

/* Menu item keys, for mw_dbus_menu_get_id() and the "menu-action" signal. */
#define MW_TRAY_KEY_CHECK  "check-now"
#define MW_TRAY_KEY_WINDOW "open-window"
#define MW_TRAY_KEY_PAUSE  "pause-notifications"
#define MW_TRAY_KEY_QUIT   "quit"

#define MW_TYPE_TRAY (mw_tray_get_type ())
G_DECLARE_FINAL_TYPE (MwTray, mw_tray, MW, TRAY, GObject)

MwTray     *mw_tray_new                 (GDBusConnection *connection);
void        mw_tray_set_snapshot        (MwTray          *self,
                                         MwSnapshot      *snapshot);
void        mw_tray_set_checking        (MwTray          *self,
                                         gboolean         checking);
void        mw_tray_set_paused          (MwTray          *self,
                                         gboolean         paused);
void        mw_tray_set_icon_theme_path (MwTray          *self,
                                         const char      *path);
gboolean    mw_tray_get_registered      (MwTray          *self);
MwDbusMenu *mw_tray_get_menu            (MwTray          *self);
/* The health the icon shows now (after the pending update, if any). */
MwHealth    mw_tray_get_icon_health     (MwTray          *self);

/* Signals:
 *   "check-now" ():                 "Check now" was chosen.
 *   "open-window" ():               the icon was activated (left click) or
 *                                   "Open status window" was chosen.
 *   "pause-notifications" (gboolean pause): the toggle was chosen.
 *   "quit" ():                      "Quit" was chosen.
 * Property "registered": a watcher has accepted the item.
 */

/* mw-tray-menu.c: what the tray says about a snapshot. Pure functions. */
MwMenuNode *mw_tray_menu_build          (MwSnapshot      *snapshot,
                                         gboolean         checking,
                                         gboolean         paused);
char       *mw_tray_menu_headline       (MwSnapshot      *snapshot);
char       *mw_tray_menu_tooltip_body   (MwSnapshot      *snapshot);
MwHealth    mw_tray_menu_icon_health    (MwSnapshot      *snapshot);
const char *mw_tray_menu_health_mark    (MwHealth         health);

G_END_DECLS
