/* tradeoff-workload-editor.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-scenario.h"
#include "tradeoff-spin-row.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_WORKLOAD_EDITOR (tradeoff_workload_editor_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffWorkloadEditor, tradeoff_workload_editor, TRADEOFF, WORKLOAD_EDITOR, GtkBox)

GtkWidget       *tradeoff_workload_editor_new          (void);
/* @workload is borrowed and edited in place; "changed" follows each edit. */
void             tradeoff_workload_editor_set_workload (TradeoffWorkloadEditor *self,
                                                        TradeoffWorkload       *workload);
/* The number of rows currently showing a problem. */
guint            tradeoff_workload_editor_get_n_errors (TradeoffWorkloadEditor *self);
TradeoffSpinRow *tradeoff_workload_editor_get_row      (TradeoffWorkloadEditor *self,
                                                        const char             *field);
AdwComboRow     *tradeoff_workload_editor_get_kind_row (TradeoffWorkloadEditor *self);

G_END_DECLS
