/* tradeoff-loop-engine.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The event-loop engine: Node.js's architecture on Node.js's own loop.
 *
 * Each instance is one thread running one libuv loop with its own listening
 * socket; several instances share the port through SO_REUSEPORT, as cluster
 * mode's processes do. Sockets are non-blocking; an I/O wait is a uv_timer
 * (millisecond resolution, like setTimeout); CPU work runs on the loop thread
 * and blocks every other connection of that instance, exactly as synchronous
 * JavaScript does. With offload workers, CPU work goes to the instance's own
 * threads through one mutex + condition variable queue and comes back through
 * a uv_async, like worker_threads.
 *
 * Reads land in one per-instance buffer and are parsed in place; only the
 * unfinished tail of a request is copied into the connection, so an idle
 * keep-alive connection costs a few hundred bytes. Responses go out with
 * uv_try_write, falling back to a queued uv_write only when the socket is
 * full. Writes are bounded: a stream or a chat subscriber does not queue more
 * until the previous bytes have left, so a slow reader makes the server wait
 * instead of buffering without bound. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <uv.h>

#include <glib/gi18n.h>

#include "tradeoff-cpu-work.h"
#include "tradeoff-engine-private.h"

#define READ_BUFFER_SIZE     (64 * 1024)
#define WRITE_BOUND          (64 * 1024)
#define LINGER_MS            2000
#define IDLE_SCAN_MS         1000

typedef struct _LoopInstance LoopInstance;
typedef struct _LoopConn     LoopConn;

typedef struct
{
  LoopConn *conn;
  guint64   cpu_us;
  guint64   items;
} OffloadJob;

struct _LoopConn
{
  uv_tcp_t                tcp;
  uv_timer_t              timer;
  uv_shutdown_t           shutdown_req;
  LoopInstance           *inst;
  LoopConn               *prev;
  LoopConn               *next;

  char                   *buf;          /* unconsumed input, when a request is split */
  gsize                   len;
  gsize                   cap;
  TradeoffHttpParser      parser;
  guint64                 last_active_ms;

  TradeoffRoute           route;        /* the request in progress, when busy */
  GBytes                 *message;      /* chat publish waiting for its CPU work */
  TradeoffChatSubscriber *sub;

  guint64                 stream_sent;
  guint64                 stream_start_ns;

  guint                   open_handles;
  guint                   jobs;
  guint                   busy : 1;
  guint                   closing : 1;
  guint                   draining : 1;
  guint                   read_stopped : 1;
  guint                   stream_waiting : 1;
  guint                   consuming : 1;
};

struct _LoopInstance
{
  TradeoffLoopEngine *engine;
  int                 listen_fd;
  GThread            *thread;
  uv_loop_t           loop;
  uv_tcp_t            listener;
  uv_async_t          stop_async;
  uv_async_t          wake_async;
  uv_timer_t          idle_timer;
  char               *read_buf;
  LoopConn           *conns;
  GHashTable         *subscribers;     /* TradeoffChatSubscriber -> LoopConn */

  /* Offload workers, fed by one mutex + condvar queue. */
  GMutex              work_lock;
  GCond               work_cond;
  GQueue              work_queue;
  gboolean            work_stopping;
  GPtrArray          *workers;

  /* Completions and chat notifications from other threads. */
  GMutex              wake_lock;
  GQueue              done_jobs;
  GPtrArray          *notified;

  guint               loop_ready : 1;
  guint               stopped : 1;
};

struct _TradeoffLoopEngine
{
  TradeoffEngineOptions options;
  TradeoffChatHub      *hub;
  GPtrArray            *instances;
};

typedef struct
{
  uv_write_t req;
  LoopConn  *conn;
  GBytes    *hold;
  uv_buf_t  *heap_bufs;
  gsize      copy_len;
  char       copy[];
} WriteReq;

static void conn_close           (LoopConn *c);
static void conn_process_buffer  (LoopConn *c);
static void conn_finish_request  (LoopConn *c);
static void stream_pump          (LoopConn *c);
static void subscriber_drain     (LoopConn *c);

static inline uv_stream_t *
conn_stream (LoopConn *c)
{
  return (uv_stream_t *) &c->tcp;
}

static void
conn_maybe_free (LoopConn *c)
{
  if (c->open_handles > 0 || c->jobs > 0)
    return;

  g_clear_pointer (&c->message, g_bytes_unref);
  g_free (c->buf);
  g_free (c);
}

static void
on_conn_handle_closed (uv_handle_t *handle)
{
  LoopConn *c = handle->data;

  c->open_handles--;
  conn_maybe_free (c);
}

static void
conn_close (LoopConn *c)
{
  LoopInstance *inst = c->inst;

  if (c->closing)
    return;
  c->closing = TRUE;

  if (c->prev != NULL)
    c->prev->next = c->next;
  else
    inst->conns = c->next;
  if (c->next != NULL)
    c->next->prev = c->prev;
  c->prev = c->next = NULL;

  if (c->sub != NULL)
    {
      g_hash_table_remove (inst->subscribers, c->sub);
      tradeoff_chat_hub_unsubscribe (inst->engine->hub, c->sub);
      g_clear_pointer (&c->sub, tradeoff_chat_subscriber_unref);
    }

  uv_close ((uv_handle_t *) &c->tcp, on_conn_handle_closed);
  uv_close ((uv_handle_t *) &c->timer, on_conn_handle_closed);
}

/* Writing */

static void
on_write_done (uv_write_t *req,
               int         status)
{
  WriteReq *w = (WriteReq *) req;
  LoopConn *c = w->conn;

  g_clear_pointer (&w->hold, g_bytes_unref);
  g_free (w->heap_bufs);
  g_free (w);

  if (c->closing)
    return;
  if (status < 0)
    {
      conn_close (c);
      return;
    }

  if (c->stream_waiting && uv_stream_get_write_queue_size (conn_stream (c)) < WRITE_BOUND)
    {
      c->stream_waiting = FALSE;
      stream_pump (c);
    }
  else if (c->sub != NULL)
    {
      subscriber_drain (c);
    }
}

/* Writes HEAD (copied if it cannot go out at once) followed by BODY, whose
 * bytes must outlive the write: static, or owned by HOLD (taken). */
static void
conn_write (LoopConn       *c,
            const char     *head,
            gsize           head_len,
            const uv_buf_t *body,
            guint           n_body,
            GBytes         *hold)
{
  uv_buf_t small[18];
  g_autofree uv_buf_t *big = NULL;
  uv_buf_t *bufs = small;
  guint n = 0;
  gsize total = 0;
  gsize skip = 0;
  WriteReq *w;
  guint first;
  int r;

  if (c->closing)
    {
      g_clear_pointer (&hold, g_bytes_unref);
      return;
    }

  if (n_body + 1 > G_N_ELEMENTS (small))
    bufs = big = g_new (uv_buf_t, n_body + 1);
  if (head_len > 0)
    bufs[n++] = uv_buf_init ((char *) head, head_len);
  for (guint i = 0; i < n_body; i++)
    bufs[n++] = body[i];
  for (guint i = 0; i < n; i++)
    total += bufs[i].len;

  if (uv_stream_get_write_queue_size (conn_stream (c)) == 0)
    {
      r = uv_try_write (conn_stream (c), bufs, n);
      if (r < 0 && r != UV_EAGAIN)
        {
          g_clear_pointer (&hold, g_bytes_unref);
          conn_close (c);
          return;
        }
      if (r > 0)
        skip = r;
      if (skip == total)
        {
          g_clear_pointer (&hold, g_bytes_unref);
          return;
        }
    }

  /* Queue what is left. Skip the bytes already sent. */
  first = 0;
  while (skip > 0 && skip >= bufs[first].len)
    skip -= bufs[first++].len;
  bufs[first].base += skip;
  bufs[first].len -= skip;

  {
    gsize copy_len = (head_len > 0 && first == 0) ? bufs[0].len : 0;

    w = g_malloc (sizeof (WriteReq) + copy_len);
    w->conn = c;
    w->hold = hold;
    w->heap_bufs = NULL;
    w->copy_len = copy_len;
    if (copy_len > 0)
      {
        memcpy (w->copy, bufs[0].base, copy_len);
        bufs[0].base = w->copy;
      }
  }

  r = uv_write (&w->req, conn_stream (c), bufs + first, n - first, on_write_done);
  if (r < 0)
    {
      g_clear_pointer (&w->hold, g_bytes_unref);
      g_free (w);
      conn_close (c);
    }
}

static guint
filler_bufs (uv_buf_t *bufs,
             guint     max_bufs,
             guint64   bytes)
{
  gsize filler_len;
  const char *filler = tradeoff_wire_filler (&filler_len);
  guint n = 0;

  while (bytes > 0 && n < max_bufs)
    {
      gsize piece = MIN (bytes, filler_len);

      bufs[n++] = uv_buf_init ((char *) filler, piece);
      bytes -= piece;
    }
  return n;
}

static void
on_linger_timeout (uv_timer_t *timer)
{
  conn_close (timer->data);
}

static void
on_shutdown_done (uv_shutdown_t *req,
                  int            status)
{
  LoopConn *c = req->data;

  if (c->closing)
    return;
  if (status < 0)
    {
      conn_close (c);
      return;
    }
  /* Keep reading (and discarding) for a moment so that closing with unread
   * input does not reset the connection before the client reads our reply. */
  uv_timer_start (&c->timer, on_linger_timeout, LINGER_MS, 0);
}

static void on_alloc (uv_handle_t *handle,
                      size_t       suggested,
                      uv_buf_t    *buf);
static void on_read  (uv_stream_t *stream,
                      ssize_t      nread,
                      const uv_buf_t *buf);

static void
conn_close_after_write (LoopConn *c)
{
  if (c->closing || c->draining)
    return;
  c->draining = TRUE;
  c->busy = TRUE;
  uv_timer_stop (&c->timer);
  if (c->read_stopped)
    {
      c->read_stopped = FALSE;
      uv_read_start (conn_stream (c), on_alloc, on_read);
    }
  c->shutdown_req.data = c;
  if (uv_shutdown (&c->shutdown_req, conn_stream (c), on_shutdown_done) < 0)
    conn_close (c);
}

static void
conn_respond (LoopConn   *c,
              guint       status,
              const char *content_type,
              const char *body,
              guint64     body_len,
              gboolean    keep_alive)
{
  char head[TRADEOFF_WIRE_HEAD_MAX];
  gsize head_len = tradeoff_wire_format_head (head, status, content_type, body_len, keep_alive);
  guint n_bufs = body != NULL ? 1 : (guint) ((body_len + 65535) / 65536);
  uv_buf_t small[16];
  g_autofree uv_buf_t *big = NULL;
  uv_buf_t *bufs = small;
  guint n = 0;

  if (n_bufs > G_N_ELEMENTS (small))
    bufs = big = g_new (uv_buf_t, n_bufs);
  if (body != NULL)
    bufs[n++] = uv_buf_init ((char *) body, body_len);
  else
    n = filler_bufs (bufs, n_bufs, body_len);

  conn_write (c, head, head_len, bufs, n, NULL);
  if (!keep_alive)
    conn_close_after_write (c);
}

static void
conn_respond_error (LoopConn   *c,
                    guint       status,
                    const char *reason,
                    gboolean    keep_alive)
{
  char buf[TRADEOFF_WIRE_HEAD_MAX];
  gsize len = tradeoff_wire_format_error (buf, status, reason, keep_alive);

  conn_write (c, buf, len, NULL, 0, NULL);
  if (!keep_alive || (status != 404 && status != 405))
    conn_close_after_write (c);
}

/* Requests */

static void
on_wait_done (uv_timer_t *timer)
{
  LoopConn *c = timer->data;

  conn_finish_request (c);
}

/* Called once the CPU part of /work or a chat publish is done. */
static void
conn_after_cpu (LoopConn *c)
{
  if (c->route.kind == TRADEOFF_ROUTE_WORK && c->route.wait_us > 0)
    {
      guint64 ms = (c->route.wait_us + 999) / 1000;

      /* The loop's clock was read before the CPU work: the wait starts now. */
      if (c->route.cpu_us > 0)
        uv_update_time (&c->inst->loop);
      uv_timer_start (&c->timer, on_wait_done, ms, 0);
      return;
    }
  conn_finish_request (c);
}

static void
conn_finish_request (LoopConn *c)
{
  TradeoffRoute *route = &c->route;
  gboolean keep_alive = route->keep_alive;

  if (c->closing)
    return;

  if (route->kind == TRADEOFF_ROUTE_WORK)
    {
      conn_respond (c, 200, "application/octet-stream", NULL, route->reply_bytes, keep_alive);
    }
  else if (route->kind == TRADEOFF_ROUTE_CHAT_PUBLISH)
    {
      tradeoff_chat_hub_publish (c->inst->engine->hub, route->room, c->message);
      g_clear_pointer (&c->message, g_bytes_unref);
      conn_respond (c, 204, NULL, "", 0, keep_alive);
    }

  if (c->closing || c->draining)
    return;

  c->busy = FALSE;
  if (!c->consuming)
    conn_process_buffer (c);
}

static gboolean
conn_offload (LoopConn *c)
{
  LoopInstance *inst = c->inst;
  OffloadJob *job;

  if (inst->workers == NULL || inst->workers->len == 0)
    return FALSE;

  job = g_new0 (OffloadJob, 1);
  job->conn = c;
  job->cpu_us = c->route.cpu_us;
  job->items = c->route.items;
  c->jobs++;

  g_mutex_lock (&inst->work_lock);
  g_queue_push_tail (&inst->work_queue, job);
  g_cond_signal (&inst->work_cond);
  g_mutex_unlock (&inst->work_lock);
  return TRUE;
}

static void
conn_begin_stream (LoopConn *c)
{
  char head[TRADEOFF_WIRE_HEAD_MAX];
  gsize head_len = tradeoff_wire_format_head (head, 200, "application/octet-stream", -1,
                                              c->route.keep_alive);

  c->stream_sent = 0;
  c->stream_start_ns = uv_hrtime ();
  conn_write (c, head, head_len, NULL, 0, NULL);
  if (!c->closing)
    stream_pump (c);
}

static void
on_stream_timer (uv_timer_t *timer)
{
  stream_pump (timer->data);
}

/* Chunk i is due at start + i * chunk / rate: a fixed schedule, so a late
 * chunk does not push every later one back. */
static void
stream_pump (LoopConn *c)
{
  TradeoffRoute *route = &c->route;

  while (!c->closing && c->stream_sent < route->stream_bytes)
    {
      char head[24];
      gsize head_len;
      uv_buf_t bufs[20];
      guint n;
      guint64 len;

      if (uv_stream_get_write_queue_size (conn_stream (c)) >= WRITE_BOUND)
        {
          c->stream_waiting = TRUE;
          return;
        }

      if (route->stream_rate > 0)
        {
          guint64 index = c->stream_sent / route->stream_chunk;
          guint64 due = c->stream_start_ns
                        + (guint64) ((double) index * route->stream_chunk * 1e9 / route->stream_rate);
          guint64 now = uv_hrtime ();

          if (due > now)
            {
              guint64 ms = (due - now + 999999) / 1000000;

              uv_timer_start (&c->timer, on_stream_timer, ms, 0);
              return;
            }
        }

      len = MIN (route->stream_chunk, route->stream_bytes - c->stream_sent);
      head_len = tradeoff_wire_format_chunk_head (head, len);
      n = filler_bufs (bufs, 18, len);
      bufs[n++] = uv_buf_init ((char *) "\r\n", 2);
      c->stream_sent += len;
      conn_write (c, head, head_len, bufs, n, NULL);
    }

  if (c->closing)
    return;

  conn_write (c, TRADEOFF_WIRE_CHUNK_END, strlen (TRADEOFF_WIRE_CHUNK_END), NULL, 0, NULL);
  if (!c->route.keep_alive)
    {
      conn_close_after_write (c);
      return;
    }
  c->busy = FALSE;
  if (!c->consuming)
    conn_process_buffer (c);
}

static void
on_chat_notify (TradeoffChatSubscriber *sub,
                gpointer                user_data)
{
  LoopInstance *inst = user_data;

  g_mutex_lock (&inst->wake_lock);
  g_ptr_array_add (inst->notified, tradeoff_chat_subscriber_ref (sub));
  g_mutex_unlock (&inst->wake_lock);
  uv_async_send (&inst->wake_async);
}

static void
subscriber_drain (LoopConn *c)
{
  while (!c->closing && uv_stream_get_write_queue_size (conn_stream (c)) < WRITE_BOUND)
    {
      GBytes *message = tradeoff_chat_subscriber_pop (c->sub);
      uv_buf_t buf;
      gsize size;

      if (message == NULL)
        break;
      buf.base = (char *) g_bytes_get_data (message, &size);
      buf.len = size;
      conn_write (c, NULL, 0, &buf, 1, message);
    }
}

static void
conn_subscribe (LoopConn *c)
{
  LoopInstance *inst = c->inst;
  char head[TRADEOFF_WIRE_HEAD_MAX];
  gsize head_len;

  /* Subscribe first, then answer: once the client has the headers, it is
   * subscribed. */
  c->sub = tradeoff_chat_hub_subscribe (inst->engine->hub, c->route.room, on_chat_notify, inst);
  g_hash_table_insert (inst->subscribers, c->sub, c);
  head_len = tradeoff_wire_format_head (head, 200, "text/event-stream", -1, TRUE);
  conn_write (c, head, head_len, NULL, 0, NULL);
}

/* Handles one routed request; may leave the connection busy. */
static void
conn_handle (LoopConn *c)
{
  TradeoffRoute *route = &c->route;

  switch (route->kind)
    {
    case TRADEOFF_ROUTE_HEALTH:
      if (route->head_only)
        {
          char head[TRADEOFF_WIRE_HEAD_MAX];
          gsize head_len = tradeoff_wire_format_head (head, 200, "text/plain", 2, route->keep_alive);

          conn_write (c, head, head_len, NULL, 0, NULL);
          if (!route->keep_alive)
            conn_close_after_write (c);
          return;
        }
      conn_respond (c, 200, "text/plain", "ok", 2, route->keep_alive);
      return;

    case TRADEOFF_ROUTE_ERROR:
      conn_respond_error (c, route->status, route->reason, route->keep_alive);
      return;

    case TRADEOFF_ROUTE_WORK:
    case TRADEOFF_ROUTE_CHAT_PUBLISH:
      if (route->kind == TRADEOFF_ROUTE_CHAT_PUBLISH)
        {
          c->message = tradeoff_chat_message_new (route->body, route->body_len);
          route->body = NULL;
        }
      c->busy = TRUE;
      if (route->cpu_us > 0 && conn_offload (c))
        return;
      if (route->cpu_us > 0)
        tradeoff_cpu_work_items (route->items, route->cpu_us, NULL, NULL);
      conn_after_cpu (c);
      return;

    case TRADEOFF_ROUTE_STREAM:
      c->busy = TRUE;
      conn_begin_stream (c);
      return;

    case TRADEOFF_ROUTE_CHAT_SUBSCRIBE:
      c->busy = TRUE;
      conn_subscribe (c);
      return;

    default:
      g_assert_not_reached ();
    }
}

/* Parses and handles requests from DATA until one goes asynchronous or the
 * data runs out; returns how many bytes were consumed. */
static gsize
conn_consume (LoopConn   *c,
              const char *data,
              gsize       len)
{
  gsize consumed = 0;

  c->consuming = TRUE;
  while (!c->busy && !c->closing && consumed < len)
    {
      TradeoffHttpRequest request;
      TradeoffHttpParseStatus status;

      status = tradeoff_http_parser_execute (&c->parser, data + consumed, len - consumed, &request);
      if (status == TRADEOFF_HTTP_PARSE_INCOMPLETE)
        {
          if (tradeoff_http_parser_take_continue (&c->parser))
            conn_write (c, TRADEOFF_WIRE_CONTINUE, strlen (TRADEOFF_WIRE_CONTINUE), NULL, 0, NULL);
          break;
        }
      if (status == TRADEOFF_HTTP_PARSE_ERROR)
        {
          conn_respond_error (c, request.error_status, request.error_reason, FALSE);
          consumed = len;
          break;
        }

      tradeoff_wire_route (&request, &c->route);
      tradeoff_http_parser_reset (&c->parser);
      conn_handle (c);
      consumed += request.total_len;
    }
  c->consuming = FALSE;

  return consumed;
}

static void
conn_keep (LoopConn   *c,
           const char *data,
           gsize       len)
{
  if (c->len + len > c->cap)
    {
      c->cap = MAX (MAX (c->cap * 2, c->len + len), 1024);
      c->buf = g_realloc (c->buf, c->cap);
    }
  memmove (c->buf + c->len, data, len);
  c->len += len;
}

static void
conn_process_buffer (LoopConn *c)
{
  gsize consumed;

  if (c->len > 0)
    {
      consumed = conn_consume (c, c->buf, c->len);
      if (consumed > 0 && !c->closing)
        {
          memmove (c->buf, c->buf + consumed, c->len - consumed);
          c->len -= consumed;
        }
      if (c->len == 0 && c->cap > 16 * 1024)
        {
          g_clear_pointer (&c->buf, g_free);
          c->cap = 0;
        }
    }

  if (c->read_stopped && !c->closing && c->len < TRADEOFF_ENGINE_MAX_BUFFER)
    {
      c->read_stopped = FALSE;
      uv_read_start (conn_stream (c), on_alloc, on_read);
    }
}

static void
on_alloc (uv_handle_t *handle,
          size_t       suggested,
          uv_buf_t    *buf)
{
  LoopConn *c = handle->data;
  LoopInstance *inst = c->inst;

  buf->base = inst->read_buf;
  buf->len = READ_BUFFER_SIZE;
}

static void
on_read (uv_stream_t    *stream,
         ssize_t         nread,
         const uv_buf_t *buf)
{
  LoopConn *c = stream->data;
  gsize consumed;

  if (nread == 0)
    return;
  if (nread < 0)
    {
      conn_close (c);
      return;
    }

  c->last_active_ms = uv_now (&c->inst->loop);

  /* Input after an event-stream request, or after a final reply, is ignored. */
  if (c->draining || c->sub != NULL)
    return;

  if (c->busy || c->len > 0)
    {
      conn_keep (c, buf->base, nread);
      if (!c->busy)
        conn_process_buffer (c);
      if (!c->closing && c->len >= TRADEOFF_ENGINE_MAX_BUFFER && !c->read_stopped)
        {
          c->read_stopped = TRUE;
          uv_read_stop (stream);
        }
      return;
    }

  consumed = conn_consume (c, buf->base, nread);
  if (!c->closing && consumed < (gsize) nread)
    conn_keep (c, buf->base + consumed, nread - consumed);
}

static void
on_connection (uv_stream_t *server,
               int          status)
{
  LoopInstance *inst = server->data;
  LoopConn *c;

  if (status < 0)
    return;

  c = g_new0 (LoopConn, 1);
  c->inst = inst;
  uv_tcp_init (&inst->loop, &c->tcp);
  c->tcp.data = c;
  uv_timer_init (&inst->loop, &c->timer);
  c->timer.data = c;
  c->open_handles = 2;
  tradeoff_http_parser_init (&c->parser);

  c->next = inst->conns;
  if (inst->conns != NULL)
    inst->conns->prev = c;
  inst->conns = c;

  if (uv_accept (server, conn_stream (c)) != 0)
    {
      conn_close (c);
      return;
    }
  uv_tcp_nodelay (&c->tcp, 1);
  c->last_active_ms = uv_now (&inst->loop);
  if (uv_read_start (conn_stream (c), on_alloc, on_read) != 0)
    conn_close (c);
}

static void
on_idle_scan (uv_timer_t *timer)
{
  LoopInstance *inst = timer->data;
  guint64 now = uv_now (&inst->loop);
  guint64 timeout_ms = (guint64) inst->engine->options.idle_timeout_s * 1000;
  LoopConn *next;

  if (timeout_ms == 0)
    return;

  for (LoopConn *c = inst->conns; c != NULL; c = next)
    {
      next = c->next;
      if (!c->busy && c->sub == NULL && now - c->last_active_ms >= timeout_ms)
        conn_close (c);
    }
}

static void
offload_job_done (LoopInstance *inst,
                  OffloadJob   *job)
{
  LoopConn *c = job->conn;

  g_free (job);
  c->jobs--;
  if (c->closing)
    conn_maybe_free (c);
  else
    conn_after_cpu (c);
}

static void
on_wake (uv_async_t *async)
{
  LoopInstance *inst = async->data;
  GQueue done = G_QUEUE_INIT;
  g_autoptr(GPtrArray) notified = NULL;
  OffloadJob *job;

  g_mutex_lock (&inst->wake_lock);
  done = inst->done_jobs;
  g_queue_init (&inst->done_jobs);
  notified = inst->notified;
  inst->notified = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_chat_subscriber_unref);
  g_mutex_unlock (&inst->wake_lock);

  while ((job = g_queue_pop_head (&done)) != NULL)
    offload_job_done (inst, job);

  for (guint i = 0; i < notified->len; i++)
    {
      LoopConn *c = g_hash_table_lookup (inst->subscribers, g_ptr_array_index (notified, i));

      if (c != NULL && !c->closing)
        subscriber_drain (c);
    }
}

static gpointer
offload_worker_main (gpointer data)
{
  LoopInstance *inst = data;

  for (;;)
    {
      OffloadJob *job;

      g_mutex_lock (&inst->work_lock);
      while (!inst->work_stopping && g_queue_is_empty (&inst->work_queue))
        g_cond_wait (&inst->work_cond, &inst->work_lock);
      if (inst->work_stopping)
        {
          g_mutex_unlock (&inst->work_lock);
          return NULL;
        }
      job = g_queue_pop_head (&inst->work_queue);
      g_mutex_unlock (&inst->work_lock);

      tradeoff_cpu_work_items (job->items, job->cpu_us, NULL, NULL);

      g_mutex_lock (&inst->wake_lock);
      g_queue_push_tail (&inst->done_jobs, job);
      g_mutex_unlock (&inst->wake_lock);
      uv_async_send (&inst->wake_async);
    }
}

static void
stop_workers (LoopInstance *inst)
{
  OffloadJob *job;

  if (inst->workers == NULL)
    return;

  g_mutex_lock (&inst->work_lock);
  inst->work_stopping = TRUE;
  g_cond_broadcast (&inst->work_cond);
  g_mutex_unlock (&inst->work_lock);

  for (guint i = 0; i < inst->workers->len; i++)
    g_thread_join (g_ptr_array_index (inst->workers, i));
  g_ptr_array_set_size (inst->workers, 0);

  /* No thread touches the queues any more: settle every job left. */
  while ((job = g_queue_pop_head (&inst->work_queue)) != NULL)
    g_queue_push_tail (&inst->done_jobs, job);
  while ((job = g_queue_pop_head (&inst->done_jobs)) != NULL)
    {
      LoopConn *c = job->conn;

      g_free (job);
      c->jobs--;
      conn_maybe_free (c);
    }
}

/* Runs on the loop thread: close every handle so uv_run returns. */
static void
instance_close_all (LoopInstance *inst)
{
  stop_workers (inst);

  if (!uv_is_closing ((uv_handle_t *) &inst->listener))
    uv_close ((uv_handle_t *) &inst->listener, NULL);
  if (!uv_is_closing ((uv_handle_t *) &inst->idle_timer))
    uv_close ((uv_handle_t *) &inst->idle_timer, NULL);
  while (inst->conns != NULL)
    conn_close (inst->conns);
  if (!uv_is_closing ((uv_handle_t *) &inst->wake_async))
    uv_close ((uv_handle_t *) &inst->wake_async, NULL);
  if (!uv_is_closing ((uv_handle_t *) &inst->stop_async))
    uv_close ((uv_handle_t *) &inst->stop_async, NULL);
}

static void
on_stop (uv_async_t *async)
{
  instance_close_all (async->data);
}

static gpointer
instance_main (gpointer data)
{
  LoopInstance *inst = data;

  uv_run (&inst->loop, UV_RUN_DEFAULT);
  return NULL;
}

static void
instance_free (LoopInstance *inst)
{
  if (inst->loop_ready)
    {
      if (inst->thread == NULL)
        {
          /* Never ran: close the handles here. */
          instance_close_all (inst);
          uv_run (&inst->loop, UV_RUN_DEFAULT);
        }
      uv_loop_close (&inst->loop);
    }
  else if (inst->listen_fd >= 0)
    {
      close (inst->listen_fd);
    }

  g_clear_pointer (&inst->workers, g_ptr_array_unref);
  g_clear_pointer (&inst->notified, g_ptr_array_unref);
  g_clear_pointer (&inst->subscribers, g_hash_table_unref);
  g_mutex_clear (&inst->work_lock);
  g_cond_clear (&inst->work_cond);
  g_mutex_clear (&inst->wake_lock);
  g_free (inst->read_buf);
  g_free (inst);
}

static gboolean
instance_setup (LoopInstance  *inst,
                GError       **error)
{
  guint n_workers = inst->engine->options.offload_workers;
  int r;

  uv_loop_init (&inst->loop);
  uv_tcp_init (&inst->loop, &inst->listener);
  inst->listener.data = inst;
  uv_async_init (&inst->loop, &inst->stop_async, on_stop);
  inst->stop_async.data = inst;
  uv_async_init (&inst->loop, &inst->wake_async, on_wake);
  inst->wake_async.data = inst;
  uv_timer_init (&inst->loop, &inst->idle_timer);
  inst->idle_timer.data = inst;
  inst->loop_ready = TRUE;

  r = uv_tcp_open (&inst->listener, inst->listen_fd);
  if (r == 0)
    {
      inst->listen_fd = -1;
      r = uv_listen ((uv_stream_t *) &inst->listener, 4096, on_connection);
    }
  else
    {
      close (inst->listen_fd);
      inst->listen_fd = -1;
    }
  if (r != 0)
    {
      g_set_error (error, TRADEOFF_ENGINE_ERROR, TRADEOFF_ENGINE_ERROR_SOCKET,
                   _("cannot listen: %s"), uv_strerror (r));
      return FALSE;
    }
  uv_timer_start (&inst->idle_timer, on_idle_scan, IDLE_SCAN_MS, IDLE_SCAN_MS);

  for (guint i = 0; i < n_workers; i++)
    {
      GThread *thread = g_thread_try_new ("tradeoff-offload", offload_worker_main, inst, error);

      if (thread == NULL)
        return FALSE;
      g_ptr_array_add (inst->workers, thread);
    }

  inst->thread = g_thread_try_new ("tradeoff-loop", instance_main, inst, error);
  return inst->thread != NULL;
}

TradeoffLoopEngine *
tradeoff_loop_engine_new (const TradeoffEngineOptions *options,
                          TradeoffChatHub             *hub)
{
  TradeoffLoopEngine *loop = g_new0 (TradeoffLoopEngine, 1);

  loop->options = *options;
  loop->hub = hub;
  loop->instances = g_ptr_array_new ();
  return loop;
}

/* Takes ownership of FDS (one listening socket per instance). */
gboolean
tradeoff_loop_engine_start (TradeoffLoopEngine  *loop,
                            const int           *fds,
                            GError             **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (loop != NULL, FALSE);
  g_return_val_if_fail (loop->instances->len == 0, FALSE);

  for (guint i = 0; i < loop->options.instances; i++)
    {
      LoopInstance *inst = g_new0 (LoopInstance, 1);

      inst->engine = loop;
      inst->listen_fd = fds[i];
      inst->read_buf = g_malloc (READ_BUFFER_SIZE);
      inst->subscribers = g_hash_table_new (NULL, NULL);
      inst->notified = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_chat_subscriber_unref);
      inst->workers = g_ptr_array_new ();
      g_mutex_init (&inst->work_lock);
      g_cond_init (&inst->work_cond);
      g_mutex_init (&inst->wake_lock);
      g_queue_init (&inst->work_queue);
      g_queue_init (&inst->done_jobs);
      g_ptr_array_add (loop->instances, inst);
    }

  for (guint i = 0; i < loop->instances->len && ok; i++)
    ok = instance_setup (g_ptr_array_index (loop->instances, i), error);

  if (!ok)
    tradeoff_loop_engine_stop (loop);
  return ok;
}

void
tradeoff_loop_engine_stop (TradeoffLoopEngine *loop)
{
  g_return_if_fail (loop != NULL);

  for (guint i = 0; i < loop->instances->len; i++)
    {
      LoopInstance *inst = g_ptr_array_index (loop->instances, i);

      if (inst->thread == NULL || inst->stopped)
        continue;
      inst->stopped = TRUE;
      uv_async_send (&inst->stop_async);
      g_thread_join (inst->thread);
      inst->thread = NULL;
      uv_loop_close (&inst->loop);
      inst->loop_ready = FALSE;
    }
}

void
tradeoff_loop_engine_free (TradeoffLoopEngine *loop)
{
  if (loop == NULL)
    return;

  tradeoff_loop_engine_stop (loop);
  for (guint i = 0; i < loop->instances->len; i++)
    instance_free (g_ptr_array_index (loop->instances, i));
  g_ptr_array_unref (loop->instances);
  g_free (loop);
}
