/* tradeoff-scenario-editor.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-engine-list.h"
#include "tradeoff-scenario.h"
#include "tradeoff-workload-editor.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_SCENARIO_EDITOR (tradeoff_scenario_editor_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffScenarioEditor, tradeoff_scenario_editor, TRADEOFF, SCENARIO_EDITOR, AdwBin)

/* @scenario is borrowed and edited in place; "changed" follows each edit. */
void                    tradeoff_scenario_editor_set_scenario        (TradeoffScenarioEditor *self,
                                                                      TradeoffScenario       *scenario);
gboolean                tradeoff_scenario_editor_get_valid           (TradeoffScenarioEditor *self);
/* Why the scenario cannot run, or NULL. */
const char             *tradeoff_scenario_editor_get_problem         (TradeoffScenarioEditor *self);
TradeoffWorkloadEditor *tradeoff_scenario_editor_get_workload_editor (TradeoffScenarioEditor *self);
TradeoffEngineList     *tradeoff_scenario_editor_get_engine_list     (TradeoffScenarioEditor *self);

G_END_DECLS
