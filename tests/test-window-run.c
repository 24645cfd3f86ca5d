/* test-window-run.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs from the window through the real runner, engines and driver: a 1 s
 * scenario with an event loop and a thread pool fills every chart and the
 * summary; the result is kept in the history, which a new window lists;
 * deleting it can be undone; cancelling stops the engine process at once
 * and leaves the last good result on screen. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "tradeoff-application.h"
#include "tradeoff-spin-row.h"
#include "tradeoff-window-private.h"
#include "tradeoff-window.h"

#include "tradeoff-test-ui.h"

#define RUN_TIMEOUT_S 120

static TradeoffWindow *
new_window (void)
{
  TradeoffWindow *window = tradeoff_test_new_window ();

  tradeoff_test_wait_history_loaded (window);

  return window;
}

/* hello-world, shortened, against one event loop and one thread pool. */
static void
load_small_scenario (TradeoffWindow *window,
                     double          duration_s)
{
  TradeoffEngineList *engines;
  gboolean seen_loop = FALSE;
  gboolean seen_pool = FALSE;

  tradeoff_window_load_preset (window, "hello-world");
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (window->scenario);

  tradeoff_test_set_field (window, "duration_s", duration_s);
  tradeoff_test_set_field (window, "warmup_s", 0);
  g_assert_cmpfloat (window->scenario->workload.duration_s, ==, duration_s);
  g_assert_cmpfloat (window->scenario->workload.warmup_s, ==, 0);

  /* Keep the first loop and the first pool; remove the rest in the list. */
  engines = tradeoff_scenario_editor_get_engine_list (window->editor);
  for (guint i = 0; i < window->scenario->engines->len;)
    {
      TradeoffEngineSpec *spec = g_ptr_array_index (window->scenario->engines, i);

      if (spec->kind == TRADEOFF_ENGINE_LOOP && !seen_loop)
        seen_loop = TRUE, i++;
      else if (spec->kind == TRADEOFF_ENGINE_POOL && !seen_pool)
        seen_pool = TRUE, i++;
      else
        tradeoff_engine_list_remove (engines, i);
    }
  tradeoff_test_iterate_main_loop ();
  g_assert_true (seen_loop && seen_pool);
  g_assert_cmpuint (window->scenario->engines->len, ==, 2);
  g_assert_true (tradeoff_scenario_editor_get_valid (window->editor));
}

static guint
count_result_files (void)
{
  g_autofree char *dir_path = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "tradeoff", "results", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      n++;

  return n;
}

typedef struct
{
  guint n_live_updates;
  guint max_live_runs;
  double max_fraction;
} LiveWatch;

static void
on_live_runs_cb (TradeoffChartView *view,
                 GParamSpec        *pspec,
                 LiveWatch         *watch)
{
  watch->n_live_updates++;
  watch->max_live_runs = MAX (watch->max_live_runs, tradeoff_chart_view_get_n_runs (view));
}

static void
on_fraction_cb (GtkProgressBar *bar,
                GParamSpec     *pspec,
                LiveWatch      *watch)
{
  watch->max_fraction = MAX (watch->max_fraction, gtk_progress_bar_get_fraction (bar));
}

static void
test_run_small (void)
{
  TradeoffWindow *window = new_window ();
  TradeoffChartView *latency;
  LiveWatch watch = { 0 };
  const TradeoffResult *shown;
  GtkListBox *summary;
  double elapsed;

  load_small_scenario (window, 1);
  latency = tradeoff_results_view_get_chart_view (window->results_view, TRADEOFF_CHART_LATENCY);
  g_signal_connect (latency, "notify::n-runs", G_CALLBACK (on_live_runs_cb), &watch);
  g_signal_connect (window->progress_bar, "notify::fraction", G_CALLBACK (on_fraction_cb), &watch);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (tradeoff_window_get_running (window));
  g_assert_true (gtk_revealer_get_reveal_child (window->progress_revealer));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->run_stack), ==, "cancel");
  /* The editor is locked while running; Run is off, Cancel on. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));

  elapsed = tradeoff_test_wait_until_done (window, RUN_TIMEOUT_S);
  g_test_message ("two engines, 1 s each, finished in %.1f s", elapsed);

  g_assert_false (gtk_revealer_get_reveal_child (window->error_revealer));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->run_stack), ==, "run");
  /* The charts were fed while it ran, and the bar moved. */
  g_assert_cmpuint (watch.max_live_runs, >=, 1);
  g_assert_cmpfloat (watch.max_fraction, >, 0.2);

  shown = tradeoff_window_get_shown_result (window);
  g_assert_nonnull (shown);
  g_assert_cmpuint (shown->runs->len, ==, 2);
  for (guint i = 0; i < shown->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (shown->runs, i);

      g_assert_null (run->error);
      g_assert_cmpuint (run->summary.completed, >, 0);
    }

  /* Each chart view received both engines. */
  for (guint kind = TRADEOFF_CHART_LATENCY; kind <= TRADEOFF_CHART_SUMMARY; kind++)
    {
      TradeoffChartView *view = tradeoff_results_view_get_chart_view (window->results_view, kind);

      g_assert_cmpuint (tradeoff_chart_view_get_n_runs (view), ==, 2);
    }

  /* Every engine is listed in the summary, by name. */
  summary = tradeoff_results_view_get_summary_list (window->results_view);
  g_assert_cmpuint (tradeoff_test_count_children (GTK_WIDGET (summary)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      AdwActionRow *row = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (summary, i));
      const TradeoffRun *run = g_ptr_array_index (shown->runs, i);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       run->engine->label);
      g_assert_true (strstr (adw_action_row_get_subtitle (row), "p99") != NULL);
    }

  /* Kept as a result file, listed first in the history. */
  g_assert_cmpuint (count_result_files (), ==, 1);
  g_assert_cmpuint (tradeoff_history_get_n_entries (window->history), ==, 1);
  g_assert_cmpuint (tradeoff_test_count_children (GTK_WIDGET (tradeoff_sidebar_get_history_list (window->sidebar))),
                    ==, 1);
  g_assert_true (g_file_test (tradeoff_history_get_entry (window->history, 0)->path,
                              G_FILE_TEST_IS_REGULAR));

  tradeoff_test_destroy_window (window);
}

static void
test_history_persists (void)
{
  TradeoffWindow *window;
  GtkListBox *history_list;
  g_autofree char *path = NULL;
  AdwToast *toast;

  /* A new window lists what an earlier one saved. */
  g_assert_cmpuint (count_result_files (), >=, 1);
  window = new_window ();
  history_list = tradeoff_sidebar_get_history_list (window->sidebar);
  g_assert_cmpuint (tradeoff_test_count_children (GTK_WIDGET (history_list)), ==, count_result_files ());

  /* Picking it shows it. */
  g_signal_emit_by_name (history_list, "row-activated", gtk_list_box_get_row_at_index (history_list, 0));
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (tradeoff_window_get_shown_result (window));
  g_assert_cmpuint (tradeoff_chart_view_get_n_runs (
                      tradeoff_results_view_get_chart_view (window->results_view,
                                                            TRADEOFF_CHART_THROUGHPUT)), ==, 2);

  /* Delete, then undo. */
  path = g_strdup (tradeoff_history_get_entry (window->history, 0)->path);
  toast = tradeoff_window_delete_history (window, path);
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (toast);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (tradeoff_test_count_children (GTK_WIDGET (history_list)), ==, 0);
  g_assert_null (tradeoff_window_get_shown_result (window));

  g_signal_emit_by_name (toast, "button-clicked");
  tradeoff_test_iterate_main_loop ();
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (tradeoff_test_count_children (GTK_WIDGET (history_list)), ==, 1);
  g_assert_cmpuint (tradeoff_history_get_n_entries (window->history), ==, 1);

  tradeoff_test_destroy_window (window);
}

/* The engine processes this test started: children running tradeoff-cli serve. */
static guint
count_engine_children (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;
  pid_t self = getpid ();

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat_path = NULL;
      g_autofree char *cmd_path = NULL;
      g_autofree char *stat = NULL;
      g_autofree char *cmdline = NULL;
      gsize length = 0;
      const char *close_paren;
      int ppid = 0;
      char state;

      if (!g_ascii_isdigit (name[0]))
        continue;
      stat_path = g_build_filename ("/proc", name, "stat", NULL);
      cmd_path = g_build_filename ("/proc", name, "cmdline", NULL);
      if (!g_file_get_contents (stat_path, &stat, NULL, NULL)
          || !g_file_get_contents (cmd_path, &cmdline, &length, NULL))
        continue;
      close_paren = strrchr (stat, ')');
      if (close_paren == NULL || sscanf (close_paren + 2, "%c %d", &state, &ppid) != 2)
        continue;
      /* A zombie has been killed; it only waits to be reaped. */
      if (ppid == self && state != 'Z' && length > 0 && strstr (cmdline, "tradeoff-cli") != NULL)
        n++;
    }

  return n;
}

static void
test_run_cancel (void)
{
  TradeoffWindow *window = new_window ();
  GtkListBox *history_list = tradeoff_sidebar_get_history_list (window->sidebar);
  g_autofree char *shown_started = NULL;
  guint n_before;
  double elapsed;
  double gone;
  gint64 start;

  /* A last good result on screen, from the history. */
  n_before = tradeoff_history_get_n_entries (window->history);
  g_assert_cmpuint (n_before, >=, 1);
  g_signal_emit_by_name (history_list, "row-activated", gtk_list_box_get_row_at_index (history_list, 0));
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (tradeoff_window_get_shown_result (window));
  shown_started = g_strdup (tradeoff_window_get_shown_result (window)->started_at);

  load_small_scenario (window, 30);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));

  /* Wait until the first engine is up and being loaded. */
  start = g_get_monotonic_time ();
  while (count_engine_children () == 0 && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    tradeoff_test_wait_ms (100);
  g_assert_cmpuint (count_engine_children (), >=, 1);
  tradeoff_test_wait_ms (1000);
  g_assert_true (tradeoff_window_get_running (window));

  /* Escape cancels: the engine process is killed at once, and the run
   * ends soon after (the load generator's threads wind down). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  start = g_get_monotonic_time ();
  while (count_engine_children () > 0 && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    tradeoff_test_wait_ms (20);
  gone = (g_get_monotonic_time () - start) / 1e6;
  elapsed = gone + tradeoff_test_wait_until_done (window, 30);
  g_test_message ("engine gone %.2f s after cancel; run ended after %.2f s", gone, elapsed);
  g_assert_cmpfloat (gone, <, 1);
  g_assert_cmpfloat (elapsed, <, 10);

  /* The engine is gone, nothing new was kept, the last good result stays. */
  g_assert_cmpuint (count_engine_children (), ==, 0);
  g_assert_cmpuint (tradeoff_history_get_n_entries (window->history), ==, n_before);
  g_assert_cmpuint (count_result_files (), ==, n_before);
  g_assert_nonnull (tradeoff_window_get_shown_result (window));
  g_assert_cmpstr (tradeoff_window_get_shown_result (window)->started_at, ==, shown_started);
  g_assert_cmpuint (tradeoff_chart_view_get_n_runs (
                      tradeoff_results_view_get_chart_view (window->results_view,
                                                            TRADEOFF_CHART_LATENCY)), ==, 2);
  g_assert_false (gtk_revealer_get_reveal_child (window->progress_revealer));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->run_button)));

  tradeoff_test_destroy_window (window);
}

/* Engines that cannot start: the reason is on screen, nothing is kept, and
 * the last good result stays. */
static void
test_run_engines_fail (void)
{
  TradeoffWindow *window = new_window ();
  GtkListBox *history_list = tradeoff_sidebar_get_history_list (window->sidebar);
  g_autofree char *saved = g_strdup (g_getenv ("TRADEOFF_CLI"));
  g_autofree char *shown_started = NULL;
  guint n_before = tradeoff_history_get_n_entries (window->history);

  g_signal_emit_by_name (history_list, "row-activated", gtk_list_box_get_row_at_index (history_list, 0));
  tradeoff_test_iterate_main_loop ();
  shown_started = g_strdup (tradeoff_window_get_shown_result (window)->started_at);

  load_small_scenario (window, 1);
  /* An "engine program" that exits at once without printing its port. */
  g_setenv ("TRADEOFF_CLI", "/bin/false", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  tradeoff_test_wait_until_done (window, RUN_TIMEOUT_S);

  g_assert_true (gtk_revealer_get_reveal_child (window->error_revealer));
  g_test_message ("banner: %s", gtk_label_get_label (window->error_label));
  g_assert_true (strstr (gtk_label_get_label (window->error_label), "could not run") != NULL);
  g_assert_cmpuint (tradeoff_history_get_n_entries (window->history), ==, n_before);
  g_assert_cmpstr (tradeoff_window_get_shown_result (window)->started_at, ==, shown_started);

  if (saved != NULL)
    g_setenv ("TRADEOFF_CLI", saved, TRUE);
  else
    g_unsetenv ("TRADEOFF_CLI");
  tradeoff_test_destroy_window (window);
}

int
main (int    argc,
      char **argv)
{
  tradeoff_test_ui_init (&argc, &argv, "test-window-run");

  /* In order: the later tests use the result the first one keeps. */
  g_test_add_func ("/window/run/small", test_run_small);
  g_test_add_func ("/window/run/history-persists", test_history_persists);
  g_test_add_func ("/window/run/cancel", test_run_cancel);
  g_test_add_func ("/window/run/engines-fail", test_run_engines_fail);

  return tradeoff_test_ui_run ();
}
