/* tradeoff-results-view.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-chart-view.h"
#include "tradeoff-result.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_RESULTS_VIEW (tradeoff_results_view_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffResultsView, tradeoff_results_view, TRADEOFF, RESULTS_VIEW, GtkBox)

/* Shows every run of @result on the four charts and in the summary list;
 * NULL shows the empty state. @live marks a run still going. */
void               tradeoff_results_view_set_result       (TradeoffResultsView  *self,
                                                           const TradeoffResult *result,
                                                           gboolean              live);
TradeoffChartView *tradeoff_results_view_get_chart_view   (TradeoffResultsView  *self,
                                                           TradeoffChartKind     kind);
TradeoffChartKind  tradeoff_results_view_get_visible_kind (TradeoffResultsView  *self);
void               tradeoff_results_view_set_visible_kind (TradeoffResultsView  *self,
                                                           TradeoffChartKind     kind);
GtkListBox        *tradeoff_results_view_get_summary_list (TradeoffResultsView  *self);

/* "1.23 ms", "850 µs", "2.5 s"; "—" when not measured. */
char              *tradeoff_format_latency                (double                us);

G_END_DECLS
