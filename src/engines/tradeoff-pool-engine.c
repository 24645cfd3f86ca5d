/* tradeoff-pool-engine.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The thread-pool engine: classic threaded servers, optionally with the
 * global interpreter lock of threaded Python.
 *
 * Each instance has its own listening socket (SO_REUSEPORT when there are
 * several, like several worker processes), its own N worker threads with
 * blocking sockets, and, with --gil, its own TradeoffGil.
 *
 * per-connection: an acceptor thread accepts and queues each connection; a
 *   worker owns it until it closes (connections beyond N wait in the queue).
 *   A chat subscriber's worker waits on its own queue and writes each message
 *   itself, as a threaded Python SSE server does, so every subscriber holds a
 *   thread.
 * per-request: a dispatcher thread polls every idle keep-alive connection
 *   with epoll (one-shot) and hands each ready one to a free worker, which
 *   reads what has arrived, answers the complete requests and hands the
 *   connection back. A subscriber's queue is an eventfd in the same epoll set,
 *   so a published message is one more "ready" event a worker serves.
 *
 * With the GIL, a worker holds it while it parses, computes and formats (the
 * "Python code") and releases it around every blocking call: recv, send,
 * poll, and the I/O wait; the acceptor and dispatcher take it for their own
 * bookkeeping, as Python's accept loop and selector loop would.
 *
 * Stopping: an eventfd that becomes readable forever wakes every thread that
 * polls or sleeps, and shutdown() on each open socket unblocks recv and send.
 *
 * This file holds the work queue, accepting, an instance's lifecycle and the
 * public API; the connections and blocking I/O are in
 * tradeoff-pool-engine-io.c, the requests and per-connection mode's workers
 * in tradeoff-pool-engine-request.c, per-request mode in
 * tradeoff-pool-engine-dispatch.c. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tradeoff-pool-engine-private.h"

/* The next connection a worker should serve, or NULL once stopping. */
PoolConn *
pool_engine_next_queued (PoolInstance *inst)
{
  PoolConn *c = NULL;

  g_mutex_lock (&inst->lock);
  while (!inst->stopping && g_queue_is_empty (&inst->queue))
    g_cond_wait (&inst->cond, &inst->lock);
  if (!inst->stopping)
    c = g_queue_pop_head (&inst->queue);
  g_mutex_unlock (&inst->lock);

  return c;
}

/* Accepts one connection. Out of descriptors, a waiting connection would
 * keep the listening socket readable, and every wake-up would fail the
 * same way: give up the spare descriptor kept for this, accept the
 * connection and close it at once (its client sees the close instead of
 * hanging in the backlog), then take the spare back. libuv does the same
 * for the loop engine. */
int
pool_engine_accept_one (PoolInstance *inst)
{
  int fd;

  do
    fd = accept4 (inst->listen_fd, NULL, NULL, SOCK_CLOEXEC);
  while (fd < 0 && errno == EINTR);

  if (fd < 0 && (errno == EMFILE || errno == ENFILE) && inst->spare_fd >= 0)
    {
      int saved = errno;
      int shed;

      close (inst->spare_fd);
      do
        shed = accept4 (inst->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      while (shed < 0 && errno == EINTR);
      if (shed >= 0)
        close (shed);
      inst->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      errno = saved;
    }
  else if (fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM))
    {
      /* No spare to give up, or the kernel is short of memory: wait a
       * moment, or until stopped, rather than spin on the same failure. */
      struct pollfd pfd = { inst->stop_fd, POLLIN, 0 };
      int saved = errno;

      (void) poll (&pfd, 1, 10);
      errno = saved;
    }
  return fd;
}

static gpointer
acceptor_main (gpointer data)
{
  PoolInstance *inst = data;

  for (;;)
    {
      struct pollfd pfds[2] = {
        { inst->listen_fd, POLLIN, 0 },
        { inst->stop_fd, POLLIN, 0 },
      };
      PoolConn *c;
      int fd;

      if (poll (pfds, 2, -1) < 0 && errno != EINTR)
        return NULL;
      if (pfds[1].revents != 0)
        return NULL;
      if (pfds[0].revents == 0)
        continue;

      fd = pool_engine_accept_one (inst);
      if (fd < 0)
        continue;

      tradeoff_gil_acquire (inst->gil);
      c = pool_engine_conn_new (inst, fd);
      g_mutex_lock (&inst->lock);
      g_queue_push_tail (&inst->queue, c);
      g_cond_signal (&inst->cond);
      g_mutex_unlock (&inst->lock);
      tradeoff_gil_release (inst->gil);
    }
}

/* Lifecycle */

static gboolean
instance_start (PoolInstance  *inst,
                GError       **error)
{
  TradeoffEngineOptions *options = &inst->engine->options;
  gboolean per_request = options->connection_mode == TRADEOFF_CONNECTION_PER_REQUEST;
  GThreadFunc worker_main = per_request ? pool_engine_request_worker_main
                                        : pool_engine_connection_worker_main;

  inst->stop_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  inst->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (inst->stop_fd < 0)
    {
      int saved = errno;

      g_set_error (error, TRADEOFF_ENGINE_ERROR, TRADEOFF_ENGINE_ERROR_SOCKET,
                   _("cannot create an eventfd: %s"), g_strerror (saved));
      return FALSE;
    }

  if (per_request)
    {
      struct epoll_event ev;

      inst->epfd = epoll_create1 (EPOLL_CLOEXEC);
      if (inst->epfd < 0)
        {
          int saved = errno;

          g_set_error (error, TRADEOFF_ENGINE_ERROR, TRADEOFF_ENGINE_ERROR_SOCKET,
                       _("cannot create an epoll set: %s"), g_strerror (saved));
          return FALSE;
        }
      fcntl (inst->listen_fd, F_SETFL, fcntl (inst->listen_fd, F_GETFL) | O_NONBLOCK);
      ev.events = EPOLLIN;
      ev.data.u64 = (guintptr) &inst->listen_fd;
      epoll_ctl (inst->epfd, EPOLL_CTL_ADD, inst->listen_fd, &ev);
      ev.events = EPOLLIN;
      ev.data.u64 = (guintptr) &inst->stop_fd;
      epoll_ctl (inst->epfd, EPOLL_CTL_ADD, inst->stop_fd, &ev);
    }

  for (guint i = 0; i < options->workers; i++)
    {
      GThread *thread = g_thread_try_new ("tradeoff-worker", worker_main, inst, error);

      if (thread == NULL)
        return FALSE;
      g_ptr_array_add (inst->workers, thread);
    }

  inst->front = g_thread_try_new (per_request ? "tradeoff-dispatch" : "tradeoff-accept",
                                  per_request ? pool_engine_dispatcher_main : acceptor_main,
                                  inst, error);
  return inst->front != NULL;
}

static void
instance_stop (PoolInstance *inst)
{
  guint64 one = 1;
  PoolConn *c;

  g_mutex_lock (&inst->lock);
  inst->stopping = TRUE;
  g_cond_broadcast (&inst->cond);
  for (c = inst->conns; c != NULL; c = c->next)
    shutdown (c->fd, SHUT_RDWR);
  g_mutex_unlock (&inst->lock);
  if (inst->stop_fd >= 0)
    (void) !write (inst->stop_fd, &one, sizeof one);

  if (inst->front != NULL)
    g_thread_join (inst->front);
  inst->front = NULL;
  for (guint i = 0; i < inst->workers->len; i++)
    g_thread_join (g_ptr_array_index (inst->workers, i));
  g_ptr_array_set_size (inst->workers, 0);

  /* Every thread is gone: close what is left. */
  g_queue_clear (&inst->queue);
  while (inst->conns != NULL)
    pool_engine_conn_free (inst->conns);
  pool_engine_free_dead (inst);
}

static void
instance_free (PoolInstance *inst)
{
  instance_stop (inst);
  if (inst->listen_fd >= 0)
    close (inst->listen_fd);
  if (inst->epfd >= 0)
    close (inst->epfd);
  if (inst->stop_fd >= 0)
    close (inst->stop_fd);
  if (inst->spare_fd >= 0)
    close (inst->spare_fd);
  tradeoff_gil_free (inst->gil);
  g_ptr_array_unref (inst->workers);
  g_mutex_clear (&inst->lock);
  g_cond_clear (&inst->cond);
  g_free (inst);
}

TradeoffPoolEngine *
tradeoff_pool_engine_new (const TradeoffEngineOptions *options,
                          TradeoffChatHub             *hub)
{
  TradeoffPoolEngine *pool = g_new0 (TradeoffPoolEngine, 1);

  pool->options = *options;
  pool->hub = hub;
  pool->instances = g_ptr_array_new ();
  return pool;
}

/* Takes ownership of FDS (one listening socket per instance). */
gboolean
tradeoff_pool_engine_start (TradeoffPoolEngine  *pool,
                            const int           *fds,
                            GError             **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (pool != NULL, FALSE);
  g_return_val_if_fail (pool->instances->len == 0, FALSE);

  for (guint i = 0; i < pool->options.instances; i++)
    {
      PoolInstance *inst = g_new0 (PoolInstance, 1);

      inst->engine = pool;
      inst->listen_fd = fds[i];
      inst->stop_fd = -1;
      inst->spare_fd = -1;
      inst->epfd = -1;
      inst->gil = pool->options.gil ? tradeoff_gil_new (pool->options.switch_interval_ms) : NULL;
      inst->workers = g_ptr_array_new ();
      g_mutex_init (&inst->lock);
      g_cond_init (&inst->cond);
      g_queue_init (&inst->queue);
      g_ptr_array_add (pool->instances, inst);
    }

  for (guint i = 0; i < pool->instances->len && ok; i++)
    ok = instance_start (g_ptr_array_index (pool->instances, i), error);

  if (!ok)
    tradeoff_pool_engine_stop (pool);
  return ok;
}

void
tradeoff_pool_engine_stop (TradeoffPoolEngine *pool)
{
  g_return_if_fail (pool != NULL);

  if (pool->stopped)
    return;
  pool->stopped = TRUE;
  for (guint i = 0; i < pool->instances->len; i++)
    instance_stop (g_ptr_array_index (pool->instances, i));
}

void
tradeoff_pool_engine_free (TradeoffPoolEngine *pool)
{
  if (pool == NULL)
    return;

  tradeoff_pool_engine_stop (pool);
  for (guint i = 0; i < pool->instances->len; i++)
    instance_free (g_ptr_array_index (pool->instances, i));
  g_ptr_array_unref (pool->instances);
  g_free (pool);
}
