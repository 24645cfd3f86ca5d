/* tradeoff-cli.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes promised in FORMATS.md. */
#define TRADEOFF_CLI_EXIT_OK       0
#define TRADEOFF_CLI_EXIT_FAILED   1
#define TRADEOFF_CLI_EXIT_USAGE    2

/* Each subcommand gets argv with argv[0] set to "tradeoff-cli SUBCOMMAND". */
typedef int (*TradeoffCliCommand) (int    argc,
                                   char **argv);

void     tradeoff_cli_print_error   (const char *format,
                                     ...) G_GNUC_PRINTF (1, 2);

/* Parses a subcommand's options, their help in the user's language. A bad
 * option, or more than @max_args arguments left when it is not negative,
 * prints one line on stderr and returns FALSE (exit with
 * TRADEOFF_CLI_EXIT_USAGE). */
gboolean tradeoff_cli_parse_options (GOptionContext      *context,
                                     const GOptionEntry  *entries,
                                     int                 *argc,
                                     char              ***argv,
                                     int                  max_args);

int  tradeoff_cli_export      (int    argc,
                               char **argv);

int  tradeoff_cli_serve       (int    argc,
                               char **argv);

int  tradeoff_cli_presets     (int    argc,
                               char **argv);

int  tradeoff_cli_import      (int    argc,
                               char **argv);

int  tradeoff_cli_run         (int    argc,
                               char **argv);

int  tradeoff_cli_verdicts    (int    argc,
                               char **argv);

G_END_DECLS
