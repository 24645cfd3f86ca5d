/* tradeoff-driver.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Design note. Each driver thread owns a libcurl multi handle and an epoll
 * set, and drives it with curl's socket API (CURLMOPT_SOCKETFUNCTION and
 * CURLMOPT_TIMERFUNCTION). Epoll registrations are kept lazily: when curl
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
 * the headers HTTP/1.1 needs are sent, and request timeouts are swept here
 * rather than armed in curl per request. Together these took the driver
 * from about 19 to about 15 us per request (bench/driver). */

#define G_LOG_DOMAIN "tradeoff-driver"

#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "tradeoff-driver.h"

#define RATE_PER_THREAD        40000.0
#define MAX_QUEUE              (1u << 22)
#define STALL_US               G_USEC_PER_SEC
#define SUBSCRIBE_RETRY_US     (100 * 1000)
#define MAX_CONNECTING         128
#define WAIT_POLL_US           (5 * 1000)
#define WAKE_DATA              G_MAXUINT64

typedef enum
{
  TRANSFER_REQUEST,
  TRANSFER_PUBLISH,
  TRANSFER_SUBSCRIBE,
  TRANSFER_STREAM,
} TransferKind;

typedef struct _DriverThread DriverThread;

/* What epoll knows of one socket, and what curl wants of it. */
typedef struct
{
  guint32  want;
  guint32  mask;
  gboolean registered;
} SockState;

typedef struct
{
  DriverThread *thread;
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
  CURLM             *multi;
  int                epfd;
  int                wakefd;
  SockState         *socks;
  gsize              n_socks;
  gint64             curl_deadline;
  gint64             loop_now;              /* the time of the last wake-up */
  gint64             next_sweep;            /* request timeouts */
  struct curl_slist *headers;
  CURLU             *request_uh;            /* parsed once: curl would parse */
  char              *request_target;        /* the URL on every request */
  CURLU            **publish_uh;
  char             **publish_targets;
  guint              n_publish_uh;

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

static void tradeoff_driver_interval_free (TradeoffDriverInterval *interval);

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

static inline gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
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

/* Recording, under the thread's lock. */

static void
stats_lock (DriverThread *t)
{
  g_mutex_lock (&t->lock);
}

static void
stats_unlock (DriverThread *t)
{
  g_mutex_unlock (&t->lock);
}

/* Returns the interval a record at @now belongs to, or NULL before or
 * after the measured window. Called with the lock held. */
static TradeoffDriverInterval *
interval_at (DriverThread *t,
             gint64        now);

/* Counts an arrival in the interval of its intended start. Lock held. */
static void
count_offered (DriverThread *t,
               gint64        intended)
{
  TradeoffDriverInterval *iv = interval_at (t, intended);

  t->stats.offered++;
  if (iv != NULL)
    iv->offered++;
}

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

static void
record_done (DriverThread *t,
             gint64        now,
             gint64        corrected_us,
             gint64        uncorrected_us,
             guint64       bytes)
{
  TradeoffDriverInterval *iv;

  if (!after_warmup (t, now))
    return;

  stats_lock (t);
  t->stats.completed++;
  tradeoff_histogram_record (t->stats.histogram, MAX (corrected_us, 1));
  tradeoff_histogram_record (t->stats.histogram_uncorrected, MAX (uncorrected_us, 1));
  if (corrected_us > STALL_US && t->driver->workload.kind == TRADEOFF_WORKLOAD_STREAMING)
    t->stats.stalls++;
  iv = interval_at (t, now);
  if (iv != NULL)
    {
      t->stats.completed_in_window++;
      t->stats.bytes_in_window += bytes;
      iv->completed++;
      iv->bytes += bytes;
      if (corrected_us > STALL_US && t->driver->workload.kind == TRADEOFF_WORKLOAD_STREAMING)
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

static void
record_overdue_chunks (DriverThread *t,
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

static void
record_bytes (DriverThread *t,
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

static void
record_failure (DriverThread *t,
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

static void
touch_interval (DriverThread *t,
                gint64        now)
{
  if (!in_window (t, now))
    return;

  stats_lock (t);
  interval_at (t, now);
  stats_unlock (t);
}

/* Curl plumbing. */

static SockState *
sock_state (DriverThread  *t,
            curl_socket_t  fd)
{
  if ((gsize) fd >= t->n_socks)
    {
      gsize n = MAX ((gsize) fd + 1, t->n_socks * 2);

      t->socks = g_renew (SockState, t->socks, n);
      memset (t->socks + t->n_socks, 0, (n - t->n_socks) * sizeof (SockState));
      t->n_socks = n;
    }
  return &t->socks[fd];
}

static int
on_socket_cb (CURL          *easy,
              curl_socket_t  fd,
              int            what,
              void          *user_data,
              void          *socket_data)
{
  DriverThread *t = user_data;
  SockState *st = sock_state (t, fd);
  struct epoll_event ev = { 0 };
  guint32 events = 0;

  if (what == CURL_POLL_REMOVE)
    {
      /* Lazy: keep the registration for the next request on this
       * connection; it is dropped if it fires while unwanted. */
      st->want = 0;
      return 0;
    }

  if (what & CURL_POLL_IN)
    events |= EPOLLIN;
  if (what & CURL_POLL_OUT)
    events |= EPOLLOUT;
  st->want = events;

  if (st->registered && st->mask == events)
    return 0;

  ev.events = events;
  ev.data.u64 = (guint64) fd;
  if (st->registered)
    {
      if (epoll_ctl (t->epfd, EPOLL_CTL_MOD, fd, &ev) == 0)
        {
          st->mask = events;
          return 0;
        }
    }
  if (epoll_ctl (t->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
    {
      if (errno != EEXIST || epoll_ctl (t->epfd, EPOLL_CTL_MOD, fd, &ev) != 0)
        {
          g_warning ("epoll_ctl on socket %d: %s", fd, g_strerror (errno));
          return -1;
        }
    }
  st->registered = TRUE;
  st->mask = events;
  return 0;
}

static curl_socket_t
on_open_socket_cb (void                 *user_data,
                   curlsocktype          purpose,
                   struct curl_sockaddr *address)
{
  DriverThread *t = user_data;
  curl_socket_t fd = socket (address->family, address->socktype | SOCK_CLOEXEC, address->protocol);

  /* A new socket may reuse the number of a descriptor closed behind our
   * back (curl's resolver closes its own): it has no registration yet. */
  if (fd != CURL_SOCKET_BAD)
    {
      SockState *st = sock_state (t, fd);

      st->registered = FALSE;
      st->mask = 0;
      st->want = 0;
    }
  return fd;
}

static int
on_close_socket_cb (void          *user_data,
                    curl_socket_t  fd)
{
  DriverThread *t = user_data;
  SockState *st = sock_state (t, fd);

  /* Closing the descriptor drops its epoll registration. */
  st->registered = FALSE;
  st->mask = 0;
  st->want = 0;
  return close (fd);
}

static int
on_timer_cb (CURLM *multi,
             long   timeout_ms,
             void  *user_data)
{
  DriverThread *t = user_data;

  /* Curl's timeouts are milliseconds: the time of the wake-up that led
   * here is close enough, and saves a clock read per socket event. */
  if (timeout_ms < 0)
    t->curl_deadline = -1;
  else
    t->curl_deadline = t->loop_now + (gint64) timeout_ms * 1000;
  return 0;
}

/* Transfers. */

static size_t
on_discard_write_cb (char   *ptr,
                     size_t  size,
                     size_t  nmemb,
                     void   *user_data)
{
  Transfer *tr = user_data;

  tr->bytes += size * nmemb;
  return size * nmemb;
}

static void
handle_sse_line (Transfer   *tr,
                 const char *line,
                 gsize       len,
                 gint64      now)
{
  const char *p;
  const char *end = line + len;
  gint64 intended;
  gint64 sent;

  if (len < 5 || memcmp (line, "data:", 5) != 0)
    return;

  p = line + 5;
  while (p < end && *p == ' ')
    p++;
  if (end - p < 2 || p[0] != 'i' || p[1] != '=')
    return;
  intended = g_ascii_strtoll (p + 2, (char **) &p, 10);
  while (p < end && *p == ' ')
    p++;
  if (end - p < 2 || p[0] != 's' || p[1] != '=')
    return;
  sent = g_ascii_strtoll (p + 2, NULL, 10);
  if (intended <= 0 || sent <= 0)
    return;

  record_done (tr->thread, now, now - intended, now - sent, len);
  if (in_window (tr->thread, sent))
    {
      stats_lock (tr->thread);
      tr->thread->stats.deliveries_received++;
      stats_unlock (tr->thread);
    }
}

static size_t
on_subscribe_write_cb (char   *ptr,
                       size_t  size,
                       size_t  nmemb,
                       void   *user_data)
{
  Transfer *tr = user_data;
  gsize n = size * nmemb;
  gint64 now = now_us ();
  gsize start = 0;

  g_string_append_len (tr->line, ptr, n);
  for (gsize i = 0; i < tr->line->len; i++)
    {
      if (tr->line->str[i] == '\n')
        {
          gsize len = i - start;

          if (len > 0 && tr->line->str[start + len - 1] == '\r')
            len--;
          handle_sse_line (tr, tr->line->str + start, len, now);
          start = i + 1;
        }
    }
  if (start > 0)
    g_string_erase (tr->line, 0, start);
  return n;
}

static size_t
on_subscribe_header_cb (char   *buffer,
                        size_t  size,
                        size_t  nitems,
                        void   *user_data)
{
  Transfer *tr = user_data;
  gsize n = size * nitems;

  /* The blank line ends the headers: the server has registered us. */
  if (!tr->subscribed && (n == 2 && buffer[0] == '\r' && buffer[1] == '\n'))
    {
      long status = 0;

      curl_easy_getinfo (tr->easy, CURLINFO_RESPONSE_CODE, &status);
      if (status == 200)
        {
          tr->subscribed = TRUE;
          g_atomic_int_inc (&tr->thread->subscribed);
          g_atomic_int_inc (&tr->thread->driver->room_subscribers[tr->room]);
        }
    }
  return n;
}

static size_t
on_stream_write_cb (char   *ptr,
                    size_t  size,
                    size_t  nmemb,
                    void   *user_data)
{
  Transfer *tr = user_data;
  DriverThread *t = tr->thread;
  const TradeoffWorkload *w = &t->driver->workload;
  gsize n = size * nmemb;
  gint64 now = now_us ();
  double us_per_chunk = w->chunk_bytes * 1e6 / tr->rate;

  tr->bytes += n;
  record_bytes (t, now, n);

  /* Chunk k (from 0) is due at the stream's start plus k chunk times. */
  while (tr->bytes >= (tr->next_chunk + 1) * (guint64) w->chunk_bytes)
    {
      gint64 due = tr->sent + (gint64) (tr->next_chunk * us_per_chunk);
      gint64 late = MAX (now - due, 0);
      gint64 late_since_previous = late;

      /* Uncorrected: late only against the previous chunk's arrival, as a
       * reader that forgives a stall would see it. */
      if (tr->next_chunk > 0)
        late_since_previous = MAX (now - (tr->last_chunk_at + (gint64) us_per_chunk), 0);
      record_done (t, now, late, late_since_previous, 0);
      tr->last_chunk_at = now;
      tr->next_chunk++;
    }
  return n;
}

static void
transfer_setup_common (Transfer *tr)
{
  DriverThread *t = tr->thread;
  CURL *easy = tr->easy;

  curl_easy_setopt (easy, CURLOPT_PRIVATE, tr);
  curl_easy_setopt (easy, CURLOPT_PROXY, "");
  curl_easy_setopt (easy, CURLOPT_NOPROXY, "*");
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
  curl_easy_setopt (easy, CURLOPT_OPENSOCKETFUNCTION, on_open_socket_cb);
  curl_easy_setopt (easy, CURLOPT_OPENSOCKETDATA, t);
  curl_easy_setopt (easy, CURLOPT_CLOSESOCKETFUNCTION, on_close_socket_cb);
  curl_easy_setopt (easy, CURLOPT_CLOSESOCKETDATA, t);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, t->headers);
}

static void
transfer_init (DriverThread *t,
               Transfer     *tr,
               TransferKind  kind)
{
  const TradeoffWorkload *w = &t->driver->workload;

  tr->thread = t;
  tr->kind = kind;
  tr->easy = curl_easy_init ();
  transfer_setup_common (tr);

  switch (kind)
    {
    case TRANSFER_REQUEST:
      curl_easy_setopt (tr->easy, CURLOPT_CURLU, t->request_uh);
      curl_easy_setopt (tr->easy, CURLOPT_REQUEST_TARGET, t->request_target);
      curl_easy_setopt (tr->easy, CURLOPT_POSTFIELDSIZE, (long) t->driver->request_body_len);
      curl_easy_setopt (tr->easy, CURLOPT_POSTFIELDS, t->driver->request_body);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEFUNCTION, on_discard_write_cb);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEDATA, tr);
      break;

    case TRANSFER_PUBLISH:
      tr->body = g_malloc (MAX (w->message_bytes, 64) + 64);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEFUNCTION, on_discard_write_cb);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEDATA, tr);
      break;

    case TRANSFER_SUBSCRIBE:
      tr->line = g_string_new (NULL);
      tr->url = g_strdup_printf ("%s/chat/room%u", t->driver->base_url, tr->room);
      curl_easy_setopt (tr->easy, CURLOPT_URL, tr->url);
      curl_easy_setopt (tr->easy, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEFUNCTION, on_subscribe_write_cb);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEDATA, tr);
      curl_easy_setopt (tr->easy, CURLOPT_HEADERFUNCTION, on_subscribe_header_cb);
      curl_easy_setopt (tr->easy, CURLOPT_HEADERDATA, tr);
      break;

    case TRANSFER_STREAM:
      curl_easy_setopt (tr->easy, CURLOPT_URL, t->driver->stream_url);
      curl_easy_setopt (tr->easy, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEFUNCTION, on_stream_write_cb);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEDATA, tr);
      if (tr->rate < (double) w->rate_bytes_per_s)
        curl_easy_setopt (tr->easy, CURLOPT_MAX_RECV_SPEED_LARGE, (curl_off_t) tr->rate);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
transfer_clear (Transfer *tr)
{
  if (tr->easy != NULL)
    {
      if (tr->active)
        curl_multi_remove_handle (tr->thread->multi, tr->easy);
      curl_easy_cleanup (tr->easy);
    }
  if (tr->line != NULL)
    g_string_free (tr->line, TRUE);
  g_free (tr->body);
  g_free (tr->url);
}

static void
transfer_start (Transfer *tr,
                gint64    intended,
                gint64    now)
{
  DriverThread *t = tr->thread;
  TradeoffDriver *d = t->driver;

  g_assert (!tr->active);

  tr->intended = intended;
  tr->sent = now;
  tr->bytes = 0;
  tr->next_chunk = 0;
  tr->last_chunk_at = now;
  tr->subscribed = FALSE;
  if (tr->line != NULL)
    g_string_truncate (tr->line, 0);

  if (tr->kind == TRANSFER_PUBLISH)
    {
      guint room = t->next_room;
      gsize len;

      t->next_room = (t->next_room + 1) % d->workload.rooms;
      tr->room = room;
      len = g_snprintf (tr->body, 64, "i=%" G_GINT64_FORMAT " s=%" G_GINT64_FORMAT " ",
                        intended, now);
      if (len < d->workload.message_bytes)
        {
          memset (tr->body + len, 'x', d->workload.message_bytes - len);
          len = d->workload.message_bytes;
        }
      tr->body[len] = '\0';
      curl_easy_setopt (tr->easy, CURLOPT_CURLU, t->publish_uh[room]);
      curl_easy_setopt (tr->easy, CURLOPT_REQUEST_TARGET, t->publish_targets[room]);
      curl_easy_setopt (tr->easy, CURLOPT_POSTFIELDSIZE, (long) len);
      curl_easy_setopt (tr->easy, CURLOPT_POSTFIELDS, tr->body);
    }

  if (tr->kind == TRANSFER_REQUEST || tr->kind == TRANSFER_PUBLISH)
    {
      if (in_window (t, now))
        {
          stats_lock (t);
          t->stats.sent++;
          stats_unlock (t);
        }
      t->in_flight++;
    }

  tr->active = TRUE;
  curl_multi_add_handle (t->multi, tr->easy);
}

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

static gint64
queue_pop (DriverThread *t)
{
  gint64 v = t->queue[t->queue_head];

  t->queue_head = (t->queue_head + 1) % t->queue_cap;
  t->queue_len--;
  return v;
}

/* A min-heap of transfers to restart later (closed-loop think time,
 * subscriber retries). */

static void
heap_push (DriverThread *t,
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

      if (l < n && g_array_index (t->heap, HeapEntry, l).at < g_array_index (t->heap, HeapEntry, m).at)
        m = l;
      if (r < n && g_array_index (t->heap, HeapEntry, r).at < g_array_index (t->heap, HeapEntry, m).at)
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

static void
advance_arrival (DriverThread *t)
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

static void
slot_free (DriverThread *t,
           Transfer     *tr,
           gint64        now)
{
  if (t->queue_len > 0 && !t->stopping)
    {
      gint64 intended = queue_pop (t);

      transfer_start (tr, intended, now);
      return;
    }
  g_ptr_array_add (t->idle, tr);
}

static void
dispatch_arrivals (DriverThread *t,
                   gint64        now)
{
  TradeoffDriver *d = t->driver;

  while (t->next_arrival <= now && t->next_arrival < d->measure_end_us)
    {
      gint64 intended = t->next_arrival;
      gboolean counted = intended >= d->measure_start_us;

      advance_arrival (t);

      if (t->idle->len > 0)
        {
          Transfer *tr = g_ptr_array_steal_index_fast (t->idle, t->idle->len - 1);
          gint64 lag = now - intended;

          transfer_start (tr, intended, now);
          if (counted)
            {
              stats_lock (t);
              count_offered (t, intended);
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
              count_offered (t, intended);
              if (!queued)
                t->stats.queue_drops++;
              stats_unlock (t);
            }
          if (!queued)
            record_failure (t, now, intended, FALSE);
        }
    }
}

static void
run_due_restarts (DriverThread *t,
                  gint64        now)
{
  while (t->heap->len > 0 && g_array_index (t->heap, HeapEntry, 0).at <= now)
    {
      HeapEntry e = heap_pop (t);

      if (!e.transfer->active)
        transfer_start (e.transfer, now, now);
    }
}

static void note_error (DriverThread *t,
                        CURLcode      code,
                        long          status);

static void
on_transfer_done (DriverThread *t,
                  Transfer     *tr,
                  CURLcode      code,
                  gint64        now)
{
  TradeoffDriver *d = t->driver;
  long status = 0;
  gboolean ok;

  tr->active = FALSE;
  curl_easy_getinfo (tr->easy, CURLINFO_RESPONSE_CODE, &status);
  ok = code == CURLE_OK && status >= 200 && status < 300;

  switch (tr->kind)
    {
    case TRANSFER_REQUEST:
    case TRANSFER_PUBLISH:
      t->in_flight--;
      if (ok && tr->kind == TRANSFER_REQUEST)
        record_done (t, now, now - tr->intended, now - tr->sent, tr->bytes);
      else if (ok)
        {
          /* The server answers once the message is queued to every
           * subscriber of the room: each of them should see it. */
          guint expected = (guint) g_atomic_int_get (&d->room_subscribers[tr->room]);

          stats_lock (t);
          if (in_window (t, now))
            t->stats.published++;
          if (in_window (t, tr->sent))
            t->stats.deliveries_expected += expected;
          stats_unlock (t);
        }
      else
        {
          note_error (t, code, status);
          record_failure (t, now, tr->intended, code == CURLE_OPERATION_TIMEDOUT);
        }

      if (t->stopping)
        break;
      if (d->workload.arrival_mode == TRADEOFF_ARRIVAL_CLOSED)
        {
          if (now >= d->measure_end_us)
            break;
          if (d->workload.think_ms <= 0)
            transfer_start (tr, now, now);
          else
            heap_push (t, now + (gint64) (d->workload.think_ms * 1000), tr);
        }
      else
        slot_free (t, tr, now);
      break;

    case TRANSFER_SUBSCRIBE:
      if (tr->subscribed)
        {
          g_atomic_int_add (&t->subscribed, -1);
          g_atomic_int_add (&d->room_subscribers[tr->room], -1);
        }
      if (t->stopping || t->ending)
        break;
      record_failure (t, now, now, FALSE);
      heap_push (t, now + SUBSCRIBE_RETRY_US, tr);
      break;

    case TRANSFER_STREAM:
      if (t->stopping || t->ending)
        break;
      if (!ok)
        {
          record_failure (t, now, now, code == CURLE_OPERATION_TIMEDOUT);
          heap_push (t, now + SUBSCRIBE_RETRY_US, tr);
        }
      else
        transfer_start (tr, now, now);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
note_error (DriverThread *t,
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
      curl_multi_remove_handle (t->multi, tr->easy);
      on_transfer_done (t, tr, CURLE_OPERATION_TIMEDOUT, now);
    }
}

static void
check_done (DriverThread *t)
{
  CURLMsg *msg;
  int left;
  gint64 now = t->loop_now;

  while ((msg = curl_multi_info_read (t->multi, &left)) != NULL)
    {
      Transfer *tr = NULL;

      if (msg->msg != CURLMSG_DONE)
        continue;
      curl_easy_getinfo (msg->easy_handle, CURLINFO_PRIVATE, (char **) &tr);
      curl_multi_remove_handle (t->multi, msg->easy_handle);
      on_transfer_done (t, tr, msg->data.result, now);
    }
}

static void
socket_action (DriverThread  *t,
               curl_socket_t  fd,
               int            flags)
{
  int running;

  curl_multi_socket_action (t->multi, fd, flags, &running);
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
        transfer_start (&t->transfers[i], now, now);
      return;
    }

  if (w->arrival_mode == TRADEOFF_ARRIVAL_CLOSED)
    {
      for (guint i = t->first_load_transfer; i < t->n_transfers; i++)
        transfer_start (&t->transfers[i], now, now);
      return;
    }

  /* Open loop: threads interleave their constant schedules. */
  t->arrival_k = 0;
  t->arrival_phase_us = t->index * 1e6 / (t->rate * d->n_threads);
  t->arrival_offset_us = t->arrival_phase_us;
  if (w->distribution == TRADEOFF_DISTRIBUTION_POISSON)
    {
      t->arrival_offset_us = 0;
      advance_arrival (t);
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

      transfer_start (&t->transfers[t->subscribers_started], now, now);
      t->subscribers_started++;
    }
}

static guint
total_subscribed (TradeoffDriver *d)
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
  if (total_subscribed (d) >= d->subscribers || now >= d->connect_deadline_us)
    {
      gint64 start = now + 1000;

      if (total_subscribed (d) < d->subscribers)
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

static gint64
load_start_time (TradeoffDriver *d)
{
  return (gint64) GPOINTER_TO_SIZE (g_atomic_pointer_get (&d->start_us_atomic));
}

static gboolean
countable_left (DriverThread *t)
{
  return t->in_flight > 0 || t->queue_len > 0;
}

static void
count_leftovers (DriverThread *t,
                 gint64        now)
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
      gint64 intended = queue_pop (t);

      if (d->measure_start_us != 0 && intended >= d->measure_start_us)
        {
          stats_lock (t);
          t->stats.timeouts++;
          stats_unlock (t);
        }
    }
  (void) now;
}

static gpointer
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
                  dispatch_arrivals (t, now);
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
                      touch_interval (t, now);
                      last_interval = index;
                    }
                  wake = MIN (wake, d->measure_start_us + (index + 1) * TRADEOFF_DRIVER_INTERVAL_US);
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
                    record_overdue_chunks (t, d->measure_end_us);
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
              run_due_restarts (t, now);
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

      if (t->curl_deadline >= 0 && t->curl_deadline <= now)
        {
          t->curl_deadline = -1;
          socket_action (t, CURL_SOCKET_TIMEOUT, 0);
          check_done (t);
          /* Completions may have queued restarts or freed connections:
           * work out the next wake-up again. */
          continue;
        }
      if (t->curl_deadline >= 0)
        wake = MIN (wake, t->curl_deadline);

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
          st = sock_state (t, fd);
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
          socket_action (t, fd, flags);
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
    count_leftovers (t, now_us ());

  stats_lock (t);
  t->stats.driver_cpu_ns = t->cpu_end_ns - t->cpu_start_ns;
  stats_unlock (t);

  /* Hang up everything still running; curl closes the sockets. */
  for (guint i = 0; i < t->n_transfers; i++)
    {
      Transfer *tr = &t->transfers[i];

      if (tr->active)
        {
          curl_multi_remove_handle (t->multi, tr->easy);
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

static guint
share (guint total,
       guint n,
       guint i)
{
  return total / n + (i < total % n ? 1 : 0);
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
  self->request_timeout_us = (gint64) ((options->request_timeout_s > 0 ? options->request_timeout_s : 30) * G_USEC_PER_SEC);
  self->drain_us = (gint64) ((options->drain_s >= 0 ? options->drain_s : 1.0) * G_USEC_PER_SEC);
  self->connect_timeout_us = (gint64) ((options->connect_timeout_s > 0 ? options->connect_timeout_s : 10) *
                                       G_USEC_PER_SEC);
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

/* Parses @url once for every request made to it, and splits off its
 * request target (path and query), which curl then sends as it is:
 * given a URL with a query, curl would format the query twice on every
 * request, a byte at a time, which costs more than the rest of the
 * request line and headers together. */
static CURLU *
parse_url (const char  *url,
           char       **target,
           GError     **error)
{
  CURLU *uh = curl_url ();
  CURLUcode rc = curl_url_set (uh, CURLUPART_URL, url, 0);
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  if (rc == CURLUE_OK)
    rc = curl_url_get (uh, CURLUPART_PATH, &path, 0);
  if (rc != CURLUE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Not a usable URL: %s (%s)"), url, curl_url_strerror (rc));
      curl_url_cleanup (uh);
      return NULL;
    }
  if (curl_url_get (uh, CURLUPART_QUERY, &query, 0) == CURLUE_OK && query != NULL)
    {
      *target = g_strconcat (path, "?", query, NULL);
      curl_url_set (uh, CURLUPART_QUERY, NULL, 0);
    }
  else
    *target = g_strdup (path);
  curl_free (g_steal_pointer (&path));
  curl_free (g_steal_pointer (&query));
  return uh;
}

static gboolean
thread_setup (DriverThread  *t,
              GError       **error)
{
  TradeoffDriver *d = t->driver;
  const TradeoffWorkload *w = &d->workload;
  struct epoll_event ev = { 0 };
  guint n = d->n_threads;
  guint n_subs = 0;
  guint n_load = 0;
  TransferKind load_kind = TRANSFER_REQUEST;

  g_mutex_init (&t->lock);
  t->epfd = -1;
  t->wakefd = -1;
  t->curl_deadline = -1;
  t->rand = g_rand_new ();
  t->idle = g_ptr_array_new ();
  t->heap = g_array_new (FALSE, FALSE, sizeof (HeapEntry));
  t->intervals = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_driver_interval_free);
  t->stats.histogram = tradeoff_histogram_new (3);
  t->stats.histogram_uncorrected = tradeoff_histogram_new (3);
  /* Only the headers HTTP/1.1 needs: curl formats each header a byte at
   * a time, so every byte left out is client CPU saved on every request
   * (and server CPU spent parsing it). */
  t->headers = curl_slist_append (NULL, "Expect:");
  t->headers = curl_slist_append (t->headers, "Accept:");
  if (w->kind == TRADEOFF_WORKLOAD_CHAT)
    t->headers = curl_slist_append (t->headers, "Content-Type: text/plain");
  else if (d->request_body_len > 0)
    t->headers = curl_slist_append (t->headers, "Content-Type: application/octet-stream");
  else
    t->headers = curl_slist_append (t->headers, "Content-Type:");

  if (d->request_url != NULL &&
      (t->request_uh = parse_url (d->request_url, &t->request_target, error)) == NULL)
    return FALSE;
  if (d->publish_urls != NULL)
    {
      t->n_publish_uh = g_strv_length (d->publish_urls);
      t->publish_uh = g_new0 (CURLU *, t->n_publish_uh + 1);
      t->publish_targets = g_new0 (char *, t->n_publish_uh + 1);
      for (guint r = 0; r < t->n_publish_uh; r++)
        if ((t->publish_uh[r] = parse_url (d->publish_urls[r], &t->publish_targets[r], error)) == NULL)
          return FALSE;
    }

  t->epfd = epoll_create1 (EPOLL_CLOEXEC);
  t->wakefd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (t->epfd < 0 || t->wakefd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not set up the driver: %s"), g_strerror (saved));
      return FALSE;
    }
  ev.events = EPOLLIN;
  ev.data.u64 = WAKE_DATA;
  epoll_ctl (t->epfd, EPOLL_CTL_ADD, t->wakefd, &ev);

  t->multi = curl_multi_init ();
  curl_multi_setopt (t->multi, CURLMOPT_SOCKETFUNCTION, on_socket_cb);
  curl_multi_setopt (t->multi, CURLMOPT_SOCKETDATA, t);
  curl_multi_setopt (t->multi, CURLMOPT_TIMERFUNCTION, on_timer_cb);
  curl_multi_setopt (t->multi, CURLMOPT_TIMERDATA, t);
  curl_multi_setopt (t->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_NOTHING);
  curl_multi_setopt (t->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
  curl_multi_setopt (t->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);

  switch (w->kind)
    {
    case TRADEOFF_WORKLOAD_REQUEST:
    case TRADEOFF_WORKLOAD_ML_BATCH:
      n_load = share (w->arrival_mode == TRADEOFF_ARRIVAL_OPEN ? MAX (w->connections, 1)
                                                               : MAX (w->clients, 1), n, t->index);
      load_kind = TRANSFER_REQUEST;
      break;

    case TRADEOFF_WORKLOAD_CHAT:
      n_subs = share (d->subscribers, n, t->index);
      n_load = share (d->n_publishers, n, t->index);
      load_kind = TRANSFER_PUBLISH;
      break;

    case TRADEOFF_WORKLOAD_STREAMING:
      n_load = share (w->streams, n, t->index);
      load_kind = TRANSFER_STREAM;
      break;

    default:
      g_assert_not_reached ();
    }

  t->n_transfers = n_subs + n_load;
  t->first_load_transfer = n_subs;
  t->transfers = g_new0 (Transfer, MAX (t->n_transfers, 1));
  curl_multi_setopt (t->multi, CURLMOPT_MAXCONNECTS, (long) t->n_transfers + 16);

  for (guint i = 0; i < n_subs; i++)
    {
      Transfer *tr = &t->transfers[i];
      guint global = t->index + i * n;

      tr->room = global % MAX (w->rooms, 1);
      transfer_init (t, tr, TRANSFER_SUBSCRIBE);
    }

  for (guint i = 0; i < n_load; i++)
    {
      Transfer *tr = &t->transfers[n_subs + i];

      if (load_kind == TRANSFER_STREAM)
        {
          guint global = t->index + i * n;
          guint slow = (guint) floor (w->streams * w->slow_reader_fraction + 0.5);

          /* Slow readers spread evenly over the streams. */
          tr->rate = (double) w->rate_bytes_per_s;
          if (slow > 0 && (global * slow) % w->streams < slow)
            tr->rate /= 2.0;
        }
      transfer_init (t, tr, load_kind);
      if (load_kind != TRANSFER_STREAM && w->arrival_mode == TRADEOFF_ARRIVAL_OPEN)
        g_ptr_array_add (t->idle, tr);
    }

  if (w->arrival_mode == TRADEOFF_ARRIVAL_OPEN)
    t->rate = MAX (w->rate_per_s, 1e-3) / n;
  return TRUE;
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
      if (!thread_setup (&self->threads[i], error))
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

      self->threads[i].thread = g_thread_try_new (name, driver_thread_main, &self->threads[i], error);
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
  totals->subscribed = total_subscribed (self);
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

static void
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
        transfer_clear (&t->transfers[j]);
      g_free (t->transfers);
      if (t->multi != NULL)
        curl_multi_cleanup (t->multi);
      if (t->epfd >= 0)
        close (t->epfd);
      if (t->wakefd >= 0)
        close (t->wakefd);
      curl_slist_free_all (t->headers);
      if (t->request_uh != NULL)
        curl_url_cleanup (t->request_uh);
      for (guint r = 0; r < t->n_publish_uh; r++)
        if (t->publish_uh[r] != NULL)
          curl_url_cleanup (t->publish_uh[r]);
      g_free (t->publish_uh);
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
