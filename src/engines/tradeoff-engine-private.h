/* tradeoff-engine-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sys/uio.h>

#include "tradeoff-engine.h"
#include "tradeoff-wire.h"

G_BEGIN_DECLS

/* Largest request a connection buffers: headers, body, and a margin for the
 * start of a pipelined next request. */
#define TRADEOFF_ENGINE_MAX_BUFFER \
  (TRADEOFF_HTTP_MAX_HEADER_BYTES + TRADEOFF_HTTP_MAX_BODY_BYTES + 16 * 1024)

typedef struct _TradeoffLoopEngine TradeoffLoopEngine;
typedef struct _TradeoffPoolEngine TradeoffPoolEngine;

/* Binds the listening sockets for every instance (SO_REUSEPORT when more
 * than one) and returns them in FDS; *PORT gets the port bound. */
gboolean            tradeoff_engine_listen      (guint                        port,
                                                 guint                        count,
                                                 int                         *fds,
                                                 guint                       *bound_port,
                                                 GError                     **error);
void                tradeoff_engine_tune_socket (int                          fd);

TradeoffLoopEngine *tradeoff_loop_engine_new    (const TradeoffEngineOptions *options,
                                                 TradeoffChatHub             *hub);
gboolean            tradeoff_loop_engine_start  (TradeoffLoopEngine          *loop,
                                                 const int                   *fds,
                                                 GError                     **error);
void                tradeoff_loop_engine_stop   (TradeoffLoopEngine          *loop);
void                tradeoff_loop_engine_free   (TradeoffLoopEngine          *loop);

TradeoffPoolEngine *tradeoff_pool_engine_new    (const TradeoffEngineOptions *options,
                                                 TradeoffChatHub             *hub);
gboolean            tradeoff_pool_engine_start  (TradeoffPoolEngine          *pool,
                                                 const int                   *fds,
                                                 GError                     **error);
void                tradeoff_pool_engine_stop   (TradeoffPoolEngine          *pool);
void                tradeoff_pool_engine_free   (TradeoffPoolEngine          *pool);

G_END_DECLS
