/* tradeoff-chart-axes.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Numbers as the chart writes them (tick labels, legends, tooltips) and
 * the axes: a range widened to nice ticks, linear, log or percentile, and
 * the label format shared by every tick of an axis. */

#define G_LOG_DOMAIN "tradeoff-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tradeoff-chart-private.h"

/* {{{ Number formatting */

/* "1,234,567" for a rounded value. */
char *
tradeoff_chart_format_grouped (double value)
{
  g_autofree char *digits = NULL;
  GString *out;
  gboolean negative = value < 0;
  gsize len;

  digits = g_strdup_printf ("%.0f", fabs (round (value)));
  len = strlen (digits);
  out = g_string_new (negative ? "-" : "");
  for (gsize i = 0; i < len; i++)
    {
      g_string_append_c (out, digits[i]);
      if ((len - i - 1) % 3 == 0 && i + 1 < len)
        g_string_append_c (out, ',');
    }
  return g_string_free (out, FALSE);
}

/* Three significant digits, no trailing noise: 0.123, 1.23, 12.3, 123. */
int
tradeoff_chart_sig_decimals (double value)
{
  double a = fabs (value);

  if (a == 0 || !isfinite (a))
    return 0;
  return CLAMP (2 - (int) floor (log10 (a)), 0, 3);
}

char *
tradeoff_chart_format_duration_us (double us)
{
  if (!isfinite (us))
    return g_strdup (_("not measured"));
  if (us < 1000)
    return g_strdup_printf ("%.*f µs", tradeoff_chart_sig_decimals (us), us);
  if (us < 1000000)
    return g_strdup_printf ("%.*f ms", tradeoff_chart_sig_decimals (us / 1e3), us / 1e3);
  return g_strdup_printf ("%.*f s", tradeoff_chart_sig_decimals (us / 1e6), us / 1e6);
}

char *
tradeoff_chart_format_bytes_rate (double bytes_per_s)
{
  static const char * const units[] = { "B/s", "kB/s", "MB/s", "GB/s" };
  guint u = 0;

  if (!isfinite (bytes_per_s))
    return g_strdup (_("not measured"));
  while (fabs (bytes_per_s) >= 1000 && u + 1 < G_N_ELEMENTS (units))
    {
      bytes_per_s /= 1000;
      u++;
    }
  return g_strdup_printf ("%.*f %s", tradeoff_chart_sig_decimals (bytes_per_s), bytes_per_s,
                          units[u]);
}

static const char *
rate_unit (TradeoffWorkloadKind kind)
{
  switch (kind)
    {
    case TRADEOFF_WORKLOAD_CHAT:
      return _("deliveries/s");
    case TRADEOFF_WORKLOAD_STREAMING:
      return _("bytes/s");
    case TRADEOFF_WORKLOAD_REQUEST:
    case TRADEOFF_WORKLOAD_ML_BATCH:
    default:
      return _("req/s");
    }
}

char *
tradeoff_chart_format_rate (TradeoffWorkloadKind kind,
                            double               value)
{
  g_autofree char *number = NULL;

  if (!isfinite (value))
    return g_strdup (_("not measured"));
  if (kind == TRADEOFF_WORKLOAD_STREAMING)
    return tradeoff_chart_format_bytes_rate (value);
  if (fabs (value) >= 100)
    number = tradeoff_chart_format_grouped (value);
  else
    number = g_strdup_printf ("%.*f", tradeoff_chart_sig_decimals (value), value);
  return g_strdup_printf ("%s %s", number, rate_unit (kind));
}

char *
tradeoff_chart_format_percentile_x (double x)
{
  double p = 100.0 * (1.0 - pow (10.0, -x));
  int decimals = CLAMP ((int) ceil (x - 1e-9) - 2, 0, 6);

  if (x > 0 && x - floor (x) > 1e-6)
    decimals++;
  return g_strdup_printf ("%.*f%%", decimals, p);
}

char *
tradeoff_chart_format_seconds (double s)
{
  if (!isfinite (s))
    return g_strdup (_("not measured"));
  return g_strdup_printf ("%.*f s", tradeoff_chart_sig_decimals (s), s);
}

char *
tradeoff_chart_format_mib (double mib)
{
  if (!isfinite (mib))
    return g_strdup (_("not measured"));
  return g_strdup_printf ("%.*f MiB", mib >= 100 ? 0 : 1, mib);
}

/* The text of one tick. */
char *
tradeoff_chart_format_tick (const Axis *axis,
                            double      v)
{
  if (axis->unit == AXIS_PERCENTILE)
    return tradeoff_chart_format_percentile_x (v);

  if (axis->log)
    {
      double value = pow (10.0, v);

      if (axis->unit == AXIS_LATENCY)
        {
          /* Round values on a log axis: "1 ms", "20 µs", "5 s" */
          if (value < 1000)
            return g_strdup_printf ("%g µs", value);
          if (value < 1000000)
            return g_strdup_printf ("%g ms", value / 1e3);
          return g_strdup_printf ("%g s", value / 1e6);
        }
      return g_strdup_printf ("%g", value);
    }

  if (fabs (v) < axis->step * 1e-6)
    return g_strdup ("0");
  if (axis->suffix != NULL && axis->suffix[0] != '\0')
    {
      if (axis->suffix[0] == 'k' || axis->suffix[0] == 'M' || axis->suffix[0] == 'G')
        {
          if (axis->unit == AXIS_RATE)
            return g_strdup_printf ("%.*f%s", axis->decimals, v / axis->divisor, axis->suffix);
        }
      return g_strdup_printf ("%.*f %s", axis->decimals, v / axis->divisor, axis->suffix);
    }
  return g_strdup_printf ("%.*f", axis->decimals, v / axis->divisor);
}

/* }}} */
/* {{{ Axes */

static double
nice_step (double raw)
{
  double e, f, n;

  if (!(raw > 0) || !isfinite (raw))
    return 1;
  e = floor (log10 (raw));
  f = raw / pow (10, e);
  /* Rounded to the nearest of 1, 2, 5: a little denser than asked rather
   * than much sparser. */
  if (f < 1.5)
    n = 1;
  else if (f < 3.2)
    n = 2;
  else if (f < 7.1)
    n = 5;
  else
    n = 10;
  return n * pow (10, e);
}

static double
smaller_step (double step)
{
  double e = floor (log10 (step) + 1e-9);
  double m = step / pow (10, e);

  if (m > 4.5)
    return 2 * pow (10, e);
  if (m > 1.5)
    return pow (10, e);
  return 5 * pow (10, e - 1);
}

static void
axis_set_label_format (Axis *axis)
{
  double reach = MAX (fabs (axis->min), fabs (axis->max));
  double step = axis->step;

  axis->divisor = 1;
  axis->suffix = NULL;
  switch (axis->unit)
    {
    case AXIS_LATENCY:
      if (reach >= 1e6)
        {
          axis->divisor = 1e6;
          axis->suffix = "s";
        }
      else if (reach >= 1e3)
        {
          axis->divisor = 1e3;
          axis->suffix = "ms";
        }
      else
        axis->suffix = "µs";
      break;

    case AXIS_RATE:
      if (reach >= 1e6)
        {
          axis->divisor = 1e6;
          axis->suffix = "M";
        }
      else if (reach >= 1e4)
        {
          axis->divisor = 1e3;
          axis->suffix = "k";
        }
      break;

    case AXIS_BYTES_RATE:
      if (reach >= 1e9)
        {
          axis->divisor = 1e9;
          axis->suffix = "GB/s";
        }
      else if (reach >= 1e6)
        {
          axis->divisor = 1e6;
          axis->suffix = "MB/s";
        }
      else if (reach >= 1e3)
        {
          axis->divisor = 1e3;
          axis->suffix = "kB/s";
        }
      else
        axis->suffix = "B/s";
      break;

    case AXIS_SECONDS:
      axis->suffix = "s";
      break;

    case AXIS_TIME:
    case AXIS_PERCENTILE:
    case AXIS_MIB:
    case AXIS_PERCENT:
    case AXIS_COUNT:
    default:
      break;
    }

  step /= axis->divisor;
  axis->decimals = step >= 1 ? 0 : CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 6);
}

/* Nice linear ticks covering [lo, hi], about @target of them, never fewer
 * than three. */
void
tradeoff_chart_axis_linear (Axis    *axis,
                            double   lo,
                            double   hi,
                            guint    target,
                            gboolean integer)
{
  double step;
  double a, b;
  guint n;

  target = CLAMP (target, 3, MAX_TICKS - 1);
  if (hi <= lo)
    hi = lo + (lo == 0 ? 1 : fabs (lo) * 0.1);
  step = nice_step ((hi - lo) / (target - 1));
  if (integer && step < 1)
    step = 1;

  for (;;)
    {
      a = floor (lo / step + 1e-9) * step;
      b = ceil (hi / step - 1e-9) * step;
      n = (guint) llround ((b - a) / step) + 1;
      if (n >= 3 || (integer && step <= 1))
        break;
      step = smaller_step (step);
    }
  while (n < 3)
    {
      b += step;
      n++;
    }
  while (n > MAX_TICKS)
    {
      step *= 2;
      a = floor (lo / step + 1e-9) * step;
      b = ceil (hi / step - 1e-9) * step;
      n = (guint) llround ((b - a) / step) + 1;
    }

  axis->log = FALSE;
  axis->min = a;
  axis->max = b;
  axis->step = step;
  axis->n_ticks = n;
  for (guint i = 0; i < n; i++)
    axis->ticks[i] = a + i * step;
  axis_set_label_format (axis);
}

/* Log ticks in log10 space: every decade, with 2 and 5 between them when
 * there is room; at most @max_ticks. */
void
tradeoff_chart_axis_log (Axis   *axis,
                         double  lo,
                         double  hi,
                         guint   max_ticks)
{
  double a = floor (lo + 1e-9);
  double b = ceil (hi - 1e-9);
  guint decades;
  guint every = 1;

  if (b - a < 1)
    b = a + 1;
  decades = (guint) (b - a);
  max_ticks = MAX (max_ticks, 3);

  axis->log = TRUE;
  axis->min = a;
  axis->max = b;
  axis->step = 1;
  axis->n_ticks = 0;
  axis->divisor = 1;
  axis->suffix = NULL;
  axis->decimals = 0;

  if (3 * decades + 1 <= max_ticks && decades <= 3)
    {
      for (double d = a; d <= b + 1e-9 && axis->n_ticks + 3 <= MAX_TICKS; d++)
        {
          axis->ticks[axis->n_ticks++] = d;
          if (d + 1 <= b + 1e-9)
            {
              axis->ticks[axis->n_ticks++] = d + log10 (2);
              axis->ticks[axis->n_ticks++] = d + log10 (5);
            }
        }
      return;
    }

  while ((decades / every) + 1 > max_ticks)
    every++;
  for (double d = a; d <= b + 1e-9 && axis->n_ticks < MAX_TICKS; d += every)
    axis->ticks[axis->n_ticks++] = d;
}

/* The percentile axis: a tick at each "nine". */
void
tradeoff_chart_axis_percentile (Axis   *axis,
                                double  hi,
                                guint   max_ticks)
{
  guint nines = (guint) MAX (2, ceil (hi - 1e-9));
  guint every = 1;

  nines = MIN (nines, MAX_TICKS - 1);
  while (nines / every + 1 > MAX (max_ticks, 3))
    every++;
  axis->log = FALSE;
  axis->unit = AXIS_PERCENTILE;
  axis->min = 0;
  axis->max = nines;
  axis->step = every;
  axis->n_ticks = 0;
  for (guint i = 0; i <= nines; i += every)
    axis->ticks[axis->n_ticks++] = i;
}

/* }}} */
