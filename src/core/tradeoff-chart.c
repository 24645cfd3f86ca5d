/* tradeoff-chart.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The chart renderer, in three layers (Sysprof's pattern):
 *
 * 1. Data: add_run() copies what the chart needs out of a run into plain
 *    arrays (Series), so the run may go away and drawing never walks
 *    histograms or GArrays.
 * 2. Normalisation: each Line of a Panel keeps its values mapped to [0, 1]
 *    of the panel's data range (log10 space on log axes). Recomputed only
 *    when the data change (data_version).
 * 3. Drawing: the layout decides the axis ranges and the plot rectangle;
 *    an affine map takes the normalised values to pixels, decimated to at
 *    most four points (first, min, max, last) per pixel column. That pixel
 *    cache is rebuilt only when the data or the plot rectangle change, so a
 *    redraw of the same size strokes a few thousand points whatever the
 *    number of samples, as one path, without allocating.
 *
 * The same code draws for the window (a cairo context from GTK) and for
 * export (image, SVG and PDF surfaces), so what is exported is what is seen.
 */

#define G_LOG_DOMAIN "tradeoff-chart"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "tradeoff-chart.h"

#define MAX_PANELS    5
#define MAX_TICKS     48
#define N_SUMMARY     5
#define DEFAULT_FONT  "Cantarell, sans-serif"

typedef enum
{
  AXIS_TIME,        /* seconds since the measured window began */
  AXIS_PERCENTILE,  /* log10 (1 / (1 - p)) */
  AXIS_LATENCY,     /* microseconds */
  AXIS_RATE,        /* a count per second */
  AXIS_BYTES_RATE,  /* bytes per second */
  AXIS_MIB,
  AXIS_PERCENT,
  AXIS_COUNT,
  AXIS_SECONDS,
} AxisUnit;

typedef struct
{
  double x, y, width, height;
} Rect;

typedef struct
{
  AxisUnit unit;
  gboolean log;           /* values and ranges below are log10 of the value */
  double   min, max;      /* the axis range */
  double   ticks[MAX_TICKS];
  guint    n_ticks;
  double   step;          /* linear axes: the tick step */
  double   divisor;       /* tick labels: value / divisor ... */
  const char *suffix;     /* ... followed by this */
  int      decimals;
} Axis;

typedef struct
{
  /* Data: borrowed from the Series */
  const double *x;
  const double *y;
  guint         n;
  guint         series;     /* index into TradeoffChart.series */
  gboolean      faint;      /* the uncorrected latency */

  /* Normalisation cache: [0, 1] of the panel's data range; NAN kept */
  double       *nx;
  double       *ny;
  guint         norm_version;

  /* Pixel cache: decimated points; NAN x marks a break in the line */
  double       *px;
  double       *py;
  guint         n_px;
  guint         px_capacity;
  guint         px_version;
  double       *band_x;
  double       *band_lo;
  double       *band_hi;
  guint         n_band;
  guint         band_capacity;
  gboolean      dense;
  Rect          px_rect;
  double        px_ax[4];  /* the axis ranges the cache was made for */
} Line;

typedef struct
{
  AxisUnit  x_unit;
  AxisUnit  y_unit;
  gboolean  y_log;
  gboolean  y_from_zero;
  char     *caption;        /* the y axis title, drawn above the plot */
  GPtrArray *lines;         /* Line* */

  /* Data range over every line (log10 space when y_log) */
  gboolean  has_data;
  double    dx_min, dx_max;
  double    dy_min, dy_max;

  /* Layout of the last draw */
  Rect      rect;           /* the plot area */
  Rect      outer;          /* the whole panel, captions included */
  Axis      x_axis;
  Axis      y_axis;
  gboolean  show_x_labels;
} Panel;

typedef struct
{
  char    *label;
  guint    color_index;
  char    *error;
  char    *note;
  gboolean resources_measured;

  /* Latency by percentile as a step line: x = log10 (1 / (1 - p)), y = us */
  double  *lat_x;
  double  *lat_y;
  guint    lat_n;
  double   lat_count;
  double  *latu_x;
  double  *latu_y;
  guint    latu_n;
  gboolean show_uncorrected;

  /* Timeline */
  guint    tl_n;
  double  *t;
  double  *completed;
  double  *bytes;
  double  *rss_mib;
  double  *cpu;
  double  *threads;

  /* Summary */
  double   throughput_per_s;
  double   bytes_per_s;
  double   p50_us;
  double   p99_us;
  double   peak_rss_mib;
  double   cpu_seconds;
} Series;

typedef struct
{
  Rect     outer;
  Rect     plot;
  Axis     axis;
  double   slot_width;
} BarPanel;

struct _TradeoffChart
{
  TradeoffChartKind    kind;
  TradeoffWorkloadKind workload_kind;
  GPtrArray           *series;       /* Series* */
  guint                data_version;
  guint                panels_version;

  Panel               *panels[MAX_PANELS];
  guint                n_panels;

  /* The last draw */
  double               last_width;
  double               last_height;
  BarPanel             bars[N_SUMMARY];
  gboolean             drawn;
};

/* What draw() passes around. */
typedef struct
{
  TradeoffChart            *chart;
  cairo_t                  *cr;
  PangoLayout              *layout;
  PangoFontDescription     *font;
  PangoFontDescription     *small_font;
  PangoFontDescription     *title_font;
  const TradeoffChartTheme *theme;
  double                    line_height;
  double                    small_height;
  double                    pad;
  PangoEllipsizeMode        ellipsize;    /* of text given a max width */
} DrawContext;

/* {{{ Strings */

static const char * const kind_names[] = { "latency", "throughput", "resources", "summary" };
static const char * const format_names[] = { "png", "svg", "pdf" };

const char *
tradeoff_chart_kind_to_string (TradeoffChartKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
tradeoff_chart_kind_from_string (const char        *str,
                                 TradeoffChartKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_ascii_strcasecmp (str, kind_names[i]) == 0)
        {
          *kind = (TradeoffChartKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
tradeoff_chart_format_from_string (const char          *str,
                                   TradeoffChartFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    {
      if (g_ascii_strcasecmp (str, format_names[i]) == 0)
        {
          *format = (TradeoffChartFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* }}} */
/* {{{ Theme and colours */

static void
color_from_hex (TradeoffColor *color,
                guint32        rgb,
                double         alpha)
{
  color->red = ((rgb >> 16) & 0xff) / 255.0;
  color->green = ((rgb >> 8) & 0xff) / 255.0;
  color->blue = (rgb & 0xff) / 255.0;
  color->alpha = alpha;
}

void
tradeoff_chart_theme_init (TradeoffChartTheme *theme,
                           gboolean            dark)
{
  g_return_if_fail (theme != NULL);

  memset (theme, 0, sizeof *theme);
  theme->dark = !!dark;
  if (dark)
    {
      /* libadwaita's dark window colours */
      color_from_hex (&theme->foreground, 0xffffff, 1.0);
      color_from_hex (&theme->background, 0x242424, 1.0);
      color_from_hex (&theme->grid, 0xffffff, 0.13);
    }
  else
    {
      color_from_hex (&theme->foreground, 0x241f31, 1.0);
      color_from_hex (&theme->background, 0xffffff, 1.0);
      color_from_hex (&theme->grid, 0x241f31, 0.12);
    }
  theme->font_family = DEFAULT_FONT;
  theme->font_size = 10.0;
}

/* Okabe and Ito's colour-blind-safe palette, reordered so the first two
 * (the usual event loop against thread pool) differ most in hue and
 * lightness, and adjusted for at least 3:1 contrast on each background:
 * darker on white, lighter on the dark grey. */
static const guint32 light_palette[] = {
  0x0072b2, /* blue */
  0xd55e00, /* vermillion */
  0x009e73, /* bluish green */
  0xcc79a7, /* reddish purple */
  0x8c6d00, /* orange, darkened to ochre */
  0x3d8fbf, /* sky blue, darkened */
  0x5e5c64, /* grey */
  0x7a4e99, /* purple */
};

static const guint32 dark_palette[] = {
  0x56b4e9, /* sky blue */
  0xe69f00, /* orange */
  0x2ec99b, /* bluish green, lightened */
  0xe59ccb, /* reddish purple, lightened */
  0xf0e442, /* yellow */
  0xff8a4c, /* vermillion, lightened */
  0xc0bfbc, /* grey */
  0x7aa7ff, /* blue, lightened */
};

void
tradeoff_chart_get_series_color (guint          index,
                                 gboolean       dark,
                                 TradeoffColor *color)
{
  g_return_if_fail (color != NULL);

  if (dark)
    color_from_hex (color, dark_palette[index % G_N_ELEMENTS (dark_palette)], 1.0);
  else
    color_from_hex (color, light_palette[index % G_N_ELEMENTS (light_palette)], 1.0);
}

static void
set_color (cairo_t             *cr,
           const TradeoffColor *color,
           double               alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
set_series_color (DrawContext *ctx,
                  guint        color_index,
                  double       alpha)
{
  TradeoffColor color;

  tradeoff_chart_get_series_color (color_index, ctx->theme->dark, &color);
  set_color (ctx->cr, &color, alpha);
}

/* }}} */
/* {{{ Number formatting */

/* "1,234,567" for a rounded value. */
static char *
format_grouped (double value)
{
  g_autofree char *digits = NULL;
  GString *out;
  gboolean negative = value < 0;
  gsize len;

  digits = g_strdup_printf ("%.0f", fabs (round (value)));
  len = strlen (digits);
  out = g_string_new (negative ? "-" : "");
  for (gsize i = 0; i < len; i++)
    {
      g_string_append_c (out, digits[i]);
      if ((len - i - 1) % 3 == 0 && i + 1 < len)
        g_string_append_c (out, ',');
    }
  return g_string_free (out, FALSE);
}

/* Three significant digits, no trailing noise: 0.123, 1.23, 12.3, 123. */
static int
sig_decimals (double value)
{
  double a = fabs (value);

  if (a == 0 || !isfinite (a))
    return 0;
  return CLAMP (2 - (int) floor (log10 (a)), 0, 3);
}

static char *
format_duration_us (double us)
{
  if (!isfinite (us))
    return g_strdup (_("not measured"));
  if (us < 1000)
    return g_strdup_printf ("%.*f µs", sig_decimals (us), us);
  if (us < 1000000)
    return g_strdup_printf ("%.*f ms", sig_decimals (us / 1e3), us / 1e3);
  return g_strdup_printf ("%.*f s", sig_decimals (us / 1e6), us / 1e6);
}

static char *
format_bytes_rate (double bytes_per_s)
{
  static const char * const units[] = { "B/s", "kB/s", "MB/s", "GB/s" };
  guint u = 0;

  if (!isfinite (bytes_per_s))
    return g_strdup (_("not measured"));
  while (fabs (bytes_per_s) >= 1000 && u + 1 < G_N_ELEMENTS (units))
    {
      bytes_per_s /= 1000;
      u++;
    }
  return g_strdup_printf ("%.*f %s", sig_decimals (bytes_per_s), bytes_per_s, units[u]);
}

static const char *
rate_unit (TradeoffWorkloadKind kind)
{
  switch (kind)
    {
    case TRADEOFF_WORKLOAD_CHAT:
      return _("deliveries/s");
    case TRADEOFF_WORKLOAD_STREAMING:
      return _("bytes/s");
    case TRADEOFF_WORKLOAD_REQUEST:
    case TRADEOFF_WORKLOAD_ML_BATCH:
    default:
      return _("req/s");
    }
}

static char *
format_rate (TradeoffWorkloadKind kind,
             double               value)
{
  g_autofree char *number = NULL;

  if (!isfinite (value))
    return g_strdup (_("not measured"));
  if (kind == TRADEOFF_WORKLOAD_STREAMING)
    return format_bytes_rate (value);
  if (fabs (value) >= 100)
    number = format_grouped (value);
  else
    number = g_strdup_printf ("%.*f", sig_decimals (value), value);
  return g_strdup_printf ("%s %s", number, rate_unit (kind));
}

static char *
format_percentile_x (double x)
{
  double p = 100.0 * (1.0 - pow (10.0, -x));
  int decimals = CLAMP ((int) ceil (x - 1e-9) - 2, 0, 6);

  if (x > 0 && x - floor (x) > 1e-6)
    decimals++;
  return g_strdup_printf ("%.*f%%", decimals, p);
}

static char *
format_seconds (double s)
{
  if (!isfinite (s))
    return g_strdup (_("not measured"));
  return g_strdup_printf ("%.*f s", sig_decimals (s), s);
}

static char *
format_mib (double mib)
{
  if (!isfinite (mib))
    return g_strdup (_("not measured"));
  return g_strdup_printf ("%.*f MiB", mib >= 100 ? 0 : 1, mib);
}

/* The text of one tick. */
static char *
format_tick (const Axis *axis,
             double      v)
{
  if (axis->unit == AXIS_PERCENTILE)
    return format_percentile_x (v);

  if (axis->log)
    {
      double value = pow (10.0, v);

      if (axis->unit == AXIS_LATENCY)
        {
          /* Round values on a log axis: "1 ms", "20 µs", "5 s" */
          if (value < 1000)
            return g_strdup_printf ("%g µs", value);
          if (value < 1000000)
            return g_strdup_printf ("%g ms", value / 1e3);
          return g_strdup_printf ("%g s", value / 1e6);
        }
      return g_strdup_printf ("%g", value);
    }

  if (fabs (v) < axis->step * 1e-6)
    return g_strdup ("0");
  if (axis->suffix != NULL && axis->suffix[0] != '\0')
    {
      if (axis->suffix[0] == 'k' || axis->suffix[0] == 'M' || axis->suffix[0] == 'G')
        {
          if (axis->unit == AXIS_RATE)
            return g_strdup_printf ("%.*f%s", axis->decimals, v / axis->divisor, axis->suffix);
        }
      return g_strdup_printf ("%.*f %s", axis->decimals, v / axis->divisor, axis->suffix);
    }
  return g_strdup_printf ("%.*f", axis->decimals, v / axis->divisor);
}

/* }}} */
/* {{{ Series: the data layer */

static void
series_free (gpointer data)
{
  Series *s = data;

  g_free (s->label);
  g_free (s->error);
  g_free (s->note);
  g_free (s->lat_x);
  g_free (s->lat_y);
  g_free (s->latu_x);
  g_free (s->latu_y);
  g_free (s->t);
  g_free (s->completed);
  g_free (s->bytes);
  g_free (s->rss_mib);
  g_free (s->cpu);
  g_free (s->threads);
  g_free (s);
}

/* The latency-by-percentile step line of a histogram: each bucket holds its
 * value from the percentile where it starts to the one where it ends, on
 * the axis HdrHistogram plots (x = log10 (1 / (1 - p))). The last point is
 * placed at the percentile of one value in the count, log10 (count). */
static void
copy_percentile_line (const TradeoffHistogram *histogram,
                      double                 **xs,
                      double                 **ys,
                      guint                   *n,
                      double                  *count_out)
{
  TradeoffHistogramIter iter;
  gint64 value;
  guint64 count;
  guint n_buckets = 0;
  guint64 total;
  guint64 cumulative = 0;
  double x_cap;
  guint i = 0;

  *xs = NULL;
  *ys = NULL;
  *n = 0;
  *count_out = 0;

  if (histogram == NULL || (total = tradeoff_histogram_get_count (histogram)) == 0)
    return;

  tradeoff_histogram_iter_init (&iter, histogram);
  while (tradeoff_histogram_iter_next (&iter, &value, &count))
    n_buckets++;

  x_cap = log10 ((double) total);
  if (x_cap < 1)
    x_cap = 1;
  *xs = g_new (double, 2 * n_buckets);
  *ys = g_new (double, 2 * n_buckets);

  tradeoff_histogram_iter_init (&iter, histogram);
  while (tradeoff_histogram_iter_next (&iter, &value, &count) && i + 2 <= 2 * n_buckets)
    {
      double q0 = (double) cumulative / total;
      double q1;
      double x0, x1;

      cumulative += count;
      q1 = (double) cumulative / total;
      x0 = q0 >= 1 ? x_cap : MIN (-log10 (1 - q0), x_cap);
      x1 = q1 >= 1 ? x_cap : MIN (-log10 (1 - q1), x_cap);
      (*xs)[i] = x0;
      (*ys)[i] = (double) value;
      (*xs)[i + 1] = x1;
      (*ys)[i + 1] = (double) value;
      i += 2;
    }
  *n = i;
  *count_out = (double) total;
}

/* The gap between the corrected and the uncorrected latency is the lesson
 * of coordinated omission; show it when it is visible on the chart. */
static gboolean
histograms_differ (const TradeoffHistogram *a,
                   const TradeoffHistogram *b)
{
  static const double percentiles[] = { 50, 90, 99, 99.9 };

  if (a == NULL || b == NULL)
    return FALSE;
  if (tradeoff_histogram_get_count (a) == 0 || tradeoff_histogram_get_count (b) == 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    {
      double va = (double) tradeoff_histogram_get_percentile (a, percentiles[i]);
      double vb = (double) tradeoff_histogram_get_percentile (b, percentiles[i]);

      if (fabs (va - vb) > 0.1 * MAX (va, vb) && fabs (va - vb) > 20)
        return TRUE;
    }
  return FALSE;
}

static Series *
series_new_from_run (const TradeoffRun *run,
                     guint              color_index,
                     guint              position)
{
  Series *s = g_new0 (Series, 1);
  const TradeoffRunSummary *sum = &run->summary;

  if (run->engine != NULL && run->engine->label != NULL && run->engine->label[0] != '\0')
    s->label = g_strdup (run->engine->label);
  else
    s->label = g_strdup_printf (_("Run %u"), position + 1);
  s->color_index = color_index;
  s->error = g_strdup (run->error);
  s->note = g_strdup (run->note);

  copy_percentile_line (run->histogram, &s->lat_x, &s->lat_y, &s->lat_n, &s->lat_count);
  if (histograms_differ (run->histogram, run->histogram_uncorrected))
    {
      double count;

      copy_percentile_line (run->histogram_uncorrected, &s->latu_x, &s->latu_y, &s->latu_n, &count);
      s->show_uncorrected = s->latu_n > 0;
    }

  s->resources_measured = FALSE;
  if (run->timeline != NULL && run->timeline->len > 0)
    {
      guint n = run->timeline->len;

      s->tl_n = n;
      s->t = g_new (double, n);
      s->completed = g_new (double, n);
      s->bytes = g_new (double, n);
      s->rss_mib = g_new (double, n);
      s->cpu = g_new (double, n);
      s->threads = g_new (double, n);
      for (guint i = 0; i < n; i++)
        {
          const TradeoffTimelinePoint *p = &g_array_index (run->timeline, TradeoffTimelinePoint, i);

          s->t[i] = p->t_s;
          s->completed[i] = p->completed_per_s;
          s->bytes[i] = p->bytes_per_s;
          s->rss_mib[i] = p->rss_bytes / (1024.0 * 1024.0);
          s->cpu[i] = p->cpu_percent;
          s->threads[i] = p->threads;
          if (isfinite (p->rss_bytes) || isfinite (p->cpu_percent) || isfinite (p->threads))
            s->resources_measured = TRUE;
        }
    }
  if (isfinite (sum->peak_rss_bytes) || isfinite (sum->cpu_seconds))
    s->resources_measured = TRUE;

  s->throughput_per_s = sum->throughput_per_s;
  s->bytes_per_s = sum->bytes_per_s;
  s->p50_us = sum->latency_us.p50;
  s->p99_us = sum->latency_us.p99;
  s->peak_rss_mib = sum->peak_rss_bytes / (1024.0 * 1024.0);
  s->cpu_seconds = sum->cpu_seconds;

  return s;
}

/* }}} */
/* {{{ Panels: the normalisation layer */

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->nx);
  g_free (line->ny);
  g_free (line->px);
  g_free (line->py);
  g_free (line->band_x);
  g_free (line->band_lo);
  g_free (line->band_hi);
  g_free (line);
}

static Panel *
panel_new (AxisUnit    x_unit,
           AxisUnit    y_unit,
           const char *caption)
{
  Panel *panel = g_new0 (Panel, 1);

  panel->x_unit = x_unit;
  panel->y_unit = y_unit;
  panel->y_from_zero = y_unit != AXIS_LATENCY;
  panel->caption = g_strdup (caption);
  panel->lines = g_ptr_array_new_with_free_func (line_free);
  panel->show_x_labels = TRUE;
  return panel;
}

static void
panel_free (Panel *panel)
{
  if (panel == NULL)
    return;
  g_ptr_array_unref (panel->lines);
  g_free (panel->caption);
  g_free (panel);
}

static void
panel_add_line (Panel        *panel,
                const double *x,
                const double *y,
                guint         n,
                guint         series,
                gboolean      faint)
{
  Line *line;

  if (n == 0 || x == NULL || y == NULL)
    return;
  line = g_new0 (Line, 1);
  line->x = x;
  line->y = y;
  line->n = n;
  line->series = series;
  line->faint = faint;
  g_ptr_array_add (panel->lines, line);
}

static inline double
panel_y_value (const Panel *panel,
               double       v)
{
  if (!panel->y_log)
    return v;
  return v > 0 ? log10 (v) : NAN;
}

/* Finds the data range, decides on a log latency axis, and maps every
 * line to [0, 1] of that range. */
static void
panel_normalise (Panel *panel,
                 guint  version)
{
  double x_min = INFINITY, x_max = -INFINITY;
  double y_min = INFINITY, y_max = -INFINITY;

  /* A latency axis turns logarithmic when the values span two decades:
   * on a linear axis the median of a fast engine would sit on zero. */
  if (panel->y_unit == AXIS_LATENCY)
    {
      double lo = INFINITY, hi = 0;

      for (guint l = 0; l < panel->lines->len; l++)
        {
          Line *line = g_ptr_array_index (panel->lines, l);

          for (guint i = 0; i < line->n; i++)
            {
              if (line->y[i] > 0)
                {
                  lo = MIN (lo, line->y[i]);
                  hi = MAX (hi, line->y[i]);
                }
            }
        }
      panel->y_log = isfinite (lo) && hi / lo >= 100;
    }

  for (guint l = 0; l < panel->lines->len; l++)
    {
      Line *line = g_ptr_array_index (panel->lines, l);

      for (guint i = 0; i < line->n; i++)
        {
          double y = panel_y_value (panel, line->y[i]);

          /* The time axis spans the run even where nothing was measured */
          if (!isfinite (line->x[i]))
            continue;
          x_min = MIN (x_min, line->x[i]);
          x_max = MAX (x_max, line->x[i]);
          if (!isfinite (y))
            continue;
          y_min = MIN (y_min, y);
          y_max = MAX (y_max, y);
        }
    }

  panel->has_data = isfinite (x_min) && isfinite (y_min);
  if (!isfinite (x_min))
    {
      x_min = 0;
      x_max = 1;
    }
  if (!isfinite (y_min))
    {
      y_min = 0;
      y_max = 1;
    }
  if (x_max <= x_min)
    x_max = x_min + 1;
  if (y_max <= y_min)
    y_max = y_min + (y_min == 0 ? 1 : fabs (y_min) * 0.1);
  panel->dx_min = x_min;
  panel->dx_max = x_max;
  panel->dy_min = y_min;
  panel->dy_max = y_max;

  for (guint l = 0; l < panel->lines->len; l++)
    {
      Line *line = g_ptr_array_index (panel->lines, l);
      double sx = 1.0 / (x_max - x_min);
      double sy = 1.0 / (y_max - y_min);

      if (line->nx == NULL)
        {
          line->nx = g_new (double, line->n);
          line->ny = g_new (double, line->n);
        }
      for (guint i = 0; i < line->n; i++)
        {
          double y = panel_y_value (panel, line->y[i]);

          line->nx[i] = (line->x[i] - x_min) * sx;
          line->ny[i] = isfinite (y) ? (y - y_min) * sy : NAN;
        }
      line->norm_version = version;
      line->px_version = 0;
    }
}

static void
clear_panels (TradeoffChart *self)
{
  for (guint i = 0; i < self->n_panels; i++)
    {
      panel_free (self->panels[i]);
      self->panels[i] = NULL;
    }
  self->n_panels = 0;
}

static void
build_panels (TradeoffChart *self)
{
  clear_panels (self);

  switch (self->kind)
    {
    case TRADEOFF_CHART_LATENCY:
      {
        Panel *p = panel_new (AXIS_PERCENTILE, AXIS_LATENCY, _("Latency"));

        for (guint i = 0; i < self->series->len; i++)
          {
            Series *s = g_ptr_array_index (self->series, i);

            /* The faint uncorrected line first, under its solid one. */
            if (s->show_uncorrected)
              panel_add_line (p, s->latu_x, s->latu_y, s->latu_n, i, TRUE);
          }
        for (guint i = 0; i < self->series->len; i++)
          {
            Series *s = g_ptr_array_index (self->series, i);

            panel_add_line (p, s->lat_x, s->lat_y, s->lat_n, i, FALSE);
          }
        self->panels[self->n_panels++] = p;
      }
      break;

    case TRADEOFF_CHART_THROUGHPUT:
      {
        gboolean bytes = self->workload_kind == TRADEOFF_WORKLOAD_STREAMING;
        const char *caption;
        Panel *p;

        if (bytes)
          caption = _("Throughput");
        else if (self->workload_kind == TRADEOFF_WORKLOAD_CHAT)
          caption = _("Deliveries per second");
        else
          caption = _("Requests per second");
        p = panel_new (AXIS_TIME, bytes ? AXIS_BYTES_RATE : AXIS_RATE, caption);
        for (guint i = 0; i < self->series->len; i++)
          {
            Series *s = g_ptr_array_index (self->series, i);

            panel_add_line (p, s->t, bytes ? s->bytes : s->completed, s->tl_n, i, FALSE);
          }
        self->panels[self->n_panels++] = p;
      }
      break;

    case TRADEOFF_CHART_RESOURCES:
      {
        Panel *rss = panel_new (AXIS_TIME, AXIS_MIB, _("Memory (RSS, MiB)"));
        Panel *cpu = panel_new (AXIS_TIME, AXIS_PERCENT, _("CPU (%)"));
        Panel *threads = panel_new (AXIS_TIME, AXIS_COUNT, _("Threads"));

        for (guint i = 0; i < self->series->len; i++)
          {
            Series *s = g_ptr_array_index (self->series, i);

            panel_add_line (rss, s->t, s->rss_mib, s->tl_n, i, FALSE);
            panel_add_line (cpu, s->t, s->cpu, s->tl_n, i, FALSE);
            panel_add_line (threads, s->t, s->threads, s->tl_n, i, FALSE);
          }
        rss->show_x_labels = FALSE;
        cpu->show_x_labels = FALSE;
        self->panels[self->n_panels++] = rss;
        self->panels[self->n_panels++] = cpu;
        self->panels[self->n_panels++] = threads;
      }
      break;

    case TRADEOFF_CHART_SUMMARY:
    default:
      break;
    }

  for (guint i = 0; i < self->n_panels; i++)
    panel_normalise (self->panels[i], self->data_version);

  /* The three resource panels share one time axis. */
  if (self->kind == TRADEOFF_CHART_RESOURCES)
    {
      double x_min = INFINITY, x_max = -INFINITY;

      for (guint i = 0; i < self->n_panels; i++)
        {
          if (self->panels[i]->lines->len == 0)
            continue;
          x_min = MIN (x_min, self->panels[i]->dx_min);
          x_max = MAX (x_max, self->panels[i]->dx_max);
        }
      for (guint i = 0; i < self->n_panels && isfinite (x_min); i++)
        {
          if (self->panels[i]->dx_min != x_min || self->panels[i]->dx_max != x_max)
            {
              /* Renormalise x against the shared range. */
              Panel *p = self->panels[i];

              for (guint l = 0; l < p->lines->len; l++)
                {
                  Line *line = g_ptr_array_index (p->lines, l);

                  for (guint k = 0; k < line->n; k++)
                    line->nx[k] = (line->x[k] - x_min) / (x_max - x_min);
                }
              p->dx_min = x_min;
              p->dx_max = x_max;
            }
        }
    }

  self->panels_version = self->data_version;
}

static void
ensure_panels (TradeoffChart *self)
{
  if (self->panels_version != self->data_version)
    build_panels (self);
}

/* }}} */
/* {{{ Public object */

TradeoffChart *
tradeoff_chart_new (TradeoffChartKind kind)
{
  TradeoffChart *self;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  self = g_new0 (TradeoffChart, 1);
  self->kind = kind;
  self->workload_kind = TRADEOFF_WORKLOAD_REQUEST;
  self->series = g_ptr_array_new_with_free_func (series_free);
  self->data_version = 1;
  self->panels_version = 0;
  return self;
}

void
tradeoff_chart_free (TradeoffChart *self)
{
  if (self == NULL)
    return;
  clear_panels (self);
  g_ptr_array_unref (self->series);
  g_free (self);
}

TradeoffChartKind
tradeoff_chart_get_kind (TradeoffChart *self)
{
  g_return_val_if_fail (self != NULL, TRADEOFF_CHART_LATENCY);
  return self->kind;
}

void
tradeoff_chart_set_workload_kind (TradeoffChart        *self,
                                  TradeoffWorkloadKind  kind)
{
  g_return_if_fail (self != NULL);

  if (self->workload_kind == kind)
    return;
  self->workload_kind = kind;
  self->data_version++;
}

void
tradeoff_chart_clear (TradeoffChart *self)
{
  g_return_if_fail (self != NULL);

  /* Panels borrow the series' arrays: drop them first. */
  clear_panels (self);
  g_ptr_array_set_size (self->series, 0);
  self->data_version++;
}

void
tradeoff_chart_add_run (TradeoffChart     *self,
                        const TradeoffRun *run,
                        guint              color_index)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (run != NULL);

  clear_panels (self);
  g_ptr_array_add (self->series, series_new_from_run (run, color_index, self->series->len));
  self->data_version++;
}

TradeoffChart *
tradeoff_chart_new_for_result (TradeoffChartKind     kind,
                               const TradeoffResult *result)
{
  TradeoffChart *self;

  g_return_val_if_fail (result != NULL, NULL);

  self = tradeoff_chart_new (kind);
  if (result->scenario != NULL)
    tradeoff_chart_set_workload_kind (self, result->scenario->workload.kind);
  for (guint i = 0; result->runs != NULL && i < result->runs->len; i++)
    tradeoff_chart_add_run (self, g_ptr_array_index (result->runs, i), i);
  return self;
}

/* }}} */
/* {{{ Axes */

static double
nice_step (double raw)
{
  double e, f, n;

  if (!(raw > 0) || !isfinite (raw))
    return 1;
  e = floor (log10 (raw));
  f = raw / pow (10, e);
  /* Rounded to the nearest of 1, 2, 5: a little denser than asked rather
   * than much sparser. */
  if (f < 1.5)
    n = 1;
  else if (f < 3.2)
    n = 2;
  else if (f < 7.1)
    n = 5;
  else
    n = 10;
  return n * pow (10, e);
}

static double
smaller_step (double step)
{
  double e = floor (log10 (step) + 1e-9);
  double m = step / pow (10, e);

  if (m > 4.5)
    return 2 * pow (10, e);
  if (m > 1.5)
    return pow (10, e);
  return 5 * pow (10, e - 1);
}

static void
axis_set_label_format (Axis *axis)
{
  double reach = MAX (fabs (axis->min), fabs (axis->max));
  double step = axis->step;

  axis->divisor = 1;
  axis->suffix = NULL;
  switch (axis->unit)
    {
    case AXIS_LATENCY:
      if (reach >= 1e6)
        {
          axis->divisor = 1e6;
          axis->suffix = "s";
        }
      else if (reach >= 1e3)
        {
          axis->divisor = 1e3;
          axis->suffix = "ms";
        }
      else
        axis->suffix = "µs";
      break;

    case AXIS_RATE:
      if (reach >= 1e6)
        {
          axis->divisor = 1e6;
          axis->suffix = "M";
        }
      else if (reach >= 1e4)
        {
          axis->divisor = 1e3;
          axis->suffix = "k";
        }
      break;

    case AXIS_BYTES_RATE:
      if (reach >= 1e9)
        {
          axis->divisor = 1e9;
          axis->suffix = "GB/s";
        }
      else if (reach >= 1e6)
        {
          axis->divisor = 1e6;
          axis->suffix = "MB/s";
        }
      else if (reach >= 1e3)
        {
          axis->divisor = 1e3;
          axis->suffix = "kB/s";
        }
      else
        axis->suffix = "B/s";
      break;

    case AXIS_SECONDS:
      axis->suffix = "s";
      break;

    case AXIS_TIME:
    case AXIS_PERCENTILE:
    case AXIS_MIB:
    case AXIS_PERCENT:
    case AXIS_COUNT:
    default:
      break;
    }

  step /= axis->divisor;
  axis->decimals = step >= 1 ? 0 : CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 6);
}

/* Nice linear ticks covering [lo, hi], about @target of them, never fewer
 * than three. */
static void
axis_linear (Axis    *axis,
             double   lo,
             double   hi,
             guint    target,
             gboolean integer)
{
  double step;
  double a, b;
  guint n;

  target = CLAMP (target, 3, MAX_TICKS - 1);
  if (hi <= lo)
    hi = lo + (lo == 0 ? 1 : fabs (lo) * 0.1);
  step = nice_step ((hi - lo) / (target - 1));
  if (integer && step < 1)
    step = 1;

  for (;;)
    {
      a = floor (lo / step + 1e-9) * step;
      b = ceil (hi / step - 1e-9) * step;
      n = (guint) llround ((b - a) / step) + 1;
      if (n >= 3 || (integer && step <= 1))
        break;
      step = smaller_step (step);
    }
  while (n < 3)
    {
      b += step;
      n++;
    }
  while (n > MAX_TICKS)
    {
      step *= 2;
      a = floor (lo / step + 1e-9) * step;
      b = ceil (hi / step - 1e-9) * step;
      n = (guint) llround ((b - a) / step) + 1;
    }

  axis->log = FALSE;
  axis->min = a;
  axis->max = b;
  axis->step = step;
  axis->n_ticks = n;
  for (guint i = 0; i < n; i++)
    axis->ticks[i] = a + i * step;
  axis_set_label_format (axis);
}

/* Log ticks in log10 space: every decade, with 2 and 5 between them when
 * there is room; at most @max_ticks. */
static void
axis_log (Axis   *axis,
          double  lo,
          double  hi,
          guint   max_ticks)
{
  double a = floor (lo + 1e-9);
  double b = ceil (hi - 1e-9);
  guint decades;
  guint every = 1;

  if (b - a < 1)
    b = a + 1;
  decades = (guint) (b - a);
  max_ticks = MAX (max_ticks, 3);

  axis->log = TRUE;
  axis->min = a;
  axis->max = b;
  axis->step = 1;
  axis->n_ticks = 0;
  axis->divisor = 1;
  axis->suffix = NULL;
  axis->decimals = 0;

  if (3 * decades + 1 <= max_ticks && decades <= 3)
    {
      for (double d = a; d <= b + 1e-9 && axis->n_ticks + 3 <= MAX_TICKS; d++)
        {
          axis->ticks[axis->n_ticks++] = d;
          if (d + 1 <= b + 1e-9)
            {
              axis->ticks[axis->n_ticks++] = d + log10 (2);
              axis->ticks[axis->n_ticks++] = d + log10 (5);
            }
        }
      return;
    }

  while ((decades / every) + 1 > max_ticks)
    every++;
  for (double d = a; d <= b + 1e-9 && axis->n_ticks < MAX_TICKS; d += every)
    axis->ticks[axis->n_ticks++] = d;
}

/* The percentile axis: a tick at each "nine". */
static void
axis_percentile (Axis   *axis,
                 double  hi,
                 guint   max_ticks)
{
  guint nines = (guint) MAX (2, ceil (hi - 1e-9));
  guint every = 1;

  nines = MIN (nines, MAX_TICKS - 1);
  while (nines / every + 1 > MAX (max_ticks, 3))
    every++;
  axis->log = FALSE;
  axis->unit = AXIS_PERCENTILE;
  axis->min = 0;
  axis->max = nines;
  axis->step = every;
  axis->n_ticks = 0;
  for (guint i = 0; i <= nines; i += every)
    axis->ticks[axis->n_ticks++] = i;
}

static inline double
axis_fraction (const Axis *axis,
               double      v)
{
  return (v - axis->min) / (axis->max - axis->min);
}

/* }}} */
/* {{{ Text */

static void
text_size (DrawContext                *ctx,
           const PangoFontDescription *font,
           const char                 *text,
           double                     *width,
           double                     *height)
{
  int w, h;

  pango_layout_set_font_description (ctx->layout, font);
  pango_layout_set_width (ctx->layout, -1);
  pango_layout_set_text (ctx->layout, text, -1);
  pango_layout_get_pixel_size (ctx->layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

/* Draws @text with its top-left at (x, y); @align 0 left, 0.5 centre,
 * 1 right of x. @max_width > 0 ellipsizes. Returns the width drawn. */
static double
draw_text (DrawContext                *ctx,
           const PangoFontDescription *font,
           const char                 *text,
           double                      x,
           double                      y,
           double                      align,
           double                      max_width)
{
  int w, h;

  pango_layout_set_font_description (ctx->layout, font);
  pango_layout_set_text (ctx->layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (ctx->layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (ctx->layout, ctx->ellipsize != PANGO_ELLIPSIZE_NONE ? ctx->ellipsize
                                                                                      : PANGO_ELLIPSIZE_END);
    }
  else
    {
      pango_layout_set_width (ctx->layout, -1);
      pango_layout_set_ellipsize (ctx->layout, PANGO_ELLIPSIZE_NONE);
    }
  pango_layout_get_pixel_size (ctx->layout, &w, &h);
  cairo_move_to (ctx->cr, round (x - align * w), round (y));
  pango_cairo_show_layout (ctx->cr, ctx->layout);
  pango_layout_set_width (ctx->layout, -1);
  pango_layout_set_ellipsize (ctx->layout, PANGO_ELLIPSIZE_NONE);
  return w;
}

/* }}} */
/* {{{ Series styles */

static void
set_series_dash (cairo_t *cr,
                 guint    color_index,
                 double   scale)
{
  static const double dash1[] = { 9, 3.5 };
  static const double dash2[] = { 2.5, 2.5 };
  static const double dash3[] = { 9, 3, 2.5, 3 };
  double d[4];

  switch (color_index % 4)
    {
    case 1:
      for (guint i = 0; i < 2; i++)
        d[i] = dash1[i] * scale;
      cairo_set_dash (cr, d, 2, 0);
      break;
    case 2:
      for (guint i = 0; i < 2; i++)
        d[i] = dash2[i] * scale;
      cairo_set_dash (cr, d, 2, 0);
      break;
    case 3:
      for (guint i = 0; i < 4; i++)
        d[i] = dash3[i] * scale;
      cairo_set_dash (cr, d, 4, 0);
      break;
    default:
      cairo_set_dash (cr, NULL, 0, 0);
      break;
    }
}

/* A marker shape per series, so lines differ without colour. */
static void
path_marker (cairo_t *cr,
             guint    color_index,
             double   x,
             double   y,
             double   r)
{
  switch (color_index % 6)
    {
    case 0:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    case 1:
      cairo_rectangle (cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
      break;
    case 2:
      cairo_move_to (cr, x, y - r * 1.15);
      cairo_line_to (cr, x + r * 1.1, y + r * 0.8);
      cairo_line_to (cr, x - r * 1.1, y + r * 0.8);
      cairo_close_path (cr);
      break;
    case 3:
      cairo_move_to (cr, x, y - r * 1.25);
      cairo_line_to (cr, x + r * 1.1, y);
      cairo_line_to (cr, x, y + r * 1.25);
      cairo_line_to (cr, x - r * 1.1, y);
      cairo_close_path (cr);
      break;
    case 4:
      cairo_move_to (cr, x, y + r * 1.15);
      cairo_line_to (cr, x + r * 1.1, y - r * 0.8);
      cairo_line_to (cr, x - r * 1.1, y - r * 0.8);
      cairo_close_path (cr);
      break;
    default:
      cairo_move_to (cr, x - r, y - r);
      cairo_line_to (cr, x + r, y + r);
      cairo_move_to (cr, x + r, y - r);
      cairo_line_to (cr, x - r, y + r);
      break;
    }
}

static void
draw_marker (DrawContext *ctx,
             guint        color_index,
             double       x,
             double       y,
             double       r)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  path_marker (cr, color_index, x, y, r);
  set_series_color (ctx, color_index, 1.0);
  if (color_index % 6 == 5)
    {
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
    }
  else
    {
      cairo_fill_preserve (cr);
      set_color (cr, &ctx->theme->background, ctx->theme->background.alpha > 0 ? 1.0 : 0.0);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* }}} */
/* {{{ Title and legend */

static const char *
chart_title (TradeoffChart *self)
{
  switch (self->kind)
    {
    case TRADEOFF_CHART_LATENCY:
      return _("Latency by percentile");
    case TRADEOFF_CHART_THROUGHPUT:
      return _("Throughput over time");
    case TRADEOFF_CHART_RESOURCES:
      return _("Resources over time");
    case TRADEOFF_CHART_SUMMARY:
    default:
      return _("Summary per engine");
    }
}

static gboolean
series_has_data (TradeoffChart *self,
                 Series        *s)
{
  switch (self->kind)
    {
    case TRADEOFF_CHART_LATENCY:
      return s->lat_n > 0;
    case TRADEOFF_CHART_THROUGHPUT:
      return s->tl_n > 0;
    case TRADEOFF_CHART_RESOURCES:
      return s->tl_n > 0 && s->resources_measured;
    case TRADEOFF_CHART_SUMMARY:
    default:
      return TRUE;
    }
}

static char *
legend_label (TradeoffChart *self,
              Series        *s)
{
  if (s->error != NULL)
    return g_strdup_printf ("%s ⚠", s->label);
  if (self->kind == TRADEOFF_CHART_RESOURCES && !s->resources_measured)
    return g_strdup_printf (_("%s (not measured)"), s->label);
  if (!series_has_data (self, s))
    return g_strdup_printf (_("%s (no data)"), s->label);
  return g_strdup (s->label);
}

#define LEGEND_SAMPLE 26.0

/* Lays out the legend entries in rows and, when @draw, draws them; returns
 * the height used. */
static double
legend_entries (DrawContext *ctx,
                double       x0,
                double       y0,
                double       width,
                double       column_width,
                gboolean     draw)
{
  TradeoffChart *self = ctx->chart;
  double x = x0;
  double y = y0;
  double row_height = ctx->line_height;
  double gap = ctx->line_height * 1.2;

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      g_autofree char *label = legend_label (self, s);
      double w, entry;

      text_size (ctx, ctx->font, label, &w, NULL);
      if (column_width > 0)
        w = MIN (w, column_width - LEGEND_SAMPLE - 6);
      w = MAX (MIN (w, width - LEGEND_SAMPLE - 6), 1);
      entry = column_width > 0 ? column_width : LEGEND_SAMPLE + 6 + w;
      if (x > x0 && x + entry > x0 + width + 0.5)
        {
          x = x0;
          y += row_height + 2;
        }
      if (draw)
        {
          double cy = y + row_height / 2;
          cairo_t *cr = ctx->cr;

          cairo_save (cr);
          set_series_color (ctx, s->color_index, 1.0);
          if (self->kind == TRADEOFF_CHART_SUMMARY)
            {
              cairo_rectangle (cr, x, cy - 5, 12, 10);
              cairo_fill (cr);
              draw_marker (ctx, s->color_index, x + 19, cy, 3.5);
            }
          else
            {
              cairo_set_line_width (cr, 2.0);
              set_series_dash (cr, s->color_index, 1.0);
              cairo_move_to (cr, x, cy);
              cairo_line_to (cr, x + LEGEND_SAMPLE, cy);
              cairo_stroke (cr);
              draw_marker (ctx, s->color_index, x + LEGEND_SAMPLE / 2, cy, 3.5);
            }
          cairo_restore (cr);
          /* Labels often differ at the end ("Pool, 8 workers", "Pool, 64
           * workers"): ellipsize in the middle to keep it */
          set_color (cr, &ctx->theme->foreground, 1.0);
          ctx->ellipsize = PANGO_ELLIPSIZE_MIDDLE;
          draw_text (ctx, ctx->font, label, x + LEGEND_SAMPLE + 6, y, 0, w + 1);
          ctx->ellipsize = PANGO_ELLIPSIZE_END;
        }
      x += entry + gap;
    }
  if (self->series->len > 0)
    y += row_height + 2;
  return y - y0;
}

/* Lays out the legend and, when @draw, draws it; returns the height used.
 * Entries flow in rows; when that would take more than @max_height, they
 * go in equal columns with their labels ellipsized. Notes follow. */
static double
legend (DrawContext *ctx,
        double       x0,
        double       y0,
        double       width,
        double       max_height,
        gboolean     draw)
{
  TradeoffChart *self = ctx->chart;
  double gap = ctx->line_height * 1.2;
  double column_width = 0;
  double y = y0;
  gboolean any_uncorrected = FALSE;
  guint max_notes = max_height < 5 * ctx->line_height ? 1 : 3;
  guint n_notes = 0;

  if (legend_entries (ctx, x0, y0, width, 0, FALSE) > max_height)
    {
      double min_column = LEGEND_SAMPLE + 6 + 7 * ctx->line_height;
      guint columns = (guint) MAX (1, floor ((width + gap) / (min_column + gap)));

      columns = MIN (columns, MAX (self->series->len, 1));
      column_width = (width - gap * (columns - 1)) / columns;
    }
  y += legend_entries (ctx, x0, y0, width, column_width, draw);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      if (s->show_uncorrected && self->kind == TRADEOFF_CHART_LATENCY)
        any_uncorrected = TRUE;
    }

  /* Notes: why a run failed, what limited it, how to read the faint lines. */
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      g_autofree char *text = NULL;

      if (s->error != NULL)
        text = g_strdup_printf (_("⚠ %s failed: %s"), s->label, s->error);
      else if (s->note != NULL)
        text = g_strdup_printf ("%s: %s", s->label, s->note);
      else
        continue;
      if (n_notes >= max_notes)
        continue;
      if (draw)
        {
          set_color (ctx->cr, &ctx->theme->foreground, 0.8);
          draw_text (ctx, ctx->small_font, text, x0, y, 0, width);
        }
      y += ctx->small_height;
      n_notes++;
    }
  if (any_uncorrected)
    {
      if (draw)
        {
          set_color (ctx->cr, &ctx->theme->foreground, 0.8);
          draw_text (ctx, ctx->small_font,
                     _("Faint dashed lines: latency timed from the actual send (uncorrected), "
                       "hiding the queueing time"),
                     x0, y, 0, width);
        }
      y += ctx->small_height;
    }
  return y - y0;
}

/* }}} */
/* {{{ Line panels */

static void
panel_layout (DrawContext *ctx,
              Panel       *panel,
              Rect         outer,
              gboolean     compact)
{
  double label_h = ctx->small_height;
  double caption_h = ctx->small_height + 2;
  double bottom = panel->show_x_labels ? label_h + 4 : 4;
  double left = 0;
  double right;
  Rect plot;
  guint target;

  if (panel->show_x_labels && panel->x_unit == AXIS_TIME)
    bottom += label_h + 2;  /* "Time (s)" */
  if (panel->show_x_labels && panel->x_unit == AXIS_PERCENTILE && !compact)
    bottom += label_h + 2;  /* "Percentile" */

  /* The top tick's label reaches half a line above the plot */
  caption_h += label_h / 2;
  panel->outer = outer;
  plot.y = outer.y + caption_h;
  plot.height = MAX (outer.height - caption_h - bottom, 10);

  /* y ticks: one per two and a half label heights at most */
  target = (guint) MAX (3, plot.height / (label_h * 2.2));
  panel->y_axis.unit = panel->y_unit;
  if (panel->y_log)
    axis_log (&panel->y_axis, panel->dy_min, panel->dy_max, (guint) (plot.height / (label_h * 1.3)));
  else
    axis_linear (&panel->y_axis,
                 panel->y_from_zero ? MIN (0, panel->dy_min) : panel->dy_min,
                 panel->dy_max, MIN (target, 8), panel->y_unit == AXIS_COUNT);

  for (guint i = 0; i < panel->y_axis.n_ticks; i++)
    {
      g_autofree char *text = format_tick (&panel->y_axis, panel->y_axis.ticks[i]);
      double w;

      text_size (ctx, ctx->small_font, text, &w, NULL);
      left = MAX (left, w);
    }
  left += 8;

  /* x ticks: measured against the widest label they could have */
  panel->x_axis.unit = panel->x_unit;
  right = ctx->pad;
  plot.x = outer.x + left;
  plot.width = MAX (outer.width - left - right, 10);
  if (panel->x_unit == AXIS_PERCENTILE)
    {
      g_autofree char *widest = format_percentile_x (MAX (2, ceil (panel->dx_max)));
      double w;

      text_size (ctx, ctx->small_font, widest, &w, NULL);
      axis_percentile (&panel->x_axis, panel->dx_max, (guint) (plot.width / (w + 14)) + 1);
      /* Room for the last label to the right */
      right = MAX (right, w / 2 + 2);
    }
  else
    {
      double w;

      axis_linear (&panel->x_axis, MIN (0, panel->dx_min), panel->dx_max, 4, FALSE);
      for (guint pass = 0; pass < 4; pass++)
        {
          g_autofree char *last = format_tick (&panel->x_axis, panel->x_axis.max);
          guint fit;

          text_size (ctx, ctx->small_font, last, &w, NULL);
          fit = (guint) (plot.width / (w + 24)) + 1;
          /* Nice steps may give more ticks than asked: ask for fewer
           * until they fit (three at least, whatever the width). */
          for (guint want = MIN (fit, 11); ; want--)
            {
              axis_linear (&panel->x_axis, MIN (0, panel->dx_min), panel->dx_max, want, FALSE);
              if (panel->x_axis.n_ticks <= MAX (fit, 3) || want <= 3)
                break;
            }
        }
      {
        g_autofree char *last = format_tick (&panel->x_axis, panel->x_axis.max);

        text_size (ctx, ctx->small_font, last, &w, NULL);
        right = MAX (right, w / 2 + 2);
      }
    }
  plot.width = MAX (outer.width - left - right, 10);
  panel->rect = plot;
}

/* Decimates the normalised line into pixel space, per pixel column:
 *
 * - px/py: the first, lowest, highest and last value, in the order they
 *   came: a path that looks like every point stroked, for sparse lines;
 * - band: the column's span from the lowest to the highest value, widened
 *   to meet the previous column: for dense lines, filled as one polygon.
 *   Stroking a zigzag of thousands of long vertical segments makes cairo
 *   tessellate overlapping strokes (tens of milliseconds a line); the band
 *   is the same pixels for a fraction of that.
 *
 * A NAN in either set marks a break (a value that was not measured). */
static void
line_update_pixels (Line  *line,
                    Panel *panel,
                    guint  version)
{
  const Rect *r = &panel->rect;
  double xr = panel->dx_max - panel->dx_min;
  double yr = panel->dy_max - panel->dy_min;
  /* px = r->x + r->width * (ax + bx * nx), likewise for y, downwards */
  double ax = (panel->dx_min - panel->x_axis.min) / (panel->x_axis.max - panel->x_axis.min);
  double bx = xr / (panel->x_axis.max - panel->x_axis.min);
  double ay = (panel->dy_min - panel->y_axis.min) / (panel->y_axis.max - panel->y_axis.min);
  double by = yr / (panel->y_axis.max - panel->y_axis.min);
  long column = G_MINLONG;
  double c_first_x = 0, c_first = 0, c_min = 0, c_max = 0, c_last = 0, c_last_x = 0;
  double prev_last = NAN;
  guint c_min_i = 0, c_max_i = 0, c_count = 0;
  guint n = 0, nb = 0;
  guint needed = MIN (line->n, (guint) (4 * (r->width + 4))) + 8;

  if (line->px_version == version &&
      memcmp (&line->px_rect, r, sizeof *r) == 0 &&
      line->px_ax[0] == panel->x_axis.min && line->px_ax[1] == panel->x_axis.max &&
      line->px_ax[2] == panel->y_axis.min && line->px_ax[3] == panel->y_axis.max)
    return;

  if (line->px_capacity < needed)
    {
      line->px_capacity = needed;
      line->px = g_renew (double, line->px, needed);
      line->py = g_renew (double, line->py, needed);
    }
  if (line->band_capacity < needed)
    {
      line->band_capacity = needed;
      line->band_x = g_renew (double, line->band_x, needed);
      line->band_lo = g_renew (double, line->band_lo, needed);
      line->band_hi = g_renew (double, line->band_hi, needed);
    }

#define EMIT(X, Y) G_STMT_START {                                           \
    if (n + 1 >= line->px_capacity)                                         \
      {                                                                     \
        line->px_capacity *= 2;                                             \
        line->px = g_renew (double, line->px, line->px_capacity);           \
        line->py = g_renew (double, line->py, line->px_capacity);           \
      }                                                                     \
    line->px[n] = (X);                                                      \
    line->py[n] = (Y);                                                      \
    n++;                                                                    \
  } G_STMT_END

#define EMIT_BAND(X, LO, HI) G_STMT_START {                                 \
    if (nb + 1 >= line->band_capacity)                                      \
      {                                                                     \
        line->band_capacity *= 2;                                           \
        line->band_x = g_renew (double, line->band_x, line->band_capacity); \
        line->band_lo = g_renew (double, line->band_lo, line->band_capacity); \
        line->band_hi = g_renew (double, line->band_hi, line->band_capacity); \
      }                                                                     \
    line->band_x[nb] = (X);                                                 \
    line->band_lo[nb] = (LO);                                               \
    line->band_hi[nb] = (HI);                                               \
    nb++;                                                                   \
  } G_STMT_END

#define FLUSH() G_STMT_START {                                              \
    if (c_count > 0)                                                        \
      {                                                                     \
        double lo = c_min, hi = c_max;                                      \
                                                                            \
        EMIT (c_first_x, c_first);                                          \
        if (c_count > 2)                                                    \
          {                                                                 \
            if (c_min_i <= c_max_i)                                         \
              {                                                             \
                EMIT (c_first_x, c_min);                                    \
                EMIT (c_first_x, c_max);                                    \
              }                                                             \
            else                                                            \
              {                                                             \
                EMIT (c_first_x, c_max);                                    \
                EMIT (c_first_x, c_min);                                    \
              }                                                             \
          }                                                                 \
        if (c_count > 1)                                                    \
          EMIT (c_last_x, c_last);                                          \
        /* Meet the previous column halfway */                             \
        if (isfinite (prev_last))                                           \
          {                                                                 \
            double mid = (prev_last + c_first) / 2;                         \
            lo = MIN (lo, mid);                                             \
            hi = MAX (hi, mid);                                             \
          }                                                                 \
        EMIT_BAND ((double) column + 0.5, lo, hi);                          \
        prev_last = c_last;                                                 \
        c_count = 0;                                                        \
      }                                                                     \
  } G_STMT_END

  for (guint i = 0; i < line->n; i++)
    {
      double x, y;
      long c;

      if (!isfinite (line->ny[i]) || !isfinite (line->nx[i]))
        {
          FLUSH ();
          if (n > 0 && isfinite (line->px[n - 1]))
            EMIT (NAN, NAN);
          if (nb > 0 && isfinite (line->band_x[nb - 1]))
            EMIT_BAND (NAN, NAN, NAN);
          column = G_MINLONG;
          prev_last = NAN;
          continue;
        }
      x = r->x + r->width * (ax + bx * line->nx[i]);
      y = r->y + r->height * (1.0 - (ay + by * line->ny[i]));
      c = (long) floor (x);
      if (c != column)
        {
          FLUSH ();
          /* A gap of empty columns: the band meets the next value there */
          if (column != G_MINLONG && c > column + 1 && isfinite (prev_last))
            prev_last = NAN;
          column = c;
          c_first_x = c_last_x = x;
          c_first = c_min = c_max = c_last = y;
          c_min_i = c_max_i = i;
          c_count = 1;
        }
      else
        {
          if (y < c_min)
            {
              c_min = y;
              c_min_i = i;
            }
          if (y > c_max)
            {
              c_max = y;
              c_max_i = i;
            }
          c_last = y;
          c_last_x = x;
          c_count++;
        }
    }
  FLUSH ();

#undef FLUSH
#undef EMIT_BAND
#undef EMIT

  line->n_px = n;
  line->n_band = nb;
  /* Dense: more values than pixel columns, on average. Only for series
   * over time: the latency curve is a monotonic step line, cheap to
   * stroke, whose steps a band would smear. */
  line->dense = panel->x_unit == AXIS_TIME && line->n > nb + nb / 2 && nb > 0;
  line->px_rect = *r;
  line->px_ax[0] = panel->x_axis.min;
  line->px_ax[1] = panel->x_axis.max;
  line->px_ax[2] = panel->y_axis.min;
  line->px_ax[3] = panel->y_axis.max;
  line->px_version = version;
}

/* The band of a dense line as closed polygons, one per unbroken stretch:
 * each column flat from its left to its right edge, the top edge left to
 * right, the bottom edge back. Each column takes the span of its
 * neighbours too, and half a line width more, so that the band is as thick
 * as a stroked line, a one-column spike included. */
static void
path_band (cairo_t    *cr,
           const Line *line,
           double      half_width)
{
  guint start = 0;

  while (start < line->n_band)
    {
      guint end = start;

      if (isnan (line->band_x[start]))
        {
          start++;
          continue;
        }
      while (end < line->n_band && !isnan (line->band_x[end]))
        end++;

      for (guint i = start; i < end; i++)
        {
          double top = line->band_lo[i];

          if (i > start)
            top = MIN (top, line->band_lo[i - 1]);
          if (i + 1 < end)
            top = MIN (top, line->band_lo[i + 1]);
          if (i == start)
            cairo_move_to (cr, line->band_x[i] - 0.5 - half_width, top - half_width);
          else
            cairo_line_to (cr, line->band_x[i] - 0.5, top - half_width);
          cairo_line_to (cr, line->band_x[i] + (i + 1 == end ? 0.5 + half_width : 0.5), top - half_width);
        }
      for (guint i = end; i > start; i--)
        {
          guint k = i - 1;
          double bottom = line->band_hi[k];

          if (k > start)
            bottom = MAX (bottom, line->band_hi[k - 1]);
          if (k + 1 < end)
            bottom = MAX (bottom, line->band_hi[k + 1]);
          cairo_line_to (cr, line->band_x[k] + (k + 1 == end ? 0.5 + half_width : 0.5), bottom + half_width);
          cairo_line_to (cr, line->band_x[k] - (k == start ? 0.5 + half_width : 0.5), bottom + half_width);
        }
      cairo_close_path (cr);
      start = end;
    }
}

static void
draw_y_labels (DrawContext *ctx,
               const Axis  *axis,
               const Rect  *r)
{
  double label_h = ctx->small_height;
  double last_y = INFINITY;

  for (guint i = 0; i < axis->n_ticks; i++)
    {
      g_autofree char *text = NULL;
      double y = r->y + r->height * (1 - axis_fraction (axis, axis->ticks[i]));

      if (last_y - y < label_h * 1.05)
        continue;
      /* Keep room for the top label when the one before would crowd it */
      if (i + 1 < axis->n_ticks && i > 0)
        {
          double top = r->y + r->height * (1 - axis_fraction (axis, axis->ticks[axis->n_ticks - 1]));

          if (y - top < label_h * 1.05)
            continue;
        }
      text = format_tick (axis, axis->ticks[i]);
      draw_text (ctx, ctx->small_font, text, r->x - 6, y - label_h / 2, 1.0, 0);
      last_y = y;
    }
}

static void
panel_draw_frame (DrawContext *ctx,
                  Panel       *panel)
{
  cairo_t *cr = ctx->cr;
  const Rect *r = &panel->rect;
  double label_h = ctx->small_height;

  /* Grid, snapped to pixels */
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  set_color (cr, &ctx->theme->grid, 1.0);
  for (guint i = 0; i < panel->y_axis.n_ticks; i++)
    {
      double y = round (r->y + r->height * (1 - axis_fraction (&panel->y_axis, panel->y_axis.ticks[i]))) + 0.5;

      cairo_move_to (cr, r->x, y);
      cairo_line_to (cr, r->x + r->width, y);
    }
  for (guint i = 0; i < panel->x_axis.n_ticks; i++)
    {
      double x = round (r->x + r->width * axis_fraction (&panel->x_axis, panel->x_axis.ticks[i])) + 0.5;

      cairo_move_to (cr, x, r->y);
      cairo_line_to (cr, x, r->y + r->height);
    }
  cairo_stroke (cr);

  /* Axis lines */
  set_color (cr, &ctx->theme->foreground, 0.45);
  cairo_move_to (cr, round (r->x) + 0.5, r->y);
  cairo_line_to (cr, round (r->x) + 0.5, round (r->y + r->height) + 0.5);
  cairo_line_to (cr, r->x + r->width, round (r->y + r->height) + 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);

  /* Tick labels */
  set_color (cr, &ctx->theme->foreground, 0.75);
  draw_y_labels (ctx, &panel->y_axis, r);
  if (panel->show_x_labels)
    {
      for (guint i = 0; i < panel->x_axis.n_ticks; i++)
        {
          g_autofree char *text = format_tick (&panel->x_axis, panel->x_axis.ticks[i]);
          double x = r->x + r->width * axis_fraction (&panel->x_axis, panel->x_axis.ticks[i]);

          draw_text (ctx, ctx->small_font, text, x, r->y + r->height + 3, 0.5, 0);
        }
    }

  /* Captions: the y title above the plot, the x title under the labels */
  set_color (cr, &ctx->theme->foreground, 0.9);
  draw_text (ctx, ctx->small_font, panel->caption, panel->outer.x, panel->outer.y, 0,
             panel->outer.width);
  if (panel->show_x_labels && panel->x_unit == AXIS_TIME)
    draw_text (ctx, ctx->small_font, _("Time (s)"), r->x + r->width / 2,
               r->y + r->height + 4 + label_h, 0.5, 0);
  else if (panel->show_x_labels && panel->x_unit == AXIS_PERCENTILE &&
           panel->outer.y + panel->outer.height >= r->y + r->height + 4 + 2 * label_h)
    draw_text (ctx, ctx->small_font, _("Percentile (log scale of 1 / (1 − p))"),
               r->x + r->width / 2, r->y + r->height + 4 + label_h, 0.5, 0);

  if (!panel->has_data)
    {
      set_color (cr, &ctx->theme->foreground, 0.6);
      draw_text (ctx, ctx->font, _("not measured"), r->x + r->width / 2,
                 r->y + r->height / 2 - ctx->line_height / 2, 0.5, 0);
    }
}

static void
panel_draw_lines (DrawContext *ctx,
                  Panel       *panel)
{
  TradeoffChart *self = ctx->chart;
  cairo_t *cr = ctx->cr;
  const Rect *r = &panel->rect;

  cairo_save (cr);
  cairo_rectangle (cr, r->x - 4, r->y - 4, r->width + 8, r->height + 8);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  for (guint l = 0; l < panel->lines->len; l++)
    {
      Line *line = g_ptr_array_index (panel->lines, l);
      Series *s = g_ptr_array_index (self->series, line->series);
      gboolean pen_down = FALSE;

      line_update_pixels (line, panel, self->data_version);
      if (line->n_px == 0)
        continue;

      cairo_new_path (cr);
      if (line->dense)
        {
          path_band (cr, line, line->faint ? 0.6 : 1.0);
          set_series_color (ctx, s->color_index, line->faint ? 0.5 : 1.0);
          cairo_fill (cr);
        }
      else
        {
          for (guint i = 0; i < line->n_px; i++)
            {
              if (isnan (line->px[i]))
                {
                  pen_down = FALSE;
                  continue;
                }
              if (pen_down)
                cairo_line_to (cr, line->px[i], line->py[i]);
              else
                cairo_move_to (cr, line->px[i], line->py[i]);
              pen_down = TRUE;
            }
        }
      if (!line->dense)
        {
          if (line->faint)
            {
              static const double faint_dash[] = { 5, 4 };

              cairo_set_line_width (cr, 1.5);
              cairo_set_dash (cr, faint_dash, 2, 0);
              set_series_color (ctx, s->color_index, ctx->theme->dark ? 0.6 : 0.5);
            }
          else
            {
              cairo_set_line_width (cr, 2.0);
              set_series_dash (cr, s->color_index, 1.0);
              set_series_color (ctx, s->color_index, 1.0);
            }
          cairo_stroke (cr);
        }

      /* Markers every ~90 px, staggered per series so they do not stack */
      if (!line->faint)
        {
          double spacing = 90;
          double next = r->x + 12 + fmod (s->color_index * 23.0, spacing);
          double last_x = -INFINITY, last_y = 0;

          for (guint i = 0; i < line->n_px; i++)
            {
              if (isnan (line->px[i]))
                continue;
              if (line->px[i] >= next)
                {
                  draw_marker (ctx, s->color_index, line->px[i], line->py[i], 3.5);
                  next = line->px[i] + spacing;
                }
              last_x = line->px[i];
              last_y = line->py[i];
            }
          /* The end of each line carries one too (the max of latency) */
          if (isfinite (last_x))
            draw_marker (ctx, s->color_index, last_x, last_y, 3.5);
        }
    }
  cairo_restore (cr);
}

static void
draw_line_panels (DrawContext *ctx,
                  Rect         area)
{
  TradeoffChart *self = ctx->chart;
  double gap = ctx->small_height * 0.6;
  double each;
  gboolean compact = area.height < 260;

  if (self->n_panels == 0)
    return;
  each = (area.height - gap * (self->n_panels - 1)) / self->n_panels;

  /* The stacked panels share the x axis, and so its left edge: lay them
   * out, then align them to the widest y labels. */
  for (guint i = 0; i < self->n_panels; i++)
    {
      Panel *p = self->panels[i];
      Rect outer = { area.x, area.y + i * (each + gap), area.width, each };

      /* The bottom panel carries the x labels: give it their room */
      if (self->n_panels > 1)
        {
          double extra = 2 * ctx->small_height + 6;
          double share = extra / self->n_panels;

          outer.height = each - share + (p->show_x_labels ? extra : 0);
          outer.y = area.y + i * (each - share + gap);
        }
      panel_layout (ctx, p, outer, compact);
    }
  if (self->n_panels > 1)
    {
      double left = 0;
      double right = G_MAXDOUBLE;

      for (guint i = 0; i < self->n_panels; i++)
        {
          left = MAX (left, self->panels[i]->rect.x);
          right = MIN (right, self->panels[i]->rect.x + self->panels[i]->rect.width);
        }
      for (guint i = 0; i < self->n_panels; i++)
        {
          self->panels[i]->rect.x = left;
          self->panels[i]->rect.width = right - left;
        }
    }

  for (guint i = 0; i < self->n_panels; i++)
    {
      panel_draw_frame (ctx, self->panels[i]);
      panel_draw_lines (ctx, self->panels[i]);
    }
}

/* }}} */
/* {{{ Summary bars */

static const char *
summary_caption (TradeoffChart *self,
                 guint          metric)
{
  switch (metric)
    {
    case 0:
      if (self->workload_kind == TRADEOFF_WORKLOAD_STREAMING)
        return _("Throughput");
      if (self->workload_kind == TRADEOFF_WORKLOAD_CHAT)
        return _("Deliveries/s");
      return _("Requests/s");
    case 1:
      return _("p50 latency");
    case 2:
      return _("p99 latency");
    case 3:
      return _("Peak RSS (MiB)");
    default:
      return _("CPU time (s)");
    }
}

static double
summary_value (TradeoffChart *self,
               Series        *s,
               guint          metric)
{
  switch (metric)
    {
    case 0:
      return self->workload_kind == TRADEOFF_WORKLOAD_STREAMING ? s->bytes_per_s : s->throughput_per_s;
    case 1:
      return s->p50_us;
    case 2:
      return s->p99_us;
    case 3:
      return s->peak_rss_mib;
    default:
      return s->cpu_seconds;
    }
}

static AxisUnit
summary_unit (TradeoffChart *self,
              guint          metric)
{
  switch (metric)
    {
    case 0:
      return self->workload_kind == TRADEOFF_WORKLOAD_STREAMING ? AXIS_BYTES_RATE : AXIS_RATE;
    case 1:
    case 2:
      return AXIS_LATENCY;
    case 3:
      return AXIS_MIB;
    default:
      return AXIS_SECONDS;
    }
}

static char *
summary_format (TradeoffChart *self,
                guint          metric,
                double         v)
{
  switch (metric)
    {
    case 0:
      if (self->workload_kind == TRADEOFF_WORKLOAD_STREAMING)
        return format_bytes_rate (v);
      return fabs (v) >= 100 ? format_grouped (v) : g_strdup_printf ("%.*f", sig_decimals (v), v);
    case 1:
    case 2:
      return format_duration_us (v);
    case 3:
      return format_mib (v);
    default:
      return format_seconds (v);
    }
}

static void
draw_bar_panel (DrawContext *ctx,
                guint        metric,
                Rect         outer)
{
  TradeoffChart *self = ctx->chart;
  BarPanel *bp = &self->bars[metric];
  cairo_t *cr = ctx->cr;
  double label_h = ctx->small_height;
  double hi = 0;
  double left = 0;
  guint n = self->series->len;
  Rect plot;
  guint target;

  bp->outer = outer;
  for (guint i = 0; i < n; i++)
    {
      double v = summary_value (self, g_ptr_array_index (self->series, i), metric);

      if (isfinite (v))
        hi = MAX (hi, v);
    }

  /* caption, room for value labels over the bars, the markers under them */
  plot.y = outer.y + label_h + 4 + label_h * 1.2;
  plot.height = MAX (outer.height - (plot.y - outer.y) - 14, 10);
  target = (guint) MAX (3, plot.height / (label_h * 2.2));
  bp->axis.unit = summary_unit (self, metric);
  axis_linear (&bp->axis, 0, hi > 0 ? hi : 1, MIN (target, 6), FALSE);
  for (guint i = 0; i < bp->axis.n_ticks; i++)
    {
      g_autofree char *text = format_tick (&bp->axis, bp->axis.ticks[i]);
      double w;

      text_size (ctx, ctx->small_font, text, &w, NULL);
      left = MAX (left, w);
    }
  left += 8;
  plot.x = outer.x + left;
  plot.width = MAX (outer.width - left - 6, 10);
  bp->plot = plot;

  /* Caption */
  set_color (cr, &ctx->theme->foreground, 0.9);
  draw_text (ctx, ctx->small_font, summary_caption (self, metric), outer.x, outer.y, 0, outer.width);

  /* Grid and ticks */
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  set_color (cr, &ctx->theme->grid, 1.0);
  for (guint i = 0; i < bp->axis.n_ticks; i++)
    {
      double y = round (plot.y + plot.height * (1 - axis_fraction (&bp->axis, bp->axis.ticks[i]))) + 0.5;

      cairo_move_to (cr, plot.x, y);
      cairo_line_to (cr, plot.x + plot.width, y);
    }
  cairo_stroke (cr);
  set_color (cr, &ctx->theme->foreground, 0.45);
  cairo_move_to (cr, round (plot.x) + 0.5, plot.y);
  cairo_line_to (cr, round (plot.x) + 0.5, round (plot.y + plot.height) + 0.5);
  cairo_line_to (cr, plot.x + plot.width, round (plot.y + plot.height) + 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);

  set_color (cr, &ctx->theme->foreground, 0.75);
  draw_y_labels (ctx, &bp->axis, &plot);

  /* Bars */
  bp->slot_width = n > 0 ? plot.width / n : plot.width;
  for (guint i = 0; i < n; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      double v = summary_value (self, s, metric);
      double slot = bp->slot_width;
      double bw = MIN (slot * 0.7, 64);
      double cx = plot.x + slot * (i + 0.5);
      double base = plot.y + plot.height;
      g_autofree char *text = NULL;
      double tw;

      if (isfinite (v))
        {
          double top = plot.y + plot.height * (1 - axis_fraction (&bp->axis, v));

          set_series_color (ctx, s->color_index, 1.0);
          cairo_rectangle (cr, round (cx - bw / 2), top, round (bw), base - top);
          cairo_fill (cr);
          text = summary_format (self, metric, v);
          text_size (ctx, ctx->small_font, text, &tw, NULL);
          if (tw <= slot - 2)
            {
              set_color (cr, &ctx->theme->foreground, 0.9);
              draw_text (ctx, ctx->small_font, text, cx, top - label_h - 1, 0.5, 0);
            }
        }
      else
        {
          const char *why = s->error != NULL ? _("failed") : _("not measured");

          text_size (ctx, ctx->small_font, why, &tw, NULL);
          set_color (cr, &ctx->theme->foreground, 0.6);
          draw_text (ctx, ctx->small_font, tw <= slot - 2 ? why : "–", cx, base - label_h - 2, 0.5, 0);
        }
      draw_marker (ctx, s->color_index, cx, base + 8, 3.5);
    }
}

static void
draw_summary (DrawContext *ctx,
              Rect         area)
{
  double best = -1;
  guint cols = N_SUMMARY;
  guint rows;
  double gap_x = ctx->line_height;
  double gap_y = ctx->small_height;
  double pw, ph;

  /* The grid of panels that keeps them closest to square-ish */
  for (guint c = 1; c <= N_SUMMARY; c++)
    {
      guint r = (N_SUMMARY + c - 1) / c;
      double w = (area.width - gap_x * (c - 1)) / c;
      double h = (area.height - gap_y * (r - 1)) / r;
      double score = MIN (w, h * 1.4);

      if (score > best)
        {
          best = score;
          cols = c;
        }
    }
  rows = (N_SUMMARY + cols - 1) / cols;
  pw = (area.width - gap_x * (cols - 1)) / cols;
  ph = (area.height - gap_y * (rows - 1)) / rows;
  for (guint m = 0; m < N_SUMMARY; m++)
    {
      Rect outer = { area.x + (m % cols) * (pw + gap_x), area.y + (m / cols) * (ph + gap_y), pw, ph };

      draw_bar_panel (ctx, m, outer);
    }
}

/* }}} */
/* {{{ Draw */

void
tradeoff_chart_draw (TradeoffChart            *self,
                     cairo_t                  *cr,
                     double                    width,
                     double                    height,
                     const TradeoffChartTheme *theme)
{
  TradeoffChartTheme fallback;
  DrawContext ctx = { 0 };
  PangoFontMetrics *metrics;
  PangoContext *pango;
  double font_size;
  double y;
  Rect area;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  if (theme == NULL)
    {
      tradeoff_chart_theme_init (&fallback, FALSE);
      theme = &fallback;
    }

  ensure_panels (self);
  self->last_width = width;
  self->last_height = height;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (theme->background.alpha > 0)
    {
      set_color (cr, &theme->background, 1.0);
      cairo_paint (cr);
    }

  font_size = theme->font_size > 0 ? theme->font_size : 10.0;
  ctx.chart = self;
  ctx.cr = cr;
  ctx.theme = theme;
  ctx.layout = pango_cairo_create_layout (cr);
  ctx.font = pango_font_description_from_string (theme->font_family != NULL ? theme->font_family : DEFAULT_FONT);
  pango_font_description_set_size (ctx.font, (int) (font_size * PANGO_SCALE));
  ctx.small_font = pango_font_description_copy (ctx.font);
  pango_font_description_set_size (ctx.small_font, (int) (font_size * 0.9 * PANGO_SCALE));
  ctx.title_font = pango_font_description_copy (ctx.font);
  pango_font_description_set_size (ctx.title_font, (int) (font_size * 1.25 * PANGO_SCALE));
  pango_font_description_set_weight (ctx.title_font, PANGO_WEIGHT_BOLD);

  pango = pango_layout_get_context (ctx.layout);
  metrics = pango_context_get_metrics (pango, ctx.font, NULL);
  ctx.line_height = ceil ((double) (pango_font_metrics_get_ascent (metrics) +
                                    pango_font_metrics_get_descent (metrics)) / PANGO_SCALE);
  pango_font_metrics_unref (metrics);
  metrics = pango_context_get_metrics (pango, ctx.small_font, NULL);
  ctx.small_height = ceil ((double) (pango_font_metrics_get_ascent (metrics) +
                                     pango_font_metrics_get_descent (metrics)) / PANGO_SCALE);
  pango_font_metrics_unref (metrics);
  ctx.pad = MAX (8, MIN (width, height) * 0.025);

  /* Title */
  y = ctx.pad;
  set_color (cr, &theme->foreground, 1.0);
  {
    double th;

    draw_text (&ctx, ctx.title_font, chart_title (self), ctx.pad, y, 0, width - 2 * ctx.pad);
    text_size (&ctx, ctx.title_font, chart_title (self), NULL, &th);
    y += th + ctx.pad * 0.5;
  }

  /* Legend */
  y += legend (&ctx, ctx.pad, y, width - 2 * ctx.pad, MAX (height * 0.2, ctx.line_height * 2.5), TRUE);
  y += ctx.pad * 0.5;

  area.x = ctx.pad;
  area.y = y;
  area.width = width - 2 * ctx.pad;
  area.height = height - y - ctx.pad;

  if (self->series->len == 0)
    {
      set_color (cr, &theme->foreground, 0.6);
      draw_text (&ctx, ctx.font, _("No results yet"), width / 2,
                 area.y + area.height / 2 - ctx.line_height / 2, 0.5, 0);
    }
  else if (area.height > 2 * ctx.small_height && area.width > 40)
    {
      switch (self->kind)
        {
        case TRADEOFF_CHART_SUMMARY:
          draw_summary (&ctx, area);
          break;
        case TRADEOFF_CHART_LATENCY:
        case TRADEOFF_CHART_THROUGHPUT:
        case TRADEOFF_CHART_RESOURCES:
        default:
          draw_line_panels (&ctx, area);
          break;
        }
    }
  self->drawn = TRUE;

  pango_font_description_free (ctx.font);
  pango_font_description_free (ctx.small_font);
  pango_font_description_free (ctx.title_font);
  g_object_unref (ctx.layout);
  cairo_restore (cr);
}

/* }}} */
/* {{{ Hover */

/* The index of the last point with x <= @x in a sorted array, or -1. */
static gssize
find_at_or_before (const double *xs,
                   guint         n,
                   double        x)
{
  gssize lo = 0, hi = (gssize) n - 1, found = -1;

  while (lo <= hi)
    {
      gssize mid = lo + (hi - lo) / 2;

      if (xs[mid] <= x)
        {
          found = mid;
          lo = mid + 1;
        }
      else
        hi = mid - 1;
    }
  return found;
}

static gssize
find_nearest (const double *xs,
              guint         n,
              double        x)
{
  gssize i = find_at_or_before (xs, n, x);

  if (n == 0)
    return -1;
  if (i < 0)
    return 0;
  if ((guint) i + 1 < n && fabs (xs[i + 1] - x) < fabs (x - xs[i]))
    return i + 1;
  return i;
}

static double
latency_at (const double *xs,
            const double *ys,
            guint         n,
            double        x)
{
  gssize i = find_at_or_before (xs, n, x);

  if (n == 0)
    return NAN;
  if (i < 0)
    return ys[0];
  /* On a step, the value of the bucket that covers x */
  if ((guint) i + 1 < n && xs[i] == x && i > 0 && (i % 2) == 0)
    return ys[i - 1];
  return ys[i];
}

static gboolean
describe_lines (TradeoffChart *self,
                double         x,
                double         y,
                double        *crosshair_x,
                char         **text)
{
  Panel *panel = NULL;
  double best_distance = INFINITY;
  double dx;
  double cross = x;
  double nearest_gap = INFINITY;
  GString *out;

  for (guint i = 0; i < self->n_panels; i++)
    {
      Panel *p = self->panels[i];
      double d;

      if (x < p->rect.x - 2 || x > p->rect.x + p->rect.width + 2)
        continue;
      if (y >= p->outer.y && y <= p->outer.y + p->outer.height)
        d = 0;
      else
        d = MIN (fabs (y - p->outer.y), fabs (y - (p->outer.y + p->outer.height)));
      if (d < best_distance)
        {
          best_distance = d;
          panel = p;
        }
    }
  if (panel == NULL || !panel->has_data || best_distance > 40)
    return FALSE;

  dx = panel->x_axis.min + CLAMP ((x - panel->rect.x) / panel->rect.width, 0, 1) *
       (panel->x_axis.max - panel->x_axis.min);
  out = g_string_new (NULL);

  if (self->kind == TRADEOFF_CHART_LATENCY)
    {
      g_autofree char *at = format_percentile_x (dx);

      for (guint i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          g_autofree char *value = NULL;

          if (s->lat_n == 0)
            {
              if (s->error != NULL)
                g_string_append_printf (out, _("%s%s: failed"), out->len > 0 ? "\n" : "", s->label);
              continue;
            }
          value = format_duration_us (latency_at (s->lat_x, s->lat_y, s->lat_n, MIN (dx, s->lat_x[s->lat_n - 1])));
          if (out->len > 0)
            g_string_append_c (out, '\n');
          g_string_append_printf (out, _("%s: %s at %s"), s->label, value, at);
          if (s->show_uncorrected)
            {
              g_autofree char *u = format_duration_us (latency_at (s->latu_x, s->latu_y, s->latu_n,
                                                                   MIN (dx, s->latu_x[s->latu_n - 1])));

              g_string_append_printf (out, _(" (uncorrected %s)"), u);
            }
        }
      cross = panel->rect.x + panel->rect.width * axis_fraction (&panel->x_axis, dx);
    }
  else
    {
      for (guint i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          g_autofree char *at = NULL;
          gssize k;
          double px;

          if (s->tl_n == 0)
            {
              if (s->error != NULL)
                g_string_append_printf (out, _("%s%s: failed"), out->len > 0 ? "\n" : "", s->label);
              continue;
            }
          k = find_nearest (s->t, s->tl_n, dx);
          at = format_seconds (s->t[k]);
          if (out->len > 0)
            g_string_append_c (out, '\n');
          if (self->kind == TRADEOFF_CHART_THROUGHPUT)
            {
              double v = self->workload_kind == TRADEOFF_WORKLOAD_STREAMING ? s->bytes[k] : s->completed[k];
              g_autofree char *value = format_rate (self->workload_kind, v);

              g_string_append_printf (out, _("%s: %s at %s"), s->label, value, at);
            }
          else if (!s->resources_measured)
            g_string_append_printf (out, _("%s: not measured"), s->label);
          else
            {
              g_autofree char *rss = format_mib (s->rss_mib[k]);
              g_autofree char *cpu = isfinite (s->cpu[k]) ? g_strdup_printf ("%.0f%%", s->cpu[k])
                                                          : g_strdup (_("not measured"));
              g_autofree char *threads = isfinite (s->threads[k]) ? g_strdup_printf ("%.0f", s->threads[k])
                                                                  : g_strdup (_("not measured"));

              g_string_append_printf (out, _("%s: %s RSS, %s CPU, %s threads at %s"),
                                      s->label, rss, cpu, threads, at);
            }
          px = panel->rect.x + panel->rect.width * axis_fraction (&panel->x_axis, s->t[k]);
          if (fabs (px - x) < nearest_gap)
            {
              nearest_gap = fabs (px - x);
              cross = px;
            }
        }
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return FALSE;
    }
  if (crosshair_x != NULL)
    *crosshair_x = cross;
  if (text != NULL)
    *text = g_string_free (out, FALSE);
  else
    g_string_free (out, TRUE);
  return TRUE;
}

static gboolean
describe_bars (TradeoffChart *self,
               double         x,
               double         y,
               double        *crosshair_x,
               char         **text)
{
  for (guint m = 0; m < N_SUMMARY; m++)
    {
      BarPanel *bp = &self->bars[m];
      GString *out;
      guint slot;

      if (x < bp->plot.x || x > bp->plot.x + bp->plot.width ||
          y < bp->outer.y || y > bp->outer.y + bp->outer.height)
        continue;
      if (self->series->len == 0)
        return FALSE;

      out = g_string_new (summary_caption (self, m));
      for (guint i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          g_autofree char *value = NULL;

          if (s->error != NULL && !isfinite (summary_value (self, s, m)))
            {
              g_string_append_printf (out, _("\n%s: failed (%s)"), s->label, s->error);
              continue;
            }
          value = summary_format (self, m, summary_value (self, s, m));

          if (m == 0 && self->workload_kind != TRADEOFF_WORKLOAD_STREAMING &&
              isfinite (summary_value (self, s, m)))
            {
              g_free (value);
              value = format_rate (self->workload_kind, summary_value (self, s, m));
            }
          g_string_append_printf (out, "\n%s: %s", s->label, value);
        }
      slot = (guint) CLAMP ((x - bp->plot.x) / bp->slot_width, 0, self->series->len - 1);
      if (crosshair_x != NULL)
        *crosshair_x = bp->plot.x + bp->slot_width * (slot + 0.5);
      if (text != NULL)
        *text = g_string_free (out, FALSE);
      else
        g_string_free (out, TRUE);
      return TRUE;
    }
  return FALSE;
}

gboolean
tradeoff_chart_describe_point (TradeoffChart *self,
                               double         x,
                               double         y,
                               double        *crosshair_x,
                               char         **text)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (text != NULL)
    *text = NULL;
  if (!self->drawn || self->series->len == 0)
    return FALSE;
  /* The layout is the one of the last draw; the data may have changed
   * since, so rebuild the panels before reading them. */
  if (self->panels_version != self->data_version)
    return FALSE;

  if (self->kind == TRADEOFF_CHART_SUMMARY)
    return describe_bars (self, x, y, crosshair_x, text);
  return describe_lines (self, x, y, crosshair_x, text);
}

/* }}} */
/* {{{ Save */

gboolean
tradeoff_chart_save (TradeoffChart        *self,
                     const char           *path,
                     TradeoffChartFormat   format,
                     int                   width,
                     int                   height,
                     gboolean              dark,
                     GError              **error)
{
  g_autofree char *tmp_path = NULL;
  g_autofree char *display = NULL;
  TradeoffChartTheme theme;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;
  mode_t mask;
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (width < 16 || height < 16 || width > 20000 || height > 20000)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export to “%s”: the size %d×%d is outside 16×16 to 20000×20000"),
                   display, width, height);
      return FALSE;
    }

  /* A temporary file beside the target, renamed over it once complete:
   * a failure never leaves a half-written chart in place of a good one. */
  tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp (tmp_path);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }
  mask = umask (0);
  umask (mask);
  if (fchmod (fd, 0666 & ~mask) != 0)
    g_debug ("fchmod %s: %s", tmp_path, g_strerror (errno));
  close (fd);

  tradeoff_chart_theme_init (&theme, dark);

  switch (format)
    {
    case TRADEOFF_CHART_FORMAT_SVG:
      surface = cairo_svg_surface_create (tmp_path, width, height);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case TRADEOFF_CHART_FORMAT_PDF:
      surface = cairo_pdf_surface_create (tmp_path, width, height);
      break;
    case TRADEOFF_CHART_FORMAT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    }

  cr = cairo_create (surface);
  tradeoff_chart_draw (self, cr, width, height, &theme);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == TRADEOFF_CHART_FORMAT_PNG)
    status = cairo_surface_write_to_png (surface, tmp_path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot write “%s”: %s"), display, cairo_status_to_string (status));
      g_unlink (tmp_path);
      return FALSE;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write “%s”: %s"), display, g_strerror (saved));
      g_unlink (tmp_path);
      return FALSE;
    }
  return TRUE;
}

/* }}} */
