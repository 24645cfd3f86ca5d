/* test-window.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window with real widgets under Xvfb: its parts, the empty state, the
 * scenario editor (presets, edits, invalid values, engines), unsaved
 * changes, and scenario and result files. Runs are in test-window-run.c,
 * export in test-window-export.c. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tradeoff-application.h"
#include "tradeoff-presets.h"
#include "tradeoff-spin-row.h"
#include "tradeoff-window-private.h"
#include "tradeoff-window.h"

#include "tradeoff-test-ui.h"

/* One application for the whole test program: an application id can be
 * registered on the bus only once per process. */
static void
destroy_window (TradeoffWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  tradeoff_test_iterate_main_loop ();
}

static void
load_preset (TradeoffWindow *window,
             const char     *id)
{
  tradeoff_window_load_preset (window, id);
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (window->scenario);
  g_assert_cmpstr (window->preset_id, ==, id);
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
    }

  return FALSE;
}

static void
test_window_parts (void)
{
  TradeoffApplication *app = tradeoff_test_ui_get_app ();
  TradeoffWindow *window;
  GtkWidget *header;
  GtkWidget *menu_button;
  GMenuModel *menu;
  GtkWidget *status;

  g_application_activate (G_APPLICATION (app));
  tradeoff_test_iterate_main_loop ();

  window = TRADEOFF_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (TRADEOFF_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  header = tradeoff_test_find_type (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  g_assert_nonnull (header);

  menu_button = GTK_WIDGET (window->primary_menu_button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  /* Files, export, help and quit, each in a section of its own. */
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      g_assert_nonnull (section);
    }
  g_assert_true (menu_has_action (menu, "win.show-help-overlay"));
  g_assert_true (menu_has_action (menu, "app.about"));
  g_assert_true (menu_has_action (menu, "app.quit"));
  g_assert_true (menu_has_action (menu, "win.export"));
  g_assert_true (menu_has_action (menu, "win.copy-chart"));
  g_assert_true (menu_has_action (menu, "win.open"));
  g_assert_true (menu_has_action (menu, "win.save"));

  status = tradeoff_test_find_type (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), !=, "");

  /* The application actions the menu names exist and Quit has Ctrl+Q. */
  g_assert_true (g_action_map_lookup_action (G_ACTION_MAP (app), "quit") != NULL);
  g_assert_true (g_action_map_lookup_action (G_ACTION_MAP (app), "about") != NULL);
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");

    g_assert_cmpstr (accels[0], ==, "<Control>q");
  }

  /* The shortcuts window is loaded from the resource. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  /* F9 hides and shows the sidebar. */
  {
    gboolean revealed = adw_flap_get_reveal_flap (window->flap);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL));
    g_assert_cmpint (adw_flap_get_reveal_flap (window->flap), !=, revealed);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL));
    g_assert_cmpint (adw_flap_get_reveal_flap (window->flap), ==, revealed);
  }

  /* The slot for the guidance panel is there, beside the charts. */
  g_assert_true (ADW_IS_BIN (tradeoff_window_get_guidance_slot (window)));
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (tradeoff_window_get_guidance_slot (window)))
                 == gtk_widget_get_parent (GTK_WIDGET (window->results_view)));

  destroy_window (window);
}

static void
test_window_size_kept (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  TradeoffWindow *window;
  int width, height;

  g_settings_set (settings, "window-size", "(ii)", 900, 640);
  window = tradeoff_window_new (tradeoff_test_ui_get_app ());
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_present (GTK_WINDOW (window));
  tradeoff_test_iterate_main_loop ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  tradeoff_test_iterate_main_loop ();

  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static void
test_window_claims_pane_kept (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  TradeoffWindow *window;

  /* Closed, the pane of claims stays closed next time. */
  g_settings_set (settings, "window-size", "(ii)", 1280, 800);
  g_settings_set_boolean (settings, "show-claims", TRUE);
  window = tradeoff_test_new_window ();
  g_assert_true (adw_flap_get_reveal_flap (window->guidance_flap));
  adw_flap_set_reveal_flap (window->guidance_flap, FALSE);
  gtk_window_close (GTK_WINDOW (window));
  tradeoff_test_iterate_main_loop ();
  g_assert_false (g_settings_get_boolean (settings, "show-claims"));

  window = tradeoff_test_new_window ();
  g_assert_false (adw_flap_get_reveal_flap (window->guidance_flap));
  adw_flap_set_reveal_flap (window->guidance_flap, TRUE);
  gtk_window_close (GTK_WINDOW (window));
  tradeoff_test_iterate_main_loop ();
  g_assert_true (g_settings_get_boolean (settings, "show-claims"));
}

static void
test_window_empty_state (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  const TradeoffPresetInfo *presets = tradeoff_presets_get_all ();
  guint n_presets = 0;
  GtkListBoxRow *row;

  while (presets[n_presets].id != NULL)
    n_presets++;
  g_assert_cmpuint (n_presets, >, 0);

  /* First launch: the welcome page, inviting to pick a preset. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "welcome");
  g_assert_cmpuint (tradeoff_test_count_children (GTK_WIDGET (window->welcome_list)), ==, n_presets);
  g_assert_cmpuint (tradeoff_test_count_children (GTK_WIDGET (tradeoff_sidebar_get_presets_list (window->sidebar))),
                    ==, n_presets);
  g_assert_null (tradeoff_window_get_scenario (window));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL)
                  && window->running);

  /* Picking one opens the editor on it. */
  row = gtk_list_box_get_row_at_index (window->welcome_list, 0);
  g_signal_emit_by_name (window->welcome_list, "row-activated", row);
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (tradeoff_window_get_scenario (window));
  g_assert_cmpstr (window->preset_id, ==, presets[0].id);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "scenario");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==, "Preset");

  destroy_window (window);
}

static void
test_window_edit_field (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  TradeoffWorkloadEditor *workload_editor;
  TradeoffSpinRow *duration;
  TradeoffSpinRow *rooms;
  TradeoffSpinRow *request_bytes;

  load_preset (window, "hello-world");
  workload_editor = tradeoff_scenario_editor_get_workload_editor (window->editor);
  g_assert_false (window->dirty);

  /* A spin button edit reaches the scenario and marks it modified. */
  duration = tradeoff_workload_editor_get_row (workload_editor, "duration_s");
  g_assert_nonnull (duration);
  g_assert_cmpfloat (tradeoff_spin_row_get_value (duration), ==,
                     window->scenario->workload.duration_s);
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (duration), 7);
  tradeoff_test_iterate_main_loop ();
  g_assert_cmpfloat (window->scenario->workload.duration_s, ==, 7);
  g_assert_true (window->dirty);
  g_assert_true (g_str_has_prefix (adw_window_title_get_title (window->window_title), "•"));
  g_assert_null (tradeoff_spin_row_get_error (duration));

  /* Every row says what it models. */
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (duration)));

  /* The kind decides which rows show. */
  rooms = tradeoff_workload_editor_get_row (workload_editor, "rooms");
  request_bytes = tradeoff_workload_editor_get_row (workload_editor, "request_bytes");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (rooms)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (request_bytes)));
  adw_combo_row_set_selected (tradeoff_workload_editor_get_kind_row (workload_editor),
                              TRADEOFF_WORKLOAD_CHAT);
  tradeoff_test_iterate_main_loop ();
  g_assert_cmpint (window->scenario->workload.kind, ==, TRADEOFF_WORKLOAD_CHAT);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (rooms)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (request_bytes)));
  g_assert_cmpfloat (tradeoff_spin_row_get_value (rooms), ==, window->scenario->workload.rooms);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));

  /* Discard the edits without a question: the test owns the window. */
  window->dirty = FALSE;
  destroy_window (window);
}

static void
test_window_invalid_refused (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  TradeoffWorkloadEditor *workload_editor;
  TradeoffEngineList *engine_list;
  TradeoffEngineRow *pool_row = NULL;
  TradeoffSpinRow *rate;
  GtkWidget *workers;
  const char *error;

  load_preset (window, "hello-world");
  workload_editor = tradeoff_scenario_editor_get_workload_editor (window->editor);
  rate = tradeoff_workload_editor_get_row (workload_editor, "rate_per_s");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));

  /* A rate of 0 is refused: the row says why, and Run is off. */
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (rate), 0);
  tradeoff_test_iterate_main_loop ();
  error = tradeoff_spin_row_get_error (rate);
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (rate), "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (rate)), ==, error);
  g_assert_cmpuint (tradeoff_workload_editor_get_n_errors (workload_editor), ==, 1);
  g_assert_false (tradeoff_scenario_editor_get_valid (window->editor));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));
  g_assert_true (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->run_button)),
                         "rate_per_s") != NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_false (window->running);
  g_assert_false (tradeoff_window_get_running (window));

  /* Fixing it clears the mark. */
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (rate), 250);
  tradeoff_test_iterate_main_loop ();
  g_assert_null (tradeoff_spin_row_get_error (rate));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (rate), "error"));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));

  /* An engine option too: a pool without workers. */
  engine_list = tradeoff_scenario_editor_get_engine_list (window->editor);
  for (guint i = 0; tradeoff_engine_list_get_row (engine_list, i) != NULL; i++)
    if (tradeoff_engine_row_get_spec (tradeoff_engine_list_get_row (engine_list, i))->kind
        == TRADEOFF_ENGINE_POOL)
      {
        pool_row = tradeoff_engine_list_get_row (engine_list, i);
        break;
      }
  g_assert_nonnull (pool_row);
  workers = tradeoff_engine_row_get_field_row (pool_row, "workers");
  g_assert_true (gtk_widget_get_visible (workers));
  g_assert_nonnull (gtk_widget_get_tooltip_text (workers));
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (TRADEOFF_SPIN_ROW (workers)), 0);
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (tradeoff_engine_row_get_error (pool_row));
  g_assert_true (strstr (tradeoff_engine_row_get_error (pool_row), "workers") != NULL);
  g_assert_nonnull (tradeoff_spin_row_get_error (TRADEOFF_SPIN_ROW (workers)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pool_row), "error"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (TRADEOFF_SPIN_ROW (workers)), 8);
  tradeoff_test_iterate_main_loop ();
  g_assert_null (tradeoff_engine_row_get_error (pool_row));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));

  window->dirty = FALSE;
  destroy_window (window);
}

static void
test_window_engines (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  TradeoffEngineList *engine_list;
  TradeoffEngineRow *row;
  guint n;
  TradeoffEngineSpec *first;
  TradeoffEngineSpec *second;

  load_preset (window, "hello-world");
  engine_list = tradeoff_scenario_editor_get_engine_list (window->editor);
  n = window->scenario->engines->len;
  g_assert_cmpuint (n, >=, 2);

  /* Add an external server: its address row shows, the others do not. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (engine_list), "engines.add", "s", "url"));
  tradeoff_test_iterate_main_loop ();
  g_assert_cmpuint (window->scenario->engines->len, ==, n + 1);
  row = tradeoff_engine_list_get_row (engine_list, n);
  g_assert_nonnull (row);
  g_assert_cmpint (tradeoff_engine_row_get_spec (row)->kind, ==, TRADEOFF_ENGINE_URL);
  g_assert_true (gtk_widget_get_visible (tradeoff_engine_row_get_field_row (row, "url")));
  g_assert_false (gtk_widget_get_visible (tradeoff_engine_row_get_field_row (row, "workers")));
  gtk_editable_set_text (GTK_EDITABLE (tradeoff_engine_row_get_field_row (row, "url")),
                         "http://127.0.0.1:9");
  tradeoff_test_iterate_main_loop ();
  g_assert_cmpstr (tradeoff_engine_row_get_spec (row)->url, ==, "http://127.0.0.1:9");

  /* Reorder: the first engine moves down. */
  first = g_ptr_array_index (window->scenario->engines, 0);
  second = g_ptr_array_index (window->scenario->engines, 1);
  tradeoff_engine_list_move (engine_list, 0, 1);
  tradeoff_test_iterate_main_loop ();
  g_assert_true (g_ptr_array_index (window->scenario->engines, 0) == second);
  g_assert_true (g_ptr_array_index (window->scenario->engines, 1) == first);
  tradeoff_engine_list_move (engine_list, 0, -1);
  g_assert_true (g_ptr_array_index (window->scenario->engines, 0) == second);

  /* Remove them all: nothing to run. */
  while (window->scenario->engines->len > 0)
    tradeoff_engine_list_remove (engine_list, 0);
  tradeoff_test_iterate_main_loop ();
  g_assert_null (tradeoff_engine_list_get_row (engine_list, 0));
  g_assert_false (tradeoff_scenario_editor_get_valid (window->editor));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));

  window->dirty = FALSE;
  destroy_window (window);
}

static void
test_window_unsaved_changes (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  TradeoffSpinRow *duration;
  AdwMessageDialog *dialog;

  load_preset (window, "hello-world");
  duration = tradeoff_workload_editor_get_row (tradeoff_scenario_editor_get_workload_editor (window->editor),
                                               "duration_s");
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (duration), 9);
  tradeoff_test_iterate_main_loop ();
  g_assert_true (window->dirty);

  /* Another preset asks first; Cancel keeps the edits. */
  tradeoff_window_load_preset (window, "ml-batch");
  tradeoff_test_iterate_main_loop ();
  dialog = tradeoff_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  adw_message_dialog_response (dialog, "cancel");
  tradeoff_test_iterate_main_loop ();
  g_assert_cmpstr (window->preset_id, ==, "hello-world");
  g_assert_cmpfloat (window->scenario->workload.duration_s, ==, 9);
  g_assert_true (window->dirty);

  /* Discard lets the preset in. */
  tradeoff_window_load_preset (window, "ml-batch");
  tradeoff_test_iterate_main_loop ();
  dialog = tradeoff_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  tradeoff_test_iterate_main_loop ();
  g_assert_cmpstr (window->preset_id, ==, "ml-batch");
  g_assert_cmpint (window->scenario->workload.kind, ==, TRADEOFF_WORKLOAD_ML_BATCH);
  g_assert_false (window->dirty);

  /* Closing with edits asks too, and Cancel keeps the window. */
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (duration), 4);
  tradeoff_test_iterate_main_loop ();
  gtk_window_close (GTK_WINDOW (window));
  tradeoff_test_iterate_main_loop ();
  dialog = tradeoff_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  tradeoff_test_iterate_main_loop ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  window->dirty = FALSE;
  destroy_window (window);
}

static void
test_window_save_and_open (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  g_autofree char *path = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "mine.tradeoff.json", NULL);
  g_autofree char *bad_path = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "broken.tradeoff.json", NULL);
  g_autoptr(TradeoffScenario) reloaded = NULL;
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_auto(GStrv) recent = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) bad_file = NULL;
  g_autoptr(GError) error = NULL;
  TradeoffSpinRow *duration;

  load_preset (window, "chat-2000");
  duration = tradeoff_workload_editor_get_row (tradeoff_scenario_editor_get_workload_editor (window->editor),
                                               "duration_s");
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (duration), 3);
  tradeoff_test_iterate_main_loop ();

  g_assert_true (tradeoff_window_save_to (window, path));
  g_assert_false (window->dirty);
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==, "mine.tradeoff.json");
  reloaded = tradeoff_scenario_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (reloaded->workload.duration_s, ==, 3);
  g_assert_cmpint (reloaded->workload.kind, ==, TRADEOFF_WORKLOAD_CHAT);

  /* It is a recent file now, in the settings and the sidebar. */
  recent = g_settings_get_strv (settings, "recent-scenarios");
  g_assert_cmpstr (recent[0], ==, path);
  g_assert_cmpuint (tradeoff_test_count_children (GTK_WIDGET (tradeoff_sidebar_get_files_list (window->sidebar))),
                    >=, 1);
  destroy_window (window);

  /* Opened in a new window, as the application's `open` does. */
  window = tradeoff_test_new_window ();
  file = g_file_new_for_path (path);
  tradeoff_window_open_file (window, file);
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (window->scenario);
  g_assert_cmpstr (window->scenario_path, ==, path);
  g_assert_cmpfloat (window->scenario->workload.duration_s, ==, 3);

  /* A broken file: a banner with the reason, and the scenario stays. */
  g_assert_true (g_file_set_contents (bad_path, "{ \"format\": \"tradeoff-scenario/1\", ", -1, NULL));
  bad_file = g_file_new_for_path (bad_path);
  tradeoff_window_open_file (window, bad_file);
  tradeoff_test_iterate_main_loop ();
  g_assert_true (gtk_revealer_get_reveal_child (window->error_revealer));
  g_assert_true (strstr (gtk_label_get_label (window->error_label), "broken.tradeoff.json") != NULL);
  g_assert_cmpstr (window->scenario_path, ==, path);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-error", NULL);
  g_assert_false (gtk_revealer_get_reveal_child (window->error_revealer));

  destroy_window (window);
  g_unlink (path);
  g_unlink (bad_path);
}

static void
add_accelerators (GHashTable *set,
                  const char *accelerators)
{
  g_auto(GStrv) parts = g_strsplit (accelerators, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint key = 0;
      GdkModifierType mods = 0;

      if (*parts[i] != '\0' && gtk_accelerator_parse (parts[i], &key, &mods))
        g_hash_table_add (set, gtk_accelerator_name (key, mods));
    }
}

/* Every shortcut the window binds to one of its actions is in the
 * shortcuts window, and so are the application's. */
static void
test_window_shortcuts_listed (void)
{
  TradeoffApplication *app = tradeoff_test_ui_get_app ();
  TradeoffWindow *window = tradeoff_test_new_window ();
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/tradeoff/Tradeoff/gtk/help-overlay.ui");
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  const char * const app_actions[] = { "app.quit", "window.close", "win.show-help-overlay" };
  guint n_checked = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accelerator = NULL;

        g_object_get (l->data, "accelerator", &accelerator, NULL);
        if (accelerator != NULL)
          add_accelerators (listed, accelerator);
      }
  g_assert_cmpuint (g_hash_table_size (listed), >=, 15);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *name = NULL;

          if (!GTK_IS_NAMED_ACTION (action) || !GTK_IS_KEYVAL_TRIGGER (trigger)
              || !g_str_has_prefix (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "win."))
            continue;
          /* The keypad Enter is the same shortcut as Enter. */
          if (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_KP_Enter)
            continue;

          name = gtk_accelerator_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                       gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
          if (!g_hash_table_contains (listed, name))
            g_error ("%s (%s) is not in the shortcuts window", name,
                     gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >=, 14);

  for (guint i = 0; i < G_N_ELEMENTS (app_actions); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), app_actions[i]);

      g_assert_nonnull (accels[0]);
      {
        guint key = 0;
        GdkModifierType mods = 0;
        g_autofree char *name = NULL;

        g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
        name = gtk_accelerator_name (key, mods);
        g_assert_true (g_hash_table_contains (listed, name));
      }
    }

  destroy_window (window);
}

/* A scenario file dropped on the window opens. */
static void
test_window_drop_file (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();
  g_autofree char *path = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "dropped.tradeoff.json", NULL);
  g_autoptr(TradeoffScenario) scenario = tradeoff_presets_load ("streaming-200", NULL);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_autoptr(GFile) file = NULL;
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  GSList *files;
  gboolean accepted = FALSE;

  g_assert_nonnull (scenario);
  g_free (scenario->name);
  scenario->name = g_strdup ("Dropped here");
  g_assert_true (tradeoff_scenario_save_file (scenario, path, NULL));

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  file = g_file_new_for_path (path);
  files = g_slist_prepend (NULL, file);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, files);
  g_slist_free (files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  tradeoff_test_iterate_main_loop ();

  g_assert_true (accepted);
  g_assert_nonnull (window->scenario);
  g_assert_cmpstr (window->scenario->name, ==, "Dropped here");
  g_assert_cmpint (window->scenario->workload.kind, ==, TRADEOFF_WORKLOAD_STREAMING);
  g_assert_cmpstr (window->scenario_path, ==, path);

  destroy_window (window);
  g_unlink (path);
}

static void
test_window_new_scenario (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new", NULL));
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (window->scenario);
  g_assert_null (window->scenario_path);
  g_assert_cmpuint (window->scenario->engines->len, >=, 2);
  g_assert_true (tradeoff_scenario_editor_get_valid (window->editor));
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==, "Not saved");

  destroy_window (window);
}

int
main (int    argc,
      char **argv)
{
  tradeoff_test_ui_init (&argc, &argv, "test-window");

  g_test_add_func ("/window/parts", test_window_parts);
  g_test_add_func ("/window/size-kept", test_window_size_kept);
  g_test_add_func ("/window/claims-pane-kept", test_window_claims_pane_kept);
  g_test_add_func ("/window/empty-state", test_window_empty_state);
  g_test_add_func ("/window/edit-field", test_window_edit_field);
  g_test_add_func ("/window/invalid-refused", test_window_invalid_refused);
  g_test_add_func ("/window/engines", test_window_engines);
  g_test_add_func ("/window/unsaved-changes", test_window_unsaved_changes);
  g_test_add_func ("/window/save-and-open", test_window_save_and_open);
  g_test_add_func ("/window/shortcuts-listed", test_window_shortcuts_listed);
  g_test_add_func ("/window/drop-file", test_window_drop_file);
  g_test_add_func ("/window/new-scenario", test_window_new_scenario);

  return tradeoff_test_ui_run ();
}
