/* tradeoff-result-hgrm.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Percentile distributions in the `.hgrm` text HdrHistogram and wrk2
 * print: written from a run's histogram, and imported from a file as a
 * result of one run. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tradeoff-result-private.h"

/* The percentile iteration of HdrHistogram's outputPercentileDistribution
 * (and hdr_percentiles_print, which wrk2 calls): ticks start at 0% and
 * each halving of the distance to 100% gets @ticks_per_half_distance more;
 * a bucket prints one line per tick it covers; the last bucket prints its
 * first tick, then a final 100% line. */
static void
append_hgrm_line (GString *out,
                  int      value_decimals,
                  gint64   value_us,
                  double   percentile,
                  guint64  total_count)
{
  char value[G_ASCII_DTOSTR_BUF_SIZE];
  char format[16];
  double fraction = percentile / 100.0;

  g_snprintf (format, sizeof format, "%%.%df", value_decimals);
  g_ascii_formatd (value, sizeof value, format, (double) value_us / 1000.0);
  g_string_append_printf (out, "%12s %12.6f %12" G_GUINT64_FORMAT " %12.2f\n",
                          value, fraction, total_count, 1.0 / (1.0 - fraction));
}

static double
next_tick (double tick,
           guint  ticks_per_half_distance)
{
  gint64 halvings = (gint64) (log (100.0 / (100.0 - tick)) / log (2)) + 1;
  double half_distance = pow (2, (double) halvings);

  return tick + 100.0 / ((double) ticks_per_half_distance * half_distance);
}

static char *
histogram_to_hgrm (const TradeoffHistogram *histogram)
{
  GString *out = g_string_new (NULL);
  guint64 total = tradeoff_histogram_get_count (histogram);
  int decimals = (int) tradeoff_histogram_get_significant_digits (histogram);
  TradeoffHistogramIter iter;
  guint64 cumulative = 0;
  gint64 value = 0;
  guint64 count;
  double tick = 0;

  g_string_append_printf (out, "%12s %12s %12s %12s\n\n",
                          "Value", "Percentile", "TotalCount", "1/(1-Percentile)");

  tradeoff_histogram_iter_init (&iter, histogram);
  while (total > 0 && tradeoff_histogram_iter_next (&iter, &value, &count))
    {
      double current;

      cumulative += count;
      current = 100.0 * (double) cumulative / (double) total;

      while (tick <= current)
        {
          append_hgrm_line (out, decimals, value, tick, cumulative);
          tick = next_tick (tick, 5);
          if (cumulative == total)
            break;
        }
    }
  if (total > 0)
    append_hgrm_line (out, decimals, value, 100.0, total);

  {
    char mean[G_ASCII_DTOSTR_BUF_SIZE], stddev[G_ASCII_DTOSTR_BUF_SIZE];
    char max[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd (mean, sizeof mean, "%.3f", tradeoff_histogram_get_mean (histogram) / 1000.0);
    g_ascii_formatd (stddev, sizeof stddev, "%.3f",
                     tradeoff_histogram_get_stddev (histogram) / 1000.0);
    g_ascii_formatd (max, sizeof max, "%.3f",
                     (double) tradeoff_histogram_get_max (histogram) / 1000.0);
    g_string_append_printf (out,
                            "#[Mean    = %12s, StdDeviation   = %12s]\n"
                            "#[Max     = %12s, Total count    = %12" G_GUINT64_FORMAT "]\n"
                            "#[Buckets = %12u, SubBuckets     = %12u]\n",
                            mean, stddev, max, total,
                            tradeoff_histogram_get_bucket_count (histogram),
                            tradeoff_histogram_get_sub_bucket_count (histogram));
  }

  return g_string_free (out, FALSE);
}

char *
tradeoff_run_to_hgrm (const TradeoffRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->histogram != NULL, NULL);

  return histogram_to_hgrm (self->histogram);
}

typedef struct
{
  TradeoffHistogram *histogram;
  gboolean           uncorrected;
  guint              lines;
  double             mean_us;      /* from the footer; NAN if none */
} HgrmTable;

static void
hgrm_table_free (HgrmTable *table)
{
  tradeoff_histogram_free (table->histogram);
  g_free (table);
}

/* "1.234 0.500000 5000 2.00" (or the CSV form "1.234,0.500000,5000,2.00"). */
static gboolean
parse_hgrm_row (const char *line,
                double     *value_ms,
                double     *fraction,
                guint64    *total_count)
{
  g_auto(GStrv) tokens = g_strsplit_set (line, " \t,", -1);
  const char *fields[4];
  guint n = 0;
  char *end;

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      if (*tokens[i] == '\0')
        continue;
      if (n == 4)
        return FALSE;
      fields[n++] = tokens[i];
    }
  if (n != 4)
    return FALSE;

  errno = 0;
  *value_ms = g_ascii_strtod (fields[0], &end);
  if (*end != '\0' || errno != 0 || !(*value_ms >= 0))
    return FALSE;
  *fraction = g_ascii_strtod (fields[1], &end);
  if (*end != '\0' || !(*fraction >= 0 && *fraction <= 1))
    return FALSE;
  *total_count = g_ascii_strtoull (fields[2], &end, 10);
  if (*end != '\0' || errno != 0 || end == fields[2])
    return FALSE;
  if (!g_str_equal (fields[3], "inf") && !g_str_equal (fields[3], "Infinity"))
    {
      g_ascii_strtod (fields[3], &end);
      if (*end != '\0')
        return FALSE;
    }

  return TRUE;
}

static GPtrArray *
parse_hgrm (const char  *contents,
            const char  *path,
            GError     **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) hgrm_table_free);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  const char *basename = path;
  HgrmTable *table = NULL;
  gboolean next_uncorrected = FALSE;
  guint64 previous_total = 0;
  int significant_digits = 3;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      double value_ms, fraction;
      guint64 total_count;

      if (strstr (line, "Latency Distribution") != NULL)
        next_uncorrected = strstr (line, "Uncorrected") != NULL;

      if (strstr (line, "Value") != NULL && strstr (line, "Percentile") != NULL
          && strstr (line, "TotalCount") != NULL)
        {
          table = g_new0 (HgrmTable, 1);
          table->uncorrected = next_uncorrected;
          table->histogram = tradeoff_histogram_new (3);
          table->mean_us = NAN;
          g_ptr_array_add (tables, table);
          previous_total = 0;
          continue;
        }

      if (table == NULL)
        continue;

      if (*line == '\0')
        continue;

      if (g_str_has_prefix (line, "#[Buckets"))
        {
          const char *sub = strstr (line, "SubBuckets");
          guint64 sub_buckets = 0;

          if (sub != NULL)
            sub_buckets = g_ascii_strtoull (sub + strcspn (sub, "0123456789"), NULL, 10);

          /* SubBuckets = 2^ceil(log2(2 * 10^digits)): 32, 256, 2048, 32768. */
          significant_digits = sub_buckets <= 32 ? 1 : sub_buckets <= 256 ? 2 :
                               sub_buckets <= 2048 ? 3 : 4;
          if (tradeoff_histogram_get_significant_digits (table->histogram)
              != (guint) significant_digits)
            {
              TradeoffHistogram *rebucketed = tradeoff_histogram_new (significant_digits);

              tradeoff_histogram_merge (rebucketed, table->histogram);
              tradeoff_histogram_free (table->histogram);
              table->histogram = rebucketed;
            }
          table = NULL;
          continue;
        }

      if (g_str_has_prefix (line, "#[Mean"))
        {
          const char *equals = strchr (line, '=');
          char *end;
          double mean_ms = equals ? g_ascii_strtod (equals + 1, &end) : NAN;

          if (equals != NULL && end != equals + 1 && mean_ms >= 0)
            table->mean_us = mean_ms * 1000.0;
          continue;
        }

      if (*line == '#')
        continue;

      if (!parse_hgrm_row (line, &value_ms, &fraction, &total_count))
        {
          /* The table ends at the first line that is not a row. */
          table = NULL;
          continue;
        }

      if (total_count < previous_total)
        {
          g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_INVALID,
                       _("%s, line %u: the total count goes down, from %" PRIu64 " to %" PRIu64), basename, i + 1, previous_total, total_count);
          return NULL;
        }

      /* Each row's value is the highest of the bucket its percentile fell
       * in; the counts between rows all lie at or below it. */
      tradeoff_histogram_record_n (table->histogram, (gint64) llround (value_ms * 1000.0),
                                   total_count - previous_total);
      previous_total = total_count;
      table->lines++;
    }

  for (guint i = 0; i < tables->len; i++)
    {
      HgrmTable *t = g_ptr_array_index (tables, i);

      if (t->lines == 0)
        g_ptr_array_remove_index (tables, i--);
    }

  if (tables->len == 0)
    {
      g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_PARSE,
                   _("%s: no percentile distribution found (a table headed “Value Percentile "
                     "TotalCount 1/(1-Percentile)”, as wrk2 --latency prints)"), basename);
      return NULL;
    }

  return g_steal_pointer (&tables);
}

static double
parse_wrk2_figure (const char *contents,
                   const char *label)
{
  const char *found = strstr (contents, label);
  const char *p;
  double value;
  char *end;

  if (found == NULL)
    return NAN;

  p = found + strlen (label);
  while (*p == ' ' || *p == '\t')
    p++;
  value = g_ascii_strtod (p, &end);
  if (end == p)
    return NAN;

  return value;
}

static char *
parse_wrk2_url (const char *contents)
{
  const char *found = strstr (contents, " test @ ");
  const char *start;
  gsize length;

  if (found == NULL)
    return NULL;

  start = found + strlen (" test @ ");
  length = strcspn (start, " \t\r\n");

  return g_strndup (start, length);
}

TradeoffResult *
tradeoff_result_import_hgrm (const char  *path,
                             const char  *label,
                             GError     **error)
{
  g_autoptr(TradeoffScenario) scenario = NULL;
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(TradeoffEngineSpec) engine = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *url = NULL;
  g_autofree char *basename = NULL;
  TradeoffRun *run;
  gsize length;
  double seconds, rate, connections;
  double mean = NAN, uncorrected_mean = NAN;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  if (*label == '\0')
    {
      g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_INVALID,
                   "label: %s", _("must not be empty"));
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (!g_utf8_validate (contents, length, NULL) || memchr (contents, '\0', length) != NULL)
    {
      g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_PARSE,
                   _("%s: not a text file"), path);
      return NULL;
    }

  if (!(tables = parse_hgrm (contents, path, error)))
    return NULL;

  /* The run came from elsewhere: name the server wrk2 loaded if it says,
   * else an address that cannot resolve, so nobody loads it by mistake. */
  url = parse_wrk2_url (contents);
  engine = tradeoff_engine_spec_new (TRADEOFF_ENGINE_URL, label);
  if (url != NULL && g_str_has_prefix (url, "http://"))
    {
      g_free (engine->url);
      engine->url = g_steal_pointer (&url);
    }
  else
    {
      g_free (engine->url);
      engine->url = g_strdup ("http://imported.invalid/");
    }
  if (tradeoff_engine_spec_check (engine, NULL) != NULL)
    {
      g_free (engine->url);
      engine->url = g_strdup ("http://imported.invalid/");
    }
  basename = g_path_get_basename (path);
  engine->extra = json_object_new ();
  json_object_set_string_member (engine->extra, "imported_from", basename);

  scenario = tradeoff_scenario_new ();
  g_free (scenario->name);
  scenario->name = g_strdup (label);
  g_ptr_array_set_size (scenario->engines, 0);
  g_ptr_array_add (scenario->engines, tradeoff_engine_spec_copy (engine));

  /* What wrk2 says of its load; the rest of the workload is unknown. */
  seconds = parse_wrk2_figure (contents, "requests in ");
  if (seconds > 0 && seconds <= 3600)
    scenario->workload.duration_s = seconds;
  rate = parse_wrk2_figure (contents, "Requests/sec:");
  if (rate > 0 && rate <= 1000000)
    scenario->workload.rate_per_s = rate;
  connections = parse_wrk2_figure (contents, "threads and ");
  if (connections >= 1 && connections <= 100000)
    scenario->workload.connections = (guint) connections;

  result = tradeoff_result_new (scenario);
  /* Measured elsewhere: this machine says nothing about it. */
  result->machine->cores = 0;
  g_free (result->machine->cpu_model);
  result->machine->cpu_model = g_strdup ("unknown");
  g_free (result->machine->kernel);
  result->machine->kernel = g_strdup ("unknown");
  result->machine->memory_bytes = 0;

  run = tradeoff_run_new (engine);
  for (guint i = 0; i < tables->len; i++)
    {
      HgrmTable *table = g_ptr_array_index (tables, i);
      TradeoffHistogram **slot = table->uncorrected ? &run->histogram_uncorrected : &run->histogram;

      if (tradeoff_histogram_get_count (*slot) == 0)
        {
          tradeoff_histogram_free (*slot);
          *slot = g_steal_pointer (&table->histogram);
          if (table->uncorrected)
            uncorrected_mean = table->mean_us;
          else
            mean = table->mean_us;
        }
    }

  tradeoff_run_summarize_latency (run);
  /* The table keeps only its rows; the footer's mean came from every value. */
  if (!isnan (mean) && tradeoff_histogram_get_count (run->histogram) > 0)
    run->summary.latency_us.mean = mean;
  if (!isnan (uncorrected_mean) && tradeoff_histogram_get_count (run->histogram_uncorrected) > 0)
    run->summary.latency_uncorrected_us.mean = uncorrected_mean;
  run->summary.completed = tradeoff_histogram_get_count (run->histogram);
  run->summary.throughput_per_s = rate >= 0 ? rate : NAN;
  run->summary.achieved_per_s = run->summary.throughput_per_s;
  run->summary.offered_per_s = NAN;
  run->summary.bytes_per_s = NAN;
  run->note = g_strdup_printf (_("Imported from %s"), basename);
  g_ptr_array_add (result->runs, run);

  return g_steal_pointer (&result);
}
