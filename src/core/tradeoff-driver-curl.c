/* tradeoff-driver-curl.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Curl plumbing: a thread's multi handle and epoll set, the socket and
 * timer callbacks that keep them in step (with lazy registrations, see
 * tradeoff-driver.c), and the options every transfer shares. */

#define G_LOG_DOMAIN "tradeoff-driver"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "tradeoff-driver-private.h"

/* Curl plumbing. */

SockState *
driver_sock_state (DriverThread  *t,
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
  Shard *shard = user_data;
  DriverThread *t = shard->thread;
  SockState *st = driver_sock_state (t, fd);
  struct epoll_event ev = { 0 };
  guint32 events = 0;

  if (what == CURL_POLL_REMOVE)
    {
      /* Lazy: keep the registration for the next request on this
       * connection; it is dropped if it fires while unwanted. */
      st->want = 0;
      return 0;
    }

  st->shard = shard;
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
      SockState *st = driver_sock_state (t, fd);

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
  SockState *st = driver_sock_state (t, fd);

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
  Shard *shard = user_data;

  /* Curl's timeouts are milliseconds: the time of the wake-up that led
   * here is close enough, and saves a clock read per socket event. */
  if (timeout_ms < 0)
    shard->deadline = -1;
  else
    shard->deadline = shard->thread->loop_now + (gint64) timeout_ms * 1000;
  return 0;
}

/* The options every transfer shares. */
void
driver_transfer_setup_common (Transfer *tr)
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

/* A thread's set-up: its URLs, epoll set, multi handle and transfers. */

static guint
share (guint total,
       guint n,
       guint i)
{
  return total / n + (i < total % n ? 1 : 0);
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

gboolean
driver_thread_setup (DriverThread  *t,
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
      (t->uh = parse_url (d->request_url, &t->request_target, error)) == NULL)
    return FALSE;
  if (d->publish_urls != NULL)
    {
      guint n_rooms = g_strv_length (d->publish_urls);

      /* Every room is on the one server: only the targets differ. */
      t->publish_targets = g_new0 (char *, n_rooms + 1);
      for (guint r = 0; r < n_rooms; r++)
        {
          CURLU *uh = parse_url (d->publish_urls[r], &t->publish_targets[r], error);

          if (uh == NULL)
            return FALSE;
          if (t->uh == NULL)
            t->uh = uh;
          else
            curl_url_cleanup (uh);
        }
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

  /* A few transfers a multi handle: each keeps the connections of its
   * own transfers and no more. */
  t->n_shards = MAX ((t->n_transfers + TRANSFERS_PER_SHARD - 1) / TRANSFERS_PER_SHARD, 1);
  t->shards = g_new0 (Shard, t->n_shards);
  for (guint s = 0; s < t->n_shards; s++)
    {
      Shard *shard = &t->shards[s];

      shard->thread = t;
      shard->deadline = -1;
      shard->multi = curl_multi_init ();
      curl_multi_setopt (shard->multi, CURLMOPT_SOCKETFUNCTION, on_socket_cb);
      curl_multi_setopt (shard->multi, CURLMOPT_SOCKETDATA, shard);
      curl_multi_setopt (shard->multi, CURLMOPT_TIMERFUNCTION, on_timer_cb);
      curl_multi_setopt (shard->multi, CURLMOPT_TIMERDATA, shard);
      curl_multi_setopt (shard->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_NOTHING);
      curl_multi_setopt (shard->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
      curl_multi_setopt (shard->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
      curl_multi_setopt (shard->multi, CURLMOPT_MAXCONNECTS, (long) TRANSFERS_PER_SHARD + 4);
    }
  for (guint i = 0; i < t->n_transfers; i++)
    t->transfers[i].shard = &t->shards[i / TRANSFERS_PER_SHARD];

  for (guint i = 0; i < n_subs; i++)
    {
      Transfer *tr = &t->transfers[i];
      guint global = t->index + i * n;

      tr->room = global % MAX (w->rooms, 1);
      driver_transfer_init (t, tr, TRANSFER_SUBSCRIBE);
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
      driver_transfer_init (t, tr, load_kind);
      if (load_kind != TRANSFER_STREAM && w->arrival_mode == TRADEOFF_ARRIVAL_OPEN)
        g_ptr_array_add (t->idle, tr);
    }

  if (w->arrival_mode == TRADEOFF_ARRIVAL_OPEN)
    t->rate = MAX (w->rate_per_s, 1e-3) / n;
  return TRUE;
}
