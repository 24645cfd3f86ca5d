/* tradeoff-scenario.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The scenario model: a workload and the engines to run it against, loaded
 * from and saved to `*.tradeoff.json` (format `tradeoff-scenario/1`, see
 * FORMATS.md). Plain data: the window edits the fields and calls
 * tradeoff_scenario_validate(). Fields the file has and this model does not
 * know are kept in `extra` objects and written back on save. */

#define TRADEOFF_SCENARIO_FORMAT "tradeoff-scenario/1"

#define TRADEOFF_SCENARIO_ERROR (tradeoff_scenario_error_quark ())

typedef enum
{
  TRADEOFF_SCENARIO_ERROR_PARSE,     /* not JSON, or not an object */
  TRADEOFF_SCENARIO_ERROR_FORMAT,    /* unknown or missing "format" */
  TRADEOFF_SCENARIO_ERROR_INVALID,   /* a field with a bad value; the message names it */
} TradeoffScenarioError;

typedef enum
{
  TRADEOFF_WORKLOAD_REQUEST,
  TRADEOFF_WORKLOAD_ML_BATCH,
  TRADEOFF_WORKLOAD_CHAT,
  TRADEOFF_WORKLOAD_STREAMING,
} TradeoffWorkloadKind;

typedef enum
{
  TRADEOFF_ARRIVAL_OPEN,
  TRADEOFF_ARRIVAL_CLOSED,
} TradeoffArrivalMode;

typedef enum
{
  TRADEOFF_DISTRIBUTION_CONSTANT,
  TRADEOFF_DISTRIBUTION_POISSON,
} TradeoffDistribution;

typedef enum
{
  TRADEOFF_ENGINE_LOOP,
  TRADEOFF_ENGINE_POOL,
  TRADEOFF_ENGINE_URL,
  TRADEOFF_ENGINE_REFERENCE,
} TradeoffEngineKind;

typedef enum
{
  TRADEOFF_CONNECTION_PER_CONNECTION,
  TRADEOFF_CONNECTION_PER_REQUEST,
} TradeoffConnectionMode;

typedef struct
{
  TradeoffWorkloadKind  kind;
  double                duration_s;
  double                warmup_s;

  /* "arrival" */
  TradeoffArrivalMode   arrival_mode;
  double                rate_per_s;          /* open */
  TradeoffDistribution  distribution;        /* open */
  guint                 clients;             /* closed */
  double                think_ms;            /* closed */

  /* request and ml-batch; also the connection pool size of open-loop request load */
  guint                 connections;         /* chat: subscribers */
  guint64               cpu_us;
  guint64               wait_us;
  guint                 request_bytes;
  guint                 reply_bytes;
  guint                 batch;               /* ml-batch items per request */

  /* chat */
  guint                 rooms;
  guint                 message_bytes;

  /* streaming */
  guint                 streams;
  guint64               stream_bytes;
  guint64               rate_bytes_per_s;
  guint                 chunk_bytes;
  double                slow_reader_fraction;

  JsonObject           *extra;               /* unknown keys of "workload" (nullable) */
  JsonObject           *arrival_extra;       /* unknown keys of "arrival" (nullable) */
} TradeoffWorkload;

typedef struct
{
  char                  *label;
  TradeoffEngineKind     kind;
  guint                  instances;          /* loop, pool */
  guint                  offload_workers;    /* loop */
  guint                  workers;            /* pool */
  gboolean               gil;                /* pool */
  guint                  switch_interval_ms; /* pool */
  TradeoffConnectionMode connection_mode;    /* pool */
  char                  *url;                /* url */
  char                  *runtime;            /* reference: node, node-cluster, python-asyncio, python-threads */
  JsonObject            *extra;              /* unknown keys (nullable) */
} TradeoffEngineSpec;

typedef struct
{
  char             *name;
  TradeoffWorkload  workload;
  GPtrArray        *engines;                 /* TradeoffEngineSpec* */
  JsonObject       *extra;                   /* unknown top-level keys (nullable) */
} TradeoffScenario;

GQuark              tradeoff_scenario_error_quark      (void);

const char         *tradeoff_workload_kind_to_string   (TradeoffWorkloadKind      kind);
gboolean            tradeoff_workload_kind_from_string (const char               *str,
                                                        TradeoffWorkloadKind     *kind);
const char         *tradeoff_engine_kind_to_string     (TradeoffEngineKind        kind);
gboolean            tradeoff_engine_kind_from_string   (const char               *str,
                                                        TradeoffEngineKind       *kind);
const char         *tradeoff_connection_mode_to_string (TradeoffConnectionMode    mode);

/* Sensible defaults for each kind. */
TradeoffEngineSpec *tradeoff_engine_spec_new           (TradeoffEngineKind        kind,
                                                        const char               *label);
TradeoffEngineSpec *tradeoff_engine_spec_copy          (const TradeoffEngineSpec *self);
void                tradeoff_engine_spec_free          (TradeoffEngineSpec       *self);
JsonNode           *tradeoff_engine_spec_to_json       (const TradeoffEngineSpec *self);
/* @field_prefix names the spec in messages, e.g. "engines[2]". */
TradeoffEngineSpec *tradeoff_engine_spec_from_json     (JsonNode                 *node,
                                                        const char               *field_prefix,
                                                        GError                  **error);
/* NULL when valid, else "engines[1].workers: must be at least 1, got 0". */
char               *tradeoff_engine_spec_check         (const TradeoffEngineSpec *self,
                                                        const char               *field_prefix);

/* Defaults: a hello-world request workload against a loop and a pool. */
TradeoffScenario   *tradeoff_scenario_new              (void);
TradeoffScenario   *tradeoff_scenario_copy             (const TradeoffScenario   *self);
void                tradeoff_scenario_free             (TradeoffScenario         *self);
/* Switches the workload kind and fills the new kind's fields with defaults. */
void                tradeoff_workload_set_defaults     (TradeoffWorkload         *workload,
                                                        TradeoffWorkloadKind      kind);

TradeoffScenario   *tradeoff_scenario_load_file        (const char               *path,
                                                        GError                  **error);
TradeoffScenario   *tradeoff_scenario_load_data        (const char               *data,
                                                        gssize                    length,
                                                        GError                  **error);
TradeoffScenario   *tradeoff_scenario_from_json        (JsonNode                 *node,
                                                        GError                  **error);
JsonNode           *tradeoff_scenario_to_json          (const TradeoffScenario   *self);
char               *tradeoff_scenario_to_data          (const TradeoffScenario   *self,
                                                        gsize                    *length);
/* Atomic: a failed save leaves the old file as it was. */
gboolean            tradeoff_scenario_save_file        (const TradeoffScenario   *self,
                                                        const char               *path,
                                                        GError                  **error);
/* Checks every field; the first problem is reported as
 * "workload.rate_per_s: must be a positive number, got -3". */
gboolean            tradeoff_scenario_validate         (const TradeoffScenario   *self,
                                                        GError                  **error);
/* The problem with one field of the workload, e.g. "rate_per_s", or NULL
 * when it is fine (or the kind / arrival mode does not use it): used by the
 * editor to mark a row. The reason only, translated, without the field's
 * path: "must be a positive number, got -3". */
char               *tradeoff_workload_check_field      (const TradeoffWorkload   *workload,
                                                        const char               *field);
/* By-name access to the numeric fields of the workload, e.g. "rate_per_s"
 * or "cpu_us" (the names of the scenario file). Whole-number fields are
 * set to @value rounded, at least 0. FALSE (and nothing read or written)
 * when @field names no numeric field. */
gboolean            tradeoff_workload_get_number       (const TradeoffWorkload   *workload,
                                                        const char               *field,
                                                        double                   *value);
gboolean            tradeoff_workload_set_number       (TradeoffWorkload         *workload,
                                                        const char               *field,
                                                        double                    value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffEngineSpec, tradeoff_engine_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffScenario, tradeoff_scenario_free)

G_END_DECLS
