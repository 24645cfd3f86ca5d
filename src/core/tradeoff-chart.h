/* tradeoff-chart.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "tradeoff-result.h"

G_BEGIN_DECLS

/* One chart renderer (cairo and pango) for the window and for export, so
 * what is exported is what is seen. Three layers are kept apart: the data
 * (series copied from runs), the normalisation (values mapped to [0, 1],
 * cached, recomputed only when data or size change) and drawing. */

typedef enum
{
  TRADEOFF_CHART_LATENCY,     /* latency by percentile, log percentile axis */
  TRADEOFF_CHART_THROUGHPUT,  /* completed per second over time */
  TRADEOFF_CHART_RESOURCES,   /* RSS, CPU % and threads over time */
  TRADEOFF_CHART_SUMMARY,     /* requests/s, p50, p99, peak RSS, CPU seconds per engine */
} TradeoffChartKind;

typedef enum
{
  TRADEOFF_CHART_FORMAT_PNG,
  TRADEOFF_CHART_FORMAT_SVG,
  TRADEOFF_CHART_FORMAT_PDF,
} TradeoffChartFormat;

typedef struct
{
  double red, green, blue, alpha;
} TradeoffColor;

typedef struct
{
  gboolean      dark;
  TradeoffColor foreground;
  TradeoffColor background;    /* alpha 0: leave the surface as it is */
  TradeoffColor grid;
  const char   *font_family;   /* NULL: "Cantarell, sans-serif" */
  double        font_size;     /* points */
} TradeoffChartTheme;

typedef struct _TradeoffChart TradeoffChart;

const char    *tradeoff_chart_kind_to_string     (TradeoffChartKind          kind);
gboolean       tradeoff_chart_kind_from_string   (const char                *str,
                                                  TradeoffChartKind         *kind);
gboolean       tradeoff_chart_format_from_string (const char                *str,
                                                  TradeoffChartFormat       *format);

/* The built-in light or dark theme, as used for export. */
void           tradeoff_chart_theme_init         (TradeoffChartTheme        *theme,
                                                  gboolean                   dark);
/* Engine colours: distinct, colour-blind safe, legible on light and dark. */
void           tradeoff_chart_get_series_color   (guint                      index,
                                                  gboolean                   dark,
                                                  TradeoffColor             *color);

TradeoffChart *tradeoff_chart_new                (TradeoffChartKind          kind);
void           tradeoff_chart_free               (TradeoffChart             *self);
TradeoffChartKind tradeoff_chart_get_kind        (TradeoffChart             *self);
void           tradeoff_chart_set_workload_kind  (TradeoffChart             *self,
                                                  TradeoffWorkloadKind       kind);
/* Replaces the series; each run is copied as far as the chart needs it. */
void           tradeoff_chart_clear              (TradeoffChart             *self);
void           tradeoff_chart_add_run            (TradeoffChart             *self,
                                                  const TradeoffRun         *run,
                                                  guint                      color_index);
/* Draws into a width x height box at the cairo origin. */
void           tradeoff_chart_draw               (TradeoffChart             *self,
                                                  cairo_t                   *cr,
                                                  double                     width,
                                                  double                     height,
                                                  const TradeoffChartTheme  *theme);
/* The values under the pointer at (x, y) of the last drawn size, as text for
 * a tooltip, and the x of the crosshair; FALSE when nothing is there. */
gboolean       tradeoff_chart_describe_point     (TradeoffChart             *self,
                                                  double                     x,
                                                  double                     y,
                                                  double                    *crosshair_x,
                                                  char                     **text);
/* Writes the chart to a file, atomically. */
gboolean       tradeoff_chart_save               (TradeoffChart             *self,
                                                  const char                *path,
                                                  TradeoffChartFormat        format,
                                                  int                        width,
                                                  int                        height,
                                                  gboolean                   dark,
                                                  GError                   **error);
/* A chart of every run of @result. */
TradeoffChart *tradeoff_chart_new_for_result     (TradeoffChartKind          kind,
                                                  const TradeoffResult      *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffChart, tradeoff_chart_free)

G_END_DECLS
