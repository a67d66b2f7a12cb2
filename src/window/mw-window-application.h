/* mw-window-application.h
 *
 * The `modelwatch-window` application: one window on the running service,
 * unique per session, gone when its window closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MW_TYPE_WINDOW_APPLICATION (mw_window_application_get_type ())
G_DECLARE_FINAL_TYPE (MwWindowApplication, mw_window_application, MW, WINDOW_APPLICATION, AdwApplication)

MwWindowApplication *mw_window_application_new (void);

G_END_DECLS
