/* tradeoff-cli.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* tradeoff-cli: the headless front end. Each subcommand lives in its own
 * file; this one only dispatches, so the table below is the whole surface. */

#define G_LOG_DOMAIN "tradeoff-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "tradeoff-cli.h"

typedef struct
{
  const char         *name;
  TradeoffCliCommand  run;
  const char         *summary;
} Subcommand;

static const Subcommand subcommands[] = {
  { "serve", tradeoff_cli_serve, N_("Start an engine as an HTTP server on 127.0.0.1") },
  { "presets", tradeoff_cli_presets, N_("List the built-in scenarios") },
  { "import", tradeoff_cli_import, N_("Import a percentile distribution (.hgrm) as a result") },
  { "run", tradeoff_cli_run, N_("Run a scenario against its engines and write a result file") },
  { "verdicts", tradeoff_cli_verdicts, N_("Judge the articles’ claims from result files") },
  { "export", tradeoff_cli_export, N_("Export a chart or the data of a result file") },
  { NULL, NULL, NULL }
};

void
tradeoff_cli_print_error (const char *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "tradeoff-cli: %s\n", message);
}

gboolean
tradeoff_cli_parse_options (GOptionContext      *context,
                            const GOptionEntry  *entries,
                            int                 *argc,
                            char              ***argv,
                            int                  max_args)
{
  g_autoptr(GError) error = NULL;

  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      tradeoff_cli_print_error ("%s", error->message);
      return FALSE;
    }
  if (max_args >= 0 && *argc > max_args + 1)
    {
      tradeoff_cli_print_error (_("unexpected argument “%s”"), (*argv)[max_args + 1]);
      return FALSE;
    }
  return TRUE;
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: tradeoff-cli COMMAND [OPTIONS…]"));
  fprintf (out, "\n%s\n", _("Measure an event-loop server against a thread-pool server on this machine."));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; subcommands[i].name != NULL; i++)
    fprintf (out, "  %-10s %s\n", subcommands[i].name, _(subcommands[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-10s %s\n", "--help", _("Show this help and exit"));
  fprintf (out, "  %-10s %s\n", "--version", _("Show the version and exit"));
  fprintf (out, "\n%s\n", _("Run “tradeoff-cli COMMAND --help” for a command’s own options."));
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_help (stderr);
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  command = argv[1];

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") || g_str_equal (command, "help"))
    {
      print_help (stdout);
      return TRADEOFF_CLI_EXIT_OK;
    }

  if (g_str_equal (command, "--version") || g_str_equal (command, "-v"))
    {
      printf ("tradeoff-cli %s\n", PACKAGE_VERSION);
      return TRADEOFF_CLI_EXIT_OK;
    }

  for (guint i = 0; subcommands[i].name != NULL; i++)
    {
      if (g_str_equal (command, subcommands[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("tradeoff-cli %s", command);
          int status;

          g_set_prgname (prgname);
          argv[1] = prgname;
          status = subcommands[i].run (argc - 1, argv + 1);
          argv[1] = (char *) command;
          return status;
        }
    }

  tradeoff_cli_print_error (_("unknown command “%s”; see “tradeoff-cli --help”"), command);
  return TRADEOFF_CLI_EXIT_USAGE;
}
