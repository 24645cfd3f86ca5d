/* tradeoff-application.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TRADEOFF_TYPE_APPLICATION (tradeoff_application_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffApplication, tradeoff_application, TRADEOFF, APPLICATION, AdwApplication)

TradeoffApplication *tradeoff_application_new          (const char        *application_id,
                                                        GApplicationFlags  flags);
GSettings           *tradeoff_application_get_settings (TradeoffApplication *self);

G_END_DECLS
