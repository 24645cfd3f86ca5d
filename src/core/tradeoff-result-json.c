/* tradeoff-result-json.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Results in JSON, format `tradeoff-result/1`: load and save. An error
 * names the field and the reason; keys this version does not know are
 * kept, to be written back as they were. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tradeoff-core.h"
#include "tradeoff-result-private.h"

/* Helpers */

static void
set_invalid (GError     **error,
             const char  *field,
             const char  *reason)
{
  g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_INVALID,
               "%s: %s", field, reason);
}

static void
set_number_member (JsonObject *object,
                   const char *name,
                   double      value)
{
  if (isnan (value) || isinf (value))
    json_object_set_null_member (object, name);
  else if (value == floor (value) && fabs (value) < 9e15)
    json_object_set_int_member (object, name, (gint64) value);
  else
    json_object_set_double_member (object, name, value);
}

/* Absent or null: NAN. */
static gboolean
get_double (JsonObject  *object,
            const char  *name,
            const char  *path,
            double      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node)
      && (json_node_get_value_type (node) == G_TYPE_INT64
          || json_node_get_value_type (node) == G_TYPE_DOUBLE))
    {
      *out = json_node_get_double (node);
      return TRUE;
    }

  {
    g_autofree char *field = g_strconcat (path, ".", name, NULL);

    set_invalid (error, field, _("must be a number or null"));
  }
  return FALSE;
}

/* Absent: 0. */
static gboolean
get_count (JsonObject  *object,
           const char  *name,
           const char  *path,
           guint64     *out,
           GError     **error)
{
  double value;

  if (!get_double (object, name, path, &value, error))
    return FALSE;

  if (isnan (value))
    value = 0;

  if (value < 0 || value != floor (value))
    {
      g_autofree char *field = g_strconcat (path, ".", name, NULL);

      set_invalid (error, field, _("must be a whole number, at least 0"));
      return FALSE;
    }

  *out = (guint64) value;
  return TRUE;
}

static char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return NULL;
}

static JsonObject *
keep_unknown (JsonObject         *object,
              const char * const *known)
{
  JsonObject *extra = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      if (g_strv_contains (known, name))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, name, tradeoff_json_node_copy (node));
    }

  return extra;
}

/* Summaries */

static JsonObject *
latency_to_json (const TradeoffLatencySummary *latency)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (tradeoff_result_latency_keys); i++)
    set_number_member (object, tradeoff_result_latency_keys[i],
                       *tradeoff_result_latency_field ((TradeoffLatencySummary *) latency, i));

  return object;
}

static gboolean
latency_from_json (JsonObject              *parent,
                   const char              *name,
                   const char              *path,
                   TradeoffLatencySummary  *latency,
                   GError                 **error)
{
  g_autofree char *field = g_strconcat (path, ".", name, NULL);
  JsonNode *node = json_object_get_member (parent, name);
  JsonObject *object;

  tradeoff_result_latency_summary_clear (latency);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, field, _("must be an object"));
      return FALSE;
    }

  object = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (tradeoff_result_latency_keys); i++)
    if (!get_double (object, tradeoff_result_latency_keys[i], field,
                     tradeoff_result_latency_field (latency, i), error))
      return FALSE;

  return TRUE;
}

static JsonObject *
summary_to_json (const TradeoffRunSummary *summary)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "completed", (gint64) summary->completed);
  json_object_set_int_member (object, "errors", (gint64) summary->errors);
  json_object_set_int_member (object, "timeouts", (gint64) summary->timeouts);
  json_object_set_int_member (object, "stalls", (gint64) summary->stalls);
  set_number_member (object, "throughput_per_s", summary->throughput_per_s);
  set_number_member (object, "bytes_per_s", summary->bytes_per_s);
  json_object_set_object_member (object, "latency_us", latency_to_json (&summary->latency_us));
  json_object_set_object_member (object, "latency_uncorrected_us",
                                 latency_to_json (&summary->latency_uncorrected_us));
  set_number_member (object, "peak_rss_bytes", summary->peak_rss_bytes);
  set_number_member (object, "cpu_seconds", summary->cpu_seconds);
  set_number_member (object, "cpu_percent_mean", summary->cpu_percent_mean);
  set_number_member (object, "threads_max", summary->threads_max);
  set_number_member (object, "offered_per_s", summary->offered_per_s);
  set_number_member (object, "achieved_per_s", summary->achieved_per_s);
  json_object_set_boolean_member (object, "driver_limited", summary->driver_limited);
  set_number_member (object, "server_cpu_us_per_request", summary->server_cpu_us_per_request);
  set_number_member (object, "capacity_per_core_per_s", summary->capacity_per_core_per_s);

  return object;
}

static gboolean
summary_from_json (JsonNode            *node,
                   const char          *path,
                   TradeoffRunSummary  *summary,
                   GError             **error)
{
  JsonObject *object;
  JsonNode *limited;

  tradeoff_run_summary_init (summary);
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, path, _("must be an object"));
      return FALSE;
    }
  object = json_node_get_object (node);

  if (!get_count (object, "completed", path, &summary->completed, error)
      || !get_count (object, "errors", path, &summary->errors, error)
      || !get_count (object, "timeouts", path, &summary->timeouts, error)
      || !get_count (object, "stalls", path, &summary->stalls, error)
      || !get_double (object, "throughput_per_s", path, &summary->throughput_per_s, error)
      || !get_double (object, "bytes_per_s", path, &summary->bytes_per_s, error)
      || !latency_from_json (object, "latency_us", path, &summary->latency_us, error)
      || !latency_from_json (object, "latency_uncorrected_us", path,
                             &summary->latency_uncorrected_us, error)
      || !get_double (object, "peak_rss_bytes", path, &summary->peak_rss_bytes, error)
      || !get_double (object, "cpu_seconds", path, &summary->cpu_seconds, error)
      || !get_double (object, "cpu_percent_mean", path, &summary->cpu_percent_mean, error)
      || !get_double (object, "threads_max", path, &summary->threads_max, error)
      || !get_double (object, "offered_per_s", path, &summary->offered_per_s, error)
      || !get_double (object, "achieved_per_s", path, &summary->achieved_per_s, error)
      || !get_double (object, "server_cpu_us_per_request", path,
                      &summary->server_cpu_us_per_request, error)
      || !get_double (object, "capacity_per_core_per_s", path,
                      &summary->capacity_per_core_per_s, error))
    return FALSE;

  limited = json_object_get_member (object, "driver_limited");
  summary->driver_limited = limited != NULL && JSON_NODE_HOLDS_VALUE (limited)
                            && json_node_get_value_type (limited) == G_TYPE_BOOLEAN
                            && json_node_get_boolean (limited);

  return TRUE;
}

/* Timelines */

static JsonArray *
timeline_to_json (GArray *timeline)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; timeline != NULL && i < timeline->len; i++)
    {
      TradeoffTimelinePoint *point = &g_array_index (timeline, TradeoffTimelinePoint, i);
      JsonObject *object = json_object_new ();

      for (guint j = 0; j < G_N_ELEMENTS (tradeoff_result_point_fields); j++)
        set_number_member (object, tradeoff_result_point_fields[j].name,
                           G_STRUCT_MEMBER (double, point, tradeoff_result_point_fields[j].offset));
      json_array_add_object_element (array, object);
    }

  return array;
}

static gboolean
timeline_from_json (JsonNode  *node,
                    const char *path,
                    GArray    *timeline,
                    GError   **error)
{
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_invalid (error, path, _("must be a list"));
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *field = g_strdup_printf ("%s[%u]", path, i);
      JsonNode *element = json_array_get_element (array, i);
      TradeoffTimelinePoint point;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          set_invalid (error, field, _("must be an object"));
          return FALSE;
        }

      for (guint j = 0; j < G_N_ELEMENTS (tradeoff_result_point_fields); j++)
        if (!get_double (json_node_get_object (element), tradeoff_result_point_fields[j].name,
                         field,
                         &G_STRUCT_MEMBER (double, &point, tradeoff_result_point_fields[j].offset),
                         error))
          return FALSE;

      g_array_append_val (timeline, point);
    }

  return TRUE;
}

/* Runs */

JsonNode *
tradeoff_run_to_json (const TradeoffRun *self)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (self != NULL, NULL);

  if (self->engine != NULL)
    json_object_set_member (object, "engine", tradeoff_engine_spec_to_json (self->engine));
  if (self->error != NULL)
    json_object_set_string_member (object, "error", self->error);
  if (self->note != NULL)
    json_object_set_string_member (object, "note", self->note);
  json_object_set_object_member (object, "summary", summary_to_json (&self->summary));
  if (self->histogram != NULL)
    json_object_set_member (object, "histogram", tradeoff_histogram_to_json (self->histogram));
  if (self->histogram_uncorrected != NULL)
    json_object_set_member (object, "histogram_uncorrected",
                            tradeoff_histogram_to_json (self->histogram_uncorrected));
  json_object_set_array_member (object, "timeline", timeline_to_json (self->timeline));
  tradeoff_json_object_add_extra (object, self->extra);

  return json_node_init_object (json_node_alloc (), object);
}

static TradeoffRun *
run_from_json (JsonNode    *node,
               const char  *path,
               GError     **error)
{
  static const char * const known[] = {
    "engine", "error", "note", "summary", "histogram", "histogram_uncorrected", "timeline", NULL
  };
  g_autoptr(TradeoffRun) self = NULL;
  g_autofree char *engine_path = g_strconcat (path, ".engine", NULL);
  g_autofree char *summary_path = g_strconcat (path, ".summary", NULL);
  g_autofree char *timeline_path = g_strconcat (path, ".timeline", NULL);
  JsonObject *object;
  const char * const histogram_keys[] = { "histogram", "histogram_uncorrected" };

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, path, _("must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  self = g_new0 (TradeoffRun, 1);
  self->timeline = g_array_new (FALSE, TRUE, sizeof (TradeoffTimelinePoint));

  if (!(self->engine = tradeoff_engine_spec_from_json (json_object_get_member (object, "engine"),
                                                       engine_path, error)))
    return NULL;

  if (!summary_from_json (json_object_get_member (object, "summary"), summary_path,
                          &self->summary, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (histogram_keys); i++)
    {
      JsonNode *member = json_object_get_member (object, histogram_keys[i]);
      TradeoffHistogram *histogram;

      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        histogram = tradeoff_histogram_new (3);
      else if (!(histogram = tradeoff_histogram_from_json (member, error)))
        {
          g_prefix_error (error, "%s.", path);
          return NULL;
        }

      if (i == 0)
        self->histogram = histogram;
      else
        self->histogram_uncorrected = histogram;
    }

  if (!timeline_from_json (json_object_get_member (object, "timeline"), timeline_path,
                           self->timeline, error))
    return NULL;

  self->error = get_string (object, "error");
  self->note = get_string (object, "note");
  self->extra = keep_unknown (object, known);

  return g_steal_pointer (&self);
}

TradeoffRun *
tradeoff_run_from_json (JsonNode  *node,
                        GError   **error)
{
  return run_from_json (node, "run", error);
}

/* Machines */

static JsonObject *
machine_to_json (const TradeoffMachine *machine)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "cores", machine->cores);
  json_object_set_string_member (object, "cpu_model", machine->cpu_model ? machine->cpu_model : "");
  json_object_set_string_member (object, "kernel", machine->kernel ? machine->kernel : "");
  json_object_set_int_member (object, "memory_bytes", (gint64) machine->memory_bytes);

  return object;
}

static TradeoffMachine *
machine_from_json (JsonNode  *node,
                   GError   **error)
{
  TradeoffMachine *machine = g_new0 (TradeoffMachine, 1);
  guint64 cores = 0;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      if (!get_count (object, "cores", "machine", &cores, error)
          || !get_count (object, "memory_bytes", "machine", &machine->memory_bytes, error))
        {
          tradeoff_machine_free (machine);
          return NULL;
        }
      machine->cores = (guint) MIN (cores, G_MAXUINT);
      machine->cpu_model = get_string (object, "cpu_model");
      machine->kernel = get_string (object, "kernel");
    }

  if (machine->cpu_model == NULL)
    machine->cpu_model = g_strdup ("unknown");
  if (machine->kernel == NULL)
    machine->kernel = g_strdup ("unknown");

  return machine;
}

/* Results */

JsonNode *
tradeoff_result_to_json (const TradeoffResult *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *runs = json_array_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_object_set_string_member (object, "format", TRADEOFF_RESULT_FORMAT);
  if (self->scenario != NULL)
    json_object_set_member (object, "scenario", tradeoff_scenario_to_json (self->scenario));
  if (self->machine != NULL)
    json_object_set_object_member (object, "machine", machine_to_json (self->machine));
  json_object_set_string_member (object, "started_at", self->started_at ? self->started_at : "");
  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    json_array_add_element (runs, tradeoff_run_to_json (g_ptr_array_index (self->runs, i)));
  json_object_set_array_member (object, "runs", runs);
  tradeoff_json_object_add_extra (object, self->extra);

  return json_node_init_object (json_node_alloc (), object);
}

TradeoffResult *
tradeoff_result_from_json (JsonNode  *node,
                           GError   **error)
{
  static const char * const known[] = {
    "format", "scenario", "machine", "started_at", "runs", NULL
  };
  g_autoptr(TradeoffResult) self = NULL;
  JsonObject *object;
  JsonNode *format;
  JsonNode *runs;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_PARSE,
                           _("Not a result: the file does not hold a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);

  format = json_object_get_member (object, "format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format)
      || json_node_get_value_type (format) != G_TYPE_STRING
      || !g_str_equal (json_node_get_string (format), TRADEOFF_RESULT_FORMAT))
    {
      g_autofree char *reason = g_strdup_printf (_("not a result format this version reads (“%s”)"),
                                                 TRADEOFF_RESULT_FORMAT);

      g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_FORMAT, "format: %s", reason);
      return NULL;
    }

  self = g_new0 (TradeoffResult, 1);
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_run_free);

  if (!(self->scenario = tradeoff_scenario_from_json (json_object_get_member (object, "scenario"),
                                                      error)))
    {
      g_prefix_error (error, "scenario: ");
      return NULL;
    }

  if (!(self->machine = machine_from_json (json_object_get_member (object, "machine"), error)))
    return NULL;

  self->started_at = get_string (object, "started_at");
  if (self->started_at == NULL)
    self->started_at = g_strdup ("");

  runs = json_object_get_member (object, "runs");
  if (runs == NULL || !JSON_NODE_HOLDS_ARRAY (runs))
    {
      set_invalid (error, "runs", _("must be a list"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (runs)); i++)
    {
      g_autofree char *path = g_strdup_printf ("runs[%u]", i);
      TradeoffRun *run;

      if (!(run = run_from_json (json_array_get_element (json_node_get_array (runs), i), path,
                                 error)))
        return NULL;
      g_ptr_array_add (self->runs, run);
    }

  self->extra = keep_unknown (object, known);

  return g_steal_pointer (&self);
}

TradeoffResult *
tradeoff_result_load_file (const char  *path,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!json_parser_load_from_file (parser, path, &parse_error))
    {
      if (parse_error->domain == JSON_PARSER_ERROR)
        g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_PARSE,
                     _("Not a result: not valid JSON (%s)"), parse_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&parse_error));
      return NULL;
    }

  return tradeoff_result_from_json (json_parser_get_root (parser), error);
}

gboolean
tradeoff_result_save_file (const TradeoffResult  *self,
                           const char            *path,
                           GError               **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  node = tradeoff_result_to_json (self);
  data = tradeoff_json_to_data (node, &length);

  return g_file_set_contents (path, data, length, error);
}
