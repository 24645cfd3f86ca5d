/* tradeoff-cli-presets.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `tradeoff-cli presets`: one line per built-in scenario, ID<TAB>title, so
 * scripts can cut the IDs for `tradeoff-cli run --preset`. */

#define G_LOG_DOMAIN "tradeoff-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "tradeoff-cli.h"
#include "tradeoff-presets.h"

int
tradeoff_cli_presets (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  const TradeoffPresetInfo *presets;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("List the built-in scenarios, one a line: ID, a tab, "
                                           "the title."));
  if (!tradeoff_cli_parse_options (context, NULL, &argc, &argv, 0))
    return TRADEOFF_CLI_EXIT_USAGE;

  presets = tradeoff_presets_get_all ();
  for (guint i = 0; presets[i].id != NULL; i++)
    printf ("%s\t%s\n", presets[i].id, presets[i].title);

  return TRADEOFF_CLI_EXIT_OK;
}
