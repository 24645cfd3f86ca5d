/* tradeoff-core.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradeoff-core.h"
#include "tradeoff-core-resources.h"

void
tradeoff_core_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      /* Built with --manual-register: no constructor registers it behind
       * our back, so it is registered exactly once, here. */
      tradeoff_core_register_resource ();
      g_assert (tradeoff_core_get_resource () != NULL);
      g_once_init_leave (&registered, 1);
    }
}

JsonNode *
tradeoff_json_node_copy (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) copy = tradeoff_json_object_copy (json_node_get_object (node));

        return json_node_init_object (json_node_alloc (), copy);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (copy,
                                  tradeoff_json_node_copy (json_array_get_element (array, i)));
        return json_node_init_array (json_node_alloc (), copy);
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
      return json_node_copy (node);

    default:
      g_assert_not_reached ();
    }
}

JsonObject *
tradeoff_json_object_copy (JsonObject *object)
{
  JsonObject *copy;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (object == NULL)
    return NULL;

  copy = json_object_new ();
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, tradeoff_json_node_copy (member));

  return copy;
}

static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      /* JSON has no infinities or NaN; callers write null for unmeasured. */
      g_string_append (out, "null");
      return;
    }

  /* The shortest of 15, 16 or 17 digits that reads back as the same value. */
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (digits == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  /* Keep it a double for readers that care (json-glib types "10" as int). */
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (out, ".0");
}

static gboolean
is_flat_array (JsonArray *array)
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        return FALSE;
      if (JSON_NODE_HOLDS_ARRAY (element) && !is_flat_array (json_node_get_array (element)))
        return FALSE;
      if (JSON_NODE_HOLDS_ARRAY (element)
          && json_array_get_length (json_node_get_array (element)) > 4)
        return FALSE;
    }

  return TRUE;
}

static void
append_indent (GString *out,
               guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_node (GString  *out,
             JsonNode *node,
             guint     depth,
             gboolean  flat)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        if (json_object_get_size (object) == 0)
          {
            g_string_append (out, "{}");
            break;
          }

        g_string_append (out, "{\n");
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), name);
            g_autofree char *quoted = json_to_string (key, FALSE);

            if (!first)
              g_string_append (out, ",\n");
            first = FALSE;
            append_indent (out, depth + 1);
            g_string_append (out, quoted);
            g_string_append (out, ": ");
            append_node (out, member, depth + 1, FALSE);
          }
        g_string_append_c (out, '\n');
        append_indent (out, depth);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        gboolean flat_here = flat || is_flat_array (array);
        gboolean nested_flat = !flat && flat_here && n > 0
                               && JSON_NODE_HOLDS_ARRAY (json_array_get_element (array, 0));

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }

        /* Arrays of small arrays (histogram buckets) get one pair a line. */
        g_string_append (out, nested_flat ? "[\n" : flat_here ? "[" : "[\n");
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append (out, flat_here && !nested_flat ? ", " : ",\n");
            if (!flat_here || nested_flat)
              append_indent (out, depth + 1);
            append_node (out, json_array_get_element (array, i), depth + 1, flat_here);
          }
        if (!flat_here || nested_flat)
          {
            g_string_append_c (out, '\n');
            append_indent (out, depth);
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        append_double (out, json_node_get_double (node));
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);

          g_string_append (out, text);
        }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    default:
      g_assert_not_reached ();
    }
}

char *
tradeoff_json_to_data (JsonNode *node,
                       gsize    *length)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_node (out, node, 0, FALSE);
  g_string_append_c (out, '\n');

  if (length != NULL)
    *length = out->len;

  return g_string_free (out, FALSE);
}

void
tradeoff_json_object_add_extra (JsonObject *object,
                                JsonObject *extra)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_if_fail (object != NULL);

  if (extra == NULL)
    return;

  json_object_iter_init_ordered (&iter, extra);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      if (!json_object_has_member (object, name))
        json_object_set_member (object, name, tradeoff_json_node_copy (node));
    }
}
