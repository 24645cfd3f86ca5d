/* tradeoff-chart-view.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A widget drawing one chart of core's renderer (tradeoff-chart.h), the
 * same renderer export uses, so what is exported is what is seen.
 *
 * The drawing is cached as a render node and rebuilt only when the data,
 * the size or the style change; the hover crosshair is drawn over the
 * cached node, so moving the pointer never redraws the chart. Colours and
 * font come from the GTK theme and follow the dark style. */

#define G_LOG_DOMAIN "tradeoff-chart-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tradeoff-chart-view.h"

struct _TradeoffChartView
{
  GtkWidget          parent_instance;

  /* Owned */
  TradeoffChart     *chart;
  GskRenderNode     *cache;
  char              *font_family;

  TradeoffChartKind  kind;
  guint              n_runs;
  int                cache_width;
  int                cache_height;
  double             hover_x;     /* < 0: no crosshair */
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_N_RUNS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TradeoffChartView, tradeoff_chart_view, GTK_TYPE_WIDGET)

static void
to_color (const GdkRGBA *rgba,
          TradeoffColor *color)
{
  color->red = rgba->red;
  color->green = rgba->green;
  color->blue = rgba->blue;
  color->alpha = rgba->alpha;
}

static const char *
accessible_label (TradeoffChartKind kind)
{
  switch (kind)
    {
    case TRADEOFF_CHART_LATENCY:
      return _("Chart of latency by percentile");
    case TRADEOFF_CHART_THROUGHPUT:
      return _("Chart of throughput over time");
    case TRADEOFF_CHART_RESOURCES:
      return _("Chart of memory, CPU and threads over time");
    case TRADEOFF_CHART_SUMMARY:
      return _("Chart of the summary per engine");
    default:
      return "";
    }
}

static void
invalidate (TradeoffChartView *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_dark_changed_cb (TradeoffChartView *self)
{
  invalidate (self);
}

static void
on_motion_cb (TradeoffChartView        *self,
              double                    x,
              double                    y,
              GtkEventControllerMotion *controller)
{
  g_autofree char *text = NULL;
  double crosshair_x = -1;

  if (self->n_runs == 0 || self->cache == NULL
      || !tradeoff_chart_describe_point (self->chart, x, y, &crosshair_x, &text))
    {
      crosshair_x = -1;
      g_clear_pointer (&text, g_free);
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
  if (crosshair_x != self->hover_x)
    {
      self->hover_x = crosshair_x;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave_cb (TradeoffChartView *self)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  if (self->hover_x >= 0)
    {
      self->hover_x = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
tradeoff_chart_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TradeoffChartView *self = TRADEOFF_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return;

  if (self->cache == NULL || self->cache_width != width || self->cache_height != height)
    {
      GtkSnapshot *layer = gtk_snapshot_new ();
      TradeoffChartTheme theme;
      cairo_t *cr;

      tradeoff_chart_view_get_theme (self, &theme);
      cr = gtk_snapshot_append_cairo (layer, &GRAPHENE_RECT_INIT (0, 0, width, height));
      tradeoff_chart_draw (self->chart, cr, width, height, &theme);
      cairo_destroy (cr);

      g_clear_pointer (&self->cache, gsk_render_node_unref);
      self->cache = gtk_snapshot_free_to_node (layer);
      self->cache_width = width;
      self->cache_height = height;
    }

  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);

  if (self->hover_x >= 0)
    {
      TradeoffChartTheme theme;
      GdkRGBA line;

      tradeoff_chart_view_get_theme (self, &theme);
      line.red = theme.foreground.red;
      line.green = theme.foreground.green;
      line.blue = theme.foreground.blue;
      line.alpha = 0.45;
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT ((int) self->hover_x, 0, 1, height));
    }
}

static void
tradeoff_chart_view_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  /* Small enough to fit a narrow window; the axes and legend need this much. */
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 280 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 420;
}

static void
tradeoff_chart_view_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (tradeoff_chart_view_parent_class)->css_changed (widget, change);

  invalidate (TRADEOFF_CHART_VIEW (widget));
}

static void
tradeoff_chart_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TradeoffChartView *self = TRADEOFF_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_N_RUNS:
      g_value_set_uint (value, self->n_runs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tradeoff_chart_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TradeoffChartView *self = TRADEOFF_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_int (value);
      g_clear_pointer (&self->chart, tradeoff_chart_free);
      self->chart = tradeoff_chart_new (self->kind);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible_label (self->kind), -1);
      invalidate (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tradeoff_chart_view_dispose (GObject *object)
{
  TradeoffChartView *self = TRADEOFF_CHART_VIEW (object);

  g_clear_pointer (&self->cache, gsk_render_node_unref);

  G_OBJECT_CLASS (tradeoff_chart_view_parent_class)->dispose (object);
}

static void
tradeoff_chart_view_finalize (GObject *object)
{
  TradeoffChartView *self = TRADEOFF_CHART_VIEW (object);

  g_clear_pointer (&self->chart, tradeoff_chart_free);
  g_free (self->font_family);

  G_OBJECT_CLASS (tradeoff_chart_view_parent_class)->finalize (object);
}

static void
tradeoff_chart_view_class_init (TradeoffChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tradeoff_chart_view_get_property;
  object_class->set_property = tradeoff_chart_view_set_property;
  object_class->dispose = tradeoff_chart_view_dispose;
  object_class->finalize = tradeoff_chart_view_finalize;

  widget_class->snapshot = tradeoff_chart_view_snapshot;
  widget_class->measure = tradeoff_chart_view_measure;
  widget_class->css_changed = tradeoff_chart_view_css_changed;

  /* A TradeoffChartKind; an int so that templates can set it. */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      TRADEOFF_CHART_LATENCY, TRADEOFF_CHART_SUMMARY, TRADEOFF_CHART_LATENCY,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RUNS] =
    g_param_spec_uint ("n-runs", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tradeoff_chart_view_init (TradeoffChartView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->hover_x = -1;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
tradeoff_chart_view_new (TradeoffChartKind kind)
{
  return g_object_new (TRADEOFF_TYPE_CHART_VIEW, "kind", kind, NULL);
}

TradeoffChartKind
tradeoff_chart_view_get_kind (TradeoffChartView *self)
{
  g_return_val_if_fail (TRADEOFF_IS_CHART_VIEW (self), TRADEOFF_CHART_LATENCY);

  return self->kind;
}

void
tradeoff_chart_view_set_result (TradeoffChartView    *self,
                                const TradeoffResult *result)
{
  guint n_runs = 0;

  g_return_if_fail (TRADEOFF_IS_CHART_VIEW (self));

  tradeoff_chart_clear (self->chart);
  if (result != NULL)
    {
      if (result->scenario != NULL)
        tradeoff_chart_set_workload_kind (self->chart, result->scenario->workload.kind);
      for (guint i = 0; i < result->runs->len; i++)
        tradeoff_chart_add_run (self->chart, g_ptr_array_index (result->runs, i), i);
      n_runs = result->runs->len;
    }

  self->hover_x = -1;
  invalidate (self);

  if (n_runs != self->n_runs)
    {
      self->n_runs = n_runs;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNS]);
    }
}

guint
tradeoff_chart_view_get_n_runs (TradeoffChartView *self)
{
  g_return_val_if_fail (TRADEOFF_IS_CHART_VIEW (self), 0);

  return self->n_runs;
}

void
tradeoff_chart_view_get_theme (TradeoffChartView  *self,
                               TradeoffChartTheme *theme)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  G_GNUC_END_IGNORE_DEPRECATIONS
  PangoFontDescription *font;
  GdkRGBA rgba;

  g_return_if_fail (TRADEOFF_IS_CHART_VIEW (self));

  tradeoff_chart_theme_init (theme, adw_style_manager_get_dark (adw_style_manager_get_default ()));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, &rgba);
  G_GNUC_END_IGNORE_DEPRECATIONS
  to_color (&rgba, &theme->foreground);
  rgba.alpha *= 0.15;
  to_color (&rgba, &theme->grid);
  /* Transparent: the chart sits on the window's own background. */
  theme->background.alpha = 0;

  font = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  if (font != NULL && pango_font_description_get_family (font) != NULL)
    {
      g_free (self->font_family);
      self->font_family = g_strdup (pango_font_description_get_family (font));
      theme->font_family = self->font_family;
      if (pango_font_description_get_size (font) > 0 && !pango_font_description_get_size_is_absolute (font))
        theme->font_size = (double) pango_font_description_get_size (font) / PANGO_SCALE;
    }
}

GdkTexture *
tradeoff_chart_view_render_texture (TradeoffChartView *self,
                                    int                width,
                                    int                height,
                                    int                scale)
{
  g_autoptr(GBytes) bytes = NULL;
  TradeoffChartTheme theme;
  cairo_surface_t *surface;
  GdkTexture *texture;
  cairo_t *cr;

  g_return_val_if_fail (TRADEOFF_IS_CHART_VIEW (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  scale = MAX (scale, 1);
  tradeoff_chart_view_get_theme (self, &theme);
  /* A pasted image has no window behind it: give it the theme's own
   * opaque background. */
  {
    TradeoffChartTheme builtin;

    tradeoff_chart_theme_init (&builtin, theme.dark);
    theme.background = builtin.background;
    if (theme.background.alpha <= 0)
      theme.background = (TradeoffColor) { theme.dark ? 0.14 : 1, theme.dark ? 0.14 : 1,
                                           theme.dark ? 0.14 : 1, 1 };
  }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  tradeoff_chart_draw (self->chart, cr, width, height, &theme);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height * scale);
  texture = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);

  /* The chart may have cached the export size: draw the widget afresh. */
  invalidate (self);

  return texture;
}

char *
tradeoff_chart_view_describe (TradeoffChartView *self,
                              double             x,
                              double             y)
{
  char *text = NULL;
  double crosshair_x;

  g_return_val_if_fail (TRADEOFF_IS_CHART_VIEW (self), NULL);

  if (self->n_runs == 0 || !tradeoff_chart_describe_point (self->chart, x, y, &crosshair_x, &text))
    return NULL;

  return text;
}
