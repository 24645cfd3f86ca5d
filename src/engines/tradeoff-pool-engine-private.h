/* tradeoff-pool-engine-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tradeoff-engine-private.h"
#include "tradeoff-gil.h"

G_BEGIN_DECLS

/* What the pool engine's files share (see the design note in
 * tradeoff-pool-engine.c): its connections and instances, and the functions
 * one file calls in another. */

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

/* Hot-path helpers, inline in every file as they were in one. */

static inline gboolean
is_stopping (PoolInstance *inst)
{
  gboolean stopping;

  g_mutex_lock (&inst->lock);
  stopping = inst->stopping;
  g_mutex_unlock (&inst->lock);
  return stopping;
}

/* tradeoff-pool-engine-io.c: connections and blocking I/O */
G_GNUC_INTERNAL
PoolConn *pool_engine_conn_new          (PoolInstance *inst,
                                         int           fd);
G_GNUC_INTERNAL
void      pool_engine_conn_free         (PoolConn     *c);
G_GNUC_INTERNAL
void      pool_engine_conn_retire       (PoolConn     *c);
G_GNUC_INTERNAL
void      pool_engine_free_dead         (PoolInstance *inst);
G_GNUC_INTERNAL
gboolean  pool_engine_send_bytes        (PoolConn     *c,
                                         const char   *data,
                                         gsize         len);
G_GNUC_INTERNAL
gboolean  pool_engine_send_with_filler  (PoolConn     *c,
                                         const char   *head,
                                         gsize         head_len,
                                         guint64       body_len,
                                         gboolean      chunk_trailer);
G_GNUC_INTERNAL
gboolean  pool_engine_sleep_until       (PoolInstance *inst,
                                         gint64        deadline);
G_GNUC_INTERNAL
void      pool_engine_linger            (PoolConn     *c);
G_GNUC_INTERNAL
gssize    pool_engine_conn_read         (PoolConn     *c,
                                         gboolean      blocking);

/* tradeoff-pool-engine-request.c: requests, and per-connection mode's workers */
G_GNUC_INTERNAL
gboolean  pool_engine_subscriber_flush       (PoolConn *c);
G_GNUC_INTERNAL
Handled   pool_engine_handle_buffered        (PoolConn *c);
G_GNUC_INTERNAL
gpointer  pool_engine_connection_worker_main (gpointer  data);

/* tradeoff-pool-engine-dispatch.c: per-request mode */
G_GNUC_INTERNAL
gpointer  pool_engine_request_worker_main (gpointer data);
G_GNUC_INTERNAL
gpointer  pool_engine_dispatcher_main     (gpointer data);

/* tradeoff-pool-engine.c: the work queue and accepting */
G_GNUC_INTERNAL
PoolConn *pool_engine_next_queued (PoolInstance *inst);
G_GNUC_INTERNAL
int       pool_engine_accept_one  (PoolInstance *inst);

G_END_DECLS
