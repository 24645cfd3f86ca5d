/* tradeoff-pool-engine-dispatch.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pool engine's per-request mode: the dispatcher thread that polls idle
 * connections (and subscribers' eventfds) with one-shot epoll, accepts, and
 * closes idle ones, and the workers that serve one ready turn each. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "tradeoff-pool-engine-private.h"

/* per-request mode */

static void
rearm (PoolConn *c)
{
  PoolInstance *inst = c->inst;
  struct epoll_event ev;

  g_mutex_lock (&inst->lock);
  c->state = CONN_IDLE;
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  ev.data.u64 = (guintptr) c | TAG_SOCKET;
  epoll_ctl (inst->epfd, EPOLL_CTL_MOD, c->fd, &ev);
  if (c->efd >= 0)
    {
      ev.events = EPOLLIN | EPOLLONESHOT;
      ev.data.u64 = (guintptr) c | TAG_EVENTFD;
      if (epoll_ctl (inst->epfd, EPOLL_CTL_MOD, c->efd, &ev) != 0)
        epoll_ctl (inst->epfd, EPOLL_CTL_ADD, c->efd, &ev);
    }
  g_mutex_unlock (&inst->lock);
}

/* One turn of a ready connection: read what arrived, answer what is
 * complete, then hand it back to the dispatcher or close it. */
static void
serve_ready (PoolConn *c)
{
  PoolInstance *inst = c->inst;
  gboolean close_it = FALSE;

  tradeoff_gil_acquire (inst->gil);
  if (c->sub != NULL)
    {
      char scratch[1024];
      ssize_t n;

      if (!pool_engine_subscriber_flush (c))
        close_it = TRUE;
      n = recv (c->fd, scratch, sizeof scratch, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        close_it = TRUE;
    }
  else
    {
      gssize n;

      while ((n = pool_engine_conn_read (c, FALSE)) > 0)
        {
          Handled handled = pool_engine_handle_buffered (c);

          if (handled == HANDLED_CLOSE)
            {
              close_it = TRUE;
              break;
            }
          if (handled == HANDLED_SUBSCRIBED)
            break;
        }
      if (n == 0)
        close_it = TRUE;
    }
  tradeoff_gil_release (inst->gil);

  if (close_it || is_stopping (inst))
    {
      pool_engine_conn_retire (c);
      return;
    }
  rearm (c);
}

gpointer
pool_engine_request_worker_main (gpointer data)
{
  PoolInstance *inst = data;

  PoolConn *c;

  while ((c = pool_engine_next_queued (inst)) != NULL)
    serve_ready (c);

  return NULL;
}

static void
dispatcher_accept (PoolInstance *inst)
{
  for (guint i = 0; i < 64; i++)
    {
      struct epoll_event ev;
      PoolConn *c;
      int fd;

      fd = pool_engine_accept_one (inst);
      if (fd < 0)
        return;
      c = pool_engine_conn_new (inst, fd);
      c->state = CONN_IDLE;
      ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
      ev.data.u64 = (guintptr) c | TAG_SOCKET;
      /* Held: a worker must not free C before it is in the set. */
      g_mutex_lock (&inst->lock);
      if (epoll_ctl (inst->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
        {
          g_mutex_unlock (&inst->lock);
          pool_engine_conn_free (c);
          continue;
        }
      g_mutex_unlock (&inst->lock);
    }
}

static void
dispatcher_close_idle (PoolInstance *inst)
{
  guint timeout_s = inst->engine->options.idle_timeout_s;
  gint64 now = g_get_monotonic_time ();
  GSList *expired = NULL;

  if (timeout_s == 0)
    return;

  g_mutex_lock (&inst->lock);
  for (PoolConn *c = inst->conns; c != NULL; c = c->next)
    {
      if (c->state == CONN_IDLE && c->sub == NULL
          && now - c->last_active_us >= (gint64) timeout_s * G_USEC_PER_SEC)
        {
          epoll_ctl (inst->epfd, EPOLL_CTL_DEL, c->fd, NULL);
          c->state = CONN_BUSY;
          expired = g_slist_prepend (expired, c);
        }
    }
  g_mutex_unlock (&inst->lock);

  g_slist_free_full (expired, (GDestroyNotify) pool_engine_conn_free);
}

gpointer
pool_engine_dispatcher_main (gpointer data)
{
  PoolInstance *inst = data;
  struct epoll_event events[256];
  gint64 last_scan = g_get_monotonic_time ();

  for (;;)
    {
      int n = epoll_wait (inst->epfd, events, G_N_ELEMENTS (events), 1000);
      gboolean stop = FALSE;

      if (n < 0 && errno != EINTR)
        break;

      tradeoff_gil_acquire (inst->gil);
      g_mutex_lock (&inst->lock);
      for (int i = 0; i < n; i++)
        {
          PoolConn *c;

          if (events[i].data.u64 == (guintptr) &inst->listen_fd)
            continue;
          if (events[i].data.u64 == (guintptr) &inst->stop_fd)
            {
              stop = TRUE;
              continue;
            }
          c = (PoolConn *) (guintptr) (events[i].data.u64 & ~TAG_MASK);
          if (c->state != CONN_IDLE)
            continue;
          c->state = CONN_BUSY;
          g_queue_push_tail (&inst->queue, c);
          g_cond_signal (&inst->cond);
        }
      g_mutex_unlock (&inst->lock);

      for (int i = 0; i < n; i++)
        if (events[i].data.u64 == (guintptr) &inst->listen_fd)
          dispatcher_accept (inst);
      tradeoff_gil_release (inst->gil);

      pool_engine_free_dead (inst);
      if (stop)
        break;
      if (g_get_monotonic_time () - last_scan >= G_USEC_PER_SEC)
        {
          dispatcher_close_idle (inst);
          last_scan = g_get_monotonic_time ();
        }
    }

  return NULL;
}
