/* mw-monitor-client.c
 *
 * The window's view of the running service over D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-dbus-generated.h"
#include "mw-monitor-client.h"

/* How long to wait for a started service to take its name. */
#define START_TIMEOUT_SECONDS 15
/* A poll reads every page with a 15 s timeout and retries; be generous. */
#define CHECK_NOW_TIMEOUT_MSEC (5 * 60 * 1000)

struct _MwMonitorClient
{
  GObject          parent_instance;

  GDBusConnection *connection;
  MwDBusMonitor1  *proxy;
  GCancellable    *cancellable;

  MwClientState    state;
  char            *error;
  MwSnapshot      *snapshot;
  char            *snapshot_json;
  gboolean         checking;
  guint            pending_checks;

  GStrv            spawn_argv;
  guint            start_timeout_id;
  gboolean         starting;
};

G_DEFINE_TYPE (MwMonitorClient, mw_monitor_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_STATE,
  PROP_ERROR,
  PROP_SNAPSHOT,
  PROP_CHECKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (MwMonitorClient *self,
           MwClientState    state,
           const char      *error)
{
  gboolean changed_error = g_strcmp0 (self->error, error) != 0;

  if (changed_error)
    {
      g_free (self->error);
      self->error = g_strdup (error);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (changed_error)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
update_checking (MwMonitorClient *self)
{
  gboolean checking = FALSE;

  if (self->state == MW_CLIENT_STATE_READY)
    checking = self->pending_checks > 0 ||
               (self->proxy != NULL && mw_dbus_monitor1_get_checking (self->proxy));

  if (checking != self->checking)
    {
      self->checking = checking;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
    }
}

static void
set_snapshot_json (MwMonitorClient *self,
                   const char      *json)
{
  g_autoptr(MwSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  if (json != NULL && *json == '\0')
    json = NULL;

  if (g_strcmp0 (json, self->snapshot_json) == 0)
    return;

  if (json != NULL)
    {
      snapshot = mw_snapshot_new_from_json (json, &error);
      /* Keep showing the last state we could read rather than nothing: a
       * newer service may send keys or values this window cannot parse. */
      if (snapshot == NULL)
        {
          g_message ("Cannot read the service's snapshot: %s",
                     error != NULL ? error->message : "no snapshot");
          return;
        }
    }

  g_free (self->snapshot_json);
  self->snapshot_json = g_strdup (json);
  g_clear_pointer (&self->snapshot, mw_snapshot_unref);
  self->snapshot = g_steal_pointer (&snapshot);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAPSHOT]);
}

static void
clear_start_timeout (MwMonitorClient *self)
{
  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  self->starting = FALSE;
}

static void
sync_owner (MwMonitorClient *self)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (self->proxy));

  if (owner != NULL)
    {
      clear_start_timeout (self);
      set_snapshot_json (self, mw_dbus_monitor1_get_snapshot (self->proxy));
      set_state (self, MW_CLIENT_STATE_READY, NULL);
    }
  else if (!self->starting)
    {
      set_snapshot_json (self, NULL);
      if (self->state == MW_CLIENT_STATE_READY)
        set_state (self, MW_CLIENT_STATE_UNREACHABLE, _("The Modelwatch service stopped."));
    }

  update_checking (self);
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  MwMonitorClient *self = user_data;

  self->start_timeout_id = 0;
  self->starting = FALSE;
  set_state (self, MW_CLIENT_STATE_UNREACHABLE,
             _("The Modelwatch service was started but did not answer in time."));

  return G_SOURCE_REMOVE;
}

static void
wait_for_owner (MwMonitorClient *self)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (self->proxy));

  if (owner != NULL)
    {
      sync_owner (self);
      return;
    }

  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  self->start_timeout_id = g_timeout_add_seconds (START_TIMEOUT_SECONDS, start_timeout_cb, self);
}

static gboolean
spawn_service (MwMonitorClient  *self,
               GError          **error)
{
  if (self->spawn_argv == NULL || self->spawn_argv[0] == NULL ||
      !g_file_test (self->spawn_argv[0], G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("No Modelwatch service is running and the session bus cannot start one."));
      return FALSE;
    }

  /* The service outlives the window: it must not be our child. */
  return g_spawn_async (NULL, self->spawn_argv, NULL,
                        G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, error);
}

static void
start_service_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MwMonitorClient) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (reply == NULL && g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN))
    {
      g_clear_error (&error);
      if (spawn_service (self, &error))
        {
          wait_for_owner (self);
          return;
        }
    }

  if (reply == NULL)
    {
      self->starting = FALSE;
      g_dbus_error_strip_remote_error (error);
      set_state (self, MW_CLIENT_STATE_UNREACHABLE, error->message);
      return;
    }

  wait_for_owner (self);
}

/**
 * mw_monitor_client_start_service:
 *
 * Asks the session bus to start the service (D-Bus activation); when the
 * bus does not know it, runs the installed service directly. The state
 * turns to %MW_CLIENT_STATE_READY when the service has taken its name.
 */
void
mw_monitor_client_start_service (MwMonitorClient *self)
{
  g_return_if_fail (MW_IS_MONITOR_CLIENT (self));

  if (self->proxy == NULL || self->starting)
    return;

  self->starting = TRUE;
  set_state (self, MW_CLIENT_STATE_CONNECTING, NULL);
  g_dbus_connection_call (self->connection,
                          "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "StartServiceByName",
                          g_variant_new ("(su)", SERVICE_ID, 0),
                          G_VARIANT_TYPE ("(u)"),
                          G_DBUS_CALL_FLAGS_NONE,
                          START_TIMEOUT_SECONDS * 1000,
                          self->cancellable,
                          start_service_cb,
                          g_object_ref (self));
}

static void
on_name_owner_notify (MwMonitorClient *self)
{
  sync_owner (self);
}

static void
on_changed (MwMonitorClient *self,
            const char      *json)
{
  if (self->state == MW_CLIENT_STATE_READY)
    set_snapshot_json (self, json);
}

static void
on_snapshot_notify (MwMonitorClient *self)
{
  if (self->state == MW_CLIENT_STATE_READY)
    {
      const char *json = mw_dbus_monitor1_get_snapshot (self->proxy);

      /* An invalidated property reads as NULL; keep what Changed gave us. */
      if (json != NULL)
        set_snapshot_json (self, json);
    }
}

static void
proxy_new_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MwMonitorClient) self = user_data;
  g_autoptr(GError) error = NULL;
  MwDBusMonitor1 *proxy;

  proxy = mw_dbus_monitor1_proxy_new_finish (result, &error);
  if (proxy == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_state (self, MW_CLIENT_STATE_UNREACHABLE, error->message);
      return;
    }

  self->proxy = proxy;
  g_signal_connect_object (proxy, "notify::g-name-owner",
                           G_CALLBACK (on_name_owner_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (proxy, "changed",
                           G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (proxy, "notify::snapshot",
                           G_CALLBACK (on_snapshot_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (proxy, "notify::checking",
                           G_CALLBACK (update_checking), self, G_CONNECT_SWAPPED);

  {
    g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));

    if (owner != NULL)
      sync_owner (self);
    else
      mw_monitor_client_start_service (self);
  }
}

static void
create_proxy (MwMonitorClient *self)
{
  /* Activation is done by hand (start_service) so that a failure can be
   * told apart from a service that is simply slow. */
  mw_dbus_monitor1_proxy_new (self->connection,
                              G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                              SERVICE_ID, SERVICE_OBJECT_PATH,
                              self->cancellable,
                              proxy_new_cb,
                              g_object_ref (self));
}

static void
bus_get_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MwMonitorClient) self = user_data;
  g_autoptr(GError) error = NULL;

  self->connection = g_bus_get_finish (result, &error);
  if (self->connection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_state (self, MW_CLIENT_STATE_UNREACHABLE, error->message);
      return;
    }

  create_proxy (self);
}

/**
 * mw_monitor_client_start:
 *
 * Connects to the service, starting it if it does not run. Call once.
 */
void
mw_monitor_client_start (MwMonitorClient *self)
{
  g_return_if_fail (MW_IS_MONITOR_CLIENT (self));
  g_return_if_fail (self->proxy == NULL);

  if (self->connection != NULL)
    create_proxy (self);
  else
    g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, bus_get_cb, g_object_ref (self));
}

/**
 * mw_monitor_client_set_spawn_argv:
 * @argv: (nullable): the command that runs the service, or %NULL to rely
 *   on D-Bus activation only
 *
 * Sets what to run when the session bus cannot activate the service (it
 * was installed without its D-Bus service file, or into a prefix the bus
 * does not search).
 */
void
mw_monitor_client_set_spawn_argv (MwMonitorClient    *self,
                                  const char * const *argv)
{
  g_return_if_fail (MW_IS_MONITOR_CLIENT (self));

  g_strfreev (self->spawn_argv);
  self->spawn_argv = g_strdupv ((char **) argv);
}

static void
check_now_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MwMonitorClient *self = g_task_get_source_object (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);

  self->pending_checks--;
  update_checking (self);

  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      g_task_return_boolean (task, TRUE);
    }
}

/**
 * mw_monitor_client_check_now_async:
 *
 * Asks the service to poll every source now. #MwMonitorClient:checking is
 * %TRUE from this call until the service has finished.
 */
void
mw_monitor_client_check_now_async (MwMonitorClient     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MW_IS_MONITOR_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_monitor_client_check_now_async);

  if (self->state != MW_CLIENT_STATE_READY)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("The Modelwatch service is not running."));
      return;
    }

  self->pending_checks++;
  update_checking (self);
  g_dbus_proxy_call (G_DBUS_PROXY (self->proxy), "CheckNow", NULL,
                     G_DBUS_CALL_FLAGS_NO_AUTO_START, CHECK_NOW_TIMEOUT_MSEC,
                     cancellable, check_now_cb, g_steal_pointer (&task));
}

gboolean
mw_monitor_client_check_now_finish (MwMonitorClient  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

MwClientState
mw_monitor_client_get_state (MwMonitorClient *self)
{
  g_return_val_if_fail (MW_IS_MONITOR_CLIENT (self), MW_CLIENT_STATE_UNREACHABLE);

  return self->state;
}

/**
 * mw_monitor_client_get_error:
 *
 * Returns: (nullable): why the service is unreachable, one line
 */
const char *
mw_monitor_client_get_error (MwMonitorClient *self)
{
  g_return_val_if_fail (MW_IS_MONITOR_CLIENT (self), NULL);

  return self->error;
}

/**
 * mw_monitor_client_get_snapshot:
 *
 * Returns: (nullable) (transfer none): the service's latest snapshot, or
 *   %NULL before the service has published one
 */
MwSnapshot *
mw_monitor_client_get_snapshot (MwMonitorClient *self)
{
  g_return_val_if_fail (MW_IS_MONITOR_CLIENT (self), NULL);

  return self->snapshot;
}

gboolean
mw_monitor_client_get_checking (MwMonitorClient *self)
{
  g_return_val_if_fail (MW_IS_MONITOR_CLIENT (self), FALSE);

  return self->checking;
}

MwMonitorClient *
mw_monitor_client_new (GDBusConnection *connection)
{
  return g_object_new (MW_TYPE_MONITOR_CLIENT, "connection", connection, NULL);
}

static void
mw_monitor_client_dispose (GObject *object)
{
  MwMonitorClient *self = MW_MONITOR_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  g_clear_object (&self->proxy);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (mw_monitor_client_parent_class)->dispose (object);
}

static void
mw_monitor_client_finalize (GObject *object)
{
  MwMonitorClient *self = MW_MONITOR_CLIENT (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->snapshot, mw_snapshot_unref);
  g_clear_pointer (&self->snapshot_json, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->spawn_argv, g_strfreev);

  G_OBJECT_CLASS (mw_monitor_client_parent_class)->finalize (object);
}

static void
mw_monitor_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MwMonitorClient *self = MW_MONITOR_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_SNAPSHOT:
      g_value_set_boxed (value, self->snapshot);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_monitor_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MwMonitorClient *self = MW_MONITOR_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_monitor_client_class_init (MwMonitorClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_monitor_client_dispose;
  object_class->finalize = mw_monitor_client_finalize;
  object_class->get_property = mw_monitor_client_get_property;
  object_class->set_property = mw_monitor_client_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      MW_CLIENT_STATE_CONNECTING, MW_CLIENT_STATE_READY,
                      MW_CLIENT_STATE_CONNECTING,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SNAPSHOT] =
    g_param_spec_boxed ("snapshot", NULL, NULL,
                        MW_TYPE_SNAPSHOT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_monitor_client_init (MwMonitorClient *self)
{
  self->cancellable = g_cancellable_new ();
}
