/* tradeoff-guidance-panel.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-guidance.h"
#include "tradeoff-result.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_GUIDANCE_PANEL (tradeoff_guidance_panel_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffGuidancePanel, tradeoff_guidance_panel, TRADEOFF, GUIDANCE_PANEL, GtkBox)

/* Beside the charts: the articles' claims that speak to the current
 * workload, each with its verdict from the results given, the figures that
 * decided it, its sources and a "Test this claim" button; claims the
 * articles disagree on are shown together. The "overview" page lists every
 * claim and its verdict.
 *
 * Signal "test-claim" (const char *claim_id, gpointer scenario): the claim's
 * ready scenario, a TradeoffScenario* borrowed for the emission (copy it to
 * keep it). */

GtkWidget              *tradeoff_guidance_panel_new          (void);
/* The claims shown; NULL (the default) uses tradeoff_guidance_get_default ().
 * Borrowed: @guidance must outlive the panel. */
void                    tradeoff_guidance_panel_set_guidance (TradeoffGuidancePanel  *self,
                                                              const TradeoffGuidance *guidance);
/* @results: TradeoffResult*, borrowed for the call (the verdicts are kept,
 * not the results); later ones are more recent. */
void                    tradeoff_guidance_panel_set_results  (TradeoffGuidancePanel *self,
                                                              GPtrArray             *results,
                                                              TradeoffWorkloadKind   current_kind);
/* "current" or "overview". */
const char             *tradeoff_guidance_panel_get_page     (TradeoffGuidancePanel *self);
void                    tradeoff_guidance_panel_set_page     (TradeoffGuidancePanel *self,
                                                              const char            *page);

/* The CSS class of a verdict's label: "success", "error", "warning" or "dim-label". */
const char             *tradeoff_verdict_kind_to_style_class (TradeoffVerdictKind    kind);

G_END_DECLS
