/* tradeoff-driver-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <curl/curl.h>

#include "tradeoff-driver.h"

G_BEGIN_DECLS

/* What the driver's files share (see the design note in
 * tradeoff-driver.c): the driver and its threads, and the functions one
 * file calls in another. */

#define RATE_PER_THREAD        40000.0
#define MAX_QUEUE              (1u << 22)
#define STALL_US               G_USEC_PER_SEC
#define SUBSCRIBE_RETRY_US     (100 * 1000)
#define MAX_CONNECTING         128
#define WAIT_POLL_US           (5 * 1000)
#define WAKE_DATA              G_MAXUINT64
/* Connections a multi handle holds: curl looks for an idle connection to
 * reuse by walking every connection to the same host, so a thread's
 * transfers are spread over several multi handles of a few each. */
#define TRANSFERS_PER_SHARD    8

typedef enum
{
  TRANSFER_REQUEST,
  TRANSFER_PUBLISH,
  TRANSFER_SUBSCRIBE,
  TRANSFER_STREAM,
} TransferKind;

typedef struct _DriverThread DriverThread;

/* One multi handle of a thread, and its timer. */
typedef struct
{
  DriverThread *thread;
  CURLM        *multi;
  gint64        deadline;                   /* curl's timer; -1: none */
  gboolean      dirty;                      /* acted on since its messages were read */
} Shard;

/* What epoll knows of one socket, and what curl wants of it. */
typedef struct
{
  guint32  want;
  guint32  mask;
  gboolean registered;
  Shard   *shard;                           /* the multi handle the socket is in */
} SockState;

typedef struct
{
  DriverThread *thread;
  Shard        *shard;
  CURL         *easy;
  TransferKind  kind;
  gboolean      active;
  gint64        intended;
  gint64        sent;
  guint64       bytes;
  /* chat subscriber */
  GString      *line;
  gboolean      subscribed;
  guint         room;
  /* stream */
  double        rate;
  guint64       next_chunk;
  gint64        last_chunk_at;
  /* chat publisher */
  char         *body;
  char         *url;
} Transfer;

typedef struct
{
  gint64    at;
  Transfer *transfer;
} HeapEntry;

typedef struct
{
  guint64            completed;
  guint64            errors;
  guint64            timeouts;
  guint64            stalls;
  guint64            completed_in_window;
  guint64            bytes_in_window;
  guint64            offered;
  guint64            sent;
  guint64            published;
  guint64            deliveries_expected;
  guint64            deliveries_received;
  guint64            queue_drops;
  double             lag_sum_us;
  guint64            lag_count;
  gint64             lag_max_us;
  gint64             driver_cpu_ns;
  char               first_error[160];
  TradeoffHistogram *histogram;
  TradeoffHistogram *histogram_uncorrected;
} Stats;

struct _DriverThread
{
  TradeoffDriver    *driver;
  guint              index;
  GThread           *thread;
  Shard             *shards;
  guint              n_shards;
  int                epfd;
  int                wakefd;
  SockState         *socks;
  gsize              n_socks;
  gint64             loop_now;              /* the time of the last wake-up */
  gint64             next_sweep;            /* request timeouts */
  struct curl_slist *headers;
  CURLU             *uh;                    /* the server, parsed once: curl */
  char              *request_target;        /* would parse the URL on every */
  char             **publish_targets;       /* request; targets by room */

  Transfer          *transfers;
  guint              n_transfers;
  guint              first_load_transfer;   /* subscribers come first */
  guint              subscribers_started;
  int                subscribed;            /* atomic */
  GPtrArray         *idle;                  /* open loop: free connections */
  GArray            *heap;                  /* HeapEntry: restarts */

  /* open-loop schedule */
  double             rate;
  guint64            arrival_k;
  double             arrival_phase_us;
  double             arrival_offset_us;
  gint64             next_arrival;
  GRand             *rand;
  gint64            *queue;
  gsize              queue_head;
  gsize              queue_len;
  gsize              queue_cap;
  guint              next_room;
  guint              in_flight;

  gint64             cpu_start_ns;
  gint64             cpu_end_ns;
  guint              load_started : 1;
  guint              ending : 1;
  guint              stopping : 1;
  int                finished;              /* atomic */

  /* Guarded by lock: read by the runner for snapshots. */
  GMutex             lock;
  Stats              stats;
  GPtrArray         *intervals;             /* TradeoffDriverInterval* by index */
};

struct _TradeoffDriver
{
  TradeoffWorkload  workload;               /* extra fields not owned */
  char             *base_url;
  char             *request_url;
  char             *request_body;
  gsize             request_body_len;
  char            **publish_urls;
  char             *stream_url;
  guint             subscribers;
  guint             n_publishers;
  double            offered_per_s;
  gint64            request_timeout_us;
  gint64            drain_us;
  gint64            warmup_us;
  gint64            duration_us;
  gint64            connect_timeout_us;
  gint64            connect_deadline_us;
  guint             n_intervals;
  int               sealed;                 /* atomic */
  int               stop;                   /* atomic */
  gboolean          subscribe_timed_out;
  int              *room_subscribers;       /* chat, atomic: subscribed, by room */

  gpointer          start_us_atomic;        /* the load's start; 0 until set */
  gint64            start_us;               /* the same, valid once that is set */
  gint64            measure_start_us;       /* valid once start_us_atomic is set */
  gint64            measure_end_us;

  DriverThread     *threads;
  guint             n_threads;
  guint             n_started;
  GMutex            done_lock;
  GCond             done_cond;
  guint             n_finished;
};

/* Hot-path helpers, inline in every file as they were in one. */

static inline gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static inline void
stats_lock (DriverThread *t)
{
  g_mutex_lock (&t->lock);
}

static inline void
stats_unlock (DriverThread *t)
{
  g_mutex_unlock (&t->lock);
}

static inline gboolean
after_warmup (DriverThread *t,
              gint64        now)
{
  gint64 measure_start = t->driver->measure_start_us;

  return measure_start != 0 && now >= measure_start;
}

static inline gboolean
in_window (DriverThread *t,
           gint64        now)
{
  return after_warmup (t, now) && now < t->driver->measure_end_us;
}

static inline gint64
load_start_time (TradeoffDriver *d)
{
  return (gint64) GPOINTER_TO_SIZE (g_atomic_pointer_get (&d->start_us_atomic));
}

/* tradeoff-driver-record.c: recording, under the thread's lock */
G_GNUC_INTERNAL
void driver_count_offered         (DriverThread *t,
                                   gint64        intended);
G_GNUC_INTERNAL
void driver_record_done           (DriverThread *t,
                                   gint64        now,
                                   gint64        corrected_us,
                                   gint64        uncorrected_us,
                                   guint64       bytes);
G_GNUC_INTERNAL
void driver_record_overdue_chunks (DriverThread *t,
                                   gint64        end);
G_GNUC_INTERNAL
void driver_record_bytes          (DriverThread *t,
                                   gint64        now,
                                   guint64       bytes);
G_GNUC_INTERNAL
void driver_record_failure        (DriverThread *t,
                                   gint64        now,
                                   gint64        intended,
                                   gboolean      timeout);
G_GNUC_INTERNAL
void driver_touch_interval        (DriverThread *t,
                                   gint64        now);
G_GNUC_INTERNAL
void driver_note_error            (DriverThread *t,
                                   CURLcode      code,
                                   long          status);

/* tradeoff-driver-curl.c: curl plumbing, a thread's set-up */
G_GNUC_INTERNAL
SockState *driver_sock_state            (DriverThread   *t,
                                         curl_socket_t   fd);
G_GNUC_INTERNAL
void       driver_transfer_setup_common (Transfer       *tr);
G_GNUC_INTERNAL
gboolean   driver_thread_setup          (DriverThread   *t,
                                         GError        **error);

/* tradeoff-driver-transfer.c: transfers */
G_GNUC_INTERNAL
void driver_transfer_init    (DriverThread *t,
                              Transfer     *tr,
                              TransferKind  kind);
G_GNUC_INTERNAL
void driver_transfer_clear   (Transfer     *tr);
G_GNUC_INTERNAL
void driver_transfer_start   (Transfer     *tr,
                              gint64        intended,
                              gint64        now);
G_GNUC_INTERNAL
void driver_on_transfer_done (DriverThread *t,
                              Transfer     *tr,
                              CURLcode      code,
                              gint64        now);

/* tradeoff-driver-schedule.c: the open-loop schedule, queue and restart heap */
G_GNUC_INTERNAL
gint64 driver_queue_pop         (DriverThread *t);
G_GNUC_INTERNAL
void   driver_heap_push         (DriverThread *t,
                                 gint64        at,
                                 Transfer     *tr);
G_GNUC_INTERNAL
void   driver_advance_arrival   (DriverThread *t);
G_GNUC_INTERNAL
void   driver_slot_free         (DriverThread *t,
                                 Transfer     *tr,
                                 gint64        now);
G_GNUC_INTERNAL
void   driver_dispatch_arrivals (DriverThread *t,
                                 gint64        now);
G_GNUC_INTERNAL
void   driver_run_due_restarts  (DriverThread *t,
                                 gint64        now);

/* tradeoff-driver-loop.c: the thread's main loop */
G_GNUC_INTERNAL
guint    driver_total_subscribed (TradeoffDriver *d);
G_GNUC_INTERNAL
gpointer driver_thread_main      (gpointer        data);

/* tradeoff-driver.c */
G_GNUC_INTERNAL
void tradeoff_driver_interval_free (TradeoffDriverInterval *interval);

G_END_DECLS
