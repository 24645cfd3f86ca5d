/* tradeoff-cli-export.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `tradeoff-cli export`: a chart of a result file (PNG, SVG, PDF) drawn by
 * the same renderer as the window, or the result's data (summary or
 * timeline CSV, a run's percentile distribution, the result re-saved). */

#define G_LOG_DOMAIN "tradeoff-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradeoff-chart.h"
#include "tradeoff-cli.h"
#include "tradeoff-result.h"

typedef enum
{
  EXPORT_PNG,
  EXPORT_SVG,
  EXPORT_PDF,
  EXPORT_CSV,
  EXPORT_HGRM,
  EXPORT_JSON,
} ExportFormat;

static const char * const export_format_names[] = { "png", "svg", "pdf", "csv", "hgrm", "json" };

static gboolean
parse_format (const char   *str,
              ExportFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (export_format_names); i++)
    {
      if (g_ascii_strcasecmp (str, export_format_names[i]) == 0)
        {
          *format = (ExportFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
parse_size (const char *str,
            int        *width,
            int        *height)
{
  char *end = NULL;
  gint64 w, h;

  errno = 0;
  w = g_ascii_strtoll (str, &end, 10);
  if (errno != 0 || end == str || (*end != 'x' && *end != 'X'))
    return FALSE;
  str = end + 1;
  h = g_ascii_strtoll (str, &end, 10);
  if (errno != 0 || end == str || *end != '\0')
    return FALSE;
  if (w < 16 || h < 16 || w > 20000 || h > 20000)
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

/* The run chosen by --run N (1 is the first) or --engine LABEL. */
static TradeoffRun *
choose_run (TradeoffResult *result,
            int             run_number,
            const char     *engine)
{
  if (engine != NULL)
    {
      for (guint i = 0; i < result->runs->len; i++)
        {
          TradeoffRun *run = g_ptr_array_index (result->runs, i);

          if (run->engine != NULL && g_strcmp0 (run->engine->label, engine) == 0)
            return run;
        }
      tradeoff_cli_print_error (_("no run of engine “%s” in the result"), engine);
      return NULL;
    }
  if (run_number < 1 || (guint) run_number > result->runs->len)
    {
      tradeoff_cli_print_error (_("--run: must be between 1 and %u, got %d"),
                                result->runs->len, run_number);
      return NULL;
    }
  return g_ptr_array_index (result->runs, run_number - 1);
}

static gboolean
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    {
      tradeoff_cli_print_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
tradeoff_cli_export (int    argc,
                     char **argv)
{
  g_autofree char *chart_name = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *size = NULL;
  g_autofree char *engine = NULL;
  g_auto(GStrv) files = NULL;
  gboolean dark = FALSE;
  gboolean timeline = FALSE;
  int run_number = 1;
  int width = 1200;
  int height = 800;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffResult) result = NULL;
  TradeoffChartKind kind = TRADEOFF_CHART_LATENCY;
  ExportFormat format;
  const GOptionEntry entries[] = {
    { "chart", 'c', 0, G_OPTION_ARG_STRING, &chart_name,
      N_("The chart: latency, throughput, resources or summary"), N_("KIND") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("png, svg, pdf (a chart), csv (the summary, or the timeline with --timeline), "
         "hgrm (a run’s percentile distribution) or json (the result)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The file to write"), N_("FILE") },
    { "size", 's', 0, G_OPTION_ARG_STRING, &size,
      N_("The chart’s size in pixels (default 1200x800)"), N_("WxH") },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark,
      N_("Draw the chart in the dark style"), NULL },
    { "timeline", 0, 0, G_OPTION_ARG_NONE, &timeline,
      N_("With --format csv: the timeline of every run instead of the summary"), NULL },
    { "run", 'r', 0, G_OPTION_ARG_INT, &run_number,
      N_("With --format hgrm: the run to write, 1 for the first (the default)"), N_("N") },
    { "engine", 'e', 0, G_OPTION_ARG_STRING, &engine,
      N_("With --format hgrm: the run of the engine with this label"), N_("LABEL") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (_("RESULT.json — export a chart or the data of a result file"));
  if (!tradeoff_cli_parse_options (context, entries, &argc, &argv, -1))
    return TRADEOFF_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    {
      tradeoff_cli_print_error (_("export: a result file is required (tradeoff-cli export RESULT.json …)"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (files[1] != NULL)
    {
      tradeoff_cli_print_error (_("export: one result file at a time, got “%s” too"), files[1]);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (output == NULL)
    {
      tradeoff_cli_print_error (_("--output: required"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (format_name == NULL)
    {
      /* Taken from the output's extension when it is a known one */
      const char *dot = strrchr (output, '.');

      if (dot == NULL || !parse_format (dot + 1, &format))
        {
          tradeoff_cli_print_error (_("--format: required (png, svg, pdf, csv, hgrm or json)"));
          return TRADEOFF_CLI_EXIT_USAGE;
        }
    }
  else if (!parse_format (format_name, &format))
    {
      tradeoff_cli_print_error (_("--format: must be png, svg, pdf, csv, hgrm or json, got “%s”"),
                                format_name);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (chart_name != NULL && !tradeoff_chart_kind_from_string (chart_name, &kind))
    {
      tradeoff_cli_print_error (_("--chart: must be latency, throughput, resources or summary, got “%s”"),
                                chart_name);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (size != NULL && !parse_size (size, &width, &height))
    {
      tradeoff_cli_print_error (_("--size: must be WIDTHxHEIGHT between 16x16 and 20000x20000, got “%s”"),
                                size);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if ((format == EXPORT_PNG || format == EXPORT_SVG || format == EXPORT_PDF) && chart_name == NULL)
    {
      tradeoff_cli_print_error (_("--chart: required with --format %s (latency, throughput, resources or summary)"),
                                export_format_names[format]);
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  result = tradeoff_result_load_file (files[0], &error);
  if (result == NULL)
    {
      g_autofree char *display = g_filename_display_name (files[0]);

      /* The model's messages usually name the file already */
      if (strstr (error->message, display) != NULL)
        tradeoff_cli_print_error ("%s", error->message);
      else
        tradeoff_cli_print_error (_("cannot read “%s”: %s"), display, error->message);
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  switch (format)
    {
    case EXPORT_PNG:
    case EXPORT_SVG:
    case EXPORT_PDF:
      {
        g_autoptr(TradeoffChart) chart = tradeoff_chart_new_for_result (kind, result);
        TradeoffChartFormat chart_format = format == EXPORT_PNG ? TRADEOFF_CHART_FORMAT_PNG
                                         : format == EXPORT_SVG ? TRADEOFF_CHART_FORMAT_SVG
                                         : TRADEOFF_CHART_FORMAT_PDF;

        if (!tradeoff_chart_save (chart, output, chart_format, width, height, dark, &error))
          {
            tradeoff_cli_print_error ("%s", error->message);
            return TRADEOFF_CLI_EXIT_USAGE;
          }
      }
      break;

    case EXPORT_CSV:
      {
        g_autofree char *csv = timeline ? tradeoff_result_to_timeline_csv (result)
                                        : tradeoff_result_to_summary_csv (result);

        if (!write_text (output, csv))
          return TRADEOFF_CLI_EXIT_USAGE;
      }
      break;

    case EXPORT_HGRM:
      {
        TradeoffRun *run = choose_run (result, run_number, engine);
        g_autofree char *hgrm = NULL;

        if (run == NULL)
          return TRADEOFF_CLI_EXIT_USAGE;
        if (run->histogram == NULL || tradeoff_histogram_get_count (run->histogram) == 0)
          {
            tradeoff_cli_print_error (_("the run of “%s” has no latency recorded"),
                                      run->engine != NULL ? run->engine->label : "?");
            return TRADEOFF_CLI_EXIT_USAGE;
          }
        hgrm = tradeoff_run_to_hgrm (run);
        if (!write_text (output, hgrm))
          return TRADEOFF_CLI_EXIT_USAGE;
      }
      break;

    case EXPORT_JSON:
      if (!tradeoff_result_save_file (result, output, &error))
        {
          tradeoff_cli_print_error ("%s", error->message);
          return TRADEOFF_CLI_EXIT_USAGE;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return TRADEOFF_CLI_EXIT_OK;
}
