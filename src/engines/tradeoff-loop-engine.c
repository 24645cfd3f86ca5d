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
 * instead of buffering without bound.
 *
 * This file holds an instance's lifecycle and the public API; the
 * connections (I/O and parsing) are in tradeoff-loop-engine-io.c, the
 * requests and offload workers in tradeoff-loop-engine-request.c. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <unistd.h>
#include <uv.h>

#include <glib/gi18n.h>

#include "tradeoff-loop-engine-private.h"

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
      loop_engine_conn_maybe_free (c);
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
    loop_engine_conn_close (inst->conns);
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
  uv_async_init (&inst->loop, &inst->wake_async, loop_engine_on_wake);
  inst->wake_async.data = inst;
  uv_timer_init (&inst->loop, &inst->idle_timer);
  inst->idle_timer.data = inst;
  inst->loop_ready = TRUE;

  r = uv_tcp_open (&inst->listener, inst->listen_fd);
  if (r == 0)
    {
      inst->listen_fd = -1;
      r = uv_listen ((uv_stream_t *) &inst->listener, 4096, loop_engine_on_connection);
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
  uv_timer_start (&inst->idle_timer, loop_engine_on_idle_scan, IDLE_SCAN_MS, IDLE_SCAN_MS);

  for (guint i = 0; i < n_workers; i++)
    {
      GThread *thread = g_thread_try_new ("tradeoff-offload", loop_engine_offload_worker_main,
                                          inst, error);

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
