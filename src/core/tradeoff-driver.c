/* tradeoff-driver.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Design note. Each driver thread owns an epoll set and a few libcurl
 * multi handles, and drives them with curl's socket API
 * (CURLMOPT_SOCKETFUNCTION and CURLMOPT_TIMERFUNCTION). A multi handle
 * holds eight transfers at most: to reuse a connection curl walks every
 * connection it has to the same host, so one multi handle of 500 would
 * cost a third more CPU per request than shards of eight (callgrind).
 * Epoll registrations are kept lazily: when curl
 * says a socket no longer needs watching (a keep-alive connection going
 * idle) the registration stays, so the next request on that connection
 * costs no epoll_ctl; a stale registration is dropped when it fires, and
 * forgotten when curl closes the socket (CURLOPT_CLOSESOCKETFUNCTION).
 *
 * Open-loop arrivals are timed from a schedule (constant or Poisson); an
 * arrival that finds every connection busy waits in a client-side queue,
 * and its latency still counts from its intended start, so a stalled server
 * shows its stall (coordinated omission). The wake-up timeout comes from
 * epoll_pwait2 with nanoseconds, so arrivals are not rounded to
 * milliseconds.
 *
 * Client CPU per request is what limits one driver thread, and most of
 * curl's share of it went to formatting: curl 7.88 prints through its own
 * printf a byte at a time. So each URL is parsed once (CURLOPT_CURLU) and
 * its path and query are handed over whole (CURLOPT_REQUEST_TARGET), only
 * the headers HTTP/1.1 needs are sent, and request timeouts are swept by
 * each thread's loop rather than armed in curl per request. Together these
 * took the driver from about 19 to about 15 us per request (bench/driver).
 *
 * The code is split by concern, sharing tradeoff-driver-private.h: this
 * file (construction, start and stop, the figures: the public API),
 * tradeoff-driver-record.c (totals and timeline intervals),
 * tradeoff-driver-curl.c (curl and epoll plumbing, a thread's set-up),
 * tradeoff-driver-transfer.c (transfers and their completions),
 * tradeoff-driver-schedule.c (the open-loop schedule, the client-side
 * queue, the restart heap) and tradeoff-driver-loop.c (each thread's
 * main loop and the timeout sweep). */

#define G_LOG_DOMAIN "tradeoff-driver"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tradeoff-driver-private.h"

static void
ensure_curl (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&once, 1);
    }
}

static void
raise_nofile_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
        g_debug ("Could not raise RLIMIT_NOFILE: %s", g_strerror (errno));
    }
}

/* Construction. */

static guint
choose_threads (const TradeoffWorkload *w,
                double                  offered)
{
  guint cores = MAX (g_get_num_processors (), 1);
  guint n;

  if (w->kind == TRADEOFF_WORKLOAD_STREAMING || w->kind == TRADEOFF_WORKLOAD_CHAT ||
      w->arrival_mode == TRADEOFF_ARRIVAL_OPEN)
    n = (guint) ceil (offered / RATE_PER_THREAD);
  else
    n = (w->clients + 999) / 1000;
  return CLAMP (n, 1, cores);
}

void
tradeoff_driver_options_init (TradeoffDriverOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->drain_s = -1;
}

static double
compute_offered (const TradeoffWorkload *w)
{
  switch (w->kind)
    {
    case TRADEOFF_WORKLOAD_REQUEST:
    case TRADEOFF_WORKLOAD_ML_BATCH:
      return w->arrival_mode == TRADEOFF_ARRIVAL_OPEN ? w->rate_per_s : 0;

    case TRADEOFF_WORKLOAD_CHAT:
      if (w->arrival_mode != TRADEOFF_ARRIVAL_OPEN || w->rooms == 0)
        return 0;
      return w->rate_per_s * (double) w->connections / w->rooms;

    case TRADEOFF_WORKLOAD_STREAMING:
      {
        double slow = floor (w->streams * w->slow_reader_fraction + 0.5);
        double fast = w->streams - slow;

        if (w->chunk_bytes == 0)
          return 0;
        return (fast * w->rate_bytes_per_s + slow * w->rate_bytes_per_s / 2.0) / w->chunk_bytes;
      }

    default:
      g_assert_not_reached ();
    }
}

TradeoffDriver *
tradeoff_driver_new (const TradeoffWorkload      *workload,
                     const char                  *base_url,
                     const TradeoffDriverOptions *options)
{
  TradeoffDriver *self;
  TradeoffDriverOptions defaults;
  const TradeoffWorkload *w;
  g_autofree char *base = NULL;

  g_return_val_if_fail (workload != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  ensure_curl ();

  if (options == NULL)
    {
      tradeoff_driver_options_init (&defaults);
      options = &defaults;
    }

  base = g_strdup (base_url);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  self = g_new0 (TradeoffDriver, 1);
  self->workload = *workload;
  self->workload.extra = NULL;
  self->workload.arrival_extra = NULL;
  w = &self->workload;
  self->base_url = g_steal_pointer (&base);
  self->offered_per_s = compute_offered (w);
  self->warmup_us = (gint64) (MAX (w->warmup_s, 0) * G_USEC_PER_SEC);
  self->duration_us = (gint64) (MAX (w->duration_s, 0.1) * G_USEC_PER_SEC);
  self->n_intervals = (guint) ((self->duration_us + TRADEOFF_DRIVER_INTERVAL_US - 1) /
                               TRADEOFF_DRIVER_INTERVAL_US);
  self->request_timeout_us = (gint64) ((options->request_timeout_s > 0 ? options->request_timeout_s
                                                                       : 30) * G_USEC_PER_SEC);
  self->drain_us = (gint64) ((options->drain_s >= 0 ? options->drain_s : 1.0) * G_USEC_PER_SEC);
  self->connect_timeout_us = (gint64) ((options->connect_timeout_s > 0 ? options->connect_timeout_s
                                                                       : 10) * G_USEC_PER_SEC);
  g_mutex_init (&self->done_lock);
  g_cond_init (&self->done_cond);

  if (options->threads > 0)
    self->n_threads = options->threads;
  else
    self->n_threads = choose_threads (w, self->offered_per_s);

  switch (w->kind)
    {
    case TRADEOFF_WORKLOAD_REQUEST:
    case TRADEOFF_WORKLOAD_ML_BATCH:
      {
        GString *url = g_string_new (self->base_url);

        g_string_append_printf (url, "/work?cpu_us=%" G_GUINT64_FORMAT, w->cpu_us);
        if (w->kind == TRADEOFF_WORKLOAD_ML_BATCH)
          g_string_append_printf (url, "&items=%u", MAX (w->batch, 1));
        g_string_append_printf (url, "&wait_us=%" G_GUINT64_FORMAT "&reply_bytes=%u",
                                w->wait_us, w->reply_bytes);
        self->request_url = g_string_free (url, FALSE);
        self->request_body_len = w->request_bytes;
        self->request_body = g_malloc (w->request_bytes + 1);
        memset (self->request_body, 'x', w->request_bytes);
        self->request_body[w->request_bytes] = '\0';
        if (w->arrival_mode == TRADEOFF_ARRIVAL_OPEN)
          self->n_threads = MIN (self->n_threads, MAX (w->connections, 1));
        else
          self->n_threads = MIN (self->n_threads, MAX (w->clients, 1));
      }
      break;

    case TRADEOFF_WORKLOAD_CHAT:
      self->publish_urls = g_new0 (char *, MAX (w->rooms, 1) + 1);
      self->room_subscribers = g_new0 (int, MAX (w->rooms, 1));
      for (guint r = 0; r < MAX (w->rooms, 1); r++)
        self->publish_urls[r] = g_strdup_printf ("%s/chat/room%u?cpu_us=%" G_GUINT64_FORMAT,
                                                 self->base_url, r, w->cpu_us);
      self->subscribers = w->connections;
      self->n_publishers = options->publishers > 0 ? options->publishers : 32;
      if (w->arrival_mode == TRADEOFF_ARRIVAL_CLOSED)
        self->n_publishers = MAX (w->clients, 1);
      self->n_threads = MIN (self->n_threads, MAX (MIN (self->subscribers, self->n_publishers), 1));
      break;

    case TRADEOFF_WORKLOAD_STREAMING:
      self->stream_url = g_strdup_printf ("%s/stream?bytes=%" G_GUINT64_FORMAT
                                          "&rate=%" G_GUINT64_FORMAT "&chunk=%u",
                                          self->base_url, w->stream_bytes,
                                          w->rate_bytes_per_s, w->chunk_bytes);
      self->n_threads = MIN (self->n_threads, MAX (w->streams, 1));
      break;

    default:
      g_assert_not_reached ();
    }

  self->threads = g_new0 (DriverThread, self->n_threads);
  return self;
}

gboolean
tradeoff_driver_start (TradeoffDriver  *self,
                       GError         **error)
{
  gint64 now;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->threads[0].driver == NULL, FALSE);

  raise_nofile_limit ();

  for (guint i = 0; i < self->n_threads; i++)
    {
      self->threads[i].driver = self;
      self->threads[i].index = i;
      if (!driver_thread_setup (&self->threads[i], error))
        return FALSE;
    }

  now = now_us ();
  self->connect_deadline_us = now + self->connect_timeout_us;
  if (self->subscribers == 0)
    {
      self->start_us = now;
      self->measure_start_us = now + self->warmup_us;
      self->measure_end_us = self->measure_start_us + self->duration_us;
      g_atomic_pointer_set (&self->start_us_atomic, GSIZE_TO_POINTER ((gsize) now));
    }

  for (guint i = 0; i < self->n_threads; i++)
    {
      g_autofree char *name = g_strdup_printf ("driver-%u", i);

      self->threads[i].thread = g_thread_try_new (name, driver_thread_main, &self->threads[i],
                                                  error);
      if (self->threads[i].thread == NULL)
        {
          tradeoff_driver_stop (self);
          return FALSE;
        }
      self->n_started++;
    }
  return TRUE;
}

void
tradeoff_driver_stop (TradeoffDriver *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->stop, 1);
  for (guint i = 0; i < self->n_started; i++)
    {
      guint64 one = 1;

      if (self->threads[i].wakefd >= 0 && write (self->threads[i].wakefd, &one, sizeof one) < 0)
        g_debug ("wake: %s", g_strerror (errno));
    }
  for (guint i = 0; i < self->n_started; i++)
    {
      if (self->threads[i].thread != NULL)
        g_thread_join (g_steal_pointer (&self->threads[i].thread));
    }
}

gboolean
tradeoff_driver_wait (TradeoffDriver *self,
                      guint           timeout_ms)
{
  gint64 deadline = now_us () + (gint64) timeout_ms * 1000;
  gboolean done;

  g_return_val_if_fail (self != NULL, TRUE);

  g_mutex_lock (&self->done_lock);
  while (self->n_finished < self->n_started)
    {
      if (!g_cond_wait_until (&self->done_cond, &self->done_lock, deadline))
        break;
    }
  done = self->n_finished >= self->n_started;
  g_mutex_unlock (&self->done_lock);

  if (done)
    {
      for (guint i = 0; i < self->n_started; i++)
        if (self->threads[i].thread != NULL)
          g_thread_join (g_steal_pointer (&self->threads[i].thread));
    }
  return done;
}

TradeoffDriverPhase
tradeoff_driver_get_phase (TradeoffDriver *self)
{
  gint64 now = now_us ();
  guint finished;

  g_return_val_if_fail (self != NULL, TRADEOFF_DRIVER_PHASE_DONE);

  g_mutex_lock (&self->done_lock);
  finished = self->n_finished;
  g_mutex_unlock (&self->done_lock);

  if (self->n_started > 0 && finished >= self->n_started)
    return TRADEOFF_DRIVER_PHASE_DONE;
  if (load_start_time (self) == 0)
    return TRADEOFF_DRIVER_PHASE_CONNECTING;
  if (now < self->measure_start_us)
    return TRADEOFF_DRIVER_PHASE_WARMUP;
  if (now < self->measure_end_us)
    return TRADEOFF_DRIVER_PHASE_MEASURING;
  return TRADEOFF_DRIVER_PHASE_DRAINING;
}

guint
tradeoff_driver_get_n_threads (TradeoffDriver *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_threads;
}

double
tradeoff_driver_get_offered_per_s (TradeoffDriver *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->offered_per_s;
}

gint64
tradeoff_driver_get_start_time (TradeoffDriver *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return load_start_time (self);
}

gint64
tradeoff_driver_get_measure_start_time (TradeoffDriver *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return load_start_time (self) != 0 ? self->measure_start_us : 0;
}

gint64
tradeoff_driver_get_measure_end_time (TradeoffDriver *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return load_start_time (self) != 0 ? self->measure_end_us : 0;
}

guint
tradeoff_driver_get_n_intervals (TradeoffDriver *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_intervals;
}

void
tradeoff_driver_get_totals (TradeoffDriver       *self,
                            TradeoffDriverTotals *totals)
{
  double lag_sum = 0;
  guint64 lag_count = 0;
  gint64 cpu_ns = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (totals != NULL);

  memset (totals, 0, sizeof *totals);
  totals->histogram = tradeoff_histogram_new (3);
  totals->histogram_uncorrected = tradeoff_histogram_new (3);
  totals->n_threads = self->n_threads;
  totals->subscribers = self->subscribers;
  totals->subscribed = driver_total_subscribed (self);
  totals->subscribe_timed_out = self->subscribe_timed_out;

  for (guint i = 0; i < self->n_started; i++)
    {
      DriverThread *t = &self->threads[i];

      stats_lock (t);
      totals->completed += t->stats.completed;
      totals->errors += t->stats.errors;
      totals->timeouts += t->stats.timeouts;
      totals->stalls += t->stats.stalls;
      totals->completed_in_window += t->stats.completed_in_window;
      totals->bytes_in_window += t->stats.bytes_in_window;
      totals->offered += t->stats.offered;
      totals->sent += t->stats.sent;
      totals->published += t->stats.published;
      totals->deliveries_expected += t->stats.deliveries_expected;
      totals->deliveries_received += t->stats.deliveries_received;
      totals->queue_drops += t->stats.queue_drops;
      lag_sum += t->stats.lag_sum_us;
      lag_count += t->stats.lag_count;
      totals->dispatch_lag_max_us = MAX (totals->dispatch_lag_max_us, t->stats.lag_max_us);
      if (totals->first_error[0] == '\0')
        g_strlcpy (totals->first_error, t->stats.first_error, sizeof totals->first_error);
      cpu_ns += t->stats.driver_cpu_ns;
      tradeoff_histogram_merge (totals->histogram, t->stats.histogram);
      tradeoff_histogram_merge (totals->histogram_uncorrected, t->stats.histogram_uncorrected);
      stats_unlock (t);
    }

  totals->dispatch_lag_mean_us = lag_count > 0 ? lag_sum / lag_count : 0;
  totals->driver_cpu_seconds = cpu_ns / 1e9;
  if (load_start_time (self) != 0)
    {
      gint64 now = now_us ();
      gint64 end = MIN (now, self->measure_end_us);

      totals->window_s = MAX (end - self->measure_start_us, 0) / 1e6;
    }
}

void
tradeoff_driver_totals_clear (TradeoffDriverTotals *totals)
{
  g_return_if_fail (totals != NULL);

  g_clear_pointer (&totals->histogram, tradeoff_histogram_free);
  g_clear_pointer (&totals->histogram_uncorrected, tradeoff_histogram_free);
}

void
tradeoff_driver_get_interval (TradeoffDriver         *self,
                              guint                   index,
                              TradeoffDriverInterval *interval)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (interval != NULL);

  memset (interval, 0, sizeof *interval);
  interval->histogram = tradeoff_histogram_new (2);

  for (guint i = 0; i < self->n_started; i++)
    {
      DriverThread *t = &self->threads[i];
      TradeoffDriverInterval *iv;

      stats_lock (t);
      iv = index < t->intervals->len ? g_ptr_array_index (t->intervals, index) : NULL;
      if (iv != NULL)
        {
          interval->completed += iv->completed;
          interval->errors += iv->errors;
          interval->timeouts += iv->timeouts;
          interval->stalls += iv->stalls;
          interval->bytes += iv->bytes;
          interval->offered += iv->offered;
          interval->in_flight += iv->in_flight;
          tradeoff_histogram_merge (interval->histogram, iv->histogram);
        }
      stats_unlock (t);
    }
}

void
tradeoff_driver_interval_clear (TradeoffDriverInterval *interval)
{
  g_return_if_fail (interval != NULL);

  g_clear_pointer (&interval->histogram, tradeoff_histogram_free);
}

void
tradeoff_driver_interval_free (TradeoffDriverInterval *interval)
{
  if (interval == NULL)
    return;
  tradeoff_driver_interval_clear (interval);
  g_free (interval);
}

void
tradeoff_driver_seal_intervals (TradeoffDriver *self,
                                guint           n_intervals)
{
  g_return_if_fail (self != NULL);

  if ((guint) g_atomic_int_get (&self->sealed) < n_intervals)
    g_atomic_int_set (&self->sealed, MIN (n_intervals, self->n_intervals - 1));
}

void
tradeoff_driver_free (TradeoffDriver *self)
{
  if (self == NULL)
    return;

  tradeoff_driver_stop (self);

  for (guint i = 0; i < self->n_threads; i++)
    {
      DriverThread *t = &self->threads[i];

      if (t->driver == NULL)
        continue;
      for (guint j = 0; j < t->n_transfers; j++)
        driver_transfer_clear (&t->transfers[j]);
      g_free (t->transfers);
      for (guint s = 0; s < t->n_shards; s++)
        curl_multi_cleanup (t->shards[s].multi);
      g_free (t->shards);
      if (t->epfd >= 0)
        close (t->epfd);
      if (t->wakefd >= 0)
        close (t->wakefd);
      curl_slist_free_all (t->headers);
      if (t->uh != NULL)
        curl_url_cleanup (t->uh);
      g_strfreev (t->publish_targets);
      g_free (t->request_target);
      g_free (t->socks);
      g_free (t->queue);
      g_rand_free (t->rand);
      g_ptr_array_unref (t->idle);
      g_array_unref (t->heap);
      g_ptr_array_unref (t->intervals);
      tradeoff_histogram_free (t->stats.histogram);
      tradeoff_histogram_free (t->stats.histogram_uncorrected);
      g_mutex_clear (&t->lock);
    }
  g_free (self->threads);
  g_strfreev (self->publish_urls);
  g_free (self->room_subscribers);
  g_free (self->request_url);
  g_free (self->request_body);
  g_free (self->stream_url);
  g_free (self->base_url);
  g_mutex_clear (&self->done_lock);
  g_cond_clear (&self->done_cond);
  g_free (self);
}
