/* test-chart.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tradeoff-chart.h"
#include "data/chart-fixtures.h"

static const TradeoffChartKind all_kinds[] = {
  TRADEOFF_CHART_LATENCY,
  TRADEOFF_CHART_THROUGHPUT,
  TRADEOFF_CHART_RESOURCES,
  TRADEOFF_CHART_SUMMARY,
};

static TradeoffChart *
make_chart (TradeoffChartKind kind,
            guint             n_points)
{
  g_autoptr(GPtrArray) runs = chart_fixture_runs (n_points);
  TradeoffChart *chart = tradeoff_chart_new (kind);

  for (guint i = 0; i < runs->len; i++)
    tradeoff_chart_add_run (chart, g_ptr_array_index (runs, i), i);
  /* The runs are gone: the chart keeps its own copy of what it needs. */
  return chart;
}

static cairo_surface_t *
render (TradeoffChart *chart,
        int            width,
        int            height,
        gboolean       dark)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  TradeoffChartTheme theme;

  tradeoff_chart_theme_init (&theme, dark);
  tradeoff_chart_draw (chart, cr, width, height, &theme);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
}

static guint
count_distinct_colors (cairo_surface_t *surface)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      g_hash_table_add (seen, GUINT_TO_POINTER (pixel_at (surface, x, y) + 1));
  return g_hash_table_size (seen);
}

/* Pixels within a small distance of @color: the fills of markers, bars and
 * the legend are drawn in the series colour itself. */
static guint
count_color (cairo_surface_t     *surface,
             const TradeoffColor *color)
{
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int r = (int) (color->red * 255 + 0.5);
  int g = (int) (color->green * 255 + 0.5);
  int b = (int) (color->blue * 255 + 0.5);
  guint n = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = pixel_at (surface, x, y);

        if (ABS ((int) ((p >> 16) & 0xff) - r) <= 6 &&
            ABS ((int) ((p >> 8) & 0xff) - g) <= 6 &&
            ABS ((int) (p & 0xff) - b) <= 6)
          n++;
      }
  return n;
}

static void
test_chart_strings (void)
{
  TradeoffChartKind kind;
  TradeoffChartFormat format;

  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    {
      const char *name = tradeoff_chart_kind_to_string (all_kinds[i]);

      g_assert_true (tradeoff_chart_kind_from_string (name, &kind));
      g_assert_cmpint (kind, ==, all_kinds[i]);
    }
  g_assert_false (tradeoff_chart_kind_from_string ("pie", &kind));
  g_assert_false (tradeoff_chart_kind_from_string (NULL, &kind));
  g_assert_true (tradeoff_chart_format_from_string ("svg", &format));
  g_assert_cmpint (format, ==, TRADEOFF_CHART_FORMAT_SVG);
  g_assert_true (tradeoff_chart_format_from_string ("PDF", &format));
  g_assert_cmpint (format, ==, TRADEOFF_CHART_FORMAT_PDF);
  g_assert_false (tradeoff_chart_format_from_string ("gif", &format));
}

static void
test_chart_palette (void)
{
  /* Distinct colours in both styles, and each legible on its background */
  for (int dark = 0; dark <= 1; dark++)
    {
      TradeoffChartTheme theme;

      tradeoff_chart_theme_init (&theme, dark);
      for (guint i = 0; i < 6; i++)
        {
          TradeoffColor a;
          double la, lb;

          tradeoff_chart_get_series_color (i, dark, &a);
          la = 0.2126 * a.red + 0.7152 * a.green + 0.0722 * a.blue;
          lb = 0.2126 * theme.background.red + 0.7152 * theme.background.green +
               0.0722 * theme.background.blue;
          g_assert_cmpfloat (fabs (la - lb), >, 0.2);
          for (guint j = 0; j < i; j++)
            {
              TradeoffColor b;

              tradeoff_chart_get_series_color (j, dark, &b);
              g_assert_cmpfloat (fabs (a.red - b.red) + fabs (a.green - b.green) + fabs (a.blue - b.blue),
                                 >, 0.25);
            }
        }
    }
}

static void
test_chart_draw_every_kind (void)
{
  static const int sizes[][2] = { { 1200, 800 }, { 400, 300 } };

  for (guint k = 0; k < G_N_ELEMENTS (all_kinds); k++)
    {
      g_autoptr(TradeoffChart) chart = make_chart (all_kinds[k], 300);

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          guint32 background[2];

          for (int dark = 0; dark <= 1; dark++)
            {
              cairo_surface_t *surface = render (chart, sizes[s][0], sizes[s][1], dark);
              guint distinct = count_distinct_colors (surface);

              g_test_message ("%s %dx%d %s: %u colours", tradeoff_chart_kind_to_string (all_kinds[k]),
                              sizes[s][0], sizes[s][1], dark ? "dark" : "light", distinct);
              /* Text, lines and fills antialiased over a background */
              g_assert_cmpuint (distinct, >, 60);

              /* Every series colour is on the chart: the two engines with
               * data, the url engine and the failed one (in the legend). */
              for (guint i = 0; i < 4; i++)
                {
                  TradeoffColor color;

                  tradeoff_chart_get_series_color (i, dark, &color);
                  g_assert_cmpuint (count_color (surface, &color), >=, 8);
                }
              background[dark] = pixel_at (surface, 1, sizes[s][1] - 2);
              cairo_surface_destroy (surface);
            }
          g_assert_cmpuint (background[0], !=, background[1]);
        }
    }
}

static void
test_chart_transparent_background (void)
{
  g_autoptr(TradeoffChart) chart = make_chart (TRADEOFF_CHART_THROUGHPUT, 50);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 300, 200);
  cairo_t *cr = cairo_create (surface);
  TradeoffChartTheme theme;

  /* The window paints its own background */
  tradeoff_chart_theme_init (&theme, FALSE);
  theme.background.alpha = 0;
  tradeoff_chart_draw (chart, cr, 300, 200, &theme);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpuint (*(guint32 *) cairo_image_surface_get_data (surface), ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_chart_empty (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (all_kinds); k++)
    {
      g_autoptr(TradeoffChart) chart = tradeoff_chart_new (all_kinds[k]);
      cairo_surface_t *surface = render (chart, 400, 300, FALSE);
      g_autofree char *text = NULL;
      double cross = -1;

      g_assert_cmpuint (count_distinct_colors (surface), >, 4);
      g_assert_false (tradeoff_chart_describe_point (chart, 200, 150, &cross, &text));
      g_assert_null (text);
      cairo_surface_destroy (surface);
    }
}

static void
test_chart_replace_series (void)
{
  g_autoptr(TradeoffChart) chart = make_chart (TRADEOFF_CHART_THROUGHPUT, 100);
  g_autoptr(TradeoffRun) run = chart_fixture_run ("Only one", TRADEOFF_ENGINE_LOOP, 300, 40, 9);
  cairo_surface_t *surface;
  g_autofree char *text = NULL;
  double cross;

  cairo_surface_destroy (render (chart, 400, 300, FALSE));
  tradeoff_chart_clear (chart);
  tradeoff_chart_add_run (chart, run, 0);
  surface = render (chart, 400, 300, FALSE);
  g_assert_true (tradeoff_chart_describe_point (chart, 250, 180, &cross, &text));
  g_assert_nonnull (strstr (text, "Only one"));
  g_assert_null (strstr (text, "Thread pool"));
  cairo_surface_destroy (surface);
}

static void
test_chart_describe (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (all_kinds); k++)
    {
      g_autoptr(TradeoffChart) chart = make_chart (all_kinds[k], 200);
      cairo_surface_t *surface = render (chart, 800, 600, FALSE);
      g_autofree char *text = NULL;
      g_autofree char *outside = NULL;
      double cross = -1;
      double y = all_kinds[k] == TRADEOFF_CHART_SUMMARY ? 300 : 400;

      g_assert_true (tradeoff_chart_describe_point (chart, 420, y, &cross, &text));
      g_test_message ("%s: %s", tradeoff_chart_kind_to_string (all_kinds[k]), text);
      g_assert_nonnull (strstr (text, "Event loop"));
      g_assert_nonnull (strstr (text, "Thread pool"));
      g_assert_cmpfloat (cross, >, 0);
      g_assert_cmpfloat (cross, <, 800);

      switch (all_kinds[k])
        {
        case TRADEOFF_CHART_LATENCY:
          g_assert_nonnull (strstr (text, "%"));
          g_assert_true (strstr (text, "ms") != NULL || strstr (text, "µs") != NULL);
          break;
        case TRADEOFF_CHART_THROUGHPUT:
          g_assert_nonnull (strstr (text, "req/s at "));
          g_assert_cmpfloat (fabs (cross - 420), <, 10);
          break;
        case TRADEOFF_CHART_RESOURCES:
          g_assert_nonnull (strstr (text, "MiB"));
          g_assert_nonnull (strstr (text, "My server: not measured"));
          break;
        case TRADEOFF_CHART_SUMMARY:
        default:
          break;
        }

      /* The title is not a plot */
      g_assert_false (tradeoff_chart_describe_point (chart, 2, 2, &cross, &outside));
      cairo_surface_destroy (surface);
    }
}

/* The first row, down the middle of a chart, that is inside its plot. */
static int
plot_top (TradeoffChart *chart,
          int            width,
          int            height)
{
  cairo_surface_t *surface = render (chart, width, height, FALSE);
  int y;

  for (y = 0; y < height; y++)
    {
      g_autofree char *text = NULL;
      double cross;

      if (tradeoff_chart_describe_point (chart, width / 2.0, y, &cross, &text))
        break;
    }
  cairo_surface_destroy (surface);
  return y;
}

static void
test_chart_long_note (void)
{
  g_autoptr(GPtrArray) runs = chart_fixture_runs (50);
  g_autoptr(TradeoffChart) short_note = tradeoff_chart_new (TRADEOFF_CHART_THROUGHPUT);
  g_autoptr(TradeoffChart) long_note = tradeoff_chart_new (TRADEOFF_CHART_THROUGHPUT);
  TradeoffRun *run = g_ptr_array_index (runs, 0);
  int top_short, top_long;

  /* A note too long for one line wraps rather than losing its end: the
   * plot starts lower, by about a line. */
  g_free (run->note);
  run->note = g_strdup ("short");
  tradeoff_chart_add_run (short_note, run, 0);
  g_free (run->note);
  run->note = g_strdup ("The driver was the limit: its 1 thread(s) were busy 99% of the time, "
                        "so the engine may have more capacity than this run shows.");
  tradeoff_chart_add_run (long_note, run, 0);

  top_short = plot_top (short_note, 420, 400);
  top_long = plot_top (long_note, 420, 400);
  g_test_message ("plot top: %d with a short note, %d with a long one", top_short, top_long);
  g_assert_cmpint (top_short, <, 400);
  g_assert_cmpint (top_long, >=, top_short + 8);
}

static void
test_chart_workload_units (void)
{
  g_autoptr(TradeoffChart) chart = make_chart (TRADEOFF_CHART_THROUGHPUT, 100);
  cairo_surface_t *surface;
  g_autofree char *chat = NULL;
  g_autofree char *stream = NULL;
  double cross;

  tradeoff_chart_set_workload_kind (chart, TRADEOFF_WORKLOAD_CHAT);
  surface = render (chart, 800, 600, TRUE);
  g_assert_true (tradeoff_chart_describe_point (chart, 400, 400, &cross, &chat));
  g_assert_nonnull (strstr (chat, "deliveries/s"));
  cairo_surface_destroy (surface);

  tradeoff_chart_set_workload_kind (chart, TRADEOFF_WORKLOAD_STREAMING);
  surface = render (chart, 800, 600, TRUE);
  g_assert_true (tradeoff_chart_describe_point (chart, 400, 400, &cross, &stream));
  g_assert_nonnull (strstr (stream, "MB/s"));
  cairo_surface_destroy (surface);
}

/* {{{ Saving */

typedef struct
{
  gboolean root_seen;
  char    *width;
  char    *height;
} SvgRoot;

static void
svg_start_element (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  SvgRoot *root = user_data;

  if (root->root_seen)
    return;
  root->root_seen = TRUE;
  g_assert_cmpstr (element_name, ==, "svg");
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (g_str_equal (attribute_names[i], "width"))
        root->width = g_strdup (attribute_values[i]);
      else if (g_str_equal (attribute_names[i], "height"))
        root->height = g_strdup (attribute_values[i]);
    }
}

static void
check_svg (const char *contents,
           gsize       length,
           int         width,
           int         height)
{
  GMarkupParser parser = { svg_start_element, NULL, NULL, NULL, NULL };
  SvgRoot root = { 0 };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;

  context = g_markup_parse_context_new (&parser, G_MARKUP_IGNORE_QUALIFIED, &root, NULL);
  g_assert_true (g_markup_parse_context_parse (context, contents, length, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_assert_true (root.root_seen);
  g_assert_nonnull (root.width);
  g_assert_nonnull (root.height);
  g_assert_cmpfloat (g_ascii_strtod (root.width, NULL), ==, width);
  g_assert_cmpfloat (g_ascii_strtod (root.height, NULL), ==, height);
  g_free (root.width);
  g_free (root.height);
}

static void
test_chart_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-chart-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint k = 0; k < G_N_ELEMENTS (all_kinds); k++)
    {
      g_autoptr(TradeoffChart) chart = make_chart (all_kinds[k], 200);
      const char *kind = tradeoff_chart_kind_to_string (all_kinds[k]);
      g_autofree char *png = g_strdup_printf ("%s/%s.png", dir, kind);
      g_autofree char *svg = g_strdup_printf ("%s/%s.svg", dir, kind);
      g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", dir, kind);
      g_autofree char *contents = NULL;
      gsize length = 0;
      cairo_surface_t *image;

      g_assert_true (tradeoff_chart_save (chart, png, TRADEOFF_CHART_FORMAT_PNG, 640, 480, FALSE, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
      g_assert_true (length > 8 && memcmp (contents, "\x89PNG\r\n\x1a\n", 8) == 0);
      g_assert_cmpuint (length, >, 5000);
      image = cairo_image_surface_create_from_png (png);
      g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (image), ==, 640);
      g_assert_cmpint (cairo_image_surface_get_height (image), ==, 480);
      cairo_surface_destroy (image);
      g_clear_pointer (&contents, g_free);

      g_assert_true (tradeoff_chart_save (chart, svg, TRADEOFF_CHART_FORMAT_SVG, 1200, 800, TRUE, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (svg, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 5000);
      check_svg (contents, length, 1200, 800);
      g_clear_pointer (&contents, g_free);

      g_assert_true (tradeoff_chart_save (chart, pdf, TRADEOFF_CHART_FORMAT_PDF, 1200, 800, FALSE, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
      g_assert_true (g_str_has_prefix (contents, "%PDF-"));
      g_assert_cmpuint (length, >, 5000);

      g_unlink (png);
      g_unlink (svg);
      g_unlink (pdf);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_chart_save_failures (void)
{
  g_autoptr(TradeoffChart) chart = make_chart (TRADEOFF_CHART_SUMMARY, 20);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-chart-XXXXXX", &error);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "chart.png", NULL);
  g_autofree char *blocker = g_build_filename (dir, "a-folder.png", NULL);
  g_autoptr(GDir) listing = NULL;
  guint n_entries = 0;

  g_assert_no_error (error);

  /* A folder that does not exist: a GError naming the file and the reason */
  g_assert_false (tradeoff_chart_save (chart, missing, TRADEOFF_CHART_FORMAT_PNG, 400, 300, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "chart.png"));
  g_clear_error (&error);

  /* The target cannot be replaced: what was there stays, nothing is left over */
  g_assert_cmpint (g_mkdir (blocker, 0755), ==, 0);
  g_assert_false (tradeoff_chart_save (chart, blocker, TRADEOFF_CHART_FORMAT_PNG, 400, 300, FALSE, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (g_file_test (blocker, G_FILE_TEST_IS_DIR));

  /* A silly size */
  g_assert_false (tradeoff_chart_save (chart, blocker, TRADEOFF_CHART_FORMAT_PNG, 0, 300, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_entries++;
  g_assert_cmpuint (n_entries, ==, 1);

  g_assert_cmpint (g_rmdir (blocker), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* }}} */

static void
test_chart_many_points (void)
{
  /* Decimation keeps a long series drawable; the shape must survive it:
   * a single spike in 100,000 points still reaches the top of the plot. */
  g_autoptr(TradeoffEngineSpec) spec = tradeoff_engine_spec_new (TRADEOFF_ENGINE_LOOP, "Spiky");
  g_autoptr(TradeoffRun) run = tradeoff_run_new (spec);
  g_autoptr(TradeoffChart) chart = tradeoff_chart_new (TRADEOFF_CHART_THROUGHPUT);
  cairo_surface_t *surface;
  TradeoffColor color;
  g_autofree char *text = NULL;
  double cross;

  if (run->timeline == NULL)
    run->timeline = g_array_new (FALSE, TRUE, sizeof (TradeoffTimelinePoint));
  for (guint i = 0; i < 100000; i++)
    {
      TradeoffTimelinePoint p = { 0 };

      p.t_s = i * 0.001;
      p.completed_per_s = i == 50000 ? 10000 : 100;
      p.rss_bytes = p.cpu_percent = p.threads = p.connections = NAN;
      g_array_append_val (run->timeline, p);
    }
  tradeoff_chart_add_run (chart, run, 0);
  surface = render (chart, 400, 300, FALSE);
  tradeoff_chart_get_series_color (0, FALSE, &color);
  g_assert_cmpuint (count_color (surface, &color), >, 100);

  /* The one spike survives decimation: the series reaches the upper part
   * of the plot in the middle columns (the legend is at the left). */
  {
    int top = 300;

    for (int x = 120; x < 300; x++)
      for (int y = 0; y < 300; y++)
        {
          guint32 p = pixel_at (surface, x, y);

          if (ABS ((int) ((p >> 16) & 0xff) - (int) (color.red * 255 + 0.5)) <= 6 &&
              ABS ((int) ((p >> 8) & 0xff) - (int) (color.green * 255 + 0.5)) <= 6 &&
              ABS ((int) (p & 0xff) - (int) (color.blue * 255 + 0.5)) <= 6)
            {
              top = MIN (top, y);
              break;
            }
        }
    g_assert_cmpint (top, <, 140);
  }
  g_assert_true (tradeoff_chart_describe_point (chart, 200, 150, &cross, &text));
  g_assert_nonnull (strstr (text, "Spiky: "));
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/strings", test_chart_strings);
  g_test_add_func ("/chart/palette", test_chart_palette);
  g_test_add_func ("/chart/draw/every-kind", test_chart_draw_every_kind);
  g_test_add_func ("/chart/draw/transparent", test_chart_transparent_background);
  g_test_add_func ("/chart/draw/empty", test_chart_empty);
  g_test_add_func ("/chart/draw/many-points", test_chart_many_points);
  g_test_add_func ("/chart/replace-series", test_chart_replace_series);
  g_test_add_func ("/chart/describe", test_chart_describe);
  g_test_add_func ("/chart/workload-units", test_chart_workload_units);
  g_test_add_func ("/chart/long-note", test_chart_long_note);
  g_test_add_func ("/chart/save", test_chart_save);
  g_test_add_func ("/chart/save/failures", test_chart_save_failures);

  return g_test_run ();
}
