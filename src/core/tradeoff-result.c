/* tradeoff-result.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Results in JSON (format `tradeoff-result/1`), CSV, and the `.hgrm`
 * percentile distribution HdrHistogram and wrk2 print. A figure that was
 * not measured is NAN in memory, `null` in JSON and an empty CSV cell: a 0
 * would be a measurement, and a wrong one. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tradeoff-core.h"
#include "tradeoff-result-private.h"

G_DEFINE_QUARK (tradeoff-result-error-quark, tradeoff_result_error)

/* Summaries */

const char * const tradeoff_result_latency_keys[N_LATENCY_KEYS] = {
  "mean", "p50", "p90", "p99", "p999", "max"
};

double *
tradeoff_result_latency_field (TradeoffLatencySummary *latency,
                               guint                   i)
{
  double *fields[] = { &latency->mean, &latency->p50, &latency->p90, &latency->p99,
                       &latency->p999, &latency->max };

  return fields[i];
}

void
tradeoff_result_latency_summary_clear (TradeoffLatencySummary *latency)
{
  for (guint i = 0; i < G_N_ELEMENTS (tradeoff_result_latency_keys); i++)
    *tradeoff_result_latency_field (latency, i) = NAN;
}

void
tradeoff_run_summary_init (TradeoffRunSummary *summary)
{
  g_return_if_fail (summary != NULL);

  memset (summary, 0, sizeof *summary);
  tradeoff_result_latency_summary_clear (&summary->latency_us);
  tradeoff_result_latency_summary_clear (&summary->latency_uncorrected_us);
  summary->peak_rss_bytes = NAN;
  summary->cpu_seconds = NAN;
  summary->cpu_percent_mean = NAN;
  summary->threads_max = NAN;
  summary->server_cpu_us_per_request = NAN;
  summary->capacity_per_core_per_s = NAN;
}

static void
summarize_histogram (const TradeoffHistogram *histogram,
                     TradeoffLatencySummary  *latency)
{
  if (histogram == NULL || tradeoff_histogram_get_count (histogram) == 0)
    {
      tradeoff_result_latency_summary_clear (latency);
      return;
    }

  latency->mean = tradeoff_histogram_get_mean (histogram);
  latency->p50 = tradeoff_histogram_get_percentile (histogram, 50);
  latency->p90 = tradeoff_histogram_get_percentile (histogram, 90);
  latency->p99 = tradeoff_histogram_get_percentile (histogram, 99);
  latency->p999 = tradeoff_histogram_get_percentile (histogram, 99.9);
  latency->max = tradeoff_histogram_get_max (histogram);
}

void
tradeoff_run_summarize_latency (TradeoffRun *self)
{
  g_return_if_fail (self != NULL);

  summarize_histogram (self->histogram, &self->summary.latency_us);
  summarize_histogram (self->histogram_uncorrected, &self->summary.latency_uncorrected_us);
}

/* Timelines */

const PointField tradeoff_result_point_fields[N_POINT_FIELDS] = {

  { "t_s", G_STRUCT_OFFSET (TradeoffTimelinePoint, t_s) },
  { "completed_per_s", G_STRUCT_OFFSET (TradeoffTimelinePoint, completed_per_s) },
  { "bytes_per_s", G_STRUCT_OFFSET (TradeoffTimelinePoint, bytes_per_s) },
  { "p50_us", G_STRUCT_OFFSET (TradeoffTimelinePoint, p50_us) },
  { "p99_us", G_STRUCT_OFFSET (TradeoffTimelinePoint, p99_us) },
  { "in_flight", G_STRUCT_OFFSET (TradeoffTimelinePoint, in_flight) },
  { "errors_per_s", G_STRUCT_OFFSET (TradeoffTimelinePoint, errors_per_s) },
  { "rss_bytes", G_STRUCT_OFFSET (TradeoffTimelinePoint, rss_bytes) },
  { "cpu_percent", G_STRUCT_OFFSET (TradeoffTimelinePoint, cpu_percent) },
  { "threads", G_STRUCT_OFFSET (TradeoffTimelinePoint, threads) },
  { "connections", G_STRUCT_OFFSET (TradeoffTimelinePoint, connections) },
};

/* Runs */

TradeoffRun *
tradeoff_run_new (const TradeoffEngineSpec *engine)
{
  TradeoffRun *self;

  g_return_val_if_fail (engine != NULL, NULL);

  self = g_new0 (TradeoffRun, 1);
  self->engine = tradeoff_engine_spec_copy (engine);
  tradeoff_run_summary_init (&self->summary);
  self->histogram = tradeoff_histogram_new (3);
  self->histogram_uncorrected = tradeoff_histogram_new (3);
  self->timeline = g_array_new (FALSE, TRUE, sizeof (TradeoffTimelinePoint));

  return self;
}

TradeoffRun *
tradeoff_run_copy (const TradeoffRun *self)
{
  TradeoffRun *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TradeoffRun, 1);
  copy->engine = self->engine ? tradeoff_engine_spec_copy (self->engine) : NULL;
  copy->summary = self->summary;
  copy->histogram = self->histogram ? tradeoff_histogram_copy (self->histogram) : NULL;
  copy->histogram_uncorrected =
    self->histogram_uncorrected ? tradeoff_histogram_copy (self->histogram_uncorrected) : NULL;
  copy->timeline = g_array_new (FALSE, TRUE, sizeof (TradeoffTimelinePoint));
  if (self->timeline != NULL && self->timeline->len > 0)
    g_array_append_vals (copy->timeline, self->timeline->data, self->timeline->len);
  copy->error = g_strdup (self->error);
  copy->note = g_strdup (self->note);
  copy->extra = tradeoff_json_object_copy (self->extra);

  return copy;
}

void
tradeoff_run_free (TradeoffRun *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->engine, tradeoff_engine_spec_free);
  g_clear_pointer (&self->histogram, tradeoff_histogram_free);
  g_clear_pointer (&self->histogram_uncorrected, tradeoff_histogram_free);
  g_clear_pointer (&self->timeline, g_array_unref);
  g_free (self->error);
  g_free (self->note);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

/* Machines */

static TradeoffMachine *
machine_copy (const TradeoffMachine *machine)
{
  TradeoffMachine *copy;

  if (machine == NULL)
    return NULL;

  copy = g_memdup2 (machine, sizeof *machine);
  copy->cpu_model = g_strdup (machine->cpu_model);
  copy->kernel = g_strdup (machine->kernel);

  return copy;
}

/* Results */

TradeoffResult *
tradeoff_result_new (const TradeoffScenario *scenario)
{
  TradeoffResult *self;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (scenario != NULL, NULL);

  self = g_new0 (TradeoffResult, 1);
  self->scenario = tradeoff_scenario_copy (scenario);
  self->machine = tradeoff_machine_new_local ();
  self->started_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_run_free);

  return self;
}

TradeoffResult *
tradeoff_result_copy (const TradeoffResult *self)
{
  TradeoffResult *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TradeoffResult, 1);
  copy->scenario = self->scenario ? tradeoff_scenario_copy (self->scenario) : NULL;
  copy->machine = machine_copy (self->machine);
  copy->started_at = g_strdup (self->started_at);
  copy->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_run_free);
  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    g_ptr_array_add (copy->runs, tradeoff_run_copy (g_ptr_array_index (self->runs, i)));
  copy->extra = tradeoff_json_object_copy (self->extra);

  return copy;
}

void
tradeoff_result_free (TradeoffResult *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->scenario, tradeoff_scenario_free);
  g_clear_pointer (&self->machine, tradeoff_machine_free);
  g_free (self->started_at);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}
