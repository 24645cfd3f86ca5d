/* tradeoff-export.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Export without widgets, so the dialog, the clipboard and the tests share
 * one path: charts go through core's renderer (the one the window draws
 * with, and tradeoff-cli export too), data through the result model. */

#define G_LOG_DOMAIN "tradeoff-export"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-export.h"

gboolean
tradeoff_export_format_is_chart (TradeoffExportFormat format)
{
  return format == TRADEOFF_EXPORT_PNG || format == TRADEOFF_EXPORT_SVG
         || format == TRADEOFF_EXPORT_PDF;
}

const char *
tradeoff_export_format_suffix (TradeoffExportFormat format)
{
  switch (format)
    {
    case TRADEOFF_EXPORT_PNG:
      return ".png";
    case TRADEOFF_EXPORT_SVG:
      return ".svg";
    case TRADEOFF_EXPORT_PDF:
      return ".pdf";
    case TRADEOFF_EXPORT_JSON:
      return ".json";
    case TRADEOFF_EXPORT_SUMMARY_CSV:
      return "-summary.csv";
    case TRADEOFF_EXPORT_TIMELINE_CSV:
      return "-timeline.csv";
    default:
      g_return_val_if_reached ("");
    }
}

const char *
tradeoff_export_format_mime_type (TradeoffExportFormat format)
{
  switch (format)
    {
    case TRADEOFF_EXPORT_PNG:
      return "image/png";
    case TRADEOFF_EXPORT_SVG:
      return "image/svg+xml";
    case TRADEOFF_EXPORT_PDF:
      return "application/pdf";
    case TRADEOFF_EXPORT_JSON:
      return "application/json";
    case TRADEOFF_EXPORT_SUMMARY_CSV:
    case TRADEOFF_EXPORT_TIMELINE_CSV:
      return "text/csv";
    default:
      g_return_val_if_reached ("application/octet-stream");
    }
}

char *
tradeoff_export_suggest_name (const TradeoffResult *result,
                              TradeoffChartKind     kind,
                              TradeoffExportFormat  format)
{
  const char *name = result != NULL && result->scenario != NULL && result->scenario->name != NULL
                     && *result->scenario->name ? result->scenario->name : "tradeoff";
  g_autoptr(GString) base = g_string_new (NULL);

  for (const char *p = name; *p && base->len < 48; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (base, g_ascii_tolower (*p));
      else if (base->len > 0 && base->str[base->len - 1] != '-')
        g_string_append_c (base, '-');
    }
  while (base->len > 0 && base->str[base->len - 1] == '-')
    g_string_truncate (base, base->len - 1);
  if (base->len == 0)
    g_string_append (base, "tradeoff");

  if (tradeoff_export_format_is_chart (format))
    g_string_append_printf (base, "-%s", tradeoff_chart_kind_to_string (kind));
  else if (format == TRADEOFF_EXPORT_JSON)
    g_string_append (base, ".result");

  g_string_append (base, tradeoff_export_format_suffix (format));

  return g_string_free (g_steal_pointer (&base), FALSE);
}

gboolean
tradeoff_export_write (const TradeoffResult  *result,
                       TradeoffChartKind      kind,
                       TradeoffExportFormat   format,
                       int                    width,
                       int                    height,
                       gboolean               dark,
                       const char            *path,
                       GError               **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  switch (format)
    {
    case TRADEOFF_EXPORT_PNG:
    case TRADEOFF_EXPORT_SVG:
    case TRADEOFF_EXPORT_PDF:
      {
        g_autoptr(TradeoffChart) chart = NULL;
        TradeoffChartFormat chart_format = format == TRADEOFF_EXPORT_PNG ? TRADEOFF_CHART_FORMAT_PNG
                                         : format == TRADEOFF_EXPORT_SVG ? TRADEOFF_CHART_FORMAT_SVG
                                         : TRADEOFF_CHART_FORMAT_PDF;

        if (width < 16 || height < 16 || width > 20000 || height > 20000)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("size: must be between 16 and 20000 pixels a side, got %d×%d"),
                         width, height);
            return FALSE;
          }

        chart = tradeoff_chart_new_for_result (kind, result);
        return tradeoff_chart_save (chart, path, chart_format, width, height, dark, error);
      }

    case TRADEOFF_EXPORT_JSON:
      return tradeoff_result_save_file (result, path, error);

    case TRADEOFF_EXPORT_SUMMARY_CSV:
      csv = tradeoff_result_to_summary_csv (result);
      return g_file_set_contents (path, csv, -1, error);

    case TRADEOFF_EXPORT_TIMELINE_CSV:
      csv = tradeoff_result_to_timeline_csv (result);
      return g_file_set_contents (path, csv, -1, error);

    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown export format"));
      return FALSE;
    }
}
