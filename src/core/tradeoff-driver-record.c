/* tradeoff-driver-record.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The driver's figures: totals and timeline intervals per thread,
 * recorded under the thread's lock and merged by tradeoff-driver.c. */

#define G_LOG_DOMAIN "tradeoff-driver"

#include "config.h"

#include "tradeoff-driver-private.h"

/* Returns the interval a record at @now belongs to, or NULL before or
 * after the measured window. Called with the lock held. */
static TradeoffDriverInterval *
interval_at (DriverThread *t,
             gint64        now)
{
  TradeoffDriver *d = t->driver;
  TradeoffDriverInterval *iv;
  gint64 measure_start = d->measure_start_us;
  gint64 index;
  guint sealed;

  if (measure_start == 0 || now < measure_start || now >= d->measure_end_us)
    return NULL;

  index = (now - measure_start) / TRADEOFF_DRIVER_INTERVAL_US;
  sealed = g_atomic_int_get (&d->sealed);
  if (index < sealed)
    index = sealed;
  if (index >= d->n_intervals)
    index = d->n_intervals - 1;

  if (index >= t->intervals->len)
    g_ptr_array_set_size (t->intervals, index + 1);

  iv = g_ptr_array_index (t->intervals, index);
  if (iv == NULL)
    {
      iv = g_new0 (TradeoffDriverInterval, 1);
      iv->histogram = tradeoff_histogram_new (2);
      g_ptr_array_index (t->intervals, index) = iv;
    }
  iv->in_flight = t->in_flight + t->queue_len;
  return iv;
}

/* Counts an arrival in the interval of its intended start. Lock held. */
void
driver_count_offered (DriverThread *t,
                      gint64        intended)
{
  TradeoffDriverInterval *iv = interval_at (t, intended);

  t->stats.offered++;
  if (iv != NULL)
    iv->offered++;
}

void
driver_record_done (DriverThread *t,
                    gint64        now,
                    gint64        corrected_us,
                    gint64        uncorrected_us,
                    guint64       bytes)
{
  gboolean stall = corrected_us > STALL_US && t->driver->workload.kind == TRADEOFF_WORKLOAD_STREAMING;
  TradeoffDriverInterval *iv;

  if (!after_warmup (t, now))
    return;

  stats_lock (t);
  t->stats.completed++;
  tradeoff_histogram_record (t->stats.histogram, MAX (corrected_us, 1));
  tradeoff_histogram_record (t->stats.histogram_uncorrected, MAX (uncorrected_us, 1));
  if (stall)
    t->stats.stalls++;
  iv = interval_at (t, now);
  if (iv != NULL)
    {
      t->stats.completed_in_window++;
      t->stats.bytes_in_window += bytes;
      iv->completed++;
      iv->bytes += bytes;
      if (stall)
        iv->stalls++;
      tradeoff_histogram_record (iv->histogram, MAX (corrected_us, 1));
    }
  stats_unlock (t);
}

/* A chunk still missing when the window closed: its lateness so far is a
 * lower bound, recorded so a stream that never got served still shows. */
static void
record_overdue (DriverThread *t,
                gint64        late_us)
{
  stats_lock (t);
  tradeoff_histogram_record (t->stats.histogram, MAX (late_us, 1));
  tradeoff_histogram_record (t->stats.histogram_uncorrected, MAX (late_us, 1));
  if (late_us > STALL_US)
    t->stats.stalls++;
  stats_unlock (t);
}

void
driver_record_overdue_chunks (DriverThread *t,
                              gint64        end)
{
  const TradeoffWorkload *w = &t->driver->workload;

  for (guint i = 0; i < t->n_transfers; i++)
    {
      Transfer *tr = &t->transfers[i];
      double us_per_chunk;
      guint64 n_chunks;

      if (!tr->active || tr->kind != TRANSFER_STREAM || w->chunk_bytes == 0)
        continue;
      us_per_chunk = w->chunk_bytes * 1e6 / tr->rate;
      n_chunks = w->stream_bytes / w->chunk_bytes;
      for (guint64 k = tr->next_chunk; k < n_chunks; k++)
        {
          gint64 due = tr->sent + (gint64) (k * us_per_chunk);

          /* Only chunks due inside the window, and late by more than one
           * chunk time (a chunk on its way is not overdue). */
          if (due + (gint64) us_per_chunk >= end)
            break;
          if (due < t->driver->measure_start_us)
            continue;
          record_overdue (t, end - due);
        }
    }
}

void
driver_record_bytes (DriverThread *t,
                     gint64        now,
                     guint64       bytes)
{
  TradeoffDriverInterval *iv;

  if (!in_window (t, now))
    return;

  stats_lock (t);
  iv = interval_at (t, now);
  if (iv != NULL)
    {
      iv->bytes += bytes;
      t->stats.bytes_in_window += bytes;
    }
  stats_unlock (t);
}

void
driver_record_failure (DriverThread *t,
                       gint64        now,
                       gint64        intended,
                       gboolean      timeout)
{
  TradeoffDriverInterval *iv;

  /* Failures of requests meant for the warm-up are part of the warm-up. */
  if (!after_warmup (t, now) || intended < t->driver->measure_start_us)
    return;

  stats_lock (t);
  if (timeout)
    t->stats.timeouts++;
  else
    t->stats.errors++;
  iv = interval_at (t, now);
  if (iv != NULL)
    {
      if (timeout)
        iv->timeouts++;
      else
        iv->errors++;
    }
  stats_unlock (t);
}

void
driver_touch_interval (DriverThread *t,
                       gint64        now)
{
  if (!in_window (t, now))
    return;

  stats_lock (t);
  interval_at (t, now);
  stats_unlock (t);
}

void
driver_note_error (DriverThread *t,
                   CURLcode      code,
                   long          status)
{
  if (t->stats.first_error[0] != '\0')
    return;

  stats_lock (t);
  if (code != CURLE_OK)
    g_strlcpy (t->stats.first_error, curl_easy_strerror (code), sizeof t->stats.first_error);
  else
    g_snprintf (t->stats.first_error, sizeof t->stats.first_error, "HTTP %ld", status);
  stats_unlock (t);
}
