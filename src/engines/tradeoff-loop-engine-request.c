/* tradeoff-loop-engine-request.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The loop engine's requests: /work (CPU on the loop thread or offloaded,
 * then the I/O wait on a timer), streams on a fixed chunk schedule, chat
 * publish and subscribe, and the offload workers and wake-ups that bring
 * their results and chat messages back to the loop. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <string.h>
#include <uv.h>

#include "tradeoff-cpu-work.h"
#include "tradeoff-loop-engine-private.h"

static void conn_finish_request (LoopConn *c);

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
      loop_engine_conn_respond (c, 200, "application/octet-stream", NULL, route->reply_bytes,
                                keep_alive);
    }
  else if (route->kind == TRADEOFF_ROUTE_CHAT_PUBLISH)
    {
      tradeoff_chat_hub_publish (c->inst->engine->hub, route->room, c->message);
      g_clear_pointer (&c->message, g_bytes_unref);
      loop_engine_conn_respond (c, 204, NULL, "", 0, keep_alive);
    }

  if (c->closing || c->draining)
    return;

  c->busy = FALSE;
  if (!c->consuming)
    loop_engine_conn_process_buffer (c);
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
  loop_engine_conn_write (c, head, head_len, NULL, 0, NULL);
  if (!c->closing)
    loop_engine_stream_pump (c);
}

static void
on_stream_timer (uv_timer_t *timer)
{
  loop_engine_stream_pump (timer->data);
}

/* Chunk i is due at start + i * chunk / rate: a fixed schedule, so a late
 * chunk does not push every later one back. */
void
loop_engine_stream_pump (LoopConn *c)
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
      loop_engine_conn_write (c, head, head_len, bufs, n, NULL);
    }

  if (c->closing)
    return;

  loop_engine_conn_write (c, TRADEOFF_WIRE_CHUNK_END, strlen (TRADEOFF_WIRE_CHUNK_END),
                          NULL, 0, NULL);
  if (!c->route.keep_alive)
    {
      loop_engine_conn_close_after_write (c);
      return;
    }
  c->busy = FALSE;
  if (!c->consuming)
    loop_engine_conn_process_buffer (c);
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

void
loop_engine_subscriber_drain (LoopConn *c)
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
      loop_engine_conn_write (c, NULL, 0, &buf, 1, message);
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
  loop_engine_conn_write (c, head, head_len, NULL, 0, NULL);
}

/* Handles one routed request; may leave the connection busy. */
void
loop_engine_conn_handle (LoopConn *c)
{
  TradeoffRoute *route = &c->route;

  switch (route->kind)
    {
    case TRADEOFF_ROUTE_HEALTH:
      if (route->head_only)
        {
          char head[TRADEOFF_WIRE_HEAD_MAX];
          gsize head_len = tradeoff_wire_format_head (head, 200, "text/plain", 2, route->keep_alive);

          loop_engine_conn_write (c, head, head_len, NULL, 0, NULL);
          if (!route->keep_alive)
            loop_engine_conn_close_after_write (c);
          return;
        }
      loop_engine_conn_respond (c, 200, "text/plain", "ok", 2, route->keep_alive);
      return;

    case TRADEOFF_ROUTE_ERROR:
      loop_engine_conn_respond_error (c, route->status, route->reason, route->keep_alive);
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

/* Offload workers and wake-ups */

static void
offload_job_done (LoopInstance *inst,
                  OffloadJob   *job)
{
  LoopConn *c = job->conn;

  g_free (job);
  c->jobs--;
  if (c->closing)
    loop_engine_conn_maybe_free (c);
  else
    conn_after_cpu (c);
}

void
loop_engine_on_wake (uv_async_t *async)
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
        loop_engine_subscriber_drain (c);
    }
}

gpointer
loop_engine_offload_worker_main (gpointer data)
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
