/* tradeoff-scenario.c
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

#include "tradeoff-core.h"
#include "tradeoff-scenario.h"

G_DEFINE_QUARK (tradeoff-scenario-error-quark, tradeoff_scenario_error)

#define KIND_REQUEST   (1u << TRADEOFF_WORKLOAD_REQUEST)
#define KIND_ML_BATCH  (1u << TRADEOFF_WORKLOAD_ML_BATCH)
#define KIND_CHAT      (1u << TRADEOFF_WORKLOAD_CHAT)
#define KIND_STREAMING (1u << TRADEOFF_WORKLOAD_STREAMING)
#define KIND_ALL       (KIND_REQUEST | KIND_ML_BATCH | KIND_CHAT | KIND_STREAMING)

#define MODE_ANY    (-1)

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

typedef struct
{
  const char *name;
  guint       kinds;   /* bitmask of engine kinds */
  gsize       offset;
  guint       min;
  guint       max;
} EngineRule;

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

static const char * const workload_kind_names[] = { "request", "ml-batch", "chat", "streaming" };
static const char * const engine_kind_names[] = { "loop", "pool", "url", "reference" };
static const char * const connection_mode_names[] = { "per-connection", "per-request" };
static const char * const distribution_names[] = { "constant", "poisson" };
static const char * const arrival_mode_names[] = { "open", "closed" };
static const char * const reference_runtimes[] = {
  "node", "node-cluster", "python-asyncio", "python-threads", NULL
};

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

static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

static char *
describe_node (JsonNode *node)
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

static char *
join_names (const char * const *names,
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

static void
set_invalid (GError     **error,
             const char  *field,
             const char  *reason)
{
  g_set_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID,
               "%s: %s", field, reason);
}

static char *
check_range (double      value,
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

static double
get_field (const TradeoffWorkload *workload,
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

static void
set_field (TradeoffWorkload *workload,
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

static gboolean
rule_applies (const FieldRule        *rule,
              const TradeoffWorkload *workload)
{
  if ((rule->kinds & (1u << workload->kind)) == 0)
    return FALSE;
  if (rule->arrival_mode != MODE_ANY && rule->arrival_mode != (int) workload->arrival_mode)
    return FALSE;
  return TRUE;
}

static const FieldRule *
find_rule (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (workload_fields); i++)
    if (g_str_equal (workload_fields[i].name, name))
      return &workload_fields[i];
  return NULL;
}

static char *
field_path (const FieldRule *rule)
{
  return g_strconcat (rule->in_arrival ? "workload.arrival." : "workload.", rule->name, NULL);
}

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
    g_autofree char *got = describe_node (node);
    g_autofree char *reason = g_strdup_printf (_("must be a number, got %s"), got);

    set_invalid (error, field, reason);
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
    g_autofree char *got = describe_node (node);
    g_autofree char *reason = g_strdup_printf (_("must be a text, got %s"), got);

    set_invalid (error, field, reason);
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
    g_autofree char *list = join_names (names, n_names);
    g_autofree char *got = describe_node (node);
    g_autofree char *reason = g_strdup_printf (_("must be one of %s, got %s"), list, got);

    set_invalid (error, field, reason);
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

static JsonObject *
get_object (JsonNode    *node,
            const char  *field,
            GError     **error)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);

  {
    g_autofree char *got = describe_node (node);
    g_autofree char *reason = g_strdup_printf (_("must be an object, got %s"), got);

    set_invalid (error, field, reason);
  }
  return NULL;
}

/* Enumerations */

const char *
tradeoff_workload_kind_to_string (TradeoffWorkloadKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (workload_kind_names), NULL);
  return workload_kind_names[kind];
}

gboolean
tradeoff_workload_kind_from_string (const char           *str,
                                    TradeoffWorkloadKind *kind)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (workload_kind_names); i++)
    {
      if (g_str_equal (str, workload_kind_names[i]))
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
  g_return_val_if_fail (kind < G_N_ELEMENTS (engine_kind_names), NULL);
  return engine_kind_names[kind];
}

gboolean
tradeoff_engine_kind_from_string (const char         *str,
                                  TradeoffEngineKind *kind)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (engine_kind_names); i++)
    {
      if (g_str_equal (str, engine_kind_names[i]))
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
  g_return_val_if_fail (mode < G_N_ELEMENTS (connection_mode_names), NULL);
  return connection_mode_names[mode];
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

static const EngineRule *
find_engine_rule (const char         *name,
                  TradeoffEngineKind  kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (engine_fields); i++)
    if (g_str_equal (engine_fields[i].name, name) && (engine_fields[i].kinds & ENGINE_BIT (kind)))
      return &engine_fields[i];
  return NULL;
}

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
                    engine_kind_names, G_N_ELEMENTS (engine_kind_names), &kind, error))
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
      else if ((rule = find_engine_rule (name, self->kind)) != NULL)
        {
          g_autofree char *reason = NULL;
          double value;

          if (!read_number (member, field, &value, error))
            return NULL;
          if ((reason = check_range (value, FIELD_UINT, rule->min, FALSE, rule->max)))
            {
              set_invalid (error, field, reason);
              return NULL;
            }
          G_STRUCT_MEMBER (guint, self, rule->offset) = (guint) value;
        }
      else if (self->kind == TRADEOFF_ENGINE_POOL && g_str_equal (name, "gil"))
        {
          if (!JSON_NODE_HOLDS_VALUE (member)
              || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
            {
              g_autofree char *got = describe_node (member);
              g_autofree char *reason = g_strdup_printf (_("must be true or false, got %s"), got);

              set_invalid (error, field, reason);
              return NULL;
            }
          self->gil = json_node_get_boolean (member);
        }
      else if (self->kind == TRADEOFF_ENGINE_POOL && g_str_equal (name, "connection_mode"))
        {
          guint mode;

          if (!read_choice (member, field, connection_mode_names,
                            G_N_ELEMENTS (connection_mode_names), &mode, error))
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

      reason = check_range (G_STRUCT_MEMBER (guint, self, rule->offset), FIELD_UINT,
                            rule->min, FALSE, rule->max);
      if (reason != NULL)
        return g_strdup_printf ("%s.%s: %s", field_prefix, rule->name, reason);
    }

  if (self->kind == TRADEOFF_ENGINE_URL && !is_http_url (self->url))
    {
      g_autoptr(JsonNode) got = json_node_init_string (json_node_alloc (),
                                                       self->url ? self->url : "");
      g_autofree char *got_text = describe_node (got);

      g_autofree char *reason =
        g_strdup_printf (_("must be an http:// address with a host, got %s"), got_text);

      return g_strdup_printf ("%s.url: %s", field_prefix, reason);
    }

  if (self->kind == TRADEOFF_ENGINE_REFERENCE
      && (self->runtime == NULL || !g_strv_contains (reference_runtimes, self->runtime)))
    {
      g_autoptr(JsonNode) got = json_node_init_string (json_node_alloc (),
                                                       self->runtime ? self->runtime : "");
      g_autofree char *got_text = describe_node (got);
      g_autofree char *list = join_names (reference_runtimes, G_MAXUINT);
      g_autofree char *reason = g_strdup_printf (_("must be one of %s, got %s"), list, got_text);

      return g_strdup_printf ("%s.runtime: %s", field_prefix, reason);
    }

  return NULL;
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

char *
tradeoff_workload_check_field (const TradeoffWorkload *workload,
                               const char             *field)
{
  const FieldRule *rule;

  g_return_val_if_fail (workload != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if ((rule = find_rule (field)) == NULL || !rule_applies (rule, workload))
    return NULL;

  return check_range (get_field (workload, rule), rule->type, rule->min, rule->positive, rule->max);
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

  if ((rule = find_rule (field)) == NULL)
    return FALSE;

  *value = get_field (workload, rule);
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

  if ((rule = find_rule (field)) == NULL)
    return FALSE;

  if (rule->type != FIELD_DOUBLE)
    value = MAX (0, round (value));
  set_field (workload, rule, value);
  return TRUE;
}

static JsonNode *
workload_to_json (const TradeoffWorkload *workload)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) arrival = json_object_new ();
  const char * const *keys = workload_keys[workload->kind];

  json_object_set_string_member (object, "kind", tradeoff_workload_kind_to_string (workload->kind));
  add_number (object, "duration_s", workload->duration_s, FIELD_DOUBLE);
  add_number (object, "warmup_s", workload->warmup_s, FIELD_DOUBLE);

  json_object_set_string_member (arrival, "mode", arrival_mode_names[workload->arrival_mode]);
  if (workload->arrival_mode == TRADEOFF_ARRIVAL_OPEN)
    {
      add_number (arrival, "rate_per_s", workload->rate_per_s, FIELD_DOUBLE);
      json_object_set_string_member (arrival, "distribution",
                                     distribution_names[workload->distribution]);
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
      const FieldRule *rule = find_rule (keys[i]);

      g_assert (rule != NULL);
      add_number (object, rule->name, get_field (workload, rule), rule->type);
    }

  tradeoff_json_object_add_extra (object, workload->extra);

  return json_node_init_object (json_node_alloc (), object);
}

static gboolean
read_field (const FieldRule   *rule,
            JsonNode          *node,
            TradeoffWorkload  *workload,
            GError           **error)
{
  g_autofree char *field = field_path (rule);
  g_autofree char *reason = NULL;
  double value;

  if (!read_number (node, field, &value, error))
    return FALSE;

  if ((reason = check_range (value, rule->type, rule->min, rule->positive, rule->max)))
    {
      set_invalid (error, field, reason);
      return FALSE;
    }

  set_field (workload, rule, value);
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

  if (!read_choice (json_object_get_member (object, "kind"), "workload.kind", workload_kind_names,
                    G_N_ELEMENTS (workload_kind_names), &kind, error))
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
                           arrival_mode_names, G_N_ELEMENTS (arrival_mode_names), &mode, error))
        return FALSE;
      workload->arrival_mode = mode;

      json_object_iter_init_ordered (&iter, arrival);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          const FieldRule *rule = find_rule (name);

          if (g_str_equal (name, "mode"))
            continue;

          if (g_str_equal (name, "distribution") && mode == TRADEOFF_ARRIVAL_OPEN)
            {
              guint distribution;

              if (!read_choice (member, "workload.arrival.distribution", distribution_names,
                                G_N_ELEMENTS (distribution_names), &distribution, error))
                return FALSE;
              workload->distribution = distribution;
            }
          else if (rule != NULL && rule->in_arrival && rule_applies (rule, workload))
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
      const FieldRule *rule = find_rule (name);

      if (g_str_equal (name, "kind") || g_str_equal (name, "arrival"))
        continue;

      if (rule != NULL && !rule->in_arrival && rule_applies (rule, workload))
        {
          if (!read_field (rule, member, workload, error))
            return FALSE;
        }
      else
        keep_extra (&workload->extra, name, member);
    }

  return TRUE;
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

gboolean
tradeoff_scenario_validate (const TradeoffScenario  *self,
                            GError                 **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (workload_fields); i++)
    {
      const FieldRule *rule = &workload_fields[i];
      g_autofree char *reason = NULL;

      if (!rule_applies (rule, &self->workload))
        continue;

      if ((reason = check_range (get_field (&self->workload, rule), rule->type, rule->min,
                                 rule->positive, rule->max)))
        {
          g_autofree char *field = field_path (rule);

          set_invalid (error, field, reason);
          return FALSE;
        }
    }

  if (self->engines == NULL || self->engines->len == 0)
    {
      set_invalid (error, "engines", _("must list at least one engine"));
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

              set_invalid (error, field, reason);
              return FALSE;
            }
        }
    }

  return TRUE;
}

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
      g_autofree char *got = describe_node (format);
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
      g_autofree char *got = describe_node (json_object_get_member (object, "engines"));
      g_autofree char *reason = g_strdup_printf (_("must be a list of engines, got %s"), got);

      set_invalid (error, "engines", reason);
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
