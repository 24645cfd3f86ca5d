/* tradeoff-presets.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tradeoff-scenario.h"

G_BEGIN_DECLS

/* The built-in scenarios, shipped as JSON in core's GResource
 * (/io/github/tradeoff/Tradeoff/presets/ID.tradeoff.json). */

typedef struct
{
  const char *id;           /* "ml-batch" */
  const char *title;        /* translated, "ML batch inference" */
  const char *description;  /* translated: what trade-off the run shows */
} TradeoffPresetInfo;

/* NULL-terminated by an entry with id == NULL. */
const TradeoffPresetInfo *tradeoff_presets_get_all (void);
const TradeoffPresetInfo *tradeoff_presets_lookup  (const char  *id);
TradeoffScenario         *tradeoff_presets_load    (const char  *id,
                                                    GError     **error);

G_END_DECLS
