/* mw-application.h
 *
 * The always-on service: a GTK-free GApplication, unique on the session
 * bus, that runs the monitor, the tray icon, the notifier and the D-Bus API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-monitor.h"

G_BEGIN_DECLS

#define MW_TYPE_APPLICATION (mw_application_get_type ())
G_DECLARE_FINAL_TYPE (MwApplication, mw_application, MW, APPLICATION, GApplication)

MwApplication *mw_application_new         (void);
/* NULL before startup. */
MwMonitor     *mw_application_get_monitor (MwApplication *self);

/* Signals:
 *   "mute-requested" (const char *provider_id, guint seconds): D-Bus Mute or
 *       the tray's pause toggle asked to silence notifications ("" = all
 *       providers, 0 seconds = unmute). The application forwards it to its
 *       notifier itself; other listeners may watch it too.
 */

G_END_DECLS
