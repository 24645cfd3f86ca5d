/* tradeoff-results-view.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The four charts of a result (latency by percentile, throughput and
 * resources over time, the summary per engine) in a view stack, with the
 * summary also as a list of rows a screen reader can read. A result here
 * may be one run, a run still going, or several runs put side by side. */

#define G_LOG_DOMAIN "tradeoff-results-view"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <math.h>

#include "tradeoff-results-view.h"

struct _TradeoffResultsView
{
  GtkBox             parent_instance;

  /* Template widgets */
  GtkStack          *state_stack;
  AdwViewStack      *view_stack;
  TradeoffChartView *latency_view;
  TradeoffChartView *throughput_view;
  TradeoffChartView *resources_view;
  TradeoffChartView *summary_view;
  GtkListBox        *summary_list;
  GtkLabel          *caption_label;
};

G_DEFINE_FINAL_TYPE (TradeoffResultsView, tradeoff_results_view, GTK_TYPE_BOX)

static const char * const page_names[] = { "latency", "throughput", "resources", "summary" };

char *
tradeoff_format_latency (double us)
{
  if (!isfinite (us) || us < 0)
    return g_strdup ("—");
  if (us < 1000)
    /* Translators: microseconds. */
    return g_strdup_printf (_("%.0f µs"), us);
  if (us < 1000000)
    /* Translators: milliseconds. */
    return g_strdup_printf (_("%.2f ms"), us / 1000);
  /* Translators: seconds. */
  return g_strdup_printf (_("%.2f s"), us / 1000000);
}

static char *
format_bytes (double bytes)
{
  if (!isfinite (bytes) || bytes < 0)
    return g_strdup ("—");
  return g_format_size_full ((guint64) bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static char *
format_seconds (double value)
{
  if (!isfinite (value))
    return g_strdup ("—");
  /* Translators: seconds of CPU time. */
  return g_strdup_printf (_("%.2f s"), value);
}

static char *
format_rate (double value)
{
  if (!isfinite (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.0f", value);
}

static const char *
throughput_unit (const TradeoffResult *result)
{
  TradeoffWorkloadKind kind = result->scenario != NULL ? result->scenario->workload.kind
                                                       : TRADEOFF_WORKLOAD_REQUEST;

  switch (kind)
    {
    case TRADEOFF_WORKLOAD_CHAT:
      return _("deliveries/s");
    case TRADEOFF_WORKLOAD_STREAMING:
      return _("chunks/s");
    case TRADEOFF_WORKLOAD_REQUEST:
    case TRADEOFF_WORKLOAD_ML_BATCH:
    default:
      return _("requests/s");
    }
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  guint index = GPOINTER_TO_UINT (user_data);
  TradeoffColor color;

  tradeoff_chart_get_series_color (index,
                                   adw_style_manager_get_dark (adw_style_manager_get_default ()),
                                   &color);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

static GtkWidget *
summary_row_new (const TradeoffResult *result,
                 const TradeoffRun    *run,
                 guint                 index)
{
  const TradeoffRunSummary *s = &run->summary;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *swatch = gtk_drawing_area_new ();
  g_autofree char *p50 = tradeoff_format_latency (s->latency_us.p50);
  g_autofree char *p99 = tradeoff_format_latency (s->latency_us.p99);
  g_autofree char *rss = format_bytes (s->peak_rss_bytes);
  g_autofree char *cpu = format_seconds (s->cpu_seconds);
  g_autofree char *rate = format_rate (s->throughput_per_s);
  g_autofree char *subtitle = NULL;
  const char *label = run->engine != NULL && run->engine->label != NULL ? run->engine->label : "?";

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                  GUINT_TO_POINTER (index), NULL);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), swatch);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  if (run->error != NULL)
    {
      subtitle = g_strdup_printf (_("Failed: %s"), run->error);
      gtk_widget_add_css_class (row, "error");
    }
  else
    {
      /* Translators: the summary of one engine's run: throughput, its unit,
       * median and 99th percentile latency, peak memory, CPU time. */
      subtitle = g_strdup_printf (_("%s %s · p50 %s · p99 %s · peak RSS %s · CPU %s"),
                                  rate, throughput_unit (result), p50, p99, rss, cpu);
      if (s->errors > 0 || s->timeouts > 0)
        {
          g_autofree char *more = g_strdup_printf (_("%s · %" PRIu64 " errors, %" PRIu64 " timeouts"),
                                                   subtitle, s->errors, s->timeouts);
          g_free (subtitle);
          subtitle = g_steal_pointer (&more);
        }
      if (run->note != NULL)
        {
          g_autofree char *more = g_strdup_printf ("%s\n%s", subtitle, run->note);
          g_free (subtitle);
          subtitle = g_steal_pointer (&more);
        }
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  return row;
}

static char *
describe_result (const TradeoffResult *result,
                 gboolean              live)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (live)
    g_string_append (text, _("Measuring"));
  else if (result->started_at == NULL || *result->started_at == '\0')
    g_string_append (text, _("Runs side by side, each labelled with its start time; measured"));
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (result->started_at, NULL);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%c") : NULL;

      /* Translators: %s is a date and time. */
      g_string_append_printf (text, _("Measured %s"), when != NULL ? when : result->started_at);
    }

  if (result->machine != NULL && result->machine->cores > 0)
    {
      /* Translators: the machine a result was measured on: cores and CPU model. */
      g_string_append_printf (text, _(" on %u cores, %s"), result->machine->cores,
                              result->machine->cpu_model != NULL ? result->machine->cpu_model : "");
    }

  if (live)
    g_string_append (text, _(" — the charts fill in as the run goes."));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
tradeoff_results_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TRADEOFF_TYPE_RESULTS_VIEW);

  G_OBJECT_CLASS (tradeoff_results_view_parent_class)->dispose (object);
}

static void
tradeoff_results_view_class_init (TradeoffResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tradeoff_results_view_dispose;

  g_type_ensure (TRADEOFF_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffResultsView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, TradeoffResultsView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TradeoffResultsView, latency_view);
  gtk_widget_class_bind_template_child (widget_class, TradeoffResultsView, throughput_view);
  gtk_widget_class_bind_template_child (widget_class, TradeoffResultsView, resources_view);
  gtk_widget_class_bind_template_child (widget_class, TradeoffResultsView, summary_view);
  gtk_widget_class_bind_template_child (widget_class, TradeoffResultsView, summary_list);
  gtk_widget_class_bind_template_child (widget_class, TradeoffResultsView, caption_label);
}

static void
tradeoff_results_view_init (TradeoffResultsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tradeoff_results_view_set_result (TradeoffResultsView  *self,
                                  const TradeoffResult *result,
                                  gboolean              live)
{
  GtkWidget *child;

  g_return_if_fail (TRADEOFF_IS_RESULTS_VIEW (self));

  for (guint kind = TRADEOFF_CHART_LATENCY; kind <= TRADEOFF_CHART_SUMMARY; kind++)
    tradeoff_chart_view_set_result (tradeoff_results_view_get_chart_view (self, kind), result);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_list))) != NULL)
    gtk_list_box_remove (self->summary_list, child);

  if (result == NULL)
    {
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      gtk_label_set_label (self->caption_label, "");
      return;
    }

  for (guint i = 0; i < result->runs->len; i++)
    gtk_list_box_append (self->summary_list,
                         summary_row_new (result, g_ptr_array_index (result->runs, i), i));

  {
    g_autofree char *caption = describe_result (result, live);

    gtk_label_set_label (self->caption_label, caption);
  }

  gtk_stack_set_visible_child_name (self->state_stack, "charts");
}

TradeoffChartView *
tradeoff_results_view_get_chart_view (TradeoffResultsView *self,
                                      TradeoffChartKind    kind)
{
  g_return_val_if_fail (TRADEOFF_IS_RESULTS_VIEW (self), NULL);

  switch (kind)
    {
    case TRADEOFF_CHART_LATENCY:
      return self->latency_view;
    case TRADEOFF_CHART_THROUGHPUT:
      return self->throughput_view;
    case TRADEOFF_CHART_RESOURCES:
      return self->resources_view;
    case TRADEOFF_CHART_SUMMARY:
      return self->summary_view;
    default:
      g_return_val_if_reached (NULL);
    }
}

TradeoffChartKind
tradeoff_results_view_get_visible_kind (TradeoffResultsView *self)
{
  const char *name;

  g_return_val_if_fail (TRADEOFF_IS_RESULTS_VIEW (self), TRADEOFF_CHART_LATENCY);

  name = adw_view_stack_get_visible_child_name (self->view_stack);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (name, page_names[i]) == 0)
      return (TradeoffChartKind) i;

  return TRADEOFF_CHART_LATENCY;
}

void
tradeoff_results_view_set_visible_kind (TradeoffResultsView *self,
                                        TradeoffChartKind    kind)
{
  g_return_if_fail (TRADEOFF_IS_RESULTS_VIEW (self));
  g_return_if_fail (kind <= TRADEOFF_CHART_SUMMARY);

  adw_view_stack_set_visible_child_name (self->view_stack, page_names[kind]);
}

GtkListBox *
tradeoff_results_view_get_summary_list (TradeoffResultsView *self)
{
  g_return_val_if_fail (TRADEOFF_IS_RESULTS_VIEW (self), NULL);

  return self->summary_list;
}
