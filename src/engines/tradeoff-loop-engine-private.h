/* tradeoff-loop-engine-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <uv.h>

#include "tradeoff-engine-private.h"

G_BEGIN_DECLS

/* What the loop engine's files share (see the design note in
 * tradeoff-loop-engine.c): its connections and instances, and the functions
 * one file calls in another. */

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

/* Hot-path helpers, inline in every file as they were in one. */

static inline uv_stream_t *
conn_stream (LoopConn *c)
{
  return (uv_stream_t *) &c->tcp;
}

static inline guint
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

/* tradeoff-loop-engine-io.c: connection I/O, writing and parsing */
G_GNUC_INTERNAL
void loop_engine_conn_maybe_free        (LoopConn       *c);
G_GNUC_INTERNAL
void loop_engine_conn_close             (LoopConn       *c);
G_GNUC_INTERNAL
void loop_engine_conn_write             (LoopConn       *c,
                                         const char     *head,
                                         gsize           head_len,
                                         const uv_buf_t *body,
                                         guint           n_body,
                                         GBytes         *hold);
G_GNUC_INTERNAL
void loop_engine_conn_close_after_write (LoopConn       *c);
G_GNUC_INTERNAL
void loop_engine_conn_respond           (LoopConn       *c,
                                         guint           status,
                                         const char     *content_type,
                                         const char     *body,
                                         guint64         body_len,
                                         gboolean        keep_alive);
G_GNUC_INTERNAL
void loop_engine_conn_respond_error     (LoopConn       *c,
                                         guint           status,
                                         const char     *reason,
                                         gboolean        keep_alive);
G_GNUC_INTERNAL
void loop_engine_conn_process_buffer    (LoopConn       *c);
G_GNUC_INTERNAL
void loop_engine_on_connection          (uv_stream_t    *server,
                                         int             status);
G_GNUC_INTERNAL
void loop_engine_on_idle_scan           (uv_timer_t     *timer);

/* tradeoff-loop-engine-request.c: requests, streams, chat and offload workers */
G_GNUC_INTERNAL
void     loop_engine_conn_handle         (LoopConn   *c);
G_GNUC_INTERNAL
void     loop_engine_stream_pump         (LoopConn   *c);
G_GNUC_INTERNAL
void     loop_engine_subscriber_drain    (LoopConn   *c);
G_GNUC_INTERNAL
void     loop_engine_on_wake             (uv_async_t *async);
G_GNUC_INTERNAL
gpointer loop_engine_offload_worker_main (gpointer    data);

G_END_DECLS
