/* tradeoff-guidance-rules.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Parsing the rule language (described at the top of tradeoff-guidance.c):
 * selections, bands and rules, each error naming its field. */

#define G_LOG_DOMAIN "tradeoff-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tradeoff-guidance-private.h"

static void
selection_free (Selection *self)
{
  if (self == NULL)
    return;
  g_free (self->label);
  g_strfreev (self->runtimes);
  g_clear_pointer (&self->ranges, g_array_unref);
  g_clear_pointer (&self->any, g_ptr_array_unref);
  g_free (self);
}

static void
band_clear (gpointer data)
{
  Band *band = data;

  g_free (band->condition);
}

void
tradeoff_guidance_rule_free (TradeoffRule *self)
{
  if (self == NULL)
    return;
  selection_free (self->a);
  selection_free (self->b);
  g_clear_pointer (&self->bands, g_array_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_free (self->basis);
  g_free (self->holds);
  g_free (self->condition);
  g_free (self);
}

static Selection *parse_selection (Parse      *parse,
                                   JsonNode   *node,
                                   const char *path,
                                   gboolean    top);

static gboolean
parse_selection_member (Parse      *parse,
                        Selection  *self,
                        JsonObject *object,
                        const char *path,
                        const char *member,
                        gboolean    top)
{
  g_autofree char *field = g_strdup_printf ("%s.%s", path, member);
  JsonNode *node = json_object_get_member (object, member);
  int param;

  if (g_str_equal (member, "label"))
    {
      if (!top)
        return tradeoff_guidance_fail (parse, field, "%s",
                                       _("only the outer selection has a label"));
      return tradeoff_guidance_get_string (parse, object, path, member, TRUE, &self->label);
    }
  if (g_str_equal (member, "workload"))
    return tradeoff_guidance_parse_workload_kinds (parse, node, field, &self->workload_mask);
  if (g_str_equal (member, "engine"))
    {
      TradeoffEngineKind kind;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !tradeoff_engine_kind_from_string (json_node_get_string (node), &kind))
        return tradeoff_guidance_fail (parse, field, "%s",
                                       _("must be one of loop, pool, url, reference"));
      self->engine_kind = kind;
      return TRUE;
    }
  if (g_str_equal (member, "runtime"))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
      else if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
                return tradeoff_guidance_fail (parse, field, "%s",
                                               _("must be a runtime or a list of them"));
              g_strv_builder_add (builder, json_node_get_string (element));
            }
        }
      else
        return tradeoff_guidance_fail (parse, field, "%s",
                                       _("must be a runtime or a list of them"));
      self->runtimes = g_strv_builder_end (builder);
      return TRUE;
    }
  if (g_str_equal (member, "gil") || g_str_equal (member, "offload"))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return tradeoff_guidance_fail (parse, field, "%s", _("must be true or false"));
      if (g_str_equal (member, "gil"))
        self->gil = json_node_get_boolean (node);
      else
        self->offload = json_node_get_boolean (node);
      return TRUE;
    }
  if (g_str_equal (member, "connection_mode"))
    {
      const char *mode = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : "";

      if (g_str_equal (mode, "per-connection"))
        self->connection_mode = TRADEOFF_CONNECTION_PER_CONNECTION;
      else if (g_str_equal (mode, "per-request"))
        self->connection_mode = TRADEOFF_CONNECTION_PER_REQUEST;
      else
        return tradeoff_guidance_fail (parse, field, "%s",
                                       _("must be per-connection or per-request"));
      return TRUE;
    }
  if (g_str_equal (member, "pick"))
    {
      const char *pick = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : "";

      if (g_str_equal (pick, "median"))
        self->pick = PICK_MEDIAN;
      else if (g_str_equal (pick, "max"))
        self->pick = PICK_MAX;
      else if (g_str_equal (pick, "min"))
        self->pick = PICK_MIN;
      else
        return tradeoff_guidance_fail (parse, field, "%s", _("must be median, max or min"));
      return TRUE;
    }
  if (g_str_equal (member, "any"))
    {
      JsonArray *array;

      if (!top)
        return tradeoff_guidance_fail (parse, field, "%s", _("alternatives cannot nest"));
      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
        return tradeoff_guidance_fail (parse, field, "%s",
                                       _("must be a non-empty list of selections"));
      array = json_node_get_array (node);
      self->any = g_ptr_array_new_with_free_func ((GDestroyNotify) selection_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *element_path = g_strdup_printf ("%s[%u]", field, i);
          Selection *alternative = parse_selection (parse, json_array_get_element (array, i),
                                                    element_path, FALSE);

          if (alternative == NULL)
            return FALSE;
          g_ptr_array_add (self->any, alternative);
        }
      return TRUE;
    }

  param = tradeoff_guidance_lookup_name (tradeoff_guidance_param_names, N_PARAMS, member);
  if (param >= 0)
    {
      Range range = { param, NAN, NAN };

      if (tradeoff_guidance_node_is_number (node))
        range.min = range.max = json_node_get_double (node);
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *bounds = json_node_get_object (node);
          g_autoptr(GList) members = json_object_get_members (bounds);

          for (GList *l = members; l != NULL; l = l->next)
            if (!g_str_equal (l->data, "min") && !g_str_equal (l->data, "max"))
              return tradeoff_guidance_fail (parse, field,
                                             _("unknown key “%s”; expected min or max"),
                                             (const char *) l->data);
          if (!tradeoff_guidance_get_number (parse, bounds, field, "min", &range.min) ||
              !tradeoff_guidance_get_number (parse, bounds, field, "max", &range.max))
            return FALSE;
          if (isnan (range.min) && isnan (range.max))
            return tradeoff_guidance_fail (parse, field, "%s", _("needs min, max or both"));
          if (!isnan (range.min) && !isnan (range.max) && range.min > range.max)
            return tradeoff_guidance_fail (parse, field, "%s", _("min must not exceed max"));
        }
      else
        return tradeoff_guidance_fail (parse, field, "%s",
                                       _("must be a number or {\"min\", \"max\"}"));

      g_array_append_val (self->ranges, range);
      return TRUE;
    }

  return tradeoff_guidance_fail (parse, field, "%s", _("unknown key"));
}

/* The object at @path, or NULL with the reason set. */
static JsonObject *
require_object (Parse      *parse,
                JsonNode   *node,
                const char *path)
{
  if (node == NULL)
    {
      tradeoff_guidance_fail (parse, path, "%s", _("missing"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      tradeoff_guidance_fail (parse, path, "%s", _("must be an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

static Selection *
parse_selection (Parse      *parse,
                 JsonNode   *node,
                 const char *path,
                 gboolean    top)
{
  g_autoptr(GList) members = NULL;
  Selection *self;
  JsonObject *object;

  if ((object = require_object (parse, node, path)) == NULL)
    return NULL;
  self = g_new0 (Selection, 1);
  self->engine_kind = -1;
  self->gil = -1;
  self->offload = -1;
  self->connection_mode = -1;
  self->pick = PICK_MEDIAN;
  self->ranges = g_array_new (FALSE, FALSE, sizeof (Range));

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!parse_selection_member (parse, self, object, path, l->data, top))
        {
          selection_free (self);
          return NULL;
        }
    }

  if (top && self->label == NULL)
    {
      g_autofree char *field = g_strdup_printf ("%s.label", path);

      tradeoff_guidance_fail (parse, field, "%s", _("missing"));
      selection_free (self);
      return NULL;
    }

  return self;
}

static gboolean
parse_verdict_kind (const char          *str,
                    TradeoffVerdictKind *kind)
{
  for (int i = TRADEOFF_VERDICT_NOT_TESTED; i <= TRADEOFF_VERDICT_DEPENDS; i++)
    if (g_str_equal (str, tradeoff_verdict_kind_to_string (i)))
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_bands (Parse        *parse,
             TradeoffRule *rule,
             JsonObject   *object,
             const char   *path)
{
  g_autofree char *field = g_strdup_printf ("%s.bands", path);
  JsonNode *node = json_object_get_member (object, "bands");
  JsonArray *array;
  guint n;

  if (node == NULL)
    return tradeoff_guidance_fail (parse, field, "%s", _("missing"));
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) < 2)
    return tradeoff_guidance_fail (parse, field, "%s", _("must be a list of at least two bands"));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  rule->bands = g_array_sized_new (FALSE, TRUE, sizeof (Band), n);
  g_array_set_clear_func (rule->bands, band_clear);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *band_path = g_strdup_printf ("%s[%u]", field, i);
      g_autofree char *verdict_field = g_strdup_printf ("%s.verdict", band_path);
      g_autofree char *verdict = NULL;
      g_autoptr(GList) members = NULL;
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *band_object;
      Band band = { NAN, TRADEOFF_VERDICT_NOT_TESTED, NULL };

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return tradeoff_guidance_fail (parse, band_path, "%s", _("must be an object"));
      band_object = json_node_get_object (element);

      members = json_object_get_members (band_object);
      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "below") && !g_str_equal (l->data, "verdict") &&
            !g_str_equal (l->data, "condition"))
          {
            g_autofree char *member_field = g_strdup_printf ("%s.%s", band_path, (const char *) l->data);
            return tradeoff_guidance_fail (parse, member_field, "%s", _("unknown key"));
          }

      if (!tradeoff_guidance_get_number (parse, band_object, band_path, "below", &band.below) ||
          !tradeoff_guidance_get_string (parse, band_object, band_path, "verdict", TRUE, &verdict))
        return FALSE;

      if (!parse_verdict_kind (verdict, &band.verdict) || band.verdict == TRADEOFF_VERDICT_NOT_TESTED)
        return tradeoff_guidance_fail (parse, verdict_field,
                                       _("must be one of supported, contradicted, depends, got “%s”"),
                                       verdict);

      if (i + 1 < n && isnan (band.below))
        {
          g_autofree char *below_field = g_strdup_printf ("%s.below", band_path);
          return tradeoff_guidance_fail (parse, below_field, "%s",
                                         _("missing: every band but the last has an upper bound"));
        }
      if (i + 1 == n && !isnan (band.below))
        {
          g_autofree char *below_field = g_strdup_printf ("%s.below", band_path);
          return tradeoff_guidance_fail (parse, below_field, "%s",
                                         _("the last band must be open-ended"));
        }
      if (i > 0 && i + 1 < n && !(band.below > g_array_index (rule->bands, Band, i - 1).below))
        {
          g_autofree char *below_field = g_strdup_printf ("%s.below", band_path);
          return tradeoff_guidance_fail (parse, below_field, "%s",
                                         _("must be greater than the band before"));
        }

      if (!tradeoff_guidance_get_string (parse, band_object, band_path, "condition", FALSE,
                                         &band.condition))
        return FALSE;
      if (band.verdict == TRADEOFF_VERDICT_DEPENDS && band.condition == NULL)
        {
          g_autofree char *condition_field = g_strdup_printf ("%s.condition", band_path);
          return tradeoff_guidance_fail (parse, condition_field, "%s",
                                         _("missing: a “depends” band names its condition"));
        }

      g_array_append_val (rule->bands, band);
    }

  return TRUE;
}

TradeoffRule *
tradeoff_guidance_parse_rule (Parse      *parse,
                              JsonNode   *node,
                              const char *path,
                              gboolean    nested)
{
  static const char * const rule_types[] = { "ratio", "sweep", "value", "first-of", "all" };
  static const char * const known[] = {
    "type", "figure", "a", "b", "select", "by", "floor", "claimed", "bands", "rules", "basis",
    "holds", "condition",
  };
  g_autoptr(GList) members = NULL;
  g_autofree char *type = NULL;
  g_autofree char *figure = NULL;
  g_autofree char *by = NULL;
  TradeoffRule *rule;
  JsonObject *object;
  int type_index;

  if ((object = require_object (parse, node, path)) == NULL)
    return NULL;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (tradeoff_guidance_lookup_name (known, G_N_ELEMENTS (known), l->data) < 0)
      {
        g_autofree char *field = g_strdup_printf ("%s.%s", path, (const char *) l->data);
        tradeoff_guidance_fail (parse, field, "%s", _("unknown key"));
        return NULL;
      }

  if (!tradeoff_guidance_get_string (parse, object, path, "type", TRUE, &type))
    return NULL;
  type_index = tradeoff_guidance_lookup_name (rule_types, G_N_ELEMENTS (rule_types), type);
  if (type_index < 0)
    {
      g_autofree char *field = g_strdup_printf ("%s.type", path);
      tradeoff_guidance_fail (parse, field,
                              _("must be one of ratio, sweep, value, first-of, all, got “%s”"),
                              type);
      return NULL;
    }

  rule = g_new0 (TradeoffRule, 1);
  rule->type = type_index;
  rule->floor = NAN;
  rule->claimed = NAN;

  if (!tradeoff_guidance_get_string (parse, object, path, "basis", FALSE, &rule->basis) ||
      !tradeoff_guidance_get_string (parse, object, path, "holds", FALSE, &rule->holds) ||
      !tradeoff_guidance_get_string (parse, object, path, "condition", FALSE, &rule->condition))
    goto failed;

  if (rule->type == RULE_FIRST_OF || rule->type == RULE_ALL)
    {
      g_autofree char *field = g_strdup_printf ("%s.rules", path);
      JsonNode *rules = json_object_get_member (object, "rules");
      JsonArray *array;

      if (rules == NULL)
        {
          tradeoff_guidance_fail (parse, field, "%s", _("missing"));
          goto failed;
        }
      if (!JSON_NODE_HOLDS_ARRAY (rules) || json_array_get_length (json_node_get_array (rules)) < 2)
        {
          tradeoff_guidance_fail (parse, field, "%s", _("must be a list of at least two rules"));
          goto failed;
        }

      array = json_node_get_array (rules);
      rule->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_guidance_rule_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *element_path = g_strdup_printf ("%s[%u]", field, i);
          TradeoffRule *sub = tradeoff_guidance_parse_rule (parse,
                                                            json_array_get_element (array, i),
                                                            element_path, TRUE);

          if (sub == NULL)
            goto failed;
          g_ptr_array_add (rule->rules, sub);

          if (rule->type == RULE_FIRST_OF && sub->basis == NULL)
            {
              g_autofree char *basis_field = g_strdup_printf ("%s.basis", element_path);
              tradeoff_guidance_fail (parse, basis_field, "%s",
                                      _("missing: each alternative says what it is judged on"));
              goto failed;
            }
          if (rule->type == RULE_ALL && sub->holds == NULL && rule->condition == NULL)
            {
              g_autofree char *holds_field = g_strdup_printf ("%s.holds", element_path);
              tradeoff_guidance_fail (parse, holds_field, "%s",
                                      _("missing, and the rule has no condition either"));
              goto failed;
            }
        }
      return rule;
    }

  if (!tradeoff_guidance_get_string (parse, object, path, "figure", TRUE, &figure))
    goto failed;
  rule->figure = tradeoff_guidance_lookup_name (tradeoff_guidance_figure_names, N_FIGURES, figure);
  if ((int) rule->figure < 0)
    {
      g_autofree char *field = g_strdup_printf ("%s.figure", path);
      tradeoff_guidance_fail (parse, field, _("unknown figure “%s”"), figure);
      goto failed;
    }

  if (!tradeoff_guidance_get_number (parse, object, path, "floor", &rule->floor) ||
      !tradeoff_guidance_get_number (parse, object, path, "claimed", &rule->claimed))
    goto failed;

  if (rule->type == RULE_RATIO)
    {
      g_autofree char *a_path = g_strdup_printf ("%s.a", path);
      g_autofree char *b_path = g_strdup_printf ("%s.b", path);

      rule->a = parse_selection (parse, json_object_get_member (object, "a"), a_path, TRUE);
      if (rule->a == NULL)
        goto failed;
      rule->b = parse_selection (parse, json_object_get_member (object, "b"), b_path, TRUE);
      if (rule->b == NULL)
        goto failed;
    }
  else
    {
      g_autofree char *select_path = g_strdup_printf ("%s.select", path);

      rule->a = parse_selection (parse, json_object_get_member (object, "select"), select_path, TRUE);
      if (rule->a == NULL)
        goto failed;
    }

  if (rule->type == RULE_SWEEP)
    {
      int param;

      if (!tradeoff_guidance_get_string (parse, object, path, "by", TRUE, &by))
        goto failed;
      param = tradeoff_guidance_lookup_name (tradeoff_guidance_param_names, N_PARAMS, by);
      if (param < 0)
        {
          g_autofree char *field = g_strdup_printf ("%s.by", path);
          tradeoff_guidance_fail (parse, field, _("unknown parameter “%s”"), by);
          goto failed;
        }
      rule->by = param;
    }

  if (!parse_bands (parse, rule, object, path))
    goto failed;

  return rule;

failed:
  tradeoff_guidance_rule_free (rule);
  return NULL;
}
