/* tradeoff-chart.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The chart renderer, in three layers (Sysprof's pattern):
 *
 * 1. Data: add_run() copies what the chart needs out of a run into plain
 *    arrays (Series), so the run may go away and drawing never walks
 *    histograms or GArrays.
 * 2. Normalisation: each Line of a Panel keeps its values mapped to [0, 1]
 *    of the panel's data range (log10 space on log axes). Recomputed only
 *    when the data change (data_version).
 * 3. Drawing: the layout decides the axis ranges and the plot rectangle;
 *    an affine map takes the normalised values to pixels, decimated to at
 *    most four points (first, min, max, last) per pixel column. That pixel
 *    cache is rebuilt only when the data or the plot rectangle change, so a
 *    redraw of the same size strokes a few thousand points whatever the
 *    number of samples, as one path, without allocating.
 *
 * The same code draws for the window (a cairo context from GTK) and for
 * export (image, SVG and PDF surfaces), so what is exported is what is seen.
 *
 * The layers, and the drawing of each kind of chart, live in sibling files
 * listed in tradeoff-chart-private.h.
 */

#define G_LOG_DOMAIN "tradeoff-chart"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "tradeoff-chart-private.h"

/* {{{ Strings */

static const char * const kind_names[] = { "latency", "throughput", "resources", "summary" };
static const char * const format_names[] = { "png", "svg", "pdf" };

const char *
tradeoff_chart_kind_to_string (TradeoffChartKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
tradeoff_chart_kind_from_string (const char        *str,
                                 TradeoffChartKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_ascii_strcasecmp (str, kind_names[i]) == 0)
        {
          *kind = (TradeoffChartKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
tradeoff_chart_format_from_string (const char          *str,
                                   TradeoffChartFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    {
      if (g_ascii_strcasecmp (str, format_names[i]) == 0)
        {
          *format = (TradeoffChartFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* }}} */
/* {{{ Theme and colours */

static void
color_from_hex (TradeoffColor *color,
                guint32        rgb,
                double         alpha)
{
  color->red = ((rgb >> 16) & 0xff) / 255.0;
  color->green = ((rgb >> 8) & 0xff) / 255.0;
  color->blue = (rgb & 0xff) / 255.0;
  color->alpha = alpha;
}

void
tradeoff_chart_theme_init (TradeoffChartTheme *theme,
                           gboolean            dark)
{
  g_return_if_fail (theme != NULL);

  memset (theme, 0, sizeof *theme);
  theme->dark = !!dark;
  if (dark)
    {
      /* libadwaita's dark window colours */
      color_from_hex (&theme->foreground, 0xffffff, 1.0);
      color_from_hex (&theme->background, 0x242424, 1.0);
      color_from_hex (&theme->grid, 0xffffff, 0.13);
    }
  else
    {
      color_from_hex (&theme->foreground, 0x241f31, 1.0);
      color_from_hex (&theme->background, 0xffffff, 1.0);
      color_from_hex (&theme->grid, 0x241f31, 0.12);
    }
  theme->font_family = DEFAULT_FONT;
  theme->font_size = 10.0;
}

/* Okabe and Ito's colour-blind-safe palette, reordered so the first two
 * (the usual event loop against thread pool) differ most in hue and
 * lightness, and adjusted for at least 3:1 contrast on each background:
 * darker on white, lighter on the dark grey. */
static const guint32 light_palette[] = {
  0x0072b2, /* blue */
  0xd55e00, /* vermillion */
  0x009e73, /* bluish green */
  0xcc79a7, /* reddish purple */
  0x8c6d00, /* orange, darkened to ochre */
  0x3d8fbf, /* sky blue, darkened */
  0x5e5c64, /* grey */
  0x7a4e99, /* purple */
};

static const guint32 dark_palette[] = {
  0x56b4e9, /* sky blue */
  0xe69f00, /* orange */
  0x2ec99b, /* bluish green, lightened */
  0xe59ccb, /* reddish purple, lightened */
  0xf0e442, /* yellow */
  0xff8a4c, /* vermillion, lightened */
  0xc0bfbc, /* grey */
  0x7aa7ff, /* blue, lightened */
};

void
tradeoff_chart_get_series_color (guint          index,
                                 gboolean       dark,
                                 TradeoffColor *color)
{
  g_return_if_fail (color != NULL);

  if (dark)
    color_from_hex (color, dark_palette[index % G_N_ELEMENTS (dark_palette)], 1.0);
  else
    color_from_hex (color, light_palette[index % G_N_ELEMENTS (light_palette)], 1.0);
}

void
tradeoff_chart_set_color (cairo_t             *cr,
                          const TradeoffColor *color,
                          double               alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

void
tradeoff_chart_set_series_color (DrawContext *ctx,
                                 guint        color_index,
                                 double       alpha)
{
  TradeoffColor color;

  tradeoff_chart_get_series_color (color_index, ctx->theme->dark, &color);
  tradeoff_chart_set_color (ctx->cr, &color, alpha);
}

/* }}} */
/* {{{ Public object */

TradeoffChart *
tradeoff_chart_new (TradeoffChartKind kind)
{
  TradeoffChart *self;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  self = g_new0 (TradeoffChart, 1);
  self->kind = kind;
  self->workload_kind = TRADEOFF_WORKLOAD_REQUEST;
  self->series = g_ptr_array_new_with_free_func (tradeoff_chart_series_free);
  self->data_version = 1;
  self->panels_version = 0;
  return self;
}

void
tradeoff_chart_free (TradeoffChart *self)
{
  if (self == NULL)
    return;
  tradeoff_chart_clear_panels (self);
  g_ptr_array_unref (self->series);
  g_free (self);
}

TradeoffChartKind
tradeoff_chart_get_kind (TradeoffChart *self)
{
  g_return_val_if_fail (self != NULL, TRADEOFF_CHART_LATENCY);
  return self->kind;
}

void
tradeoff_chart_set_workload_kind (TradeoffChart        *self,
                                  TradeoffWorkloadKind  kind)
{
  g_return_if_fail (self != NULL);

  if (self->workload_kind == kind)
    return;
  self->workload_kind = kind;
  self->data_version++;
}

void
tradeoff_chart_clear (TradeoffChart *self)
{
  g_return_if_fail (self != NULL);

  /* Panels borrow the series' arrays: drop them first. */
  tradeoff_chart_clear_panels (self);
  g_ptr_array_set_size (self->series, 0);
  self->data_version++;
}

void
tradeoff_chart_add_run (TradeoffChart     *self,
                        const TradeoffRun *run,
                        guint              color_index)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (run != NULL);

  tradeoff_chart_clear_panels (self);
  g_ptr_array_add (self->series,
                   tradeoff_chart_series_new_from_run (run, color_index, self->series->len));
  self->data_version++;
}

TradeoffChart *
tradeoff_chart_new_for_result (TradeoffChartKind     kind,
                               const TradeoffResult *result)
{
  TradeoffChart *self;

  g_return_val_if_fail (result != NULL, NULL);

  self = tradeoff_chart_new (kind);
  if (result->scenario != NULL)
    tradeoff_chart_set_workload_kind (self, result->scenario->workload.kind);
  for (guint i = 0; result->runs != NULL && i < result->runs->len; i++)
    tradeoff_chart_add_run (self, g_ptr_array_index (result->runs, i), i);
  return self;
}

/* }}} */
/* {{{ Draw */

void
tradeoff_chart_draw (TradeoffChart            *self,
                     cairo_t                  *cr,
                     double                    width,
                     double                    height,
                     const TradeoffChartTheme *theme)
{
  TradeoffChartTheme fallback;
  DrawContext ctx = { 0 };
  PangoFontMetrics *metrics;
  PangoContext *pango;
  double font_size;
  double y;
  Rect area;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  if (theme == NULL)
    {
      tradeoff_chart_theme_init (&fallback, FALSE);
      theme = &fallback;
    }

  tradeoff_chart_ensure_panels (self);
  self->last_width = width;
  self->last_height = height;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (theme->background.alpha > 0)
    {
      tradeoff_chart_set_color (cr, &theme->background, 1.0);
      cairo_paint (cr);
    }

  font_size = theme->font_size > 0 ? theme->font_size : 10.0;
  ctx.chart = self;
  ctx.cr = cr;
  ctx.theme = theme;
  ctx.layout = pango_cairo_create_layout (cr);
  ctx.font = pango_font_description_from_string (theme->font_family != NULL ? theme->font_family : DEFAULT_FONT);
  pango_font_description_set_size (ctx.font, (int) (font_size * PANGO_SCALE));
  ctx.small_font = pango_font_description_copy (ctx.font);
  pango_font_description_set_size (ctx.small_font, (int) (font_size * 0.9 * PANGO_SCALE));
  ctx.title_font = pango_font_description_copy (ctx.font);
  pango_font_description_set_size (ctx.title_font, (int) (font_size * 1.25 * PANGO_SCALE));
  pango_font_description_set_weight (ctx.title_font, PANGO_WEIGHT_BOLD);

  pango = pango_layout_get_context (ctx.layout);
  metrics = pango_context_get_metrics (pango, ctx.font, NULL);
  ctx.line_height = ceil ((double) (pango_font_metrics_get_ascent (metrics) +
                                    pango_font_metrics_get_descent (metrics)) / PANGO_SCALE);
  pango_font_metrics_unref (metrics);
  metrics = pango_context_get_metrics (pango, ctx.small_font, NULL);
  ctx.small_height = ceil ((double) (pango_font_metrics_get_ascent (metrics) +
                                     pango_font_metrics_get_descent (metrics)) / PANGO_SCALE);
  pango_font_metrics_unref (metrics);
  ctx.pad = MAX (8, MIN (width, height) * 0.025);

  /* Title */
  y = ctx.pad;
  tradeoff_chart_set_color (cr, &theme->foreground, 1.0);
  {
    double th;

    tradeoff_chart_draw_text (&ctx, ctx.title_font, tradeoff_chart_title (self), ctx.pad, y, 0,
                              width - 2 * ctx.pad);
    tradeoff_chart_text_size (&ctx, ctx.title_font, tradeoff_chart_title (self), NULL, &th);
    y += th + ctx.pad * 0.5;
  }

  /* Legend */
  y += tradeoff_chart_legend (&ctx, ctx.pad, y, width - 2 * ctx.pad, MAX (height * 0.2, ctx.line_height * 2.5), TRUE);
  y += ctx.pad * 0.5;

  area.x = ctx.pad;
  area.y = y;
  area.width = width - 2 * ctx.pad;
  area.height = height - y - ctx.pad;

  if (self->series->len == 0)
    {
      tradeoff_chart_set_color (cr, &theme->foreground, 0.6);
      tradeoff_chart_draw_text (&ctx, ctx.font, _("No results yet"), width / 2,
                                area.y + area.height / 2 - ctx.line_height / 2, 0.5, 0);
    }
  else if (area.height > 2 * ctx.small_height && area.width > 40)
    {
      switch (self->kind)
        {
        case TRADEOFF_CHART_SUMMARY:
          tradeoff_chart_draw_summary (&ctx, area);
          break;
        case TRADEOFF_CHART_LATENCY:
        case TRADEOFF_CHART_THROUGHPUT:
        case TRADEOFF_CHART_RESOURCES:
        default:
          tradeoff_chart_draw_line_panels (&ctx, area);
          break;
        }
    }
  self->drawn = TRUE;

  pango_font_description_free (ctx.font);
  pango_font_description_free (ctx.small_font);
  pango_font_description_free (ctx.title_font);
  g_object_unref (ctx.layout);
  cairo_restore (cr);
}

/* }}} */
/* {{{ Save */

gboolean
tradeoff_chart_save (TradeoffChart        *self,
                     const char           *path,
                     TradeoffChartFormat   format,
                     int                   width,
                     int                   height,
                     gboolean              dark,
                     GError              **error)
{
  g_autofree char *tmp_path = NULL;
  g_autofree char *display = NULL;
  TradeoffChartTheme theme;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;
  mode_t mask;
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (width < 16 || height < 16 || width > 20000 || height > 20000)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export to “%s”: the size %d×%d is outside 16×16 to 20000×20000"),
                   display, width, height);
      return FALSE;
    }

  /* A temporary file beside the target, renamed over it once complete:
   * a failure never leaves a half-written chart in place of a good one. */
  tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp (tmp_path);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }
  mask = umask (0);
  umask (mask);
  if (fchmod (fd, 0666 & ~mask) != 0)
    g_debug ("fchmod %s: %s", tmp_path, g_strerror (errno));
  close (fd);

  tradeoff_chart_theme_init (&theme, dark);

  switch (format)
    {
    case TRADEOFF_CHART_FORMAT_SVG:
      surface = cairo_svg_surface_create (tmp_path, width, height);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case TRADEOFF_CHART_FORMAT_PDF:
      surface = cairo_pdf_surface_create (tmp_path, width, height);
      break;
    case TRADEOFF_CHART_FORMAT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    }

  cr = cairo_create (surface);
  tradeoff_chart_draw (self, cr, width, height, &theme);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == TRADEOFF_CHART_FORMAT_PNG)
    status = cairo_surface_write_to_png (surface, tmp_path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot write “%s”: %s"), display, cairo_status_to_string (status));
      g_unlink (tmp_path);
      return FALSE;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write “%s”: %s"), display, g_strerror (saved));
      g_unlink (tmp_path);
      return FALSE;
    }
  return TRUE;
}

/* }}} */
