/* mw-recorder.h
 *
 * Writes the monitor's changes of health into the history: one row per
 * model or provider whose health changed, and the states at the start
 * of a watch session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-history.h"
#include "mw-monitor.h"
#include "mw-snapshot.h"

G_BEGIN_DECLS

#define MW_TYPE_RECORDER (mw_recorder_get_type ())
G_DECLARE_FINAL_TYPE (MwRecorder, mw_recorder, MW, RECORDER, GObject)

MwRecorder *mw_recorder_new     (MwMonitor   *monitor,
                                 MwHistory   *history);
MwRecorder *mw_recorder_new_default (MwMonitor *monitor);
gboolean    mw_recorder_record  (MwRecorder  *self,
                                 MwSnapshot  *snapshot,
                                 GError     **error);
GPtrArray  *mw_recorder_diff    (MwSnapshot  *previous,
                                 MwSnapshot  *snapshot);

G_END_DECLS
