/* tradeoff-runner-figures.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Building a run's figures from the driver and the sampler: the timeline
 * (sealed points kept, the last few recomputed), the summary, the notes on
 * what limited the run, and the driver's own figures. */

#define G_LOG_DOMAIN "tradeoff-runner"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tradeoff-runner-private.h"

#define SEAL_AFTER_US       (300 * 1000)

/* Building a run from the driver and the sampler. */

static void
fill_point (TradeoffTimelinePoint  *point,
            guint                   index,
            TradeoffDriver         *driver,
            TradeoffSampler        *sampler)
{
  TradeoffDriverInterval iv;
  const double span = TRADEOFF_DRIVER_INTERVAL_US / 1e6;
  TradeoffSample sample;
  gint64 end;

  memset (point, 0, sizeof *point);
  tradeoff_driver_get_interval (driver, index, &iv);

  point->t_s = (index + 1) * span;
  point->completed_per_s = iv.completed / span;
  point->bytes_per_s = iv.bytes / span;
  point->errors_per_s = (iv.errors + iv.timeouts) / span;
  point->in_flight = iv.in_flight;
  if (tradeoff_histogram_get_count (iv.histogram) > 0)
    {
      point->p50_us = tradeoff_histogram_get_percentile (iv.histogram, 50);
      point->p99_us = tradeoff_histogram_get_percentile (iv.histogram, 99);
    }
  else
    {
      point->p50_us = NAN;
      point->p99_us = NAN;
    }
  tradeoff_driver_interval_clear (&iv);

  point->rss_bytes = NAN;
  point->cpu_percent = NAN;
  point->threads = NAN;
  point->connections = NAN;
  end = tradeoff_driver_get_measure_start_time (driver) + (gint64) (index + 1) * TRADEOFF_DRIVER_INTERVAL_US;
  if (sampler != NULL && tradeoff_sampler_get_sample_at (sampler, end, &sample))
    {
      point->rss_bytes = sample.rss_bytes;
      point->cpu_percent = sample.cpu_percent;
      point->threads = sample.threads;
      point->connections = sample.sockets;
    }
}

/* Appends the timeline to @run: the sealed points kept in @sealed, then
 * the intervals that ended but may still change. When @final, every
 * interval is sealed. */
void
runner_build_timeline (TradeoffRun     *run,
                       GArray          *sealed,
                       TradeoffDriver  *driver,
                       TradeoffSampler *sampler,
                       gboolean         final)
{
  gint64 measure_start = tradeoff_driver_get_measure_start_time (driver);
  guint n = tradeoff_driver_get_n_intervals (driver);
  guint ended;
  guint to_seal;
  gint64 now = g_get_monotonic_time ();

  if (measure_start == 0 || now < measure_start)
    {
      g_array_set_size (run->timeline, 0);
      return;
    }

  ended = MIN (n, (guint) ((now - measure_start) / TRADEOFF_DRIVER_INTERVAL_US));
  to_seal = now - measure_start > SEAL_AFTER_US
              ? MIN (n, (guint) ((now - measure_start - SEAL_AFTER_US) / TRADEOFF_DRIVER_INTERVAL_US))
              : 0;
  if (final)
    ended = to_seal = n;

  if (to_seal > sealed->len)
    {
      tradeoff_driver_seal_intervals (driver, to_seal);
      for (guint i = sealed->len; i < to_seal; i++)
        {
          TradeoffTimelinePoint point;

          fill_point (&point, i, driver, sampler);
          g_array_append_val (sealed, point);
        }
    }

  g_array_set_size (run->timeline, 0);
  g_array_append_vals (run->timeline, sealed->data, sealed->len);
  for (guint i = sealed->len; i < ended; i++)
    {
      TradeoffTimelinePoint point;

      fill_point (&point, i, driver, sampler);
      g_array_append_val (run->timeline, point);
    }
}

void
runner_build_summary (TradeoffRun     *run,
                      TradeoffDriver  *driver,
                      TradeoffSampler *sampler,
                      gboolean         final)
{
  TradeoffRunSummary *s = &run->summary;
  TradeoffDriverTotals totals;
  TradeoffSamplerSummary sampled;
  gint64 measure_start = tradeoff_driver_get_measure_start_time (driver);
  gint64 measure_end = tradeoff_driver_get_measure_end_time (driver);
  double window;
  double offered = tradeoff_driver_get_offered_per_s (driver);
  double driver_load;
  g_autoptr(GString) note = g_string_new (NULL);

  tradeoff_driver_get_totals (driver, &totals);

  tradeoff_run_summary_init (s);
  s->completed = totals.completed;
  s->errors = totals.errors;
  s->timeouts = totals.timeouts;
  s->stalls = totals.stalls;
  window = totals.window_s;
  s->throughput_per_s = window > 0 ? totals.completed_in_window / window : 0;
  s->bytes_per_s = window > 0 ? totals.bytes_in_window / window : 0;
  s->achieved_per_s = s->throughput_per_s;
  s->offered_per_s = offered > 0 ? offered : s->achieved_per_s;

  tradeoff_histogram_free (run->histogram);
  tradeoff_histogram_free (run->histogram_uncorrected);
  run->histogram = g_steal_pointer (&totals.histogram);
  run->histogram_uncorrected = g_steal_pointer (&totals.histogram_uncorrected);
  tradeoff_run_summarize_latency (run);

  s->peak_rss_bytes = NAN;
  s->cpu_seconds = NAN;
  s->cpu_percent_mean = NAN;
  s->threads_max = NAN;
  s->server_cpu_us_per_request = NAN;
  s->capacity_per_core_per_s = NAN;
  if (sampler != NULL && measure_start != 0 &&
      tradeoff_sampler_summarize (sampler, measure_start,
                                  MIN (measure_end, g_get_monotonic_time ()), &sampled))
    {
      s->peak_rss_bytes = sampled.peak_rss_bytes;
      s->cpu_seconds = sampled.cpu_seconds;
      s->cpu_percent_mean = sampled.cpu_percent_mean;
      s->threads_max = sampled.threads_max;
      if (totals.completed_in_window > 0 && isfinite (sampled.cpu_seconds) && sampled.cpu_seconds > 0)
        {
          s->server_cpu_us_per_request = sampled.cpu_seconds * 1e6 / totals.completed_in_window;
          s->capacity_per_core_per_s = 1e6 / s->server_cpu_us_per_request;
        }
    }

  /* Was the driver the limit? Its threads busy all the time, or arrivals
   * sent late although a connection was free. */
  driver_load = window > 0 && totals.n_threads > 0
                  ? totals.driver_cpu_seconds / (window * totals.n_threads) : 0;
  s->driver_limited = FALSE;
  if (final && window > 0)
    {
      gboolean short_of_offer = offered > 0 && s->achieved_per_s < 0.9 * offered;
      gboolean closed = offered <= 0;

      if (driver_load > 0.9 && (closed || short_of_offer))
        {
          s->driver_limited = TRUE;
          g_string_append_printf (note,
                                  _("The driver was the limit: its %u thread(s) were busy %.0f%% of the time, "
                                    "so the engine may have more capacity than this run shows."),
                                  totals.n_threads, driver_load * 100);
        }
      else if (offered > 0 && short_of_offer && totals.dispatch_lag_mean_us > 5000)
        {
          s->driver_limited = TRUE;
          g_string_append_printf (note,
                                  _("The driver was the limit: it sent requests %.1f ms late on average "
                                    "while connections were free, and achieved %.0f of the %.0f per second offered."),
                                  totals.dispatch_lag_mean_us / 1000, s->achieved_per_s, offered);
        }
      if (totals.subscribe_timed_out)
        {
          if (note->len > 0)
            g_string_append_c (note, ' ');
          g_string_append_printf (note, _("Only %u of %u subscribers were connected when publishing began."),
                                  totals.subscribed, totals.subscribers);
        }
      if (totals.deliveries_received < totals.deliveries_expected)
        {
          guint64 lost = totals.deliveries_expected - totals.deliveries_received;

          if (note->len > 0)
            g_string_append_c (note, ' ');
          g_string_append_printf (note,
                                  _("%" PRIu64 " of %" PRIu64 " deliveries of messages published in the "
                                    "window never arrived: the server dropped them for slow subscribers, "
                                    "or they were still on their way when the run ended."),
                                  lost, totals.deliveries_expected);
        }
      if (totals.queue_drops > 0)
        {
          if (note->len > 0)
            g_string_append_c (note, ' ');
          g_string_append_printf (note, _("%" PRIu64 " arrivals were dropped: the client-side queue was full."),
                                  totals.queue_drops);
        }
    }
  g_free (run->note);
  run->note = note->len > 0 ? g_strdup (note->str) : NULL;

  /* Load that never once succeeded is a failed run, not a zero. */
  if (final && totals.completed == 0 && totals.errors + totals.timeouts > 0 && run->error == NULL)
    run->error = g_strdup_printf (_("Nothing succeeded: %" PRIu64 " errors and %" PRIu64 " timeouts; the first: %s"),
                                  totals.errors, totals.timeouts,
                                  totals.first_error[0] != '\0' ? totals.first_error : _("a timeout"));

  /* The driver's own figures, kept beside the summary: how much client CPU
   * the load cost, and how late it was sent. */
  if (final)
    {
      JsonObject *figures = json_object_new ();

      json_object_set_int_member (figures, "threads", totals.n_threads);
      json_object_set_double_member (figures, "cpu_seconds", totals.driver_cpu_seconds);
      json_object_set_double_member (figures, "busy_fraction", driver_load);
      json_object_set_int_member (figures, "sent", (gint64) totals.sent);
      if (totals.deliveries_expected > 0)
        {
          json_object_set_int_member (figures, "deliveries_expected", (gint64) totals.deliveries_expected);
          json_object_set_int_member (figures, "deliveries_lost",
                                      (gint64) (totals.deliveries_expected
                                                - MIN (totals.deliveries_received, totals.deliveries_expected)));
        }
      json_object_set_double_member (figures, "dispatch_lag_mean_us", totals.dispatch_lag_mean_us);
      json_object_set_double_member (figures, "dispatch_lag_max_us", totals.dispatch_lag_max_us);
      if (totals.completed_in_window > 0)
        json_object_set_double_member (figures, "cpu_us_per_completed",
                                       totals.driver_cpu_seconds * 1e6 / totals.completed_in_window);
      if (run->extra == NULL)
        run->extra = json_object_new ();
      json_object_set_object_member (run->extra, "driver", figures);
    }
  tradeoff_driver_totals_clear (&totals);
}
