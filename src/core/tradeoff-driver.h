/* tradeoff-driver.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tradeoff-histogram.h"
#include "tradeoff-scenario.h"

G_BEGIN_DECLS

/* The load driver: libcurl multi handles on their own threads, each with
 * its own epoll set, loading one base URL with a workload (request, ML
 * batch, chat, streaming) for a warm-up and a measured window. Figures are
 * kept per thread under a lock and merged on demand, so the runner can read
 * live snapshots while the load runs. Times are CLOCK_MONOTONIC
 * microseconds (g_get_monotonic_time ()). */

#define TRADEOFF_DRIVER_INTERVAL_US (100 * 1000)

typedef struct _TradeoffDriver TradeoffDriver;

typedef enum
{
  TRADEOFF_DRIVER_PHASE_CONNECTING,   /* chat: subscribers connecting */
  TRADEOFF_DRIVER_PHASE_WARMUP,
  TRADEOFF_DRIVER_PHASE_MEASURING,
  TRADEOFF_DRIVER_PHASE_DRAINING,     /* no new arrivals; waiting for those in flight */
  TRADEOFF_DRIVER_PHASE_DONE,
} TradeoffDriverPhase;

typedef struct
{
  guint  threads;             /* 0: as many as the offered rate needs */
  double request_timeout_s;   /* 0: 30 s */
  double drain_s;             /* < 0: 1 s; how long to wait for requests in flight at the end */
  double connect_timeout_s;   /* 0: 10 s; chat: longest wait for every subscriber */
  guint  publishers;          /* 0: 32 a thread; chat publisher connections (open loop) */
} TradeoffDriverOptions;

typedef struct
{
  guint64            completed;   /* requests, deliveries or chunks */
  guint64            errors;
  guint64            timeouts;
  guint64            stalls;
  guint64            bytes;
  guint64            offered;     /* open loop: arrivals whose intended start fell here */
  double             in_flight;   /* sent or queued and not done, at the last update */
  TradeoffHistogram *histogram;   /* 2 significant digits; owned */
} TradeoffDriverInterval;

typedef struct
{
  /* Everything after the warm-up (including the drain at the end). */
  guint64            completed;
  guint64            errors;
  guint64            timeouts;
  guint64            stalls;
  /* Inside the measured window only. */
  guint64            completed_in_window;
  guint64            bytes_in_window;
  guint64            offered;             /* arrivals due in the window (open loop) */
  guint64            sent;                /* requests or publishes started in the window */
  guint64            published;           /* chat: publishes answered with 2xx */
  guint64            deliveries_expected; /* chat: of messages sent in the window, one per
                                           * subscriber of the room when the server took it */
  guint64            deliveries_received; /* chat: of those, the ones that arrived */
  guint64            queue_drops;         /* arrivals dropped: client-side queue full */
  double             dispatch_lag_mean_us;/* open loop, arrivals that found a free connection */
  double             dispatch_lag_max_us;
  double             driver_cpu_seconds;  /* all driver threads, over the window */
  double             window_s;            /* the measured window as it really ran */
  guint              n_threads;
  guint              subscribers;         /* chat: wanted */
  guint              subscribed;          /* chat: subscribed (headers received) */
  gboolean           subscribe_timed_out;
  char               first_error[160];    /* the first failure, e.g. "Couldn't connect to server" */
  TradeoffHistogram *histogram;             /* 3 digits, from the intended start; owned */
  TradeoffHistogram *histogram_uncorrected; /* 3 digits, from the actual send; owned */
} TradeoffDriverTotals;

void                tradeoff_driver_options_init    (TradeoffDriverOptions       *options);

/* @base_url like "http://127.0.0.1:8080" (no trailing slash needed). */
TradeoffDriver     *tradeoff_driver_new             (const TradeoffWorkload      *workload,
                                                     const char                  *base_url,
                                                     const TradeoffDriverOptions *options);
void                tradeoff_driver_free            (TradeoffDriver              *self);

/* Starts the threads; the warm-up begins at once (chat: once every
 * subscriber is connected, or the connect timeout passed). */
gboolean            tradeoff_driver_start           (TradeoffDriver              *self,
                                                     GError                     **error);
/* Ends the load at once and joins the threads. Idempotent. */
void                tradeoff_driver_stop            (TradeoffDriver              *self);
/* Waits up to @timeout_ms for the run to end (all threads done). */
gboolean            tradeoff_driver_wait            (TradeoffDriver              *self,
                                                     guint                        timeout_ms);

TradeoffDriverPhase tradeoff_driver_get_phase       (TradeoffDriver              *self);
guint               tradeoff_driver_get_n_threads   (TradeoffDriver              *self);
/* The offered rate of what `completed` counts, per second (open loop;
 * chat: expected deliveries; streaming: expected chunks); 0 in closed loop. */
double              tradeoff_driver_get_offered_per_s (TradeoffDriver            *self);
/* Monotonic times; 0 until the load has started. */
gint64              tradeoff_driver_get_start_time  (TradeoffDriver              *self);
gint64              tradeoff_driver_get_measure_start_time (TradeoffDriver       *self);
gint64              tradeoff_driver_get_measure_end_time   (TradeoffDriver       *self);
/* Number of timeline intervals in the measured window. */
guint               tradeoff_driver_get_n_intervals (TradeoffDriver              *self);

void                tradeoff_driver_get_totals      (TradeoffDriver              *self,
                                                     TradeoffDriverTotals        *totals);
void                tradeoff_driver_totals_clear    (TradeoffDriverTotals        *totals);
/* Interval @index (0 is the first 100 ms after the warm-up), merged over
 * the threads. */
void                tradeoff_driver_get_interval    (TradeoffDriver              *self,
                                                     guint                        index,
                                                     TradeoffDriverInterval      *interval);
void                tradeoff_driver_interval_clear  (TradeoffDriverInterval      *interval);
/* Promises that intervals below @n_intervals will no longer be read, so a
 * late record lands in a later interval instead. */
void                tradeoff_driver_seal_intervals  (TradeoffDriver              *self,
                                                     guint                        n_intervals);

G_END_DECLS
