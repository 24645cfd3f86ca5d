/* tradeoff-chart-lines.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The drawing layer of the line charts (latency by percentile, throughput
 * and resources over time): panel layout, the decimated pixel cache of
 * each line, and stroking it. */

#define G_LOG_DOMAIN "tradeoff-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tradeoff-chart-private.h"

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
    tradeoff_chart_axis_log (&panel->y_axis, panel->dy_min, panel->dy_max, (guint) (plot.height / (label_h * 1.3)));
  else
    tradeoff_chart_axis_linear (&panel->y_axis,
                                panel->y_from_zero ? MIN (0, panel->dy_min) : panel->dy_min,
                                panel->dy_max, MIN (target, 8), panel->y_unit == AXIS_COUNT);

  for (guint i = 0; i < panel->y_axis.n_ticks; i++)
    {
      g_autofree char *text = tradeoff_chart_format_tick (&panel->y_axis, panel->y_axis.ticks[i]);
      double w;

      tradeoff_chart_text_size (ctx, ctx->small_font, text, &w, NULL);
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
      g_autofree char *widest = tradeoff_chart_format_percentile_x (MAX (2, ceil (panel->dx_max)));
      double w;

      tradeoff_chart_text_size (ctx, ctx->small_font, widest, &w, NULL);
      tradeoff_chart_axis_percentile (&panel->x_axis, panel->dx_max,
                                      (guint) (plot.width / (w + 14)) + 1);
      /* Room for the last label to the right */
      right = MAX (right, w / 2 + 2);
    }
  else
    {
      double w;

      tradeoff_chart_axis_linear (&panel->x_axis, MIN (0, panel->dx_min), panel->dx_max, 4, FALSE);
      for (guint pass = 0; pass < 4; pass++)
        {
          g_autofree char *last = tradeoff_chart_format_tick (&panel->x_axis, panel->x_axis.max);
          guint fit;

          tradeoff_chart_text_size (ctx, ctx->small_font, last, &w, NULL);
          fit = (guint) (plot.width / (w + 24)) + 1;
          /* Nice steps may give more ticks than asked: ask for fewer
           * until they fit (three at least, whatever the width). */
          for (guint want = MIN (fit, 11); ; want--)
            {
              tradeoff_chart_axis_linear (&panel->x_axis, MIN (0, panel->dx_min), panel->dx_max,
                                          want, FALSE);
              if (panel->x_axis.n_ticks <= MAX (fit, 3) || want <= 3)
                break;
            }
        }
      {
        g_autofree char *last = tradeoff_chart_format_tick (&panel->x_axis, panel->x_axis.max);

        tradeoff_chart_text_size (ctx, ctx->small_font, last, &w, NULL);
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

void
tradeoff_chart_draw_y_labels (DrawContext *ctx,
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
      text = tradeoff_chart_format_tick (axis, axis->ticks[i]);
      tradeoff_chart_draw_text (ctx, ctx->small_font, text, r->x - 6, y - label_h / 2, 1.0, 0);
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
  tradeoff_chart_set_color (cr, &ctx->theme->grid, 1.0);
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
  tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.45);
  cairo_move_to (cr, round (r->x) + 0.5, r->y);
  cairo_line_to (cr, round (r->x) + 0.5, round (r->y + r->height) + 0.5);
  cairo_line_to (cr, r->x + r->width, round (r->y + r->height) + 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);

  /* Tick labels */
  tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.75);
  tradeoff_chart_draw_y_labels (ctx, &panel->y_axis, r);
  if (panel->show_x_labels)
    {
      for (guint i = 0; i < panel->x_axis.n_ticks; i++)
        {
          g_autofree char *text = tradeoff_chart_format_tick (&panel->x_axis,
                                                              panel->x_axis.ticks[i]);
          double x = r->x + r->width * axis_fraction (&panel->x_axis, panel->x_axis.ticks[i]);

          tradeoff_chart_draw_text (ctx, ctx->small_font, text, x, r->y + r->height + 3, 0.5, 0);
        }
    }

  /* Captions: the y title above the plot, the x title under the labels */
  tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.9);
  tradeoff_chart_draw_text (ctx, ctx->small_font, panel->caption, panel->outer.x, panel->outer.y, 0,
                            panel->outer.width);
  if (panel->show_x_labels && panel->x_unit == AXIS_TIME)
    tradeoff_chart_draw_text (ctx, ctx->small_font, _("Time (s)"), r->x + r->width / 2,
                              r->y + r->height + 4 + label_h, 0.5, 0);
  else if (panel->show_x_labels && panel->x_unit == AXIS_PERCENTILE &&
           panel->outer.y + panel->outer.height >= r->y + r->height + 4 + 2 * label_h)
    tradeoff_chart_draw_text (ctx, ctx->small_font, _("Percentile (log scale of 1 / (1 − p))"),
                              r->x + r->width / 2, r->y + r->height + 4 + label_h, 0.5, 0);

  if (!panel->has_data)
    {
      tradeoff_chart_set_color (cr, &ctx->theme->foreground, 0.6);
      tradeoff_chart_draw_text (ctx, ctx->font, _("not measured"), r->x + r->width / 2,
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
          tradeoff_chart_set_series_color (ctx, s->color_index, line->faint ? 0.5 : 1.0);
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
              tradeoff_chart_set_series_color (ctx, s->color_index, ctx->theme->dark ? 0.6 : 0.5);
            }
          else
            {
              cairo_set_line_width (cr, 2.0);
              tradeoff_chart_set_series_dash (cr, s->color_index, 1.0);
              tradeoff_chart_set_series_color (ctx, s->color_index, 1.0);
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
                  tradeoff_chart_draw_marker (ctx, s->color_index, line->px[i], line->py[i], 3.5);
                  next = line->px[i] + spacing;
                }
              last_x = line->px[i];
              last_y = line->py[i];
            }
          /* The end of each line carries one too (the max of latency) */
          if (isfinite (last_x))
            tradeoff_chart_draw_marker (ctx, s->color_index, last_x, last_y, 3.5);
        }
    }
  cairo_restore (cr);
}

void
tradeoff_chart_draw_line_panels (DrawContext *ctx,
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
