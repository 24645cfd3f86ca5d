/* tradeoff-guidance-verdict.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The verdict: the names of its kinds, its life cycle, the figures and
 * ratios that decided it put in words, and its JSON form. */

#define G_LOG_DOMAIN "tradeoff-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

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

TradeoffVerdict *
tradeoff_guidance_verdict_new (TradeoffVerdictKind kind)
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

void
tradeoff_guidance_note_driver_limit (TradeoffVerdict *verdict,
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

char *
tradeoff_guidance_format_figure (Figure               figure,
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

char *
tradeoff_guidance_format_param (Param  param,
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

void
tradeoff_guidance_add_figure (TradeoffVerdict     *verdict,
                              const char          *label,
                              Figure               figure,
                              TradeoffWorkloadKind kind,
                              double               value)
{
  TradeoffVerdictFigure *entry = g_new0 (TradeoffVerdictFigure, 1);

  entry->label = g_strdup (label);
  entry->figure = g_strdup (tradeoff_guidance_figure_names[figure]);
  entry->value = value;
  entry->text = tradeoff_guidance_format_figure (figure, kind, value);
  g_ptr_array_add (verdict->figures, entry);
}

char *
tradeoff_guidance_format_ratio (const TradeoffRule *rule,
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
