/* tradeoff-scenario.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The scenario model: the plain structs of tradeoff-scenario.h, their
 * defaults and copies, and the names of the enumerations. The field rules
 * and validation live in tradeoff-scenario-fields.c, reading JSON in
 * tradeoff-scenario-load.c and writing it in tradeoff-scenario-save.c. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-core.h"
#include "tradeoff-scenario-private.h"

G_DEFINE_QUARK (tradeoff-scenario-error-quark, tradeoff_scenario_error)

/* Enumerations */

/* The names the enumerations have in files, indexed by value. */
const char * const tradeoff_scenario_workload_kind_names[TRADEOFF_WORKLOAD_STREAMING + 1] = {
  "request", "ml-batch", "chat", "streaming"
};
const char * const tradeoff_scenario_engine_kind_names[TRADEOFF_ENGINE_REFERENCE + 1] = {
  "loop", "pool", "url", "reference"
};
const char * const tradeoff_scenario_connection_mode_names[TRADEOFF_CONNECTION_PER_REQUEST + 1] = {
  "per-connection", "per-request"
};
const char * const tradeoff_scenario_distribution_names[TRADEOFF_DISTRIBUTION_POISSON + 1] = {
  "constant", "poisson"
};
const char * const tradeoff_scenario_arrival_mode_names[TRADEOFF_ARRIVAL_CLOSED + 1] = {
  "open", "closed"
};

const char *
tradeoff_workload_kind_to_string (TradeoffWorkloadKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (tradeoff_scenario_workload_kind_names), NULL);
  return tradeoff_scenario_workload_kind_names[kind];
}

gboolean
tradeoff_workload_kind_from_string (const char           *str,
                                    TradeoffWorkloadKind *kind)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (tradeoff_scenario_workload_kind_names); i++)
    {
      if (g_str_equal (str, tradeoff_scenario_workload_kind_names[i]))
        {
          if (kind != NULL)
            *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tradeoff_engine_kind_to_string (TradeoffEngineKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (tradeoff_scenario_engine_kind_names), NULL);
  return tradeoff_scenario_engine_kind_names[kind];
}

gboolean
tradeoff_engine_kind_from_string (const char         *str,
                                  TradeoffEngineKind *kind)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (tradeoff_scenario_engine_kind_names); i++)
    {
      if (g_str_equal (str, tradeoff_scenario_engine_kind_names[i]))
        {
          if (kind != NULL)
            *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tradeoff_connection_mode_to_string (TradeoffConnectionMode mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (tradeoff_scenario_connection_mode_names), NULL);
  return tradeoff_scenario_connection_mode_names[mode];
}

/* Engines */

TradeoffEngineSpec *
tradeoff_engine_spec_new (TradeoffEngineKind  kind,
                          const char         *label)
{
  TradeoffEngineSpec *self;

  g_return_val_if_fail (kind <= TRADEOFF_ENGINE_REFERENCE, NULL);

  self = g_new0 (TradeoffEngineSpec, 1);
  self->kind = kind;
  self->instances = 1;
  self->offload_workers = 0;
  self->workers = 16;
  self->gil = TRUE;
  self->switch_interval_ms = 5;
  self->connection_mode = TRADEOFF_CONNECTION_PER_CONNECTION;
  self->url = g_strdup ("http://127.0.0.1:8080");
  self->runtime = g_strdup ("node");

  if (label != NULL)
    self->label = g_strdup (label);
  else
    {
      switch (kind)
        {
        case TRADEOFF_ENGINE_LOOP:
          self->label = g_strdup (_("Event loop"));
          break;
        case TRADEOFF_ENGINE_POOL:
          self->label = g_strdup (_("Thread pool with GIL"));
          break;
        case TRADEOFF_ENGINE_URL:
          self->label = g_strdup (_("My server"));
          break;
        case TRADEOFF_ENGINE_REFERENCE:
          self->label = g_strdup (_("Reference server"));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return self;
}

TradeoffEngineSpec *
tradeoff_engine_spec_copy (const TradeoffEngineSpec *self)
{
  TradeoffEngineSpec *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->label = g_strdup (self->label);
  copy->url = g_strdup (self->url);
  copy->runtime = g_strdup (self->runtime);
  copy->extra = tradeoff_json_object_copy (self->extra);

  return copy;
}

void
tradeoff_engine_spec_free (TradeoffEngineSpec *self)
{
  if (self == NULL)
    return;

  g_free (self->label);
  g_free (self->url);
  g_free (self->runtime);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

/* Workloads */

void
tradeoff_workload_set_defaults (TradeoffWorkload     *workload,
                                TradeoffWorkloadKind  kind)
{
  g_return_if_fail (workload != NULL);
  g_return_if_fail (kind <= TRADEOFF_WORKLOAD_STREAMING);

  /* A short run a new user can start at once: ten seconds after two of
   * warm-up, Poisson arrivals at a rate a 2-core machine can drive. */
  workload->kind = kind;
  workload->duration_s = 10;
  workload->warmup_s = 2;
  workload->arrival_mode = TRADEOFF_ARRIVAL_OPEN;
  workload->rate_per_s = 2000;
  workload->distribution = TRADEOFF_DISTRIBUTION_POISSON;
  workload->clients = 50;
  workload->think_ms = 0;
  workload->connections = 100;
  workload->cpu_us = 20;
  workload->wait_us = 0;
  workload->request_bytes = 0;
  workload->reply_bytes = 100;
  workload->batch = 1;
  workload->rooms = 10;
  workload->message_bytes = 200;
  workload->streams = 50;
  workload->stream_bytes = 1024 * 1024;
  workload->rate_bytes_per_s = 128 * 1024;
  workload->chunk_bytes = 16 * 1024;
  workload->slow_reader_fraction = 0.1;

  switch (kind)
    {
    case TRADEOFF_WORKLOAD_REQUEST:
      break;
    case TRADEOFF_WORKLOAD_ML_BATCH:
      /* 8 items of 1 ms each: a request costs 8 ms of CPU. */
      workload->rate_per_s = 100;
      workload->connections = 32;
      workload->batch = 8;
      workload->cpu_us = 1000;
      workload->wait_us = 1000;
      workload->request_bytes = 1024;
      workload->reply_bytes = 256;
      break;
    case TRADEOFF_WORKLOAD_CHAT:
      workload->rate_per_s = 200;
      workload->connections = 500;
      workload->cpu_us = 20;
      break;
    case TRADEOFF_WORKLOAD_STREAMING:
      workload->arrival_mode = TRADEOFF_ARRIVAL_CLOSED;
      workload->clients = 50;
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
workload_clear (TradeoffWorkload *workload)
{
  g_clear_pointer (&workload->extra, json_object_unref);
  g_clear_pointer (&workload->arrival_extra, json_object_unref);
}

/* Scenarios */

TradeoffScenario *
tradeoff_scenario_new (void)
{
  TradeoffScenario *self = g_new0 (TradeoffScenario, 1);

  self->name = g_strdup (_("Hello, world"));
  tradeoff_workload_set_defaults (&self->workload, TRADEOFF_WORKLOAD_REQUEST);
  self->engines = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_engine_spec_free);
  g_ptr_array_add (self->engines, tradeoff_engine_spec_new (TRADEOFF_ENGINE_LOOP, NULL));
  g_ptr_array_add (self->engines, tradeoff_engine_spec_new (TRADEOFF_ENGINE_POOL, NULL));

  return self;
}

TradeoffScenario *
tradeoff_scenario_copy (const TradeoffScenario *self)
{
  TradeoffScenario *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TradeoffScenario, 1);
  copy->name = g_strdup (self->name);
  copy->workload = self->workload;
  copy->workload.extra = tradeoff_json_object_copy (self->workload.extra);
  copy->workload.arrival_extra = tradeoff_json_object_copy (self->workload.arrival_extra);
  copy->engines = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_engine_spec_free);
  for (guint i = 0; self->engines != NULL && i < self->engines->len; i++)
    g_ptr_array_add (copy->engines,
                     tradeoff_engine_spec_copy (g_ptr_array_index (self->engines, i)));
  copy->extra = tradeoff_json_object_copy (self->extra);

  return copy;
}

void
tradeoff_scenario_free (TradeoffScenario *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  workload_clear (&self->workload);
  g_clear_pointer (&self->engines, g_ptr_array_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}
