/* tradeoff-guidance.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The claims and their verdicts.
 *
 * data/guidance.json (`"format": "tradeoff-guidance/1"`) holds "sources"
 * (key -> {title, publisher, date}), "conflicts" (groups of claims the
 * documents set against each other, with a note) and "claims". A claim has
 * an "id", a "paraphrase" in our words, "sources" (keys), "workloads" (the
 * kinds it speaks to), a "rule" and a "scenario" (an inline
 * tradeoff-scenario/1 object, or {"preset": ID, "overrides": {"name",
 * "workload": {...}, "engines": [...]}}).
 *
 * The rule language. A rule measures one number from the results and maps
 * it through "bands" to a verdict:
 *
 *   "bands": [ { "below": 1.3, "verdict": "supported" },
 *              { "below": 1.6, "verdict": "depends", "condition": "..." },
 *              { "verdict": "contradicted" } ]
 *
 * The first band whose "below" exceeds the value wins; the last band has no
 * "below". A "depends" band names its condition.
 *
 *   "ratio"    figure of selection "a" over figure of selection "b", both
 *              taken from the same result (the same scenario, so the same
 *              load). "floor" raises both figures to at least that value (so
 *              two latencies under a millisecond compare as equal);
 *              "claimed" is the article's own ratio, shown beside ours.
 *   "sweep"    within selection "select", runs grouped by a parameter "by";
 *              the figure at the largest value over the figure at the
 *              smallest. An engine parameter (workers, instances,
 *              offload_workers) sweeps within one result; a workload
 *              parameter (connections, rate_per_s, ...) sweeps across results.
 *   "value"    the figure of selection "select" itself.
 *   "first-of" the first of "rules" that is tested decides; each carries a
 *              "basis" saying what it was judged on (the real runtimes
 *              before the built-in models).
 *   "all"      every tested sub-rule of "rules" is judged; when they agree
 *              their verdict stands, otherwise the claim depends: the
 *              condition is the "holds" text of the sub-rules that supported
 *              it (or "condition" of the rule when none did).
 *
 * A selection picks runs: "workload" (kind or list), "engine" (loop, pool,
 * url, reference), "runtime" (reference runtimes, string or list), "gil",
 * "offload" (offload_workers > 0), "connection_mode", and any parameter as a
 * number (exact) or {"min", "max"}: instances, workers, offload_workers,
 * switch_interval_ms, cpu_us, wait_us, work_us (cpu_us times batch for ML
 * batch), batch, connections, clients, rate_per_s, streams,
 * rate_bytes_per_s, chunk_bytes, reply_bytes. "any" is a list of
 * selections of which one must also match. "pick" (median, max, min) says
 * which figure stands for several matching runs. A run that failed or
 * completed nothing never counts. "label" names the selection in evidence.
 *
 * Figures: throughput_per_s, bytes_per_s, mean_us, p50_us, p90_us, p99_us,
 * p999_us, max_us (latency from the intended start), peak_rss_bytes,
 * threads_max, cpu_seconds, cores_used (mean CPU % / 100),
 * server_cpu_us_per_request, capacity_per_core_per_s (the requests per
 * second one core of the server could do, 1e6 over server CPU per request:
 * what a claim about how many requests a server handles is judged by, since
 * in an open-loop run every engine just achieves the offered rate and a
 * driver sharing the cores caps a closed-loop one; unmeasured for url
 * engines), work_cores (requested CPU work done per second,
 * in cores: throughput times work_us), queue_p99_us (p99 less the service
 * time work_us + wait_us), cpu_ms_per_mb (server CPU per megabyte sent),
 * stalls, error_fraction. Unmeasured figures (NAN) never count.
 *
 * Strings in the file are English; build-aux/guidance-strings.py lists them
 * for gettext in tradeoff-guidance-strings.c and they are translated when a
 * verdict is made or displayed. */

#define G_LOG_DOMAIN "tradeoff-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "tradeoff-core.h"
#include "tradeoff-guidance-private.h"
#include "tradeoff-presets.h"

const char * const tradeoff_guidance_param_names[N_PARAMS] = {
  "instances", "workers", "offload_workers", "switch_interval_ms", "cpu_us", "wait_us",
  "work_us", "batch", "connections", "clients", "rate_per_s", "streams", "rate_bytes_per_s",
  "chunk_bytes", "reply_bytes",
};

const char * const tradeoff_guidance_figure_names[N_FIGURES] = {
  "throughput_per_s", "bytes_per_s", "mean_us", "p50_us", "p90_us", "p99_us", "p999_us",
  "max_us", "peak_rss_bytes", "threads_max", "cpu_seconds", "cores_used",
  "server_cpu_us_per_request", "capacity_per_core_per_s", "work_cores", "queue_p99_us",
  "cpu_ms_per_mb", "stalls", "error_fraction",
};

G_DEFINE_QUARK (tradeoff-guidance-error-quark, tradeoff_guidance_error)

/* Loading */

typedef struct
{
  const char  *claim_id;
  GError     **error;
} Parse;

static gboolean fail (Parse      *parse,
                      const char *path,
                      const char *format,
                      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Parse      *parse,
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

static void
rule_free (TradeoffRule *self)
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
  rule_free (self->rule);
  g_free (self);
}

static void
conflict_free (TradeoffConflict *self)
{
  g_free (self->note);
  g_clear_pointer (&self->claim_ids, g_ptr_array_unref);
  g_free (self);
}

static int
lookup_name (const char * const *names,
             guint               n_names,
             const char         *name)
{
  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (names[i], name))
      return (int) i;
  return -1;
}

/* A non-empty string member, or NULL with @error set (when @required). */
static gboolean
get_string (Parse       *parse,
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
        return fail (parse, field, "%s", _("missing"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (parse, field, "%s", _("must be a string"));
  str = json_node_get_string (node);
  if (str == NULL || *str == '\0')
    return fail (parse, field, "%s", _("must not be empty"));
  *out = g_strdup (str);
  return TRUE;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
get_number (Parse      *parse,
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
  if (!node_is_number (node) || !isfinite (json_node_get_double (node)))
    return fail (parse, field, "%s", _("must be a number"));
  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
parse_workload_kinds (Parse      *parse,
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
            return fail (parse, field, "%s", _("must be a workload kind or a list of them"));
          g_ptr_array_add (names, (gpointer) json_node_get_string (element));
        }
    }
  else
    return fail (parse, field, "%s", _("must be a workload kind or a list of them"));

  if (names->len == 0)
    return fail (parse, field, "%s", _("must name at least one workload kind"));

  for (guint i = 0; i < names->len; i++)
    {
      TradeoffWorkloadKind kind;

      if (!tradeoff_workload_kind_from_string (names->pdata[i], &kind))
        return fail (parse, field, _("unknown workload kind “%s”"), (const char *) names->pdata[i]);
      *mask |= 1u << kind;
    }
  return TRUE;
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
        return fail (parse, field, "%s", _("only the outer selection has a label"));
      return get_string (parse, object, path, member, TRUE, &self->label);
    }
  if (g_str_equal (member, "workload"))
    return parse_workload_kinds (parse, node, field, &self->workload_mask);
  if (g_str_equal (member, "engine"))
    {
      TradeoffEngineKind kind;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !tradeoff_engine_kind_from_string (json_node_get_string (node), &kind))
        return fail (parse, field, "%s", _("must be one of loop, pool, url, reference"));
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
                return fail (parse, field, "%s", _("must be a runtime or a list of them"));
              g_strv_builder_add (builder, json_node_get_string (element));
            }
        }
      else
        return fail (parse, field, "%s", _("must be a runtime or a list of them"));
      self->runtimes = g_strv_builder_end (builder);
      return TRUE;
    }
  if (g_str_equal (member, "gil") || g_str_equal (member, "offload"))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return fail (parse, field, "%s", _("must be true or false"));
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
        return fail (parse, field, "%s", _("must be per-connection or per-request"));
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
        return fail (parse, field, "%s", _("must be median, max or min"));
      return TRUE;
    }
  if (g_str_equal (member, "any"))
    {
      JsonArray *array;

      if (!top)
        return fail (parse, field, "%s", _("alternatives cannot nest"));
      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
        return fail (parse, field, "%s", _("must be a non-empty list of selections"));
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

  param = lookup_name (tradeoff_guidance_param_names, N_PARAMS, member);
  if (param >= 0)
    {
      Range range = { param, NAN, NAN };

      if (node_is_number (node))
        range.min = range.max = json_node_get_double (node);
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *bounds = json_node_get_object (node);
          g_autoptr(GList) members = json_object_get_members (bounds);

          for (GList *l = members; l != NULL; l = l->next)
            if (!g_str_equal (l->data, "min") && !g_str_equal (l->data, "max"))
              return fail (parse, field, _("unknown key “%s”; expected min or max"), (const char *) l->data);
          if (!get_number (parse, bounds, field, "min", &range.min) ||
              !get_number (parse, bounds, field, "max", &range.max))
            return FALSE;
          if (isnan (range.min) && isnan (range.max))
            return fail (parse, field, "%s", _("needs min, max or both"));
          if (!isnan (range.min) && !isnan (range.max) && range.min > range.max)
            return fail (parse, field, "%s", _("min must not exceed max"));
        }
      else
        return fail (parse, field, "%s", _("must be a number or {\"min\", \"max\"}"));

      g_array_append_val (self->ranges, range);
      return TRUE;
    }

  return fail (parse, field, "%s", _("unknown key"));
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

  if (node == NULL)
    {
      fail (parse, path, "%s", _("missing"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (parse, path, "%s", _("must be an object"));
      return NULL;
    }

  object = json_node_get_object (node);
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

      fail (parse, field, "%s", _("missing"));
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
    return fail (parse, field, "%s", _("missing"));
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) < 2)
    return fail (parse, field, "%s", _("must be a list of at least two bands"));

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
        return fail (parse, band_path, "%s", _("must be an object"));
      band_object = json_node_get_object (element);

      members = json_object_get_members (band_object);
      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "below") && !g_str_equal (l->data, "verdict") &&
            !g_str_equal (l->data, "condition"))
          {
            g_autofree char *member_field = g_strdup_printf ("%s.%s", band_path, (const char *) l->data);
            return fail (parse, member_field, "%s", _("unknown key"));
          }

      if (!get_number (parse, band_object, band_path, "below", &band.below) ||
          !get_string (parse, band_object, band_path, "verdict", TRUE, &verdict))
        return FALSE;

      if (!parse_verdict_kind (verdict, &band.verdict) || band.verdict == TRADEOFF_VERDICT_NOT_TESTED)
        return fail (parse, verdict_field,
                     _("must be one of supported, contradicted, depends, got “%s”"), verdict);

      if (i + 1 < n && isnan (band.below))
        {
          g_autofree char *below_field = g_strdup_printf ("%s.below", band_path);
          return fail (parse, below_field, "%s", _("missing: every band but the last has an upper bound"));
        }
      if (i + 1 == n && !isnan (band.below))
        {
          g_autofree char *below_field = g_strdup_printf ("%s.below", band_path);
          return fail (parse, below_field, "%s", _("the last band must be open-ended"));
        }
      if (i > 0 && i + 1 < n && !(band.below > g_array_index (rule->bands, Band, i - 1).below))
        {
          g_autofree char *below_field = g_strdup_printf ("%s.below", band_path);
          return fail (parse, below_field, "%s", _("must be greater than the band before"));
        }

      if (!get_string (parse, band_object, band_path, "condition", FALSE, &band.condition))
        return FALSE;
      if (band.verdict == TRADEOFF_VERDICT_DEPENDS && band.condition == NULL)
        {
          g_autofree char *condition_field = g_strdup_printf ("%s.condition", band_path);
          return fail (parse, condition_field, "%s", _("missing: a “depends” band names its condition"));
        }

      g_array_append_val (rule->bands, band);
    }

  return TRUE;
}

static TradeoffRule *
parse_rule (Parse      *parse,
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

  if (node == NULL)
    {
      fail (parse, path, "%s", _("missing"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (parse, path, "%s", _("must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (lookup_name (known, G_N_ELEMENTS (known), l->data) < 0)
      {
        g_autofree char *field = g_strdup_printf ("%s.%s", path, (const char *) l->data);
        fail (parse, field, "%s", _("unknown key"));
        return NULL;
      }

  if (!get_string (parse, object, path, "type", TRUE, &type))
    return NULL;
  type_index = lookup_name (rule_types, G_N_ELEMENTS (rule_types), type);
  if (type_index < 0)
    {
      g_autofree char *field = g_strdup_printf ("%s.type", path);
      fail (parse, field, _("must be one of ratio, sweep, value, first-of, all, got “%s”"), type);
      return NULL;
    }

  rule = g_new0 (TradeoffRule, 1);
  rule->type = type_index;
  rule->floor = NAN;
  rule->claimed = NAN;

  if (!get_string (parse, object, path, "basis", FALSE, &rule->basis) ||
      !get_string (parse, object, path, "holds", FALSE, &rule->holds) ||
      !get_string (parse, object, path, "condition", FALSE, &rule->condition))
    goto failed;

  if (rule->type == RULE_FIRST_OF || rule->type == RULE_ALL)
    {
      g_autofree char *field = g_strdup_printf ("%s.rules", path);
      JsonNode *rules = json_object_get_member (object, "rules");
      JsonArray *array;

      if (rules == NULL)
        {
          fail (parse, field, "%s", _("missing"));
          goto failed;
        }
      if (!JSON_NODE_HOLDS_ARRAY (rules) || json_array_get_length (json_node_get_array (rules)) < 2)
        {
          fail (parse, field, "%s", _("must be a list of at least two rules"));
          goto failed;
        }

      array = json_node_get_array (rules);
      rule->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *element_path = g_strdup_printf ("%s[%u]", field, i);
          TradeoffRule *sub = parse_rule (parse, json_array_get_element (array, i), element_path, TRUE);

          if (sub == NULL)
            goto failed;
          g_ptr_array_add (rule->rules, sub);

          if (rule->type == RULE_FIRST_OF && sub->basis == NULL)
            {
              g_autofree char *basis_field = g_strdup_printf ("%s.basis", element_path);
              fail (parse, basis_field, "%s", _("missing: each alternative says what it is judged on"));
              goto failed;
            }
          if (rule->type == RULE_ALL && sub->holds == NULL && rule->condition == NULL)
            {
              g_autofree char *holds_field = g_strdup_printf ("%s.holds", element_path);
              fail (parse, holds_field, "%s", _("missing, and the rule has no condition either"));
              goto failed;
            }
        }
      return rule;
    }

  if (!get_string (parse, object, path, "figure", TRUE, &figure))
    goto failed;
  rule->figure = lookup_name (tradeoff_guidance_figure_names, N_FIGURES, figure);
  if ((int) rule->figure < 0)
    {
      g_autofree char *field = g_strdup_printf ("%s.figure", path);
      fail (parse, field, _("unknown figure “%s”"), figure);
      goto failed;
    }

  if (!get_number (parse, object, path, "floor", &rule->floor) ||
      !get_number (parse, object, path, "claimed", &rule->claimed))
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

      if (!get_string (parse, object, path, "by", TRUE, &by))
        goto failed;
      param = lookup_name (tradeoff_guidance_param_names, N_PARAMS, by);
      if (param < 0)
        {
          g_autofree char *field = g_strdup_printf ("%s.by", path);
          fail (parse, field, _("unknown parameter “%s”"), by);
          goto failed;
        }
      rule->by = param;
    }

  if (!parse_bands (parse, rule, object, path))
    goto failed;

  return rule;

failed:
  rule_free (rule);
  return NULL;
}

static gboolean
check_scenario (Parse    *parse,
                JsonNode *node)
{
  JsonObject *object;

  if (node == NULL)
    return fail (parse, "scenario", "%s", _("missing"));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (parse, "scenario", "%s", _("must be an object"));

  object = json_node_get_object (node);
  if (json_object_has_member (object, "preset"))
    {
      g_autofree char *preset = NULL;
      JsonNode *overrides = json_object_get_member (object, "overrides");

      if (!get_string (parse, object, "scenario", "preset", TRUE, &preset))
        return FALSE;
      if (overrides != NULL && !JSON_NODE_HOLDS_OBJECT (overrides))
        return fail (parse, "scenario.overrides", "%s", _("must be an object"));
      return TRUE;
    }
  else
    {
      g_autoptr(TradeoffScenario) scenario = NULL;
      g_autoptr(GError) local_error = NULL;

      scenario = tradeoff_scenario_from_json (node, &local_error);
      if (scenario == NULL || !tradeoff_scenario_validate (scenario, &local_error))
        return fail (parse, "scenario", "%s", local_error->message);
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
      fail (&parse, path, "%s", _("must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  claim = g_new0 (TradeoffClaim, 1);
  claim->sources = g_ptr_array_new ();
  claim->contradicts = g_ptr_array_new_with_free_func (g_free);

  if (!get_string (&parse, object, path, "id", TRUE, &claim->id))
    goto failed;
  parse.claim_id = claim->id;

  for (const char *p = claim->id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      {
        fail (&parse, "id", "%s", _("must be lower-case letters, digits and dashes"));
        goto failed;
      }

  if (tradeoff_guidance_lookup (guidance, claim->id) != NULL)
    {
      fail (&parse, "id", "%s", _("appears twice"));
      goto failed;
    }

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (lookup_name (known, G_N_ELEMENTS (known), l->data) < 0)
      {
        fail (&parse, l->data, "%s", _("unknown key"));
        goto failed;
      }

  if (!get_string (&parse, object, "", "paraphrase", TRUE, &claim->paraphrase))
    goto failed;

  sources = json_object_get_member (object, "sources");
  if (sources == NULL || !JSON_NODE_HOLDS_ARRAY (sources) ||
      json_array_get_length (json_node_get_array (sources)) == 0)
    {
      fail (&parse, "sources", "%s", _("must be a non-empty list of source keys"));
      goto failed;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (sources)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (sources), i);
      g_autofree char *field = g_strdup_printf ("sources[%u]", i);
      const TradeoffSource *source;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          fail (&parse, field, "%s", _("must be a source key"));
          goto failed;
        }
      source = tradeoff_guidance_lookup_source (guidance, json_node_get_string (element));
      if (source == NULL)
        {
          fail (&parse, field, _("unknown source “%s”"), json_node_get_string (element));
          goto failed;
        }
      g_ptr_array_add (claim->sources, (gpointer) source);
    }

  workloads = json_object_get_member (object, "workloads");
  if (workloads == NULL)
    {
      fail (&parse, "workloads", "%s", _("missing"));
      goto failed;
    }
  if (!parse_workload_kinds (&parse, workloads, "workloads", &claim->workload_mask))
    goto failed;

  claim->rule = parse_rule (&parse, json_object_get_member (object, "rule"), "rule", FALSE);
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
    return fail (&parse, "sources", "%s", _("must be an object of sources by key"));

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *path = g_strdup_printf ("sources.%s", (const char *) l->data);
      JsonNode *entry = json_object_get_member (object, l->data);
      TradeoffSource *source;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        return fail (&parse, path, "%s", _("must be an object"));

      source = g_new0 (TradeoffSource, 1);
      source->key = g_strdup (l->data);
      g_hash_table_insert (self->sources, source->key, source);
      if (!get_string (&parse, json_node_get_object (entry), path, "title", TRUE, &source->title) ||
          !get_string (&parse, json_node_get_object (entry), path, "publisher", FALSE, &source->publisher) ||
          !get_string (&parse, json_node_get_object (entry), path, "date", FALSE, &source->date))
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
    return fail (&parse, "conflicts", "%s", _("must be a list"));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("conflicts[%u]", i);
      g_autofree char *claims_path = g_strdup_printf ("conflicts[%u].claims", i);
      JsonNode *element = json_array_get_element (array, i);
      TradeoffConflict *conflict;
      JsonNode *claims;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (&parse, path, "%s", _("must be an object"));

      conflict = g_new0 (TradeoffConflict, 1);
      conflict->claim_ids = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->conflicts, conflict);

      if (!get_string (&parse, json_node_get_object (element), path, "note", TRUE, &conflict->note))
        return FALSE;

      claims = json_object_get_member (json_node_get_object (element), "claims");
      if (claims == NULL || !JSON_NODE_HOLDS_ARRAY (claims) ||
          json_array_get_length (json_node_get_array (claims)) < 2)
        return fail (&parse, claims_path, "%s", _("must list at least two claim ids"));

      for (guint j = 0; j < json_array_get_length (json_node_get_array (claims)); j++)
        {
          JsonNode *id_node = json_array_get_element (json_node_get_array (claims), j);
          TradeoffClaim *claim;
          const char *id;

          if (!JSON_NODE_HOLDS_VALUE (id_node) || json_node_get_value_type (id_node) != G_TYPE_STRING)
            return fail (&parse, claims_path, "%s", _("must list claim ids"));
          id = json_node_get_string (id_node);
          claim = (TradeoffClaim *) tradeoff_guidance_lookup (self, id);
          if (claim == NULL)
            return fail (&parse, claims_path, _("unknown claim “%s”"), id);
          if (tradeoff_guidance_find_conflict (self, id) != NULL)
            return fail (&parse, claims_path, _("claim “%s” is in two conflict groups"), id);
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

void
tradeoff_guidance_free (TradeoffGuidance *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->claims, g_ptr_array_unref);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_hash_table_unref);
  g_free (self);
}

const TradeoffClaim *
tradeoff_guidance_lookup (const TradeoffGuidance *self,
                          const char             *claim_id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (claim_id != NULL, NULL);

  for (guint i = 0; i < self->claims->len; i++)
    {
      const TradeoffClaim *claim = self->claims->pdata[i];

      if (g_str_equal (claim->id, claim_id))
        return claim;
    }
  return NULL;
}

const TradeoffSource *
tradeoff_guidance_lookup_source (const TradeoffGuidance *self,
                                 const char             *key)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->sources, key);
}

const TradeoffConflict *
tradeoff_guidance_find_conflict (const TradeoffGuidance *self,
                                 const char             *claim_id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (claim_id != NULL, NULL);

  for (guint i = 0; i < self->conflicts->len; i++)
    {
      const TradeoffConflict *conflict = self->conflicts->pdata[i];

      for (guint j = 0; j < conflict->claim_ids->len; j++)
        if (g_str_equal (conflict->claim_ids->pdata[j], claim_id))
          return conflict;
    }
  return NULL;
}

gboolean
tradeoff_claim_speaks_to (const TradeoffClaim  *claim,
                          TradeoffWorkloadKind  kind)
{
  g_return_val_if_fail (claim != NULL, FALSE);

  return (claim->workload_mask & (1u << kind)) != 0;
}

TradeoffScenario *
tradeoff_claim_dup_scenario (const TradeoffClaim  *claim,
                             GError              **error)
{
  g_autoptr(TradeoffScenario) scenario = NULL;
  JsonObject *object;

  g_return_val_if_fail (claim != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = json_node_get_object (claim->scenario);
  if (json_object_has_member (object, "preset"))
    {
      const char *preset = json_object_get_string_member (object, "preset");
      JsonNode *overrides = json_object_get_member (object, "overrides");
      g_autoptr(TradeoffScenario) base = tradeoff_presets_load (preset, error);

      if (base == NULL)
        return NULL;

      if (overrides != NULL)
        {
          g_autoptr(JsonNode) merged = tradeoff_scenario_to_json (base);
          JsonObject *merged_object = json_node_get_object (merged);
          JsonObject *over = json_node_get_object (overrides);

          if (json_object_has_member (over, "name"))
            json_object_set_member (merged_object, "name",
                                    json_node_copy (json_object_get_member (over, "name")));
          if (json_object_has_member (over, "engines"))
            json_object_set_member (merged_object, "engines",
                                    json_node_copy (json_object_get_member (over, "engines")));
          if (json_object_has_member (over, "workload") &&
              JSON_NODE_HOLDS_OBJECT (json_object_get_member (over, "workload")))
            {
              JsonObject *workload = json_object_get_object_member (merged_object, "workload");
              JsonObject *changes = json_object_get_object_member (over, "workload");
              g_autoptr(GList) members = json_object_get_members (changes);

              for (GList *l = members; l != NULL; l = l->next)
                json_object_set_member (workload, l->data,
                                        json_node_copy (json_object_get_member (changes, l->data)));
            }
          scenario = tradeoff_scenario_from_json (merged, error);
        }
      else
        scenario = g_steal_pointer (&base);
    }
  else
    scenario = tradeoff_scenario_from_json (claim->scenario, error);

  if (scenario == NULL || !tradeoff_scenario_validate (scenario, error))
    return NULL;

  return g_steal_pointer (&scenario);
}

char *
tradeoff_source_format (const TradeoffSource *source)
{
  GString *str;

  g_return_val_if_fail (source != NULL, NULL);

  /* Translators: a source's title in quotes */
  str = g_string_new (NULL);
  g_string_append_printf (str, _("“%s”"), source->title);
  if (source->publisher != NULL)
    g_string_append_printf (str, _(", %s"), _(source->publisher));
  if (source->date != NULL)
    g_string_append_printf (str, _(", %s"), source->date);
  return g_string_free (str, FALSE);
}

