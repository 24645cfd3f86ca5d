/* chart-fixtures.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs built by hand for the chart and export tests: real histograms with
 * recorded values, timelines, a url run with nothing measured server-side
 * and a run that failed. */

#pragma once

#include <math.h>

#include "tradeoff-result.h"

static inline TradeoffRun *
chart_fixture_run (const char         *label,
                   TradeoffEngineKind  kind,
                   double              median_us,
                   guint               n_points,
                   guint32             seed)
{
  g_autoptr(TradeoffEngineSpec) spec = tradeoff_engine_spec_new (kind, label);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gboolean server_side = kind != TRADEOFF_ENGINE_URL;
  TradeoffRun *run = tradeoff_run_new (spec);
  double peak_rss = 0;

  if (run->histogram == NULL)
    run->histogram = tradeoff_histogram_new (3);
  if (run->histogram_uncorrected == NULL)
    run->histogram_uncorrected = tradeoff_histogram_new (3);
  if (run->timeline == NULL)
    run->timeline = g_array_new (FALSE, TRUE, sizeof (TradeoffTimelinePoint));

  /* A long-tailed distribution: log-normal around the median, plus a few
   * stalls that queueing turns into a much worse corrected tail. */
  for (guint i = 0; i < 20000; i++)
    {
      double u1 = g_rand_double_range (rand, 1e-9, 1.0);
      double u2 = g_rand_double (rand);
      double z = sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
      double v = median_us * exp (0.6 * z);

      tradeoff_histogram_record (run->histogram_uncorrected, (gint64) v);
      if (i % 97 == 0)
        v *= 25;
      tradeoff_histogram_record (run->histogram, (gint64) v);
    }

  for (guint i = 0; i < n_points; i++)
    {
      TradeoffTimelinePoint p = { 0 };
      double t = (i + 1) * 0.1;

      p.t_s = t;
      p.completed_per_s = 1000 + 400 * sin (t / 2.0 + seed) + g_rand_double_range (rand, -50, 50);
      p.bytes_per_s = p.completed_per_s * 2048;
      p.p50_us = median_us;
      p.p99_us = median_us * 8;
      p.in_flight = 4;
      p.errors_per_s = 0;
      if (server_side)
        {
          p.rss_bytes = (40 + 10 * t / (n_points * 0.1) + seed % 7) * 1024 * 1024;
          p.cpu_percent = 60 + 30 * cos (t + seed);
          p.threads = kind == TRADEOFF_ENGINE_POOL ? 64 + (i % 5) : 3;
          p.connections = 32;
          peak_rss = MAX (peak_rss, p.rss_bytes);
        }
      else
        {
          p.rss_bytes = NAN;
          p.cpu_percent = NAN;
          p.threads = NAN;
          p.connections = NAN;
        }
      g_array_append_val (run->timeline, p);
    }

  tradeoff_run_summarize_latency (run);
  run->summary.completed = 20000;
  run->summary.throughput_per_s = 1000 + seed * 37 % 500;
  run->summary.bytes_per_s = run->summary.throughput_per_s * 2048;
  run->summary.offered_per_s = 1500;
  run->summary.achieved_per_s = run->summary.throughput_per_s;
  run->summary.peak_rss_bytes = server_side ? peak_rss : NAN;
  run->summary.cpu_seconds = server_side ? 1.5 + seed % 3 : NAN;
  run->summary.cpu_percent_mean = server_side ? 60 : NAN;
  run->summary.threads_max = server_side ? 64 : NAN;
  return run;
}

static inline TradeoffRun *
chart_fixture_failed_run (const char *label)
{
  g_autoptr(TradeoffEngineSpec) spec = tradeoff_engine_spec_new (TRADEOFF_ENGINE_POOL, label);
  TradeoffRun *run = tradeoff_run_new (spec);

  run->error = g_strdup ("the engine exited with status 1 before it was ready");
  run->summary.throughput_per_s = NAN;
  run->summary.bytes_per_s = NAN;
  run->summary.latency_us.p50 = NAN;
  run->summary.latency_us.p99 = NAN;
  run->summary.peak_rss_bytes = NAN;
  run->summary.cpu_seconds = NAN;
  return run;
}

/* A loop, a pool, a url engine (nothing measured server-side) and a run
 * that failed. */
static inline GPtrArray *
chart_fixture_runs (guint n_points)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_run_free);

  g_ptr_array_add (runs, chart_fixture_run ("Event loop", TRADEOFF_ENGINE_LOOP, 400, n_points, 1));
  g_ptr_array_add (runs, chart_fixture_run ("Thread pool", TRADEOFF_ENGINE_POOL, 2500, n_points, 2));
  g_ptr_array_add (runs, chart_fixture_run ("My server", TRADEOFF_ENGINE_URL, 900, n_points, 3));
  g_ptr_array_add (runs, chart_fixture_failed_run ("Broken pool"));
  return runs;
}
