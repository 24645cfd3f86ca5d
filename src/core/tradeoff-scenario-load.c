/* tradeoff-scenario-load.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reading scenarios from JSON: every value is checked as it is read, and
 * an error names the field (`workload.arrival.rate_per_s`,
 * `engines[1].workers`) and the reason. Keys the model does not use are
 * kept, to be written back as they were. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-core.h"
#include "tradeoff-scenario-private.h"

/* Helpers */

/* Reads a number from @node for @field; the reason it is not one otherwise. */
static gboolean
read_number (JsonNode    *node,
             const char  *field,
             double      *out,
             GError     **error)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        {
          *out = json_node_get_double (node);
          return TRUE;
        }
    }

  {
    g_autofree char *got = tradeoff_scenario_describe_node (node);
    g_autofree char *reason = g_strdup_printf (_("must be a number, got %s"), got);

    tradeoff_scenario_set_invalid (error, field, reason);
  }
  return FALSE;
}

static gboolean
read_string (JsonNode     *node,
             const char   *field,
             const char  **out,
             GError      **error)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = json_node_get_string (node);
      return TRUE;
    }

  {
    g_autofree char *got = tradeoff_scenario_describe_node (node);
    g_autofree char *reason = g_strdup_printf (_("must be a text, got %s"), got);

    tradeoff_scenario_set_invalid (error, field, reason);
  }
  return FALSE;
}

static gboolean
read_choice (JsonNode            *node,
             const char          *field,
             const char * const  *names,
             guint                n_names,
             guint               *out,
             GError             **error)
{
  const char *str = NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    str = json_node_get_string (node);

  for (guint i = 0; str != NULL && i < n_names && names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], str))
        {
          *out = i;
          return TRUE;
        }
    }

  {
    g_autofree char *list = tradeoff_scenario_join_names (names, n_names);
    g_autofree char *got = tradeoff_scenario_describe_node (node);
    g_autofree char *reason = g_strdup_printf (_("must be one of %s, got %s"), list, got);

    tradeoff_scenario_set_invalid (error, field, reason);
  }
  return FALSE;
}

static void
keep_extra (JsonObject **extra,
            const char  *name,
            JsonNode    *node)
{
  if (*extra == NULL)
    *extra = json_object_new ();
  json_object_set_member (*extra, name, tradeoff_json_node_copy (node));
}

static JsonObject *
get_object (JsonNode    *node,
            const char  *field,
            GError     **error)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  {
    g_autofree char *got = tradeoff_scenario_describe_node (node);
    g_autofree char *reason = g_strdup_printf (_("must be an object, got %s"), got);

    tradeoff_scenario_set_invalid (error, field, reason);
  }
  return NULL;
}

/* Engines */

TradeoffEngineSpec *
tradeoff_engine_spec_from_json (JsonNode    *node,
                                const char  *field_prefix,
                                GError     **error)
{
  g_autoptr(TradeoffEngineSpec) self = NULL;
  g_autofree char *kind_field = NULL;
  g_autofree char *problem = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint kind;

  if (field_prefix == NULL)
    field_prefix = "engine";

  if (!(object = get_object (node, field_prefix, error)))
    return NULL;

  kind_field = g_strconcat (field_prefix, ".kind", NULL);
  if (!read_choice (json_object_get_member (object, "kind"), kind_field,
                    tradeoff_scenario_engine_kind_names,
                    G_N_ELEMENTS (tradeoff_scenario_engine_kind_names), &kind, error))
    return NULL;

  self = tradeoff_engine_spec_new (kind, NULL);

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *field = g_strconcat (field_prefix, ".", name, NULL);
      const EngineRule *rule;

      if (g_str_equal (name, "kind"))
        continue;

      if (g_str_equal (name, "label"))
        {
          const char *label;

          if (!read_string (member, field, &label, error))
            return NULL;
          g_free (self->label);
          self->label = g_strdup (label);
        }
      else if ((rule = tradeoff_scenario_find_engine_rule (name, self->kind)) != NULL)
        {
          g_autofree char *reason = NULL;
          double value;

          if (!read_number (member, field, &value, error))
            return NULL;
          if ((reason = tradeoff_scenario_check_range (value, FIELD_UINT, rule->min, FALSE,
                                                       rule->max)))
            {
              tradeoff_scenario_set_invalid (error, field, reason);
              return NULL;
            }
          G_STRUCT_MEMBER (guint, self, rule->offset) = (guint) value;
        }
      else if (self->kind == TRADEOFF_ENGINE_POOL && g_str_equal (name, "gil"))
        {
          if (!JSON_NODE_HOLDS_VALUE (member)
              || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
            {
              g_autofree char *got = tradeoff_scenario_describe_node (member);
              g_autofree char *reason = g_strdup_printf (_("must be true or false, got %s"), got);

              tradeoff_scenario_set_invalid (error, field, reason);
              return NULL;
            }
          self->gil = json_node_get_boolean (member);
        }
      else if (self->kind == TRADEOFF_ENGINE_POOL && g_str_equal (name, "connection_mode"))
        {
          guint mode;

          if (!read_choice (member, field, tradeoff_scenario_connection_mode_names,
                            G_N_ELEMENTS (tradeoff_scenario_connection_mode_names), &mode, error))
            return NULL;
          self->connection_mode = mode;
        }
      else if (self->kind == TRADEOFF_ENGINE_URL && g_str_equal (name, "url"))
        {
          const char *url;

          if (!read_string (member, field, &url, error))
            return NULL;
          g_free (self->url);
          self->url = g_strdup (url);
        }
      else if (self->kind == TRADEOFF_ENGINE_REFERENCE && g_str_equal (name, "runtime"))
        {
          const char *runtime;

          if (!read_string (member, field, &runtime, error))
            return NULL;
          g_free (self->runtime);
          self->runtime = g_strdup (runtime);
        }
      else
        keep_extra (&self->extra, name, member);
    }

  if ((problem = tradeoff_engine_spec_check (self, field_prefix)))
    {
      g_set_error_literal (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID,
                           problem);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Workloads */

static gboolean
read_field (const FieldRule   *rule,
            JsonNode          *node,
            TradeoffWorkload  *workload,
            GError           **error)
{
  g_autofree char *field = tradeoff_scenario_field_path (rule);
  g_autofree char *reason = NULL;
  double value;

  if (!read_number (node, field, &value, error))
    return FALSE;

  if ((reason = tradeoff_scenario_check_range (value, rule->type, rule->min, rule->positive,
                                               rule->max)))
    {
      tradeoff_scenario_set_invalid (error, field, reason);
      return FALSE;
    }

  tradeoff_scenario_set_field (workload, rule, value);
  return TRUE;
}

static gboolean
workload_from_json (JsonNode          *node,
                    TradeoffWorkload  *workload,
                    GError           **error)
{
  JsonObject *object;
  JsonObject *arrival = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint kind;

  if (!(object = get_object (node, "workload", error)))
    return FALSE;

  if (!read_choice (json_object_get_member (object, "kind"), "workload.kind",
                    tradeoff_scenario_workload_kind_names,
                    G_N_ELEMENTS (tradeoff_scenario_workload_kind_names), &kind, error))
    return FALSE;

  tradeoff_workload_set_defaults (workload, kind);

  if (json_object_has_member (object, "arrival"))
    {
      guint mode = TRADEOFF_ARRIVAL_OPEN;

      if (!(arrival = get_object (json_object_get_member (object, "arrival"), "workload.arrival",
                                  error)))
        return FALSE;

      if (json_object_has_member (arrival, "mode")
          && !read_choice (json_object_get_member (arrival, "mode"), "workload.arrival.mode",
                           tradeoff_scenario_arrival_mode_names,
                           G_N_ELEMENTS (tradeoff_scenario_arrival_mode_names), &mode, error))
        return FALSE;
      workload->arrival_mode = mode;

      json_object_iter_init_ordered (&iter, arrival);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          const FieldRule *rule = tradeoff_scenario_find_rule (name);

          if (g_str_equal (name, "mode"))
            continue;

          if (g_str_equal (name, "distribution") && mode == TRADEOFF_ARRIVAL_OPEN)
            {
              guint distribution;

              if (!read_choice (member, "workload.arrival.distribution",
                                tradeoff_scenario_distribution_names,
                                G_N_ELEMENTS (tradeoff_scenario_distribution_names),
                                &distribution, error))
                return FALSE;
              workload->distribution = distribution;
            }
          else if (rule != NULL && rule->in_arrival
                   && tradeoff_scenario_rule_applies (rule, workload))
            {
              if (!read_field (rule, member, workload, error))
                return FALSE;
            }
          else
            keep_extra (&workload->arrival_extra, name, member);
        }
    }

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      const FieldRule *rule = tradeoff_scenario_find_rule (name);

      if (g_str_equal (name, "kind") || g_str_equal (name, "arrival"))
        continue;

      if (rule != NULL && !rule->in_arrival && tradeoff_scenario_rule_applies (rule, workload))
        {
          if (!read_field (rule, member, workload, error))
            return FALSE;
        }
      else
        keep_extra (&workload->extra, name, member);
    }

  return TRUE;
}

/* Scenarios */

TradeoffScenario *
tradeoff_scenario_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(TradeoffScenario) self = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  JsonNode *format;
  JsonArray *engines;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_PARSE,
                           _("Not a scenario: the file does not hold a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);

  format = json_object_get_member (object, "format");
  if (format == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("missing; a scenario file names its format, “%s”"),
                                                 TRADEOFF_SCENARIO_FORMAT);

      g_set_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_FORMAT,
                   "format: %s", reason);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (format) || json_node_get_value_type (format) != G_TYPE_STRING
      || !g_str_equal (json_node_get_string (format), TRADEOFF_SCENARIO_FORMAT))
    {
      g_autofree char *got = tradeoff_scenario_describe_node (format);
      g_autofree char *reason = g_strdup_printf (_("is not a scenario format this version reads (“%s”)"),
                                                 TRADEOFF_SCENARIO_FORMAT);

      g_set_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_FORMAT,
                   "format: %s %s", got, reason);
      return NULL;
    }

  self = g_new0 (TradeoffScenario, 1);
  self->engines = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_engine_spec_free);

  if (!workload_from_json (json_object_get_member (object, "workload"), &self->workload, error))
    return NULL;

  if (!json_object_has_member (object, "engines")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "engines")))
    {
      g_autofree char *got =
        tradeoff_scenario_describe_node (json_object_get_member (object, "engines"));
      g_autofree char *reason = g_strdup_printf (_("must be a list of engines, got %s"), got);

      tradeoff_scenario_set_invalid (error, "engines", reason);
      return NULL;
    }

  engines = json_object_get_array_member (object, "engines");
  for (guint i = 0; i < json_array_get_length (engines); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("engines[%u]", i);
      TradeoffEngineSpec *spec;

      if (!(spec = tradeoff_engine_spec_from_json (json_array_get_element (engines, i), prefix,
                                                   error)))
        return NULL;
      g_ptr_array_add (self->engines, spec);
    }

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (g_str_equal (name, "name"))
        {
          const char *text;

          if (!read_string (member, "name", &text, error))
            return NULL;
          self->name = g_strdup (text);
        }
      else if (!g_str_equal (name, "format") && !g_str_equal (name, "workload")
               && !g_str_equal (name, "engines"))
        keep_extra (&self->extra, name, member);
    }

  if (self->name == NULL)
    self->name = g_strdup (_("Untitled scenario"));

  if (!tradeoff_scenario_validate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static TradeoffScenario *
scenario_from_parser (JsonParser  *parser,
                      GError     **error)
{
  JsonNode *root = json_parser_get_root (parser);

  if (root == NULL)
    {
      g_set_error_literal (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_PARSE,
                           _("Not a scenario: the file is empty"));
      return NULL;
    }

  return tradeoff_scenario_from_json (root, error);
}

static void
set_parse_error (GError     **error,
                 GError      *parse_error)
{
  if (parse_error->domain == JSON_PARSER_ERROR)
    g_set_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_PARSE,
                 _("Not a scenario: not valid JSON (%s)"), parse_error->message);
  else
    g_propagate_error (error, g_error_copy (parse_error));
}

TradeoffScenario *
tradeoff_scenario_load_data (const char  *data,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      set_parse_error (error, parse_error);
      return NULL;
    }

  return scenario_from_parser (parser, error);
}

TradeoffScenario *
tradeoff_scenario_load_file (const char  *path,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!json_parser_load_from_file (parser, path, &parse_error))
    {
      set_parse_error (error, parse_error);
      return NULL;
    }

  return scenario_from_parser (parser, error);
}
