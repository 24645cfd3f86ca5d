/* tradeoff-window-files.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Scenarios on disk: presets, open, save, save as, recent files, drag and
 * drop, and the question about unsaved changes that comes before anything
 * replaces the scenario being edited. Result files and .hgrm files opened
 * here are shown on the charts without touching the scenario. */

#define G_LOG_DOMAIN "tradeoff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-presets.h"
#include "tradeoff-window-private.h"

#define SCENARIO_SUFFIX ".tradeoff.json"
#define MAX_RECENT 10

static void
run_pending (TradeoffWindow *self,
             gboolean        proceed)
{
  TradeoffWindowContinue func = self->pending_func;
  gpointer data = self->pending_data;
  GDestroyNotify destroy = self->pending_destroy;

  self->pending_func = NULL;
  self->pending_data = NULL;
  self->pending_destroy = NULL;

  if (proceed && func != NULL)
    func (self, data);
  if (destroy != NULL && data != NULL)
    destroy (data);
}

void
tradeoff_window_add_recent (TradeoffWindow *self,
                            const char     *path)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-scenarios");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  if (path != NULL)
    g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }

  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-scenarios", (const char * const *) recent);
  tradeoff_sidebar_set_recent (self->sidebar, (const char * const *) recent);
}

static void
forget_recent (TradeoffWindow *self,
               const char     *path)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-scenarios");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;

  for (guint i = 0; old[i] != NULL; i++)
    if (g_strcmp0 (old[i], path) != 0)
      g_strv_builder_add (builder, old[i]);

  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-scenarios", (const char * const *) recent);
  tradeoff_sidebar_set_recent (self->sidebar, (const char * const *) recent);
}

gboolean
tradeoff_window_save_to (TradeoffWindow *self,
                         const char     *path)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self->scenario != NULL, FALSE);

  if (!tradeoff_scenario_save_file (self->scenario, path, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the scenario: %s"),
                                                  error->message);

      tradeoff_window_show_error (self, message);
      return FALSE;
    }

  if (g_strcmp0 (self->scenario_path, path) != 0)
    {
      g_free (self->scenario_path);
      self->scenario_path = g_strdup (path);
    }
  self->dirty = FALSE;
  tradeoff_window_add_recent (self, path);
  tradeoff_window_update_state (self);

  return TRUE;
}

/* Save As, then @then_pending: whether to go on with what was waiting for
 * the unsaved changes once the file is written. */
static void
on_save_chooser_response_cb (TradeoffWindow  *self,
                             int              response,
                             GtkNativeDialog *chooser)
{
  gboolean then_pending = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "then-pending"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  gboolean saved = FALSE;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL && (path = g_file_get_path (file)) != NULL)
    {
      /* A name typed without the suffix still gets it, so the file shows
       * up in the chooser's filter next time. */
      if (!g_str_has_suffix (path, ".json"))
        {
          g_autofree char *with_suffix = g_strconcat (path, SCENARIO_SUFFIX, NULL);

          g_free (path);
          path = g_steal_pointer (&with_suffix);
        }
      saved = tradeoff_window_save_to (self, path);
    }

  if (then_pending)
    run_pending (self, saved);
}

static void
add_scenario_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) scenarios = gtk_file_filter_new ();

  gtk_file_filter_set_name (scenarios, _("Tradeoff scenarios"));
  gtk_file_filter_add_pattern (scenarios, "*" SCENARIO_SUFFIX);
  gtk_file_chooser_add_filter (chooser, scenarios);
}

static void
show_save_chooser (TradeoffWindow *self,
                   gboolean        then_pending)
{
  g_autofree char *name = NULL;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (_("Save Scenario"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  add_scenario_filters (GTK_FILE_CHOOSER (self->chooser));

  if (self->scenario_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->scenario_path);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->chooser), file, NULL);
    }
  else
    {
      const char *base = self->scenario->name != NULL && *self->scenario->name
                         ? self->scenario->name : _("Untitled scenario");

      name = g_strconcat (base, SCENARIO_SUFFIX, NULL);
      g_strdelimit (name, "/\\", '-');
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }

  g_object_set_data (G_OBJECT (self->chooser), "then-pending", GINT_TO_POINTER (then_pending));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_discard_response_cb (TradeoffWindow   *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  if (g_str_equal (response, "discard"))
    {
      self->dirty = FALSE;
      run_pending (self, TRUE);
    }
  else if (g_str_equal (response, "save"))
    {
      if (self->scenario_path != NULL)
        run_pending (self, tradeoff_window_save_to (self, self->scenario_path));
      else
        show_save_chooser (self, TRUE);
    }
  else
    run_pending (self, FALSE);
}

void
tradeoff_window_maybe_discard (TradeoffWindow         *self,
                               TradeoffWindowContinue  func,
                               gpointer                data,
                               GDestroyNotify          destroy)
{
  GtkWidget *dialog;
  const char *name;

  if (!self->dirty || self->scenario == NULL)
    {
      func (self, data);
      if (destroy != NULL && data != NULL)
        destroy (data);
      return;
    }

  /* One question at a time: a newer request replaces a waiting one. */
  run_pending (self, FALSE);
  self->pending_func = func;
  self->pending_data = data;
  self->pending_destroy = destroy;

  name = self->scenario->name != NULL && *self->scenario->name ? self->scenario->name
                                                               : _("Untitled scenario");
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes which are not saved will be "
                                    "permanently lost."), name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
load_preset_now (TradeoffWindow *self,
                 gpointer        data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  TradeoffScenario *scenario;

  scenario = tradeoff_presets_load (id, &error);
  if (scenario == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not load the preset “%s”: %s"),
                                                  id, error->message);

      tradeoff_window_show_error (self, message);
      return;
    }

  tradeoff_window_set_scenario (self, scenario, NULL, id);
}

void
tradeoff_window_load_preset (TradeoffWindow *self,
                             const char     *id)
{
  g_return_if_fail (id != NULL);

  if (self->running)
    {
      tradeoff_window_toast (self, _("Cancel the run before changing the scenario"));
      return;
    }

  tradeoff_window_maybe_discard (self, load_preset_now, g_strdup (id), g_free);
}

typedef struct
{
  TradeoffScenario *scenario;
  char             *path;
} Opened;

static void
opened_free (gpointer data)
{
  Opened *opened = data;

  g_clear_pointer (&opened->scenario, tradeoff_scenario_free);
  g_free (opened->path);
  g_free (opened);
}

static void
open_scenario_now (TradeoffWindow *self,
                   gpointer        data)
{
  Opened *opened = data;

  tradeoff_window_set_scenario (self, g_steal_pointer (&opened->scenario), opened->path, NULL);
  tradeoff_window_add_recent (self, opened->path);
}

/* Reads the file before asking about unsaved changes: a result file does
 * not replace the scenario, and a broken file should not cost the user
 * their edits. */
static void
open_local_file (TradeoffWindow *self,
                 const char     *path,
                 const char     *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) result_error = NULL;
  g_autofree char *message = NULL;
  TradeoffScenario *scenario;
  Opened *opened;

  scenario = tradeoff_scenario_load_file (path, &error);
  if (scenario != NULL)
    {
      opened = g_new0 (Opened, 1);
      opened->scenario = scenario;
      opened->path = g_strdup (path);
      tradeoff_window_maybe_discard (self, open_scenario_now, opened, opened_free);
      return;
    }

  /* Not a scenario: perhaps a result file. */
  if (g_error_matches (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_FORMAT))
    {
      g_autoptr(TradeoffResult) result = tradeoff_result_load_file (path, &result_error);

      if (result != NULL)
        {
          tradeoff_sidebar_set_compared (self->sidebar, NULL);
          tradeoff_window_remember_result (self, result, NULL);
          tradeoff_window_show_result (self, result);
          return;
        }
    }

  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    forget_recent (self, path);
  message = g_strdup_printf (_("Could not open “%s”: %s"), name, error->message);
  tradeoff_window_show_error (self, message);
}

static void
import_hgrm (TradeoffWindow *self,
             GFile          *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strndup (name, strlen (name) - strlen (".hgrm"));

  result = path != NULL ? tradeoff_result_import_hgrm (path, label, &error) : NULL;
  if (result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not import “%s”: %s"), name,
                                                  error != NULL ? error->message
                                                                : _("only local files can be opened"));

      tradeoff_window_show_error (self, message);
      return;
    }

  tradeoff_sidebar_set_compared (self->sidebar, NULL);
  tradeoff_window_remember_result (self, result, NULL);
  tradeoff_window_show_result (self, result);
}

void
tradeoff_window_open_file (TradeoffWindow *self,
                           GFile          *file)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (TRADEOFF_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->running)
    {
      tradeoff_window_toast (self, _("Cancel the run before opening another file"));
      return;
    }

  name = g_file_get_basename (file);
  if (name != NULL && g_str_has_suffix (name, ".hgrm"))
    {
      import_hgrm (self, file);
      return;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open “%s”: only local files can be "
                                                    "opened"), name);

      tradeoff_window_show_error (self, message);
      return;
    }

  open_local_file (self, path, name);
}

static void
on_open_chooser_response_cb (TradeoffWindow  *self,
                             int              response,
                             GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    tradeoff_window_open_file (self, file);
}

void
tradeoff_window_open_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) results = gtk_file_filter_new ();

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (_("Open a Scenario or Result"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (all, _("Scenarios, results and .hgrm files"));
  gtk_file_filter_add_pattern (all, "*.json");
  gtk_file_filter_add_pattern (all, "*.hgrm");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  add_scenario_filters (GTK_FILE_CHOOSER (self->chooser));
  gtk_file_filter_set_name (results, _("Results (JSON, .hgrm)"));
  gtk_file_filter_add_pattern (results, "*.json");
  gtk_file_filter_add_pattern (results, "*.hgrm");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), results);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_open_chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
new_now (TradeoffWindow *self,
         gpointer        data)
{
  tradeoff_window_set_scenario (self, tradeoff_scenario_new (), NULL, NULL);
}

void
tradeoff_window_new_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);

  if (self->running)
    return;

  tradeoff_window_maybe_discard (self, new_now, NULL, NULL);
}

void
tradeoff_window_save_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);

  if (self->scenario == NULL)
    return;

  if (self->scenario_path != NULL)
    tradeoff_window_save_to (self, self->scenario_path);
  else
    show_save_chooser (self, FALSE);
}

void
tradeoff_window_save_as_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);

  if (self->scenario != NULL)
    show_save_chooser (self, FALSE);
}

static gboolean
on_drop_cb (GtkDropTarget  *target,
            const GValue   *value,
            double          x,
            double          y,
            TradeoffWindow *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;

  /* One scenario at a time: the first file decides. */
  tradeoff_window_open_file (self, files->data);

  return TRUE;
}

void
tradeoff_window_setup_drop (TradeoffWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
