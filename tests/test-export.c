/* test-export.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `tradeoff-cli export` on a result file made here: charts in each format,
 * the data writers, and bad arguments. */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tradeoff-chart.h"
#include "tradeoff-test-cli.h"
#include "data/chart-fixtures.h"

typedef struct
{
  char *dir;
  char *result_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_new ();
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(GPtrArray) runs = chart_fixture_runs (120);

  fixture->dir = g_dir_make_tmp ("test-export-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->result_path = g_build_filename (fixture->dir, "result.json", NULL);

  result = tradeoff_result_new (scenario);
  g_ptr_array_set_size (result->runs, 0);
  for (guint i = 0; i < runs->len; i++)
    g_ptr_array_add (result->runs, tradeoff_run_copy (g_ptr_array_index (runs, i)));
  g_assert_true (tradeoff_result_save_file (result, fixture->result_path, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->result_path);
}

static void
assert_one_line (const char *text)
{
  g_assert_nonnull (text);
  g_assert_cmpuint (strlen (text), >, 1);
  g_assert_true (g_str_has_suffix (text, "\n"));
  g_assert_cmpint (strchr (text, '\n') - text, ==, (int) strlen (text) - 1);
}

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

static void
test_export_charts (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const char * const charts[] = { "latency", "throughput", "resources", "summary" };

  for (guint c = 0; c < G_N_ELEMENTS (charts); c++)
    {
      g_autofree char *png = g_strdup_printf ("%s/%s.png", fixture->dir, charts[c]);
      g_autofree char *svg = g_strdup_printf ("%s/%s.svg", fixture->dir, charts[c]);
      g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", fixture->dir, charts[c]);
      const char *png_args[] = { "export", fixture->result_path, "--chart", charts[c], "--format", "png",
                                 "--output", png, "--size", "640x400", NULL };
      const char *svg_args[] = { "export", fixture->result_path, "--chart", charts[c], "--format", "svg",
                                 "--output", svg, "--dark", NULL };
      const char *pdf_args[] = { "export", fixture->result_path, "--chart", charts[c], "--format", "pdf",
                                 "--output", pdf, NULL };
      g_autofree char *out = NULL, *err = NULL;
      g_autofree char *contents = NULL;
      cairo_surface_t *image;
      gsize length;

      g_assert_cmpint (tradeoff_test_run_cli (png_args, &out, &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
      contents = read_file (png, &length);
      g_assert_true (length > 8 && memcmp (contents, "\x89PNG\r\n\x1a\n", 8) == 0);
      g_assert_cmpuint (length, >, 5000);
      image = cairo_image_surface_create_from_png (png);
      g_assert_cmpint (cairo_image_surface_get_width (image), ==, 640);
      g_assert_cmpint (cairo_image_surface_get_height (image), ==, 400);
      cairo_surface_destroy (image);
      g_clear_pointer (&contents, g_free);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      g_assert_cmpint (tradeoff_test_run_cli (svg_args, &out, &err), ==, 0);
      contents = read_file (svg, &length);
      g_assert_nonnull (strstr (contents, "<svg"));
      g_assert_nonnull (strstr (contents, "width=\"1200"));
      g_assert_nonnull (strstr (contents, "height=\"800"));
      g_assert_cmpuint (length, >, 5000);
      g_clear_pointer (&contents, g_free);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      g_assert_cmpint (tradeoff_test_run_cli (pdf_args, &out, &err), ==, 0);
      contents = read_file (pdf, &length);
      g_assert_true (g_str_has_prefix (contents, "%PDF-"));
      g_assert_cmpuint (length, >, 5000);
    }
}

static void
test_export_same_renderer (Fixture       *fixture,
                           gconstpointer  user_data)
{
  /* What is exported is what the renderer draws: the same pixels. */
  g_autofree char *png = g_build_filename (fixture->dir, "summary.png", NULL);
  const char *args[] = { "export", fixture->result_path, "--chart", "summary", "--format", "png",
                         "--output", png, "--size", "500x300", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffResult) result = tradeoff_result_load_file (fixture->result_path, &error);
  g_autoptr(TradeoffChart) chart = NULL;
  g_autofree char *direct = g_build_filename (fixture->dir, "direct.png", NULL);
  g_autofree char *a = NULL, *b = NULL;
  gsize la, lb;

  g_assert_no_error (error);
  chart = tradeoff_chart_new_for_result (TRADEOFF_CHART_SUMMARY, result);
  g_assert_true (tradeoff_chart_save (chart, direct, TRADEOFF_CHART_FORMAT_PNG, 500, 300, FALSE, &error));
  g_assert_cmpint (tradeoff_test_run_cli (args, NULL, NULL), ==, 0);
  a = read_file (png, &la);
  b = read_file (direct, &lb);
  g_assert_cmpmem (a, la, b, lb);
}

static void
test_export_data (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *csv = g_build_filename (fixture->dir, "summary.csv", NULL);
  g_autofree char *timeline = g_build_filename (fixture->dir, "timeline.csv", NULL);
  g_autofree char *hgrm = g_build_filename (fixture->dir, "pool.hgrm", NULL);
  g_autofree char *json = g_build_filename (fixture->dir, "again.json", NULL);
  const char *csv_args[] = { "export", fixture->result_path, "--format", "csv", "--output", csv, NULL };
  const char *timeline_args[] = { "export", fixture->result_path, "--format", "csv", "--timeline",
                                  "--output", timeline, NULL };
  const char *hgrm_args[] = { "export", fixture->result_path, "--format", "hgrm", "--engine", "Thread pool",
                              "--output", hgrm, NULL };
  const char *json_args[] = { "export", fixture->result_path, "--format", "json", "--output", json, NULL };
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffResult) again = NULL;
  gsize length;

  g_assert_cmpint (tradeoff_test_run_cli (csv_args, NULL, NULL), ==, 0);
  contents = read_file (csv, &length);
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  /* A header line, then one line per run */
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_nonnull (strchr (lines[0], ','));
  g_assert_null (strstr (lines[0], "Event loop"));
  g_assert_nonnull (strstr (lines[1], "Event loop"));
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&lines, g_strfreev);

  g_assert_cmpint (tradeoff_test_run_cli (timeline_args, NULL, NULL), ==, 0);
  contents = read_file (timeline, &length);
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  /* 120 points of each of the three runs with a timeline */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 120);
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (tradeoff_test_run_cli (hgrm_args, NULL, NULL), ==, 0);
  contents = read_file (hgrm, &length);
  g_assert_nonnull (strstr (contents, "Percentile"));
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (tradeoff_test_run_cli (json_args, NULL, NULL), ==, 0);
  again = tradeoff_result_load_file (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->runs->len, ==, 4);
}

static void
test_export_bad_input (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *out_path = g_build_filename (fixture->dir, "out.png", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.json", NULL);
  g_autofree char *nowhere = g_build_filename (fixture->dir, "no-folder", "out.png", NULL);
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.json", NULL);
  const char *bad_format[] = { "export", fixture->result_path, "--chart", "latency", "--format", "gif",
                               "--output", out_path, NULL };
  const char *bad_chart[] = { "export", fixture->result_path, "--chart", "pie", "--format", "png",
                              "--output", out_path, NULL };
  const char *bad_size[] = { "export", fixture->result_path, "--chart", "latency", "--format", "png",
                             "--output", out_path, "--size", "big", NULL };
  const char *no_chart[] = { "export", fixture->result_path, "--format", "png", "--output", out_path, NULL };
  const char *no_output[] = { "export", fixture->result_path, "--chart", "latency", "--format", "png", NULL };
  const char *no_file[] = { "export", missing, "--chart", "latency", "--format", "png", "--output", out_path, NULL };
  const char *not_json[] = { "export", garbage, "--format", "csv", "--output", out_path, NULL };
  const char *bad_folder[] = { "export", fixture->result_path, "--chart", "latency", "--format", "png",
                               "--output", nowhere, NULL };
  const char *bad_run[] = { "export", fixture->result_path, "--format", "hgrm", "--run", "9",
                            "--output", out_path, NULL };
  const char *unknown_option[] = { "export", fixture->result_path, "--colour", "red", NULL };
  const char * const *cases[] = { bad_format, bad_chart, bad_size, no_chart, no_output, no_file,
                                  not_json, bad_folder, bad_run, unknown_option };

  g_assert_true (g_file_set_contents (garbage, "{ not json", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (tradeoff_test_run_cli (cases[i], &out, &err), ==, 2);
      g_test_message ("%s", err);
      g_assert_cmpstr (out, ==, "");
      assert_one_line (err);
      g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/export/charts", Fixture, NULL, fixture_set_up, test_export_charts, fixture_tear_down);
  g_test_add ("/export/same-renderer", Fixture, NULL, fixture_set_up, test_export_same_renderer,
              fixture_tear_down);
  g_test_add ("/export/data", Fixture, NULL, fixture_set_up, test_export_data, fixture_tear_down);
  g_test_add ("/export/bad-input", Fixture, NULL, fixture_set_up, test_export_bad_input, fixture_tear_down);

  return g_test_run ();
}
