/* tradeoff-driver-loop.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A driver thread's main loop: coordinating the start, dispatching
 * arrivals and restarts, sweeping request timeouts, waiting in
 * epoll_pwait2 and handing socket events to curl, then the drain. */

#define G_LOG_DOMAIN "tradeoff-driver"

#include "config.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "tradeoff-driver-private.h"

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* Request timeouts, swept here rather than set on each transfer with
 * CURLOPT_TIMEOUT_MS: curl would arm and disarm a timer per request,
 * which costs about a tenth of the driver's CPU. A sweep every tenth of
 * the timeout finds a request at most that much late. */
static gint64
sweep_interval_us (TradeoffDriver *d)
{
  return CLAMP (d->request_timeout_us / 10, 1000, 100 * 1000);
}

static void
sweep_timeouts (DriverThread *t,
                gint64        now)
{
  TradeoffDriver *d = t->driver;

  for (guint i = t->first_load_transfer; i < t->n_transfers; i++)
    {
      Transfer *tr = &t->transfers[i];

      if (!tr->active || (tr->kind != TRANSFER_REQUEST && tr->kind != TRANSFER_PUBLISH))
        continue;
      if (now - tr->sent < d->request_timeout_us)
        continue;
      curl_multi_remove_handle (tr->shard->multi, tr->easy);
      driver_on_transfer_done (t, tr, CURLE_OPERATION_TIMEDOUT, now);
    }
}

/* Reads what finished in the multi handles acted on since the last call. */
static void
check_done (DriverThread *t)
{
  gint64 now = t->loop_now;

  for (guint s = 0; s < t->n_shards; s++)
    {
      Shard *shard = &t->shards[s];
      CURLMsg *msg;
      int left;

      if (!shard->dirty)
        continue;
      shard->dirty = FALSE;
      while ((msg = curl_multi_info_read (shard->multi, &left)) != NULL)
        {
          Transfer *tr = NULL;

          if (msg->msg != CURLMSG_DONE)
            continue;
          curl_easy_getinfo (msg->easy_handle, CURLINFO_PRIVATE, (char **) &tr);
          curl_multi_remove_handle (shard->multi, msg->easy_handle);
          driver_on_transfer_done (t, tr, msg->data.result, now);
        }
    }
}

static void
socket_action (Shard         *shard,
               curl_socket_t  fd,
               int            flags)
{
  int running;

  shard->dirty = TRUE;
  curl_multi_socket_action (shard->multi, fd, flags, &running);
}

/* Runs curl's timers that are due; returns whether any was, or else
 * lowers @wake to the next one. */
static gboolean
run_due_timers (DriverThread *t,
                gint64        now,
                gint64       *wake)
{
  gboolean fired = FALSE;

  for (guint s = 0; s < t->n_shards; s++)
    {
      Shard *shard = &t->shards[s];

      if (shard->deadline >= 0 && shard->deadline <= now)
        {
          shard->deadline = -1;
          socket_action (shard, CURL_SOCKET_TIMEOUT, 0);
          fired = TRUE;
        }
      else if (shard->deadline >= 0)
        *wake = MIN (*wake, shard->deadline);
    }
  return fired;
}

/* Starting the load of a thread, once the driver's start time is set. */
static void
begin_load (DriverThread *t,
            gint64        now)
{
  TradeoffDriver *d = t->driver;
  const TradeoffWorkload *w = &d->workload;

  t->load_started = TRUE;

  if (w->kind == TRADEOFF_WORKLOAD_STREAMING)
    {
      for (guint i = 0; i < t->n_transfers; i++)
        driver_transfer_start (&t->transfers[i], now, now);
      return;
    }

  if (w->arrival_mode == TRADEOFF_ARRIVAL_CLOSED)
    {
      for (guint i = t->first_load_transfer; i < t->n_transfers; i++)
        driver_transfer_start (&t->transfers[i], now, now);
      return;
    }

  /* Open loop: threads interleave their constant schedules. */
  t->arrival_k = 0;
  t->arrival_phase_us = t->index * 1e6 / (t->rate * d->n_threads);
  t->arrival_offset_us = t->arrival_phase_us;
  if (w->distribution == TRADEOFF_DISTRIBUTION_POISSON)
    {
      t->arrival_offset_us = 0;
      driver_advance_arrival (t);
    }
  else
    t->next_arrival = d->start_us + (gint64) t->arrival_offset_us;
}

static void
start_subscribers (DriverThread *t)
{
  /* A few at a time, so the server's accept queue does not overflow. */
  while (t->subscribers_started < t->first_load_transfer &&
         t->subscribers_started - (guint) g_atomic_int_get (&t->subscribed) < MAX_CONNECTING)
    {
      gint64 now = now_us ();

      driver_transfer_start (&t->transfers[t->subscribers_started], now, now);
      t->subscribers_started++;
    }
}

guint
driver_total_subscribed (TradeoffDriver *d)
{
  guint n = 0;

  for (guint i = 0; i < d->n_threads; i++)
    n += (guint) g_atomic_int_get (&d->threads[i].subscribed);
  return n;
}

static void
coordinate_start (TradeoffDriver *d,
                  gint64          now)
{
  if (driver_total_subscribed (d) >= d->subscribers || now >= d->connect_deadline_us)
    {
      gint64 start = now + 1000;

      if (driver_total_subscribed (d) < d->subscribers)
        d->subscribe_timed_out = TRUE;
      d->start_us = start;
      d->measure_start_us = start + d->warmup_us;
      d->measure_end_us = d->measure_start_us + d->duration_us;
      g_atomic_pointer_set (&d->start_us_atomic, GSIZE_TO_POINTER ((gsize) start));
      for (guint i = 0; i < d->n_threads; i++)
        {
          guint64 one = 1;

          if (write (d->threads[i].wakefd, &one, sizeof one) < 0)
            g_debug ("wake: %s", g_strerror (errno));
        }
    }
}

static gboolean
countable_left (DriverThread *t)
{
  return t->in_flight > 0 || t->queue_len > 0;
}

static void
count_leftovers (DriverThread *t)
{
  TradeoffDriver *d = t->driver;

  /* What the drain did not see finish is a timeout, never dropped. */
  for (guint i = 0; i < t->n_transfers; i++)
    {
      Transfer *tr = &t->transfers[i];

      if (tr->active && (tr->kind == TRANSFER_REQUEST || tr->kind == TRANSFER_PUBLISH) &&
          tr->intended >= d->measure_start_us && d->measure_start_us != 0)
        {
          stats_lock (t);
          t->stats.timeouts++;
          stats_unlock (t);
        }
    }
  while (t->queue_len > 0)
    {
      gint64 intended = driver_queue_pop (t);

      if (d->measure_start_us != 0 && intended >= d->measure_start_us)
        {
          stats_lock (t);
          t->stats.timeouts++;
          stats_unlock (t);
        }
    }
}

gpointer
driver_thread_main (gpointer data)
{
  DriverThread *t = data;
  TradeoffDriver *d = t->driver;
  struct epoll_event events[256];
  gint64 end_deadline = 0;
  gint64 chat_quiet_until = 0;
  gint64 last_interval = -1;

  /* Arrivals want microseconds, not the default 50 us timer slack. */
  prctl (PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

  for (;;)
    {
      gint64 now = now_us ();
      gint64 start = load_start_time (d);
      gint64 wake = G_MAXINT64;
      struct timespec ts;
      int n;

      t->loop_now = now;

      if (g_atomic_int_get (&d->stop))
        {
          t->stopping = TRUE;
          break;
        }

      if (start == 0)
        {
          start_subscribers (t);
          if (t->index == 0)
            coordinate_start (d, now);
          wake = now + WAIT_POLL_US;
        }
      else
        {
          if (!t->load_started)
            begin_load (t, now);

          if (t->cpu_start_ns == 0 && now >= d->measure_start_us)
            t->cpu_start_ns = thread_cpu_ns ();

          if (now < d->measure_end_us)
            {
              gint64 index;

              if (d->workload.arrival_mode == TRADEOFF_ARRIVAL_OPEN &&
                  d->workload.kind != TRADEOFF_WORKLOAD_STREAMING)
                {
                  driver_dispatch_arrivals (t, now);
                  if (t->next_arrival < d->measure_end_us)
                    wake = MIN (wake, t->next_arrival);
                }

              /* One touch per interval, so an interval where nothing
               * completes still reports what is in flight. */
              if (now >= d->measure_start_us)
                {
                  index = (now - d->measure_start_us) / TRADEOFF_DRIVER_INTERVAL_US;
                  if (index != last_interval)
                    {
                      driver_touch_interval (t, now);
                      last_interval = index;
                    }
                  wake = MIN (wake, d->measure_start_us +
                                    (index + 1) * TRADEOFF_DRIVER_INTERVAL_US);
                }
              else
                wake = MIN (wake, d->measure_start_us);
              wake = MIN (wake, d->measure_end_us);
            }
          else
            {
              if (!t->ending)
                {
                  t->ending = TRUE;
                  t->cpu_end_ns = thread_cpu_ns ();
                  if (d->workload.kind == TRADEOFF_WORKLOAD_STREAMING)
                    driver_record_overdue_chunks (t, d->measure_end_us);
                  end_deadline = now + d->drain_us;
                  chat_quiet_until = now + 100 * 1000;
                }
              if (now >= end_deadline)
                break;
              if (!countable_left (t) &&
                  (d->workload.kind != TRADEOFF_WORKLOAD_CHAT || now >= chat_quiet_until))
                break;
              wake = MIN (wake, end_deadline);
              if (d->workload.kind == TRADEOFF_WORKLOAD_CHAT)
                wake = MIN (wake, chat_quiet_until);
            }

          if (t->heap->len > 0 && !t->ending)
            {
              driver_run_due_restarts (t, now);
              if (t->heap->len > 0)
                wake = MIN (wake, g_array_index (t->heap, HeapEntry, 0).at);
            }
        }

      if (t->in_flight > 0)
        {
          if (now >= t->next_sweep)
            {
              sweep_timeouts (t, now);
              t->next_sweep = now + sweep_interval_us (d);
            }
          wake = MIN (wake, t->next_sweep);
        }

      if (run_due_timers (t, now, &wake))
        {
          check_done (t);
          /* Completions may have queued restarts or freed connections:
           * work out the next wake-up again. */
          continue;
        }

      now = now_us ();
      if (wake == G_MAXINT64)
        wake = now + G_USEC_PER_SEC;
      if (wake <= now)
        {
          ts.tv_sec = 0;
          ts.tv_nsec = 0;
        }
      else
        {
          ts.tv_sec = (wake - now) / G_USEC_PER_SEC;
          ts.tv_nsec = ((wake - now) % G_USEC_PER_SEC) * 1000;
        }

      n = epoll_pwait2 (t->epfd, events, G_N_ELEMENTS (events), &ts, NULL);
      if (n < 0 && errno == ENOSYS)
        n = epoll_wait (t->epfd, events, G_N_ELEMENTS (events),
                        (int) ((ts.tv_sec * 1000) + (ts.tv_nsec + 999999) / 1000000));
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_warning ("epoll_wait: %s", g_strerror (errno));
          break;
        }
      if (n > 0)
        t->loop_now = now_us ();

      for (int i = 0; i < n; i++)
        {
          int flags = 0;
          curl_socket_t fd;
          SockState *st;

          if (events[i].data.u64 == WAKE_DATA)
            {
              guint64 v;

              if (read (t->wakefd, &v, sizeof v) < 0)
                g_debug ("wake read: %s", g_strerror (errno));
              continue;
            }

          fd = (curl_socket_t) events[i].data.u64;
          st = driver_sock_state (t, fd);
          if (st->want == 0)
            {
              /* A stale registration: an idle connection the server closed,
               * or one curl no longer watches. Drop it now. */
              epoll_ctl (t->epfd, EPOLL_CTL_DEL, fd, NULL);
              st->registered = FALSE;
              st->mask = 0;
              continue;
            }
          if (events[i].events & EPOLLIN)
            flags |= CURL_CSELECT_IN;
          if (events[i].events & EPOLLOUT)
            flags |= CURL_CSELECT_OUT;
          if (events[i].events & (EPOLLERR | EPOLLHUP))
            flags |= CURL_CSELECT_ERR;
          socket_action (st->shard, fd, flags);
        }
      if (n > 0)
        check_done (t);
    }

  if (t->cpu_end_ns == 0)
    t->cpu_end_ns = thread_cpu_ns ();
  if (t->cpu_start_ns == 0)
    t->cpu_start_ns = t->cpu_end_ns;
  t->stopping = TRUE;
  if (!g_atomic_int_get (&d->stop))
    count_leftovers (t);

  stats_lock (t);
  t->stats.driver_cpu_ns = t->cpu_end_ns - t->cpu_start_ns;
  stats_unlock (t);

  /* Hang up everything still running; curl closes the sockets. */
  for (guint i = 0; i < t->n_transfers; i++)
    {
      Transfer *tr = &t->transfers[i];

      if (tr->active)
        {
          curl_multi_remove_handle (tr->shard->multi, tr->easy);
          tr->active = FALSE;
        }
    }

  g_atomic_int_set (&t->finished, 1);
  g_mutex_lock (&d->done_lock);
  d->n_finished++;
  g_cond_broadcast (&d->done_cond);
  g_mutex_unlock (&d->done_lock);
  return NULL;
}
