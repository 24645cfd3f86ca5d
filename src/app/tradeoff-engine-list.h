/* tradeoff-engine-list.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-engine-row.h"
#include "tradeoff-scenario.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_ENGINE_LIST (tradeoff_engine_list_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffEngineList, tradeoff_engine_list, TRADEOFF, ENGINE_LIST, AdwPreferencesGroup)

/* @engines (TradeoffEngineSpec*) is borrowed and edited in place. */
void               tradeoff_engine_list_set_engines (TradeoffEngineList *self,
                                                     GPtrArray          *engines);
void               tradeoff_engine_list_add         (TradeoffEngineList *self,
                                                     TradeoffEngineKind  kind);
void               tradeoff_engine_list_move        (TradeoffEngineList *self,
                                                     guint               index,
                                                     int                 delta);
void               tradeoff_engine_list_remove      (TradeoffEngineList *self,
                                                     guint               index);
guint              tradeoff_engine_list_get_n_errors (TradeoffEngineList *self);
TradeoffEngineRow *tradeoff_engine_list_get_row     (TradeoffEngineList *self,
                                                     guint               index);

G_END_DECLS
