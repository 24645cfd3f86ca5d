/* tradeoff-test-ui.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tradeoff-test-ui"

#include "config.h"

#include <glib/gstdio.h>

#include "tradeoff-spin-row.h"
#include "tradeoff-test-ui.h"

static TradeoffApplication *app;
static char *tmp_dir;

/* Removes the test's own temporary folder and what it holds. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
tradeoff_test_ui_init (int          *argc,
                       char       ***argv,
                       const char   *name)
{
  g_autofree char *template = g_strdup_printf ("tradeoff-%s-XXXXXX", name);

  tmp_dir = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (tmp_dir);
  /* The history lives in the user's data folder: keep it in the test's own. */
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();

  app = tradeoff_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
}

TradeoffApplication *
tradeoff_test_ui_get_app (void)
{
  return app;
}

const char *
tradeoff_test_ui_get_tmp_dir (void)
{
  return tmp_dir;
}

int
tradeoff_test_ui_run (void)
{
  int status = g_test_run ();

  g_clear_object (&app);
  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return status;
}

void
tradeoff_test_iterate_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

TradeoffWindow *
tradeoff_test_new_window (void)
{
  TradeoffWindow *window = tradeoff_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  tradeoff_test_iterate_main_loop ();

  return window;
}

static gboolean
on_timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
tradeoff_test_wait_ms (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

double
tradeoff_test_wait_until_done (TradeoffWindow *window,
                               guint           timeout_s)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, on_timeout_cb, &timed_out);
  gint64 start = g_get_monotonic_time ();

  while (tradeoff_window_get_running (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
  tradeoff_test_iterate_main_loop ();

  return (g_get_monotonic_time () - start) / 1e6;
}

void
tradeoff_test_wait_history_loaded (TradeoffWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* The history is read in a thread; the window is usable meanwhile. */
  while (tradeoff_history_is_loading (window->history) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tradeoff_history_is_loading (window->history));
  tradeoff_test_iterate_main_loop ();
}

void
tradeoff_test_destroy_window (TradeoffWindow *window)
{
  window->dirty = FALSE;
  gtk_window_destroy (GTK_WINDOW (window));
  tradeoff_test_iterate_main_loop ();
}

GtkWidget *
tradeoff_test_find_type (GtkWidget *root,
                         GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tradeoff_test_find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
tradeoff_test_find_named (GtkWidget  *root,
                          const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tradeoff_test_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

guint
tradeoff_test_count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

AdwMessageDialog *
tradeoff_test_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return ADW_MESSAGE_DIALOG (item);
    }

  return NULL;
}

void
tradeoff_test_set_field (TradeoffWindow *window,
                         const char     *field,
                         double          value)
{
  TradeoffWorkloadEditor *editor = tradeoff_scenario_editor_get_workload_editor (window->editor);
  TradeoffSpinRow *row = tradeoff_workload_editor_get_row (editor, field);

  g_assert_nonnull (row);
  gtk_spin_button_set_value (tradeoff_spin_row_get_spin_button (row), value);
  tradeoff_test_iterate_main_loop ();
  g_assert_null (tradeoff_spin_row_get_error (row));
}

void
tradeoff_test_add_run (TradeoffResult *result,
                       const char     *engine_json,
                       double          throughput,
                       double          cpu_percent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (engine_json, &error);
  g_autoptr(TradeoffEngineSpec) spec = NULL;
  TradeoffRun *run;

  g_assert_no_error (error);
  spec = tradeoff_engine_spec_from_json (node, NULL, &error);
  g_assert_no_error (error);

  run = tradeoff_run_new (spec);
  run->summary.completed = 1000;
  run->summary.throughput_per_s = throughput;
  run->summary.cpu_percent_mean = cpu_percent;
  g_ptr_array_add (result->runs, run);
}

TradeoffResult *
tradeoff_test_make_ml_batch_result (void)
{
  g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_new ();
  TradeoffResult *result;

  tradeoff_workload_set_defaults (&scenario->workload, TRADEOFF_WORKLOAD_ML_BATCH);
  scenario->workload.cpu_us = 500;
  scenario->workload.batch = 4;
  scenario->workload.wait_us = 0;

  result = tradeoff_result_new (scenario);
  tradeoff_test_add_run (result, "{\"kind\": \"pool\", \"label\": \"p2\", \"workers\": 2, \"gil\": true, \"instances\": 1}", 240, 98);
  tradeoff_test_add_run (result, "{\"kind\": \"pool\", \"label\": \"p8\", \"workers\": 8, \"gil\": true, \"instances\": 1}", 250, 99);
  tradeoff_test_add_run (result, "{\"kind\": \"loop\", \"label\": \"l\", \"instances\": 1, \"offload_workers\": 0}", 490, 99);
  tradeoff_test_add_run (result, "{\"kind\": \"loop\", \"label\": \"lo\", \"instances\": 1, \"offload_workers\": 2}", 950, 195);
  return result;
}
