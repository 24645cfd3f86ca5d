/* tradeoff-sidebar.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tradeoff-history.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_SIDEBAR (tradeoff_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffSidebar, tradeoff_sidebar, TRADEOFF, SIDEBAR, GtkBox)

void        tradeoff_sidebar_set_history     (TradeoffSidebar    *self,
                                              TradeoffHistory    *history);
void        tradeoff_sidebar_set_recent      (TradeoffSidebar    *self,
                                              const char * const *paths);
/* The history entries ticked for comparison, newest first. */
char      **tradeoff_sidebar_get_compared    (TradeoffSidebar    *self);
void        tradeoff_sidebar_set_compared    (TradeoffSidebar    *self,
                                              const char * const *paths);
GtkListBox *tradeoff_sidebar_get_presets_list (TradeoffSidebar   *self);
GtkListBox *tradeoff_sidebar_get_history_list (TradeoffSidebar   *self);
GtkListBox *tradeoff_sidebar_get_files_list  (TradeoffSidebar    *self);

G_END_DECLS
