/* mw-monitor-client.h
 *
 * The window's view of the running service: connects to it on the session
 * bus, starts it through D-Bus activation when it is not running, and
 * follows its snapshot and its "checking" state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-snapshot.h"

G_BEGIN_DECLS

/**
 * MwClientState:
 * @MW_CLIENT_STATE_CONNECTING: looking for the service or starting it
 * @MW_CLIENT_STATE_UNREACHABLE: no service runs and it could not be started
 * @MW_CLIENT_STATE_READY: the service runs; the snapshot is its latest one
 */
typedef enum {
  MW_CLIENT_STATE_CONNECTING,
  MW_CLIENT_STATE_UNREACHABLE,
  MW_CLIENT_STATE_READY,
} MwClientState;

#define MW_TYPE_MONITOR_CLIENT (mw_monitor_client_get_type ())
G_DECLARE_FINAL_TYPE (MwMonitorClient, mw_monitor_client, MW, MONITOR_CLIENT, GObject)

MwMonitorClient *mw_monitor_client_new           (GDBusConnection *connection);
void             mw_monitor_client_start         (MwMonitorClient *self);
void             mw_monitor_client_start_service (MwMonitorClient *self);
void             mw_monitor_client_set_spawn_argv (MwMonitorClient    *self,
                                                   const char * const *argv);

MwClientState    mw_monitor_client_get_state     (MwMonitorClient *self);
const char      *mw_monitor_client_get_error     (MwMonitorClient *self);
MwSnapshot      *mw_monitor_client_get_snapshot  (MwMonitorClient *self);
gboolean         mw_monitor_client_get_checking  (MwMonitorClient *self);

void             mw_monitor_client_check_now_async  (MwMonitorClient     *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         mw_monitor_client_check_now_finish (MwMonitorClient  *self,
                                                     GAsyncResult     *result,
                                                     GError          **error);

G_END_DECLS
