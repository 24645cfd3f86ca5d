/* tradeoff-engine-row.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-scenario.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_ENGINE_ROW (tradeoff_engine_row_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffEngineRow, tradeoff_engine_row, TRADEOFF, ENGINE_ROW, AdwExpanderRow)

/* @spec is borrowed and edited in place; "changed" follows each edit. */
GtkWidget  *tradeoff_engine_row_new       (TradeoffEngineSpec *spec,
                                           guint               index,
                                           guint               n_engines);
TradeoffEngineSpec *tradeoff_engine_row_get_spec (TradeoffEngineRow *self);
/* The problem tradeoff_engine_spec_check() found, or NULL. */
const char *tradeoff_engine_row_get_error (TradeoffEngineRow *self);
/* A row of the engine's options by field name ("workers", ...), for tests. */
GtkWidget  *tradeoff_engine_row_get_field_row (TradeoffEngineRow *self,
                                               const char        *field);

G_END_DECLS
