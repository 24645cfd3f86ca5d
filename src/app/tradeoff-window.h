/* tradeoff-window.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-application.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_WINDOW (tradeoff_window_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffWindow, tradeoff_window, TRADEOFF, WINDOW, AdwApplicationWindow)

TradeoffWindow *tradeoff_window_new       (TradeoffApplication *application);
void            tradeoff_window_open_file (TradeoffWindow      *self,
                                           GFile               *file);

G_END_DECLS
