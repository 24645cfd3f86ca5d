/* test-claims-live.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs a claim's own scenario, briefly, against the real engines and checks
 * the verdict CLAIMS.md expects on a 2-core machine: the GIL keeps threads
 * to one core; a plain loop is held to one core and offload workers free it;
 * an event loop holds a thousand chat subscribers with a few threads and
 * less memory than a thread per subscriber. Shapes, not speeds: each claim
 * gets a second run if the first, on a noisy machine, misses the shape. */

#define G_LOG_DOMAIN "test-claims-live"

#include "config.h"

#include <string.h>

#include "tradeoff-guidance.h"
#include "tradeoff-runner.h"

#define DURATION_S 2.5
#define WARMUP_S   0.5
#define ATTEMPTS   2

typedef struct
{
  const char          *claim_id;
  TradeoffVerdictKind  expected;
  const char          *condition;  /* substring of the condition, or NULL */
} Expectation;

static const Expectation expectations[] = {
  { "gil-one-thread", TRADEOFF_VERDICT_SUPPORTED, NULL },
  { "node-cpu-weak", TRADEOFF_VERDICT_DEPENDS, "without offload workers" },
  { "loop-few-threads", TRADEOFF_VERDICT_SUPPORTED, NULL },
};

static TradeoffGuidance *
load_shipped (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "guidance.json", NULL);
  g_autoptr(GError) error = NULL;
  TradeoffGuidance *guidance = tradeoff_guidance_new_from_file (path, &error);

  g_assert_no_error (error);
  return guidance;
}

static gboolean
verdict_matches (const TradeoffVerdict *verdict,
                 const Expectation     *expectation)
{
  if (verdict->kind != expectation->expected)
    return FALSE;
  if (expectation->condition != NULL &&
      (verdict->condition == NULL || strstr (verdict->condition, expectation->condition) == NULL))
    return FALSE;
  return TRUE;
}

static void
test_claim_live (gconstpointer data)
{
  const Expectation *expectation = data;
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  g_autoptr(TradeoffScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cli = tradeoff_runner_find_cli ();
  const TradeoffClaim *claim = tradeoff_guidance_lookup (guidance, expectation->claim_id);
  TradeoffRunOptions options;

  g_assert_nonnull (claim);
  if (cli == NULL)
    g_error ("no tradeoff-cli to start the engines with: set TRADEOFF_CLI (meson test does)");

  scenario = tradeoff_claim_dup_scenario (claim, &error);
  g_assert_no_error (error);

  tradeoff_run_options_init (&options);
  options.cli_path = cli;
  options.duration_s = DURATION_S;
  options.warmup_s = WARMUP_S;

  for (guint attempt = 1; attempt <= ATTEMPTS; attempt++)
    {
      g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
      g_autoptr(TradeoffVerdict) verdict = NULL;
      TradeoffResult *result = tradeoff_runner_run (scenario, &options, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_ptr_array_add (results, result);

      for (guint i = 0; i < result->runs->len; i++)
        {
          const TradeoffRun *run = result->runs->pdata[i];

          /* An engine that cannot start is a broken build, not a verdict. */
          if (run->error != NULL)
            g_error ("%s: engine “%s” failed: %s", expectation->claim_id, run->engine->label, run->error);
          g_test_message ("%s: %s: %.0f/s, p99 %.0f us, peak RSS %.1f MiB, %.0f threads, %.0f%% CPU",
                          expectation->claim_id, run->engine->label, run->summary.throughput_per_s,
                          run->summary.latency_us.p99, run->summary.peak_rss_bytes / (1024.0 * 1024.0),
                          run->summary.threads_max, run->summary.cpu_percent_mean);
        }

      verdict = tradeoff_guidance_judge (guidance, claim, results);
      g_test_message ("%s, attempt %u: %s (%s)\n%s", expectation->claim_id, attempt,
                      tradeoff_verdict_kind_to_string (verdict->kind),
                      verdict->condition ? verdict->condition : "no condition", verdict->evidence);

      g_assert_cmpint (verdict->kind, !=, TRADEOFF_VERDICT_NOT_TESTED);
      g_assert_cmpuint (verdict->figures->len, >, 0);

      if (verdict_matches (verdict, expectation))
        return;
      if (attempt == ATTEMPTS)
        g_error ("%s: expected %s%s%s, got %s (%s): %s", expectation->claim_id,
                 tradeoff_verdict_kind_to_string (expectation->expected),
                 expectation->condition ? " with " : "",
                 expectation->condition ? expectation->condition : "",
                 tradeoff_verdict_kind_to_string (verdict->kind),
                 verdict->condition ? verdict->condition : "no condition", verdict->evidence);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/claims-live/%s", expectations[i].claim_id);
      g_test_add_data_func (path, &expectations[i], test_claim_live);
    }

  return g_test_run ();
}
