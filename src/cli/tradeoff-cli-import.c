/* tradeoff-cli-import.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `tradeoff-cli import FILE.hgrm --label L --output RESULT.json`: a
 * percentile distribution measured elsewhere (wrk2 --latency, HdrHistogram)
 * as a result file, so it can sit on the same chart as Tradeoff's runs. The
 * output is written atomically, and only once the input has been read. */

#define G_LOG_DOMAIN "tradeoff-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-cli.h"
#include "tradeoff-result.h"

int
tradeoff_cli_import (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffResult) result = NULL;
  g_autofree char *label = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "label", 'l', 0, G_OPTION_ARG_STRING, &label,
      N_("The name the run gets on charts"), N_("LABEL") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The result file to write"), N_("RESULT.json") },
    { NULL }
  };

  context = g_option_context_new (_("FILE.hgrm"));
  g_option_context_set_summary (context, _("Import a percentile distribution (as wrk2 --latency "
                                           "or HdrHistogram print it) as a result file."));
  if (!tradeoff_cli_parse_options (context, entries, &argc, &argv, 1))
    return TRADEOFF_CLI_EXIT_USAGE;
  if (argc < 2)
    {
      tradeoff_cli_print_error ("%s", _("import needs a FILE.hgrm to read"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (label == NULL || *g_strstrip (label) == '\0')
    {
      tradeoff_cli_print_error ("%s", _("--label is required: the name the run gets on charts"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (output == NULL || *output == '\0')
    {
      tradeoff_cli_print_error ("%s", _("--output is required: the result file to write"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  if (!(result = tradeoff_result_import_hgrm (argv[1], label, &error)))
    {
      tradeoff_cli_print_error ("%s", error->message);
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  if (!tradeoff_result_save_file (result, output, &error))
    {
      tradeoff_cli_print_error ("%s", error->message);
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  return TRADEOFF_CLI_EXIT_OK;
}
