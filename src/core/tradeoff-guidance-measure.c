/* tradeoff-guidance-measure.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the results measure for a rule: a run's parameters and figures,
 * which runs a selection picks, and the one figure that stands for them. */

#define G_LOG_DOMAIN "tradeoff-guidance"

#include "config.h"

#include <math.h>

#include "tradeoff-guidance-private.h"

double
tradeoff_guidance_param_value (const TradeoffResult *result,
                               const TradeoffRun    *run,
                               Param                 param)
{
  const TradeoffWorkload *workload = &result->scenario->workload;
  const TradeoffEngineSpec *engine = run->engine;
  gboolean loop = engine->kind == TRADEOFF_ENGINE_LOOP;
  gboolean pool = engine->kind == TRADEOFF_ENGINE_POOL;
  gboolean requests = workload->kind == TRADEOFF_WORKLOAD_REQUEST ||
                      workload->kind == TRADEOFF_WORKLOAD_ML_BATCH;
  gboolean streaming = workload->kind == TRADEOFF_WORKLOAD_STREAMING;

  switch (param)
    {
    case PARAM_INSTANCES:
      return loop || pool ? engine->instances : NAN;
    case PARAM_WORKERS:
      return pool ? engine->workers : NAN;
    case PARAM_OFFLOAD_WORKERS:
      return loop ? engine->offload_workers : NAN;
    case PARAM_SWITCH_INTERVAL_MS:
      return pool ? engine->switch_interval_ms : NAN;
    case PARAM_CPU_US:
      return streaming ? NAN : (double) workload->cpu_us;
    case PARAM_WAIT_US:
      return streaming ? NAN : (double) workload->wait_us;
    case PARAM_WORK_US:
      if (streaming)
        return NAN;
      if (workload->kind == TRADEOFF_WORKLOAD_ML_BATCH)
        return (double) workload->cpu_us * MAX (workload->batch, 1);
      return (double) workload->cpu_us;
    case PARAM_BATCH:
      return workload->kind == TRADEOFF_WORKLOAD_ML_BATCH ? workload->batch : NAN;
    case PARAM_CONNECTIONS:
      return streaming ? workload->streams : workload->connections;
    case PARAM_CLIENTS:
      return workload->arrival_mode == TRADEOFF_ARRIVAL_CLOSED ? workload->clients : NAN;
    case PARAM_RATE_PER_S:
      return workload->arrival_mode == TRADEOFF_ARRIVAL_OPEN ? workload->rate_per_s : NAN;
    case PARAM_STREAMS:
      return streaming ? workload->streams : NAN;
    case PARAM_RATE_BYTES_PER_S:
      return streaming ? (double) workload->rate_bytes_per_s : NAN;
    case PARAM_CHUNK_BYTES:
      return streaming ? workload->chunk_bytes : NAN;
    case PARAM_REPLY_BYTES:
      return requests ? workload->reply_bytes : NAN;
    case N_PARAMS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
tradeoff_guidance_param_is_engine (Param param)
{
  return param == PARAM_INSTANCES || param == PARAM_WORKERS ||
         param == PARAM_OFFLOAD_WORKERS || param == PARAM_SWITCH_INTERVAL_MS;
}

double
tradeoff_guidance_figure_value (const TradeoffResult *result,
                                const TradeoffRun    *run,
                                Figure                figure)
{
  const TradeoffRunSummary *s = &run->summary;
  double work_us = tradeoff_guidance_param_value (result, run, PARAM_WORK_US);
  double wait_us = tradeoff_guidance_param_value (result, run, PARAM_WAIT_US);
  gboolean latency_known = s->completed > 0;

  switch (figure)
    {
    case FIGURE_THROUGHPUT:
      return s->throughput_per_s;
    case FIGURE_BYTES_PER_S:
      return s->bytes_per_s;
    case FIGURE_MEAN_US:
      return latency_known ? s->latency_us.mean : NAN;
    case FIGURE_P50_US:
      return latency_known ? s->latency_us.p50 : NAN;
    case FIGURE_P90_US:
      return latency_known ? s->latency_us.p90 : NAN;
    case FIGURE_P99_US:
      return latency_known ? s->latency_us.p99 : NAN;
    case FIGURE_P999_US:
      return latency_known ? s->latency_us.p999 : NAN;
    case FIGURE_MAX_US:
      return latency_known ? s->latency_us.max : NAN;
    case FIGURE_PEAK_RSS:
      return s->peak_rss_bytes;
    case FIGURE_THREADS_MAX:
      return s->threads_max;
    case FIGURE_CPU_SECONDS:
      return s->cpu_seconds;
    case FIGURE_CORES_USED:
      return s->cpu_percent_mean / 100.0;
    case FIGURE_SERVER_CPU_US_PER_REQUEST:
      return latency_known ? s->server_cpu_us_per_request : NAN;
    case FIGURE_CAPACITY_PER_CORE:
      if (!latency_known)
        return NAN;
      if (isfinite (s->capacity_per_core_per_s))
        return s->capacity_per_core_per_s;
      /* A result written before capacity was recorded. */
      return s->server_cpu_us_per_request > 0 ? 1e6 / s->server_cpu_us_per_request : NAN;
    case FIGURE_WORK_CORES:
      if (isnan (work_us) || result->scenario->workload.kind == TRADEOFF_WORKLOAD_CHAT)
        return NAN;
      return s->throughput_per_s * work_us / 1e6;
    case FIGURE_QUEUE_P99_US:
      if (isnan (work_us) || !latency_known)
        return NAN;
      return MAX (0.0, s->latency_us.p99 - work_us - (isnan (wait_us) ? 0 : wait_us));
    case FIGURE_CPU_MS_PER_MB:
      if (!(s->bytes_per_s > 0))
        return NAN;
      /* CPU seconds per second over megabytes per second, in milliseconds. */
      return (s->cpu_percent_mean / 100.0) / (s->bytes_per_s / 1e6) * 1000.0;
    case FIGURE_STALLS:
      return (double) s->stalls;
    case FIGURE_ERROR_FRACTION:
      {
        double total = (double) s->completed + s->errors + s->timeouts;
        return total > 0 ? (s->errors + s->timeouts) / total : NAN;
      }
    case N_FIGURES:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
selection_matches_one (const Selection      *self,
                       const TradeoffResult *result,
                       const TradeoffRun    *run)
{
  const TradeoffEngineSpec *engine = run->engine;

  if (self->workload_mask != 0 && (self->workload_mask & (1u << result->scenario->workload.kind)) == 0)
    return FALSE;
  if (self->engine_kind >= 0 && (int) engine->kind != self->engine_kind)
    return FALSE;
  if (self->runtimes != NULL &&
      (engine->kind != TRADEOFF_ENGINE_REFERENCE || engine->runtime == NULL ||
       !g_strv_contains ((const char * const *) self->runtimes, engine->runtime)))
    return FALSE;
  if (self->gil >= 0 && (engine->kind != TRADEOFF_ENGINE_POOL || !!engine->gil != self->gil))
    return FALSE;
  if (self->offload >= 0 &&
      (engine->kind != TRADEOFF_ENGINE_LOOP || (engine->offload_workers > 0) != self->offload))
    return FALSE;
  if (self->connection_mode >= 0 &&
      (engine->kind != TRADEOFF_ENGINE_POOL || (int) engine->connection_mode != self->connection_mode))
    return FALSE;

  for (guint i = 0; i < self->ranges->len; i++)
    {
      const Range *range = &g_array_index (self->ranges, Range, i);
      double value = tradeoff_guidance_param_value (result, run, range->param);

      if (isnan (value))
        return FALSE;
      if (!isnan (range->min) && value < range->min)
        return FALSE;
      if (!isnan (range->max) && value > range->max)
        return FALSE;
    }
  return TRUE;
}

/* A failed run never counts. A run that completed nothing does: a server
 * that delivered nothing to its subscribers is a measurement (throughput
 * 0), though its latencies are unknown. */
static gboolean
run_counts (const TradeoffRun *run)
{
  return run->error == NULL && run->engine != NULL;
}

gboolean
tradeoff_guidance_selection_matches (const Selection      *self,
                                     const TradeoffResult *result,
                                     const TradeoffRun    *run)
{
  if (!run_counts (run) || !selection_matches_one (self, result, run))
    return FALSE;
  if (self->any == NULL)
    return TRUE;
  for (guint i = 0; i < self->any->len; i++)
    if (selection_matches_one (self->any->pdata[i], result, run))
      return TRUE;
  return FALSE;
}

int
tradeoff_guidance_compare_doubles (gconstpointer a,
                                   gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* The figure standing for @values (finite only); NAN if none. Returns the
 * index of the chosen value in @values for median of an odd count, max and
 * min, so the caller can name the run. */
double
tradeoff_guidance_pick_value (Pick    pick,
                              GArray *values)
{
  g_autoptr(GArray) sorted = NULL;
  guint n;

  if (values->len == 0)
    return NAN;

  sorted = g_array_copy (values);
  g_array_sort (sorted, tradeoff_guidance_compare_doubles);
  n = sorted->len;

  switch (pick)
    {
    case PICK_MAX:
      return g_array_index (sorted, double, n - 1);
    case PICK_MIN:
      return g_array_index (sorted, double, 0);
    case PICK_MEDIAN:
    default:
      if (n % 2 == 1)
        return g_array_index (sorted, double, n / 2);
      return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
    }
}

/* The figure of @selection in @result: NAN when no run there matches or
 * has the figure. */
double
tradeoff_guidance_selection_figure (const Selection      *selection,
                                    const TradeoffResult *result,
                                    Figure                figure,
                                    guint                *n_runs)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = result->runs->pdata[i];
      double value;

      if (!tradeoff_guidance_selection_matches (selection, result, run))
        continue;
      value = tradeoff_guidance_figure_value (result, run, figure);
      if (isfinite (value))
        g_array_append_val (values, value);
    }

  if (n_runs != NULL)
    *n_runs = values->len;
  return tradeoff_guidance_pick_value (selection->pick, values);
}

/* Whether a run that @selection picks in @result was held back by the load
 * driver rather than the server: its figures then understate the server. */
gboolean
tradeoff_guidance_selection_driver_limited (const Selection      *selection,
                                            const TradeoffResult *result)
{
  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = result->runs->pdata[i];

      if (tradeoff_guidance_selection_matches (selection, result, run) &&
          run->summary.driver_limited)
        return TRUE;
    }
  return FALSE;
}

gboolean
tradeoff_guidance_selection_has_run (const Selection      *selection,
                                     const TradeoffResult *result)
{
  for (guint i = 0; i < result->runs->len; i++)
    if (tradeoff_guidance_selection_matches (selection, result, result->runs->pdata[i]))
      return TRUE;
  return FALSE;
}
