/* tradeoff-window.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The main window: a sidebar of presets, scenario files and past results;
 * the scenario editor; the charts, with the articles' claims beside them.
 * This file holds the widgets, the actions and their shortcuts, the state
 * they follow and what feeds the guidance panel; files and runs live in
 * tradeoff-window-files.c and tradeoff-window-run.c. */

#define G_LOG_DOMAIN "tradeoff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-presets.h"
#include "tradeoff-window-private.h"

enum {
  RESULT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffWindow, tradeoff_window, ADW_TYPE_APPLICATION_WINDOW)

void
tradeoff_window_toast (TradeoffWindow *self,
                       const char     *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
tradeoff_window_show_error (TradeoffWindow *self,
                            const char     *message)
{
  if (message == NULL)
    {
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
      return;
    }

  g_debug ("%s", message);
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

void
tradeoff_window_update_state (TradeoffWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_scenario = self->scenario != NULL;
  gboolean valid = has_scenario && tradeoff_scenario_editor_get_valid (self->editor);
  gboolean has_result = self->shown != NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *problem;

  gtk_widget_action_set_enabled (widget, "win.run", valid && !self->running);
  gtk_widget_action_set_enabled (widget, "win.cancel", self->running);
  gtk_widget_action_set_enabled (widget, "win.save", has_scenario);
  gtk_widget_action_set_enabled (widget, "win.save-as", has_scenario);
  gtk_widget_action_set_enabled (widget, "win.export", has_result && !self->running);
  gtk_widget_action_set_enabled (widget, "win.copy-chart", has_result && !self->running);
  /* The claims sit beside the charts, which come with a scenario. */
  gtk_widget_action_set_enabled (widget, "win.toggle-guidance", has_scenario);
  gtk_widget_set_sensitive (GTK_WIDGET (self->guidance_button), has_scenario);

  gtk_stack_set_visible_child_name (self->run_stack, self->running ? "cancel" : "run");
  gtk_widget_set_sensitive (GTK_WIDGET (self->editor), !self->running);

  /* Run says why it cannot run. */
  problem = tradeoff_scenario_editor_get_problem (self->editor);
  if (has_scenario && problem != NULL)
    {
      g_autofree char *tip = g_strdup_printf (_("Cannot run: %s"), problem);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button), _("Run Each Engine (Ctrl+Enter)"));

  gtk_stack_set_visible_child_name (self->main_stack, has_scenario ? "scenario" : "welcome");

  if (has_scenario)
    {
      const char *name = self->scenario->name != NULL && *self->scenario->name
                         ? self->scenario->name : _("Untitled scenario");

      /* A modified scenario is marked the way GNOME apps mark documents. */
      title = self->dirty ? g_strdup_printf ("• %s", name) : g_strdup (name);
      if (self->scenario_path != NULL)
        {
          g_autofree char *base = g_path_get_basename (self->scenario_path);

          subtitle = g_strdup (base);
        }
      else if (self->preset_id != NULL && !self->dirty)
        subtitle = g_strdup (_("Preset"));
      else
        subtitle = g_strdup (_("Not saved"));
    }
  adw_window_title_set_title (self->window_title, title != NULL ? title : _("Tradeoff"));
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
}

/* Guidance */

typedef struct
{
  TradeoffResult *result;
  char           *history_path;  /* NULL: opened from a file, not kept */
} TradeoffWindowKept;

static void
kept_free (gpointer data)
{
  TradeoffWindowKept *kept = data;

  tradeoff_result_free (kept->result);
  g_free (kept->history_path);
  g_free (kept);
}

/* The same measurement, copied: results carry their start time. */
static gboolean
same_result (const TradeoffResult *a,
             const TradeoffResult *b)
{
  return a->started_at != NULL && g_strcmp0 (a->started_at, b->started_at) == 0
         && a->runs->len == b->runs->len;
}

void
tradeoff_window_remember_result (TradeoffWindow       *self,
                                 const TradeoffResult *result,
                                 const char           *history_path)
{
  TradeoffWindowKept *kept;

  /* The same file opened twice counts once. */
  for (guint i = 0; i < self->session->len; i++)
    if (same_result (((TradeoffWindowKept *) g_ptr_array_index (self->session, i))->result, result))
      {
        g_ptr_array_remove_index (self->session, i);
        break;
      }

  kept = g_new0 (TradeoffWindowKept, 1);
  kept->result = tradeoff_result_copy (result);
  kept->history_path = g_strdup (history_path);
  g_ptr_array_add (self->session, kept);
}

static gboolean
history_has (TradeoffHistory *history,
             const char      *path)
{
  guint n = tradeoff_history_get_n_entries (history);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (tradeoff_history_get_entry (history, i)->path, path) == 0)
      return TRUE;

  return FALSE;
}

/* The workload the claims should speak to: the scenario being edited, else
 * the one the shown result measured. */
static TradeoffWorkloadKind
current_workload_kind (TradeoffWindow *self)
{
  if (self->scenario != NULL)
    return self->scenario->workload.kind;
  if (self->shown != NULL && self->shown->scenario != NULL)
    return self->shown->scenario->workload.kind;

  return TRADEOFF_WORKLOAD_REQUEST;
}

void
tradeoff_window_update_guidance (TradeoffWindow *self)
{
  g_autoptr(GPtrArray) results = NULL;

  if (self->disposed)
    return;

  /* A run in progress changes nothing the verdicts see until it ends. */
  if (self->running || self->guidance_hold)
    {
      self->guidance_stale = TRUE;
      return;
    }
  self->guidance_stale = FALSE;

  /* Oldest first, the shown result last: the verdicts take later results
   * as more recent. A run deleted from the history no longer counts (and
   * counts again if the deletion is undone). */
  results = g_ptr_array_new ();
  for (guint i = 0; i < self->session->len; i++)
    {
      const TradeoffWindowKept *kept = g_ptr_array_index (self->session, i);

      if (kept->history_path != NULL && !history_has (self->history, kept->history_path))
        continue;
      if (self->shown != NULL && same_result (kept->result, self->shown))
        continue;
      g_ptr_array_add (results, kept->result);
    }
  if (self->shown != NULL)
    g_ptr_array_add (results, self->shown);

  self->guidance_kind = current_workload_kind (self);
  self->n_guidance_updates++;
  tradeoff_guidance_panel_set_results (self->guidance_panel, results, self->guidance_kind);
}

static void
update_guidance_if_kind_changed (TradeoffWindow *self)
{
  if (current_workload_kind (self) != self->guidance_kind)
    tradeoff_window_update_guidance (self);
}

static void
test_claim_now (TradeoffWindow *self,
                gpointer        data)
{
  const TradeoffScenario *scenario = data;

  if (self->running)
    return;

  /* A scenario of its own, not saved anywhere yet. */
  tradeoff_window_set_scenario (self, tradeoff_scenario_copy (scenario), NULL, NULL);
  if (adw_flap_get_folded (self->guidance_flap))
    adw_flap_set_reveal_flap (self->guidance_flap, FALSE);

  if (!tradeoff_scenario_editor_get_valid (self->editor))
    {
      g_autofree char *message = g_strdup_printf (_("The claim’s scenario cannot run: %s"),
                                                  tradeoff_scenario_editor_get_problem (self->editor));

      tradeoff_window_show_error (self, message);
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "win.run", NULL);
}

static void
on_guidance_test_claim_cb (TradeoffWindow *self,
                           const char     *claim_id,
                           gpointer        scenario)
{
  g_return_if_fail (scenario != NULL);

  if (self->running)
    {
      tradeoff_window_toast (self, _("Cancel the run before testing a claim"));
      return;
    }

  g_debug ("Testing claim %s", claim_id);
  tradeoff_window_maybe_discard (self, test_claim_now, tradeoff_scenario_copy (scenario),
                                 (GDestroyNotify) tradeoff_scenario_free);
}

void
tradeoff_window_set_scenario (TradeoffWindow   *self,
                              TradeoffScenario *scenario,
                              const char       *path,
                              const char       *preset_id)
{
  TradeoffScenario *old = self->scenario;

  g_assert (!self->running);

  self->scenario = scenario;
  g_free (self->scenario_path);
  self->scenario_path = g_strdup (path);
  g_free (self->preset_id);
  self->preset_id = g_strdup (preset_id);
  self->dirty = FALSE;

  tradeoff_scenario_editor_set_scenario (self->editor, scenario);
  g_clear_pointer (&old, tradeoff_scenario_free);

  tradeoff_window_show_error (self, NULL);
  tradeoff_window_update_state (self);
  update_guidance_if_kind_changed (self);
}

static void
save_window_state (TradeoffWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  /* Folded, the pane closes by itself: that is not the user's choice. */
  if (!adw_flap_get_folded (self->guidance_flap))
    g_settings_set_boolean (self->settings, "show-claims",
                            adw_flap_get_reveal_flap (self->guidance_flap));
}

static void
close_confirmed (TradeoffWindow *self,
                 gpointer        data)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
tradeoff_window_close_request (GtkWindow *window)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (window);

  if (self->dirty && !self->close_confirmed)
    {
      tradeoff_window_maybe_discard (self, close_confirmed, NULL, NULL);
      return TRUE;
    }

  tradeoff_window_stop_run (self);
  save_window_state (self);

  return GTK_WINDOW_CLASS (tradeoff_window_parent_class)->close_request (window);
}

/* Signal handlers */

static void
on_editor_changed_cb (TradeoffWindow *self)
{
  self->dirty = TRUE;
  tradeoff_window_update_state (self);
  update_guidance_if_kind_changed (self);
}

static void
on_editor_valid_cb (TradeoffWindow *self)
{
  tradeoff_window_update_state (self);
}

static void
on_sidebar_preset_activated_cb (TradeoffWindow *self,
                                const char     *id)
{
  tradeoff_window_load_preset (self, id);
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
on_welcome_row_activated_cb (TradeoffWindow *self,
                             GtkListBoxRow  *row)
{
  tradeoff_window_load_preset (self, g_object_get_data (G_OBJECT (row), "id"));
}

static void
on_sidebar_file_activated_cb (TradeoffWindow *self,
                              const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  tradeoff_window_open_file (self, file);
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
on_sidebar_history_activated_cb (TradeoffWindow *self,
                                 const char     *path)
{
  const char *paths[] = { path, NULL };

  if (self->running)
    return;

  tradeoff_sidebar_set_compared (self->sidebar, paths);
  tradeoff_window_show_history (self, paths);
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
on_sidebar_history_delete_cb (TradeoffWindow *self,
                              const char     *path)
{
  tradeoff_window_delete_history (self, path);
}

static void
on_sidebar_compare_changed_cb (TradeoffWindow *self)
{
  g_auto(GStrv) paths = tradeoff_sidebar_get_compared (self->sidebar);

  if (self->running)
    return;

  tradeoff_window_show_history (self, (const char * const *) paths);
}

/* Actions */

static void
open_primary_menu_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  gtk_menu_button_popup (TRADEOFF_WINDOW (widget)->primary_menu_button);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static void
toggle_guidance_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);

  adw_flap_set_reveal_flap (self->guidance_flap, !adw_flap_get_reveal_flap (self->guidance_flap));
}

static void
show_chart_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);
  TradeoffChartKind kind;

  if (tradeoff_chart_kind_from_string (g_variant_get_string (parameter, NULL), &kind))
    tradeoff_results_view_set_visible_kind (self->results_view, kind);
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  tradeoff_window_show_error (TRADEOFF_WINDOW (widget), NULL);
}

static void
fill_welcome (TradeoffWindow *self)
{
  const TradeoffPresetInfo *presets = tradeoff_presets_get_all ();

  for (guint i = 0; presets != NULL && presets[i].id != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), presets[i].title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), presets[i].description);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "id", g_strdup (presets[i].id), g_free);
      gtk_list_box_append (self->welcome_list, row);
    }
}

static void
tradeoff_window_dispose (GObject *object)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (object);

  self->disposed = TRUE;
  tradeoff_window_stop_run (self);
  g_clear_handle_id (&self->redraw_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->pending_destroy != NULL)
    g_clear_pointer (&self->pending_data, self->pending_destroy);
  self->pending_func = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_WINDOW);

  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->session, g_ptr_array_unref);

  G_OBJECT_CLASS (tradeoff_window_parent_class)->dispose (object);
}

static void
tradeoff_window_finalize (GObject *object)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (object);

  g_clear_pointer (&self->scenario, tradeoff_scenario_free);
  g_clear_pointer (&self->shown, tradeoff_result_free);
  g_clear_pointer (&self->live, tradeoff_result_free);
  g_free (self->scenario_path);
  g_free (self->preset_id);

  G_OBJECT_CLASS (tradeoff_window_parent_class)->finalize (object);
}

static void
tradeoff_window_class_init (TradeoffWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  static const char * const kinds[] = { "latency", "throughput", "resources", "summary" };

  object_class->dispose = tradeoff_window_dispose;
  object_class->finalize = tradeoff_window_finalize;
  window_class->close_request = tradeoff_window_close_request;

  /**
   * TradeoffWindow::result-changed:
   *
   * What the charts show changed (a finished run, a history pick, a
   * comparison); see tradeoff_window_get_shown_result().
   */
  signals[RESULT_CHANGED] = g_signal_new ("result-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  g_type_ensure (TRADEOFF_TYPE_SIDEBAR);
  g_type_ensure (TRADEOFF_TYPE_SCENARIO_EDITOR);
  g_type_ensure (TRADEOFF_TYPE_RESULTS_VIEW);
  g_type_ensure (TRADEOFF_TYPE_GUIDANCE_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, run_stack);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, welcome_list);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, editor);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, results_view);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, guidance_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, guidance_flap);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, guidance_slot);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, guidance_panel);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_valid_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_preset_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_file_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_history_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_history_delete_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_compare_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_welcome_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_guidance_test_claim_cb);

  gtk_widget_class_install_action (widget_class, "win.open-primary-menu", NULL, open_primary_menu_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-guidance", NULL, toggle_guidance_action);
  gtk_widget_class_install_action (widget_class, "win.show-chart", "s", show_chart_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "win.new", NULL, tradeoff_window_new_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, tradeoff_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, tradeoff_window_save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, tradeoff_window_save_as_action);
  gtk_widget_class_install_action (widget_class, "win.run", NULL, tradeoff_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, tradeoff_window_cancel_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, tradeoff_window_export_action);
  gtk_widget_class_install_action (widget_class, "win.copy-chart", NULL, tradeoff_window_copy_chart_action);

  /* Shortcuts; every one is listed in gtk/help-overlay.ui. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "win.open-primary-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.toggle-guidance", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-chart", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-chart", "s", kinds[i]);
}

static void
tradeoff_window_init (TradeoffWindow *self)
{
  g_autofree char *history_dir = NULL;
  g_auto(GStrv) recent = NULL;
  int width;
  int height;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (BASE_ID);
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  adw_flap_set_reveal_flap (self->guidance_flap, g_settings_get_boolean (self->settings, "show-claims"));

  history_dir = tradeoff_history_default_dir ();
  self->history = tradeoff_history_new (history_dir);
  tradeoff_sidebar_set_history (self->sidebar, self->history);
  self->session = g_ptr_array_new_with_free_func (kept_free);
  g_signal_connect_object (self->history, "changed", G_CALLBACK (tradeoff_window_update_guidance),
                           self, G_CONNECT_SWAPPED);

  recent = g_settings_get_strv (self->settings, "recent-scenarios");
  tradeoff_sidebar_set_recent (self->sidebar, (const char * const *) recent);

  fill_welcome (self);
  tradeoff_window_setup_drop (self);
  tradeoff_results_view_set_result (self->results_view, NULL, FALSE);
  tradeoff_window_update_state (self);
  tradeoff_window_update_guidance (self);
}

TradeoffWindow *
tradeoff_window_new (TradeoffApplication *application)
{
  g_return_val_if_fail (TRADEOFF_IS_APPLICATION (application), NULL);

  return g_object_new (TRADEOFF_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

const TradeoffScenario *
tradeoff_window_get_scenario (TradeoffWindow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_WINDOW (self), NULL);

  return self->scenario;
}

const TradeoffResult *
tradeoff_window_get_shown_result (TradeoffWindow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_WINDOW (self), NULL);

  return self->shown;
}

gboolean
tradeoff_window_get_running (TradeoffWindow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_WINDOW (self), FALSE);

  return self->running;
}

TradeoffHistory *
tradeoff_window_get_history (TradeoffWindow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_WINDOW (self), NULL);

  return self->history;
}

AdwBin *
tradeoff_window_get_guidance_slot (TradeoffWindow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_WINDOW (self), NULL);

  return self->guidance_slot;
}

void
tradeoff_window_show_result (TradeoffWindow       *self,
                             const TradeoffResult *result)
{
  g_return_if_fail (TRADEOFF_IS_WINDOW (self));

  g_clear_pointer (&self->shown, tradeoff_result_free);
  if (result != NULL)
    self->shown = tradeoff_result_copy (result);

  /* A result opened before any scenario brings its own, ready to run again. */
  if (self->scenario == NULL && !self->running && result != NULL && result->scenario != NULL)
    {
      self->guidance_hold = TRUE;
      tradeoff_window_set_scenario (self, tradeoff_scenario_copy (result->scenario), NULL, NULL);
      self->guidance_hold = FALSE;
    }

  tradeoff_results_view_set_result (self->results_view, self->shown, FALSE);
  tradeoff_window_update_state (self);
  tradeoff_window_update_guidance (self);
  g_signal_emit (self, signals[RESULT_CHANGED], 0);
}
