/* tradeoff-result-csv.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Results as CSV: one row per run (the summary) or per timeline point.
 * A figure that was not measured is an empty cell. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tradeoff-result-private.h"

static void
append_csv_text (GString    *out,
                 const char *text)
{
  if (text == NULL)
    return;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_number (GString *out,
                   double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (!isfinite (value))
    return;

  if (value == floor (value) && fabs (value) < 1e15)
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.0f", value));
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

char *
tradeoff_result_to_summary_csv (const TradeoffResult *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  g_string_append (out,
                   "engine,kind,completed,errors,timeouts,stalls,throughput_per_s,bytes_per_s,"
                   "latency_mean_us,latency_p50_us,latency_p90_us,latency_p99_us,"
                   "latency_p999_us,latency_max_us,"
                   "uncorrected_mean_us,uncorrected_p50_us,uncorrected_p90_us,"
                   "uncorrected_p99_us,uncorrected_p999_us,uncorrected_max_us,"
                   "peak_rss_bytes,cpu_seconds,cpu_percent_mean,threads_max,"
                   "offered_per_s,achieved_per_s,driver_limited,"
                   "server_cpu_us_per_request,capacity_per_core_per_s,error\n");

  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (self->runs, i);
      const TradeoffRunSummary *s = &run->summary;

      append_csv_text (out, run->engine ? run->engine->label : "");
      g_string_append_c (out, ',');
      if (run->engine != NULL)
        g_string_append (out, tradeoff_engine_kind_to_string (run->engine->kind));
      append_csv_number (out, s->completed);
      append_csv_number (out, s->errors);
      append_csv_number (out, s->timeouts);
      append_csv_number (out, s->stalls);
      append_csv_number (out, s->throughput_per_s);
      append_csv_number (out, s->bytes_per_s);
      for (guint j = 0; j < G_N_ELEMENTS (tradeoff_result_latency_keys); j++)
        append_csv_number (out, *tradeoff_result_latency_field ((TradeoffLatencySummary *)
                                                                &s->latency_us, j));
      for (guint j = 0; j < G_N_ELEMENTS (tradeoff_result_latency_keys); j++)
        append_csv_number (out, *tradeoff_result_latency_field ((TradeoffLatencySummary *)
                                                                &s->latency_uncorrected_us, j));
      append_csv_number (out, s->peak_rss_bytes);
      append_csv_number (out, s->cpu_seconds);
      append_csv_number (out, s->cpu_percent_mean);
      append_csv_number (out, s->threads_max);
      append_csv_number (out, s->offered_per_s);
      append_csv_number (out, s->achieved_per_s);
      g_string_append (out, s->driver_limited ? ",true" : ",false");
      append_csv_number (out, s->server_cpu_us_per_request);
      append_csv_number (out, s->capacity_per_core_per_s);
      g_string_append_c (out, ',');
      append_csv_text (out, run->error);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

char *
tradeoff_result_to_timeline_csv (const TradeoffResult *self)
{
  GString *out = g_string_new ("engine");

  g_return_val_if_fail (self != NULL, NULL);

  for (guint j = 0; j < G_N_ELEMENTS (tradeoff_result_point_fields); j++)
    g_string_append_printf (out, ",%s", tradeoff_result_point_fields[j].name);
  g_string_append_c (out, '\n');

  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (self->runs, i);

      for (guint k = 0; run->timeline != NULL && k < run->timeline->len; k++)
        {
          TradeoffTimelinePoint *point = &g_array_index (run->timeline, TradeoffTimelinePoint, k);

          append_csv_text (out, run->engine ? run->engine->label : "");
          for (guint j = 0; j < G_N_ELEMENTS (tradeoff_result_point_fields); j++)
            append_csv_number (out, G_STRUCT_MEMBER (double, point,
                                                     tradeoff_result_point_fields[j].offset));
          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (out, FALSE);
}
