/* tradeoff-loop-engine-io.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The loop engine's connections: closing and freeing them, writing (at once
 * with uv_try_write, else queued and bounded), the linger after a final
 * reply, reading into the instance's buffer and parsing in place, accepting,
 * and the idle-timeout scan. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <string.h>
#include <uv.h>

#include "tradeoff-loop-engine-private.h"

typedef struct
{
  uv_write_t req;
  LoopConn  *conn;
  GBytes    *hold;
  uv_buf_t  *heap_bufs;
  gsize      copy_len;
  char       copy[];
} WriteReq;

void
loop_engine_conn_maybe_free (LoopConn *c)
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
  loop_engine_conn_maybe_free (c);
}

void
loop_engine_conn_close (LoopConn *c)
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
      loop_engine_conn_close (c);
      return;
    }

  if (c->stream_waiting && uv_stream_get_write_queue_size (conn_stream (c)) < WRITE_BOUND)
    {
      c->stream_waiting = FALSE;
      loop_engine_stream_pump (c);
    }
  else if (c->sub != NULL)
    {
      loop_engine_subscriber_drain (c);
    }
}

/* Writes HEAD (copied if it cannot go out at once) followed by BODY, whose
 * bytes must outlive the write: static, or owned by HOLD (taken). */
void
loop_engine_conn_write (LoopConn       *c,
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
          loop_engine_conn_close (c);
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
      loop_engine_conn_close (c);
    }
}

static void
on_linger_timeout (uv_timer_t *timer)
{
  loop_engine_conn_close (timer->data);
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
      loop_engine_conn_close (c);
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

void
loop_engine_conn_close_after_write (LoopConn *c)
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
    loop_engine_conn_close (c);
}

void
loop_engine_conn_respond (LoopConn   *c,
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

  loop_engine_conn_write (c, head, head_len, bufs, n, NULL);
  if (!keep_alive)
    loop_engine_conn_close_after_write (c);
}

void
loop_engine_conn_respond_error (LoopConn   *c,
                                guint       status,
                                const char *reason,
                                gboolean    keep_alive)
{
  char buf[TRADEOFF_WIRE_HEAD_MAX];
  gsize len = tradeoff_wire_format_error (buf, status, reason, keep_alive);

  loop_engine_conn_write (c, buf, len, NULL, 0, NULL);
  if (!keep_alive || (status != 404 && status != 405))
    loop_engine_conn_close_after_write (c);
}

/* Reading and parsing */

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
            loop_engine_conn_write (c, TRADEOFF_WIRE_CONTINUE, strlen (TRADEOFF_WIRE_CONTINUE),
                                    NULL, 0, NULL);
          break;
        }
      if (status == TRADEOFF_HTTP_PARSE_ERROR)
        {
          loop_engine_conn_respond_error (c, request.error_status, request.error_reason, FALSE);
          consumed = len;
          break;
        }

      tradeoff_wire_route (&request, &c->route);
      tradeoff_http_parser_reset (&c->parser);
      loop_engine_conn_handle (c);
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

void
loop_engine_conn_process_buffer (LoopConn *c)
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
      loop_engine_conn_close (c);
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
        loop_engine_conn_process_buffer (c);
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

void
loop_engine_on_connection (uv_stream_t *server,
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
      loop_engine_conn_close (c);
      return;
    }
  uv_tcp_nodelay (&c->tcp, 1);
  c->last_active_ms = uv_now (&inst->loop);
  if (uv_read_start (conn_stream (c), on_alloc, on_read) != 0)
    loop_engine_conn_close (c);
}

void
loop_engine_on_idle_scan (uv_timer_t *timer)
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
        loop_engine_conn_close (c);
    }
}
