/* tradeoff-window.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-application.h"
#include "tradeoff-history.h"
#include "tradeoff-result.h"
#include "tradeoff-scenario.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_WINDOW (tradeoff_window_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffWindow, tradeoff_window, TRADEOFF, WINDOW, AdwApplicationWindow)

TradeoffWindow         *tradeoff_window_new               (TradeoffApplication *application);
/* A scenario (`*.tradeoff.json`), a result (`tradeoff-result/1`) or an
 * `.hgrm` percentile distribution; asks about unsaved changes first. */
void                    tradeoff_window_open_file         (TradeoffWindow      *self,
                                                           GFile               *file);
/* The scenario being edited, or NULL before one is picked. */
const TradeoffScenario *tradeoff_window_get_scenario      (TradeoffWindow      *self);
/* What the charts show ("result-changed" tells when it changes), or NULL. */
const TradeoffResult   *tradeoff_window_get_shown_result  (TradeoffWindow      *self);
gboolean                tradeoff_window_get_running       (TradeoffWindow      *self);
/* Every result kept, newest first; "changed" tells when it changes. */
TradeoffHistory        *tradeoff_window_get_history       (TradeoffWindow      *self);
/* Where the guidance side panel goes, beside the charts. */
AdwBin                 *tradeoff_window_get_guidance_slot (TradeoffWindow      *self);

G_END_DECLS
