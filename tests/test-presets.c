/* test-presets.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-presets"

#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/wait.h>

#include "tradeoff-presets.h"

static const char * const required[] = {
  "hello-world", "io-bound-api", "chat-2000", "streaming-200", "ml-batch", NULL
};

static guint
count_presets (void)
{
  const TradeoffPresetInfo *all = tradeoff_presets_get_all ();
  guint n = 0;

  while (all[n].id != NULL)
    n++;
  return n;
}

static const TradeoffEngineSpec *
find_engine (const TradeoffScenario *scenario,
             TradeoffEngineKind      kind,
             gboolean                gil)
{
  for (guint i = 0; i < scenario->engines->len; i++)
    {
      const TradeoffEngineSpec *spec = g_ptr_array_index (scenario->engines, i);

      if (spec->kind == kind && (kind != TRADEOFF_ENGINE_POOL || spec->gil == gil))
        return spec;
    }
  return NULL;
}

static void
test_all_load (void)
{
  const TradeoffPresetInfo *all = tradeoff_presets_get_all ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (count_presets (), >=, 5);
  for (guint i = 0; all[i].id != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TradeoffScenario) scenario = tradeoff_presets_load (all[i].id, &error);

      g_test_message ("%s", all[i].id);
      g_assert_no_error (error);
      g_assert_true (tradeoff_scenario_validate (scenario, &error));
      g_assert_no_error (error);
      g_assert_true (g_hash_table_add (seen, (gpointer) all[i].id));
      g_assert_true (tradeoff_presets_lookup (all[i].id) == &all[i]);
      g_assert_cmpstr (scenario->name, ==, all[i].title);
      g_assert_cmpuint (strlen (all[i].title), >, 0);
      g_assert_cmpuint (strlen (all[i].description), >, 20);
      g_assert_null (strchr (all[i].id, ' '));

      /* Every preset compares the three architectures, in short runs; one
       * that runs the real runtimes has the models of those runtimes (the
       * loop and the pool with GIL) beside them. */
      g_assert_nonnull (find_engine (scenario, TRADEOFF_ENGINE_LOOP, FALSE));
      g_assert_nonnull (find_engine (scenario, TRADEOFF_ENGINE_POOL, TRUE));
      if (find_engine (scenario, TRADEOFF_ENGINE_REFERENCE, FALSE) == NULL)
        g_assert_nonnull (find_engine (scenario, TRADEOFF_ENGINE_POOL, FALSE));
      g_assert_cmpfloat (scenario->workload.duration_s, <=, 15);
      g_assert_null (scenario->extra);
      g_assert_null (scenario->workload.extra);
      g_assert_null (scenario->workload.arrival_extra);
    }

  for (guint i = 0; required[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (seen, required[i]));
}

/* Each preset's numbers make the trade-off it is named for show up on a
 * 2-core machine, without asking more of it than it can drive. */
static void
test_shapes (void)
{
  g_autoptr(TradeoffScenario) hello = tradeoff_presets_load ("hello-world", NULL);
  g_autoptr(TradeoffScenario) io = tradeoff_presets_load ("io-bound-api", NULL);
  g_autoptr(TradeoffScenario) chat = tradeoff_presets_load ("chat-2000", NULL);
  g_autoptr(TradeoffScenario) streaming = tradeoff_presets_load ("streaming-200", NULL);
  g_autoptr(TradeoffScenario) ml = tradeoff_presets_load ("ml-batch", NULL);
  const TradeoffEngineSpec *pool;
  double cores;

  g_assert_cmpint (hello->workload.kind, ==, TRADEOFF_WORKLOAD_REQUEST);
  g_assert_cmpuint (hello->workload.cpu_us, <=, 20);
  g_assert_cmpfloat (hello->workload.rate_per_s, <=, 5000);

  /* The pool can serve fewer requests a second than are offered. */
  g_assert_cmpuint (io->workload.wait_us, ==, 50000);
  pool = find_engine (io, TRADEOFF_ENGINE_POOL, TRUE);
  g_assert_cmpfloat (pool->workers * 1e6 / io->workload.wait_us, <, io->workload.rate_per_s);
  g_assert_cmpint (pool->connection_mode, ==, TRADEOFF_CONNECTION_PER_REQUEST);

  g_assert_cmpint (chat->workload.kind, ==, TRADEOFF_WORKLOAD_CHAT);
  g_assert_cmpuint (chat->workload.connections, ==, 2000);
  pool = find_engine (chat, TRADEOFF_ENGINE_POOL, TRUE);
  g_assert_cmpuint (pool->workers, >=, chat->workload.connections);
  g_assert_cmpint (pool->connection_mode, ==, TRADEOFF_CONNECTION_PER_CONNECTION);
  /* Deliveries a second, all rooms together. */
  g_assert_cmpfloat (chat->workload.rate_per_s * chat->workload.connections / chat->workload.rooms,
                     <=, 10000);

  g_assert_cmpint (streaming->workload.kind, ==, TRADEOFF_WORKLOAD_STREAMING);
  g_assert_cmpuint (streaming->workload.streams, ==, 200);
  g_assert_cmpfloat (streaming->workload.slow_reader_fraction, >, 0);
  pool = find_engine (streaming, TRADEOFF_ENGINE_POOL, TRUE);
  g_assert_cmpuint (pool->workers, <, streaming->workload.streams);

  /* More than one core of work, less than two. */
  g_assert_cmpint (ml->workload.kind, ==, TRADEOFF_WORKLOAD_ML_BATCH);
  cores = ml->workload.rate_per_s * ml->workload.cpu_us * ml->workload.batch / 1e6;
  g_assert_cmpfloat (cores, >, 1.0);
  g_assert_cmpfloat (cores, <, 1.8);
  g_assert_cmpuint (find_engine (ml, TRADEOFF_ENGINE_POOL, TRUE)->workers, ==, 4);
  g_assert_cmpuint (find_engine (ml, TRADEOFF_ENGINE_POOL, FALSE)->workers, ==, 4);
}

static void
test_unknown (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (tradeoff_presets_lookup ("no-such-preset"));
  g_assert_null (tradeoff_presets_load ("no-such-preset", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-preset"));
}

/* Every file in data/presets/ is listed, and every listed one shipped. */
static void
test_files_listed (void)
{
  const char *source = g_getenv ("TRADEOFF_SOURCE_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  if (source == NULL)
    {
      g_test_skip ("TRADEOFF_SOURCE_DIR is not set");
      return;
    }

  path = g_build_filename (source, "data", "presets", NULL);
  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *id = NULL;

      g_assert_true (g_str_has_suffix (name, ".tradeoff.json"));
      id = g_strndup (name, strlen (name) - strlen (".tradeoff.json"));
      g_assert_nonnull (tradeoff_presets_lookup (id));
      n++;
    }
  g_assert_cmpuint (n, ==, count_presets ());
}

static void
test_cli (void)
{
  const char *cli = g_getenv ("TRADEOFF_CLI");
  const TradeoffPresetInfo *all = tradeoff_presets_get_all ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  if (cli == NULL)
    {
      g_test_skip ("TRADEOFF_CLI is not set");
      return;
    }

  {
    const char *argv[] = { cli, "presets", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpstr (err, ==, "");

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, count_presets () + 1);
  for (guint i = 0; all[i].id != NULL; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%s\t%s", all[i].id, all[i].title);

      g_assert_cmpstr (lines[i], ==, expected);
    }
  g_assert_cmpstr (lines[count_presets ()], ==, "");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "presets", "extra", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
  }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "tradeoff-cli"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/presets/all-load", test_all_load);
  g_test_add_func ("/presets/shapes", test_shapes);
  g_test_add_func ("/presets/unknown", test_unknown);
  g_test_add_func ("/presets/files-listed", test_files_listed);
  g_test_add_func ("/presets/cli", test_cli);

  return g_test_run ();
}
