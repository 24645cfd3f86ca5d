/* tradeoff-guidance-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tradeoff-guidance.h"

G_BEGIN_DECLS

/* The guidance is one model split by concern: tradeoff-guidance.c (the
 * file format and rule language, the lookups, a claim's scenario),
 * tradeoff-guidance-load.c (reading guidance.json: field readers, sources,
 * claims, conflicts), tradeoff-guidance-rules.c (parsing selections, bands
 * and rules), tradeoff-guidance-measure.c (what a selection measures in the
 * results), tradeoff-guidance-verdict.c (the verdict, its figures in words,
 * its JSON) and tradeoff-guidance-judge.c (judging each kind of rule). What
 * they share is declared here. */

/* The parsed rule language (see tradeoff-guidance.c), shared by the parser
 * (tradeoff-guidance-rules.c) and the judge (tradeoff-guidance-judge.c). */

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

/* tradeoff-guidance-load.c: the field readers. A failure names the claim
 * (when known) and the field. */
typedef struct
{
  const char  *claim_id;
  GError     **error;
} Parse;

G_GNUC_INTERNAL
gboolean      tradeoff_guidance_fail                 (Parse              *parse,
                                                      const char         *path,
                                                      const char         *format,
                                                      ...) G_GNUC_PRINTF (3, 4);
G_GNUC_INTERNAL
int           tradeoff_guidance_lookup_name          (const char * const *names,
                                                      guint               n_names,
                                                      const char         *name);
G_GNUC_INTERNAL
gboolean      tradeoff_guidance_get_string           (Parse              *parse,
                                                      JsonObject         *object,
                                                      const char         *path,
                                                      const char         *member,
                                                      gboolean            required,
                                                      char              **out);
G_GNUC_INTERNAL
gboolean      tradeoff_guidance_node_is_number       (JsonNode           *node);
G_GNUC_INTERNAL
gboolean      tradeoff_guidance_get_number           (Parse              *parse,
                                                      JsonObject         *object,
                                                      const char         *path,
                                                      const char         *member,
                                                      double             *out);
G_GNUC_INTERNAL
gboolean      tradeoff_guidance_parse_workload_kinds (Parse              *parse,
                                                      JsonNode           *node,
                                                      const char         *field,
                                                      guint              *mask);

/* tradeoff-guidance-rules.c: the rule parser */
G_GNUC_INTERNAL
void          tradeoff_guidance_rule_free            (TradeoffRule       *self);
G_GNUC_INTERNAL
TradeoffRule *tradeoff_guidance_parse_rule           (Parse              *parse,
                                                      JsonNode           *node,
                                                      const char         *path,
                                                      gboolean            nested);

/* tradeoff-guidance-measure.c: runs, selections and their figures */
G_GNUC_INTERNAL
double   tradeoff_guidance_param_value              (const TradeoffResult *result,
                                                     const TradeoffRun    *run,
                                                     Param                 param);
G_GNUC_INTERNAL
gboolean tradeoff_guidance_param_is_engine          (Param                 param);
G_GNUC_INTERNAL
double   tradeoff_guidance_figure_value             (const TradeoffResult *result,
                                                     const TradeoffRun    *run,
                                                     Figure                figure);
G_GNUC_INTERNAL
gboolean tradeoff_guidance_selection_matches        (const Selection      *self,
                                                     const TradeoffResult *result,
                                                     const TradeoffRun    *run);
G_GNUC_INTERNAL
int      tradeoff_guidance_compare_doubles          (gconstpointer         a,
                                                     gconstpointer         b);
G_GNUC_INTERNAL
double   tradeoff_guidance_pick_value               (Pick                  pick,
                                                     GArray               *values);
G_GNUC_INTERNAL
double   tradeoff_guidance_selection_figure         (const Selection      *selection,
                                                     const TradeoffResult *result,
                                                     Figure                figure,
                                                     guint                *n_runs);
G_GNUC_INTERNAL
gboolean tradeoff_guidance_selection_driver_limited (const Selection      *selection,
                                                     const TradeoffResult *result);
G_GNUC_INTERNAL
gboolean tradeoff_guidance_selection_has_run        (const Selection      *selection,
                                                     const TradeoffResult *result);

/* tradeoff-guidance-verdict.c: verdicts and their figures in words */
G_GNUC_INTERNAL
TradeoffVerdict *tradeoff_guidance_verdict_new       (TradeoffVerdictKind   kind);
G_GNUC_INTERNAL
void             tradeoff_guidance_note_driver_limit (TradeoffVerdict      *verdict,
                                                      Figure                figure,
                                                      gboolean              limited);
G_GNUC_INTERNAL
char            *tradeoff_guidance_format_figure     (Figure                figure,
                                                      TradeoffWorkloadKind  kind,
                                                      double                value);
G_GNUC_INTERNAL
char            *tradeoff_guidance_format_param      (Param                 param,
                                                      double                value);
G_GNUC_INTERNAL
void             tradeoff_guidance_add_figure        (TradeoffVerdict      *verdict,
                                                      const char           *label,
                                                      Figure                figure,
                                                      TradeoffWorkloadKind  kind,
                                                      double                value);
G_GNUC_INTERNAL
char            *tradeoff_guidance_format_ratio      (const TradeoffRule   *rule,
                                                      double                ratio);

G_END_DECLS
