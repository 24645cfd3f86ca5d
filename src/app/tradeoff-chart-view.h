/* tradeoff-chart-view.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tradeoff-chart.h"
#include "tradeoff-result.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_CHART_VIEW (tradeoff_chart_view_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffChartView, tradeoff_chart_view, TRADEOFF, CHART_VIEW, GtkWidget)

GtkWidget         *tradeoff_chart_view_new            (TradeoffChartKind        kind);
TradeoffChartKind  tradeoff_chart_view_get_kind       (TradeoffChartView       *self);
/* Shows every run of @result (NULL: nothing); the runs are copied as far as
 * the chart needs them. */
void               tradeoff_chart_view_set_result     (TradeoffChartView       *self,
                                                       const TradeoffResult    *result);
guint              tradeoff_chart_view_get_n_runs     (TradeoffChartView       *self);
/* The theme the widget draws with: the GTK theme's colours and font. */
void               tradeoff_chart_view_get_theme      (TradeoffChartView       *self,
                                                       TradeoffChartTheme      *theme);
/* The chart drawn at @width x @height in the widget's theme, as a texture
 * of @scale times as many pixels (for the clipboard). */
GdkTexture        *tradeoff_chart_view_render_texture (TradeoffChartView       *self,
                                                       int                      width,
                                                       int                      height,
                                                       int                      scale);
/* The text the pointer at (x, y) would show, or NULL. */
char              *tradeoff_chart_view_describe       (TradeoffChartView       *self,
                                                       double                   x,
                                                       double                   y);

G_END_DECLS
