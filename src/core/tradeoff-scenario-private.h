/* tradeoff-scenario-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tradeoff-scenario.h"

G_BEGIN_DECLS

/* The scenario is one model split by concern: tradeoff-scenario.c (the
 * model, its defaults and copies), tradeoff-scenario-fields.c (the field
 * rules and validation), tradeoff-scenario-load.c (reading JSON) and
 * tradeoff-scenario-save.c (writing it). What they share is declared here. */

typedef enum
{
  FIELD_DOUBLE,
  FIELD_UINT,
  FIELD_UINT64,
} FieldType;

typedef struct
{
  const char *name;
  gboolean    in_arrival;
  int         arrival_mode;   /* MODE_ANY or a TradeoffArrivalMode */
  guint       kinds;
  FieldType   type;
  gsize       offset;
  double      min;
  gboolean    positive;       /* min is exclusive: "must be a positive number" */
  double      max;
} FieldRule;

typedef struct
{
  const char *name;
  guint       kinds;   /* bitmask of engine kinds */
  gsize       offset;
  guint       min;
  guint       max;
} EngineRule;

/* The names of the enumerations in files, indexed by value
 * (tradeoff-scenario.c). */
extern const char * const
  tradeoff_scenario_workload_kind_names[TRADEOFF_WORKLOAD_STREAMING + 1];
extern const char * const
  tradeoff_scenario_engine_kind_names[TRADEOFF_ENGINE_REFERENCE + 1];
extern const char * const
  tradeoff_scenario_connection_mode_names[TRADEOFF_CONNECTION_PER_REQUEST + 1];
extern const char * const
  tradeoff_scenario_distribution_names[TRADEOFF_DISTRIBUTION_POISSON + 1];
extern const char * const
  tradeoff_scenario_arrival_mode_names[TRADEOFF_ARRIVAL_CLOSED + 1];

/* The field rules and the helpers of field-named errors
 * (tradeoff-scenario-fields.c). */

char             *tradeoff_scenario_describe_node    (JsonNode               *node);
char             *tradeoff_scenario_join_names       (const char * const     *names,
                                                      guint                   n);
void              tradeoff_scenario_set_invalid      (GError                **error,
                                                      const char             *field,
                                                      const char             *reason);
char             *tradeoff_scenario_check_range      (double                  value,
                                                      FieldType               type,
                                                      double                  min,
                                                      gboolean                positive,
                                                      double                  max);
double            tradeoff_scenario_get_field        (const TradeoffWorkload *workload,
                                                      const FieldRule        *rule);
void              tradeoff_scenario_set_field        (TradeoffWorkload       *workload,
                                                      const FieldRule        *rule,
                                                      double                  value);
gboolean          tradeoff_scenario_rule_applies     (const FieldRule        *rule,
                                                      const TradeoffWorkload *workload);
const FieldRule  *tradeoff_scenario_find_rule        (const char             *name);
char             *tradeoff_scenario_field_path       (const FieldRule        *rule);
const EngineRule *tradeoff_scenario_find_engine_rule (const char             *name,
                                                      TradeoffEngineKind      kind);

G_END_DECLS
