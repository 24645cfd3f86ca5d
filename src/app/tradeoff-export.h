/* tradeoff-export.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tradeoff-chart.h"
#include "tradeoff-result.h"

G_BEGIN_DECLS

typedef enum
{
  TRADEOFF_EXPORT_PNG,
  TRADEOFF_EXPORT_SVG,
  TRADEOFF_EXPORT_PDF,
  TRADEOFF_EXPORT_JSON,
  TRADEOFF_EXPORT_SUMMARY_CSV,
  TRADEOFF_EXPORT_TIMELINE_CSV,
} TradeoffExportFormat;

#define TRADEOFF_EXPORT_N_FORMATS (TRADEOFF_EXPORT_TIMELINE_CSV + 1)

gboolean    tradeoff_export_format_is_chart  (TradeoffExportFormat   format);
const char *tradeoff_export_format_suffix    (TradeoffExportFormat   format);
const char *tradeoff_export_format_mime_type (TradeoffExportFormat   format);
/* "chat-2-000-users-latency.png" */
char       *tradeoff_export_suggest_name     (const TradeoffResult  *result,
                                              TradeoffChartKind      kind,
                                              TradeoffExportFormat   format);
/* Writes @result as @format to @path, atomically: a chart of @kind at
 * @width x @height in the light or dark style, or the data. */
gboolean    tradeoff_export_write            (const TradeoffResult  *result,
                                              TradeoffChartKind      kind,
                                              TradeoffExportFormat   format,
                                              int                    width,
                                              int                    height,
                                              gboolean               dark,
                                              const char            *path,
                                              GError               **error);

G_END_DECLS
