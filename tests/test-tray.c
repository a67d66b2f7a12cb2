/* test-tray.c
 *
 * The tray icon against a fake StatusNotifierWatcher on a private bus:
 * registration (also after the watcher restarts and through the
 * UnknownObject race), the 16 item properties, the signals a host listens
 * to, and the dbusmenu a host renders and clicks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "mw-icon-resources.h"
#include "mw-test-server.h"
#include "mw-tray.h"

#define WATCHER "org.kde.StatusNotifierWatcher"
#define ITEM_IFACE "org.kde.StatusNotifierItem"
#define MENU_IFACE "com.canonical.dbusmenu"

/* A fake watcher */

typedef struct {
  GDBusConnection *connection;
  guint            own_id;
  guint            object_id;
  gboolean         owned;
  GPtrArray       *items;       /* "service" strings as registered */
  guint            n_calls;
  guint            fail_next;   /* answer UnknownObject this many times */
} FakeWatcher;

static const char watcher_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierWatcher'>"
  "    <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "    <method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "    <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

static void
watcher_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  FakeWatcher *watcher = user_data;
  const char *service;

  if (!g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }

  watcher->n_calls++;
  if (watcher->fail_next > 0)
    {
      watcher->fail_next--;
      g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.UnknownObject",
                                                  "No such object path '/StatusNotifierWatcher'");
      return;
    }

  g_variant_get (parameters, "(&s)", &service);
  if (service[0] == '/')
    g_ptr_array_add (watcher->items, g_strconcat (sender, service, NULL));
  else
    g_ptr_array_add (watcher->items, g_strdup (service));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_get_property_cb (GDBusConnection  *connection,
                         const char       *sender,
                         const char       *object_path,
                         const char       *interface_name,
                         const char       *property_name,
                         GError          **error,
                         gpointer          user_data)
{
  FakeWatcher *watcher = user_data;

  if (g_str_equal (property_name, "RegisteredStatusNotifierItems"))
    return g_variant_new_strv ((const char * const *) watcher->items->pdata, watcher->items->len);
  if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (FALSE);
  return g_variant_new_int32 (0);
}

static const GDBusInterfaceVTable watcher_vtable = {
  watcher_method_cb, watcher_get_property_cb, NULL, { 0 }
};

static void
watcher_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  ((FakeWatcher *) user_data)->owned = TRUE;
}

static void
fake_watcher_start (FakeWatcher *watcher)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (watcher_xml, NULL);
  g_autoptr(GError) error = NULL;

  g_ptr_array_set_size (watcher->items, 0);
  watcher->owned = FALSE;
  watcher->object_id = g_dbus_connection_register_object (watcher->connection, "/StatusNotifierWatcher",
                                                          info->interfaces[0], &watcher_vtable,
                                                          watcher, NULL, &error);
  g_assert_no_error (error);
  watcher->own_id = g_bus_own_name_on_connection (watcher->connection, WATCHER,
                                                  G_BUS_NAME_OWNER_FLAGS_NONE,
                                                  watcher_acquired_cb, NULL, watcher, NULL);
  g_assert_true (mw_test_wait_until (&watcher->owned, 5000));
}

static void
fake_watcher_stop (FakeWatcher *watcher)
{
  g_bus_unown_name (watcher->own_id);
  watcher->own_id = 0;
  g_dbus_connection_unregister_object (watcher->connection, watcher->object_id);
  watcher->object_id = 0;
  g_ptr_array_set_size (watcher->items, 0);
}

/* Fixture: one private bus, one connection per party */

typedef struct {
  GTestDBus       *bus;
  GDBusConnection *tray_connection;
  GDBusConnection *client;
  FakeWatcher      watcher;
  MwTray          *tray;
  GHashTable      *signals_seen;   /* member -> count */
  guint            subscription;
  guint            n_check, n_window, n_quit, n_pause;
  gboolean         last_pause;
} Fixture;

static GDBusConnection *
new_connection (GTestDBus *bus)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
signal_cb (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *member,
           GVariant        *parameters,
           gpointer         user_data)
{
  Fixture *f = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (f->signals_seen, member));

  g_hash_table_insert (f->signals_seen, g_strdup (member), GUINT_TO_POINTER (count + 1));
}

static guint
seen (Fixture    *f,
      const char *member)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->signals_seen, member));
}

static void check_cb (MwTray *tray, Fixture *f) { f->n_check++; }
static void window_cb (MwTray *tray, Fixture *f) { f->n_window++; }
static void quit_cb (MwTray *tray, Fixture *f) { f->n_quit++; }
static void pause_cb (MwTray *tray, gboolean pause, Fixture *f) { f->n_pause++; f->last_pause = pause; }

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->tray_connection = new_connection (f->bus);
  f->client = new_connection (f->bus);
  f->watcher.connection = new_connection (f->bus);
  f->watcher.items = g_ptr_array_new_with_free_func (g_free);
  f->signals_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->subscription = g_dbus_connection_signal_subscribe (f->client,
                                                        g_dbus_connection_get_unique_name (f->tray_connection),
                                                        NULL, NULL, NULL, NULL,
                                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                                        signal_cb, f, NULL);
}

static MwTray *
fixture_new_tray (Fixture *f)
{
  f->tray = mw_tray_new (f->tray_connection);
  g_signal_connect (f->tray, "check-now", G_CALLBACK (check_cb), f);
  g_signal_connect (f->tray, "open-window", G_CALLBACK (window_cb), f);
  g_signal_connect (f->tray, "quit", G_CALLBACK (quit_cb), f);
  g_signal_connect (f->tray, "pause-notifications", G_CALLBACK (pause_cb), f);
  return f->tray;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->tray != NULL)
    g_assert_finalize_object (f->tray);
  if (f->watcher.own_id != 0)
    fake_watcher_stop (&f->watcher);
  g_dbus_connection_signal_unsubscribe (f->client, f->subscription);
  g_hash_table_unref (f->signals_seen);
  g_ptr_array_unref (f->watcher.items);

  g_dbus_connection_close_sync (f->watcher.connection, NULL, NULL);
  g_dbus_connection_close_sync (f->client, NULL, NULL);
  g_dbus_connection_close_sync (f->tray_connection, NULL, NULL);
  g_clear_object (&f->watcher.connection);
  g_clear_object (&f->client);
  g_clear_object (&f->tray_connection);

  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
}

/* Helpers */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for @ms, so that anything pending gets its chance. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
wait_registered (MwTray *tray,
                 guint   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (!mw_tray_get_registered (tray) && g_get_monotonic_time () < deadline)
    spin (10);
  return mw_tray_get_registered (tray);
}

static gboolean
wait_seen (Fixture    *f,
           const char *member,
           guint       count)
{
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC * 5;

  while (seen (f, member) < count && g_get_monotonic_time () < deadline)
    spin (10);
  return seen (f, member) >= count;
}

typedef struct {
  GVariant *reply;
  GError   *error;
  gboolean  done;
} Call;

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

/* The tray answers on this thread's main context, so a client call must
 * spin it rather than block. */
static GVariant *
call (Fixture     *f,
      const char  *path,
      const char  *interface,
      const char  *method,
      GVariant    *parameters,
      GError     **error)
{
  Call c = { NULL, NULL, FALSE };

  g_dbus_connection_call (f->client, g_dbus_connection_get_unique_name (f->tray_connection),
                          path, interface, method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE,
                          5000, NULL, call_done_cb, &c);
  g_assert_true (mw_test_wait_until (&c.done, 6000));
  if (c.error != NULL)
    g_propagate_error (error, c.error);
  return c.reply;
}

static GVariant *
get_item_property (Fixture    *f,
                   const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (f, MW_TRAY_ITEM_PATH, "org.freedesktop.DBus.Properties", "Get",
                                    g_variant_new ("(ss)", ITEM_IFACE, name), &error);
  GVariant *value;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

static char *
get_item_string (Fixture    *f,
                 const char *name)
{
  g_autoptr(GVariant) value = get_item_property (f, name);

  return g_variant_dup_string (value, NULL);
}

static char *
tooltip_title (Fixture *f)
{
  g_autoptr(GVariant) value = get_item_property (f, "ToolTip");
  char *title;

  g_variant_get (value, "(&s@a(iiay)&ss)", NULL, NULL, &title, NULL);
  return g_strdup (title);
}

/* Snapshots, written as the JSON the service publishes */

static MwSnapshot *
snapshot_new (const char *provider_health,
              const char *opus_health,
              const char *sonnet_health,
              gboolean    with_haiku)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  MwSnapshot *snapshot;

  json = g_strdup_printf (
    "{\"checked_at\": \"2026-06-05T15:10:02Z\", \"health\": \"%s\", \"providers\": ["
    " {\"id\": \"anthropic\", \"name\": \"Anthropic\", \"health\": \"%s\","
    "  \"status_page\": {\"url\": \"https://status.claude.com\", \"health\": \"%s\","
    "                    \"description\": null, \"fetched_at\": \"2026-06-05T15:10:01Z\", \"error\": null},"
    "  \"components\": [], \"incidents\": [], \"probe\": null,"
    "  \"models\": ["
    "   {\"id\": \"anthropic/claude-opus-4-7\", \"name\": \"Claude Opus 4.7\", \"health\": \"%s\","
    "    \"since\": \"2026-06-05T15:08:00Z\", \"reason\": \"Elevated errors on Claude Opus 4.7\","
    "    \"signals\": {\"official\": \"%s\", \"probe\": null},"
    "    \"fallback\": \"anthropic/claude-sonnet-4-6\"},"
    "   {\"id\": \"anthropic/claude-sonnet-4-6\", \"name\": \"Claude Sonnet 4.6\", \"health\": \"%s\","
    "    \"since\": \"2026-06-05T12:00:00Z\", \"reason\": null,"
    "    \"signals\": {\"official\": \"%s\", \"probe\": null}, \"fallback\": null}%s"
    "  ]}]}",
    provider_health, provider_health, provider_health,
    opus_health, opus_health, sonnet_health, sonnet_health,
    with_haiku ? ", {\"id\": \"anthropic/claude-haiku-4-5\", \"name\": \"Claude Haiku 4.5\","
                 " \"health\": \"operational\", \"since\": null, \"reason\": null, \"fallback\": null}"
               : "");

  snapshot = mw_snapshot_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

/* Menu helpers */

static GVariant *
get_layout (Fixture *f,
            guint   *revision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *layout;

  reply = call (f, MW_TRAY_MENU_PATH, MENU_IFACE, "GetLayout",
                g_variant_new ("(ii@as)", 0, -1, g_variant_new_strv (NULL, 0)), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u@(ia{sv}av))", revision, &layout);
  return layout;
}

static char *
item_label (GVariant *item)
{
  g_autoptr(GVariant) props = g_variant_get_child_value (item, 1);
  const char *label = NULL;

  g_variant_lookup (props, "label", "&s", &label);
  return g_strdup (label);
}

/* Depth-first search for an item whose label contains @text. */
static GVariant *
find_item (GVariant   *item,
           const char *text)
{
  g_autofree char *label = item_label (item);
  g_autoptr(GVariant) children = NULL;

  if (label != NULL && strstr (label, text) != NULL)
    return g_variant_ref (item);

  children = g_variant_get_child_value (item, 2);
  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      GVariant *found = find_item (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static int
item_id (GVariant *item)
{
  int id;

  g_variant_get_child (item, 0, "i", &id);
  return id;
}

static gsize
n_children (GVariant *item)
{
  g_autoptr(GVariant) children = g_variant_get_child_value (item, 2);

  return g_variant_n_children (children);
}

static void
click (Fixture *f,
       int      id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = call (f, MW_TRAY_MENU_PATH, MENU_IFACE, "Event",
                g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0), &error);
  g_assert_no_error (error);
}

/* Tests */

static void
test_register (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *expected = NULL;

  fake_watcher_start (&f->watcher);
  fixture_new_tray (f);

  g_assert_true (wait_registered (f->tray, 5000));
  g_assert_cmpuint (f->watcher.items->len, ==, 1);
  /* Registered under the spec's well-known name, with the default path. */
  expected = g_strdup_printf ("org.kde.StatusNotifierItem-%d-", (int) getpid ());
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->watcher.items, 0), expected));
}

static void
test_no_watcher (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = NULL;

  fixture_new_tray (f);
  spin (300);

  /* Nothing breaks without a watcher: the item answers, unregistered. */
  g_assert_false (mw_tray_get_registered (f->tray));
  id = get_item_string (f, "Id");
  g_assert_cmpstr (id, ==, "modelwatch");

  /* A watcher that starts later gets the item. */
  fake_watcher_start (&f->watcher);
  g_assert_true (wait_registered (f->tray, 5000));
  g_assert_cmpuint (f->watcher.items->len, ==, 1);
}

static void
test_reregister (Fixture       *f,
                 gconstpointer  data)
{
  fake_watcher_start (&f->watcher);
  fixture_new_tray (f);
  g_assert_true (wait_registered (f->tray, 5000));
  g_assert_cmpuint (f->watcher.n_calls, ==, 1);

  /* The panel restarts: its watcher leaves the bus and comes back. */
  fake_watcher_stop (&f->watcher);
  spin (200);
  g_assert_false (mw_tray_get_registered (f->tray));

  fake_watcher_start (&f->watcher);
  g_assert_true (wait_registered (f->tray, 5000));
  g_assert_cmpuint (f->watcher.n_calls, ==, 2);
  g_assert_cmpuint (f->watcher.items->len, ==, 1);
}

static void
test_registration_race (Fixture       *f,
                        gconstpointer  data)
{
  /* The watcher owns its name before its object exists. */
  f->watcher.fail_next = 3;
  fake_watcher_start (&f->watcher);
  fixture_new_tray (f);

  g_assert_true (wait_registered (f->tray, 5000));
  g_assert_cmpuint (f->watcher.n_calls, ==, 4);
  g_assert_cmpuint (f->watcher.items->len, ==, 1);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *type;
  } expected[] = {
    { "Category", "s" }, { "Id", "s" }, { "Title", "s" }, { "Status", "s" },
    { "WindowId", "i" }, { "IconThemePath", "s" }, { "IconName", "s" },
    { "IconPixmap", "a(iiay)" }, { "OverlayIconName", "s" }, { "OverlayIconPixmap", "a(iiay)" },
    { "AttentionIconName", "s" }, { "AttentionIconPixmap", "a(iiay)" },
    { "AttentionMovieName", "s" }, { "ToolTip", "(sa(iiay)ss)" }, { "ItemIsMenu", "b" },
    { "Menu", "o" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) all = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  g_autoptr(GVariant) item_is_menu = NULL;
  g_autoptr(GVariant) menu = NULL;
  g_autofree char *status = NULL;
  g_autofree char *icon = NULL;
  GVariantIter iter;
  int width, height;
  GVariant *bytes;
  guint n_pixmaps = 0;

  fixture_new_tray (f);

  reply = call (f, MW_TRAY_ITEM_PATH, "org.freedesktop.DBus.Properties", "GetAll",
                g_variant_new ("(s)", ITEM_IFACE), &error);
  g_assert_no_error (error);
  all = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (all), ==, 16);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GVariant) value = get_item_property (f, expected[i].name);

      g_assert_cmpstr (g_variant_get_type_string (value), ==, expected[i].type);
    }

  item_is_menu = get_item_property (f, "ItemIsMenu");
  g_assert_false (g_variant_get_boolean (item_is_menu));
  menu = get_item_property (f, "Menu");
  g_assert_cmpstr (g_variant_get_string (menu, NULL), ==, MW_TRAY_MENU_PATH);
  status = get_item_string (f, "Status");
  g_assert_cmpstr (status, ==, "Active");
  icon = get_item_string (f, "IconName");
  g_assert_cmpstr (icon, ==, "modelwatch-unknown");

  /* ARGB32, network byte order, at the five tray sizes: the corner of the
   * round "unknown" icon is transparent, its centre opaque. */
  pixmaps = get_item_property (f, "IconPixmap");
  g_variant_iter_init (&iter, pixmaps);
  while (g_variant_iter_next (&iter, "(ii@ay)", &width, &height, &bytes))
    {
      static const int sizes[] = { 16, 22, 24, 32, 48 };
      gsize length;
      const guint8 *argb = g_variant_get_fixed_array (bytes, &length, 1);
      gsize centre = ((gsize) (height / 2) * width + width / 2) * 4;

      g_assert_cmpint (width, ==, sizes[n_pixmaps]);
      g_assert_cmpint (height, ==, sizes[n_pixmaps]);
      g_assert_cmpuint (length, ==, (gsize) width * height * 4);
      g_assert_cmpuint (argb[0], ==, 0);
      g_assert_cmpuint (argb[centre], ==, 0xff);
      g_variant_unref (bytes);
      n_pixmaps++;
    }
  g_assert_cmpuint (n_pixmaps, ==, 5);
}

static void
test_signals (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(MwSnapshot) operational = snapshot_new ("operational", "operational", "operational", FALSE);
  g_autoptr(MwSnapshot) operational_again = snapshot_new ("operational", "operational", "operational", FALSE);
  g_autoptr(MwSnapshot) major = snapshot_new ("major_outage", "major_outage", "operational", FALSE);
  g_autofree char *icon = NULL;
  g_autofree char *status = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) bytes = NULL;
  const guint8 *argb;
  gsize length;
  guint icons, statuses, tooltips, layouts;

  fixture_new_tray (f);

  mw_tray_set_snapshot (f->tray, operational);
  g_assert_true (wait_seen (f, "NewIcon", 1));
  g_assert_true (wait_seen (f, "NewToolTip", 1));
  icon = get_item_string (f, "IconName");
  g_assert_cmpstr (icon, ==, "modelwatch-operational");
  title = tooltip_title (f);
  g_assert_cmpstr (title, ==, "All systems operational");
  /* Status stays Active: no NewStatus for it. */
  g_assert_cmpuint (seen (f, "NewStatus"), ==, 0);

  mw_tray_set_snapshot (f->tray, major);
  g_assert_true (wait_seen (f, "NewIcon", 2));
  g_assert_true (wait_seen (f, "NewStatus", 1));
  g_assert_true (wait_seen (f, "NewToolTip", 2));
  g_clear_pointer (&icon, g_free);
  icon = get_item_string (f, "IconName");
  g_assert_cmpstr (icon, ==, "modelwatch-major-outage");
  status = get_item_string (f, "Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
  g_clear_pointer (&title, g_free);
  title = tooltip_title (f);
  g_assert_cmpstr (title, ==, "1 model down");

  /* The pixmap follows the icon: the major-outage octagon is red at its centre
   * row's left edge (A, R, G, B). */
  pixmaps = get_item_property (f, "IconPixmap");
  first = g_variant_get_child_value (pixmaps, 0);
  bytes = g_variant_get_child_value (first, 2);
  argb = g_variant_get_fixed_array (bytes, &length, 1);
  g_assert_cmpuint (length, ==, 16 * 16 * 4);
  g_assert_cmpuint (argb[(8 * 16 + 2) * 4 + 0], ==, 0xff);
  g_assert_cmpuint (argb[(8 * 16 + 2) * 4 + 1], >, 0xc0);
  g_assert_cmpuint (argb[(8 * 16 + 2) * 4 + 2], <, 0x40);

  /* The same state again, in another snapshot: not one signal, no flicker. */
  mw_tray_set_snapshot (f->tray, operational);
  g_assert_true (wait_seen (f, "NewIcon", 3));
  spin (100);
  icons = seen (f, "NewIcon");
  statuses = seen (f, "NewStatus");
  tooltips = seen (f, "NewToolTip");
  layouts = seen (f, "LayoutUpdated");
  mw_tray_set_snapshot (f->tray, operational_again);
  spin (300);
  g_assert_cmpuint (seen (f, "NewIcon"), ==, icons);
  g_assert_cmpuint (seen (f, "NewStatus"), ==, statuses);
  g_assert_cmpuint (seen (f, "NewToolTip"), ==, tooltips);
  g_assert_cmpuint (seen (f, "LayoutUpdated"), ==, layouts);
  g_assert_cmpuint (seen (f, "ItemsPropertiesUpdated"), >, 0);
}

static void
test_batching (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(MwSnapshot) degraded = snapshot_new ("degraded", "degraded", "operational", FALSE);
  g_autoptr(MwSnapshot) major = snapshot_new ("major_outage", "major_outage", "operational", FALSE);
  g_autoptr(MwSnapshot) partial = snapshot_new ("partial_outage", "partial_outage", "operational", FALSE);
  g_autofree char *icon = NULL;

  fixture_new_tray (f);
  spin (100);

  /* A burst of snapshots in one main-loop turn reaches the host once. */
  mw_tray_set_snapshot (f->tray, degraded);
  mw_tray_set_snapshot (f->tray, major);
  mw_tray_set_snapshot (f->tray, partial);
  g_assert_true (wait_seen (f, "NewIcon", 1));
  spin (300);
  g_assert_cmpuint (seen (f, "NewIcon"), ==, 1);
  g_assert_cmpuint (seen (f, "NewToolTip"), ==, 1);
  icon = get_item_string (f, "IconName");
  g_assert_cmpstr (icon, ==, "modelwatch-partial-outage");
}

static void
test_menu (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(MwSnapshot) degraded = snapshot_new ("degraded", "degraded", "operational", FALSE);
  g_autoptr(MwSnapshot) recovered = snapshot_new ("operational", "operational", "operational", FALSE);
  g_autoptr(MwSnapshot) more_models = snapshot_new ("operational", "operational", "operational", TRUE);
  g_autoptr(GVariant) layout = NULL;
  g_autoptr(GVariant) provider = NULL;
  g_autoptr(GVariant) opus = NULL;
  g_autoptr(GVariant) check = NULL;
  g_autoptr(GVariant) quit = NULL;
  g_autoptr(GVariant) window = NULL;
  g_autoptr(GVariant) pause = NULL;
  g_autoptr(GVariant) headline = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider_label = NULL;
  g_autofree char *opus_label = NULL;
  const char *children_display = NULL;
  guint revision, revision2, layouts;

  fixture_new_tray (f);
  mw_tray_set_snapshot (f->tray, degraded);
  g_assert_true (wait_seen (f, "NewIcon", 1));

  layout = get_layout (f, &revision);
  headline = find_item (layout, "1 model degraded");
  g_assert_nonnull (headline);

  /* One line per provider, with its health in words and a mark. */
  provider = find_item (layout, "Anthropic");
  g_assert_nonnull (provider);
  provider_label = item_label (provider);
  g_assert_cmpstr (provider_label, ==, "▲ Anthropic — Degraded");
  props = g_variant_get_child_value (provider, 1);
  g_assert_true (g_variant_lookup (props, "children-display", "&s", &children_display));
  g_assert_cmpstr (children_display, ==, "submenu");
  g_assert_cmpuint (n_children (provider), ==, 2);

  /* Its models in a submenu: health, since when, and the fallback. */
  opus = find_item (provider, "Claude Opus 4.7");
  g_assert_nonnull (opus);
  opus_label = item_label (opus);
  g_assert_true (g_str_has_prefix (opus_label, "▲ Claude Opus 4.7 — Degraded since "));
  g_assert_true (g_str_has_suffix (opus_label, ", use Claude Sonnet 4.6"));

  check = find_item (layout, "Check now");
  window = find_item (layout, "Open status window");
  pause = find_item (layout, "Pause notifications for 1 hour");
  quit = find_item (layout, "Quit");
  g_assert_nonnull (check);
  g_assert_nonnull (window);
  g_assert_nonnull (pause);
  g_assert_nonnull (quit);

  /* Clicks map to the actions; a disabled line does nothing. */
  click (f, item_id (check));
  spin (50);
  g_assert_cmpuint (f->n_check, ==, 1);
  click (f, item_id (window));
  spin (50);
  g_assert_cmpuint (f->n_window, ==, 1);
  click (f, item_id (pause));
  spin (50);
  g_assert_cmpuint (f->n_pause, ==, 1);
  g_assert_true (f->last_pause);
  click (f, item_id (quit));
  spin (50);
  g_assert_cmpuint (f->n_quit, ==, 1);
  click (f, item_id (headline));
  spin (50);
  g_assert_cmpuint (f->n_check + f->n_window + f->n_pause + f->n_quit, ==, 4);

  /* Hosts use the group variants too. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call (f, MW_TRAY_MENU_PATH, MENU_IFACE, "EventGroup",
                g_variant_new_parsed ("([(%i, 'clicked', <0>, uint32 0), (9999, 'clicked', <0>, uint32 0)],)",
                                      item_id (check)),
                &error);
  g_assert_no_error (error);
  {
    g_autofree char *printed = g_variant_print (reply, FALSE);

    g_assert_cmpstr (printed, ==, "([9999],)");
  }
  spin (50);
  g_assert_cmpuint (f->n_check, ==, 2);

  g_clear_pointer (&reply, g_variant_unref);
  reply = call (f, MW_TRAY_MENU_PATH, MENU_IFACE, "GetGroupProperties",
                g_variant_new_parsed ("([%i], ['label'])", item_id (check)), &error);
  g_assert_no_error (error);
  {
    g_autofree char *printed = g_variant_print (reply, FALSE);
    g_autofree char *wanted = g_strdup_printf ("([(%d, {'label': <'_Check now'>})],)", item_id (check));

    g_assert_cmpstr (printed, ==, wanted);
  }

  g_clear_pointer (&reply, g_variant_unref);
  reply = call (f, MW_TRAY_MENU_PATH, MENU_IFACE, "GetProperty",
                g_variant_new ("(is)", item_id (quit), "label"), &error);
  g_assert_no_error (error);

  g_clear_pointer (&reply, g_variant_unref);
  reply = call (f, MW_TRAY_MENU_PATH, MENU_IFACE, "AboutToShow", g_variant_new ("(i)", 0), &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call (f, MW_TRAY_MENU_PATH, MENU_IFACE, "AboutToShowGroup",
                g_variant_new_parsed ("([0, %i],)", item_id (provider)), &error);
  g_assert_no_error (error);

  /* A label change is ItemsPropertiesUpdated, not a new layout... */
  layouts = seen (f, "LayoutUpdated");
  mw_tray_set_snapshot (f->tray, recovered);
  g_assert_true (wait_seen (f, "ItemsPropertiesUpdated", 1));
  g_clear_pointer (&layout, g_variant_unref);
  layout = get_layout (f, &revision2);
  g_assert_cmpuint (revision2, ==, revision);
  g_assert_cmpuint (seen (f, "LayoutUpdated"), ==, layouts);
  g_clear_pointer (&provider, g_variant_unref);
  provider = find_item (layout, "Anthropic");
  g_clear_pointer (&provider_label, g_free);
  provider_label = item_label (provider);
  g_assert_cmpstr (provider_label, ==, "✓ Anthropic — Operational");

  /* While a check runs, its line says so and cannot be chosen again. */
  {
    guint updates = seen (f, "ItemsPropertiesUpdated");
    guint checks = f->n_check;
    g_autoptr(GVariant) checking = NULL;
    g_autoptr(GVariant) checking_props = NULL;
    gboolean enabled = TRUE;

    mw_tray_set_checking (f->tray, TRUE);
    g_assert_true (wait_seen (f, "ItemsPropertiesUpdated", updates + 1));
    g_clear_pointer (&layout, g_variant_unref);
    layout = get_layout (f, &revision2);
    checking = find_item (layout, "Checking…");
    g_assert_nonnull (checking);
    g_assert_cmpint (item_id (checking), ==, item_id (check));
    checking_props = g_variant_get_child_value (checking, 1);
    g_assert_true (g_variant_lookup (checking_props, "enabled", "b", &enabled));
    g_assert_false (enabled);
    click (f, item_id (checking));
    spin (50);
    g_assert_cmpuint (f->n_check, ==, checks);
    mw_tray_set_checking (f->tray, FALSE);
    g_assert_true (wait_seen (f, "ItemsPropertiesUpdated", updates + 2));
  }

  /* ...and a new model is a new layout. */
  mw_tray_set_snapshot (f->tray, more_models);
  g_assert_true (wait_seen (f, "LayoutUpdated", layouts + 1));
  g_clear_pointer (&layout, g_variant_unref);
  layout = get_layout (f, &revision2);
  g_assert_cmpuint (revision2, >, revision);
  g_clear_pointer (&provider, g_variant_unref);
  provider = find_item (layout, "Anthropic");
  g_assert_cmpuint (n_children (provider), ==, 3);
}

static void
test_activate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  fixture_new_tray (f);
  reply = call (f, MW_TRAY_ITEM_PATH, ITEM_IFACE, "Activate", g_variant_new ("(ii)", 10, 10), &error);
  g_assert_no_error (error);
  spin (50);
  g_assert_cmpuint (f->n_window, ==, 1);
}

static void
test_headline (void)
{
  g_autoptr(MwSnapshot) operational = snapshot_new ("operational", "operational", "operational", FALSE);
  g_autoptr(MwSnapshot) two = snapshot_new ("degraded", "degraded", "partial_outage", FALSE);
  g_autoptr(MwSnapshot) mixed = snapshot_new ("major_outage", "major_outage", "degraded", FALSE);
  g_autoptr(MwSnapshot) maintenance = snapshot_new ("maintenance", "maintenance", "operational", FALSE);
  g_autofree char *a = mw_tray_menu_headline (operational);
  g_autofree char *b = mw_tray_menu_headline (two);
  g_autofree char *c = mw_tray_menu_headline (mixed);
  g_autofree char *d = mw_tray_menu_headline (maintenance);
  g_autofree char *e = mw_tray_menu_headline (NULL);
  g_autofree char *body = mw_tray_menu_tooltip_body (mixed);

  g_assert_cmpstr (a, ==, "All systems operational");
  g_assert_cmpstr (b, ==, "2 models degraded");
  g_assert_cmpstr (c, ==, "1 model down, 1 more degraded");
  g_assert_cmpstr (d, ==, "Maintenance in progress");
  g_assert_cmpstr (e, ==, "Checking…");
  /* Worst first, with the reason. */
  g_assert_cmpstr (body, ==,
                   "Claude Opus 4.7: Major outage — Elevated errors on Claude Opus 4.7\n"
                   "Claude Sonnet 4.6: Degraded");
  g_assert_cmpint (mw_tray_menu_icon_health (mixed), ==, MW_HEALTH_MAJOR_OUTAGE);
}

/* What a colour-blind user (or a monochrome panel) sees of a pixel:
 * 0 transparent, 1 dark, 2 light. */
static guint8
grey_class (const guint8 *p)
{
  double luminance = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];

  if (p[3] < 128)
    return 0;
  return luminance < 128 ? 1 : 2;
}

static void
test_icon_set (void)
{
  static const int sizes[] = { 16, 22, 24, 32, 48 };
  guint8 *classes[MW_HEALTH_LAST + 1] = { NULL };

  for (MwHealth health = 0; health <= MW_HEALTH_LAST; health++)
    {
      const char *name = mw_health_icon_name (health);
      g_autofree char *svg = g_test_build_filename (G_TEST_DIST, "..", "data", "icons", "hicolor",
                                                    "scalable", "apps", name, NULL);
      g_autofree char *svg_file = g_strconcat (svg, ".svg", NULL);

      g_assert_true (g_file_test (svg_file, G_FILE_TEST_EXISTS));

      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        {
          g_autofree char *path = g_strdup_printf ("/io/github/modelwatch/Monitor/icons/hicolor/%dx%d/apps/%s.png",
                                                   sizes[i], sizes[i], name);
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) bytes = g_resource_lookup_data (mw_icons_get_resource (), path, 0, &error);
          g_autoptr(GInputStream) stream = NULL;
          g_autoptr(GdkPixbuf) pixbuf = NULL;

          g_assert_no_error (error);
          stream = g_memory_input_stream_new_from_bytes (bytes);
          pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, sizes[i]);
          g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, sizes[i]);
          g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));

          if (sizes[i] == 24)
            {
              const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
              int rowstride = gdk_pixbuf_get_rowstride (pixbuf);

              classes[health] = g_malloc (24 * 24);
              for (int y = 0; y < 24; y++)
                for (int x = 0; x < 24; x++)
                  classes[health][y * 24 + x] = grey_class (pixels + y * rowstride + x * 4);
            }
        }
    }

  /* Every pair of levels differs in shape, not only in colour: in grey,
   * at 24 px, at least a tenth of the pixels differ. */
  for (MwHealth a = 0; a <= MW_HEALTH_LAST; a++)
    for (MwHealth b = a + 1; b <= MW_HEALTH_LAST; b++)
      {
        guint differ = 0;

        for (guint i = 0; i < 24 * 24; i++)
          differ += classes[a][i] != classes[b][i];
        g_test_message ("%s / %s: %u pixels differ", mw_health_icon_name (a), mw_health_icon_name (b), differ);
        if (differ < 24 * 24 / 10)
          g_error ("%s and %s look alike in grey (%u pixels differ)",
                   mw_health_icon_name (a), mw_health_icon_name (b), differ);
      }

  for (MwHealth health = 0; health <= MW_HEALTH_LAST; health++)
    g_free (classes[health]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tray/headline", test_headline);
  g_test_add_func ("/tray/icon-set", test_icon_set);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/tray/register", test_register);
  ADD ("/tray/no-watcher", test_no_watcher);
  ADD ("/tray/reregister", test_reregister);
  ADD ("/tray/registration-race", test_registration_race);
  ADD ("/tray/properties", test_properties);
  ADD ("/tray/signals", test_signals);
  ADD ("/tray/batching", test_batching);
  ADD ("/tray/menu", test_menu);
  ADD ("/tray/activate", test_activate);
#undef ADD

  return g_test_run ();
}
