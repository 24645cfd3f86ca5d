/* tradeoff-test-cli.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tradeoff-test-cli"

#include "config.h"

#include <sys/wait.h>

#include "tradeoff-test-cli.h"

int
tradeoff_test_run_cli_full (const char * const   *args,
                            char                **envp,
                            GSpawnChildSetupFunc  child_setup,
                            char                **out,
                            char                **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TRADEOFF_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, child_setup, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);

  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}

int
tradeoff_test_run_cli (const char * const  *args,
                       char               **out,
                       char               **err)
{
  return tradeoff_test_run_cli_full (args, NULL, NULL, out, err);
}
