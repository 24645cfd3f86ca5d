/* tradeoff-guidance-judge.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Judging the claims: each rule of tradeoff-guidance.c's language measured
 * on the results at hand, mapped through its bands to a verdict, with the
 * figures that decided it. */

#define G_LOG_DOMAIN "tradeoff-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tradeoff-guidance-private.h"



const char *
tradeoff_verdict_kind_to_string (TradeoffVerdictKind kind)
{
  switch (kind)
    {
    case TRADEOFF_VERDICT_NOT_TESTED:
      return "not-tested";
    case TRADEOFF_VERDICT_SUPPORTED:
      return "supported";
    case TRADEOFF_VERDICT_CONTRADICTED:
      return "contradicted";
    case TRADEOFF_VERDICT_DEPENDS:
      return "depends";
    default:
      g_return_val_if_reached ("not-tested");
    }
}

const char *
tradeoff_verdict_kind_to_label (TradeoffVerdictKind kind)
{
  switch (kind)
    {
    case TRADEOFF_VERDICT_NOT_TESTED:
      return _("Not tested yet");
    case TRADEOFF_VERDICT_SUPPORTED:
      return _("Supported");
    case TRADEOFF_VERDICT_CONTRADICTED:
      return _("Contradicted");
    case TRADEOFF_VERDICT_DEPENDS:
      return _("Depends");
    default:
      g_return_val_if_reached ("");
    }
}

static void
verdict_figure_free (TradeoffVerdictFigure *self)
{
  g_free (self->label);
  g_free (self->figure);
  g_free (self->text);
  g_free (self);
}

static TradeoffVerdict *
verdict_new (TradeoffVerdictKind kind)
{
  TradeoffVerdict *self = g_new0 (TradeoffVerdict, 1);

  self->kind = kind;
  self->value = NAN;
  self->claimed = NAN;
  self->figures = g_ptr_array_new_with_free_func ((GDestroyNotify) verdict_figure_free);
  return self;
}

void
tradeoff_verdict_free (TradeoffVerdict *self)
{
  if (self == NULL)
    return;
  g_free (self->claim_id);
  g_free (self->condition);
  g_free (self->evidence);
  g_free (self->basis);
  g_clear_pointer (&self->figures, g_ptr_array_unref);
  g_free (self);
}

static double
param_value (const TradeoffResult *result,
             const TradeoffRun    *run,
             Param                 param)
{
  const TradeoffWorkload *workload = &result->scenario->workload;
  const TradeoffEngineSpec *engine = run->engine;
  gboolean loop = engine->kind == TRADEOFF_ENGINE_LOOP;
  gboolean pool = engine->kind == TRADEOFF_ENGINE_POOL;
  gboolean requests = workload->kind == TRADEOFF_WORKLOAD_REQUEST ||
                      workload->kind == TRADEOFF_WORKLOAD_ML_BATCH;
  gboolean streaming = workload->kind == TRADEOFF_WORKLOAD_STREAMING;

  switch (param)
    {
    case PARAM_INSTANCES:
      return loop || pool ? engine->instances : NAN;
    case PARAM_WORKERS:
      return pool ? engine->workers : NAN;
    case PARAM_OFFLOAD_WORKERS:
      return loop ? engine->offload_workers : NAN;
    case PARAM_SWITCH_INTERVAL_MS:
      return pool ? engine->switch_interval_ms : NAN;
    case PARAM_CPU_US:
      return streaming ? NAN : (double) workload->cpu_us;
    case PARAM_WAIT_US:
      return streaming ? NAN : (double) workload->wait_us;
    case PARAM_WORK_US:
      if (streaming)
        return NAN;
      if (workload->kind == TRADEOFF_WORKLOAD_ML_BATCH)
        return (double) workload->cpu_us * MAX (workload->batch, 1);
      return (double) workload->cpu_us;
    case PARAM_BATCH:
      return workload->kind == TRADEOFF_WORKLOAD_ML_BATCH ? workload->batch : NAN;
    case PARAM_CONNECTIONS:
      return streaming ? workload->streams : workload->connections;
    case PARAM_CLIENTS:
      return workload->arrival_mode == TRADEOFF_ARRIVAL_CLOSED ? workload->clients : NAN;
    case PARAM_RATE_PER_S:
      return workload->arrival_mode == TRADEOFF_ARRIVAL_OPEN ? workload->rate_per_s : NAN;
    case PARAM_STREAMS:
      return streaming ? workload->streams : NAN;
    case PARAM_RATE_BYTES_PER_S:
      return streaming ? (double) workload->rate_bytes_per_s : NAN;
    case PARAM_CHUNK_BYTES:
      return streaming ? workload->chunk_bytes : NAN;
    case PARAM_REPLY_BYTES:
      return requests ? workload->reply_bytes : NAN;
    case N_PARAMS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
param_is_engine (Param param)
{
  return param == PARAM_INSTANCES || param == PARAM_WORKERS ||
         param == PARAM_OFFLOAD_WORKERS || param == PARAM_SWITCH_INTERVAL_MS;
}

static double
figure_value (const TradeoffResult *result,
              const TradeoffRun    *run,
              Figure                figure)
{
  const TradeoffRunSummary *s = &run->summary;
  double work_us = param_value (result, run, PARAM_WORK_US);
  double wait_us = param_value (result, run, PARAM_WAIT_US);
  gboolean latency_known = s->completed > 0;

  switch (figure)
    {
    case FIGURE_THROUGHPUT:
      return s->throughput_per_s;
    case FIGURE_BYTES_PER_S:
      return s->bytes_per_s;
    case FIGURE_MEAN_US:
      return latency_known ? s->latency_us.mean : NAN;
    case FIGURE_P50_US:
      return latency_known ? s->latency_us.p50 : NAN;
    case FIGURE_P90_US:
      return latency_known ? s->latency_us.p90 : NAN;
    case FIGURE_P99_US:
      return latency_known ? s->latency_us.p99 : NAN;
    case FIGURE_P999_US:
      return latency_known ? s->latency_us.p999 : NAN;
    case FIGURE_MAX_US:
      return latency_known ? s->latency_us.max : NAN;
    case FIGURE_PEAK_RSS:
      return s->peak_rss_bytes;
    case FIGURE_THREADS_MAX:
      return s->threads_max;
    case FIGURE_CPU_SECONDS:
      return s->cpu_seconds;
    case FIGURE_CORES_USED:
      return s->cpu_percent_mean / 100.0;
    case FIGURE_SERVER_CPU_US_PER_REQUEST:
      return latency_known ? s->server_cpu_us_per_request : NAN;
    case FIGURE_CAPACITY_PER_CORE:
      if (!latency_known)
        return NAN;
      if (isfinite (s->capacity_per_core_per_s))
        return s->capacity_per_core_per_s;
      /* A result written before capacity was recorded. */
      return s->server_cpu_us_per_request > 0 ? 1e6 / s->server_cpu_us_per_request : NAN;
    case FIGURE_WORK_CORES:
      if (isnan (work_us) || result->scenario->workload.kind == TRADEOFF_WORKLOAD_CHAT)
        return NAN;
      return s->throughput_per_s * work_us / 1e6;
    case FIGURE_QUEUE_P99_US:
      if (isnan (work_us) || !latency_known)
        return NAN;
      return MAX (0.0, s->latency_us.p99 - work_us - (isnan (wait_us) ? 0 : wait_us));
    case FIGURE_CPU_MS_PER_MB:
      if (!(s->bytes_per_s > 0))
        return NAN;
      /* CPU seconds per second over megabytes per second, in milliseconds. */
      return (s->cpu_percent_mean / 100.0) / (s->bytes_per_s / 1e6) * 1000.0;
    case FIGURE_STALLS:
      return (double) s->stalls;
    case FIGURE_ERROR_FRACTION:
      {
        double total = (double) s->completed + s->errors + s->timeouts;
        return total > 0 ? (s->errors + s->timeouts) / total : NAN;
      }
    case N_FIGURES:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
selection_matches_one (const Selection      *self,
                       const TradeoffResult *result,
                       const TradeoffRun    *run)
{
  const TradeoffEngineSpec *engine = run->engine;

  if (self->workload_mask != 0 && (self->workload_mask & (1u << result->scenario->workload.kind)) == 0)
    return FALSE;
  if (self->engine_kind >= 0 && (int) engine->kind != self->engine_kind)
    return FALSE;
  if (self->runtimes != NULL &&
      (engine->kind != TRADEOFF_ENGINE_REFERENCE || engine->runtime == NULL ||
       !g_strv_contains ((const char * const *) self->runtimes, engine->runtime)))
    return FALSE;
  if (self->gil >= 0 && (engine->kind != TRADEOFF_ENGINE_POOL || !!engine->gil != self->gil))
    return FALSE;
  if (self->offload >= 0 &&
      (engine->kind != TRADEOFF_ENGINE_LOOP || (engine->offload_workers > 0) != self->offload))
    return FALSE;
  if (self->connection_mode >= 0 &&
      (engine->kind != TRADEOFF_ENGINE_POOL || (int) engine->connection_mode != self->connection_mode))
    return FALSE;

  for (guint i = 0; i < self->ranges->len; i++)
    {
      const Range *range = &g_array_index (self->ranges, Range, i);
      double value = param_value (result, run, range->param);

      if (isnan (value))
        return FALSE;
      if (!isnan (range->min) && value < range->min)
        return FALSE;
      if (!isnan (range->max) && value > range->max)
        return FALSE;
    }
  return TRUE;
}

/* A failed run never counts. A run that completed nothing does: a server
 * that delivered nothing to its subscribers is a measurement (throughput
 * 0), though its latencies are unknown. */
static gboolean
run_counts (const TradeoffRun *run)
{
  return run->error == NULL && run->engine != NULL;
}

static gboolean
selection_matches (const Selection      *self,
                   const TradeoffResult *result,
                   const TradeoffRun    *run)
{
  if (!run_counts (run) || !selection_matches_one (self, result, run))
    return FALSE;
  if (self->any == NULL)
    return TRUE;
  for (guint i = 0; i < self->any->len; i++)
    if (selection_matches_one (self->any->pdata[i], result, run))
      return TRUE;
  return FALSE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* The figure standing for @values (finite only); NAN if none. Returns the
 * index of the chosen value in @values for median of an odd count, max and
 * min, so the caller can name the run. */
static double
pick_value (Pick    pick,
            GArray *values)
{
  g_autoptr(GArray) sorted = NULL;
  guint n;

  if (values->len == 0)
    return NAN;

  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_doubles);
  n = sorted->len;

  switch (pick)
    {
    case PICK_MAX:
      return g_array_index (sorted, double, n - 1);
    case PICK_MIN:
      return g_array_index (sorted, double, 0);
    case PICK_MEDIAN:
    default:
      if (n % 2 == 1)
        return g_array_index (sorted, double, n / 2);
      return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
    }
}

/* The figure of @selection in @result: NAN when no run there matches or
 * has the figure. */
static double
selection_figure (const Selection      *selection,
                  const TradeoffResult *result,
                  Figure                figure,
                  guint                *n_runs)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = result->runs->pdata[i];
      double value;

      if (!selection_matches (selection, result, run))
        continue;
      value = figure_value (result, run, figure);
      if (isfinite (value))
        g_array_append_val (values, value);
    }

  if (n_runs != NULL)
    *n_runs = values->len;
  return pick_value (selection->pick, values);
}

/* Whether a run that @selection picks in @result was held back by the load
 * driver rather than the server: its figures then understate the server. */
static gboolean
selection_driver_limited (const Selection      *selection,
                          const TradeoffResult *result)
{
  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = result->runs->pdata[i];

      if (selection_matches (selection, result, run) && run->summary.driver_limited)
        return TRUE;
    }
  return FALSE;
}

static gboolean
selection_has_run (const Selection      *selection,
                   const TradeoffResult *result)
{
  for (guint i = 0; i < result->runs->len; i++)
    if (selection_matches (selection, result, result->runs->pdata[i]))
      return TRUE;
  return FALSE;
}

static void
note_driver_limit (TradeoffVerdict *verdict,
                   Figure           figure,
                   gboolean         limited)
{
  char *evidence;

  if (!limited)
    return;
  if (figure == FIGURE_CAPACITY_PER_CORE)
    evidence = g_strdup_printf (_("%s; the load driver was the limit, so the server was not "
                                  "saturated: its capacity is estimated from its CPU time per request"),
                                verdict->evidence);
  else
    evidence = g_strdup_printf (_("%s; the load driver was the limit, so the server may do more"),
                                verdict->evidence);
  g_free (verdict->evidence);
  verdict->evidence = evidence;
}

static char *
format_number (double value)
{
  double magnitude = fabs (value);

  if (magnitude >= 100)
    return g_strdup_printf ("%'.0f", value);
  if (magnitude >= 10)
    return g_strdup_printf ("%.1f", value);
  return g_strdup_printf ("%.2f", value);
}

/* @value to three significant digits: a capacity estimated from CPU
 * sampling is no more precise than that. */
static double
round_significant (double value)
{
  double scale;

  if (!(fabs (value) >= 1000) || !isfinite (value))
    return value;
  scale = pow (10, floor (log10 (fabs (value))) - 2);
  return round (value / scale) * scale;
}

static char *
format_figure (Figure               figure,
               TradeoffWorkloadKind kind,
               double               value)
{
  g_autofree char *number = NULL;

  switch (figure)
    {
    case FIGURE_THROUGHPUT:
      number = format_number (value);
      switch (kind)
        {
        case TRADEOFF_WORKLOAD_CHAT:
          /* Translators: chat deliveries per second */
          return g_strdup_printf (_("%s deliveries/s"), number);
        case TRADEOFF_WORKLOAD_STREAMING:
          return g_strdup_printf (_("%s chunks/s"), number);
        case TRADEOFF_WORKLOAD_REQUEST:
        case TRADEOFF_WORKLOAD_ML_BATCH:
        default:
          return g_strdup_printf (_("%s req/s"), number);
        }
    case FIGURE_BYTES_PER_S:
      number = format_number (value / 1e6);
      return g_strdup_printf (_("%s MB/s"), number);
    case FIGURE_MEAN_US:
    case FIGURE_P50_US:
    case FIGURE_P90_US:
    case FIGURE_P99_US:
    case FIGURE_P999_US:
    case FIGURE_MAX_US:
    case FIGURE_QUEUE_P99_US:
      {
        const char *what;

        if (figure == FIGURE_QUEUE_P99_US)
          what = _("queueing p99");
        else if (figure == FIGURE_MEAN_US)
          what = _("mean latency");
        else if (figure == FIGURE_P50_US)
          what = _("p50");
        else if (figure == FIGURE_P90_US)
          what = _("p90");
        else if (figure == FIGURE_P99_US)
          what = _("p99");
        else if (figure == FIGURE_P999_US)
          what = _("p99.9");
        else
          what = _("max latency");

        if (value < 1000)
          /* Translators: "p99 850 µs" */
          return g_strdup_printf (_("%s %.0f µs"), what, value);
        if (value < 1e6)
          return g_strdup_printf (_("%s %.1f ms"), what, value / 1e3);
        return g_strdup_printf (_("%s %.2f s"), what, value / 1e6);
      }
    case FIGURE_PEAK_RSS:
      return g_strdup_printf (_("peak RSS %.1f MiB"), value / (1024.0 * 1024.0));
    case FIGURE_THREADS_MAX:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%.0f thread", "%.0f threads",
                                           (gulong) value), value);
    case FIGURE_CPU_SECONDS:
      return g_strdup_printf (_("%.2f s of CPU"), value);
    case FIGURE_CORES_USED:
      return g_strdup_printf (_("%.2f cores busy"), value);
    case FIGURE_SERVER_CPU_US_PER_REQUEST:
      number = format_number (value);
      return g_strdup_printf (_("%s µs of CPU per request"), number);
    case FIGURE_CAPACITY_PER_CORE:
      {
        g_autofree char *cpu = format_number (value > 0 ? 1e6 / value : NAN);

        number = format_number (round_significant (value));
        switch (kind)
          {
          case TRADEOFF_WORKLOAD_CHAT:
            /* Translators: "48,800 deliveries/s per core (20.5 µs of CPU per delivery)" */
            return g_strdup_printf (_("%s deliveries/s per core (%s µs of CPU per delivery)"), number, cpu);
          case TRADEOFF_WORKLOAD_STREAMING:
            return g_strdup_printf (_("%s chunks/s per core (%s µs of CPU per chunk)"), number, cpu);
          case TRADEOFF_WORKLOAD_REQUEST:
          case TRADEOFF_WORKLOAD_ML_BATCH:
          default:
            /* Translators: "48,800 req/s per core (20.5 µs of CPU per request)" */
            return g_strdup_printf (_("%s req/s per core (%s µs of CPU per request)"), number, cpu);
          }
      }
    case FIGURE_WORK_CORES:
      return g_strdup_printf (_("%.2f cores of work done"), value);
    case FIGURE_CPU_MS_PER_MB:
      return g_strdup_printf (_("%.2f ms of CPU per MB"), value);
    case FIGURE_STALLS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%.0f stall", "%.0f stalls",
                                           (gulong) value), value);
    case FIGURE_ERROR_FRACTION:
      return g_strdup_printf (_("%.1f%% errors"), value * 100);
    case N_FIGURES:
    default:
      g_assert_not_reached ();
    }
}

static char *
format_param (Param  param,
              double value)
{
  gulong n = (gulong) value;

  switch (param)
    {
    case PARAM_WORKERS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu worker", "%lu workers", n), n);
    case PARAM_INSTANCES:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu instance", "%lu instances", n), n);
    case PARAM_OFFLOAD_WORKERS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu offload worker", "%lu offload workers", n), n);
    case PARAM_CONNECTIONS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu connection", "%lu connections", n), n);
    case PARAM_CLIENTS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu client", "%lu clients", n), n);
    case PARAM_STREAMS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu stream", "%lu streams", n), n);
    case PARAM_SWITCH_INTERVAL_MS:
    case PARAM_CPU_US:
    case PARAM_WAIT_US:
    case PARAM_WORK_US:
    case PARAM_BATCH:
    case PARAM_RATE_PER_S:
    case PARAM_RATE_BYTES_PER_S:
    case PARAM_CHUNK_BYTES:
    case PARAM_REPLY_BYTES:
    case N_PARAMS:
    default:
      return g_strdup_printf ("%s %g", tradeoff_guidance_param_names[param], value);
    }
}

static void
add_figure (TradeoffVerdict     *verdict,
            const char          *label,
            Figure               figure,
            TradeoffWorkloadKind kind,
            double               value)
{
  TradeoffVerdictFigure *entry = g_new0 (TradeoffVerdictFigure, 1);

  entry->label = g_strdup (label);
  entry->figure = g_strdup (tradeoff_guidance_figure_names[figure]);
  entry->value = value;
  entry->text = format_figure (figure, kind, value);
  g_ptr_array_add (verdict->figures, entry);
}

static TradeoffVerdict *
apply_bands (const TradeoffRule *rule,
             double              value)
{
  for (guint i = 0; i < rule->bands->len; i++)
    {
      const Band *band = &g_array_index (rule->bands, Band, i);

      if (isnan (band->below) || value < band->below)
        {
          TradeoffVerdict *verdict = verdict_new (band->verdict);

          verdict->value = value;
          verdict->claimed = rule->claimed;
          if (band->condition != NULL)
            verdict->condition = g_strdup (_(band->condition));
          return verdict;
        }
    }
  g_assert_not_reached ();
}

static char *
format_ratio (const TradeoffRule *rule,
              double              ratio)
{
  g_autofree char *number = NULL;

  if (isinf (ratio))
    number = g_strdup ("∞");
  else if (ratio >= 10)
    number = g_strdup_printf ("%.1f", ratio);
  else if (ratio >= 0.1)
    number = g_strdup_printf ("%.2f", ratio);
  else
    number = g_strdup_printf ("%.3f", ratio);

  if (!isnan (rule->claimed))
    /* Translators: "ratio 5.40 (the article says 6.7)" */
    return g_strdup_printf (_("ratio %s (the article says %.1f)"), number, rule->claimed);
  return g_strdup_printf (_("ratio %s"), number);
}

static TradeoffVerdict *
judge_ratio (const TradeoffRule *rule,
             GPtrArray          *results)
{
  TradeoffVerdict *verdict;
  gboolean unmeasured = FALSE;

  /* The most recent result that has both sides decides: same scenario, same load. */
  for (guint i = results->len; i > 0; i--)
    {
      const TradeoffResult *result = results->pdata[i - 1];
      TradeoffWorkloadKind kind = result->scenario->workload.kind;
      g_autofree char *text_a = NULL;
      g_autofree char *text_b = NULL;
      g_autofree char *text_ratio = NULL;
      double a = selection_figure (rule->a, result, rule->figure, NULL);
      double b = selection_figure (rule->b, result, rule->figure, NULL);
      double shown_a = a;
      double shown_b = b;
      double ratio;

      if (isnan (a) || isnan (b))
        {
          unmeasured = unmeasured ||
                       (selection_has_run (rule->a, result) && selection_has_run (rule->b, result));
          continue;
        }

      if (!isnan (rule->floor))
        {
          a = MAX (a, rule->floor);
          b = MAX (b, rule->floor);
        }
      if (b > 0)
        ratio = a / b;
      else if (a > 0)
        ratio = INFINITY;
      else
        ratio = 1.0;

      verdict = apply_bands (rule, ratio);
      add_figure (verdict, _(rule->a->label), rule->figure, kind, shown_a);
      add_figure (verdict, _(rule->b->label), rule->figure, kind, shown_b);

      text_a = format_figure (rule->figure, kind, shown_a);
      text_b = format_figure (rule->figure, kind, shown_b);
      text_ratio = format_ratio (rule, ratio);
      /* Translators: "event loop: 812 req/s; pool with GIL: 798 req/s; ratio 1.02 (in “Scenario”)" */
      verdict->evidence = g_strdup_printf (_("%s: %s; %s: %s; %s (in “%s”)"),
                                           _(rule->a->label), text_a, _(rule->b->label), text_b,
                                           text_ratio, result->scenario->name ? result->scenario->name : "");
      note_driver_limit (verdict, rule->figure,
                         selection_driver_limited (rule->a, result) ||
                         selection_driver_limited (rule->b, result));
      return verdict;
    }

  verdict = verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
  if (unmeasured &&
      (rule->figure == FIGURE_CAPACITY_PER_CORE || rule->figure == FIGURE_SERVER_CPU_US_PER_REQUEST))
    /* Translators: completes "Needs %s" */
    verdict->evidence = g_strdup_printf (_("a run of %s and a run of %s in the same scenario, with the "
                                           "server's CPU time measured (a url engine has none)"),
                                         _(rule->a->label), _(rule->b->label));
  else
    /* Translators: completes "Needs %s" */
    verdict->evidence = g_strdup_printf (_("a run of %s and a run of %s in the same scenario"),
                                         _(rule->a->label), _(rule->b->label));
  return verdict;
}

typedef struct
{
  double  param;
  GArray *values;  /* double */
} Group;

static void
group_clear (gpointer data)
{
  Group *group = data;

  g_clear_pointer (&group->values, g_array_unref);
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  return compare_doubles (&((const Group *) a)->param, &((const Group *) b)->param);
}

static void
collect_groups (const TradeoffRule   *rule,
                const TradeoffResult *result,
                GArray               *groups)
{
  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = result->runs->pdata[i];
      double param;
      double value;
      Group *group = NULL;

      if (!selection_matches (rule->a, result, run))
        continue;
      param = param_value (result, run, rule->by);
      value = figure_value (result, run, rule->figure);
      if (isnan (param) || !isfinite (value))
        continue;

      for (guint j = 0; j < groups->len && group == NULL; j++)
        if (g_array_index (groups, Group, j).param == param)
          group = &g_array_index (groups, Group, j);
      if (group == NULL)
        {
          Group fresh = { param, g_array_new (FALSE, FALSE, sizeof (double)) };

          g_array_append_val (groups, fresh);
          group = &g_array_index (groups, Group, groups->len - 1);
        }
      g_array_append_val (group->values, value);
    }
}

static TradeoffVerdict *
judge_sweep (const TradeoffRule *rule,
             GPtrArray          *results)
{
  g_autoptr(GArray) groups = NULL;
  const TradeoffResult *source = NULL;
  TradeoffVerdict *verdict;
  GString *list;
  double first;
  double last;
  double ratio;

  if (param_is_engine (rule->by))
    {
      /* Engine parameters sweep within one scenario: the most recent one
       * with at least two values. */
      for (guint i = results->len; i > 0; i--)
        {
          g_clear_pointer (&groups, g_array_unref);
          groups = g_array_new (FALSE, FALSE, sizeof (Group));
          g_array_set_clear_func (groups, group_clear);
          collect_groups (rule, results->pdata[i - 1], groups);
          if (groups->len >= 2)
            {
              source = results->pdata[i - 1];
              break;
            }
        }
    }
  else
    {
      groups = g_array_new (FALSE, FALSE, sizeof (Group));
      g_array_set_clear_func (groups, group_clear);
      for (guint i = 0; i < results->len; i++)
        {
          collect_groups (rule, results->pdata[i], groups);
          if (groups->len > 0 && source == NULL)
            source = results->pdata[i];
        }
    }

  if (groups == NULL || groups->len < 2)
    {
      verdict = verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
      /* Translators: completes "Needs %s": "runs of pool with GIL at two or more values of workers" */
      verdict->evidence = g_strdup_printf (_("runs of %s at two or more values of %s"),
                                           _(rule->a->label), tradeoff_guidance_param_names[rule->by]);
      return verdict;
    }

  g_array_sort (groups, compare_groups);
  first = pick_value (rule->a->pick, g_array_index (groups, Group, 0).values);
  last = pick_value (rule->a->pick, g_array_index (groups, Group, groups->len - 1).values);
  if (first > 0)
    ratio = last / first;
  else
    ratio = last > 0 ? INFINITY : 1.0;

  verdict = apply_bands (rule, ratio);

  list = g_string_new (NULL);
  for (guint i = 0; i < groups->len; i++)
    {
      const Group *group = &g_array_index (groups, Group, i);
      double value = pick_value (rule->a->pick, group->values);
      TradeoffWorkloadKind kind = source->scenario->workload.kind;
      g_autofree char *param = format_param (rule->by, group->param);
      g_autofree char *text = format_figure (rule->figure, kind, value);
      g_autofree char *label = g_strdup_printf ("%s, %s", _(rule->a->label), param);

      add_figure (verdict, label, rule->figure, kind, value);
      if (i > 0)
        g_string_append (list, _(", "));
      /* Translators: "1 worker 812 req/s" */
      g_string_append_printf (list, _("%s %s"), param, text);
    }

  {
    g_autofree char *text_ratio = format_ratio (rule, ratio);
    g_autofree char *items = g_string_free (list, FALSE);

    /* Translators: "pool with GIL: 1 worker 812 req/s, 8 workers 798 req/s; largest over smallest: ratio 0.98" */
    verdict->evidence = g_strdup_printf (_("%s: %s; largest over smallest: %s"),
                                         _(rule->a->label), items, text_ratio);
  }
  return verdict;
}

static TradeoffVerdict *
judge_value (const TradeoffRule *rule,
             GPtrArray          *results)
{
  TradeoffVerdict *verdict;

  for (guint i = results->len; i > 0; i--)
    {
      const TradeoffResult *result = results->pdata[i - 1];
      TradeoffWorkloadKind kind = result->scenario->workload.kind;
      g_autofree char *text = NULL;
      double value = selection_figure (rule->a, result, rule->figure, NULL);

      if (isnan (value))
        continue;

      verdict = apply_bands (rule, value);
      add_figure (verdict, _(rule->a->label), rule->figure, kind, value);
      text = format_figure (rule->figure, kind, value);
      /* Translators: "plain event loop: 0.98 cores of work done (in “Scenario”)" */
      verdict->evidence = g_strdup_printf (_("%s: %s (in “%s”)"), _(rule->a->label), text,
                                           result->scenario->name ? result->scenario->name : "");
      note_driver_limit (verdict, rule->figure, selection_driver_limited (rule->a, result));
      return verdict;
    }

  verdict = verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
  /* Translators: completes "Needs %s" */
  verdict->evidence = g_strdup_printf (_("a run of %s"), _(rule->a->label));
  return verdict;
}

static TradeoffVerdict *judge_rule (const TradeoffRule *rule,
                                    GPtrArray          *results);

static TradeoffVerdict *
judge_first_of (const TradeoffRule *rule,
                GPtrArray          *results)
{
  g_autoptr(GPtrArray) needs = g_ptr_array_new_with_free_func (g_free);
  TradeoffVerdict *verdict;

  for (guint i = 0; i < rule->rules->len; i++)
    {
      const TradeoffRule *sub = rule->rules->pdata[i];

      verdict = judge_rule (sub, results);
      if (verdict->kind != TRADEOFF_VERDICT_NOT_TESTED)
        {
          g_free (verdict->basis);
          verdict->basis = g_strdup (_(sub->basis));
          return verdict;
        }
      g_ptr_array_add (needs, g_steal_pointer (&verdict->evidence));
      tradeoff_verdict_free (verdict);
    }

  g_ptr_array_add (needs, NULL);
  verdict = verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
  /* Translators: joins the alternatives that would each test a claim */
  verdict->evidence = g_strjoinv (_(", or "), (char **) needs->pdata);
  return verdict;
}

static TradeoffVerdict *
judge_all (const TradeoffRule *rule,
           GPtrArray          *results)
{
  g_autoptr(GPtrArray) subs = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_verdict_free);
  g_autoptr(GPtrArray) evidence = g_ptr_array_new ();
  g_autoptr(GPtrArray) holds = g_ptr_array_new ();
  g_autoptr(GPtrArray) depends = g_ptr_array_new ();
  TradeoffVerdictKind agreed = TRADEOFF_VERDICT_NOT_TESTED;
  gboolean disagree = FALSE;
  TradeoffVerdict *verdict;
  guint n_tested = 0;

  for (guint i = 0; i < rule->rules->len; i++)
    {
      const TradeoffRule *sub_rule = rule->rules->pdata[i];
      TradeoffVerdict *sub = judge_rule (sub_rule, results);

      g_ptr_array_add (subs, sub);
      if (sub->kind == TRADEOFF_VERDICT_NOT_TESTED)
        continue;

      n_tested++;
      if (agreed == TRADEOFF_VERDICT_NOT_TESTED)
        agreed = sub->kind;
      else if (agreed != sub->kind)
        disagree = TRUE;

      if (sub->kind == TRADEOFF_VERDICT_SUPPORTED && sub_rule->holds != NULL)
        g_ptr_array_add (holds, (gpointer) _(sub_rule->holds));
      if (sub->kind == TRADEOFF_VERDICT_DEPENDS && sub->condition != NULL)
        g_ptr_array_add (depends, sub->condition);
    }

  if (n_tested == 0)
    {
      for (guint i = 0; i < subs->len; i++)
        {
          char *need = ((TradeoffVerdict *) subs->pdata[i])->evidence;

          if (!g_ptr_array_find_with_equal_func (evidence, need, g_str_equal, NULL))
            g_ptr_array_add (evidence, need);
        }
      g_ptr_array_add (evidence, NULL);
      verdict = verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
      /* Translators: joins the runs that would test a claim */
      verdict->evidence = g_strjoinv (_("; and "), (char **) evidence->pdata);
      return verdict;
    }

  /* The measured parts, then what the untested parts need. */
  for (guint i = 0; i < subs->len; i++)
    {
      TradeoffVerdict *sub = subs->pdata[i];

      if (sub->kind == TRADEOFF_VERDICT_NOT_TESTED)
        {
          char *need = g_strdup_printf (_("Needs %s"), sub->evidence);

          g_free (sub->evidence);
          sub->evidence = need;
        }
      g_ptr_array_add (evidence, sub->evidence);
    }

  if (!disagree && agreed != TRADEOFF_VERDICT_DEPENDS)
    verdict = verdict_new (agreed);
  else
    {
      verdict = verdict_new (TRADEOFF_VERDICT_DEPENDS);
      if (holds->len > 0)
        {
          g_ptr_array_add (holds, NULL);
          verdict->condition = g_strjoinv (_("; "), (char **) holds->pdata);
        }
      else if (depends->len > 0)
        {
          g_ptr_array_add (depends, NULL);
          verdict->condition = g_strjoinv (_("; "), (char **) depends->pdata);
        }
      else
        verdict->condition = g_strdup (_(rule->condition));
    }

  /* With one part measured, its number is the claim's. */
  if (n_tested == 1)
    for (guint i = 0; i < subs->len; i++)
      {
        TradeoffVerdict *sub = subs->pdata[i];

        if (sub->kind != TRADEOFF_VERDICT_NOT_TESTED)
          {
            verdict->value = sub->value;
            verdict->claimed = sub->claimed;
          }
      }

  g_ptr_array_add (evidence, NULL);
  verdict->evidence = g_strjoinv ("\n", (char **) evidence->pdata);
  for (guint i = 0; i < subs->len; i++)
    {
      TradeoffVerdict *sub = subs->pdata[i];

      /* The figures move to the combined verdict. */
      g_ptr_array_set_free_func (sub->figures, NULL);
      for (guint j = 0; j < sub->figures->len; j++)
        g_ptr_array_add (verdict->figures, sub->figures->pdata[j]);
      g_ptr_array_set_size (sub->figures, 0);
    }
  return verdict;
}

static TradeoffVerdict *
judge_rule (const TradeoffRule *rule,
            GPtrArray          *results)
{
  switch (rule->type)
    {
    case RULE_RATIO:
      return judge_ratio (rule, results);
    case RULE_SWEEP:
      return judge_sweep (rule, results);
    case RULE_VALUE:
      return judge_value (rule, results);
    case RULE_FIRST_OF:
      return judge_first_of (rule, results);
    case RULE_ALL:
      return judge_all (rule, results);
    default:
      g_assert_not_reached ();
    }
}

TradeoffVerdict *
tradeoff_guidance_judge (const TradeoffGuidance *self,
                         const TradeoffClaim    *claim,
                         GPtrArray              *results)
{
  g_autoptr(GPtrArray) usable = NULL;
  TradeoffVerdict *verdict;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (claim != NULL, NULL);

  /* Results without a scenario cannot be matched; they are skipped. */
  usable = g_ptr_array_new ();
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      TradeoffResult *result = results->pdata[i];

      if (result != NULL && result->scenario != NULL && result->runs != NULL)
        g_ptr_array_add (usable, result);
    }

  verdict = judge_rule (claim->rule, usable);
  verdict->claim_id = g_strdup (claim->id);
  if (verdict->kind == TRADEOFF_VERDICT_NOT_TESTED)
    {
      /* Translators: "Needs a run of event loop and a run of thread pool in the same scenario" */
      char *need = g_strdup_printf (_("Needs %s"), verdict->evidence);

      g_free (verdict->evidence);
      verdict->evidence = need;
    }
  return verdict;
}

GPtrArray *
tradeoff_guidance_judge_all (const TradeoffGuidance *self,
                             GPtrArray              *results)
{
  GPtrArray *verdicts;

  g_return_val_if_fail (self != NULL, NULL);

  verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_verdict_free);
  for (guint i = 0; i < self->claims->len; i++)
    g_ptr_array_add (verdicts, tradeoff_guidance_judge (self, self->claims->pdata[i], results));
  return verdicts;
}

static void
add_number_or_null (JsonBuilder *builder,
                    const char  *member,
                    double       value)
{
  json_builder_set_member_name (builder, member);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
tradeoff_verdict_to_json (const TradeoffVerdict  *self,
                          const TradeoffGuidance *guidance)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const TradeoffClaim *claim;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (guidance != NULL, NULL);

  claim = tradeoff_guidance_lookup (guidance, self->claim_id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->claim_id);
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, tradeoff_verdict_kind_to_string (self->kind));
  json_builder_set_member_name (builder, "condition");
  if (self->condition != NULL)
    json_builder_add_string_value (builder, self->condition);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "evidence");
  json_builder_add_string_value (builder, self->evidence != NULL ? self->evidence : "");

  json_builder_set_member_name (builder, "sources");
  json_builder_begin_array (builder);
  for (guint i = 0; claim != NULL && i < claim->sources->len; i++)
    {
      const TradeoffSource *source = claim->sources->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, source->title);
      json_builder_set_member_name (builder, "publisher");
      if (source->publisher != NULL)
        json_builder_add_string_value (builder, source->publisher);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "date");
      if (source->date != NULL)
        json_builder_add_string_value (builder, source->date);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (claim != NULL)
    {
      json_builder_set_member_name (builder, "claim");
      json_builder_add_string_value (builder, _(claim->paraphrase));
    }
  json_builder_set_member_name (builder, "basis");
  if (self->basis != NULL)
    json_builder_add_string_value (builder, self->basis);
  else
    json_builder_add_null_value (builder);
  add_number_or_null (builder, "value", self->value);
  add_number_or_null (builder, "claimed", self->claimed);

  json_builder_set_member_name (builder, "figures");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->figures->len; i++)
    {
      const TradeoffVerdictFigure *figure = self->figures->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, figure->label);
      json_builder_set_member_name (builder, "figure");
      json_builder_add_string_value (builder, figure->figure);
      add_number_or_null (builder, "value", figure->value);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, figure->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
