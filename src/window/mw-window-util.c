/* mw-window-util.c
 *
 * How the window shows a health and a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-icon-resources.h"
#include "mw-window-resources.h"
#include "mw-window-util.h"

static const char * const style_classes[] = {
  "health-unknown", "health-operational", "health-maintenance",
  "health-degraded", "health-partial-outage", "health-major-outage",
};

/* Shapes that stay apart in the stock icon theme, for when the project's
 * own icons are not installed (running from the build tree). */
static const char *
fallback_icon_name (MwHealth health)
{
  switch (health)
    {
    case MW_HEALTH_OPERATIONAL:
      return "emblem-ok-symbolic";
    case MW_HEALTH_MAINTENANCE:
      return "emblem-system-symbolic";
    case MW_HEALTH_DEGRADED:
      return "dialog-warning-symbolic";
    case MW_HEALTH_PARTIAL_OUTAGE:
      return "emblem-important-symbolic";
    case MW_HEALTH_MAJOR_OUTAGE:
      return "dialog-error-symbolic";
    case MW_HEALTH_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

/**
 * mw_window_health_icon_name:
 *
 * Returns: the project's icon for @health when the icon theme has it,
 *   else a stock symbolic icon of a distinct shape
 */
const char *
mw_window_health_icon_name (MwHealth health)
{
  GdkDisplay *display = gdk_display_get_default ();
  const char *name = mw_health_icon_name (health);

  if (display != NULL &&
      gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (display), name))
    return name;

  return fallback_icon_name (health);
}

/**
 * mw_window_set_health_image:
 *
 * Shows @health in @image: its icon, a style class for its colour and the
 * health word as the accessible name, so that a screen reader says it.
 */
void
mw_window_set_health_image (GtkImage *image,
                            MwHealth  health)
{
  g_return_if_fail (GTK_IS_IMAGE (image));
  g_return_if_fail (health <= MW_HEALTH_LAST);

  gtk_image_set_from_icon_name (image, mw_window_health_icon_name (health));

  for (guint i = 0; i < G_N_ELEMENTS (style_classes); i++)
    {
      if (i == (guint) health)
        gtk_widget_add_css_class (GTK_WIDGET (image), style_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (image), style_classes[i]);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, mw_health_to_label (health),
                                  -1);
}

/**
 * mw_window_format_time:
 *
 * Returns: (nullable): @time in local time, "14:02" today, else with
 *   its date; %NULL for %NULL
 */
char *
mw_window_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time of day today, see strftime(3) */
    return g_date_time_format (local, _("%H:%M"));

  /* Translators: a date and time of day, see strftime(3) */
  return g_date_time_format (local, _("%b %-d, %H:%M"));
}

/**
 * mw_window_health_word:
 *
 * Returns: the health label in lower case, for use inside a sentence
 */
char *
mw_window_health_word (MwHealth health)
{
  return g_utf8_strdown (mw_health_to_label (health), -1);
}

/* Rows render titles as Pango markup. */
char *
mw_window_escape (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/**
 * mw_window_ensure_resources:
 *
 * Makes sure the window's GResource is registered. The resource's
 * constructor registers it, but only if the linker keeps its object file,
 * which a static library does not do unless a symbol in it is used.
 */
void
mw_window_ensure_resources (void)
{
  g_assert (mw_window_get_resource () != NULL);
  g_assert (mw_icons_get_resource () != NULL);
}

/**
 * mw_window_add_icons:
 *
 * Lets @display's icon theme find the health icons built into the program,
 * so that a window run from the build tree (or a prefix the theme does not
 * search) shows them too; installed ones take precedence.
 */
/**
 * mw_window_add_style:
 *
 * Loads the window's style sheet (health colours) for @display, once.
 */
void
mw_window_add_style (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "mw-window-style") != NULL)
    return;

  mw_window_ensure_resources ();
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/modelwatch/Modelwatch/mw-window.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "mw-window-style",
                          g_steal_pointer (&provider), g_object_unref);
}

void
mw_window_add_icons (GdkDisplay *display)
{
  mw_window_ensure_resources ();
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/io/github/modelwatch/Monitor/icons/hicolor");
}
