/* tradeoff-export-dialog.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Export: pick what (a chart at a size and style, or the data), then where,
 * through the native file chooser so it goes through the portal when
 * sandboxed. The writing itself is tradeoff_export_write(). */

#define G_LOG_DOMAIN "tradeoff-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-export-dialog.h"
#include "tradeoff-spin-row.h"

struct _TradeoffExportDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkButton            *export_button;
  AdwComboRow          *format_row;
  AdwComboRow          *chart_row;
  TradeoffSpinRow      *width_row;
  TradeoffSpinRow      *height_row;
  AdwActionRow         *dark_row;
  GtkSwitch            *dark_switch;

  /* Owned */
  TradeoffResult       *result;
  GtkFileChooserNative *chooser;
  GSettings            *settings;
};

enum {
  EXPORTED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffExportDialog, tradeoff_export_dialog, ADW_TYPE_WINDOW)

static TradeoffExportFormat
get_format (TradeoffExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->format_row);

  return selected < TRADEOFF_EXPORT_N_FORMATS ? (TradeoffExportFormat) selected : TRADEOFF_EXPORT_PNG;
}

static void
on_format_selected_cb (TradeoffExportDialog *self)
{
  gboolean chart = tradeoff_export_format_is_chart (get_format (self));

  gtk_widget_set_visible (GTK_WIDGET (self->chart_row), chart);
  gtk_widget_set_visible (GTK_WIDGET (self->width_row), chart);
  gtk_widget_set_visible (GTK_WIDGET (self->height_row), chart);
  gtk_widget_set_visible (GTK_WIDGET (self->dark_row), chart);
}

static void
on_chooser_response_cb (TradeoffExportDialog *self,
                        int                   response,
                        GtkNativeDialog      *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file != NULL)
    tradeoff_export_dialog_export_to_file (self, file);
}

static void
on_export_clicked_cb (TradeoffExportDialog *self)
{
  TradeoffExportFormat format = get_format (self);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  name = tradeoff_export_suggest_name (self->result, adw_combo_row_get_selected (self->chart_row),
                                       format);
  gtk_file_filter_add_mime_type (filter, tradeoff_export_format_mime_type (format));
  gtk_file_filter_set_name (filter,
                            gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (self->format_row)),
                                                        format));

  self->chooser = gtk_file_chooser_native_new (_("Export"), parent != NULL ? parent : GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  /* The chooser is modal to the main window; this dialog steps aside. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
tradeoff_export_dialog_dispose (GObject *object)
{
  TradeoffExportDialog *self = TRADEOFF_EXPORT_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (tradeoff_export_dialog_parent_class)->dispose (object);
}

static void
tradeoff_export_dialog_finalize (GObject *object)
{
  TradeoffExportDialog *self = TRADEOFF_EXPORT_DIALOG (object);

  g_clear_pointer (&self->result, tradeoff_result_free);

  G_OBJECT_CLASS (tradeoff_export_dialog_parent_class)->finalize (object);
}

static void
tradeoff_export_dialog_class_init (TradeoffExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tradeoff_export_dialog_dispose;
  object_class->finalize = tradeoff_export_dialog_finalize;

  /* The path written. */
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Why it failed. */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (TRADEOFF_TYPE_SPIN_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffExportDialog, chart_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffExportDialog, width_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffExportDialog, height_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffExportDialog, dark_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffExportDialog, dark_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tradeoff_export_dialog_init (TradeoffExportDialog *self)
{
  int width;
  int height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_ID);
  g_settings_get (self->settings, "last-export-size", "(ii)", &width, &height);
  tradeoff_spin_row_set_value (self->width_row, width);
  tradeoff_spin_row_set_value (self->height_row, height);
  gtk_switch_set_active (self->dark_switch,
                         adw_style_manager_get_dark (adw_style_manager_get_default ()));

  g_signal_connect_object (self->format_row, "notify::selected",
                           G_CALLBACK (on_format_selected_cb), self, G_CONNECT_SWAPPED);
  on_format_selected_cb (self);
}

TradeoffExportDialog *
tradeoff_export_dialog_new (GtkWindow            *parent,
                            const TradeoffResult *result,
                            TradeoffChartKind     kind)
{
  TradeoffExportDialog *self;

  g_return_val_if_fail (result != NULL, NULL);

  self = g_object_new (TRADEOFF_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->result = tradeoff_result_copy (result);
  adw_combo_row_set_selected (self->chart_row, kind);

  return self;
}

void
tradeoff_export_dialog_set_format (TradeoffExportDialog *self,
                                   TradeoffExportFormat  format)
{
  g_return_if_fail (TRADEOFF_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->format_row, format);
}

gboolean
tradeoff_export_dialog_export_to_file (TradeoffExportDialog *self,
                                       GFile                *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TradeoffExportFormat format;
  int width;
  int height;
  gboolean ok;

  g_return_val_if_fail (TRADEOFF_IS_EXPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  format = get_format (self);
  width = (int) tradeoff_spin_row_get_value (self->width_row);
  height = (int) tradeoff_spin_row_get_value (self->height_row);

  if (path == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only local files can be written"));
      ok = FALSE;
    }
  else
    ok = tradeoff_export_write (self->result, adw_combo_row_get_selected (self->chart_row), format,
                                width, height, gtk_switch_get_active (self->dark_switch),
                                path, &error);

  g_object_ref (self);
  if (ok)
    {
      if (tradeoff_export_format_is_chart (format))
        g_settings_set (self->settings, "last-export-size", "(ii)", width, height);
      g_signal_emit (self, signals[EXPORTED], 0, path);
    }
  else
    g_signal_emit (self, signals[FAILED], 0, error->message);

  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);

  return ok;
}
