/* tradeoff-scenario-fields.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every numeric field of the workload is described once, in the table
 * below: its key, where it lives, which workload kinds use it and its valid
 * range. Loading, validating and the editor's per-field check all read the
 * same table, so a rule cannot be enforced in one place and forgotten in
 * another. Keys a kind does not use are not read into the model; they are
 * kept with the unknown keys and written back as they were. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tradeoff-scenario-private.h"

#define KIND_REQUEST   (1u << TRADEOFF_WORKLOAD_REQUEST)
#define KIND_ML_BATCH  (1u << TRADEOFF_WORKLOAD_ML_BATCH)
#define KIND_CHAT      (1u << TRADEOFF_WORKLOAD_CHAT)
#define KIND_STREAMING (1u << TRADEOFF_WORKLOAD_STREAMING)
#define KIND_ALL       (KIND_REQUEST | KIND_ML_BATCH | KIND_CHAT | KIND_STREAMING)

#define MODE_ANY    (-1)

#define MiB (1024.0 * 1024.0)

static const FieldRule workload_fields[] = {
  { "duration_s", FALSE, MODE_ANY, KIND_ALL, FIELD_DOUBLE,
    G_STRUCT_OFFSET (TradeoffWorkload, duration_s), 0, TRUE, 3600 },
  { "warmup_s", FALSE, MODE_ANY, KIND_ALL, FIELD_DOUBLE,
    G_STRUCT_OFFSET (TradeoffWorkload, warmup_s), 0, FALSE, 3600 },
  { "rate_per_s", TRUE, TRADEOFF_ARRIVAL_OPEN, KIND_ALL, FIELD_DOUBLE,
    G_STRUCT_OFFSET (TradeoffWorkload, rate_per_s), 0, TRUE, 1000000 },
  { "clients", TRUE, TRADEOFF_ARRIVAL_CLOSED, KIND_ALL, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, clients), 1, FALSE, 100000 },
  { "think_ms", TRUE, TRADEOFF_ARRIVAL_CLOSED, KIND_ALL, FIELD_DOUBLE,
    G_STRUCT_OFFSET (TradeoffWorkload, think_ms), 0, FALSE, 60000 },
  { "connections", FALSE, MODE_ANY, KIND_REQUEST | KIND_ML_BATCH | KIND_CHAT, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, connections), 1, FALSE, 100000 },
  { "rooms", FALSE, MODE_ANY, KIND_CHAT, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, rooms), 1, FALSE, 100000 },
  { "message_bytes", FALSE, MODE_ANY, KIND_CHAT, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, message_bytes), 1, FALSE, MiB },
  { "batch", FALSE, MODE_ANY, KIND_ML_BATCH, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, batch), 1, FALSE, 4096 },
  { "cpu_us", FALSE, MODE_ANY, KIND_REQUEST | KIND_ML_BATCH | KIND_CHAT, FIELD_UINT64,
    G_STRUCT_OFFSET (TradeoffWorkload, cpu_us), 0, FALSE, 10000000 },
  { "wait_us", FALSE, MODE_ANY, KIND_REQUEST | KIND_ML_BATCH | KIND_CHAT, FIELD_UINT64,
    G_STRUCT_OFFSET (TradeoffWorkload, wait_us), 0, FALSE, 60000000 },
  { "request_bytes", FALSE, MODE_ANY, KIND_REQUEST | KIND_ML_BATCH, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, request_bytes), 0, FALSE, 64 * MiB },
  { "reply_bytes", FALSE, MODE_ANY, KIND_REQUEST | KIND_ML_BATCH, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, reply_bytes), 0, FALSE, 64 * MiB },
  { "streams", FALSE, MODE_ANY, KIND_STREAMING, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, streams), 1, FALSE, 100000 },
  { "stream_bytes", FALSE, MODE_ANY, KIND_STREAMING, FIELD_UINT64,
    G_STRUCT_OFFSET (TradeoffWorkload, stream_bytes), 1, FALSE, 1024.0 * 1024 * MiB },
  { "rate_bytes_per_s", FALSE, MODE_ANY, KIND_STREAMING, FIELD_UINT64,
    G_STRUCT_OFFSET (TradeoffWorkload, rate_bytes_per_s), 1, FALSE, 1024.0 * MiB },
  { "chunk_bytes", FALSE, MODE_ANY, KIND_STREAMING, FIELD_UINT,
    G_STRUCT_OFFSET (TradeoffWorkload, chunk_bytes), 1, FALSE, 16 * MiB },
  { "slow_reader_fraction", FALSE, MODE_ANY, KIND_STREAMING, FIELD_DOUBLE,
    G_STRUCT_OFFSET (TradeoffWorkload, slow_reader_fraction), 0, FALSE, 1 },
};

#define ENGINE_BIT(k) (1u << (k))

static const EngineRule engine_fields[] = {
  { "instances", ENGINE_BIT (TRADEOFF_ENGINE_LOOP) | ENGINE_BIT (TRADEOFF_ENGINE_POOL),
    G_STRUCT_OFFSET (TradeoffEngineSpec, instances), 1, 64 },
  { "offload_workers", ENGINE_BIT (TRADEOFF_ENGINE_LOOP),
    G_STRUCT_OFFSET (TradeoffEngineSpec, offload_workers), 0, 256 },
  { "workers", ENGINE_BIT (TRADEOFF_ENGINE_POOL),
    G_STRUCT_OFFSET (TradeoffEngineSpec, workers), 1, 10000 },
  { "switch_interval_ms", ENGINE_BIT (TRADEOFF_ENGINE_POOL),
    G_STRUCT_OFFSET (TradeoffEngineSpec, switch_interval_ms), 1, 1000 },
};

static const char * const reference_runtimes[] = {
  "node", "node-cluster", "python-asyncio", "python-threads", NULL
};

/* Helpers */

static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

char *
tradeoff_scenario_describe_node (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    return g_strdup ("nothing");

  text = json_to_string (node, FALSE);
  if (strlen (text) > 40)
    {
      text[37] = '\0';
      return g_strconcat (text, "...", NULL);
    }

  return g_steal_pointer (&text);
}

char *
tradeoff_scenario_join_names (const char * const *names,
                              guint               n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n && names[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, names[i]);
    }

  return g_string_free (out, FALSE);
}

void
tradeoff_scenario_set_invalid (GError     **error,
                               const char  *field,
                               const char  *reason)
{
  g_set_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID,
               "%s: %s", field, reason);
}

char *
tradeoff_scenario_check_range (double      value,
                               FieldType   type,
                               double      min,
                               gboolean    positive,
                               double      max)
{
  g_autofree char *got = format_number (value);
  g_autofree char *min_text = format_number (min);
  g_autofree char *max_text = format_number (max);

  if (!isfinite (value))
    return g_strdup_printf (_("must be a number, got %s"), got);

  if (positive && !(value > min))
    return g_strdup_printf (_("must be a positive number, got %s"), got);

  if (type != FIELD_DOUBLE && value != floor (value))
    return g_strdup_printf (_("must be a whole number, got %s"), got);

  if (value < min || value > max)
    {
      if (positive)
        return g_strdup_printf (_("must be a positive number up to %s, got %s"), max_text, got);
      return g_strdup_printf (_("must be between %s and %s, got %s"), min_text, max_text, got);
    }

  return NULL;
}

double
tradeoff_scenario_get_field (const TradeoffWorkload *workload,
                             const FieldRule        *rule)
{
  const guint8 *base = (const guint8 *) workload;

  switch (rule->type)
    {
    case FIELD_DOUBLE:
      return *(const double *) (base + rule->offset);
    case FIELD_UINT:
      return *(const guint *) (base + rule->offset);
    case FIELD_UINT64:
      return (double) *(const guint64 *) (base + rule->offset);
    default:
      g_assert_not_reached ();
    }
}

void
tradeoff_scenario_set_field (TradeoffWorkload *workload,
                             const FieldRule  *rule,
                             double            value)
{
  guint8 *base = (guint8 *) workload;

  switch (rule->type)
    {
    case FIELD_DOUBLE:
      *(double *) (base + rule->offset) = value;
      break;
    case FIELD_UINT:
      *(guint *) (base + rule->offset) = (guint) value;
      break;
    case FIELD_UINT64:
      *(guint64 *) (base + rule->offset) = (guint64) value;
      break;
    default:
      g_assert_not_reached ();
    }
}

gboolean
tradeoff_scenario_rule_applies (const FieldRule        *rule,
                                const TradeoffWorkload *workload)
{
  if ((rule->kinds & (1u << workload->kind)) == 0)
    return FALSE;
  if (rule->arrival_mode != MODE_ANY && rule->arrival_mode != (int) workload->arrival_mode)
    return FALSE;
  return TRUE;
}

const FieldRule *
tradeoff_scenario_find_rule (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (workload_fields); i++)
    if (g_str_equal (workload_fields[i].name, name))
      return &workload_fields[i];
  return NULL;
}

char *
tradeoff_scenario_field_path (const FieldRule *rule)
{
  return g_strconcat (rule->in_arrival ? "workload.arrival." : "workload.", rule->name, NULL);
}

const EngineRule *
tradeoff_scenario_find_engine_rule (const char         *name,
                                    TradeoffEngineKind  kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (engine_fields); i++)
    if (g_str_equal (engine_fields[i].name, name) && (engine_fields[i].kinds & ENGINE_BIT (kind)))
      return &engine_fields[i];
  return NULL;
}

/* Engines */

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static gboolean
is_http_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL || !g_str_has_prefix (url, "http://"))
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

char *
tradeoff_engine_spec_check (const TradeoffEngineSpec *self,
                            const char               *field_prefix)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (field_prefix == NULL)
    field_prefix = "engine";

  if (is_blank (self->label))
    return g_strdup_printf ("%s.label: %s", field_prefix, _("must not be empty"));

  for (guint i = 0; i < G_N_ELEMENTS (engine_fields); i++)
    {
      const EngineRule *rule = &engine_fields[i];
      g_autofree char *reason = NULL;

      if ((rule->kinds & ENGINE_BIT (self->kind)) == 0)
        continue;

      reason = tradeoff_scenario_check_range (G_STRUCT_MEMBER (guint, self, rule->offset),
                                              FIELD_UINT, rule->min, FALSE, rule->max);
      if (reason != NULL)
        return g_strdup_printf ("%s.%s: %s", field_prefix, rule->name, reason);
    }

  if (self->kind == TRADEOFF_ENGINE_URL && !is_http_url (self->url))
    {
      g_autoptr(JsonNode) got = json_node_init_string (json_node_alloc (),
                                                       self->url ? self->url : "");
      g_autofree char *got_text = tradeoff_scenario_describe_node (got);

      g_autofree char *reason =
        g_strdup_printf (_("must be an http:// address with a host, got %s"), got_text);

      return g_strdup_printf ("%s.url: %s", field_prefix, reason);
    }

  if (self->kind == TRADEOFF_ENGINE_REFERENCE
      && (self->runtime == NULL || !g_strv_contains (reference_runtimes, self->runtime)))
    {
      g_autoptr(JsonNode) got = json_node_init_string (json_node_alloc (),
                                                       self->runtime ? self->runtime : "");
      g_autofree char *got_text = tradeoff_scenario_describe_node (got);
      g_autofree char *list = tradeoff_scenario_join_names (reference_runtimes, G_MAXUINT);
      g_autofree char *reason = g_strdup_printf (_("must be one of %s, got %s"), list, got_text);

      return g_strdup_printf ("%s.runtime: %s", field_prefix, reason);
    }

  return NULL;
}

/* Workloads */

char *
tradeoff_workload_check_field (const TradeoffWorkload *workload,
                               const char             *field)
{
  const FieldRule *rule;

  g_return_val_if_fail (workload != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if ((rule = tradeoff_scenario_find_rule (field)) == NULL
      || !tradeoff_scenario_rule_applies (rule, workload))
    return NULL;

  return tradeoff_scenario_check_range (tradeoff_scenario_get_field (workload, rule), rule->type,
                                        rule->min, rule->positive, rule->max);
}

gboolean
tradeoff_workload_get_number (const TradeoffWorkload *workload,
                              const char             *field,
                              double                 *value)
{
  const FieldRule *rule;

  g_return_val_if_fail (workload != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if ((rule = tradeoff_scenario_find_rule (field)) == NULL)
    return FALSE;

  *value = tradeoff_scenario_get_field (workload, rule);
  return TRUE;
}

gboolean
tradeoff_workload_set_number (TradeoffWorkload *workload,
                              const char       *field,
                              double            value)
{
  const FieldRule *rule;

  g_return_val_if_fail (workload != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if ((rule = tradeoff_scenario_find_rule (field)) == NULL)
    return FALSE;

  if (rule->type != FIELD_DOUBLE)
    value = MAX (0, round (value));
  tradeoff_scenario_set_field (workload, rule, value);
  return TRUE;
}

/* Scenarios */

gboolean
tradeoff_scenario_validate (const TradeoffScenario  *self,
                            GError                 **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (workload_fields); i++)
    {
      const FieldRule *rule = &workload_fields[i];
      g_autofree char *reason = NULL;

      if (!tradeoff_scenario_rule_applies (rule, &self->workload))
        continue;

      if ((reason = tradeoff_scenario_check_range (tradeoff_scenario_get_field (&self->workload,
                                                                                rule),
                                                   rule->type, rule->min, rule->positive,
                                                   rule->max)))
        {
          g_autofree char *field = tradeoff_scenario_field_path (rule);

          tradeoff_scenario_set_invalid (error, field, reason);
          return FALSE;
        }
    }

  if (self->engines == NULL || self->engines->len == 0)
    {
      tradeoff_scenario_set_invalid (error, "engines", _("must list at least one engine"));
      return FALSE;
    }

  for (guint i = 0; i < self->engines->len; i++)
    {
      const TradeoffEngineSpec *spec = g_ptr_array_index (self->engines, i);
      g_autofree char *prefix = g_strdup_printf ("engines[%u]", i);
      g_autofree char *problem = tradeoff_engine_spec_check (spec, prefix);

      if (problem != NULL)
        {
          g_set_error_literal (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID,
                               problem);
          return FALSE;
        }

      for (guint j = 0; j < i; j++)
        {
          const TradeoffEngineSpec *other = g_ptr_array_index (self->engines, j);

          if (g_strcmp0 (other->label, spec->label) == 0)
            {
              g_autofree char *field = g_strdup_printf ("engines[%u].label", i);
              g_autofree char *reason =
                g_strdup_printf (_("must be unique, “%s” is also the label of engines[%u]"),
                                 spec->label, j);

              tradeoff_scenario_set_invalid (error, field, reason);
              return FALSE;
            }
        }
    }

  return TRUE;
}
