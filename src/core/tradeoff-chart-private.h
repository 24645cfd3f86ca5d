/* tradeoff-chart-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "tradeoff-chart.h"

G_BEGIN_DECLS

/* The chart renderer's internals, shared by its files (the design is at
 * the top of tradeoff-chart.c):
 *   tradeoff-chart.c         the object, names, theme, draw and save
 *   tradeoff-chart-data.c    Series (data) and Panels (normalisation)
 *   tradeoff-chart-axes.c    number formatting and axes
 *   tradeoff-chart-legend.c  text, series styles, title and legend
 *   tradeoff-chart-lines.c   line panels: layout, pixel cache, stroking
 *   tradeoff-chart-bars.c    the summary bars
 *   tradeoff-chart-hover.c   what is under the pointer */

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

static inline double
axis_fraction (const Axis *axis,
               double      v)
{
  return (v - axis->min) / (axis->max - axis->min);
}

/* tradeoff-chart.c: colours */
void        tradeoff_chart_set_color           (cairo_t                    *cr,
                                                const TradeoffColor        *color,
                                                double                      alpha);
void        tradeoff_chart_set_series_color    (DrawContext                *ctx,
                                                guint                       color_index,
                                                double                      alpha);

/* tradeoff-chart-data.c: the data and normalisation layers */
void        tradeoff_chart_series_free         (gpointer                    data);
Series     *tradeoff_chart_series_new_from_run (const TradeoffRun          *run,
                                                guint                       color_index,
                                                guint                       position);
void        tradeoff_chart_clear_panels        (TradeoffChart              *self);
void        tradeoff_chart_ensure_panels       (TradeoffChart              *self);

/* tradeoff-chart-axes.c: numbers and axes */
char       *tradeoff_chart_format_grouped      (double                      value);
int         tradeoff_chart_sig_decimals        (double                      value);
char       *tradeoff_chart_format_duration_us  (double                      us);
char       *tradeoff_chart_format_bytes_rate   (double                      bytes_per_s);
char       *tradeoff_chart_format_rate         (TradeoffWorkloadKind        kind,
                                                double                      value);
char       *tradeoff_chart_format_percentile_x (double                      x);
char       *tradeoff_chart_format_seconds      (double                      s);
char       *tradeoff_chart_format_mib          (double                      mib);
char       *tradeoff_chart_format_tick         (const Axis                 *axis,
                                                double                      v);
void        tradeoff_chart_axis_linear         (Axis                       *axis,
                                                double                      lo,
                                                double                      hi,
                                                guint                       target,
                                                gboolean                    integer);
void        tradeoff_chart_axis_log            (Axis                       *axis,
                                                double                      lo,
                                                double                      hi,
                                                guint                       max_ticks);
void        tradeoff_chart_axis_percentile     (Axis                       *axis,
                                                double                      hi,
                                                guint                       max_ticks);

/* tradeoff-chart-legend.c: text, series styles, title and legend */
void        tradeoff_chart_text_size           (DrawContext                *ctx,
                                                const PangoFontDescription *font,
                                                const char                 *text,
                                                double                     *width,
                                                double                     *height);
double      tradeoff_chart_draw_text           (DrawContext                *ctx,
                                                const PangoFontDescription *font,
                                                const char                 *text,
                                                double                      x,
                                                double                      y,
                                                double                      align,
                                                double                      max_width);
void        tradeoff_chart_set_series_dash     (cairo_t                    *cr,
                                                guint                       color_index,
                                                double                      scale);
void        tradeoff_chart_draw_marker         (DrawContext                *ctx,
                                                guint                       color_index,
                                                double                      x,
                                                double                      y,
                                                double                      r);
const char *tradeoff_chart_title               (TradeoffChart              *self);
double      tradeoff_chart_legend              (DrawContext                *ctx,
                                                double                      x0,
                                                double                      y0,
                                                double                      width,
                                                double                      max_height,
                                                gboolean                    draw);

/* tradeoff-chart-lines.c: the line charts */
void        tradeoff_chart_draw_y_labels       (DrawContext                *ctx,
                                                const Axis                 *axis,
                                                const Rect                 *r);
void        tradeoff_chart_draw_line_panels    (DrawContext                *ctx,
                                                Rect                        area);

/* tradeoff-chart-bars.c: the summary bars */
const char *tradeoff_chart_summary_caption     (TradeoffChart              *self,
                                                guint                       metric);
double      tradeoff_chart_summary_value       (TradeoffChart              *self,
                                                Series                     *s,
                                                guint                       metric);
char       *tradeoff_chart_summary_format      (TradeoffChart              *self,
                                                guint                       metric,
                                                double                      v);
void        tradeoff_chart_draw_summary        (DrawContext                *ctx,
                                                Rect                        area);

G_END_DECLS
