/* tradeoff-chart-data.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The data and normalisation layers (see tradeoff-chart.c): Series copied
 * out of runs, and the Panels whose Lines keep those values mapped to
 * [0, 1] of the panel's data range, rebuilt only when the data change. */

#define G_LOG_DOMAIN "tradeoff-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tradeoff-chart-private.h"

/* {{{ Series: the data layer */

void
tradeoff_chart_series_free (gpointer data)
{
  Series *s = data;

  g_free (s->label);
  g_free (s->error);
  g_free (s->note);
  g_free (s->lat_x);
  g_free (s->lat_y);
  g_free (s->latu_x);
  g_free (s->latu_y);
  g_free (s->t);
  g_free (s->completed);
  g_free (s->bytes);
  g_free (s->rss_mib);
  g_free (s->cpu);
  g_free (s->threads);
  g_free (s);
}

/* The latency-by-percentile step line of a histogram: each bucket holds its
 * value from the percentile where it starts to the one where it ends, on
 * the axis HdrHistogram plots (x = log10 (1 / (1 - p))). The last point is
 * placed at the percentile of one value in the count, log10 (count). */
static void
copy_percentile_line (const TradeoffHistogram *histogram,
                      double                 **xs,
                      double                 **ys,
                      guint                   *n,
                      double                  *count_out)
{
  TradeoffHistogramIter iter;
  gint64 value;
  guint64 count;
  guint n_buckets = 0;
  guint64 total;
  guint64 cumulative = 0;
  double x_cap;
  guint i = 0;

  *xs = NULL;
  *ys = NULL;
  *n = 0;
  *count_out = 0;

  if (histogram == NULL || (total = tradeoff_histogram_get_count (histogram)) == 0)
    return;

  tradeoff_histogram_iter_init (&iter, histogram);
  while (tradeoff_histogram_iter_next (&iter, &value, &count))
    n_buckets++;

  x_cap = log10 ((double) total);
  if (x_cap < 1)
    x_cap = 1;
  *xs = g_new (double, 2 * n_buckets);
  *ys = g_new (double, 2 * n_buckets);

  tradeoff_histogram_iter_init (&iter, histogram);
  while (tradeoff_histogram_iter_next (&iter, &value, &count) && i + 2 <= 2 * n_buckets)
    {
      double q0 = (double) cumulative / total;
      double q1;
      double x0, x1;

      cumulative += count;
      q1 = (double) cumulative / total;
      x0 = q0 >= 1 ? x_cap : MIN (-log10 (1 - q0), x_cap);
      x1 = q1 >= 1 ? x_cap : MIN (-log10 (1 - q1), x_cap);
      (*xs)[i] = x0;
      (*ys)[i] = (double) value;
      (*xs)[i + 1] = x1;
      (*ys)[i + 1] = (double) value;
      i += 2;
    }
  *n = i;
  *count_out = (double) total;
}

/* The gap between the corrected and the uncorrected latency is the lesson
 * of coordinated omission; show it when it is visible on the chart. */
static gboolean
histograms_differ (const TradeoffHistogram *a,
                   const TradeoffHistogram *b)
{
  static const double percentiles[] = { 50, 90, 99, 99.9 };

  if (a == NULL || b == NULL)
    return FALSE;
  if (tradeoff_histogram_get_count (a) == 0 || tradeoff_histogram_get_count (b) == 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    {
      double va = (double) tradeoff_histogram_get_percentile (a, percentiles[i]);
      double vb = (double) tradeoff_histogram_get_percentile (b, percentiles[i]);

      if (fabs (va - vb) > 0.1 * MAX (va, vb) && fabs (va - vb) > 20)
        return TRUE;
    }
  return FALSE;
}

Series *
tradeoff_chart_series_new_from_run (const TradeoffRun *run,
                                    guint              color_index,
                                    guint              position)
{
  Series *s = g_new0 (Series, 1);
  const TradeoffRunSummary *sum = &run->summary;

  if (run->engine != NULL && run->engine->label != NULL && run->engine->label[0] != '\0')
    s->label = g_strdup (run->engine->label);
  else
    s->label = g_strdup_printf (_("Run %u"), position + 1);
  s->color_index = color_index;
  s->error = g_strdup (run->error);
  s->note = g_strdup (run->note);

  copy_percentile_line (run->histogram, &s->lat_x, &s->lat_y, &s->lat_n, &s->lat_count);
  if (histograms_differ (run->histogram, run->histogram_uncorrected))
    {
      double count;

      copy_percentile_line (run->histogram_uncorrected, &s->latu_x, &s->latu_y, &s->latu_n, &count);
      s->show_uncorrected = s->latu_n > 0;
    }

  s->resources_measured = FALSE;
  if (run->timeline != NULL && run->timeline->len > 0)
    {
      guint n = run->timeline->len;

      s->tl_n = n;
      s->t = g_new (double, n);
      s->completed = g_new (double, n);
      s->bytes = g_new (double, n);
      s->rss_mib = g_new (double, n);
      s->cpu = g_new (double, n);
      s->threads = g_new (double, n);
      for (guint i = 0; i < n; i++)
        {
          const TradeoffTimelinePoint *p = &g_array_index (run->timeline, TradeoffTimelinePoint, i);

          s->t[i] = p->t_s;
          s->completed[i] = p->completed_per_s;
          s->bytes[i] = p->bytes_per_s;
          s->rss_mib[i] = p->rss_bytes / (1024.0 * 1024.0);
          s->cpu[i] = p->cpu_percent;
          s->threads[i] = p->threads;
          if (isfinite (p->rss_bytes) || isfinite (p->cpu_percent) || isfinite (p->threads))
            s->resources_measured = TRUE;
        }
    }
  if (isfinite (sum->peak_rss_bytes) || isfinite (sum->cpu_seconds))
    s->resources_measured = TRUE;

  s->throughput_per_s = sum->throughput_per_s;
  s->bytes_per_s = sum->bytes_per_s;
  s->p50_us = sum->latency_us.p50;
  s->p99_us = sum->latency_us.p99;
  s->peak_rss_mib = sum->peak_rss_bytes / (1024.0 * 1024.0);
  s->cpu_seconds = sum->cpu_seconds;

  return s;
}

/* }}} */
/* {{{ Panels: the normalisation layer */

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->nx);
  g_free (line->ny);
  g_free (line->px);
  g_free (line->py);
  g_free (line->band_x);
  g_free (line->band_lo);
  g_free (line->band_hi);
  g_free (line);
}

static Panel *
panel_new (AxisUnit    x_unit,
           AxisUnit    y_unit,
           const char *caption)
{
  Panel *panel = g_new0 (Panel, 1);

  panel->x_unit = x_unit;
  panel->y_unit = y_unit;
  panel->y_from_zero = y_unit != AXIS_LATENCY;
  panel->caption = g_strdup (caption);
  panel->lines = g_ptr_array_new_with_free_func (line_free);
  panel->show_x_labels = TRUE;
  return panel;
}

static void
panel_free (Panel *panel)
{
  if (panel == NULL)
    return;
  g_ptr_array_unref (panel->lines);
  g_free (panel->caption);
  g_free (panel);
}

static void
panel_add_line (Panel        *panel,
                const double *x,
                const double *y,
                guint         n,
                guint         series,
                gboolean      faint)
{
  Line *line;

  if (n == 0 || x == NULL || y == NULL)
    return;
  line = g_new0 (Line, 1);
  line->x = x;
  line->y = y;
  line->n = n;
  line->series = series;
  line->faint = faint;
  g_ptr_array_add (panel->lines, line);
}

static inline double
panel_y_value (const Panel *panel,
               double       v)
{
  if (!panel->y_log)
    return v;
  return v > 0 ? log10 (v) : NAN;
}

/* Finds the data range, decides on a log latency axis, and maps every
 * line to [0, 1] of that range. */
static void
panel_normalise (Panel *panel,
                 guint  version)
{
  double x_min = INFINITY, x_max = -INFINITY;
  double y_min = INFINITY, y_max = -INFINITY;

  /* A latency axis turns logarithmic when the values span two decades:
   * on a linear axis the median of a fast engine would sit on zero. */
  if (panel->y_unit == AXIS_LATENCY)
    {
      double lo = INFINITY, hi = 0;

      for (guint l = 0; l < panel->lines->len; l++)
        {
          Line *line = g_ptr_array_index (panel->lines, l);

          for (guint i = 0; i < line->n; i++)
            {
              if (line->y[i] > 0)
                {
                  lo = MIN (lo, line->y[i]);
                  hi = MAX (hi, line->y[i]);
                }
            }
        }
      panel->y_log = isfinite (lo) && hi / lo >= 100;
    }

  for (guint l = 0; l < panel->lines->len; l++)
    {
      Line *line = g_ptr_array_index (panel->lines, l);

      for (guint i = 0; i < line->n; i++)
        {
          double y = panel_y_value (panel, line->y[i]);

          /* The time axis spans the run even where nothing was measured */
          if (!isfinite (line->x[i]))
            continue;
          x_min = MIN (x_min, line->x[i]);
          x_max = MAX (x_max, line->x[i]);
          if (!isfinite (y))
            continue;
          y_min = MIN (y_min, y);
          y_max = MAX (y_max, y);
        }
    }

  panel->has_data = isfinite (x_min) && isfinite (y_min);
  if (!isfinite (x_min))
    {
      x_min = 0;
      x_max = 1;
    }
  if (!isfinite (y_min))
    {
      y_min = 0;
      y_max = 1;
    }
  if (x_max <= x_min)
    x_max = x_min + 1;
  if (y_max <= y_min)
    y_max = y_min + (y_min == 0 ? 1 : fabs (y_min) * 0.1);
  panel->dx_min = x_min;
  panel->dx_max = x_max;
  panel->dy_min = y_min;
  panel->dy_max = y_max;

  for (guint l = 0; l < panel->lines->len; l++)
    {
      Line *line = g_ptr_array_index (panel->lines, l);
      double sx = 1.0 / (x_max - x_min);
      double sy = 1.0 / (y_max - y_min);

      if (line->nx == NULL)
        {
          line->nx = g_new (double, line->n);
          line->ny = g_new (double, line->n);
        }
      for (guint i = 0; i < line->n; i++)
        {
          double y = panel_y_value (panel, line->y[i]);

          line->nx[i] = (line->x[i] - x_min) * sx;
          line->ny[i] = isfinite (y) ? (y - y_min) * sy : NAN;
        }
      line->norm_version = version;
      line->px_version = 0;
    }
}

void
tradeoff_chart_clear_panels (TradeoffChart *self)
{
  for (guint i = 0; i < self->n_panels; i++)
    {
      panel_free (self->panels[i]);
      self->panels[i] = NULL;
    }
  self->n_panels = 0;
}

static void
build_panels (TradeoffChart *self)
{
  tradeoff_chart_clear_panels (self);

  switch (self->kind)
    {
    case TRADEOFF_CHART_LATENCY:
      {
        Panel *p = panel_new (AXIS_PERCENTILE, AXIS_LATENCY, _("Latency"));

        for (guint i = 0; i < self->series->len; i++)
          {
            Series *s = g_ptr_array_index (self->series, i);

            /* The faint uncorrected line first, under its solid one. */
            if (s->show_uncorrected)
              panel_add_line (p, s->latu_x, s->latu_y, s->latu_n, i, TRUE);
          }
        for (guint i = 0; i < self->series->len; i++)
          {
            Series *s = g_ptr_array_index (self->series, i);

            panel_add_line (p, s->lat_x, s->lat_y, s->lat_n, i, FALSE);
          }
        self->panels[self->n_panels++] = p;
      }
      break;

    case TRADEOFF_CHART_THROUGHPUT:
      {
        gboolean bytes = self->workload_kind == TRADEOFF_WORKLOAD_STREAMING;
        const char *caption;
        Panel *p;

        if (bytes)
          caption = _("Throughput");
        else if (self->workload_kind == TRADEOFF_WORKLOAD_CHAT)
          caption = _("Deliveries per second");
        else
          caption = _("Requests per second");
        p = panel_new (AXIS_TIME, bytes ? AXIS_BYTES_RATE : AXIS_RATE, caption);
        for (guint i = 0; i < self->series->len; i++)
          {
            Series *s = g_ptr_array_index (self->series, i);

            panel_add_line (p, s->t, bytes ? s->bytes : s->completed, s->tl_n, i, FALSE);
          }
        self->panels[self->n_panels++] = p;
      }
      break;

    case TRADEOFF_CHART_RESOURCES:
      {
        Panel *rss = panel_new (AXIS_TIME, AXIS_MIB, _("Memory (RSS, MiB)"));
        Panel *cpu = panel_new (AXIS_TIME, AXIS_PERCENT, _("CPU (%)"));
        Panel *threads = panel_new (AXIS_TIME, AXIS_COUNT, _("Threads"));

        for (guint i = 0; i < self->series->len; i++)
          {
            Series *s = g_ptr_array_index (self->series, i);

            panel_add_line (rss, s->t, s->rss_mib, s->tl_n, i, FALSE);
            panel_add_line (cpu, s->t, s->cpu, s->tl_n, i, FALSE);
            panel_add_line (threads, s->t, s->threads, s->tl_n, i, FALSE);
          }
        rss->show_x_labels = FALSE;
        cpu->show_x_labels = FALSE;
        self->panels[self->n_panels++] = rss;
        self->panels[self->n_panels++] = cpu;
        self->panels[self->n_panels++] = threads;
      }
      break;

    case TRADEOFF_CHART_SUMMARY:
    default:
      break;
    }

  for (guint i = 0; i < self->n_panels; i++)
    panel_normalise (self->panels[i], self->data_version);

  /* The three resource panels share one time axis. */
  if (self->kind == TRADEOFF_CHART_RESOURCES)
    {
      double x_min = INFINITY, x_max = -INFINITY;

      for (guint i = 0; i < self->n_panels; i++)
        {
          if (self->panels[i]->lines->len == 0)
            continue;
          x_min = MIN (x_min, self->panels[i]->dx_min);
          x_max = MAX (x_max, self->panels[i]->dx_max);
        }
      for (guint i = 0; i < self->n_panels && isfinite (x_min); i++)
        {
          if (self->panels[i]->dx_min != x_min || self->panels[i]->dx_max != x_max)
            {
              /* Renormalise x against the shared range. */
              Panel *p = self->panels[i];

              for (guint l = 0; l < p->lines->len; l++)
                {
                  Line *line = g_ptr_array_index (p->lines, l);

                  for (guint k = 0; k < line->n; k++)
                    line->nx[k] = (line->x[k] - x_min) / (x_max - x_min);
                }
              p->dx_min = x_min;
              p->dx_max = x_max;
            }
        }
    }

  self->panels_version = self->data_version;
}

void
tradeoff_chart_ensure_panels (TradeoffChart *self)
{
  if (self->panels_version != self->data_version)
    build_panels (self);
}

/* }}} */
