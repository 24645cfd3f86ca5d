/* tradeoff-runner-command.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the runner starts: finding tradeoff-cli and the reference back
 * ends, and the command line of each kind of engine. */

#define G_LOG_DOMAIN "tradeoff-runner"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tradeoff-runner-private.h"

/* Finding programs and files. */

static char *
executable_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe == NULL)
    return NULL;
  return g_path_get_dirname (exe);
}

static gboolean
is_executable (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_access (path, X_OK) == 0;
}

char *
tradeoff_runner_find_cli (void)
{
  const char *env = g_getenv ("TRADEOFF_CLI");
  g_autofree char *dir = NULL;
  char *path;

  if (env != NULL && *env != '\0' && is_executable (env))
    return g_strdup (env);

  dir = executable_dir ();
  if (dir != NULL)
    {
      const char *candidates[] = { "tradeoff-cli", "cli/tradeoff-cli", "../src/cli/tradeoff-cli" };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          path = g_build_filename (dir, candidates[i], NULL);
          if (is_executable (path))
            return path;
          g_free (path);
        }
    }

  path = g_build_filename (BINDIR, "tradeoff-cli", NULL);
  if (is_executable (path))
    return path;
  g_free (path);

  return g_find_program_in_path ("tradeoff-cli");
}

static gboolean
has_reference_scripts (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "node-http.js", NULL);

  return g_file_test (probe, G_FILE_TEST_IS_REGULAR);
}

/* $TRADEOFF_REFERENCE_DIR, the installed copy, then the source tree when
 * running uninstalled. */
static char *
find_reference_dir (void)
{
  const char *env = g_getenv ("TRADEOFF_REFERENCE_DIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "reference", NULL);
  g_autofree char *dir = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (has_reference_scripts (installed))
    return g_steal_pointer (&installed);

  env = g_getenv ("TRADEOFF_SOURCE_DIR");
  if (env != NULL && *env != '\0')
    {
      char *path = g_build_filename (env, "data", "reference", NULL);

      if (has_reference_scripts (path))
        return path;
      g_free (path);
    }

  /* build/src/cli/tradeoff-cli or build/tests/test-x: walk up to the tree. */
  dir = executable_dir ();
  for (guint up = 0; dir != NULL && up < 5; up++)
    {
      char *path = g_build_filename (dir, "data", "reference", NULL);
      char *parent;

      if (has_reference_scripts (path))
        return path;
      g_free (path);
      parent = g_path_get_dirname (dir);
      g_free (dir);
      dir = parent;
    }
  return g_steal_pointer (&installed);
}

/* How to start each engine. */

char **
runner_engine_argv (const char               *cli,
                    const TradeoffEngineSpec *spec,
                    const TradeoffWorkload   *workload,
                    char                    **what,
                    char                    **message)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  switch (spec->kind)
    {
    case TRADEOFF_ENGINE_LOOP:
    case TRADEOFF_ENGINE_POOL:
      if (cli == NULL)
        {
          *message = g_strdup (_("tradeoff-cli was not found; set TRADEOFF_CLI to its path"));
          return NULL;
        }
      g_ptr_array_add (argv, g_strdup (cli));
      g_ptr_array_add (argv, g_strdup ("serve"));
      g_ptr_array_add (argv, g_strdup ("--engine"));
      g_ptr_array_add (argv, g_strdup (spec->kind == TRADEOFF_ENGINE_LOOP ? "loop" : "pool"));
      g_ptr_array_add (argv, g_strdup ("--port"));
      g_ptr_array_add (argv, g_strdup ("0"));
      g_ptr_array_add (argv, g_strdup ("--instances"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", MAX (spec->instances, 1)));
      if (spec->kind == TRADEOFF_ENGINE_LOOP)
        {
          g_ptr_array_add (argv, g_strdup ("--offload"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", spec->offload_workers));
        }
      else
        {
          g_ptr_array_add (argv, g_strdup ("--workers"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", MAX (spec->workers, 1)));
          if (spec->gil)
            g_ptr_array_add (argv, g_strdup ("--gil"));
          g_ptr_array_add (argv, g_strdup ("--switch-interval-ms"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", MAX (spec->switch_interval_ms, 1)));
          g_ptr_array_add (argv, g_strdup ("--connection-mode"));
          g_ptr_array_add (argv, g_strdup (tradeoff_connection_mode_to_string (spec->connection_mode)));
        }
      if (workload->kind == TRADEOFF_WORKLOAD_CHAT)
        {
          g_ptr_array_add (argv, g_strdup ("--expect-connections"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", workload->connections + 64));
        }
      *what = g_strdup (spec->kind == TRADEOFF_ENGINE_LOOP ? _("The event-loop engine")
                                                           : _("The thread-pool engine"));
      break;

    case TRADEOFF_ENGINE_REFERENCE:
      {
        const char *runtime = spec->runtime != NULL ? spec->runtime : "node";
        gboolean node = g_str_has_prefix (runtime, "node");
        const char *script;
        g_autofree char *dir = find_reference_dir ();
        g_autofree char *program = g_find_program_in_path (node ? "node" : "python3");
        char *script_path;

        if (g_str_equal (runtime, "node"))
          script = "node-http.js";
        else if (g_str_equal (runtime, "node-cluster"))
          script = "node-cluster.js";
        else if (g_str_equal (runtime, "python-asyncio"))
          script = "python-asyncio.py";
        else if (g_str_equal (runtime, "python-threads"))
          script = "python-threads.py";
        else
          {
            *message = g_strdup_printf (_("Unknown reference runtime “%s”"), runtime);
            return NULL;
          }

        if (program == NULL)
          {
            /* Inside the Flatpak sandbox only the runtime's own programs
             * exist: installing a package on the host would not help. */
            if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
              *message = g_strdup (node ? _("Node.js is not available inside the Flatpak sandbox; measure it from a native installation of Tradeoff, or start it yourself and add it as a URL engine")
                                        : _("Python 3 is not available inside the Flatpak sandbox; measure it from a native installation of Tradeoff, or start it yourself and add it as a URL engine"));
            else
              *message = g_strdup (node ? _("Node.js is not installed; install it with: sudo apt-get install nodejs")
                                        : _("Python 3 is not installed; install it with: sudo apt-get install python3"));
            return NULL;
          }

        script_path = g_build_filename (dir, script, NULL);
        if (!g_file_test (script_path, G_FILE_TEST_IS_REGULAR))
          {
            *message = g_strdup_printf (_("The reference back end %s was not found; set TRADEOFF_REFERENCE_DIR to its folder"),
                                        script_path);
            g_free (script_path);
            return NULL;
          }
        g_ptr_array_add (argv, g_steal_pointer (&program));
        g_ptr_array_add (argv, script_path);
        g_ptr_array_add (argv, g_strdup ("--port"));
        g_ptr_array_add (argv, g_strdup ("0"));
        /* The scenario format keeps no instance count for reference
         * engines, so the default of 1 means "as cluster mode is used":
         * one worker per core. Only an explicit count above one is passed. */
        if (g_str_equal (runtime, "node-cluster") && spec->instances > 1)
          {
            g_ptr_array_add (argv, g_strdup ("--workers"));
            g_ptr_array_add (argv, g_strdup_printf ("%u", spec->instances));
          }
        *what = g_strdup_printf (_("The reference back end %s"), script);
      }
      break;

    case TRADEOFF_ENGINE_URL:
    default:
      g_assert_not_reached ();
    }

  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&argv), FALSE);
}
