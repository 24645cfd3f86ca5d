/* tradeoff-pool-engine-io.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pool engine's connections (creating, closing, and retiring them in
 * per-request mode) and its blocking I/O: sending, sleeping, lingering and
 * reading, each without the GIL. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tradeoff-pool-engine-private.h"

/* Connections */

PoolConn *
pool_engine_conn_new (PoolInstance *inst,
                      int           fd)
{
  PoolConn *c = g_new0 (PoolConn, 1);

  c->fd = fd;
  c->efd = -1;
  c->inst = inst;
  c->state = CONN_BUSY;
  c->last_active_us = g_get_monotonic_time ();
  tradeoff_http_parser_init (&c->parser);
  tradeoff_engine_tune_socket (fd);

  g_mutex_lock (&inst->lock);
  c->next = inst->conns;
  if (inst->conns != NULL)
    inst->conns->prev = c;
  inst->conns = c;
  if (inst->stopping)
    shutdown (fd, SHUT_RDWR);
  g_mutex_unlock (&inst->lock);

  return c;
}

static void
conn_unlink_locked (PoolConn *c)
{
  PoolInstance *inst = c->inst;

  if (c->prev != NULL)
    c->prev->next = c->next;
  else if (inst->conns == c)
    inst->conns = c->next;
  if (c->next != NULL)
    c->next->prev = c->prev;
  c->prev = c->next = NULL;
}

/* Closes and frees C; the caller owns it (it is not in the epoll set's
 * ready path any more). */
void
pool_engine_conn_free (PoolConn *c)
{
  PoolInstance *inst = c->inst;

  g_mutex_lock (&inst->lock);
  conn_unlink_locked (c);
  g_mutex_unlock (&inst->lock);

  if (c->sub != NULL)
    {
      tradeoff_chat_hub_unsubscribe (inst->engine->hub, c->sub);
      g_clear_pointer (&c->sub, tradeoff_chat_subscriber_unref);
    }
  if (c->efd >= 0)
    close (c->efd);
  if (c->fd >= 0)
    close (c->fd);
  g_free (c->buf);
  g_free (c);
}

/* per-request mode: the dispatcher may still hold an event that points to C
 * (returned by epoll_wait before C left the set), so a worker closes the
 * sockets at once but leaves the memory for the dispatcher to free after its
 * current batch. */
void
pool_engine_conn_retire (PoolConn *c)
{
  PoolInstance *inst = c->inst;

  epoll_ctl (inst->epfd, EPOLL_CTL_DEL, c->fd, NULL);
  if (c->efd >= 0)
    epoll_ctl (inst->epfd, EPOLL_CTL_DEL, c->efd, NULL);
  if (c->sub != NULL)
    {
      tradeoff_chat_hub_unsubscribe (inst->engine->hub, c->sub);
      g_clear_pointer (&c->sub, tradeoff_chat_subscriber_unref);
    }
  if (c->efd >= 0)
    close (c->efd);
  close (c->fd);
  c->efd = c->fd = -1;
  g_clear_pointer (&c->buf, g_free);

  g_mutex_lock (&inst->lock);
  conn_unlink_locked (c);
  c->state = CONN_DEAD;
  inst->dead = g_slist_prepend (inst->dead, c);
  g_mutex_unlock (&inst->lock);
}

void
pool_engine_free_dead (PoolInstance *inst)
{
  GSList *dead;

  g_mutex_lock (&inst->lock);
  dead = g_steal_pointer (&inst->dead);
  g_mutex_unlock (&inst->lock);
  g_slist_free_full (dead, g_free);
}

/* Blocking I/O, always without the GIL */

static gboolean
send_iov (PoolConn     *c,
          struct iovec *iov,
          int           iovcnt)
{
  TradeoffGil *gil = c->inst->gil;
  gboolean ok = TRUE;

  tradeoff_gil_release (gil);
  while (iovcnt > 0)
    {
      struct msghdr msg = { 0 };
      ssize_t n;

      msg.msg_iov = iov;
      msg.msg_iovlen = MIN (iovcnt, 1024);
      n = sendmsg (c->fd, &msg, MSG_NOSIGNAL);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            {
              struct pollfd pfd = { c->fd, POLLOUT, 0 };

              (void) poll (&pfd, 1, 1000);
              if (is_stopping (c->inst))
                {
                  ok = FALSE;
                  break;
                }
              continue;
            }
          ok = FALSE;
          break;
        }
      while (iovcnt > 0 && (gsize) n >= iov->iov_len)
        {
          n -= iov->iov_len;
          iov++;
          iovcnt--;
        }
      if (iovcnt > 0)
        {
          iov->iov_base = (char *) iov->iov_base + n;
          iov->iov_len -= n;
        }
    }
  tradeoff_gil_acquire (gil);
  return ok;
}

gboolean
pool_engine_send_bytes (PoolConn   *c,
                        const char *data,
                        gsize       len)
{
  struct iovec iov = { (void *) data, len };

  return send_iov (c, &iov, 1);
}

/* Sends HEAD then BODY_LEN filler bytes (optionally framed as one chunk). */
gboolean
pool_engine_send_with_filler (PoolConn   *c,
                              const char *head,
                              gsize       head_len,
                              guint64     body_len,
                              gboolean    chunk_trailer)
{
  gsize filler_len;
  const char *filler = tradeoff_wire_filler (&filler_len);
  guint n_iov = 2 + (guint) ((body_len + filler_len - 1) / filler_len);
  g_autofree struct iovec *iov = g_new (struct iovec, n_iov);
  guint n = 0;

  iov[n++] = (struct iovec) { (void *) head, head_len };
  while (body_len > 0)
    {
      gsize piece = MIN (body_len, filler_len);

      iov[n++] = (struct iovec) { (void *) filler, piece };
      body_len -= piece;
    }
  if (chunk_trailer)
    iov[n++] = (struct iovec) { (void *) "\r\n", 2 };

  return send_iov (c, iov, n);
}

/* Sleeps until DEADLINE (monotonic µs) without the GIL; FALSE if stopping. */
gboolean
pool_engine_sleep_until (PoolInstance *inst,
                         gint64        deadline)
{
  TradeoffGil *gil = inst->gil;
  gboolean ok = TRUE;

  tradeoff_gil_release (gil);
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      struct pollfd pfd = { inst->stop_fd, POLLIN, 0 };
      struct timespec ts;

      if (now >= deadline)
        break;
      ts.tv_sec = (deadline - now) / G_USEC_PER_SEC;
      ts.tv_nsec = ((deadline - now) % G_USEC_PER_SEC) * 1000;
      if (ppoll (&pfd, 1, &ts, NULL) > 0)
        {
          ok = FALSE;
          break;
        }
    }
  tradeoff_gil_acquire (gil);
  return ok;
}

/* After a final reply: stop sending, then read and discard for a moment so
 * that closing with unread input does not reset the connection before the
 * client has read the reply. */
void
pool_engine_linger (PoolConn *c)
{
  TradeoffGil *gil = c->inst->gil;
  gint64 deadline = g_get_monotonic_time () + LINGER_US;
  char scratch[4096];

  tradeoff_gil_release (gil);
  shutdown (c->fd, SHUT_WR);
  for (;;)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      struct pollfd pfd = { c->fd, POLLIN, 0 };

      if (left <= 0 || poll (&pfd, 1, (int) (left / 1000) + 1) <= 0)
        break;
      if (recv (c->fd, scratch, sizeof scratch, MSG_DONTWAIT) <= 0)
        break;
    }
  tradeoff_gil_acquire (gil);
}

/* Reads what is available into the connection's buffer. Returns the number of
 * bytes read, 0 at end of stream or on error, -1 if nothing was available. */
gssize
pool_engine_conn_read (PoolConn *c,
                       gboolean  blocking)
{
  TradeoffGil *gil = c->inst->gil;
  gssize n;

  if (c->cap - c->len < READ_CHUNK / 4)
    {
      gsize cap = MAX (c->cap * 2, INITIAL_BUFFER);

      while (cap - c->len < READ_CHUNK / 4)
        cap *= 2;
      cap = MIN (cap, TRADEOFF_ENGINE_MAX_BUFFER);
      if (cap <= c->len)
        return 0;
      c->buf = g_realloc (c->buf, cap);
      c->cap = cap;
    }

  tradeoff_gil_release (gil);
  do
    n = recv (c->fd, c->buf + c->len, c->cap - c->len, blocking ? 0 : MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  tradeoff_gil_acquire (gil);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return -1;
  if (n <= 0)
    return 0;
  c->len += n;
  c->last_active_us = g_get_monotonic_time ();
  return n;
}
