/* main.c
 *
 * `modelwatch`: with no subcommand, the tray service; otherwise one of the
 * command-line tools.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "mw-cli.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
} commands[] = {
  { "status", mw_cli_status },
  { "check", mw_cli_check },
  { "pick", mw_cli_pick },
  { "add", mw_cli_add },
  { "key", mw_cli_key },
  { "replay", mw_cli_replay },
  { "history", mw_cli_history },
};

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("modelwatch");
  g_set_application_name (_("Modelwatch"));

  if (argc > 1 && argv[1][0] != '-')
    {
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (g_str_equal (argv[1], commands[i].name))
          return commands[i].run (argc - 1, argv + 1);

      g_printerr (_("modelwatch: unknown command “%s” (try “modelwatch --help”)\n"), argv[1]);
      return MW_EXIT_USAGE;
    }

  return mw_service_run (argc, argv);
}
