/* tradeoff-pool-engine-request.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pool engine's requests, parsed and answered by a worker holding the
 * GIL (/work, streams, chat publish and subscribe), and per-connection
 * mode's workers, which serve one connection each on a blocking socket. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tradeoff-cpu-work.h"
#include "tradeoff-pool-engine-private.h"

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

  if (!pool_engine_send_bytes (c, head, head_len))
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

          if (!pool_engine_sleep_until (c->inst, due))
            return FALSE;
        }
      if (!pool_engine_send_with_filler (c, chunk_head, chunk_head_len, len, TRUE))
        return FALSE;
      sent += len;
    }

  return pool_engine_send_bytes (c, TRADEOFF_WIRE_CHUNK_END, strlen (TRADEOFF_WIRE_CHUNK_END));
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
gboolean
pool_engine_subscriber_flush (PoolConn *c)
{
  guint64 count;
  GBytes *message;

  (void) !read (c->efd, &count, sizeof count);
  while ((message = tradeoff_chat_subscriber_pop (c->sub)) != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (message, &size);
      gboolean ok = pool_engine_send_bytes (c, data, size);

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
      ok = pool_engine_send_bytes (c, head, head_len);
      break;

    case TRADEOFF_ROUTE_ERROR:
      head_len = tradeoff_wire_format_error (head, route->status, route->reason, route->keep_alive);
      ok = pool_engine_send_bytes (c, head, head_len);
      if (route->status != 404 && route->status != 405)
        {
          if (ok)
            pool_engine_linger (c);
          return HANDLED_CLOSE;
        }
      break;

    case TRADEOFF_ROUTE_WORK:
      compute (inst, route);
      if (route->wait_us > 0
          && !pool_engine_sleep_until (inst, g_get_monotonic_time () + route->wait_us))
        return HANDLED_CLOSE;
      head_len = tradeoff_wire_format_head (head, 200, "application/octet-stream",
                                            route->reply_bytes, route->keep_alive);
      ok = pool_engine_send_with_filler (c, head, head_len, route->reply_bytes, FALSE);
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
        ok = pool_engine_send_bytes (c, head, head_len);
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
      if (!pool_engine_send_bytes (c, head, head_len))
        return HANDLED_CLOSE;
      return HANDLED_SUBSCRIBED;

    default:
      g_assert_not_reached ();
    }

  if (!ok)
    return HANDLED_CLOSE;
  if (!route->keep_alive)
    {
      pool_engine_linger (c);
      return HANDLED_CLOSE;
    }
  return HANDLED_KEEP;
}

/* Parses and answers every complete request in the buffer. */
Handled
pool_engine_handle_buffered (PoolConn *c)
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
              && !pool_engine_send_bytes (c, TRADEOFF_WIRE_CONTINUE,
                                          strlen (TRADEOFF_WIRE_CONTINUE)))
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
      if (pfds[1].revents != 0 && !pool_engine_subscriber_flush (c))
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

      if (pool_engine_conn_read (c, TRUE) <= 0)
        break;

      handled = pool_engine_handle_buffered (c);
      if (handled == HANDLED_CLOSE)
        break;
      if (handled == HANDLED_SUBSCRIBED)
        {
          serve_subscriber_blocking (c);
          break;
        }
    }
  tradeoff_gil_release (inst->gil);
  pool_engine_conn_free (c);
}

gpointer
pool_engine_connection_worker_main (gpointer data)
{
  PoolInstance *inst = data;

  PoolConn *c;

  while ((c = pool_engine_next_queued (inst)) != NULL)
    serve_connection (c);

  return NULL;
}
