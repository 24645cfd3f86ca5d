/* test-guidance-panel.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-guidance-panel"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "tradeoff-guidance-panel.h"
#include "tradeoff-test-ui.h"

typedef struct
{
  TradeoffGuidance      *guidance;
  TradeoffGuidancePanel *panel;
  GPtrArray             *results;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "guidance.json", NULL);
  g_autoptr(GError) error = NULL;

  fixture->guidance = tradeoff_guidance_new_from_file (path, &error);
  g_assert_no_error (error);

  fixture->panel = g_object_ref_sink (TRADEOFF_GUIDANCE_PANEL (tradeoff_guidance_panel_new ()));
  tradeoff_guidance_panel_set_guidance (fixture->panel, fixture->guidance);

  fixture->results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  g_ptr_array_add (fixture->results, tradeoff_test_make_ml_batch_result ());
  tradeoff_guidance_panel_set_results (fixture->panel, fixture->results, TRADEOFF_WORKLOAD_ML_BATCH);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->panel);
  g_clear_pointer (&fixture->results, g_ptr_array_unref);
  g_clear_pointer (&fixture->guidance, tradeoff_guidance_free);
}

static guint
count_named_prefix (GtkWidget  *root,
                    const char *prefix)
{
  guint n = g_str_has_prefix (gtk_widget_get_name (root), prefix) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_named_prefix (child, prefix);
  return n;
}

static GtkWidget *
get_page (Fixture    *fixture,
          const char *name)
{
  GtkWidget *stack = tradeoff_test_find_named (GTK_WIDGET (fixture->panel), "GtkStack");
  GtkWidget *page;

  /* GtkStack's own widget name is its type name unless set. */
  g_assert_nonnull (stack);
  page = gtk_stack_get_child_by_name (GTK_STACK (stack), name);
  g_assert_nonnull (page);
  return page;
}

static void
assert_verdict (GtkWidget  *page,
                const char *claim_id,
                const char *text,
                const char *style_class)
{
  g_autofree char *name = g_strdup_printf ("claim:%s", claim_id);
  GtkWidget *row = tradeoff_test_find_named (page, name);
  GtkWidget *label;

  if (row == NULL)
    g_error ("no row for claim %s", claim_id);
  label = tradeoff_test_find_named (row, "verdict");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, text);
  g_assert_true (gtk_widget_has_css_class (label, style_class));
}

static void
test_current_workload (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *page = get_page (fixture, "current");
  GtkWidget *row;
  GtkWidget *conflict;
  GtkWidget *evidence;

  g_assert_cmpstr (tradeoff_guidance_panel_get_page (fixture->panel), ==, "current");

  assert_verdict (page, "gil-one-thread", "Supported", "success");
  assert_verdict (page, "node-cpu-weak", "Depends", "warning");
  assert_verdict (page, "node-cpu-multithread", "Depends", "warning");
  assert_verdict (page, "cpu-needs-processes", "Not tested yet", "dim-label");

  /* The deciding figures and the sources are on the row. */
  row = tradeoff_test_find_named (page, "claim:gil-one-thread");
  evidence = tradeoff_test_find_named (row, "evidence");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (evidence)),
                            "2 workers 240 req/s, 8 workers 250 req/s"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (tradeoff_test_find_named (row, "sources"))), "Sunscrapers"));
  g_assert_nonnull (tradeoff_test_find_named (row, "test-button"));
  row = tradeoff_test_find_named (page, "claim:node-cpu-weak");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (tradeoff_test_find_named (row, "condition"))),
                            "only without offload workers"));

  /* The claims the articles disagree on are in one list. */
  row = tradeoff_test_find_named (page, "claim:node-cpu-weak");
  conflict = gtk_widget_get_ancestor (row, GTK_TYPE_LIST_BOX);
  g_assert_true (g_str_has_prefix (gtk_widget_get_name (conflict), "conflict:"));
  g_assert_nonnull (tradeoff_test_find_named (conflict, "claim:node-cpu-multithread"));

  /* Claims about other workloads stay out. */
  g_assert_null (tradeoff_test_find_named (page, "claim:streams-gracefully"));
  g_assert_null (tradeoff_test_find_named (page, "claim:loop-thousands"));

  /* Switching to the chat workload shows the chat claims. */
  tradeoff_guidance_panel_set_results (fixture->panel, fixture->results, TRADEOFF_WORKLOAD_CHAT);
  page = get_page (fixture, "current");
  assert_verdict (page, "loop-thousands", "Not tested yet", "dim-label");
  g_assert_null (tradeoff_test_find_named (page, "claim:gil-one-thread"));
}

static void
test_overview (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *page = get_page (fixture, "overview");

  tradeoff_guidance_panel_set_page (fixture->panel, "overview");
  g_assert_cmpstr (tradeoff_guidance_panel_get_page (fixture->panel), ==, "overview");

  /* Every claim, whatever the workload. */
  g_assert_cmpuint (count_named_prefix (page, "claim:"), ==, fixture->guidance->claims->len);
  assert_verdict (page, "gil-one-thread", "Supported", "success");
  assert_verdict (page, "node-cpu-weak", "Depends", "warning");
  assert_verdict (page, "streams-gracefully", "Not tested yet", "dim-label");
  assert_verdict (page, "python-cpu-heavy-ok", "Contradicted", "error");
}

static void
on_test_claim_cb (TradeoffGuidancePanel *panel,
                  const char            *claim_id,
                  gpointer               scenario,
                  gpointer               user_data)
{
  TradeoffScenario **out = user_data;
  const TradeoffScenario *received = scenario;

  g_assert_cmpstr (claim_id, ==, "gil-one-thread");
  g_assert_null (*out);
  *out = tradeoff_scenario_copy (received);
}

static void
test_test_claim_signal (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TradeoffScenario) scenario = NULL;
  GtkWidget *page = get_page (fixture, "current");
  GtkWidget *row = tradeoff_test_find_named (page, "claim:gil-one-thread");
  GtkWidget *button = tradeoff_test_find_named (row, "test-button");

  g_signal_connect (fixture->panel, "test-claim", G_CALLBACK (on_test_claim_cb), &scenario);
  g_signal_emit_by_name (button, "clicked");

  g_assert_nonnull (scenario);
  g_assert_cmpint (scenario->workload.kind, ==, TRADEOFF_WORKLOAD_ML_BATCH);
  g_assert_cmpuint (scenario->engines->len, ==, 3);
  g_assert_true (tradeoff_scenario_validate (scenario, NULL));
}

static void
test_no_results (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *page;

  tradeoff_guidance_panel_set_results (fixture->panel, NULL, TRADEOFF_WORKLOAD_STREAMING);
  page = get_page (fixture, "current");
  assert_verdict (page, "streams-gracefully", "Not tested yet", "dim-label");
  assert_verdict (page, "data-intensive-loop", "Not tested yet", "dim-label");
  page = get_page (fixture, "overview");
  g_assert_cmpuint (count_named_prefix (page, "claim:"), ==, fixture->guidance->claims->len);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/guidance-panel/current-workload", Fixture, NULL, fixture_setup, test_current_workload,
              fixture_teardown);
  g_test_add ("/guidance-panel/overview", Fixture, NULL, fixture_setup, test_overview, fixture_teardown);
  g_test_add ("/guidance-panel/test-claim-signal", Fixture, NULL, fixture_setup, test_test_claim_signal,
              fixture_teardown);
  g_test_add ("/guidance-panel/no-results", Fixture, NULL, fixture_setup, test_no_results, fixture_teardown);

  return g_test_run ();
}
