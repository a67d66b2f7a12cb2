/* mw-window-util.h
 *
 * How the window shows a health and a time: icon shape, word and style
 * together, never colour alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mw-snapshot.h"

G_BEGIN_DECLS

const char *mw_window_health_icon_name (MwHealth    health);
void        mw_window_set_health_image (GtkImage   *image,
                                        MwHealth    health);
char       *mw_window_format_time      (GDateTime  *time);
char       *mw_window_health_word      (MwHealth    health);
char       *mw_window_escape           (const char *text);
void        mw_window_ensure_resources (void);
void        mw_window_add_icons        (GdkDisplay *display);
void        mw_window_add_style        (GdkDisplay *display);

G_END_DECLS
