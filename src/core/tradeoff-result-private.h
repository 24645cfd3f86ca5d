/* tradeoff-result-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tradeoff-result.h"

G_BEGIN_DECLS

/* The result is one model split by concern: tradeoff-result.c (the
 * model: runs, summaries, copies), tradeoff-result-json.c (load and save),
 * tradeoff-result-csv.c (CSV export) and tradeoff-result-hgrm.c (`.hgrm`
 * write and import). What they share is declared here. */

/* The latency figures of a summary, in the order they are written. */
#define N_LATENCY_KEYS 6

extern const char * const tradeoff_result_latency_keys[N_LATENCY_KEYS];

double *tradeoff_result_latency_field         (TradeoffLatencySummary *latency,
                                               guint                   i);
void    tradeoff_result_latency_summary_clear (TradeoffLatencySummary *latency);

/* The figures of a timeline point, in the order they are written. */
typedef struct
{
  const char *name;
  gsize       offset;
} PointField;

#define N_POINT_FIELDS 11

extern const PointField tradeoff_result_point_fields[N_POINT_FIELDS];

G_END_DECLS
