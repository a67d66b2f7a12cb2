/* mw-tray.c
 *
 * The StatusNotifierItem: exports the item and its menu, registers with
 * whatever org.kde.StatusNotifierWatcher is on the bus (again whenever it
 * restarts), and turns snapshots into an icon, a status and a tooltip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "mw-icon-resources.h"
#include "mw-tray.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH "/StatusNotifierWatcher"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"

/* The watcher owns its name before it exports its object (seen with the
 * standalone watcher): retry a registration that fails that way. */
#define REGISTER_RETRY_MS 200
#define REGISTER_ATTEMPTS 10

static const int pixmap_sizes[] = { 16, 22, 24, 32, 48 };

typedef enum {
  NAME_PENDING,
  NAME_OWNED,
  NAME_FAILED,
} NameState;

struct _MwTray {
  GObject          parent_instance;

  GDBusConnection *connection;
  guint            item_registration;
  MwDbusMenu      *menu;

  char            *bus_name;
  guint            own_name_id;
  NameState        name_state;
  guint            watch_id;
  gboolean         watcher_present;
  gboolean         registered;
  gboolean         told_no_watcher;
  guint            attempts;
  guint            retry_id;
  GCancellable    *register_cancellable;

  MwSnapshot      *snapshot;
  gboolean         checking;
  gboolean         paused;
  guint            update_id;

  /* What the host was last told. */
  MwHealth         health;
  char            *status;
  char            *tooltip_title;
  char            *tooltip_body;
  char            *icon_theme_path;

  GVariant        *pixmaps[MW_HEALTH_LAST + 1];
};

G_DEFINE_FINAL_TYPE (MwTray, mw_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHECK_NOW,
  OPEN_WINDOW,
  PAUSE_NOTIFICATIONS,
  QUIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char item_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierItem'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='WindowId' type='i' access='read'/>"
  "    <property name='IconThemePath' type='s' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='OverlayIconName' type='s' access='read'/>"
  "    <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionIconName' type='s' access='read'/>"
  "    <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionMovieName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <property name='Menu' type='o' access='read'/>"
  "    <method name='ContextMenu'>"
  "      <arg type='i' name='x' direction='in'/>"
  "      <arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='Activate'>"
  "      <arg type='i' name='x' direction='in'/>"
  "      <arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='SecondaryActivate'>"
  "      <arg type='i' name='x' direction='in'/>"
  "      <arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='Scroll'>"
  "      <arg type='i' name='delta' direction='in'/>"
  "      <arg type='s' name='orientation' direction='in'/>"
  "    </method>"
  "    <signal name='NewTitle'/>"
  "    <signal name='NewIcon'/>"
  "    <signal name='NewAttentionIcon'/>"
  "    <signal name='NewOverlayIcon'/>"
  "    <signal name='NewToolTip'/>"
  "    <signal name='NewStatus'>"
  "      <arg type='s' name='status'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

/* Icons */

/* IconPixmap wants ARGB32 in network byte order; GdkPixbuf gives RGBA with
 * straight alpha, which is also what hosts (Qt, GdkPixbuf) assume. */
static GVariant *
pixbuf_to_argb (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  guint8 *argb = g_malloc ((gsize) width * height * 4);

  for (int y = 0; y < height; y++)
    {
      const guint8 *row = pixels + (gsize) y * rowstride;

      for (int x = 0; x < width; x++)
        {
          const guint8 *p = row + x * channels;
          guint8 *out = argb + ((gsize) y * width + x) * 4;

          out[0] = alpha ? p[3] : 0xff;
          out[1] = p[0];
          out[2] = p[1];
          out[3] = p[2];
        }
    }

  return g_variant_new ("(ii@ay)", width, height,
                        g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING, argb,
                                                 (gsize) width * height * 4, TRUE, g_free, argb));
}

static GVariant *
get_pixmaps (MwTray   *self,
             MwHealth  health)
{
  GVariantBuilder builder;

  if (self->pixmaps[health] != NULL)
    return self->pixmaps[health];

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(iiay)"));
  for (guint i = 0; i < G_N_ELEMENTS (pixmap_sizes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/io/github/modelwatch/Monitor/icons/hicolor/%dx%d/apps/%s.png",
                                               pixmap_sizes[i], pixmap_sizes[i],
                                               mw_health_icon_name (health));
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_resource_lookup_data (mw_icons_get_resource (), path,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;

      if (bytes != NULL)
        {
          stream = g_memory_input_stream_new_from_bytes (bytes);
          pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);
        }
      if (pixbuf == NULL)
        {
          g_warning ("Could not load the tray icon %s: %s", path, error->message);
          continue;
        }

      g_variant_builder_add_value (&builder, pixbuf_to_argb (pixbuf));
    }

  self->pixmaps[health] = g_variant_ref_sink (g_variant_builder_end (&builder));
  return self->pixmaps[health];
}

static GVariant *
empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

/* The item */

static const char *
status_for (MwHealth health)
{
  return health == MW_HEALTH_MAJOR_OUTAGE ? "NeedsAttention" : "Active";
}

static void
emit_item_signal (MwTray     *self,
                  const char *name,
                  GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  if (self->item_registration == 0)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }

  if (!g_dbus_connection_emit_signal (self->connection, NULL, MW_TRAY_ITEM_PATH, ITEM_INTERFACE,
                                      name, parameters, &error))
    g_debug ("Could not emit %s: %s", name, error->message);
}

static gboolean
update_cb (gpointer user_data)
{
  MwTray *self = user_data;
  MwHealth health = mw_tray_menu_icon_health (self->snapshot);
  g_autofree char *title = mw_tray_menu_headline (self->snapshot);
  g_autofree char *body = mw_tray_menu_tooltip_body (self->snapshot);
  const char *status = status_for (health);

  self->update_id = 0;

  if (health != self->health)
    {
      self->health = health;
      emit_item_signal (self, "NewIcon", NULL);
    }

  if (g_strcmp0 (status, self->status) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (status);
      emit_item_signal (self, "NewStatus", g_variant_new ("(s)", status));
    }

  if (g_strcmp0 (title, self->tooltip_title) != 0 || g_strcmp0 (body, self->tooltip_body) != 0)
    {
      g_free (self->tooltip_title);
      g_free (self->tooltip_body);
      self->tooltip_title = g_steal_pointer (&title);
      self->tooltip_body = g_steal_pointer (&body);
      emit_item_signal (self, "NewToolTip", NULL);
    }

  /* The menu server compares with what the host has and stays quiet when
   * nothing changed. */
  mw_dbus_menu_set_root (self->menu, mw_tray_menu_build (self->snapshot, self->checking, self->paused));

  return G_SOURCE_REMOVE;
}

/* Everything that changes the tray goes through one idle, so that a burst
 * of changes reaches the host as one set of signals. */
static void
schedule_update (MwTray *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_DEFAULT, update_cb, self, NULL);
}

static void
item_method_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  MwTray *self = user_data;

  g_dbus_method_invocation_return_value (invocation, NULL);

  if (g_str_equal (method_name, "Activate"))
    g_signal_emit (self, signals[OPEN_WINDOW], 0);
  else if (g_str_equal (method_name, "SecondaryActivate"))
    g_signal_emit (self, signals[CHECK_NOW], 0);
  /* ContextMenu is only for items without a Menu; Scroll means nothing here. */
}

static GVariant *
item_get_property_cb (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *name,
                      GError          **error,
                      gpointer          user_data)
{
  MwTray *self = user_data;

  if (g_str_equal (name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (name, "Id"))
    return g_variant_new_string ("modelwatch");
  if (g_str_equal (name, "Title"))
    return g_variant_new_string (_("Modelwatch"));
  if (g_str_equal (name, "Status"))
    return g_variant_new_string (self->status);
  if (g_str_equal (name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (name, "IconThemePath"))
    return g_variant_new_string (self->icon_theme_path != NULL ? self->icon_theme_path : "");
  if (g_str_equal (name, "IconName"))
    return g_variant_new_string (mw_health_icon_name (self->health));
  if (g_str_equal (name, "IconPixmap"))
    return g_variant_ref (get_pixmaps (self, self->health));
  if (g_str_equal (name, "OverlayIconName"))
    return g_variant_new_string ("");
  if (g_str_equal (name, "OverlayIconPixmap"))
    return empty_pixmaps ();
  if (g_str_equal (name, "AttentionIconName"))
    return g_variant_new_string (mw_health_icon_name (MW_HEALTH_MAJOR_OUTAGE));
  if (g_str_equal (name, "AttentionIconPixmap"))
    return g_variant_ref (get_pixmaps (self, MW_HEALTH_MAJOR_OUTAGE));
  if (g_str_equal (name, "AttentionMovieName"))
    return g_variant_new_string ("");
  if (g_str_equal (name, "ToolTip"))
    return g_variant_new ("(s@a(iiay)ss)", mw_health_icon_name (self->health), empty_pixmaps (),
                          self->tooltip_title, self->tooltip_body);
  if (g_str_equal (name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (name, "Menu"))
    return g_variant_new_object_path (MW_TRAY_MENU_PATH);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "Unknown property %s", name);
  return NULL;
}

static const GDBusInterfaceVTable item_vtable = {
  item_method_cb,
  item_get_property_cb,
  NULL,
  { 0 }
};

/* Registration */

static void register_item (MwTray *self);

static void
set_registered (MwTray   *self,
                gboolean  registered)
{
  if (self->registered == registered)
    return;

  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static gboolean
retry_cb (gpointer user_data)
{
  MwTray *self = user_data;

  self->retry_id = 0;
  register_item (self);
  return G_SOURCE_REMOVE;
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  MwTray *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = MW_TRAY (user_data);
  g_clear_object (&self->register_cancellable);

  if (reply != NULL)
    {
      g_debug ("Registered the tray icon as %s", self->bus_name);
      set_registered (self, TRUE);
      return;
    }

  if (self->watcher_present && self->attempts < REGISTER_ATTEMPTS)
    {
      g_debug ("Registering the tray icon failed (%s); retrying", error->message);
      self->retry_id = g_timeout_add (REGISTER_RETRY_MS, retry_cb, self);
      return;
    }

  g_message ("The tray host refused the Modelwatch icon: %s", error->message);
}

static void
register_item (MwTray *self)
{
  const char *service;

  if (!self->watcher_present || self->name_state == NAME_PENDING ||
      self->retry_id != 0 || self->register_cancellable != NULL)
    return;

  /* Hosts take a bus name as "name/StatusNotifierItem" and a path as
   * "sender + path"; the path form is what works inside a sandbox, where
   * owning org.kde.* names is not allowed. */
  service = self->name_state == NAME_OWNED ? self->bus_name : MW_TRAY_ITEM_PATH;

  self->attempts++;
  self->register_cancellable = g_cancellable_new ();
  g_dbus_connection_call (self->connection, WATCHER_NAME, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem", g_variant_new ("(s)", service),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, self->register_cancellable,
                          register_cb, self);
}

static void
reset_registration (MwTray *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->register_cancellable != NULL)
    g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  self->attempts = 0;
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *owner,
                     gpointer         user_data)
{
  MwTray *self = user_data;

  g_debug ("Status notifier watcher appeared (%s)", owner);
  /* A new owner is a restarted panel: it knows nothing of us. */
  reset_registration (self);
  set_registered (self, FALSE);
  self->watcher_present = TRUE;
  register_item (self);
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  MwTray *self = user_data;

  reset_registration (self);
  self->watcher_present = FALSE;
  set_registered (self, FALSE);

  if (!self->told_no_watcher)
    {
      self->told_no_watcher = TRUE;
      g_message ("No tray host is running (no %s on the session bus); "
                 "the Modelwatch icon will appear when one starts", WATCHER_NAME);
    }
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  MwTray *self = user_data;

  self->name_state = NAME_OWNED;
  register_item (self);
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  MwTray *self = user_data;

  if (self->name_state == NAME_PENDING)
    {
      self->name_state = NAME_FAILED;
      register_item (self);
    }
}

static void
menu_item_activated_cb (MwDbusMenu *menu,
                        const char *key,
                        MwTray     *self)
{
  if (g_str_equal (key, MW_TRAY_KEY_CHECK))
    g_signal_emit (self, signals[CHECK_NOW], 0);
  else if (g_str_equal (key, MW_TRAY_KEY_PAUSE))
    g_signal_emit (self, signals[PAUSE_NOTIFICATIONS], 0, !self->paused);
  else if (g_str_equal (key, MW_TRAY_KEY_QUIT))
    g_signal_emit (self, signals[QUIT], 0);
  else
    /* "Open status window", and any provider or model line. */
    g_signal_emit (self, signals[OPEN_WINDOW], 0);
}

/* Public API */

void
mw_tray_set_snapshot (MwTray     *self,
                      MwSnapshot *snapshot)
{
  g_return_if_fail (MW_IS_TRAY (self));

  if (snapshot == self->snapshot)
    return;

  g_clear_pointer (&self->snapshot, mw_snapshot_unref);
  if (snapshot != NULL)
    self->snapshot = mw_snapshot_ref (snapshot);
  schedule_update (self);
}

void
mw_tray_set_checking (MwTray   *self,
                      gboolean  checking)
{
  g_return_if_fail (MW_IS_TRAY (self));

  if (self->checking == !!checking)
    return;

  self->checking = !!checking;
  schedule_update (self);
}

void
mw_tray_set_paused (MwTray   *self,
                    gboolean  paused)
{
  g_return_if_fail (MW_IS_TRAY (self));

  if (self->paused == !!paused)
    return;

  self->paused = !!paused;
  schedule_update (self);
}

void
mw_tray_set_icon_theme_path (MwTray     *self,
                             const char *path)
{
  g_return_if_fail (MW_IS_TRAY (self));

  g_free (self->icon_theme_path);
  self->icon_theme_path = g_strdup (path);
}

gboolean
mw_tray_get_registered (MwTray *self)
{
  g_return_val_if_fail (MW_IS_TRAY (self), FALSE);

  return self->registered;
}

MwDbusMenu *
mw_tray_get_menu (MwTray *self)
{
  g_return_val_if_fail (MW_IS_TRAY (self), NULL);

  return self->menu;
}

MwHealth
mw_tray_get_icon_health (MwTray *self)
{
  g_return_val_if_fail (MW_IS_TRAY (self), MW_HEALTH_UNKNOWN);

  return self->health;
}

/* GObject */

static void
mw_tray_dispose (GObject *object)
{
  MwTray *self = MW_TRAY (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  reset_registration (self);
  if (self->watch_id != 0)
    g_bus_unwatch_name (self->watch_id);
  self->watch_id = 0;
  if (self->own_name_id != 0)
    g_bus_unown_name (self->own_name_id);
  self->own_name_id = 0;
  if (self->item_registration != 0)
    g_dbus_connection_unregister_object (self->connection, self->item_registration);
  self->item_registration = 0;
  if (self->menu != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->menu, self);
      mw_dbus_menu_unexport (self->menu);
    }
  g_clear_object (&self->menu);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (mw_tray_parent_class)->dispose (object);
}

static void
mw_tray_finalize (GObject *object)
{
  MwTray *self = MW_TRAY (object);

  g_clear_pointer (&self->snapshot, mw_snapshot_unref);
  g_free (self->bus_name);
  g_free (self->status);
  g_free (self->tooltip_title);
  g_free (self->tooltip_body);
  g_free (self->icon_theme_path);
  for (guint i = 0; i < G_N_ELEMENTS (self->pixmaps); i++)
    g_clear_pointer (&self->pixmaps[i], g_variant_unref);

  G_OBJECT_CLASS (mw_tray_parent_class)->finalize (object);
}

static void
mw_tray_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  MwTray *self = MW_TRAY (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_tray_class_init (MwTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_tray_dispose;
  object_class->finalize = mw_tray_finalize;
  object_class->get_property = mw_tray_get_property;

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHECK_NOW] =
    g_signal_new ("check-now", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[OPEN_WINDOW] =
    g_signal_new ("open-window", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PAUSE_NOTIFICATIONS] =
    g_signal_new ("pause-notifications", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[QUIT] =
    g_signal_new ("quit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mw_tray_init (MwTray *self)
{
  static guint counter;

  self->health = MW_HEALTH_UNKNOWN;
  self->status = g_strdup (status_for (self->health));
  self->tooltip_title = mw_tray_menu_headline (NULL);
  self->tooltip_body = g_strdup ("");
  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u", (int) getpid (), ++counter);
  self->menu = mw_dbus_menu_new ();
  mw_dbus_menu_set_root (self->menu, mw_tray_menu_build (NULL, FALSE, FALSE));
}

/**
 * mw_tray_new:
 * @connection: the session bus
 *
 * Exports the item and its menu on @connection at once; the icon appears
 * as soon as a StatusNotifierWatcher is (or later becomes) available. A
 * failure to export is logged and leaves a tray that shows nothing.
 *
 * Returns: (transfer full): a new tray
 */
MwTray *
mw_tray_new (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  MwTray *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  self = g_object_new (MW_TYPE_TRAY, NULL);
  self->connection = g_object_ref (connection);

  info = g_dbus_node_info_new_for_xml (item_xml, &error);
  g_assert_no_error (error);
  self->item_registration = g_dbus_connection_register_object (connection, MW_TRAY_ITEM_PATH,
                                                               info->interfaces[0], &item_vtable,
                                                               self, NULL, &error);
  if (self->item_registration == 0 ||
      !mw_dbus_menu_export (self->menu, connection, MW_TRAY_MENU_PATH, &error))
    {
      g_warning ("Could not export the tray icon: %s", error->message);
      return self;
    }

  g_signal_connect (self->menu, "item-activated", G_CALLBACK (menu_item_activated_cb), self);

  self->own_name_id = g_bus_own_name_on_connection (connection, self->bus_name,
                                                    G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                    name_acquired_cb, name_lost_cb,
                                                    self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb, watcher_vanished_cb,
                                                   self, NULL);
  return self;
}
