/* tradeoff-spin-row.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TRADEOFF_TYPE_SPIN_ROW (tradeoff_spin_row_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffSpinRow, tradeoff_spin_row, TRADEOFF, SPIN_ROW, AdwActionRow)

GtkWidget  *tradeoff_spin_row_new        (void);
const char *tradeoff_spin_row_get_field  (TradeoffSpinRow *self);
double      tradeoff_spin_row_get_value  (TradeoffSpinRow *self);
void        tradeoff_spin_row_set_value  (TradeoffSpinRow *self,
                                          double           value);
void        tradeoff_spin_row_set_range  (TradeoffSpinRow *self,
                                          double           lower,
                                          double           upper);
const char *tradeoff_spin_row_get_error  (TradeoffSpinRow *self);
void        tradeoff_spin_row_set_error  (TradeoffSpinRow *self,
                                          const char      *error);
GtkSpinButton *tradeoff_spin_row_get_spin_button (TradeoffSpinRow *self);

G_END_DECLS
