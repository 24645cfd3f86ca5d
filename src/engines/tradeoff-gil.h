/* tradeoff-gil.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TradeoffGil TradeoffGil;

TradeoffGil *tradeoff_gil_new          (guint        switch_interval_ms);
void         tradeoff_gil_free         (TradeoffGil *gil);
void         tradeoff_gil_acquire      (TradeoffGil *gil);
void         tradeoff_gil_release      (TradeoffGil *gil);
void         tradeoff_gil_checkpoint   (gpointer     gil);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffGil, tradeoff_gil_free)

G_END_DECLS
