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

