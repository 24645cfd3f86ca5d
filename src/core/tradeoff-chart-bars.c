/* tradeoff-chart-bars.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The summary chart: one bar panel per figure (requests/s, p50, p99, peak
 * RSS, CPU seconds), one bar per engine. */

#define G_LOG_DOMAIN "tradeoff-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tradeoff-chart-private.h"

/* {{{ Summary bars */

const char *
tradeoff_chart_summary_caption (TradeoffChart *self,
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

double
tradeoff_chart_summary_value (TradeoffChart *self,
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

char *
tradeoff_chart_summary_format (TradeoffChart *self,
                               guint          metric,
                               double         v)
{
  switch (metric)
    {
    case 0:
      if (self->workload_kind == TRADEOFF_WORKLOAD_STREAMING)
        return tradeoff_chart_format_bytes_rate (v);
      return fabs (v) >= 100 ? tradeoff_chart_format_grouped (v)
                             : g_strdup_printf ("%.*f", tradeoff_chart_sig_decimals (v), v);
    case 1:
    case 2:
      return tradeoff_chart_format_duration_us (v);
    case 3:
      return tradeoff_chart_format_mib (v);
    default:
      return tradeoff_chart_format_seconds (v);
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
      double v = tradeoff_chart_summary_value (self, g_ptr_array_index (self->series, i), metric);

      if (isfinite (v))
        hi = MAX (hi, v);
    }

  /* caption, room for value labels over the bars, the markers under them */
  plot.y = outer.y + label_h + 4 + label_h * 1.2;
  plot.height = MAX (outer.height - (plot.y - outer.y) - 14, 10);
  target = (guint) MAX (3, plot.height / (label_h * 2.2));
  bp->axis.unit = summary_unit (self, metric);
  tradeoff_chart_axis_linear (&bp->axis, 0, hi > 0 ? hi : 1, MIN (target, 6), FALSE);
  for (guint i = 0; i < bp->axis.n_ticks; i++)
    {
      g_autofree char *text = tradeoff_chart_format_tick (&bp->axis, bp->axis.ticks[i]);
      double w;

      tradeoff_chart_text_size (ctx, ctx->small_font, text, &w, NULL);
      left = MAX (left, w);
    }
  left += 8;
  plot.x = outer.x + left;
  plot.width = MAX (outer.width - left - 6, 10);
  bp->plot = plot;

  /* Caption */
  tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.9);
  tradeoff_chart_draw_text (ctx, ctx->small_font, tradeoff_chart_summary_caption (self, metric), outer.x, outer.y, 0, outer.width);

  /* Grid and ticks */
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  tradeoff_chart_set_color (cr, &ctx->theme->grid, 1.0);
  for (guint i = 0; i < bp->axis.n_ticks; i++)
    {
      double y = round (plot.y + plot.height * (1 - axis_fraction (&bp->axis, bp->axis.ticks[i]))) + 0.5;

      cairo_move_to (cr, plot.x, y);
      cairo_line_to (cr, plot.x + plot.width, y);
    }
  cairo_stroke (cr);
  tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.45);
  cairo_move_to (cr, round (plot.x) + 0.5, plot.y);
  cairo_line_to (cr, round (plot.x) + 0.5, round (plot.y + plot.height) + 0.5);
  cairo_line_to (cr, plot.x + plot.width, round (plot.y + plot.height) + 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);

  tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.75);
  tradeoff_chart_draw_y_labels (ctx, &bp->axis, &plot);

  /* Bars */
  bp->slot_width = n > 0 ? plot.width / n : plot.width;
  for (guint i = 0; i < n; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      double v = tradeoff_chart_summary_value (self, s, metric);
      double slot = bp->slot_width;
      double bw = MIN (slot * 0.7, 64);
      double cx = plot.x + slot * (i + 0.5);
      double base = plot.y + plot.height;
      g_autofree char *text = NULL;
      double tw;

      if (isfinite (v))
        {
          double top = plot.y + plot.height * (1 - axis_fraction (&bp->axis, v));

          tradeoff_chart_set_series_color (ctx, s->color_index, 1.0);
          cairo_rectangle (cr, round (cx - bw / 2), top, round (bw), base - top);
          cairo_fill (cr);
          text = tradeoff_chart_summary_format (self, metric, v);
          tradeoff_chart_text_size (ctx, ctx->small_font, text, &tw, NULL);
          if (tw <= slot - 2)
            {
              tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.9);
              tradeoff_chart_draw_text (ctx, ctx->small_font, text, cx, top - label_h - 1, 0.5, 0);
            }
        }
      else
        {
          const char *why = s->error != NULL ? _("failed") : _("not measured");

          tradeoff_chart_text_size (ctx, ctx->small_font, why, &tw, NULL);
          tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.6);
          tradeoff_chart_draw_text (ctx, ctx->small_font, tw <= slot - 2 ? why : "–", cx, base - label_h - 2, 0.5, 0);
        }
      tradeoff_chart_draw_marker (ctx, s->color_index, cx, base + 8, 3.5);
    }
}

void
tradeoff_chart_draw_summary (DrawContext *ctx,
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
