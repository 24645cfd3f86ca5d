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
 * polls or sleeps, and shutdown() on each open socket unblocks recv and send. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tradeoff-cpu-work.h"
#include "tradeoff-engine-private.h"
#include "tradeoff-gil.h"

#define INITIAL_BUFFER   4096
#define READ_CHUNK       16384
#define LINGER_US        (500 * 1000)
#define TAG_SOCKET       0
#define TAG_EVENTFD      1
#define TAG_MASK         ((guintptr) 1)

typedef struct _PoolInstance PoolInstance;
typedef struct _PoolConn     PoolConn;

typedef enum
{
  HANDLED_KEEP,
  HANDLED_CLOSE,
  HANDLED_SUBSCRIBED,
} Handled;

typedef enum
{
  CONN_IDLE,
  CONN_BUSY,
  CONN_DEAD,
} ConnState;

struct _PoolConn
{
  int                     fd;
  int                     efd;          /* subscriber wake-up, or -1 */
  PoolInstance           *inst;
  PoolConn               *prev;
  PoolConn               *next;
  char                   *buf;
  gsize                   len;
  gsize                   cap;
  TradeoffHttpParser      parser;
  TradeoffChatSubscriber *sub;
  gint64                  last_active_us;
  ConnState               state;
};

struct _PoolInstance
{
  TradeoffPoolEngine *engine;
  int                 listen_fd;
  int                 stop_fd;          /* eventfd, readable once stopping */
  int                 spare_fd;         /* given up to shed a connection when out of descriptors */
  int                 epfd;             /* per-request */
  TradeoffGil        *gil;
  GThread            *front;            /* acceptor or dispatcher */
  GPtrArray          *workers;

  GMutex              lock;             /* guards everything below */
  GCond               cond;
  GQueue              queue;            /* PoolConn, ready for a worker */
  PoolConn           *conns;            /* every open connection */
  GSList             *dead;             /* per-request: closed, freed by the dispatcher */
  gboolean            stopping;
};

struct _TradeoffPoolEngine
{
  TradeoffEngineOptions options;
  TradeoffChatHub      *hub;
  GPtrArray            *instances;
  gboolean              stopped;
};

static gboolean
is_stopping (PoolInstance *inst)
{
  gboolean stopping;

  g_mutex_lock (&inst->lock);
  stopping = inst->stopping;
  g_mutex_unlock (&inst->lock);
  return stopping;
}

/* Connections */

static PoolConn *
conn_new (PoolInstance *inst,
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
static void
conn_free (PoolConn *c)
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
static void
conn_retire (PoolConn *c)
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

static void
free_dead (PoolInstance *inst)
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

static gboolean
send_bytes (PoolConn   *c,
            const char *data,
            gsize       len)
{
  struct iovec iov = { (void *) data, len };

  return send_iov (c, &iov, 1);
}

/* Sends HEAD then BODY_LEN filler bytes (optionally framed as one chunk). */
static gboolean
send_with_filler (PoolConn   *c,
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
static gboolean
sleep_until (PoolInstance *inst,
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
static void
linger (PoolConn *c)
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
static gssize
conn_read (PoolConn *c,
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

/* Requests: called and returning with the GIL held */

static void
compute (PoolInstance        *inst,
         const TradeoffRoute *route)
{
  if (route->cpu_us == 0)
    return;
  tradeoff_cpu_work_items (route->items, route->cpu_us,
                           inst->gil != NULL ? tradeoff_gil_checkpoint : NULL, inst->gil);
}

static gboolean
serve_stream (PoolConn            *c,
              const TradeoffRoute *route)
{
  char head[TRADEOFF_WIRE_HEAD_MAX];
  gsize head_len = tradeoff_wire_format_head (head, 200, "application/octet-stream", -1,
                                              route->keep_alive);
  gint64 start = g_get_monotonic_time ();
  guint64 sent = 0;

  if (!send_bytes (c, head, head_len))
    return FALSE;

  /* Chunk i is due at start + i * chunk / rate: a fixed schedule. A slow
   * reader blocks the send, and the schedule catches up afterwards. */
  while (sent < route->stream_bytes)
    {
      guint64 len = MIN (route->stream_chunk, route->stream_bytes - sent);
      char chunk_head[24];
      gsize chunk_head_len = tradeoff_wire_format_chunk_head (chunk_head, len);

      if (route->stream_rate > 0)
        {
          guint64 index = sent / route->stream_chunk;
          gint64 due = start + (gint64) ((double) index * route->stream_chunk * 1e6 / route->stream_rate);

          if (!sleep_until (c->inst, due))
            return FALSE;
        }
      if (!send_with_filler (c, chunk_head, chunk_head_len, len, TRUE))
        return FALSE;
      sent += len;
    }

  return send_bytes (c, TRADEOFF_WIRE_CHUNK_END, strlen (TRADEOFF_WIRE_CHUNK_END));
}

static void
notify_eventfd (TradeoffChatSubscriber *sub,
                gpointer                user_data)
{
  PoolConn *c = user_data;
  guint64 one = 1;

  (void) !write (c->efd, &one, sizeof one);
}

/* Sends every queued message; FALSE when the subscriber has gone. */
static gboolean
subscriber_flush (PoolConn *c)
{
  guint64 count;
  GBytes *message;

  (void) !read (c->efd, &count, sizeof count);
  while ((message = tradeoff_chat_subscriber_pop (c->sub)) != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (message, &size);
      gboolean ok = send_bytes (c, data, size);

      g_bytes_unref (message);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static Handled
handle_request (PoolConn      *c,
                TradeoffRoute *route)
{
  PoolInstance *inst = c->inst;
  char head[TRADEOFF_WIRE_HEAD_MAX];
  gsize head_len;
  gboolean ok = TRUE;

  switch (route->kind)
    {
    case TRADEOFF_ROUTE_HEALTH:
      head_len = tradeoff_wire_format_head (head, 200, "text/plain", 2, route->keep_alive);
      if (!route->head_only)
        {
          memcpy (head + head_len, "ok", 2);
          head_len += 2;
        }
      ok = send_bytes (c, head, head_len);
      break;

    case TRADEOFF_ROUTE_ERROR:
      head_len = tradeoff_wire_format_error (head, route->status, route->reason, route->keep_alive);
      ok = send_bytes (c, head, head_len);
      if (route->status != 404 && route->status != 405)
        {
          if (ok)
            linger (c);
          return HANDLED_CLOSE;
        }
      break;

    case TRADEOFF_ROUTE_WORK:
      compute (inst, route);
      if (route->wait_us > 0 && !sleep_until (inst, g_get_monotonic_time () + route->wait_us))
        return HANDLED_CLOSE;
      head_len = tradeoff_wire_format_head (head, 200, "application/octet-stream",
                                            route->reply_bytes, route->keep_alive);
      ok = send_with_filler (c, head, head_len, route->reply_bytes, FALSE);
      break;

    case TRADEOFF_ROUTE_STREAM:
      ok = serve_stream (c, route);
      break;

    case TRADEOFF_ROUTE_CHAT_PUBLISH:
      {
        g_autoptr(GBytes) message = tradeoff_chat_message_new (route->body, route->body_len);

        compute (inst, route);
        tradeoff_chat_hub_publish (inst->engine->hub, route->room, message);
        head_len = tradeoff_wire_format_head (head, 204, NULL, 0, route->keep_alive);
        ok = send_bytes (c, head, head_len);
      }
      break;

    case TRADEOFF_ROUTE_CHAT_SUBSCRIBE:
      c->efd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
      if (c->efd < 0)
        return HANDLED_CLOSE;
      /* Subscribe first, then answer: once the client has the headers, it
       * is subscribed. */
      c->sub = tradeoff_chat_hub_subscribe (inst->engine->hub, route->room, notify_eventfd, c);
      head_len = tradeoff_wire_format_head (head, 200, "text/event-stream", -1, TRUE);
      if (!send_bytes (c, head, head_len))
        return HANDLED_CLOSE;
      return HANDLED_SUBSCRIBED;

    default:
      g_assert_not_reached ();
    }

  if (!ok)
    return HANDLED_CLOSE;
  if (!route->keep_alive)
    {
      linger (c);
      return HANDLED_CLOSE;
    }
  return HANDLED_KEEP;
}

/* Parses and answers every complete request in the buffer. */
static Handled
handle_buffered (PoolConn *c)
{
  for (;;)
    {
      TradeoffHttpRequest request;
      TradeoffRoute route;
      TradeoffHttpParseStatus status;
      Handled handled;

      if (c->len == 0)
        return HANDLED_KEEP;

      status = tradeoff_http_parser_execute (&c->parser, c->buf, c->len, &request);
      if (status == TRADEOFF_HTTP_PARSE_INCOMPLETE)
        {
          if (tradeoff_http_parser_take_continue (&c->parser)
              && !send_bytes (c, TRADEOFF_WIRE_CONTINUE, strlen (TRADEOFF_WIRE_CONTINUE)))
            return HANDLED_CLOSE;
          return HANDLED_KEEP;
        }
      if (status == TRADEOFF_HTTP_PARSE_ERROR)
        {
          memset (&route, 0, sizeof route);
          route.kind = TRADEOFF_ROUTE_ERROR;
          route.status = request.error_status;
          route.reason = request.error_reason;
          route.keep_alive = FALSE;
          handle_request (c, &route);
          return HANDLED_CLOSE;
        }

      tradeoff_wire_route (&request, &route);
      tradeoff_http_parser_reset (&c->parser);
      handled = handle_request (c, &route);
      memmove (c->buf, c->buf + request.total_len, c->len - request.total_len);
      c->len -= request.total_len;
      if (handled != HANDLED_KEEP)
        return handled;
    }
}

/* per-connection mode */

static void
serve_subscriber_blocking (PoolConn *c)
{
  PoolInstance *inst = c->inst;
  char scratch[1024];

  for (;;)
    {
      struct pollfd pfds[3] = {
        { c->fd, POLLIN, 0 },
        { c->efd, POLLIN, 0 },
        { inst->stop_fd, POLLIN, 0 },
      };
      int r;

      tradeoff_gil_release (inst->gil);
      r = poll (pfds, 3, -1);
      tradeoff_gil_acquire (inst->gil);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0 || pfds[2].revents != 0)
        return;
      if (pfds[1].revents != 0 && !subscriber_flush (c))
        return;
      if (pfds[0].revents != 0)
        {
          ssize_t n = recv (c->fd, scratch, sizeof scratch, MSG_DONTWAIT);

          if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            return;
        }
    }
}

/* A blocking recv waits for the next request: SO_RCVTIMEO is the idle
 * timeout, and stopping shuts the socket down, which ends the recv. */
static void
serve_connection (PoolConn *c)
{
  PoolInstance *inst = c->inst;
  guint timeout_s = inst->engine->options.idle_timeout_s;

  if (timeout_s > 0)
    {
      struct timeval tv = { timeout_s, 0 };

      setsockopt (c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

  tradeoff_gil_acquire (inst->gil);
  for (;;)
    {
      Handled handled;

      if (conn_read (c, TRUE) <= 0)
        break;

      handled = handle_buffered (c);
      if (handled == HANDLED_CLOSE)
        break;
      if (handled == HANDLED_SUBSCRIBED)
        {
          serve_subscriber_blocking (c);
          break;
        }
    }
  tradeoff_gil_release (inst->gil);
  conn_free (c);
}

/* The next connection a worker should serve, or NULL once stopping. */
static PoolConn *
next_queued (PoolInstance *inst)
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

static gpointer
connection_worker_main (gpointer data)
{
  PoolInstance *inst = data;

  PoolConn *c;

  while ((c = next_queued (inst)) != NULL)
    serve_connection (c);

  return NULL;
}

/* Accepts one connection. Out of descriptors, a waiting connection would
 * keep the listening socket readable, and every wake-up would fail the
 * same way: give up the spare descriptor kept for this, accept the
 * connection and close it at once (its client sees the close instead of
 * hanging in the backlog), then take the spare back. libuv does the same
 * for the loop engine. */
static int
accept_one (PoolInstance *inst)
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

      fd = accept_one (inst);
      if (fd < 0)
        continue;

      tradeoff_gil_acquire (inst->gil);
      c = conn_new (inst, fd);
      g_mutex_lock (&inst->lock);
      g_queue_push_tail (&inst->queue, c);
      g_cond_signal (&inst->cond);
      g_mutex_unlock (&inst->lock);
      tradeoff_gil_release (inst->gil);
    }
}

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

      if (!subscriber_flush (c))
        close_it = TRUE;
      n = recv (c->fd, scratch, sizeof scratch, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        close_it = TRUE;
    }
  else
    {
      gssize n;

      while ((n = conn_read (c, FALSE)) > 0)
        {
          Handled handled = handle_buffered (c);

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
      conn_retire (c);
      return;
    }
  rearm (c);
}

static gpointer
request_worker_main (gpointer data)
{
  PoolInstance *inst = data;

  PoolConn *c;

  while ((c = next_queued (inst)) != NULL)
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

      fd = accept_one (inst);
      if (fd < 0)
        return;
      c = conn_new (inst, fd);
      c->state = CONN_IDLE;
      ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
      ev.data.u64 = (guintptr) c | TAG_SOCKET;
      /* Held: a worker must not free C before it is in the set. */
      g_mutex_lock (&inst->lock);
      if (epoll_ctl (inst->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
        {
          g_mutex_unlock (&inst->lock);
          conn_free (c);
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

  g_slist_free_full (expired, (GDestroyNotify) conn_free);
}

static gpointer
dispatcher_main (gpointer data)
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

      free_dead (inst);
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

/* Lifecycle */

static gboolean
instance_start (PoolInstance  *inst,
                GError       **error)
{
  TradeoffEngineOptions *options = &inst->engine->options;
  gboolean per_request = options->connection_mode == TRADEOFF_CONNECTION_PER_REQUEST;
  GThreadFunc worker_main = per_request ? request_worker_main : connection_worker_main;

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
                                  per_request ? dispatcher_main : acceptor_main, inst, error);
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
    conn_free (inst->conns);
  free_dead (inst);
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
