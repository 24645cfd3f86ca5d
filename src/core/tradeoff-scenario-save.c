/* tradeoff-scenario-save.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writing scenarios as JSON: the fields each kind uses, in a fixed order,
 * then the unknown keys kept from the file the scenario was read from. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <math.h>

#include "tradeoff-core.h"
#include "tradeoff-scenario-private.h"

/* Keys of each kind, in the order they are written. */
static const char * const workload_keys[][8] = {
  [TRADEOFF_WORKLOAD_REQUEST] = { "connections", "cpu_us", "wait_us", "request_bytes",
                                  "reply_bytes", NULL },
  [TRADEOFF_WORKLOAD_ML_BATCH] = { "connections", "batch", "cpu_us", "wait_us",
                                   "request_bytes", "reply_bytes", NULL },
  [TRADEOFF_WORKLOAD_CHAT] = { "connections", "rooms", "message_bytes", "cpu_us", "wait_us",
                               NULL },
  [TRADEOFF_WORKLOAD_STREAMING] = { "streams", "stream_bytes", "rate_bytes_per_s",
                                    "chunk_bytes", "slow_reader_fraction", NULL },
};

/* Helpers */

static void
add_number (JsonObject *object,
            const char *name,
            double      value,
            FieldType   type)
{
  if (type == FIELD_DOUBLE && (value != floor (value) || fabs (value) > 9e15))
    json_object_set_double_member (object, name, value);
  else
    json_object_set_int_member (object, name, (gint64) value);
}

/* Engines */

JsonNode *
tradeoff_engine_spec_to_json (const TradeoffEngineSpec *self)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_object_set_string_member (object, "label", self->label != NULL ? self->label : "");
  json_object_set_string_member (object, "kind", tradeoff_engine_kind_to_string (self->kind));

  switch (self->kind)
    {
    case TRADEOFF_ENGINE_LOOP:
      json_object_set_int_member (object, "instances", self->instances);
      json_object_set_int_member (object, "offload_workers", self->offload_workers);
      break;
    case TRADEOFF_ENGINE_POOL:
      json_object_set_int_member (object, "workers", self->workers);
      json_object_set_boolean_member (object, "gil", self->gil);
      json_object_set_int_member (object, "switch_interval_ms", self->switch_interval_ms);
      json_object_set_string_member (object, "connection_mode",
                                     tradeoff_connection_mode_to_string (self->connection_mode));
      json_object_set_int_member (object, "instances", self->instances);
      break;
    case TRADEOFF_ENGINE_URL:
      json_object_set_string_member (object, "url", self->url != NULL ? self->url : "");
      break;
    case TRADEOFF_ENGINE_REFERENCE:
      json_object_set_string_member (object, "runtime", self->runtime != NULL ? self->runtime : "");
      break;
    default:
      g_assert_not_reached ();
    }

  tradeoff_json_object_add_extra (object, self->extra);

  return json_node_init_object (json_node_alloc (), object);
}

/* Workloads */

static JsonNode *
workload_to_json (const TradeoffWorkload *workload)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) arrival = json_object_new ();
  const char * const *keys = workload_keys[workload->kind];

  json_object_set_string_member (object, "kind", tradeoff_workload_kind_to_string (workload->kind));
  add_number (object, "duration_s", workload->duration_s, FIELD_DOUBLE);
  add_number (object, "warmup_s", workload->warmup_s, FIELD_DOUBLE);

  json_object_set_string_member (arrival, "mode",
                                 tradeoff_scenario_arrival_mode_names[workload->arrival_mode]);
  if (workload->arrival_mode == TRADEOFF_ARRIVAL_OPEN)
    {
      add_number (arrival, "rate_per_s", workload->rate_per_s, FIELD_DOUBLE);
      json_object_set_string_member (arrival, "distribution",
                                     tradeoff_scenario_distribution_names[workload->distribution]);
    }
  else
    {
      add_number (arrival, "clients", workload->clients, FIELD_UINT);
      add_number (arrival, "think_ms", workload->think_ms, FIELD_DOUBLE);
    }
  tradeoff_json_object_add_extra (arrival, workload->arrival_extra);
  json_object_set_object_member (object, "arrival", g_steal_pointer (&arrival));

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const FieldRule *rule = tradeoff_scenario_find_rule (keys[i]);

      g_assert (rule != NULL);
      add_number (object, rule->name, tradeoff_scenario_get_field (workload, rule), rule->type);
    }

  tradeoff_json_object_add_extra (object, workload->extra);

  return json_node_init_object (json_node_alloc (), object);
}

/* Scenarios */

JsonNode *
tradeoff_scenario_to_json (const TradeoffScenario *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) engines = json_array_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_object_set_string_member (object, "format", TRADEOFF_SCENARIO_FORMAT);
  json_object_set_string_member (object, "name", self->name != NULL ? self->name : "");
  json_object_set_member (object, "workload", workload_to_json (&self->workload));
  for (guint i = 0; self->engines != NULL && i < self->engines->len; i++)
    json_array_add_element (engines,
                            tradeoff_engine_spec_to_json (g_ptr_array_index (self->engines, i)));
  json_object_set_array_member (object, "engines", g_steal_pointer (&engines));
  tradeoff_json_object_add_extra (object, self->extra);

  return json_node_init_object (json_node_alloc (), object);
}

char *
tradeoff_scenario_to_data (const TradeoffScenario *self,
                           gsize                  *length)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  node = tradeoff_scenario_to_json (self);

  return tradeoff_json_to_data (node, length);
}

gboolean
tradeoff_scenario_save_file (const TradeoffScenario  *self,
                             const char              *path,
                             GError                 **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* A file that could not be loaded again is not worth writing. */
  if (!tradeoff_scenario_validate (self, error))
    return FALSE;

  data = tradeoff_scenario_to_data (self, &length);

  return g_file_set_contents (path, data, length, error);
}
