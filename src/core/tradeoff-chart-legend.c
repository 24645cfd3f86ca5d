/* tradeoff-chart-legend.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Text, the per-series styles (colour, dash, marker) that keep engines
 * apart without colour, and the title and legend above the plots. */

#define G_LOG_DOMAIN "tradeoff-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tradeoff-chart-private.h"

/* {{{ Text */

void
tradeoff_chart_text_size (DrawContext                *ctx,
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
double
tradeoff_chart_draw_text (DrawContext                *ctx,
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

void
tradeoff_chart_set_series_dash (cairo_t *cr,
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

void
tradeoff_chart_draw_marker (DrawContext *ctx,
                            guint        color_index,
                            double       x,
                            double       y,
                            double       r)
{
  cairo_t *cr = ctx->cr;

  cairo_save (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  path_marker (cr, color_index, x, y, r);
  tradeoff_chart_set_series_color (ctx, color_index, 1.0);
  if (color_index % 6 == 5)
    {
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
    }
  else
    {
      cairo_fill_preserve (cr);
      tradeoff_chart_set_color (cr, &ctx->theme->background,
                                ctx->theme->background.alpha > 0 ? 1.0 : 0.0);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* }}} */
/* {{{ Title and legend */

const char *
tradeoff_chart_title (TradeoffChart *self)
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

      tradeoff_chart_text_size (ctx, ctx->font, label, &w, NULL);
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
          tradeoff_chart_set_series_color (ctx, s->color_index, 1.0);
          if (self->kind == TRADEOFF_CHART_SUMMARY)
            {
              cairo_rectangle (cr, x, cy - 5, 12, 10);
              cairo_fill (cr);
              tradeoff_chart_draw_marker (ctx, s->color_index, x + 19, cy, 3.5);
            }
          else
            {
              cairo_set_line_width (cr, 2.0);
              tradeoff_chart_set_series_dash (cr, s->color_index, 1.0);
              cairo_move_to (cr, x, cy);
              cairo_line_to (cr, x + LEGEND_SAMPLE, cy);
              cairo_stroke (cr);
              tradeoff_chart_draw_marker (ctx, s->color_index, x + LEGEND_SAMPLE / 2, cy, 3.5);
            }
          cairo_restore (cr);
          /* Labels often differ at the end ("Pool, 8 workers", "Pool, 64
           * workers"): ellipsize in the middle to keep it */
          tradeoff_chart_set_color (cr, &ctx->theme->foreground, 1.0);
          ctx->ellipsize = PANGO_ELLIPSIZE_MIDDLE;
          tradeoff_chart_draw_text (ctx, ctx->font, label, x + LEGEND_SAMPLE + 6, y, 0, w + 1);
          ctx->ellipsize = PANGO_ELLIPSIZE_END;
        }
      x += entry + gap;
    }
  if (self->series->len > 0)
    y += row_height + 2;
  return y - y0;
}

/* A note under the legend, wrapped to two lines at most so a narrow chart
 * still says why a run failed; returns its height. */
static double
legend_note (DrawContext *ctx,
             const char  *text,
             double       x,
             double       y,
             double       width,
             gboolean     draw)
{
  int w, h;

  pango_layout_set_font_description (ctx->layout, ctx->small_font);
  pango_layout_set_text (ctx->layout, text, -1);
  pango_layout_set_width (ctx->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (ctx->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (ctx->layout, -2);
  pango_layout_set_ellipsize (ctx->layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (ctx->layout, &w, &h);
  if (draw)
    {
      tradeoff_chart_set_color (ctx->cr, &ctx->theme->foreground, 0.8);
      cairo_move_to (ctx->cr, round (x), round (y));
      pango_cairo_show_layout (ctx->cr, ctx->layout);
    }
  pango_layout_set_width (ctx->layout, -1);
  pango_layout_set_height (ctx->layout, -1);
  pango_layout_set_wrap (ctx->layout, PANGO_WRAP_WORD);
  pango_layout_set_ellipsize (ctx->layout, PANGO_ELLIPSIZE_NONE);
  return MAX (h, ctx->small_height);
}

/* Lays out the legend and, when @draw, draws it; returns the height used.
 * Entries flow in rows; when that would take more than @max_height, they
 * go in equal columns with their labels ellipsized. Notes follow. */
double
tradeoff_chart_legend (DrawContext *ctx,
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
      y += legend_note (ctx, text, x0, y, width, draw);
      n_notes++;
    }
  if (any_uncorrected)
    y += legend_note (ctx,
                      _("Faint dashed lines: latency timed from the actual send "
                        "(uncorrected), hiding the queueing time"),
                      x0, y, width, draw);
  return y - y0;
}

/* }}} */
