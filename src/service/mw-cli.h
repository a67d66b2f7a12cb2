/* mw-cli.h
 *
 * The subcommands of `modelwatch`; each returns the process exit status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes shared by the subcommands (sysexits.h where one fits). */
#define MW_EXIT_OK          0
#define MW_EXIT_FAILURE     1
#define MW_EXIT_USAGE      64
#define MW_EXIT_UNAVAILABLE 69
#define MW_EXIT_CONFIG     78

int mw_cli_status  (int argc, char **argv);
int mw_cli_check   (int argc, char **argv);
int mw_cli_pick    (int argc, char **argv);
int mw_cli_add     (int argc, char **argv);
int mw_cli_key     (int argc, char **argv);
int mw_cli_replay  (int argc, char **argv);
int mw_cli_history (int argc, char **argv);
int mw_service_run (int argc, char **argv);

G_END_DECLS
