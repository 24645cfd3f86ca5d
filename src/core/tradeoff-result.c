/* tradeoff-result.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Results in JSON (format `tradeoff-result/1`), CSV, and the `.hgrm`
 * percentile distribution HdrHistogram and wrk2 print. A figure that was
 * not measured is NAN in memory, `null` in JSON and an empty CSV cell: a 0
 * would be a measurement, and a wrong one. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tradeoff-core.h"
#include "tradeoff-result.h"

G_DEFINE_QUARK (tradeoff-result-error-quark, tradeoff_result_error)

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

static const char * const latency_keys[] = { "mean", "p50", "p90", "p99", "p999", "max" };

static double *
latency_field (TradeoffLatencySummary *latency,
               guint                   i)
{
  double *fields[] = { &latency->mean, &latency->p50, &latency->p90, &latency->p99,
                       &latency->p999, &latency->max };

  return fields[i];
}

static void
latency_summary_clear (TradeoffLatencySummary *latency)
{
  for (guint i = 0; i < G_N_ELEMENTS (latency_keys); i++)
    *latency_field (latency, i) = NAN;
}

void
tradeoff_run_summary_init (TradeoffRunSummary *summary)
{
  g_return_if_fail (summary != NULL);

  memset (summary, 0, sizeof *summary);
  latency_summary_clear (&summary->latency_us);
  latency_summary_clear (&summary->latency_uncorrected_us);
  summary->peak_rss_bytes = NAN;
  summary->cpu_seconds = NAN;
  summary->cpu_percent_mean = NAN;
  summary->threads_max = NAN;
  summary->server_cpu_us_per_request = NAN;
  summary->capacity_per_core_per_s = NAN;
}

static void
summarize_histogram (const TradeoffHistogram *histogram,
                     TradeoffLatencySummary  *latency)
{
  if (histogram == NULL || tradeoff_histogram_get_count (histogram) == 0)
    {
      latency_summary_clear (latency);
      return;
    }

  latency->mean = tradeoff_histogram_get_mean (histogram);
  latency->p50 = tradeoff_histogram_get_percentile (histogram, 50);
  latency->p90 = tradeoff_histogram_get_percentile (histogram, 90);
  latency->p99 = tradeoff_histogram_get_percentile (histogram, 99);
  latency->p999 = tradeoff_histogram_get_percentile (histogram, 99.9);
  latency->max = tradeoff_histogram_get_max (histogram);
}

void
tradeoff_run_summarize_latency (TradeoffRun *self)
{
  g_return_if_fail (self != NULL);

  summarize_histogram (self->histogram, &self->summary.latency_us);
  summarize_histogram (self->histogram_uncorrected, &self->summary.latency_uncorrected_us);
}

static JsonObject *
latency_to_json (const TradeoffLatencySummary *latency)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (latency_keys); i++)
    set_number_member (object, latency_keys[i],
                       *latency_field ((TradeoffLatencySummary *) latency, i));

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

  latency_summary_clear (latency);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, field, _("must be an object"));
      return FALSE;
    }

  object = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (latency_keys); i++)
    if (!get_double (object, latency_keys[i], field, latency_field (latency, i), error))
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

typedef struct
{
  const char *name;
  gsize       offset;
} PointField;

static const PointField point_fields[] = {
  { "t_s", G_STRUCT_OFFSET (TradeoffTimelinePoint, t_s) },
  { "completed_per_s", G_STRUCT_OFFSET (TradeoffTimelinePoint, completed_per_s) },
  { "bytes_per_s", G_STRUCT_OFFSET (TradeoffTimelinePoint, bytes_per_s) },
  { "p50_us", G_STRUCT_OFFSET (TradeoffTimelinePoint, p50_us) },
  { "p99_us", G_STRUCT_OFFSET (TradeoffTimelinePoint, p99_us) },
  { "in_flight", G_STRUCT_OFFSET (TradeoffTimelinePoint, in_flight) },
  { "errors_per_s", G_STRUCT_OFFSET (TradeoffTimelinePoint, errors_per_s) },
  { "rss_bytes", G_STRUCT_OFFSET (TradeoffTimelinePoint, rss_bytes) },
  { "cpu_percent", G_STRUCT_OFFSET (TradeoffTimelinePoint, cpu_percent) },
  { "threads", G_STRUCT_OFFSET (TradeoffTimelinePoint, threads) },
  { "connections", G_STRUCT_OFFSET (TradeoffTimelinePoint, connections) },
};

static JsonArray *
timeline_to_json (GArray *timeline)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; timeline != NULL && i < timeline->len; i++)
    {
      TradeoffTimelinePoint *point = &g_array_index (timeline, TradeoffTimelinePoint, i);
      JsonObject *object = json_object_new ();

      for (guint j = 0; j < G_N_ELEMENTS (point_fields); j++)
        set_number_member (object, point_fields[j].name,
                           G_STRUCT_MEMBER (double, point, point_fields[j].offset));
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

      for (guint j = 0; j < G_N_ELEMENTS (point_fields); j++)
        if (!get_double (json_node_get_object (element), point_fields[j].name, field,
                         &G_STRUCT_MEMBER (double, &point, point_fields[j].offset), error))
          return FALSE;

      g_array_append_val (timeline, point);
    }

  return TRUE;
}

/* Runs */

TradeoffRun *
tradeoff_run_new (const TradeoffEngineSpec *engine)
{
  TradeoffRun *self;

  g_return_val_if_fail (engine != NULL, NULL);

  self = g_new0 (TradeoffRun, 1);
  self->engine = tradeoff_engine_spec_copy (engine);
  tradeoff_run_summary_init (&self->summary);
  self->histogram = tradeoff_histogram_new (3);
  self->histogram_uncorrected = tradeoff_histogram_new (3);
  self->timeline = g_array_new (FALSE, TRUE, sizeof (TradeoffTimelinePoint));

  return self;
}

TradeoffRun *
tradeoff_run_copy (const TradeoffRun *self)
{
  TradeoffRun *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TradeoffRun, 1);
  copy->engine = self->engine ? tradeoff_engine_spec_copy (self->engine) : NULL;
  copy->summary = self->summary;
  copy->histogram = self->histogram ? tradeoff_histogram_copy (self->histogram) : NULL;
  copy->histogram_uncorrected =
    self->histogram_uncorrected ? tradeoff_histogram_copy (self->histogram_uncorrected) : NULL;
  copy->timeline = g_array_new (FALSE, TRUE, sizeof (TradeoffTimelinePoint));
  if (self->timeline != NULL && self->timeline->len > 0)
    g_array_append_vals (copy->timeline, self->timeline->data, self->timeline->len);
  copy->error = g_strdup (self->error);
  copy->note = g_strdup (self->note);
  copy->extra = tradeoff_json_object_copy (self->extra);

  return copy;
}

void
tradeoff_run_free (TradeoffRun *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->engine, tradeoff_engine_spec_free);
  g_clear_pointer (&self->histogram, tradeoff_histogram_free);
  g_clear_pointer (&self->histogram_uncorrected, tradeoff_histogram_free);
  g_clear_pointer (&self->timeline, g_array_unref);
  g_free (self->error);
  g_free (self->note);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

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

static TradeoffMachine *
machine_copy (const TradeoffMachine *machine)
{
  TradeoffMachine *copy;

  if (machine == NULL)
    return NULL;

  copy = g_memdup2 (machine, sizeof *machine);
  copy->cpu_model = g_strdup (machine->cpu_model);
  copy->kernel = g_strdup (machine->kernel);

  return copy;
}

/* Results */

TradeoffResult *
tradeoff_result_new (const TradeoffScenario *scenario)
{
  TradeoffResult *self;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (scenario != NULL, NULL);

  self = g_new0 (TradeoffResult, 1);
  self->scenario = tradeoff_scenario_copy (scenario);
  self->machine = tradeoff_machine_new_local ();
  self->started_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_run_free);

  return self;
}

TradeoffResult *
tradeoff_result_copy (const TradeoffResult *self)
{
  TradeoffResult *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TradeoffResult, 1);
  copy->scenario = self->scenario ? tradeoff_scenario_copy (self->scenario) : NULL;
  copy->machine = machine_copy (self->machine);
  copy->started_at = g_strdup (self->started_at);
  copy->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_run_free);
  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    g_ptr_array_add (copy->runs, tradeoff_run_copy (g_ptr_array_index (self->runs, i)));
  copy->extra = tradeoff_json_object_copy (self->extra);

  return copy;
}

void
tradeoff_result_free (TradeoffResult *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->scenario, tradeoff_scenario_free);
  g_clear_pointer (&self->machine, tradeoff_machine_free);
  g_free (self->started_at);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

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

/* CSV */

static void
append_csv_text (GString    *out,
                 const char *text)
{
  if (text == NULL)
    return;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_number (GString *out,
                   double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (!isfinite (value))
    return;

  if (value == floor (value) && fabs (value) < 1e15)
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.0f", value));
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

char *
tradeoff_result_to_summary_csv (const TradeoffResult *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  g_string_append (out,
                   "engine,kind,completed,errors,timeouts,stalls,throughput_per_s,bytes_per_s,"
                   "latency_mean_us,latency_p50_us,latency_p90_us,latency_p99_us,"
                   "latency_p999_us,latency_max_us,"
                   "uncorrected_mean_us,uncorrected_p50_us,uncorrected_p90_us,"
                   "uncorrected_p99_us,uncorrected_p999_us,uncorrected_max_us,"
                   "peak_rss_bytes,cpu_seconds,cpu_percent_mean,threads_max,"
                   "offered_per_s,achieved_per_s,driver_limited,"
                   "server_cpu_us_per_request,capacity_per_core_per_s,error\n");

  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (self->runs, i);
      const TradeoffRunSummary *s = &run->summary;

      append_csv_text (out, run->engine ? run->engine->label : "");
      g_string_append_c (out, ',');
      if (run->engine != NULL)
        g_string_append (out, tradeoff_engine_kind_to_string (run->engine->kind));
      append_csv_number (out, s->completed);
      append_csv_number (out, s->errors);
      append_csv_number (out, s->timeouts);
      append_csv_number (out, s->stalls);
      append_csv_number (out, s->throughput_per_s);
      append_csv_number (out, s->bytes_per_s);
      for (guint j = 0; j < G_N_ELEMENTS (latency_keys); j++)
        append_csv_number (out, *latency_field ((TradeoffLatencySummary *) &s->latency_us, j));
      for (guint j = 0; j < G_N_ELEMENTS (latency_keys); j++)
        append_csv_number (out, *latency_field ((TradeoffLatencySummary *) &s->latency_uncorrected_us,
                                                j));
      append_csv_number (out, s->peak_rss_bytes);
      append_csv_number (out, s->cpu_seconds);
      append_csv_number (out, s->cpu_percent_mean);
      append_csv_number (out, s->threads_max);
      append_csv_number (out, s->offered_per_s);
      append_csv_number (out, s->achieved_per_s);
      g_string_append (out, s->driver_limited ? ",true" : ",false");
      append_csv_number (out, s->server_cpu_us_per_request);
      append_csv_number (out, s->capacity_per_core_per_s);
      g_string_append_c (out, ',');
      append_csv_text (out, run->error);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

char *
tradeoff_result_to_timeline_csv (const TradeoffResult *self)
{
  GString *out = g_string_new ("engine");

  g_return_val_if_fail (self != NULL, NULL);

  for (guint j = 0; j < G_N_ELEMENTS (point_fields); j++)
    g_string_append_printf (out, ",%s", point_fields[j].name);
  g_string_append_c (out, '\n');

  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (self->runs, i);

      for (guint k = 0; run->timeline != NULL && k < run->timeline->len; k++)
        {
          TradeoffTimelinePoint *point = &g_array_index (run->timeline, TradeoffTimelinePoint, k);

          append_csv_text (out, run->engine ? run->engine->label : "");
          for (guint j = 0; j < G_N_ELEMENTS (point_fields); j++)
            append_csv_number (out, G_STRUCT_MEMBER (double, point, point_fields[j].offset));
          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (out, FALSE);
}

/* Percentile distributions (.hgrm) */

/* The percentile iteration of HdrHistogram's outputPercentileDistribution
 * (and hdr_percentiles_print, which wrk2 calls): ticks start at 0% and
 * each halving of the distance to 100% gets @ticks_per_half_distance more;
 * a bucket prints one line per tick it covers; the last bucket prints its
 * first tick, then a final 100% line. */
static void
append_hgrm_line (GString *out,
                  int      value_decimals,
                  gint64   value_us,
                  double   percentile,
                  guint64  total_count)
{
  char value[G_ASCII_DTOSTR_BUF_SIZE];
  char format[16];
  double fraction = percentile / 100.0;

  g_snprintf (format, sizeof format, "%%.%df", value_decimals);
  g_ascii_formatd (value, sizeof value, format, (double) value_us / 1000.0);
  g_string_append_printf (out, "%12s %12.6f %12" G_GUINT64_FORMAT " %12.2f\n",
                          value, fraction, total_count, 1.0 / (1.0 - fraction));
}

static double
next_tick (double tick,
           guint  ticks_per_half_distance)
{
  gint64 halvings = (gint64) (log (100.0 / (100.0 - tick)) / log (2)) + 1;
  double half_distance = pow (2, (double) halvings);

  return tick + 100.0 / ((double) ticks_per_half_distance * half_distance);
}

static char *
histogram_to_hgrm (const TradeoffHistogram *histogram)
{
  GString *out = g_string_new (NULL);
  guint64 total = tradeoff_histogram_get_count (histogram);
  int decimals = (int) tradeoff_histogram_get_significant_digits (histogram);
  TradeoffHistogramIter iter;
  guint64 cumulative = 0;
  gint64 value = 0;
  guint64 count;
  double tick = 0;

  g_string_append_printf (out, "%12s %12s %12s %12s\n\n",
                          "Value", "Percentile", "TotalCount", "1/(1-Percentile)");

  tradeoff_histogram_iter_init (&iter, histogram);
  while (total > 0 && tradeoff_histogram_iter_next (&iter, &value, &count))
    {
      double current;

      cumulative += count;
      current = 100.0 * (double) cumulative / (double) total;

      while (tick <= current)
        {
          append_hgrm_line (out, decimals, value, tick, cumulative);
          tick = next_tick (tick, 5);
          if (cumulative == total)
            break;
        }
    }
  if (total > 0)
    append_hgrm_line (out, decimals, value, 100.0, total);

  {
    char mean[G_ASCII_DTOSTR_BUF_SIZE], stddev[G_ASCII_DTOSTR_BUF_SIZE];
    char max[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd (mean, sizeof mean, "%.3f", tradeoff_histogram_get_mean (histogram) / 1000.0);
    g_ascii_formatd (stddev, sizeof stddev, "%.3f",
                     tradeoff_histogram_get_stddev (histogram) / 1000.0);
    g_ascii_formatd (max, sizeof max, "%.3f",
                     (double) tradeoff_histogram_get_max (histogram) / 1000.0);
    g_string_append_printf (out,
                            "#[Mean    = %12s, StdDeviation   = %12s]\n"
                            "#[Max     = %12s, Total count    = %12" G_GUINT64_FORMAT "]\n"
                            "#[Buckets = %12u, SubBuckets     = %12u]\n",
                            mean, stddev, max, total,
                            tradeoff_histogram_get_bucket_count (histogram),
                            tradeoff_histogram_get_sub_bucket_count (histogram));
  }

  return g_string_free (out, FALSE);
}

char *
tradeoff_run_to_hgrm (const TradeoffRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->histogram != NULL, NULL);

  return histogram_to_hgrm (self->histogram);
}

typedef struct
{
  TradeoffHistogram *histogram;
  gboolean           uncorrected;
  guint              lines;
  double             mean_us;      /* from the footer; NAN if none */
} HgrmTable;

static void
hgrm_table_free (HgrmTable *table)
{
  tradeoff_histogram_free (table->histogram);
  g_free (table);
}

/* "1.234 0.500000 5000 2.00" (or the CSV form "1.234,0.500000,5000,2.00"). */
static gboolean
parse_hgrm_row (const char *line,
                double     *value_ms,
                double     *fraction,
                guint64    *total_count)
{
  g_auto(GStrv) tokens = g_strsplit_set (line, " \t,", -1);
  const char *fields[4];
  guint n = 0;
  char *end;

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      if (*tokens[i] == '\0')
        continue;
      if (n == 4)
        return FALSE;
      fields[n++] = tokens[i];
    }
  if (n != 4)
    return FALSE;

  errno = 0;
  *value_ms = g_ascii_strtod (fields[0], &end);
  if (*end != '\0' || errno != 0 || !(*value_ms >= 0))
    return FALSE;
  *fraction = g_ascii_strtod (fields[1], &end);
  if (*end != '\0' || !(*fraction >= 0 && *fraction <= 1))
    return FALSE;
  *total_count = g_ascii_strtoull (fields[2], &end, 10);
  if (*end != '\0' || errno != 0 || end == fields[2])
    return FALSE;
  if (!g_str_equal (fields[3], "inf") && !g_str_equal (fields[3], "Infinity"))
    {
      g_ascii_strtod (fields[3], &end);
      if (*end != '\0')
        return FALSE;
    }

  return TRUE;
}

static GPtrArray *
parse_hgrm (const char  *contents,
            const char  *path,
            GError     **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) hgrm_table_free);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  const char *basename = path;
  HgrmTable *table = NULL;
  gboolean next_uncorrected = FALSE;
  guint64 previous_total = 0;
  int significant_digits = 3;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      double value_ms, fraction;
      guint64 total_count;

      if (strstr (line, "Latency Distribution") != NULL)
        next_uncorrected = strstr (line, "Uncorrected") != NULL;

      if (strstr (line, "Value") != NULL && strstr (line, "Percentile") != NULL
          && strstr (line, "TotalCount") != NULL)
        {
          table = g_new0 (HgrmTable, 1);
          table->uncorrected = next_uncorrected;
          table->histogram = tradeoff_histogram_new (3);
          table->mean_us = NAN;
          g_ptr_array_add (tables, table);
          previous_total = 0;
          continue;
        }

      if (table == NULL)
        continue;

      if (*line == '\0')
        continue;

      if (g_str_has_prefix (line, "#[Buckets"))
        {
          const char *sub = strstr (line, "SubBuckets");
          guint64 sub_buckets = 0;

          if (sub != NULL)
            sub_buckets = g_ascii_strtoull (sub + strcspn (sub, "0123456789"), NULL, 10);

          /* SubBuckets = 2^ceil(log2(2 * 10^digits)): 32, 256, 2048, 32768. */
          significant_digits = sub_buckets <= 32 ? 1 : sub_buckets <= 256 ? 2 :
                               sub_buckets <= 2048 ? 3 : 4;
          if (tradeoff_histogram_get_significant_digits (table->histogram)
              != (guint) significant_digits)
            {
              TradeoffHistogram *rebucketed = tradeoff_histogram_new (significant_digits);

              tradeoff_histogram_merge (rebucketed, table->histogram);
              tradeoff_histogram_free (table->histogram);
              table->histogram = rebucketed;
            }
          table = NULL;
          continue;
        }

      if (g_str_has_prefix (line, "#[Mean"))
        {
          const char *equals = strchr (line, '=');
          char *end;
          double mean_ms = equals ? g_ascii_strtod (equals + 1, &end) : NAN;

          if (equals != NULL && end != equals + 1 && mean_ms >= 0)
            table->mean_us = mean_ms * 1000.0;
          continue;
        }

      if (*line == '#')
        continue;

      if (!parse_hgrm_row (line, &value_ms, &fraction, &total_count))
        {
          /* The table ends at the first line that is not a row. */
          table = NULL;
          continue;
        }

      if (total_count < previous_total)
        {
          g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_INVALID,
                       _("%s, line %u: the total count goes down, from %" PRIu64 " to %" PRIu64), basename, i + 1, previous_total, total_count);
          return NULL;
        }

      /* Each row's value is the highest of the bucket its percentile fell
       * in; the counts between rows all lie at or below it. */
      tradeoff_histogram_record_n (table->histogram, (gint64) llround (value_ms * 1000.0),
                                   total_count - previous_total);
      previous_total = total_count;
      table->lines++;
    }

  for (guint i = 0; i < tables->len; i++)
    {
      HgrmTable *t = g_ptr_array_index (tables, i);

      if (t->lines == 0)
        g_ptr_array_remove_index (tables, i--);
    }

  if (tables->len == 0)
    {
      g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_PARSE,
                   _("%s: no percentile distribution found (a table headed “Value Percentile "
                     "TotalCount 1/(1-Percentile)”, as wrk2 --latency prints)"), basename);
      return NULL;
    }

  return g_steal_pointer (&tables);
}

static double
parse_wrk2_figure (const char *contents,
                   const char *label)
{
  const char *found = strstr (contents, label);
  const char *p;
  double value;
  char *end;

  if (found == NULL)
    return NAN;

  p = found + strlen (label);
  while (*p == ' ' || *p == '\t')
    p++;
  value = g_ascii_strtod (p, &end);
  if (end == p)
    return NAN;

  return value;
}

static char *
parse_wrk2_url (const char *contents)
{
  const char *found = strstr (contents, " test @ ");
  const char *start;
  gsize length;

  if (found == NULL)
    return NULL;

  start = found + strlen (" test @ ");
  length = strcspn (start, " \t\r\n");

  return g_strndup (start, length);
}

TradeoffResult *
tradeoff_result_import_hgrm (const char  *path,
                             const char  *label,
                             GError     **error)
{
  g_autoptr(TradeoffScenario) scenario = NULL;
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(TradeoffEngineSpec) engine = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *url = NULL;
  g_autofree char *basename = NULL;
  TradeoffRun *run;
  gsize length;
  double seconds, rate, connections;
  double mean = NAN, uncorrected_mean = NAN;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  if (*label == '\0')
    {
      g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_INVALID,
                   "label: %s", _("must not be empty"));
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (!g_utf8_validate (contents, length, NULL) || memchr (contents, '\0', length) != NULL)
    {
      g_set_error (error, TRADEOFF_RESULT_ERROR, TRADEOFF_RESULT_ERROR_PARSE,
                   _("%s: not a text file"), path);
      return NULL;
    }

  if (!(tables = parse_hgrm (contents, path, error)))
    return NULL;

  /* The run came from elsewhere: name the server wrk2 loaded if it says,
   * else an address that cannot resolve, so nobody loads it by mistake. */
  url = parse_wrk2_url (contents);
  engine = tradeoff_engine_spec_new (TRADEOFF_ENGINE_URL, label);
  if (url != NULL && g_str_has_prefix (url, "http://"))
    {
      g_free (engine->url);
      engine->url = g_steal_pointer (&url);
    }
  else
    {
      g_free (engine->url);
      engine->url = g_strdup ("http://imported.invalid/");
    }
  if (tradeoff_engine_spec_check (engine, NULL) != NULL)
    {
      g_free (engine->url);
      engine->url = g_strdup ("http://imported.invalid/");
    }
  basename = g_path_get_basename (path);
  engine->extra = json_object_new ();
  json_object_set_string_member (engine->extra, "imported_from", basename);

  scenario = tradeoff_scenario_new ();
  g_free (scenario->name);
  scenario->name = g_strdup (label);
  g_ptr_array_set_size (scenario->engines, 0);
  g_ptr_array_add (scenario->engines, tradeoff_engine_spec_copy (engine));

  /* What wrk2 says of its load; the rest of the workload is unknown. */
  seconds = parse_wrk2_figure (contents, "requests in ");
  if (seconds > 0 && seconds <= 3600)
    scenario->workload.duration_s = seconds;
  rate = parse_wrk2_figure (contents, "Requests/sec:");
  if (rate > 0 && rate <= 1000000)
    scenario->workload.rate_per_s = rate;
  connections = parse_wrk2_figure (contents, "threads and ");
  if (connections >= 1 && connections <= 100000)
    scenario->workload.connections = (guint) connections;

  result = tradeoff_result_new (scenario);
  /* Measured elsewhere: this machine says nothing about it. */
  result->machine->cores = 0;
  g_free (result->machine->cpu_model);
  result->machine->cpu_model = g_strdup ("unknown");
  g_free (result->machine->kernel);
  result->machine->kernel = g_strdup ("unknown");
  result->machine->memory_bytes = 0;

  run = tradeoff_run_new (engine);
  for (guint i = 0; i < tables->len; i++)
    {
      HgrmTable *table = g_ptr_array_index (tables, i);
      TradeoffHistogram **slot = table->uncorrected ? &run->histogram_uncorrected : &run->histogram;

      if (tradeoff_histogram_get_count (*slot) == 0)
        {
          tradeoff_histogram_free (*slot);
          *slot = g_steal_pointer (&table->histogram);
          if (table->uncorrected)
            uncorrected_mean = table->mean_us;
          else
            mean = table->mean_us;
        }
    }

  tradeoff_run_summarize_latency (run);
  /* The table keeps only its rows; the footer's mean came from every value. */
  if (!isnan (mean) && tradeoff_histogram_get_count (run->histogram) > 0)
    run->summary.latency_us.mean = mean;
  if (!isnan (uncorrected_mean) && tradeoff_histogram_get_count (run->histogram_uncorrected) > 0)
    run->summary.latency_uncorrected_us.mean = uncorrected_mean;
  run->summary.completed = tradeoff_histogram_get_count (run->histogram);
  run->summary.throughput_per_s = rate >= 0 ? rate : NAN;
  run->summary.achieved_per_s = run->summary.throughput_per_s;
  run->summary.offered_per_s = NAN;
  run->summary.bytes_per_s = NAN;
  run->note = g_strdup_printf (_("Imported from %s"), basename);
  g_ptr_array_add (result->runs, run);

  return g_steal_pointer (&result);
}
