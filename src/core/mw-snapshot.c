/* mw-snapshot.c — PLACEHOLDER until the snapshot lands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-snapshot.h"

struct _MwSnapshot { int unused; };

G_DEFINE_BOXED_TYPE (MwSnapshot, mw_snapshot, mw_snapshot_ref, mw_snapshot_unref)

MwSnapshot *mw_snapshot_new (GDateTime *checked_at, gboolean offline, GPtrArray *providers) { return NULL; }
MwSnapshot *mw_snapshot_new_from_json (const char *json, GError **error) { return NULL; }
MwSnapshot *mw_snapshot_ref (MwSnapshot *self) { return self; }
void mw_snapshot_unref (MwSnapshot *self) { }
GDateTime *mw_snapshot_get_checked_at (MwSnapshot *self) { return NULL; }
MwHealth mw_snapshot_get_health (MwSnapshot *self) { return MW_HEALTH_UNKNOWN; }
gboolean mw_snapshot_get_offline (MwSnapshot *self) { return FALSE; }
guint mw_snapshot_get_n_providers (MwSnapshot *self) { return 0; }
const MwProviderState *mw_snapshot_get_provider (MwSnapshot *self, guint index) { return NULL; }
const MwProviderState *mw_snapshot_find_provider (MwSnapshot *self, const char *provider_id) { return NULL; }
const MwModelState *mw_snapshot_find_model (MwSnapshot *self, const char *global_id) { return NULL; }
JsonNode *mw_snapshot_to_json_node (MwSnapshot *self, const char * const *provider_ids) { return NULL; }
char *mw_snapshot_to_json (MwSnapshot *self, const char * const *provider_ids, gboolean pretty) { return NULL; }
gboolean mw_snapshot_equal (MwSnapshot *a, MwSnapshot *b) { return FALSE; }
MwProviderState *mw_provider_state_new (const char *id, const char *name) { return NULL; }
void mw_provider_state_free (MwProviderState *state) { }
MwModelState *mw_model_state_new (const char *global_id, const char *name) { return NULL; }
void mw_model_state_free (MwModelState *state) { }
MwIncidentState *mw_incident_state_new (const char *id, const char *name) { return NULL; }
void mw_incident_state_free (MwIncidentState *state) { }
MwProbeState *mw_probe_state_new (void) { return NULL; }
MwProbeState *mw_probe_state_copy (const MwProbeState *state) { return NULL; }
void mw_probe_state_free (MwProbeState *state) { }
char *mw_format_iso8601 (GDateTime *time) { return NULL; }
char *mw_format_duration (GTimeSpan span) { return NULL; }
