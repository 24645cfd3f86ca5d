/* test-real-runtimes.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The preset "The real runtimes", run for real but briefly: every engine row,
 * built-in or reference back end, gives a run; the runs of the real runtimes
 * are measured and sampled like the built-in engines'; and a runtime that is
 * not installed fails its own row only, saying which runtime is missing. */

#define G_LOG_DOMAIN "test-real-runtimes"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "tradeoff-presets.h"
#include "tradeoff-runner.h"

#define RUN_SECONDS 1.0

static gboolean
runtime_is_node (const char *runtime)
{
  return g_str_has_prefix (runtime, "node");
}

static const char *
runtime_program (const char *runtime)
{
  return runtime_is_node (runtime) ? "node" : "python3";
}

/* The words a row's error uses to name its missing runtime. */
static const char *
runtime_name (const char *runtime)
{
  return runtime_is_node (runtime) ? "Node.js" : "Python";
}

static gboolean
program_installed (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  return path != NULL;
}

static TradeoffResult *
run_briefly (const TradeoffScenario *scenario)
{
  TradeoffRunOptions options;
  g_autoptr(GError) error = NULL;
  TradeoffResult *result;

  tradeoff_run_options_init (&options);
  options.duration_s = RUN_SECONDS;
  options.warmup_s = 0;

  result = tradeoff_runner_run (scenario, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->runs->len, ==, scenario->engines->len);

  return result;
}

static void
assert_measured (const TradeoffRun *run)
{
  const TradeoffRunSummary *s = &run->summary;

  g_assert_null (run->error);
  g_assert_cmpuint (s->completed, >, 0);
  g_assert_cmpfloat (s->throughput_per_s, >, 0);
  g_assert_cmpfloat (s->latency_us.p50, >, 0);
  g_assert_cmpfloat (s->latency_us.p99, >=, s->latency_us.p50);
  /* Sampled from /proc, as the built-in engines are: never NAN here. */
  g_assert_false (isnan (s->peak_rss_bytes));
  g_assert_cmpfloat (s->peak_rss_bytes, >, 1024 * 1024);
  g_assert_false (isnan (s->cpu_seconds));
  g_assert_cmpfloat (s->cpu_seconds, >, 0);
  g_assert_false (isnan (s->threads_max));
  g_assert_cmpfloat (s->threads_max, >=, 1);
  g_assert_false (isnan (s->server_cpu_us_per_request));
  g_assert_cmpfloat (s->server_cpu_us_per_request, >, 0);
  g_assert_cmpuint (run->timeline->len, >, 0);
  /* At most a few errors from the first or last moments of the run. */
  g_assert_cmpuint (s->errors + s->timeouts, <=, s->completed / 10);
}

/* Each row of the preset ran: the built-in engines and every installed
 * runtime measured, every missing runtime named in its own row's error. */
static void
test_preset_runs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffScenario) scenario = tradeoff_presets_load ("real-runtimes", &error);
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(GHashTable) runtimes = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_models = 0;

  g_assert_no_error (error);
  g_assert_nonnull (scenario);

  /* The four runtimes, and the models of them. */
  for (guint i = 0; i < scenario->engines->len; i++)
    {
      const TradeoffEngineSpec *spec = g_ptr_array_index (scenario->engines, i);

      if (spec->kind == TRADEOFF_ENGINE_REFERENCE)
        g_assert_true (g_hash_table_add (runtimes, spec->runtime));
      else
        n_models++;
    }
  g_assert_cmpuint (g_hash_table_size (runtimes), ==, 4);
  g_assert_cmpuint (n_models, >=, 3);

  result = run_briefly (scenario);

  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (result->runs, i);
      const TradeoffEngineSpec *spec = run->engine;

      g_assert_nonnull (spec);
      g_assert_cmpstr (spec->label, ==,
                       ((TradeoffEngineSpec *) g_ptr_array_index (scenario->engines, i))->label);
      g_test_message ("%s: %s, %.0f/s, p99 %.0f µs, peak RSS %.1f MiB, %.0f threads",
                      spec->label, run->error != NULL ? run->error : "ok",
                      run->summary.throughput_per_s, run->summary.latency_us.p99,
                      run->summary.peak_rss_bytes / 1048576.0, run->summary.threads_max);

      if (spec->kind == TRADEOFF_ENGINE_REFERENCE
          && !program_installed (runtime_program (spec->runtime)))
        {
          g_test_message ("%s is not on PATH: checking that its row says so",
                          runtime_program (spec->runtime));
          g_assert_nonnull (run->error);
          g_assert_nonnull (strstr (run->error, runtime_name (spec->runtime)));
          continue;
        }

      assert_measured (run);

      /* The architectures show in the samples: Python's threaded server has
       * a thread per connection, the event loops only a handful. */
      if (spec->kind == TRADEOFF_ENGINE_REFERENCE && g_str_equal (spec->runtime, "python-threads"))
        g_assert_cmpfloat (run->summary.threads_max, >=, result->scenario->workload.clients);
      if (spec->kind == TRADEOFF_ENGINE_REFERENCE && g_str_equal (spec->runtime, "python-asyncio"))
        g_assert_cmpfloat (run->summary.threads_max, <, 8);
      if (spec->kind == TRADEOFF_ENGINE_REFERENCE && g_str_equal (spec->runtime, "node"))
        g_assert_cmpfloat (run->summary.threads_max, <, result->scenario->workload.clients);
    }
}

/* With neither runtime on PATH, the reference rows say which runtime is
 * missing and how to install it, and the built-in engine beside them still
 * runs. In a subprocess, so that PATH is changed before any thread exists. */
static void
test_missing_runtimes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffScenario) scenario = NULL;
  g_autoptr(TradeoffResult) result = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *cli = NULL;
  guint n_failed = 0;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  /* The runner looks the runtimes up on PATH when it starts each row, and
   * the engines by $TRADEOFF_CLI. */
  cli = tradeoff_runner_find_cli ();
  g_assert_nonnull (cli);
  g_assert_true (g_path_is_absolute (cli));
  empty = g_dir_make_tmp ("tradeoff-no-runtimes-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("PATH", empty, TRUE);
  g_setenv ("TRADEOFF_CLI", cli, TRUE);

  scenario = tradeoff_presets_load ("real-runtimes", &error);
  g_assert_no_error (error);

  /* Keep the first built-in engine and the reference rows. */
  for (guint i = scenario->engines->len; i-- > 1;)
    {
      const TradeoffEngineSpec *spec = g_ptr_array_index (scenario->engines, i);

      if (spec->kind != TRADEOFF_ENGINE_REFERENCE)
        g_ptr_array_remove_index (scenario->engines, i);
    }
  g_assert_cmpint (((TradeoffEngineSpec *) g_ptr_array_index (scenario->engines, 0))->kind,
                   !=, TRADEOFF_ENGINE_REFERENCE);
  g_assert_cmpuint (scenario->engines->len, ==, 5);

  result = run_briefly (scenario);
  g_rmdir (empty);

  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (result->runs, i);

      if (run->engine->kind != TRADEOFF_ENGINE_REFERENCE)
        {
          assert_measured (run);
          continue;
        }

      g_test_message ("%s: %s", run->engine->label, run->error);
      g_assert_nonnull (run->error);
      g_assert_nonnull (strstr (run->error, runtime_name (run->engine->runtime)));
      g_assert_nonnull (strstr (run->error, "install"));
      g_assert_cmpuint (run->summary.completed, ==, 0);
      n_failed++;
    }
  g_assert_cmpuint (n_failed, ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/real-runtimes/preset-runs", test_preset_runs);
  g_test_add_func ("/real-runtimes/missing-runtimes", test_missing_runtimes);

  return g_test_run ();
}
