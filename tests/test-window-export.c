/* test-window-export.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Export from the window: the dialog writes the shown chart as PNG, SVG
 * and PDF at the chosen size and style, and the result as JSON and CSV;
 * Copy Chart puts an image on the clipboard; a result file opened from
 * disk is shown. The result is built here from recorded latencies, so the
 * test does not need a run (test-window-run.c covers runs). */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "tradeoff-application.h"
#include "tradeoff-export-dialog.h"
#include "tradeoff-presets.h"
#include "tradeoff-window-private.h"
#include "tradeoff-window.h"

#include "tradeoff-test-ui.h"

/* Two engines with different latency distributions and a 5 s timeline. */
static TradeoffResult *
make_result (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffScenario) scenario = tradeoff_presets_load ("hello-world", &error);
  TradeoffResult *result;
  GRand *rand = g_rand_new_with_seed (42);

  g_assert_no_error (error);
  result = tradeoff_result_new (scenario);

  for (guint e = 0; e < 2; e++)
    {
      TradeoffRun *run = tradeoff_run_new (g_ptr_array_index (scenario->engines, e));

      for (guint i = 0; i < 20000; i++)
        {
          gint64 value = (gint64) (200 * (e + 1) * exp (g_rand_double_range (rand, 0, 3)));

          tradeoff_histogram_record (run->histogram, value);
          tradeoff_histogram_record (run->histogram_uncorrected, value * 9 / 10);
        }
      for (guint t = 1; t <= 50; t++)
        {
          TradeoffTimelinePoint point = { 0 };

          point.t_s = t * 0.1;
          point.completed_per_s = 2000 - 300 * e + g_rand_double_range (rand, -50, 50);
          point.p50_us = 400 * (e + 1);
          point.p99_us = 3000 * (e + 1);
          point.in_flight = 4 + e;
          point.rss_bytes = (8 + 40 * e) * 1048576.0;
          point.cpu_percent = 30 + 20 * e;
          point.threads = e == 0 ? 1 : 64;
          point.connections = 50;
          g_array_append_val (run->timeline, point);
        }
      run->summary.completed = 20000;
      run->summary.throughput_per_s = 2000 - 300 * e;
      run->summary.peak_rss_bytes = (8 + 40 * e) * 1048576.0;
      run->summary.cpu_seconds = 1.5 + e;
      run->summary.cpu_percent_mean = 30 + 20 * e;
      run->summary.threads_max = e == 0 ? 1 : 64;
      run->summary.offered_per_s = 2000;
      run->summary.achieved_per_s = run->summary.throughput_per_s;
      tradeoff_run_summarize_latency (run);
      g_ptr_array_add (result->runs, run);
    }

  g_rand_free (rand);

  return result;
}

static TradeoffExportDialog *
open_export_dialog (TradeoffWindow *window)
{
  GListModel *toplevels;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL));
  tradeoff_test_iterate_main_loop ();

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (TRADEOFF_IS_EXPORT_DIALOG (item))
        return TRADEOFF_EXPORT_DIALOG (item);
    }

  g_assert_not_reached ();
}

typedef struct
{
  guint  n_exported;
  char  *failure;
} ExportWatch;

static void
on_exported_cb (TradeoffExportDialog *dialog,
                const char           *path,
                ExportWatch          *watch)
{
  watch->n_exported++;
}

static void
on_failed_cb (TradeoffExportDialog *dialog,
              const char           *reason,
              ExportWatch          *watch)
{
  g_free (watch->failure);
  watch->failure = g_strdup (reason);
}

static char *
export_as (TradeoffWindow       *window,
           TradeoffExportFormat  format,
           const char           *name)
{
  TradeoffExportDialog *dialog = open_export_dialog (window);
  char *path = g_build_filename (tradeoff_test_ui_get_tmp_dir (), name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ExportWatch watch = { 0 };

  g_signal_connect (dialog, "exported", G_CALLBACK (on_exported_cb), &watch);
  g_signal_connect (dialog, "failed", G_CALLBACK (on_failed_cb), &watch);
  tradeoff_export_dialog_set_format (dialog, format);
  g_assert_true (tradeoff_export_dialog_export_to_file (dialog, file));
  tradeoff_test_iterate_main_loop ();
  g_assert_null (watch.failure);
  g_assert_cmpuint (watch.n_exported, ==, 1);

  return path;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

typedef struct
{
  char  *root;
  guint  n_elements;
  guint  n_text_or_paths;
  char  *width;
} SvgWatch;

static void
svg_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  SvgWatch *watch = user_data;

  if (watch->root == NULL)
    {
      watch->root = g_strdup (element);
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "width"))
          watch->width = g_strdup (values[i]);
    }
  watch->n_elements++;
  if (g_str_equal (element, "path") || g_str_equal (element, "use") || g_str_equal (element, "text")
      || g_str_equal (element, "glyph") || g_str_equal (element, "symbol"))
    watch->n_text_or_paths++;
}

static void
test_export_formats (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  g_autoptr(TradeoffResult) result = make_result ();
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GError) error = NULL;
  int width, height;

  g_settings_set (settings, "last-export-size", "(ii)", 900, 500);
  g_settings_get (settings, "last-export-size", "(ii)", &width, &height);

  /* Nothing to export before a result is shown. */
  g_assert_null (tradeoff_window_get_shown_result (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
  tradeoff_test_iterate_main_loop ();
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        g_assert_false (TRADEOFF_IS_EXPORT_DIALOG (item));
      }
  }
  tradeoff_window_show_result (window, result);
  tradeoff_test_iterate_main_loop ();
  tradeoff_results_view_set_visible_kind (window->results_view, TRADEOFF_CHART_LATENCY);

  /* PNG: the signature, the IHDR size, and a file of some substance. */
  {
    g_autofree char *path = export_as (window, TRADEOFF_EXPORT_PNG, "chart.png");
    g_autofree guint8 *data = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (path, (char **) &data, &length, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (length, >, 5000);
    g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
    g_assert_cmpmem (data + 12, 4, "IHDR", 4);
    g_assert_cmpuint (read_be32 (data + 16), ==, (guint) width);
    g_assert_cmpuint (read_be32 (data + 20), ==, (guint) height);
  }

  /* SVG: well-formed XML with an <svg> root of the chosen width. */
  {
    g_autofree char *path = export_as (window, TRADEOFF_EXPORT_SVG, "chart.svg");
    g_autofree char *data = NULL;
    gsize length = 0;
    GMarkupParser parser = { svg_start, NULL, NULL, NULL, NULL };
    SvgWatch watch = { 0 };
    GMarkupParseContext *context;

    g_assert_true (g_file_get_contents (path, &data, &length, &error));
    context = g_markup_parse_context_new (&parser, 0, &watch, NULL);
    g_assert_true (g_markup_parse_context_parse (context, data, length, &error));
    g_assert_true (g_markup_parse_context_end_parse (context, &error));
    g_assert_no_error (error);
    g_markup_parse_context_free (context);
    g_assert_cmpstr (watch.root, ==, "svg");
    g_assert_nonnull (watch.width);
    g_assert_cmpint ((int) g_ascii_strtod (watch.width, NULL), ==, width);
    g_assert_cmpuint (watch.n_elements, >, 20);
    g_assert_cmpuint (watch.n_text_or_paths, >, 5);
    g_free (watch.root);
    g_free (watch.width);
  }

  /* PDF: header, trailer, one page. */
  {
    g_autofree char *path = export_as (window, TRADEOFF_EXPORT_PDF, "chart.pdf");
    g_autofree char *data = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (path, &data, &length, &error));
    g_assert_cmpuint (length, >, 1000);
    g_assert_true (g_str_has_prefix (data, "%PDF-"));
    /* The file holds binary streams: search bytes, not strings. */
    g_assert_nonnull (memmem (data + length - MIN (length, 1024), MIN (length, 1024), "%%EOF", 5));
    g_assert_nonnull (memmem (data, length, "/Type /Page", 11));
  }

  /* Summary CSV: a header, then one line per engine. */
  {
    g_autofree char *path = export_as (window, TRADEOFF_EXPORT_SUMMARY_CSV, "summary.csv");
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true (g_file_get_contents (path, &data, NULL, &error));
    lines = g_strsplit (g_strchomp (data), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + result->runs->len);
    g_assert_true (g_str_has_prefix (lines[0], "engine,"));
    g_assert_nonnull (strstr (lines[0], "latency_p99_us"));
    g_assert_true (g_str_has_prefix (lines[1], "Event loop,") || g_str_has_prefix (lines[1], "\"Event loop\","));
  }

  /* Timeline CSV: a header and every point of both runs. */
  {
    g_autofree char *path = export_as (window, TRADEOFF_EXPORT_TIMELINE_CSV, "timeline.csv");
    g_autofree char *data = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true (g_file_get_contents (path, &data, NULL, &error));
    lines = g_strsplit (g_strchomp (data), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 * 50);
    g_assert_nonnull (strchr (lines[0], ','));
  }

  /* JSON: a result file that loads back. */
  {
    g_autofree char *path = export_as (window, TRADEOFF_EXPORT_JSON, "result.json");
    g_autoptr(TradeoffResult) reloaded = tradeoff_result_load_file (path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (reloaded->runs->len, ==, 2);
  }

  tradeoff_test_destroy_window (window);
}

static void
test_export_dark_differs (void)
{
  g_autoptr(TradeoffResult) result = make_result ();
  g_autofree char *light = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "light.png", NULL);
  g_autofree char *dark = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "dark.png", NULL);
  g_autofree char *light_data = NULL;
  g_autofree char *dark_data = NULL;
  g_autoptr(GError) error = NULL;
  gsize light_length, dark_length;

  g_assert_true (tradeoff_export_write (result, TRADEOFF_CHART_THROUGHPUT, TRADEOFF_EXPORT_PNG,
                                        640, 400, FALSE, light, &error));
  g_assert_true (tradeoff_export_write (result, TRADEOFF_CHART_THROUGHPUT, TRADEOFF_EXPORT_PNG,
                                        640, 400, TRUE, dark, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (light, &light_data, &light_length, NULL));
  g_assert_true (g_file_get_contents (dark, &dark_data, &dark_length, NULL));
  g_assert_false (light_length == dark_length && memcmp (light_data, dark_data, light_length) == 0);

  /* A silly size is refused with a reason, and nothing is written. */
  g_assert_false (tradeoff_export_write (result, TRADEOFF_CHART_LATENCY, TRADEOFF_EXPORT_PNG,
                                         4, 4, FALSE, light, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "size"));
}

static void
on_texture_read_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  GdkTexture **texture = user_data;
  g_autoptr(GError) error = NULL;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), res, &error);
  g_assert_no_error (error);
}

static void
test_copy_chart (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  g_autoptr(TradeoffResult) result = make_result ();
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  GdkTexture *texture = NULL;
  gint64 deadline;
  guint64 sum = 0;
  guint8 *pixels;
  int w, h;

  tradeoff_window_show_result (window, result);
  tradeoff_results_view_set_visible_kind (window->results_view, TRADEOFF_CHART_RESOURCES);
  tradeoff_test_iterate_main_loop ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-chart", NULL));
  tradeoff_test_iterate_main_loop ();
  g_assert_true (gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (clipboard),
                                                    GDK_TYPE_TEXTURE));

  gdk_clipboard_read_texture_async (clipboard, NULL, on_texture_read_cb, &texture);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (texture == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (texture);

  /* An image of the chart: a sensible size, and not one flat colour. */
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  g_assert_cmpint (w, >=, 100);
  g_assert_cmpint (h, >=, 100);
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  for (gsize i = 4; i < (gsize) w * h * 4; i += 4)
    sum += pixels[i] != pixels[0] || pixels[i + 1] != pixels[1] || pixels[i + 2] != pixels[2];
  g_assert_cmpuint (sum, >, (guint64) w * h / 200);
  g_free (pixels);
  g_object_unref (texture);

  tradeoff_test_destroy_window (window);
}

static void
test_open_result_file (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  g_autoptr(TradeoffResult) result = make_result ();
  g_autofree char *path = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "opened.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (tradeoff_result_save_file (result, path, &error));
  g_assert_no_error (error);

  /* A result opens on the charts; with no scenario open, it brings its own. */
  tradeoff_window_open_file (window, file);
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (window->scenario);
  g_assert_cmpstr (window->scenario->name, ==, result->scenario->name);
  g_assert_false (window->dirty);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "scenario");
  g_assert_nonnull (tradeoff_window_get_shown_result (window));
  g_assert_cmpuint (tradeoff_window_get_shown_result (window)->runs->len, ==, 2);
  g_assert_cmpuint (tradeoff_chart_view_get_n_runs (
                      tradeoff_results_view_get_chart_view (window->results_view,
                                                            TRADEOFF_CHART_LATENCY)), ==, 2);

  tradeoff_test_destroy_window (window);
}

static void
test_open_hgrm_and_hover (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  g_autoptr(TradeoffResult) result = make_result ();
  g_autofree char *path = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "measured-elsewhere.hgrm", NULL);
  g_autofree char *hgrm = tradeoff_run_to_hgrm (g_ptr_array_index (result->runs, 1));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TradeoffChartView *view;
  g_autofree char *text = NULL;
  gint64 deadline;
  int width, height;

  g_assert_true (g_file_set_contents (path, hgrm, -1, NULL));

  /* An .hgrm from wrk2 or HdrHistogram opens as a one-run result. */
  tradeoff_window_open_file (window, file);
  tradeoff_test_iterate_main_loop ();
  g_assert_false (gtk_revealer_get_reveal_child (window->error_revealer));
  g_assert_nonnull (tradeoff_window_get_shown_result (window));
  g_assert_cmpuint (tradeoff_window_get_shown_result (window)->runs->len, ==, 1);
  g_assert_cmpstr (((TradeoffRun *) g_ptr_array_index (tradeoff_window_get_shown_result (window)->runs, 0))->engine->label,
                   ==, "measured-elsewhere");

  /* Hover: once drawn, the middle of the latency chart describes a value. */
  tradeoff_window_show_result (window, result);
  tradeoff_results_view_set_visible_kind (window->results_view, TRADEOFF_CHART_LATENCY);
  view = tradeoff_results_view_get_chart_view (window->results_view, TRADEOFF_CHART_LATENCY);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline
         && (gtk_widget_get_width (GTK_WIDGET (view)) < 100 || text == NULL))
    {
      g_main_context_iteration (NULL, FALSE);
      width = gtk_widget_get_width (GTK_WIDGET (view));
      height = gtk_widget_get_height (GTK_WIDGET (view));
      if (width >= 100)
        {
          g_clear_pointer (&text, g_free);
          text = tradeoff_chart_view_describe (view, width * 0.6, height * 0.5);
        }
    }
  g_assert_nonnull (text);
  g_test_message ("hover: %s", text);
  g_assert_cmpuint (strlen (text), >, 3);

  tradeoff_test_destroy_window (window);
}

int
main (int    argc,
      char **argv)
{
  tradeoff_test_ui_init (&argc, &argv, "test-window-export");

  g_test_add_func ("/window/export/formats", test_export_formats);
  g_test_add_func ("/window/export/dark-differs", test_export_dark_differs);
  g_test_add_func ("/window/export/copy-chart", test_copy_chart);
  g_test_add_func ("/window/export/open-result", test_open_result_file);
  g_test_add_func ("/window/export/open-hgrm-and-hover", test_open_hgrm_and_hover);

  return tradeoff_test_ui_run ();
}
