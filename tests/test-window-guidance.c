/* test-window-guidance.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The guidance panel in the window: it sits beside the charts and judges
 * the claims from every result of the session and the one shown; it is
 * brought up to date once when a run ends, not while it streams; "Test
 * This Claim" asks about unsaved changes, loads the claim's scenario and
 * runs it; Ctrl+G shows and hides it, and at a narrow width it folds
 * instead of squeezing the charts. */

#define G_LOG_DOMAIN "test-window-guidance"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tradeoff-application.h"
#include "tradeoff-spin-row.h"
#include "tradeoff-window-private.h"
#include "tradeoff-window.h"

#include "tradeoff-test-ui.h"

#define RUN_TIMEOUT_S 120

/* Iterates until @widget has been given a width, or fails. */
static void
wait_for_allocation (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (gtk_widget_get_width (widget) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* Let layout settle after the first frame. */
  for (guint i = 0; i < 5; i++)
    tradeoff_test_wait_ms (20);
  g_assert_cmpint (gtk_widget_get_width (widget), >, 0);
}

static TradeoffWindow *
new_window (int width,
            int height)
{
  TradeoffWindow *window = tradeoff_window_new (tradeoff_test_ui_get_app ());

  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  tradeoff_test_wait_history_loaded (window);

  return window;
}

/* The panel's page: "current" or "overview". */
static GtkWidget *
panel_page (TradeoffWindow *window,
            const char     *page)
{
  GtkStack *stack = GTK_STACK (tradeoff_test_find_type (GTK_WIDGET (window->guidance_panel), GTK_TYPE_STACK));

  g_assert_nonnull (stack);
  return gtk_stack_get_child_by_name (stack, page);
}

/* The verdict shown for a claim on a page, or NULL if the claim is not there. */
static const char *
verdict_on (TradeoffWindow *window,
            const char     *page,
            const char     *claim_id)
{
  g_autofree char *name = g_strdup_printf ("claim:%s", claim_id);
  GtkWidget *row = tradeoff_test_find_named (panel_page (window, page), name);
  GtkWidget *label;

  if (row == NULL)
    return NULL;
  label = tradeoff_test_find_named (row, "verdict");
  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

/* The panel is in the window; an opened result is judged and stays in the
 * session's overview after another one is shown; the claims follow the
 * workload kind being edited. */
static void
test_guidance_results (void)
{
  TradeoffWindow *window = new_window (1000, 700);
  g_autoptr(TradeoffResult) result = tradeoff_test_make_ml_batch_result ();
  g_autofree char *path = g_build_filename (tradeoff_test_ui_get_tmp_dir (), "ml-batch-result.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint updates;

  g_free (result->scenario->name);
  result->scenario->name = g_strdup ("Hand-made ML batch");
  /* In the slot beside the charts. */
  g_assert_true (adw_bin_get_child (tradeoff_window_get_guidance_slot (window))
                 == GTK_WIDGET (window->guidance_panel));
  g_assert_true (TRADEOFF_IS_GUIDANCE_PANEL (window->guidance_panel));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (window->results_view),
                                         GTK_WIDGET (window->guidance_flap)));

  /* Nothing measured yet: every claim is listed, none tested. */
  g_assert_cmpstr (verdict_on (window, "overview", "gil-one-thread"), ==, "Not tested yet");
  g_assert_cmpstr (verdict_on (window, "overview", "streams-gracefully"), ==, "Not tested yet");

  /* A result opened from disk is judged, and brings its workload kind. */
  g_assert_true (tradeoff_result_save_file (result, path, &error));
  g_assert_no_error (error);
  tradeoff_window_open_file (window, file);
  tradeoff_test_iterate_main_loop ();
  g_assert_nonnull (tradeoff_window_get_shown_result (window));
  g_assert_cmpint (window->guidance_kind, ==, TRADEOFF_WORKLOAD_ML_BATCH);
  g_assert_cmpstr (verdict_on (window, "current", "gil-one-thread"), ==, "Supported");
  g_assert_cmpstr (verdict_on (window, "overview", "gil-one-thread"), ==, "Supported");
  /* The current page keeps to the claims about ML batch work. */
  g_assert_null (verdict_on (window, "current", "streams-gracefully"));
  g_assert_nonnull (verdict_on (window, "overview", "streams-gracefully"));

  /* Another result on screen: the opened one still counts in the session. */
  tradeoff_window_show_result (window, NULL);
  tradeoff_test_iterate_main_loop ();
  g_assert_null (tradeoff_window_get_shown_result (window));
  g_assert_cmpstr (verdict_on (window, "overview", "gil-one-thread"), ==, "Supported");

  /* Editing a field of the same kind does not judge again... */
  updates = window->n_guidance_updates;
  tradeoff_test_set_field (window, "duration_s", 2);
  g_assert_true (window->dirty);
  g_assert_cmpuint (window->n_guidance_updates, ==, updates);

  /* ...a new kind does: streaming claims come, ML batch ones go. */
  window->dirty = FALSE;
  tradeoff_window_load_preset (window, "streaming-200");
  tradeoff_test_iterate_main_loop ();
  g_assert_cmpint (window->scenario->workload.kind, ==, TRADEOFF_WORKLOAD_STREAMING);
  g_assert_cmpuint (window->n_guidance_updates, ==, updates + 1);
  g_assert_cmpint (window->guidance_kind, ==, TRADEOFF_WORKLOAD_STREAMING);
  g_assert_nonnull (verdict_on (window, "current", "streams-gracefully"));
  g_assert_null (verdict_on (window, "current", "gil-one-thread"));

  tradeoff_test_destroy_window (window);
  g_unlink (path);
}

/* Ctrl+G is bound to the toggle, which shows and hides the pane; at
 * 800x600 the pane folds rather than squeeze the charts, and is hidden. */
static void
test_guidance_toggle (void)
{
  TradeoffWindow *window = new_window (800, 600);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean bound = FALSE;
  gboolean revealed;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !bound; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !bound; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          bound = GTK_IS_NAMED_ACTION (action) && GTK_IS_KEYVAL_TRIGGER (trigger)
                  && g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                                  "win.toggle-guidance")
                  && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_g
                  && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == GDK_CONTROL_MASK;
        }
    }
  g_assert_true (bound);

  /* Charts need a scenario page on screen. */
  tradeoff_window_load_preset (window, "hello-world");
  tradeoff_test_iterate_main_loop ();
  wait_for_allocation (GTK_WIDGET (window->results_view));
  g_test_message ("at 800x600: charts %d px wide, folded %d",
                  gtk_widget_get_width (GTK_WIDGET (window->results_view)),
                  adw_flap_get_folded (window->guidance_flap));
  g_assert_true (adw_flap_get_folded (window->guidance_flap));
  g_assert_false (adw_flap_get_reveal_flap (window->guidance_flap));
  /* Folded, the pane lies over the charts: they keep the whole width. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->results_view)), ==,
                   gtk_widget_get_width (GTK_WIDGET (window->guidance_flap)));

  revealed = adw_flap_get_reveal_flap (window->guidance_flap);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-guidance", NULL));
  g_assert_cmpint (adw_flap_get_reveal_flap (window->guidance_flap), !=, revealed);
  g_assert_cmpint (gtk_toggle_button_get_active (window->guidance_button), !=, revealed);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-guidance", NULL));
  g_assert_cmpint (adw_flap_get_reveal_flap (window->guidance_flap), ==, revealed);

  /* The header button does the same. */
  gtk_toggle_button_set_active (window->guidance_button, !revealed);
  g_assert_cmpint (adw_flap_get_reveal_flap (window->guidance_flap), !=, revealed);

  tradeoff_test_destroy_window (window);
}

/* At a wide size the pane is open beside the charts, which keep their
 * natural width. */
static void
test_guidance_wide (void)
{
  TradeoffWindow *window = new_window (1900, 1000);
  int charts;

  tradeoff_window_load_preset (window, "hello-world");
  tradeoff_test_iterate_main_loop ();
  wait_for_allocation (GTK_WIDGET (window->results_view));
  charts = gtk_widget_get_width (GTK_WIDGET (window->results_view));
  g_test_message ("window %d px: charts %d px, pane %d px, folded %d",
                  gtk_widget_get_width (GTK_WIDGET (window)), charts,
                  gtk_widget_get_width (GTK_WIDGET (window->guidance_slot)),
                  adw_flap_get_folded (window->guidance_flap));
  if (gtk_widget_get_width (GTK_WIDGET (window)) < 1800)
    {
      g_test_skip ("the display would not give the window 1900 px");
      tradeoff_test_destroy_window (window);
      return;
    }
  g_assert_false (adw_flap_get_folded (window->guidance_flap));
  g_assert_true (adw_flap_get_reveal_flap (window->guidance_flap));
  g_assert_true (gtk_toggle_button_get_active (window->guidance_button));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->guidance_slot)), >=, 360);
  g_assert_cmpint (charts, >=, 600);

  tradeoff_test_destroy_window (window);
}

/* A real short run: the verdicts are judged once, when it ends, and the
 * request claims get a verdict from it. */
static void
test_guidance_after_run (void)
{
  TradeoffWindow *window = new_window (1000, 700);
  guint updates;
  const char *verdict;

  tradeoff_window_load_preset (window, "hello-world");
  tradeoff_test_iterate_main_loop ();
  tradeoff_test_set_field (window, "duration_s", 1);
  tradeoff_test_set_field (window, "warmup_s", 0);
  g_assert_cmpstr (verdict_on (window, "current", "rps-6x"), ==, "Not tested yet");

  updates = window->n_guidance_updates;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (tradeoff_window_get_running (window));
  tradeoff_test_wait_until_done (window, RUN_TIMEOUT_S);
  g_assert_false (gtk_revealer_get_reveal_child (window->error_revealer));
  g_assert_nonnull (tradeoff_window_get_shown_result (window));
  g_test_message ("verdict updates during and after the run: %u",
                  window->n_guidance_updates - updates);
  g_assert_cmpuint (window->n_guidance_updates, ==, updates + 1);

  /* hello-world measures a loop and a pool with the GIL: the claim about
   * their requests per second is decided, with the figures. */
  verdict = verdict_on (window, "current", "rps-6x");
  g_assert_nonnull (verdict);
  g_test_message ("rps-6x: %s", verdict);
  g_assert_cmpstr (verdict, !=, "Not tested yet");
  {
    GtkWidget *row = tradeoff_test_find_named (panel_page (window, "current"), "claim:rps-6x");
    const char *evidence = gtk_label_get_text (GTK_LABEL (tradeoff_test_find_named (row, "evidence")));

    g_assert_nonnull (strstr (evidence, "req/s"));
  }

  tradeoff_test_destroy_window (window);
}

/* "Test This Claim": asks about unsaved changes, loads the claim's scenario
 * as an unsaved one and starts the run; while it runs another test is
 * refused; cancelling stops it. */
static void
test_guidance_test_claim (void)
{
  TradeoffWindow *window = new_window (1000, 700);
  AdwMessageDialog *dialog;
  GtkWidget *row;
  GtkWidget *button;
  guint updates;

  tradeoff_window_load_preset (window, "hello-world");
  tradeoff_test_iterate_main_loop ();
  tradeoff_test_set_field (window, "duration_s", 2);
  g_assert_true (window->dirty);

  row = tradeoff_test_find_named (panel_page (window, "current"), "claim:gil-one-thread");
  g_assert_nonnull (row);
  button = tradeoff_test_find_named (row, "test-button");
  g_assert_true (GTK_IS_BUTTON (button));

  /* Unsaved changes are asked about first; cancelling keeps them. */
  g_signal_emit_by_name (button, "clicked");
  tradeoff_test_iterate_main_loop ();
  dialog = tradeoff_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  tradeoff_test_iterate_main_loop ();
  g_assert_false (tradeoff_window_get_running (window));
  g_assert_cmpfloat (window->scenario->workload.duration_s, ==, 2);
  g_assert_true (window->dirty);

  /* Discarding them loads the claim's scenario and runs it, at once. */
  g_signal_emit_by_name (button, "clicked");
  dialog = tradeoff_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");

  g_assert_nonnull (window->scenario);
  g_assert_cmpstr (window->scenario->name, ==, "Claim: the GIL runs one thread at a time (ML batch)");
  g_assert_cmpint (window->scenario->workload.kind, ==, TRADEOFF_WORKLOAD_ML_BATCH);
  g_assert_null (window->scenario_path);
  g_assert_null (window->preset_id);
  g_assert_false (window->dirty);
  g_assert_true (tradeoff_window_get_running (window));
  updates = window->n_guidance_updates;

  /* Another claim while running is refused; the scenario stays. */
  row = tradeoff_test_find_named (panel_page (window, "current"), "claim:node-cpu-weak");
  g_assert_nonnull (row);
  g_signal_emit_by_name (tradeoff_test_find_named (row, "test-button"), "clicked");
  g_assert_cmpstr (window->scenario->name, ==, "Claim: the GIL runs one thread at a time (ML batch)");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (tradeoff_test_find_message_dialog ());

  /* The panel is not judged again while the run streams progress. */
  for (guint i = 0; i < 10 && tradeoff_window_get_running (window); i++)
    tradeoff_test_wait_ms (30);
  if (tradeoff_window_get_running (window))
    g_assert_cmpuint (window->n_guidance_updates, ==, updates);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL)
                 || !tradeoff_window_get_running (window));
  tradeoff_test_wait_until_done (window, 30);
  g_assert_false (tradeoff_window_get_running (window));

  tradeoff_test_destroy_window (window);
}

int
main (int    argc,
      char **argv)
{
  tradeoff_test_ui_init (&argc, &argv, "test-window-guidance");

  g_test_add_func ("/window/guidance/results", test_guidance_results);
  g_test_add_func ("/window/guidance/toggle", test_guidance_toggle);
  g_test_add_func ("/window/guidance/wide", test_guidance_wide);
  g_test_add_func ("/window/guidance/after-run", test_guidance_after_run);
  g_test_add_func ("/window/guidance/test-claim", test_guidance_test_claim);

  return tradeoff_test_ui_run ();
}
