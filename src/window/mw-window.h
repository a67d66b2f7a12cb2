/* mw-window.h
 *
 * The status window: the live snapshot of the service, one expandable row
 * per provider.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-monitor-client.h"
#include "mw-provider-row.h"

G_BEGIN_DECLS

#define MW_TYPE_WINDOW (mw_window_get_type ())
G_DECLARE_FINAL_TYPE (MwWindow, mw_window, MW, WINDOW, AdwApplicationWindow)

MwWindow      *mw_window_new              (GtkApplication  *application,
                                           MwMonitorClient *client);
void           mw_window_show_model       (MwWindow        *self,
                                           const char      *global_id);

/* What the window shows, for tests and for a user's bug report. */
const char    *mw_window_get_page         (MwWindow        *self);
const char    *mw_window_get_headline     (MwWindow        *self);
const char    *mw_window_get_checked_text (MwWindow        *self);
const char    *mw_window_get_offline_text (MwWindow        *self);
gboolean       mw_window_get_spinner_visible (MwWindow     *self);
MwProviderRow *mw_window_get_provider_row (MwWindow        *self,
                                           const char      *provider_id);
guint          mw_window_get_n_provider_rows (MwWindow     *self);
GtkWindow     *mw_window_get_incident_dialog (MwWindow     *self);

G_END_DECLS
