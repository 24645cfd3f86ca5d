/* tradeoff-chart-hover.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Hover: the values under the pointer, found in the last drawn layout, as
 * text for a tooltip and the x of the crosshair. */

#define G_LOG_DOMAIN "tradeoff-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tradeoff-chart-private.h"

/* {{{ Hover */

/* The index of the last point with x <= @x in a sorted array, or -1. */
static gssize
find_at_or_before (const double *xs,
                   guint         n,
                   double        x)
{
  gssize lo = 0, hi = (gssize) n - 1, found = -1;

  while (lo <= hi)
    {
      gssize mid = lo + (hi - lo) / 2;

      if (xs[mid] <= x)
        {
          found = mid;
          lo = mid + 1;
        }
      else
        hi = mid - 1;
    }
  return found;
}

static gssize
find_nearest (const double *xs,
              guint         n,
              double        x)
{
  gssize i = find_at_or_before (xs, n, x);

  if (n == 0)
    return -1;
  if (i < 0)
    return 0;
  if ((guint) i + 1 < n && fabs (xs[i + 1] - x) < fabs (x - xs[i]))
    return i + 1;
  return i;
}

static double
latency_at (const double *xs,
            const double *ys,
            guint         n,
            double        x)
{
  gssize i = find_at_or_before (xs, n, x);

  if (n == 0)
    return NAN;
  if (i < 0)
    return ys[0];
  /* On a step, the value of the bucket that covers x */
  if ((guint) i + 1 < n && xs[i] == x && i > 0 && (i % 2) == 0)
    return ys[i - 1];
  return ys[i];
}

static gboolean
describe_lines (TradeoffChart *self,
                double         x,
                double         y,
                double        *crosshair_x,
                char         **text)
{
  Panel *panel = NULL;
  double best_distance = INFINITY;
  double dx;
  double cross = x;
  double nearest_gap = INFINITY;
  GString *out;

  for (guint i = 0; i < self->n_panels; i++)
    {
      Panel *p = self->panels[i];
      double d;

      if (x < p->rect.x - 2 || x > p->rect.x + p->rect.width + 2)
        continue;
      if (y >= p->outer.y && y <= p->outer.y + p->outer.height)
        d = 0;
      else
        d = MIN (fabs (y - p->outer.y), fabs (y - (p->outer.y + p->outer.height)));
      if (d < best_distance)
        {
          best_distance = d;
          panel = p;
        }
    }
  if (panel == NULL || !panel->has_data || best_distance > 40)
    return FALSE;

  dx = panel->x_axis.min + CLAMP ((x - panel->rect.x) / panel->rect.width, 0, 1) *
       (panel->x_axis.max - panel->x_axis.min);
  out = g_string_new (NULL);

  if (self->kind == TRADEOFF_CHART_LATENCY)
    {
      g_autofree char *at = tradeoff_chart_format_percentile_x (dx);

      for (guint i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          g_autofree char *value = NULL;

          if (s->lat_n == 0)
            {
              if (s->error != NULL)
                g_string_append_printf (out, _("%s%s: failed"), out->len > 0 ? "\n" : "", s->label);
              continue;
            }
          value = tradeoff_chart_format_duration_us (latency_at (s->lat_x, s->lat_y, s->lat_n, MIN (dx, s->lat_x[s->lat_n - 1])));
          if (out->len > 0)
            g_string_append_c (out, '\n');
          g_string_append_printf (out, _("%s: %s at %s"), s->label, value, at);
          if (s->show_uncorrected)
            {
              g_autofree char *u = NULL;

              u = tradeoff_chart_format_duration_us (latency_at (s->latu_x, s->latu_y, s->latu_n,
                                                                 MIN (dx, s->latu_x[s->latu_n - 1])));

              g_string_append_printf (out, _(" (uncorrected %s)"), u);
            }
        }
      cross = panel->rect.x + panel->rect.width * axis_fraction (&panel->x_axis, dx);
    }
  else
    {
      for (guint i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          g_autofree char *at = NULL;
          gssize k;
          double px;

          if (s->tl_n == 0)
            {
              if (s->error != NULL)
                g_string_append_printf (out, _("%s%s: failed"), out->len > 0 ? "\n" : "", s->label);
              continue;
            }
          k = find_nearest (s->t, s->tl_n, dx);
          at = tradeoff_chart_format_seconds (s->t[k]);
          if (out->len > 0)
            g_string_append_c (out, '\n');
          if (self->kind == TRADEOFF_CHART_THROUGHPUT)
            {
              double v = self->workload_kind == TRADEOFF_WORKLOAD_STREAMING ? s->bytes[k] : s->completed[k];
              g_autofree char *value = tradeoff_chart_format_rate (self->workload_kind, v);

              g_string_append_printf (out, _("%s: %s at %s"), s->label, value, at);
            }
          else if (!s->resources_measured)
            g_string_append_printf (out, _("%s: not measured"), s->label);
          else
            {
              g_autofree char *rss = tradeoff_chart_format_mib (s->rss_mib[k]);
              g_autofree char *cpu = isfinite (s->cpu[k]) ? g_strdup_printf ("%.0f%%", s->cpu[k])
                                                          : g_strdup (_("not measured"));
              g_autofree char *threads = isfinite (s->threads[k]) ? g_strdup_printf ("%.0f", s->threads[k])
                                                                  : g_strdup (_("not measured"));

              g_string_append_printf (out, _("%s: %s RSS, %s CPU, %s threads at %s"),
                                      s->label, rss, cpu, threads, at);
            }
          px = panel->rect.x + panel->rect.width * axis_fraction (&panel->x_axis, s->t[k]);
          if (fabs (px - x) < nearest_gap)
            {
              nearest_gap = fabs (px - x);
              cross = px;
            }
        }
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return FALSE;
    }
  if (crosshair_x != NULL)
    *crosshair_x = cross;
  if (text != NULL)
    *text = g_string_free (out, FALSE);
  else
    g_string_free (out, TRUE);
  return TRUE;
}

static gboolean
describe_bars (TradeoffChart *self,
               double         x,
               double         y,
               double        *crosshair_x,
               char         **text)
{
  for (guint m = 0; m < N_SUMMARY; m++)
    {
      BarPanel *bp = &self->bars[m];
      GString *out;
      guint slot;

      if (x < bp->plot.x || x > bp->plot.x + bp->plot.width ||
          y < bp->outer.y || y > bp->outer.y + bp->outer.height)
        continue;
      if (self->series->len == 0)
        return FALSE;

      out = g_string_new (tradeoff_chart_summary_caption (self, m));
      for (guint i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          g_autofree char *value = NULL;

          if (s->error != NULL && !isfinite (tradeoff_chart_summary_value (self, s, m)))
            {
              g_string_append_printf (out, _("\n%s: failed (%s)"), s->label, s->error);
              continue;
            }
          value = tradeoff_chart_summary_format (self, m,
                                                 tradeoff_chart_summary_value (self, s, m));

          if (m == 0 && self->workload_kind != TRADEOFF_WORKLOAD_STREAMING &&
              isfinite (tradeoff_chart_summary_value (self, s, m)))
            {
              g_free (value);
              value = tradeoff_chart_format_rate (self->workload_kind,
                                                  tradeoff_chart_summary_value (self, s, m));
            }
          g_string_append_printf (out, "\n%s: %s", s->label, value);
        }
      slot = (guint) CLAMP ((x - bp->plot.x) / bp->slot_width, 0, self->series->len - 1);
      if (crosshair_x != NULL)
        *crosshair_x = bp->plot.x + bp->slot_width * (slot + 0.5);
      if (text != NULL)
        *text = g_string_free (out, FALSE);
      else
        g_string_free (out, TRUE);
      return TRUE;
    }
  return FALSE;
}

gboolean
tradeoff_chart_describe_point (TradeoffChart *self,
                               double         x,
                               double         y,
                               double        *crosshair_x,
                               char         **text)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (text != NULL)
    *text = NULL;
  if (!self->drawn || self->series->len == 0)
    return FALSE;
  /* The layout is the one of the last draw; the data may have changed
   * since, so rebuild the panels before reading them. */
  if (self->panels_version != self->data_version)
    return FALSE;

  if (self->kind == TRADEOFF_CHART_SUMMARY)
    return describe_bars (self, x, y, crosshair_x, text);
  return describe_lines (self, x, y, crosshair_x, text);
}

/* }}} */
