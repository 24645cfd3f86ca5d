/* tradeoff-gil.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A global interpreter lock with CPython's switching rules (Python/ceval_gil.c
 * since 3.2), so the pool engine behaves as threaded Python does:
 *
 * - a thread holds the lock while it runs "Python code" (parsing, computing,
 *   formatting) and releases it around every blocking call;
 * - a thread that has waited one switch interval without the holder changing
 *   sets a drop request; the holder notices at its next checkpoint (every
 *   ~50 µs of CPU work), releases the lock, and does not try to take it back
 *   until some other thread has taken it (forced switching), so the waiter
 *   really gets its turn.
 *
 * All functions accept NULL and then do nothing: an engine without a GIL
 * calls the same code. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include "tradeoff-gil.h"

struct _TradeoffGil
{
  GMutex  mutex;
  GCond   cond;           /* signalled when the lock is released */
  GCond   switch_cond;    /* signalled when the lock changes hands */
  gint64  interval_us;
  guint64 switch_number;
  gint    drop_request;   /* atomic: read by the holder without the mutex */
  guint   locked : 1;
};

TradeoffGil *
tradeoff_gil_new (guint switch_interval_ms)
{
  TradeoffGil *gil = g_new0 (TradeoffGil, 1);

  g_mutex_init (&gil->mutex);
  g_cond_init (&gil->cond);
  g_cond_init (&gil->switch_cond);
  gil->interval_us = MAX (switch_interval_ms, 1) * 1000;
  return gil;
}

void
tradeoff_gil_free (TradeoffGil *gil)
{
  if (gil == NULL)
    return;

  g_cond_clear (&gil->switch_cond);
  g_cond_clear (&gil->cond);
  g_mutex_clear (&gil->mutex);
  g_free (gil);
}

void
tradeoff_gil_acquire (TradeoffGil *gil)
{
  if (gil == NULL)
    return;

  g_mutex_lock (&gil->mutex);
  while (gil->locked)
    {
      guint64 seen = gil->switch_number;
      gint64 deadline = g_get_monotonic_time () + gil->interval_us;

      if (!g_cond_wait_until (&gil->cond, &gil->mutex, deadline)
          && gil->locked && gil->switch_number == seen)
        g_atomic_int_set (&gil->drop_request, 1);
    }

  gil->locked = TRUE;
  gil->switch_number++;
  g_atomic_int_set (&gil->drop_request, 0);
  g_cond_broadcast (&gil->switch_cond);
  g_mutex_unlock (&gil->mutex);
}

void
tradeoff_gil_release (TradeoffGil *gil)
{
  if (gil == NULL)
    return;

  g_mutex_lock (&gil->mutex);
  g_assert (gil->locked);
  gil->locked = FALSE;
  g_cond_signal (&gil->cond);
  g_mutex_unlock (&gil->mutex);
}

/* A TradeoffCpuCheckpoint: called by the holder between slices of work. */
void
tradeoff_gil_checkpoint (gpointer data)
{
  TradeoffGil *gil = data;
  guint64 seen;

  if (gil == NULL || !g_atomic_int_get (&gil->drop_request))
    return;

  g_mutex_lock (&gil->mutex);
  g_assert (gil->locked);
  gil->locked = FALSE;
  g_cond_signal (&gil->cond);
  seen = gil->switch_number;
  /* Forced switching: wait until another thread has taken the lock. */
  while (gil->switch_number == seen && g_atomic_int_get (&gil->drop_request))
    g_cond_wait (&gil->switch_cond, &gil->mutex);
  g_mutex_unlock (&gil->mutex);

  tradeoff_gil_acquire (gil);
}
