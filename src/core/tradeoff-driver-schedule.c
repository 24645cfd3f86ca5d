/* tradeoff-driver-schedule.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The open-loop schedule (constant or Poisson arrivals), the client-side
 * queue of arrivals waiting for a connection, and the heap of transfers
 * to restart later. */

#define G_LOG_DOMAIN "tradeoff-driver"

#include "config.h"

#include <math.h>

#include "tradeoff-driver-private.h"

/* The client-side queue of open-loop arrivals waiting for a connection. */

static gboolean
queue_push (DriverThread *t,
            gint64        intended)
{
  if (t->queue_len == t->queue_cap)
    {
      gsize cap = MAX (t->queue_cap * 2, 1024);
      gint64 *q;

      if (cap > MAX_QUEUE)
        return FALSE;
      q = g_new (gint64, cap);
      for (gsize i = 0; i < t->queue_len; i++)
        q[i] = t->queue[(t->queue_head + i) % t->queue_cap];
      g_free (t->queue);
      t->queue = q;
      t->queue_head = 0;
      t->queue_cap = cap;
    }
  t->queue[(t->queue_head + t->queue_len) % t->queue_cap] = intended;
  t->queue_len++;
  return TRUE;
}

gint64
driver_queue_pop (DriverThread *t)
{
  gint64 v = t->queue[t->queue_head];

  t->queue_head = (t->queue_head + 1) % t->queue_cap;
  t->queue_len--;
  return v;
}

/* A min-heap of transfers to restart later (closed-loop think time,
 * subscriber retries). */

void
driver_heap_push (DriverThread *t,
                  gint64        at,
                  Transfer     *tr)
{
  HeapEntry e = { at, tr };
  guint i;

  g_array_append_val (t->heap, e);
  i = t->heap->len - 1;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      HeapEntry *a = &g_array_index (t->heap, HeapEntry, parent);
      HeapEntry *b = &g_array_index (t->heap, HeapEntry, i);
      HeapEntry tmp;

      if (a->at <= b->at)
        break;
      tmp = *a;
      *a = *b;
      *b = tmp;
      i = parent;
    }
}

static HeapEntry
heap_pop (DriverThread *t)
{
  HeapEntry top = g_array_index (t->heap, HeapEntry, 0);
  guint n = t->heap->len - 1;
  guint i = 0;

  g_array_index (t->heap, HeapEntry, 0) = g_array_index (t->heap, HeapEntry, n);
  g_array_set_size (t->heap, n);
  for (;;)
    {
      guint l = 2 * i + 1;
      guint r = l + 1;
      guint m = i;
      HeapEntry tmp;

      if (l < n &&
          g_array_index (t->heap, HeapEntry, l).at < g_array_index (t->heap, HeapEntry, m).at)
        m = l;
      if (r < n &&
          g_array_index (t->heap, HeapEntry, r).at < g_array_index (t->heap, HeapEntry, m).at)
        m = r;
      if (m == i)
        break;
      tmp = g_array_index (t->heap, HeapEntry, i);
      g_array_index (t->heap, HeapEntry, i) = g_array_index (t->heap, HeapEntry, m);
      g_array_index (t->heap, HeapEntry, m) = tmp;
      i = m;
    }
  return top;
}

/* Open-loop schedule. */

void
driver_advance_arrival (DriverThread *t)
{
  TradeoffDriver *d = t->driver;

  if (d->workload.distribution == TRADEOFF_DISTRIBUTION_POISSON)
    {
      double u = g_rand_double (t->rand);

      /* u is in [0, 1): 1 - u is in (0, 1]. */
      t->arrival_offset_us += -log (1.0 - u) * 1e6 / t->rate;
    }
  else
    {
      t->arrival_k++;
      t->arrival_offset_us = t->arrival_phase_us + t->arrival_k * 1e6 / t->rate;
    }
  t->next_arrival = d->start_us + (gint64) t->arrival_offset_us;
}

void
driver_slot_free (DriverThread *t,
                  Transfer     *tr,
                  gint64        now)
{
  if (t->queue_len > 0 && !t->stopping)
    {
      gint64 intended = driver_queue_pop (t);

      driver_transfer_start (tr, intended, now);
      return;
    }
  g_ptr_array_add (t->idle, tr);
}

void
driver_dispatch_arrivals (DriverThread *t,
                          gint64        now)
{
  TradeoffDriver *d = t->driver;

  while (t->next_arrival <= now && t->next_arrival < d->measure_end_us)
    {
      gint64 intended = t->next_arrival;
      gboolean counted = intended >= d->measure_start_us;

      driver_advance_arrival (t);

      if (t->idle->len > 0)
        {
          Transfer *tr = g_ptr_array_steal_index_fast (t->idle, t->idle->len - 1);
          gint64 lag = now - intended;

          driver_transfer_start (tr, intended, now);
          if (counted)
            {
              stats_lock (t);
              driver_count_offered (t, intended);
              t->stats.lag_sum_us += lag;
              t->stats.lag_count++;
              t->stats.lag_max_us = MAX (t->stats.lag_max_us, lag);
              stats_unlock (t);
            }
        }
      else
        {
          gboolean queued = queue_push (t, intended);

          if (counted)
            {
              stats_lock (t);
              driver_count_offered (t, intended);
              if (!queued)
                t->stats.queue_drops++;
              stats_unlock (t);
            }
          if (!queued)
            driver_record_failure (t, now, intended, FALSE);
        }
    }
}

void
driver_run_due_restarts (DriverThread *t,
                         gint64        now)
{
  while (t->heap->len > 0 && g_array_index (t->heap, HeapEntry, 0).at <= now)
    {
      HeapEntry e = heap_pop (t);

      if (!e.transfer->active)
        driver_transfer_start (e.transfer, now, now);
    }
}
