/* test-result.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-result"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "tradeoff-result.h"

#define WRK2_SAMPLE TEST_DATA_DIR "/wrk2-latency.txt"

static gint64
log_normal (GRand  *rand,
            double  median,
            double  sigma)
{
  double u1 = g_rand_double (rand), u2 = g_rand_double (rand);

  return (gint64) (median * exp (sigma * sqrt (-2 * log (1 - u1)) * cos (2 * G_PI * u2)));
}

static TradeoffResult *
make_result (void)
{
  g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  TradeoffResult *result;
  TradeoffEngineSpec *url_spec;

  url_spec = tradeoff_engine_spec_new (TRADEOFF_ENGINE_URL, "Pool, \"big\"");
  g_ptr_array_add (scenario->engines, url_spec);
  result = tradeoff_result_new (scenario);

  for (guint i = 0; i < scenario->engines->len; i++)
    {
      TradeoffRun *run = tradeoff_run_new (g_ptr_array_index (scenario->engines, i));

      for (guint j = 0; j < 3000; j++)
        {
          gint64 sent = log_normal (rand, 900 * (i + 1), 0.6);

          tradeoff_histogram_record (run->histogram, sent + (gint64) g_rand_int_range (rand, 0, 500));
          tradeoff_histogram_record (run->histogram_uncorrected, sent);
        }
      tradeoff_run_summarize_latency (run);
      run->summary.completed = 3000;
      run->summary.errors = i;
      run->summary.throughput_per_s = 299.5;
      run->summary.offered_per_s = 300;
      run->summary.achieved_per_s = 299.5;
      run->summary.bytes_per_s = 0.1;

      for (guint k = 1; k <= 5; k++)
        {
          TradeoffTimelinePoint point = {
            .t_s = k * 0.1, .completed_per_s = 300 + k, .bytes_per_s = 1e9 / 3, .p50_us = 900,
            .p99_us = 2000 + k, .in_flight = 3, .errors_per_s = 0,
            .rss_bytes = NAN, .cpu_percent = NAN, .threads = NAN, .connections = NAN,
          };

          if (i < 2)
            {
              point.rss_bytes = 10e6 + k;
              point.cpu_percent = 55.5;
              point.threads = 3;
              point.connections = 100;
            }
          g_array_append_val (run->timeline, point);
        }

      if (i < 2)
        {
          run->summary.peak_rss_bytes = 12345678;
          run->summary.cpu_seconds = 1.25;
          run->summary.cpu_percent_mean = 60.5;
          run->summary.threads_max = 17;
          run->summary.server_cpu_us_per_request = 41.7;
          run->summary.capacity_per_core_per_s = 1e6 / 41.7;
        }
      else
        {
          run->note = g_strdup ("server figures are not sampled for a url engine");
          run->error = g_strdup ("could not connect, \"refused\"");
        }

      g_ptr_array_add (result->runs, run);
    }

  result->extra = json_object_new ();
  json_object_set_string_member (result->extra, "x_comment", "kept");

  return result;
}

static void
test_json_round_trip (void)
{
  g_autoptr(TradeoffResult) result = make_result ();
  g_autoptr(TradeoffResult) loaded = NULL;
  g_autoptr(TradeoffResult) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) c = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tradeoff-result-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "result.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *summary, *url_summary, *point;
  TradeoffRun *url_run;
  static const char * const summary_keys[] = {
    "completed", "errors", "timeouts", "stalls", "throughput_per_s", "bytes_per_s", "latency_us",
    "latency_uncorrected_us", "peak_rss_bytes", "cpu_seconds", "cpu_percent_mean", "threads_max",
    "offered_per_s", "achieved_per_s", "driver_limited", "server_cpu_us_per_request",
    "capacity_per_core_per_s", NULL
  };
  static const char * const point_keys[] = {
    "t_s", "completed_per_s", "p99_us", "in_flight", "rss_bytes", "cpu_percent", "threads",
    "p50_us", "bytes_per_s", "errors_per_s", "connections", NULL
  };

  g_assert_nonnull (result->machine);
  g_assert_cmpuint (result->machine->cores, >=, 1);
  g_assert_true (g_str_has_suffix (result->started_at, "Z"));
  g_assert_cmpuint (strlen (result->started_at), ==, strlen ("2026-11-23T18:00:00Z"));

  g_assert_true (tradeoff_result_save_file (result, path, &error));
  g_assert_no_error (error);

  /* The keys FORMATS.md promises, with null for what was not measured. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  parsed = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parsed), "format"), ==,
                   TRADEOFF_RESULT_FORMAT);
  summary = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (parsed),
                                                                 "runs"), 0), "summary");
  for (guint i = 0; summary_keys[i] != NULL; i++)
    g_assert_true (json_object_has_member (summary, summary_keys[i]));
  url_summary = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (parsed),
                                                                 "runs"), 2), "summary");
  g_assert_true (json_object_get_null_member (url_summary, "peak_rss_bytes"));
  g_assert_true (json_object_get_null_member (url_summary, "capacity_per_core_per_s"));
  point = json_array_get_object_element (
    json_object_get_array_member (
      json_array_get_object_element (json_object_get_array_member (json_node_get_object (parsed),
                                                                   "runs"), 2), "timeline"), 0);
  for (guint i = 0; point_keys[i] != NULL; i++)
    g_assert_true (json_object_has_member (point, point_keys[i]));
  g_assert_true (json_object_get_null_member (point, "rss_bytes"));

  loaded = tradeoff_result_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->runs->len, ==, 3);
  url_run = g_ptr_array_index (loaded->runs, 2);
  g_assert_true (isnan (url_run->summary.peak_rss_bytes));
  g_assert_true (isnan (url_run->summary.server_cpu_us_per_request));
  g_assert_true (isnan (g_array_index (url_run->timeline, TradeoffTimelinePoint, 0).rss_bytes));
  g_assert_cmpfloat (g_array_index (url_run->timeline, TradeoffTimelinePoint, 4).p99_us, ==, 2005);
  g_assert_cmpfloat (url_run->summary.bytes_per_s, ==, 0.1);
  g_assert_cmpstr (url_run->error, ==, "could not connect, \"refused\"");
  g_assert_cmpstr (url_run->note, ==, "server figures are not sampled for a url engine");
  g_assert_cmpstr (url_run->engine->label, ==, "Pool, \"big\"");
  g_assert_cmpuint (tradeoff_histogram_get_count (url_run->histogram), ==, 3000);
  {
    TradeoffRun *saved_run = g_ptr_array_index (result->runs, 2);

    g_assert_cmpint (tradeoff_histogram_get_percentile (url_run->histogram, 99), ==,
                     tradeoff_histogram_get_percentile (saved_run->histogram, 99));
  }
  g_assert_cmpstr (loaded->started_at, ==, result->started_at);
  g_assert_cmpstr (loaded->machine->cpu_model, ==, result->machine->cpu_model);

  a = tradeoff_result_to_json (result);
  b = tradeoff_result_to_json (loaded);
  g_assert_true (json_node_equal (a, b));
  copy = tradeoff_result_copy (loaded);
  c = tradeoff_result_to_json (copy);
  g_assert_true (json_node_equal (a, c));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_summarize (void)
{
  g_autoptr(TradeoffEngineSpec) spec = tradeoff_engine_spec_new (TRADEOFF_ENGINE_LOOP, NULL);
  g_autoptr(TradeoffRun) run = tradeoff_run_new (spec);

  tradeoff_run_summarize_latency (run);
  g_assert_true (isnan (run->summary.latency_us.p99));
  g_assert_true (isnan (run->summary.latency_uncorrected_us.mean));
  g_assert_true (isnan (run->summary.peak_rss_bytes));

  for (gint64 v = 1; v <= 1000; v++)
    tradeoff_histogram_record (run->histogram, v);
  tradeoff_histogram_record (run->histogram_uncorrected, 42);
  tradeoff_run_summarize_latency (run);
  g_assert_cmpfloat (run->summary.latency_us.p50, ==, 500);
  g_assert_cmpfloat (run->summary.latency_us.p90, ==, 900);
  g_assert_cmpfloat (run->summary.latency_us.p99, ==, 990);
  g_assert_cmpfloat (run->summary.latency_us.p999, ==, 999);
  g_assert_cmpfloat (run->summary.latency_us.max, ==, 1000);
  g_assert_cmpfloat (run->summary.latency_us.mean, ==, 500.5);
  g_assert_cmpfloat (run->summary.latency_uncorrected_us.max, ==, 42);
}

/* Splits one CSV record (RFC 4180); no line breaks inside fields here. */
static GPtrArray *
split_csv (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line;; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (*p == '"')
            quoted = FALSE;
          else
            {
              g_assert_true (*p != '\0');
              g_string_append_c (field, *p);
            }
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',' || *p == '\0')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (field, *p);
    }

  g_string_free (field, TRUE);
  return fields;
}

static guint
column_of (GPtrArray  *header,
           const char *name)
{
  for (guint i = 0; i < header->len; i++)
    if (g_str_equal (g_ptr_array_index (header, i), name))
      return i;
  g_error ("no column %s", name);
}

static void
test_csv (void)
{
  g_autoptr(TradeoffResult) result = make_result ();
  g_autofree char *csv = tradeoff_result_to_summary_csv (result);
  g_autofree char *timeline = tradeoff_result_to_timeline_csv (result);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_auto(GStrv) timeline_lines = g_strsplit (timeline, "\n", -1);
  g_autoptr(GPtrArray) header = split_csv (lines[0]);
  g_autoptr(GPtrArray) url_row = NULL;
  g_autoptr(GPtrArray) loop_row = NULL;
  g_autoptr(GPtrArray) timeline_header = split_csv (timeline_lines[0]);

  g_assert_true (g_str_has_prefix (lines[0], "engine,kind,completed,errors,timeouts,stalls,"
                                             "throughput_per_s,bytes_per_s,latency_mean_us,"));
  g_assert_cmpuint (g_strv_length (lines), ==, 5); /* header, 3 runs, "" after the last \n */
  g_assert_cmpstr (lines[4], ==, "");

  loop_row = split_csv (lines[1]);
  url_row = split_csv (lines[3]);
  g_assert_cmpuint (loop_row->len, ==, header->len);
  g_assert_cmpuint (url_row->len, ==, header->len);

  /* Quoting: the label has a comma and quotes. */
  g_assert_true (g_str_has_prefix (lines[3], "\"Pool, \"\"big\"\"\",url,3000,2,"));
  g_assert_cmpstr (g_ptr_array_index (url_row, 0), ==, "Pool, \"big\"");
  g_assert_cmpstr (g_ptr_array_index (url_row, column_of (header, "error")), ==,
                   "could not connect, \"refused\"");

  /* Unmeasured: empty; measured: the figure. */
  g_assert_cmpstr (g_ptr_array_index (url_row, column_of (header, "peak_rss_bytes")), ==, "");
  g_assert_cmpstr (g_ptr_array_index (url_row, column_of (header, "capacity_per_core_per_s")), ==, "");
  g_assert_cmpstr (g_ptr_array_index (loop_row, column_of (header, "peak_rss_bytes")), ==, "12345678");
  g_assert_cmpstr (g_ptr_array_index (loop_row, column_of (header, "cpu_seconds")), ==, "1.25");
  g_assert_cmpstr (g_ptr_array_index (loop_row, column_of (header, "throughput_per_s")), ==, "299.5");
  g_assert_cmpstr (g_ptr_array_index (loop_row, column_of (header, "driver_limited")), ==, "false");

  g_assert_cmpstr (timeline_lines[0], ==, "engine,t_s,completed_per_s,bytes_per_s,p50_us,p99_us,"
                                          "in_flight,errors_per_s,rss_bytes,cpu_percent,threads,"
                                          "connections");
  g_assert_cmpuint (g_strv_length (timeline_lines), ==, 1 + 15 + 1);
  for (guint i = 1; i <= 15; i++)
    {
      g_autoptr(GPtrArray) row = split_csv (timeline_lines[i]);

      g_assert_cmpuint (row->len, ==, timeline_header->len);
      if (i > 10)
        {
          g_assert_cmpstr (g_ptr_array_index (row, 0), ==, "Pool, \"big\"");
          g_assert_cmpstr (g_ptr_array_index (row, column_of (timeline_header, "rss_bytes")), ==, "");
        }
    }
}

static char *
write_temp (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
test_hgrm_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(TradeoffEngineSpec) spec = tradeoff_engine_spec_new (TRADEOFF_ENGINE_POOL, NULL);
  g_autoptr(TradeoffRun) run = tradeoff_run_new (spec);
  g_autoptr(TradeoffResult) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hgrm = NULL;
  g_autofree char *again = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tradeoff-hgrm-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_auto(GStrv) lines = NULL;
  TradeoffHistogram *back;
  guint n;

  for (guint i = 0; i < 20000; i++)
    tradeoff_histogram_record (run->histogram, log_normal (rand, 2500, 0.9));

  hgrm = tradeoff_run_to_hgrm (run);
  lines = g_strsplit (hgrm, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpstr (lines[0], ==, "       Value   Percentile   TotalCount 1/(1-Percentile)");
  g_assert_cmpstr (lines[1], ==, "");
  g_assert_true (g_str_has_suffix (lines[2], "     0.000000            1         1.00"));
  g_assert_true (g_str_has_suffix (lines[n - 5], "     1.000000        20000          inf"));
  g_assert_true (g_str_has_prefix (lines[n - 4], "#[Mean    = "));
  g_assert_true (g_str_has_prefix (lines[n - 3], "#[Max     = "));
  g_assert_true (g_str_has_suffix (lines[n - 3], ", Total count    =        20000]"));
  g_assert_cmpstr (lines[n - 2], ==, "#[Buckets =           22, SubBuckets     =         2048]");
  /* Values in milliseconds with three decimals, in twelve columns. */
  g_assert_cmpint (strchr (lines[2], '.') - lines[2], ==, 8);

  path = write_temp (dir, "run.hgrm", hgrm);
  imported = tradeoff_result_import_hgrm (path, "Elsewhere", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->runs->len, ==, 1);
  back = ((TradeoffRun *) g_ptr_array_index (imported->runs, 0))->histogram;
  g_assert_cmpuint (tradeoff_histogram_get_count (back), ==, 20000);
  g_assert_cmpint (tradeoff_histogram_get_max (back), ==, tradeoff_histogram_get_max (run->histogram));

  /* The percentiles the table lists come back exactly; others to within
   * the distance between two rows. */
  for (double p = 0; p <= 90; p += 10)
    g_assert_cmpint (tradeoff_histogram_get_percentile (back, p), ==,
                     tradeoff_histogram_get_percentile (run->histogram, p));
  g_assert_cmpint (tradeoff_histogram_get_percentile (back, 75), ==,
                   tradeoff_histogram_get_percentile (run->histogram, 75));
  for (double p = 90; p <= 99.9; p += 0.3)
    {
      /* Rows are 100 / (5 * 2^(halvings + 1)) percent apart. */
      double step = 100.0 / (5 * pow (2, floor (log2 (100.0 / (100.0 - p))) + 1));
      double want = tradeoff_histogram_get_percentile (run->histogram, p);
      double next_row = tradeoff_histogram_get_percentile (run->histogram, MIN (100, p + step));
      double got = tradeoff_histogram_get_percentile (back, p);

      g_assert_cmpfloat (got, >=, want);
      g_assert_cmpfloat (got, <=, next_row);
    }

  /* And the table itself survives the trip unchanged. */
  again = tradeoff_run_to_hgrm (g_ptr_array_index (imported->runs, 0));
  g_assert_cmpstr (strstr (again, "#[Mean") - again + again, !=, NULL);
  {
    gsize table_length = strstr (hgrm, "#[Mean") - hgrm;

    g_assert_cmpint (strncmp (hgrm, again, table_length), ==, 0);
  }

  g_unlink (path);
  g_rmdir (dir);
}

/* The percentile lines wrk2 prints above its table: " 99.000%    3.08ms". */
static double
wrk2_summary_ms (const char *contents,
                 const char *percent)
{
  const char *line = strstr (contents, percent);
  double value;
  char *end;

  g_assert_nonnull (line);
  value = g_ascii_strtod (line + strlen (percent), &end);
  if (g_str_has_prefix (end, "us"))
    return value / 1000;
  if (g_str_has_prefix (end, "s"))
    return value * 1000;
  return value;
}

/* The value of the first row of the first table whose percentile is at
 * least @percentile. */
static double
row_at_or_above (const char *contents,
                 double      percentile)
{
  const char *table = strstr (contents, "1/(1-Percentile)");
  g_auto(GStrv) lines = g_strsplit (table, "\n", -1);

  for (guint i = 2; lines[i] != NULL && lines[i][0] != '#'; i++)
    {
      char *end;
      double value = g_ascii_strtod (lines[i], &end);
      double fraction = g_ascii_strtod (end, NULL);

      if (fraction * 100 >= percentile - 1e-9)
        return value;
    }
  g_assert_not_reached ();
}

static void
test_import_wrk2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffResult) result = tradeoff_result_import_hgrm (WRK2_SAMPLE, "wrk2 on nginx", &error);
  g_autofree char *contents = NULL;
  g_autofree char *hgrm = NULL;
  const char *table, *table_end;
  const char *percents[] = { " 50.000%", " 75.000%", " 90.000%", " 99.000%", " 99.900%",
                             " 99.990%", " 99.999%", "100.000%" };
  const double values[] = { 50, 75, 90, 99, 99.9, 99.99, 99.999, 100 };
  TradeoffRun *run;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (WRK2_SAMPLE, &contents, NULL, NULL));
  g_assert_cmpuint (result->runs->len, ==, 1);
  run = g_ptr_array_index (result->runs, 0);
  g_assert_cmpstr (run->engine->label, ==, "wrk2 on nginx");
  g_assert_cmpint (run->engine->kind, ==, TRADEOFF_ENGINE_URL);
  g_assert_cmpstr (run->engine->url, ==, "http://127.0.0.1:8080/index.html");
  g_assert_cmpstr (result->scenario->name, ==, "wrk2 on nginx");
  g_assert_cmpfloat (result->scenario->workload.duration_s, ==, 30);
  g_assert_cmpfloat (result->scenario->workload.rate_per_s, ==, 1999.40);
  g_assert_cmpuint (result->scenario->workload.connections, ==, 100);
  /* The mean is the footer's, computed by wrk2 from every value. */
  g_assert_cmpfloat (run->summary.latency_us.mean, ==, 1207);
  g_assert_cmpfloat (run->summary.latency_uncorrected_us.mean, ==, 874);
  g_assert_true (tradeoff_scenario_validate (result->scenario, NULL));
  g_assert_cmpuint (tradeoff_histogram_get_count (run->histogram), ==, 59982);
  g_assert_cmpuint (tradeoff_histogram_get_count (run->histogram_uncorrected), ==, 59982);
  g_assert_cmpuint (run->summary.completed, ==, 59982);
  g_assert_cmpfloat (run->summary.throughput_per_s, ==, 1999.40);
  g_assert_true (isnan (run->summary.peak_rss_bytes));
  /* Corrected latency includes the wait for the intended start. */
  g_assert_cmpfloat (run->summary.latency_uncorrected_us.p50, <, run->summary.latency_us.p50);

  /* wrk2's own summary lines, which it computed from the full histogram. */
  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    {
      double want = wrk2_summary_ms (contents, percents[i]) * 1000;
      double got = tradeoff_histogram_get_percentile (run->histogram, values[i]);

      g_test_message ("p%g: wrk2 %g, imported %g", values[i], want, got);
      /* wrk2 rounds to 10 us; between two rows of the table the imported
       * value is that of the row at or above the percentile. */
      g_assert_cmpfloat (got, >=, want - 5 - want * 0.005);
      g_assert_cmpfloat (got, <=, row_at_or_above (contents, values[i]) * 1000 + 0.5);
    }
  g_assert_cmpfloat (run->summary.latency_us.max, ==, 133247);

  /* Exported again, the table is the one wrk2 printed, row for row. */
  hgrm = tradeoff_run_to_hgrm (run);
  table = strstr (contents, "       Value   Percentile");
  table_end = strstr (table, "#[Mean");
  g_assert_cmpint (strncmp (hgrm, table, table_end - table), ==, 0);
}

static void
test_import_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tradeoff-hgrm-XXXXXX", NULL);
  g_autofree char *no_table = write_temp (dir, "notes.txt", "Requests/sec: 12\nnothing else\n");
  g_autofree char *decreasing = write_temp (dir, "down.hgrm",
                                            "       Value   Percentile   TotalCount 1/(1-Percentile)\n\n"
                                            "       1.000     0.000000           10         1.00\n"
                                            "       2.000     0.500000            5         2.00\n");

  g_assert_null (tradeoff_result_import_hgrm ("/nonexistent/run.hgrm", "x", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_null (tradeoff_result_import_hgrm (no_table, "x", &error));
  g_assert_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "no percentile distribution"));
  g_clear_error (&error);

  g_assert_null (tradeoff_result_import_hgrm (decreasing, "x", &error));
  g_assert_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 4"));
  g_clear_error (&error);

  g_unlink (no_table);
  g_unlink (decreasing);
  g_rmdir (dir);
}

static void
test_load_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tradeoff-result-XXXXXX", NULL);
  g_autofree char *broken = write_temp (dir, "broken.json", "{ \"format\": ");
  g_autofree char *other = write_temp (dir, "other.json", "{ \"format\": \"tradeoff-scenario/1\" }");
  g_autofree char *bad_run = write_temp (dir, "bad-run.json", "");
  g_autoptr(TradeoffResult) result = make_result ();
  g_autoptr(JsonNode) node = tradeoff_result_to_json (result);
  JsonObject *summary;
  g_autofree char *text = NULL;

  g_assert_null (tradeoff_result_load_file (broken, &error));
  g_assert_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_null (tradeoff_result_load_file (other, &error));
  g_assert_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_FORMAT);
  g_clear_error (&error);

  summary = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "runs"),
                                   1), "summary");
  json_object_set_string_member (summary, "cpu_seconds", "lots");
  text = json_to_string (node, FALSE);
  g_assert_true (g_file_set_contents (bad_run, text, -1, NULL));
  g_assert_null (tradeoff_result_load_file (bad_run, &error));
  g_assert_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "runs[1].summary.cpu_seconds: must be a number or null");

  g_unlink (broken);
  g_unlink (other);
  g_unlink (bad_run);
  g_rmdir (dir);
}

static void
run_cli (const char * const *args,
         int                *status,
         char              **out,
         char              **err)
{
  const char *cli = g_getenv ("TRADEOFF_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, status, &error));
  g_assert_no_error (error);
}

static void
test_cli_import (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *output = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *not_hgrm = NULL;

  if (g_getenv ("TRADEOFF_CLI") == NULL)
    {
      g_test_skip ("TRADEOFF_CLI is not set");
      return;
    }

  dir = g_dir_make_tmp ("tradeoff-import-XXXXXX", NULL);
  output = g_build_filename (dir, "result.json", NULL);
  not_hgrm = write_temp (dir, "notes.txt", "hello\n");

  {
    const char *args[] = { "import", WRK2_SAMPLE, "--label", "wrk2", "--output", output, NULL };
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(TradeoffResult) result = NULL;
    g_autoptr(GError) error = NULL;
    int status;

    run_cli (args, &status, &out, &err);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    g_assert_cmpstr (err, ==, "");
    result = tradeoff_result_load_file (output, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((TradeoffRun *) g_ptr_array_index (result->runs, 0))->engine->label, ==, "wrk2");
  }

  g_assert_true (g_file_get_contents (output, &kept, NULL, NULL));

  {
    const char *bad[][8] = {
      { "import", not_hgrm, "--label", "x", "--output", output, NULL },
      { "import", "/nonexistent.hgrm", "--label", "x", "--output", output, NULL },
      { "import", WRK2_SAMPLE, "--output", output, NULL },
      { "import", WRK2_SAMPLE, "--label", "x", NULL },
      { "import", "--label", "x", "--output", output, NULL },
      { "import", WRK2_SAMPLE, "--label", "x", "--output", output, "--bogus", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *out = NULL, *err = NULL, *after = NULL;
        int status;

        run_cli (bad[i], &status, &out, &err);
        g_assert_true (WIFEXITED (status));
        g_assert_cmpint (WEXITSTATUS (status), ==, 2);
        /* One line on stderr, and the earlier output untouched. */
        g_assert_true (g_str_has_prefix (err, "tradeoff-cli"));
        g_assert_nonnull (strchr (err, '\n'));
        g_assert_cmpstr (strchr (err, '\n') + 1, ==, "");
        g_assert_true (g_file_get_contents (output, &after, NULL, NULL));
        g_assert_cmpstr (after, ==, kept);
      }
  }

  g_unlink (not_hgrm);
  g_unlink (output);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/result/json-round-trip", test_json_round_trip);
  g_test_add_func ("/result/summarize", test_summarize);
  g_test_add_func ("/result/csv", test_csv);
  g_test_add_func ("/result/hgrm-round-trip", test_hgrm_round_trip);
  g_test_add_func ("/result/import-wrk2", test_import_wrk2);
  g_test_add_func ("/result/import-errors", test_import_errors);
  g_test_add_func ("/result/load-errors", test_load_errors);
  g_test_add_func ("/result/cli-import", test_cli_import);

  return g_test_run ();
}
