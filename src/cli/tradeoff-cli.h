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

void tradeoff_cli_print_error (const char *format,
                               ...) G_GNUC_PRINTF (1, 2);

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
