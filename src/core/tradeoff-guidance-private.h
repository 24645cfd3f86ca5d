/* tradeoff-guidance-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tradeoff-guidance.h"

G_BEGIN_DECLS

/* The parsed rule language (see tradeoff-guidance.c), shared by the loader
 * (tradeoff-guidance.c) and the judge (tradeoff-guidance-judge.c). */

typedef enum
{
  RULE_RATIO,
  RULE_SWEEP,
  RULE_VALUE,
  RULE_FIRST_OF,
  RULE_ALL,
} RuleType;

typedef enum
{
  PICK_MEDIAN,
  PICK_MAX,
  PICK_MIN,
} Pick;

typedef enum
{
  PARAM_INSTANCES,
  PARAM_WORKERS,
  PARAM_OFFLOAD_WORKERS,
  PARAM_SWITCH_INTERVAL_MS,
  PARAM_CPU_US,
  PARAM_WAIT_US,
  PARAM_WORK_US,
  PARAM_BATCH,
  PARAM_CONNECTIONS,
  PARAM_CLIENTS,
  PARAM_RATE_PER_S,
  PARAM_STREAMS,
  PARAM_RATE_BYTES_PER_S,
  PARAM_CHUNK_BYTES,
  PARAM_REPLY_BYTES,
  N_PARAMS
} Param;

extern const char * const tradeoff_guidance_param_names[N_PARAMS];

typedef enum
{
  FIGURE_THROUGHPUT,
  FIGURE_BYTES_PER_S,
  FIGURE_MEAN_US,
  FIGURE_P50_US,
  FIGURE_P90_US,
  FIGURE_P99_US,
  FIGURE_P999_US,
  FIGURE_MAX_US,
  FIGURE_PEAK_RSS,
  FIGURE_THREADS_MAX,
  FIGURE_CPU_SECONDS,
  FIGURE_CORES_USED,
  FIGURE_SERVER_CPU_US_PER_REQUEST,
  FIGURE_CAPACITY_PER_CORE,
  FIGURE_WORK_CORES,
  FIGURE_QUEUE_P99_US,
  FIGURE_CPU_MS_PER_MB,
  FIGURE_STALLS,
  FIGURE_ERROR_FRACTION,
  N_FIGURES
} Figure;

extern const char * const tradeoff_guidance_figure_names[N_FIGURES];

typedef struct
{
  Param  param;
  double min;   /* NAN: unbounded */
  double max;   /* NAN: unbounded */
} Range;

typedef struct _Selection Selection;
struct _Selection
{
  char      *label;
  guint      workload_mask;   /* 0: any */
  int        engine_kind;     /* -1: any */
  GStrv      runtimes;        /* NULL: any */
  int        gil;             /* -1: any */
  int        offload;         /* -1: any */
  int        connection_mode; /* -1: any */
  GArray    *ranges;          /* Range */
  GPtrArray *any;             /* Selection*, nullable */
  Pick       pick;
};

typedef struct
{
  double               below;      /* NAN for the last band */
  TradeoffVerdictKind  verdict;
  char                *condition;  /* English, nullable */
} Band;

struct _TradeoffRule
{
  RuleType   type;
  Figure     figure;
  Selection *a;          /* ratio: a; sweep and value: select */
  Selection *b;          /* ratio */
  Param      by;         /* sweep */
  double     floor;      /* NAN: none */
  double     claimed;    /* NAN: none */
  GArray    *bands;      /* Band */
  GPtrArray *rules;      /* TradeoffRule*: first-of, all */
  char      *basis;      /* English, nullable */
  char      *holds;      /* English, nullable */
  char      *condition;  /* English, nullable */
};

G_END_DECLS
