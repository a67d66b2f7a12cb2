/* mw-incident-dialog.h
 *
 * One incident: its updates in time order, what it affects, and a way to
 * its page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-snapshot.h"

G_BEGIN_DECLS

#define MW_TYPE_INCIDENT_DIALOG (mw_incident_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwIncidentDialog, mw_incident_dialog, MW, INCIDENT_DIALOG, AdwWindow)

MwIncidentDialog *mw_incident_dialog_new             (GtkWindow        *parent,
                                                      const char       *provider_id,
                                                      const char       *incident_id);
void              mw_incident_dialog_update          (MwIncidentDialog *self,
                                                      MwSnapshot       *snapshot);
const char       *mw_incident_dialog_get_provider_id (MwIncidentDialog *self);
const char       *mw_incident_dialog_get_incident_id (MwIncidentDialog *self);
char            **mw_incident_dialog_dup_texts       (MwIncidentDialog *self);

G_END_DECLS
