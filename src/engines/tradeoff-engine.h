/* tradeoff-engine.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TRADEOFF_ENGINE_ERROR (tradeoff_engine_error_quark ())

typedef enum
{
  TRADEOFF_ENGINE_ERROR_ADDRESS_IN_USE,
  TRADEOFF_ENGINE_ERROR_SOCKET,
  TRADEOFF_ENGINE_ERROR_THREAD,
  TRADEOFF_ENGINE_ERROR_INVALID,
} TradeoffEngineError;

typedef enum
{
  TRADEOFF_ENGINE_LOOP,
  TRADEOFF_ENGINE_POOL,
} TradeoffEngineKind;

typedef enum
{
  TRADEOFF_CONNECTION_PER_CONNECTION,
  TRADEOFF_CONNECTION_PER_REQUEST,
} TradeoffConnectionMode;

typedef struct
{
  TradeoffEngineKind     kind;
  guint                  port;              /* 0: any free port */
  guint                  instances;         /* loops or pools sharing the port */
  guint                  offload_workers;   /* loop: CPU work threads per instance */
  guint                  workers;           /* pool: threads per instance */
  gboolean               gil;               /* pool: one global lock per instance */
  guint                  switch_interval_ms;
  TradeoffConnectionMode connection_mode;
  guint                  idle_timeout_s;
} TradeoffEngineOptions;

typedef struct _TradeoffEngine TradeoffEngine;

void            tradeoff_engine_options_init (TradeoffEngineOptions       *options);

TradeoffEngine *tradeoff_engine_new          (const TradeoffEngineOptions *options);
gboolean        tradeoff_engine_start        (TradeoffEngine              *engine,
                                              GError                     **error);
guint           tradeoff_engine_get_port     (TradeoffEngine              *engine);
void            tradeoff_engine_stop         (TradeoffEngine              *engine);
void            tradeoff_engine_free         (TradeoffEngine              *engine);

GQuark          tradeoff_engine_error_quark  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffEngine, tradeoff_engine_free)

G_END_DECLS
