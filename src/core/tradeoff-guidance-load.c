/* tradeoff-guidance-load.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Loading guidance.json: the field readers that name the claim and field
 * of a bad value, the sources, the claims (their ids, sources, workloads,
 * rule and scenario) and the conflict groups, and the guidance from data,
 * a file or core's resource. */

#define G_LOG_DOMAIN "tradeoff-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <math.h>

#include "tradeoff-core.h"
#include "tradeoff-guidance-private.h"

gboolean
tradeoff_guidance_fail (Parse      *parse,
                        const char *path,
                        const char *format,
                        ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  if (parse->claim_id != NULL)
    g_set_error (parse->error, TRADEOFF_GUIDANCE_ERROR, TRADEOFF_GUIDANCE_ERROR_INVALID,
                 /* Translators: claim “gil-one-thread”: rule.bands[1].verdict: must be … */
                 _("claim “%s”: %s: %s"), parse->claim_id, path, reason);
  else
    g_set_error (parse->error, TRADEOFF_GUIDANCE_ERROR, TRADEOFF_GUIDANCE_ERROR_INVALID,
                 "%s: %s", path, reason);
  return FALSE;
}

static void
source_free (TradeoffSource *self)
{
  g_free (self->key);
  g_free (self->title);
  g_free (self->publisher);
  g_free (self->date);
  g_free (self);
}

static void
claim_free (TradeoffClaim *self)
{
  g_free (self->id);
  g_free (self->paraphrase);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->contradicts, g_ptr_array_unref);
  g_free (self->conflict_note);
  g_clear_pointer (&self->scenario, json_node_unref);
  tradeoff_guidance_rule_free (self->rule);
  g_free (self);
}

static void
conflict_free (TradeoffConflict *self)
{
  g_free (self->note);
  g_clear_pointer (&self->claim_ids, g_ptr_array_unref);
  g_free (self);
}

int
tradeoff_guidance_lookup_name (const char * const *names,
                               guint               n_names,
                               const char         *name)
{
  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (names[i], name))
      return (int) i;
  return -1;
}

/* A non-empty string member, or NULL with @error set (when @required). */
gboolean
tradeoff_guidance_get_string (Parse       *parse,
                              JsonObject  *object,
                              const char  *path,
                              const char  *member,
                              gboolean     required,
                              char       **out)
{
  g_autofree char *field = g_strdup_printf ("%s%s%s", path, *path ? "." : "", member);
  JsonNode *node = json_object_get_member (object, member);
  const char *str;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return tradeoff_guidance_fail (parse, field, "%s", _("missing"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return tradeoff_guidance_fail (parse, field, "%s", _("must be a string"));
  str = json_node_get_string (node);
  if (str == NULL || *str == '\0')
    return tradeoff_guidance_fail (parse, field, "%s", _("must not be empty"));
  *out = g_strdup (str);
  return TRUE;
}

gboolean
tradeoff_guidance_node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

gboolean
tradeoff_guidance_get_number (Parse      *parse,
                              JsonObject *object,
                              const char *path,
                              const char *member,
                              double     *out)
{
  g_autofree char *field = g_strdup_printf ("%s.%s", path, member);
  JsonNode *node = json_object_get_member (object, member);

  *out = NAN;
  if (node == NULL)
    return TRUE;
  if (!tradeoff_guidance_node_is_number (node) || !isfinite (json_node_get_double (node)))
    return tradeoff_guidance_fail (parse, field, "%s", _("must be a number"));
  *out = json_node_get_double (node);
  return TRUE;
}

gboolean
tradeoff_guidance_parse_workload_kinds (Parse      *parse,
                                        JsonNode   *node,
                                        const char *field,
                                        guint      *mask)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  *mask = 0;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_ptr_array_add (names, (gpointer) json_node_get_string (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            return tradeoff_guidance_fail (parse, field, "%s",
                                           _("must be a workload kind or a list of them"));
          g_ptr_array_add (names, (gpointer) json_node_get_string (element));
        }
    }
  else
    return tradeoff_guidance_fail (parse, field, "%s",
                                   _("must be a workload kind or a list of them"));

  if (names->len == 0)
    return tradeoff_guidance_fail (parse, field, "%s", _("must name at least one workload kind"));

  for (guint i = 0; i < names->len; i++)
    {
      TradeoffWorkloadKind kind;

      if (!tradeoff_workload_kind_from_string (names->pdata[i], &kind))
        return tradeoff_guidance_fail (parse, field, _("unknown workload kind “%s”"),
                                       (const char *) names->pdata[i]);
      *mask |= 1u << kind;
    }
  return TRUE;
}

static gboolean
check_scenario (Parse    *parse,
                JsonNode *node)
{
  JsonObject *object;

  if (node == NULL)
    return tradeoff_guidance_fail (parse, "scenario", "%s", _("missing"));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return tradeoff_guidance_fail (parse, "scenario", "%s", _("must be an object"));

  object = json_node_get_object (node);
  if (json_object_has_member (object, "preset"))
    {
      g_autofree char *preset = NULL;
      JsonNode *overrides = json_object_get_member (object, "overrides");

      if (!tradeoff_guidance_get_string (parse, object, "scenario", "preset", TRUE, &preset))
        return FALSE;
      if (overrides != NULL && !JSON_NODE_HOLDS_OBJECT (overrides))
        return tradeoff_guidance_fail (parse, "scenario.overrides", "%s", _("must be an object"));
      return TRUE;
    }
  else
    {
      g_autoptr(TradeoffScenario) scenario = NULL;
      g_autoptr(GError) local_error = NULL;

      scenario = tradeoff_scenario_from_json (node, &local_error);
      if (scenario == NULL || !tradeoff_scenario_validate (scenario, &local_error))
        return tradeoff_guidance_fail (parse, "scenario", "%s", local_error->message);
      return TRUE;
    }
}

static TradeoffClaim *
parse_claim (TradeoffGuidance *guidance,
             JsonNode         *node,
             guint             index,
             GError          **error)
{
  static const char * const known[] = {
    "id", "paraphrase", "sources", "workloads", "rule", "scenario",
  };
  g_autoptr(GList) members = NULL;
  g_autofree char *path = g_strdup_printf ("claims[%u]", index);
  Parse parse = { NULL, error };
  TradeoffClaim *claim;
  JsonObject *object;
  JsonNode *sources;
  JsonNode *workloads;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      tradeoff_guidance_fail (&parse, path, "%s", _("must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  claim = g_new0 (TradeoffClaim, 1);
  claim->sources = g_ptr_array_new ();
  claim->contradicts = g_ptr_array_new_with_free_func (g_free);

  if (!tradeoff_guidance_get_string (&parse, object, path, "id", TRUE, &claim->id))
    goto failed;
  parse.claim_id = claim->id;

  for (const char *p = claim->id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      {
        tradeoff_guidance_fail (&parse, "id", "%s",
                                _("must be lower-case letters, digits and dashes"));
        goto failed;
      }

  if (tradeoff_guidance_lookup (guidance, claim->id) != NULL)
    {
      tradeoff_guidance_fail (&parse, "id", "%s", _("appears twice"));
      goto failed;
    }

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (tradeoff_guidance_lookup_name (known, G_N_ELEMENTS (known), l->data) < 0)
      {
        tradeoff_guidance_fail (&parse, l->data, "%s", _("unknown key"));
        goto failed;
      }

  if (!tradeoff_guidance_get_string (&parse, object, "", "paraphrase", TRUE, &claim->paraphrase))
    goto failed;

  sources = json_object_get_member (object, "sources");
  if (sources == NULL || !JSON_NODE_HOLDS_ARRAY (sources) ||
      json_array_get_length (json_node_get_array (sources)) == 0)
    {
      tradeoff_guidance_fail (&parse, "sources", "%s",
                              _("must be a non-empty list of source keys"));
      goto failed;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (sources)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (sources), i);
      g_autofree char *field = g_strdup_printf ("sources[%u]", i);
      const TradeoffSource *source;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          tradeoff_guidance_fail (&parse, field, "%s", _("must be a source key"));
          goto failed;
        }
      source = tradeoff_guidance_lookup_source (guidance, json_node_get_string (element));
      if (source == NULL)
        {
          tradeoff_guidance_fail (&parse, field, _("unknown source “%s”"),
                                  json_node_get_string (element));
          goto failed;
        }
      g_ptr_array_add (claim->sources, (gpointer) source);
    }

  workloads = json_object_get_member (object, "workloads");
  if (workloads == NULL)
    {
      tradeoff_guidance_fail (&parse, "workloads", "%s", _("missing"));
      goto failed;
    }
  if (!tradeoff_guidance_parse_workload_kinds (&parse, workloads, "workloads",
                                               &claim->workload_mask))
    goto failed;

  claim->rule = tradeoff_guidance_parse_rule (&parse, json_object_get_member (object, "rule"),
                                              "rule", FALSE);
  if (claim->rule == NULL)
    goto failed;

  if (!check_scenario (&parse, json_object_get_member (object, "scenario")))
    goto failed;
  claim->scenario = json_node_copy (json_object_get_member (object, "scenario"));

  return claim;

failed:
  claim_free (claim);
  return NULL;
}

static gboolean
parse_sources (TradeoffGuidance  *self,
               JsonObject        *root,
               GError           **error)
{
  g_autoptr(GList) members = NULL;
  Parse parse = { NULL, error };
  JsonNode *node = json_object_get_member (root, "sources");
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return tradeoff_guidance_fail (&parse, "sources", "%s",
                                   _("must be an object of sources by key"));

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *path = g_strdup_printf ("sources.%s", (const char *) l->data);
      JsonNode *entry = json_object_get_member (object, l->data);
      TradeoffSource *source;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        return tradeoff_guidance_fail (&parse, path, "%s", _("must be an object"));

      source = g_new0 (TradeoffSource, 1);
      source->key = g_strdup (l->data);
      g_hash_table_insert (self->sources, source->key, source);
      if (!tradeoff_guidance_get_string (&parse, json_node_get_object (entry), path, "title", TRUE,
                                         &source->title) ||
          !tradeoff_guidance_get_string (&parse, json_node_get_object (entry), path, "publisher",
                                         FALSE, &source->publisher) ||
          !tradeoff_guidance_get_string (&parse, json_node_get_object (entry), path, "date", FALSE,
                                         &source->date))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_conflicts (TradeoffGuidance  *self,
                 JsonObject        *root,
                 GError           **error)
{
  Parse parse = { NULL, error };
  JsonNode *node = json_object_get_member (root, "conflicts");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return tradeoff_guidance_fail (&parse, "conflicts", "%s", _("must be a list"));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("conflicts[%u]", i);
      g_autofree char *claims_path = g_strdup_printf ("conflicts[%u].claims", i);
      JsonNode *element = json_array_get_element (array, i);
      TradeoffConflict *conflict;
      JsonNode *claims;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return tradeoff_guidance_fail (&parse, path, "%s", _("must be an object"));

      conflict = g_new0 (TradeoffConflict, 1);
      conflict->claim_ids = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->conflicts, conflict);

      if (!tradeoff_guidance_get_string (&parse, json_node_get_object (element), path, "note", TRUE,
                                         &conflict->note))
        return FALSE;

      claims = json_object_get_member (json_node_get_object (element), "claims");
      if (claims == NULL || !JSON_NODE_HOLDS_ARRAY (claims) ||
          json_array_get_length (json_node_get_array (claims)) < 2)
        return tradeoff_guidance_fail (&parse, claims_path, "%s",
                                       _("must list at least two claim ids"));

      for (guint j = 0; j < json_array_get_length (json_node_get_array (claims)); j++)
        {
          JsonNode *id_node = json_array_get_element (json_node_get_array (claims), j);
          TradeoffClaim *claim;
          const char *id;

          if (!JSON_NODE_HOLDS_VALUE (id_node) || json_node_get_value_type (id_node) != G_TYPE_STRING)
            return tradeoff_guidance_fail (&parse, claims_path, "%s", _("must list claim ids"));
          id = json_node_get_string (id_node);
          claim = (TradeoffClaim *) tradeoff_guidance_lookup (self, id);
          if (claim == NULL)
            return tradeoff_guidance_fail (&parse, claims_path, _("unknown claim “%s”"), id);
          if (tradeoff_guidance_find_conflict (self, id) != NULL)
            return tradeoff_guidance_fail (&parse, claims_path,
                                           _("claim “%s” is in two conflict groups"), id);
          g_ptr_array_add (conflict->claim_ids, g_strdup (id));
        }

      /* Each claim of the group learns who it contradicts. */
      for (guint j = 0; j < conflict->claim_ids->len; j++)
        {
          TradeoffClaim *claim = (TradeoffClaim *) tradeoff_guidance_lookup (self, conflict->claim_ids->pdata[j]);

          claim->conflict_note = g_strdup (conflict->note);
          for (guint k = 0; k < conflict->claim_ids->len; k++)
            if (k != j)
              g_ptr_array_add (claim->contradicts, g_strdup (conflict->claim_ids->pdata[k]));
        }
    }
  return TRUE;
}

TradeoffGuidance *
tradeoff_guidance_new_from_data (const char  *data,
                                 gssize       length,
                                 GError     **error)
{
  g_autoptr(TradeoffGuidance) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root;
  JsonNode *claims;
  const char *format;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, TRADEOFF_GUIDANCE_ERROR, TRADEOFF_GUIDANCE_ERROR_PARSE,
                   _("not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, TRADEOFF_GUIDANCE_ERROR, TRADEOFF_GUIDANCE_ERROR_PARSE,
                   "%s", _("the top level must be an object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  format = json_object_get_string_member_with_default (root, "format", NULL);
  if (format == NULL || !g_str_equal (format, TRADEOFF_GUIDANCE_FORMAT))
    {
      g_set_error (error, TRADEOFF_GUIDANCE_ERROR, TRADEOFF_GUIDANCE_ERROR_FORMAT,
                   _("format: expected “%s”, got “%s”"), TRADEOFF_GUIDANCE_FORMAT,
                   format != NULL ? format : "");
      return NULL;
    }

  self = g_new0 (TradeoffGuidance, 1);
  self->claims = g_ptr_array_new_with_free_func ((GDestroyNotify) claim_free);
  self->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_free);
  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) source_free);

  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "format") && !g_str_equal (l->data, "sources") &&
        !g_str_equal (l->data, "conflicts") && !g_str_equal (l->data, "claims"))
      {
        g_set_error (error, TRADEOFF_GUIDANCE_ERROR, TRADEOFF_GUIDANCE_ERROR_INVALID,
                     _("%s: unknown key"), (const char *) l->data);
        return NULL;
      }

  if (!parse_sources (self, root, error))
    return NULL;

  claims = json_object_get_member (root, "claims");
  if (claims == NULL || !JSON_NODE_HOLDS_ARRAY (claims) ||
      json_array_get_length (json_node_get_array (claims)) == 0)
    {
      g_set_error (error, TRADEOFF_GUIDANCE_ERROR, TRADEOFF_GUIDANCE_ERROR_INVALID,
                   "%s", _("claims: must be a non-empty list"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (claims)); i++)
    {
      TradeoffClaim *claim = parse_claim (self, json_array_get_element (json_node_get_array (claims), i),
                                          i, error);

      if (claim == NULL)
        return NULL;
      g_ptr_array_add (self->claims, claim);
    }

  if (!parse_conflicts (self, root, error))
    return NULL;

  return g_steal_pointer (&self);
}

TradeoffGuidance *
tradeoff_guidance_new_from_file (const char  *path,
                                 GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return tradeoff_guidance_new_from_data (contents, length, error);
}

TradeoffGuidance *
tradeoff_guidance_get_default (GError **error)
{
  static GMutex mutex;
  static TradeoffGuidance *guidance;
  g_autoptr(GBytes) bytes = NULL;
  TradeoffGuidance *ret;

  g_mutex_lock (&mutex);
  if (guidance == NULL)
    {
      tradeoff_core_ensure_resources ();
      bytes = g_resources_lookup_data (TRADEOFF_GUIDANCE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes != NULL)
        guidance = tradeoff_guidance_new_from_data (g_bytes_get_data (bytes, NULL),
                                                    g_bytes_get_size (bytes), error);
    }
  ret = guidance;
  g_mutex_unlock (&mutex);

  return ret;
}
