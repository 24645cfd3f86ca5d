/* tradeoff-result.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tradeoff-histogram.h"
#include "tradeoff-machine.h"
#include "tradeoff-scenario.h"

G_BEGIN_DECLS

/* The result model (format `tradeoff-result/1`, see FORMATS.md): one run per
 * engine of the scenario, each with a summary, the latency histograms and a
 * timeline. Figures that could not be measured (server-side figures of a
 * `url` engine) are NAN here and `null` in JSON, never 0. */

#define TRADEOFF_RESULT_FORMAT "tradeoff-result/1"

#define TRADEOFF_RESULT_ERROR (tradeoff_result_error_quark ())

typedef enum
{
  TRADEOFF_RESULT_ERROR_PARSE,
  TRADEOFF_RESULT_ERROR_FORMAT,
  TRADEOFF_RESULT_ERROR_INVALID,
} TradeoffResultError;

typedef struct
{
  double mean;
  double p50;
  double p90;
  double p99;
  double p999;
  double max;
} TradeoffLatencySummary;

typedef struct
{
  guint64                completed;        /* requests, deliveries (chat) or chunks (streaming) */
  guint64                errors;
  guint64                timeouts;
  guint64                stalls;           /* streaming: chunks more than 1 s late */
  double                 throughput_per_s; /* completed per second of the measured window */
  double                 bytes_per_s;
  TradeoffLatencySummary latency_us;             /* from the intended start */
  TradeoffLatencySummary latency_uncorrected_us; /* from the actual send */
  double                 peak_rss_bytes;         /* NAN when not sampled */
  double                 cpu_seconds;            /* NAN when not sampled */
  double                 cpu_percent_mean;       /* NAN when not sampled */
  double                 threads_max;            /* NAN when not sampled */
  double                 offered_per_s;
  double                 achieved_per_s;
  gboolean               driver_limited;
  double                 server_cpu_us_per_request; /* NAN when not sampled */
  double                 capacity_per_core_per_s;   /* NAN when not sampled */
} TradeoffRunSummary;

typedef struct
{
  double t_s;              /* end of the interval, seconds since the measured window began */
  double completed_per_s;
  double bytes_per_s;
  double p50_us;           /* exact, from the interval's own histogram */
  double p99_us;
  double in_flight;
  double errors_per_s;
  double rss_bytes;        /* NAN when not sampled */
  double cpu_percent;      /* NAN when not sampled */
  double threads;          /* NAN when not sampled */
  double connections;      /* open sockets of the engine; NAN when not sampled */
} TradeoffTimelinePoint;

typedef struct
{
  TradeoffEngineSpec *engine;
  TradeoffRunSummary  summary;
  TradeoffHistogram  *histogram;              /* from the intended start */
  TradeoffHistogram  *histogram_uncorrected;  /* from the actual send */
  GArray             *timeline;               /* TradeoffTimelinePoint */
  char               *error;                  /* why this engine's run failed, or NULL */
  char               *note;                   /* e.g. "the driver was the limit", or NULL */
  JsonObject         *extra;                  /* unknown keys (nullable) */
} TradeoffRun;

typedef struct
{
  TradeoffScenario *scenario;
  TradeoffMachine  *machine;
  char             *started_at;  /* ISO 8601, UTC */
  GPtrArray        *runs;        /* TradeoffRun* */
  JsonObject       *extra;       /* unknown keys (nullable) */
} TradeoffResult;

GQuark          tradeoff_result_error_quark   (void);

void            tradeoff_run_summary_init     (TradeoffRunSummary    *summary);
/* Fills latency_us / latency_uncorrected_us from the run's histograms. */
void            tradeoff_run_summarize_latency (TradeoffRun          *self);

TradeoffRun    *tradeoff_run_new              (const TradeoffEngineSpec *engine);
TradeoffRun    *tradeoff_run_copy             (const TradeoffRun     *self);
void            tradeoff_run_free             (TradeoffRun           *self);
JsonNode       *tradeoff_run_to_json          (const TradeoffRun     *self);
TradeoffRun    *tradeoff_run_from_json        (JsonNode              *node,
                                               GError               **error);

/* A new result for @scenario (copied), on this machine, started now. */
TradeoffResult *tradeoff_result_new           (const TradeoffScenario *scenario);
TradeoffResult *tradeoff_result_copy          (const TradeoffResult  *self);
void            tradeoff_result_free          (TradeoffResult        *self);

TradeoffResult *tradeoff_result_load_file     (const char            *path,
                                               GError               **error);
TradeoffResult *tradeoff_result_from_json     (JsonNode              *node,
                                               GError               **error);
JsonNode       *tradeoff_result_to_json       (const TradeoffResult  *self);
/* Atomic: a failed save leaves the old file as it was. */
gboolean        tradeoff_result_save_file     (const TradeoffResult  *self,
                                               const char            *path,
                                               GError               **error);

/* CSV: one header line, then one line per run with the summary figures
 * (empty cells for unmeasured figures). */
char           *tradeoff_result_to_summary_csv (const TradeoffResult *self);
/* CSV: one header line, then one line per timeline point of every run. */
char           *tradeoff_result_to_timeline_csv (const TradeoffResult *self);

/* The percentile distribution of one run, as wrk2 prints it (and
 * HdrHistogram's plotters read): "Value Percentile TotalCount 1/(1-Percentile)"
 * with values in milliseconds. */
char           *tradeoff_run_to_hgrm          (const TradeoffRun     *self);
/* A run measured elsewhere (wrk2 --latency -U, HdrHistogram), as a result
 * with one run labelled @label. */
TradeoffResult *tradeoff_result_import_hgrm   (const char            *path,
                                               const char            *label,
                                               GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffRun, tradeoff_run_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffResult, tradeoff_result_free)

G_END_DECLS
