/* mw-cli.c — PLACEHOLDER until the command line lands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-cli.h"

static int
not_yet (const char *name)
{
  g_printerr ("modelwatch %s: not available yet\n", name);
  return MW_EXIT_USAGE;
}

int mw_cli_status (int argc, char **argv) { return not_yet ("status"); }
int mw_cli_check (int argc, char **argv) { return not_yet ("check"); }
int mw_cli_pick (int argc, char **argv) { return not_yet ("pick"); }
int mw_cli_add (int argc, char **argv) { return not_yet ("add"); }
int mw_cli_key (int argc, char **argv) { return not_yet ("key"); }
int mw_cli_replay (int argc, char **argv) { return not_yet ("replay"); }
int mw_cli_history (int argc, char **argv) { return not_yet ("history"); }
int mw_service_run (int argc, char **argv) { return not_yet ("service"); }
