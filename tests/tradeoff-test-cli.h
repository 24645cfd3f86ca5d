/* tradeoff-test-cli.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Running the built tradeoff-cli ($TRADEOFF_CLI) from the tests. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs tradeoff-cli with @args (NULL-terminated, without the program) and
 * waits for it; its output in @out and @err when not NULL. The exit status,
 * or -1 when it did not exit normally. */
int tradeoff_test_run_cli      (const char * const   *args,
                                char                **out,
                                char                **err);
/* The same with an environment (@envp, NULL: ours) and a child set-up. */
int tradeoff_test_run_cli_full (const char * const   *args,
                                char                **envp,
                                GSpawnChildSetupFunc  child_setup,
                                char                **out,
                                char                **err);

G_END_DECLS
