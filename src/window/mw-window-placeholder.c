/* mw-window-placeholder.c — PLACEHOLDER until the window lands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

int mw_window_placeholder (void);

int
mw_window_placeholder (void)
{
  return 0;
}
