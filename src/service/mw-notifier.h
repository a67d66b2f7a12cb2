/* mw-notifier.h
 *
 * Desktop notifications about degraded and recovered models, with the
 * model to use instead; one notification per provider, replaced in place
 * while its incident evolves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-damper.h"
#include "mw-monitor.h"

G_BEGIN_DECLS

#define MW_TYPE_NOTIFIER (mw_notifier_get_type ())
G_DECLARE_FINAL_TYPE (MwNotifier, mw_notifier, MW, NOTIFIER, GObject)

MwNotifier *mw_notifier_new         (MwMonitor            *monitor);
void        mw_notifier_mute        (MwNotifier           *self,
                                     const char           *provider_id,
                                     guint                 seconds);
gboolean    mw_notifier_is_muted    (MwNotifier           *self,
                                     const char           *provider_id);

/* For `modelwatch replay` and tests. */
void        mw_notifier_process     (MwNotifier           *self,
                                     const char           *provider_id,
                                     MwSnapshot           *snapshot);
void        mw_notifier_set_dry_run (MwNotifier           *self,
                                     gboolean              dry_run);
void        mw_notifier_set_config  (MwNotifier           *self,
                                     const MwDamperConfig *config);

/* Signals:
 *   "notification" (const char *provider_id, guint serial, gboolean replaces,
 *                   const char *summary, const char *body, const char *urgency):
 *       a notification was shown, or would have been in a dry run or
 *       without a notification server.  @serial numbers the notifications
 *       of this notifier; a replacement in place keeps the serial it
 *       replaces.  @urgency is "low", "normal" or "critical".
 */

G_END_DECLS
