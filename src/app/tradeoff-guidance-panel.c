/* tradeoff-guidance-panel.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The guidance panel. Verdicts are computed once per set_results() and the
 * rows rebuilt from them: there are a few dozen at most, so rebuilding is
 * simpler than diffing. Each claim row is named "claim:ID" and its parts
 * "verdict", "condition", "evidence", "sources" and "test-button", which
 * the tests (and the accessibility tree) rely on. */

#define G_LOG_DOMAIN "tradeoff-guidance-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-guidance-panel.h"

struct _TradeoffGuidancePanel
{
  GtkBox                  parent_instance;

  /* Template widgets */
  GtkStack               *stack;
  GtkBox                 *current_box;
  GtkLabel               *overview_summary;
  GtkListBox             *overview_list;

  /* Owned */
  GPtrArray              *verdicts;       /* TradeoffVerdict* */

  /* Borrowed */
  const TradeoffGuidance *guidance;
  TradeoffWorkloadKind    current_kind;
};

enum {
  TEST_CLAIM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffGuidancePanel, tradeoff_guidance_panel, GTK_TYPE_BOX)

const char *
tradeoff_verdict_kind_to_style_class (TradeoffVerdictKind kind)
{
  switch (kind)
    {
    case TRADEOFF_VERDICT_SUPPORTED:
      return "success";
    case TRADEOFF_VERDICT_CONTRADICTED:
      return "error";
    case TRADEOFF_VERDICT_DEPENDS:
      return "warning";
    case TRADEOFF_VERDICT_NOT_TESTED:
    default:
      return "dim-label";
    }
}

static const TradeoffGuidance *
get_guidance (TradeoffGuidancePanel *self)
{
  if (self->guidance == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* The shipped claims are checked by the tests; failing here is a broken build. */
      self->guidance = tradeoff_guidance_get_default (&error);
      if (self->guidance == NULL)
        g_critical ("The guidance claims could not be loaded: %s", error->message);
    }
  return self->guidance;
}

static const TradeoffVerdict *
find_verdict (TradeoffGuidancePanel *self,
              const char            *claim_id)
{
  for (guint i = 0; self->verdicts != NULL && i < self->verdicts->len; i++)
    {
      const TradeoffVerdict *verdict = self->verdicts->pdata[i];

      if (g_str_equal (verdict->claim_id, claim_id))
        return verdict;
    }
  return NULL;
}

static void
remove_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_BOX (parent))
        gtk_box_remove (GTK_BOX (parent), child);
      else
        gtk_list_box_remove (GTK_LIST_BOX (parent), child);
    }
}

static GtkWidget *
make_label (const char *text,
            const char *name,
            const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_name (label, name);
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);
  return label;
}

static GtkWidget *
make_verdict_label (TradeoffVerdictKind kind)
{
  GtkWidget *label = gtk_label_new (tradeoff_verdict_kind_to_label (kind));

  gtk_widget_set_name (label, "verdict");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "verdict");
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, tradeoff_verdict_kind_to_style_class (kind));
  return label;
}

static char *
format_sources (const TradeoffClaim *claim)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < claim->sources->len; i++)
    {
      g_autofree char *source = tradeoff_source_format (claim->sources->pdata[i]);

      if (i > 0)
        g_string_append (str, _("; "));
      g_string_append (str, source);
    }
  return g_string_free (str, FALSE);
}

static void
on_test_button_clicked_cb (TradeoffGuidancePanel *self,
                           GtkButton             *button)
{
  const char *claim_id = g_object_get_data (G_OBJECT (button), "claim-id");
  const TradeoffGuidance *guidance = get_guidance (self);
  g_autoptr(TradeoffScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  const TradeoffClaim *claim;

  g_assert (claim_id != NULL);

  if (guidance == NULL || (claim = tradeoff_guidance_lookup (guidance, claim_id)) == NULL)
    return;

  scenario = tradeoff_claim_dup_scenario (claim, &error);
  if (scenario == NULL)
    {
      g_critical ("The scenario of claim %s is broken: %s", claim_id, error->message);
      return;
    }

  g_signal_emit (self, signals[TEST_CLAIM], 0, claim_id, scenario);
}

static GtkWidget *
make_claim_row (TradeoffGuidancePanel *self,
                const TradeoffClaim   *claim,
                const TradeoffVerdict *verdict)
{
  g_autofree char *name = g_strdup_printf ("claim:%s", claim->id);
  g_autofree char *sources = format_sources (claim);
  g_autofree char *sources_text = g_strdup_printf (_("Sources: %s"), sources);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *verdict_label = make_verdict_label (verdict->kind);
  GtkWidget *paraphrase = make_label (_(claim->paraphrase), "paraphrase", NULL);
  GtkWidget *button;

  gtk_widget_set_name (row, name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);

  /* The verdict first, then the claim at the pane's full width: a narrow
   * pane has no room for both on one line. */
  gtk_widget_set_halign (verdict_label, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), verdict_label);
  gtk_widget_add_css_class (paraphrase, "heading");
  gtk_box_append (GTK_BOX (box), paraphrase);

  if (verdict->condition != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Condition: %s"), verdict->condition);
      gtk_box_append (GTK_BOX (box), make_label (text, "condition", "warning"));
    }
  if (verdict->basis != NULL)
    gtk_box_append (GTK_BOX (box), make_label (verdict->basis, "basis", "caption"));
  gtk_box_append (GTK_BOX (box), make_label (verdict->evidence, "evidence", "caption"));
  gtk_box_append (GTK_BOX (box), make_label (sources_text, "sources", "dim-label"));

  button = gtk_button_new_with_mnemonic (_("_Test This Claim"));
  gtk_widget_set_name (button, "test-button");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, _("Load and run the scenario that tests this claim"));
  g_object_set_data_full (G_OBJECT (button), "claim-id", g_strdup (claim->id), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_test_button_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), button);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static GtkWidget *
make_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static GtkWidget *
make_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
rebuild_current (TradeoffGuidancePanel *self)
{
  const TradeoffGuidance *guidance = get_guidance (self);
  GtkWidget *list = NULL;

  remove_children (GTK_WIDGET (self->current_box));
  if (guidance == NULL)
    return;

  /* Claims on their own first... */
  for (guint i = 0; i < guidance->claims->len; i++)
    {
      const TradeoffClaim *claim = guidance->claims->pdata[i];
      const TradeoffVerdict *verdict = find_verdict (self, claim->id);

      if (!tradeoff_claim_speaks_to (claim, self->current_kind) || claim->contradicts->len > 0 ||
          verdict == NULL)
        continue;

      if (list == NULL)
        {
          gtk_box_append (self->current_box, make_heading (_("What the Articles Claim")));
          list = make_list ();
          gtk_widget_set_name (list, "claims");
          gtk_box_append (self->current_box, list);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), make_claim_row (self, claim, verdict));
    }

  /* ...then each group of claims the articles disagree on, together, when
   * one of them speaks to this workload. */
  for (guint i = 0; i < guidance->conflicts->len; i++)
    {
      const TradeoffConflict *conflict = guidance->conflicts->pdata[i];
      g_autofree char *name = g_strdup_printf ("conflict:%u", i);
      gboolean relevant = FALSE;
      GtkWidget *note;

      for (guint j = 0; j < conflict->claim_ids->len && !relevant; j++)
        relevant = tradeoff_claim_speaks_to (tradeoff_guidance_lookup (guidance, conflict->claim_ids->pdata[j]),
                                             self->current_kind);
      if (!relevant)
        continue;

      gtk_box_append (self->current_box, make_heading (_("The Articles Disagree")));
      note = make_label (_(conflict->note), "conflict-note", "dim-label");
      gtk_box_append (self->current_box, note);

      list = make_list ();
      gtk_widget_set_name (list, name);
      gtk_box_append (self->current_box, list);
      for (guint j = 0; j < conflict->claim_ids->len; j++)
        {
          const TradeoffClaim *claim = tradeoff_guidance_lookup (guidance, conflict->claim_ids->pdata[j]);
          const TradeoffVerdict *verdict = find_verdict (self, claim->id);

          if (verdict != NULL)
            gtk_list_box_append (GTK_LIST_BOX (list), make_claim_row (self, claim, verdict));
        }
    }
}

static void
rebuild_overview (TradeoffGuidancePanel *self)
{
  const TradeoffGuidance *guidance = get_guidance (self);
  guint counts[TRADEOFF_VERDICT_DEPENDS + 1] = { 0 };
  g_autofree char *summary = NULL;

  remove_children (GTK_WIDGET (self->overview_list));
  if (guidance == NULL)
    return;

  for (guint i = 0; i < guidance->claims->len; i++)
    {
      const TradeoffClaim *claim = guidance->claims->pdata[i];
      const TradeoffVerdict *verdict = find_verdict (self, claim->id);
      g_autofree char *name = g_strdup_printf ("claim:%s", claim->id);
      g_autofree char *title = NULL;
      GtkWidget *row;

      if (verdict == NULL)
        continue;
      counts[verdict->kind]++;

      row = adw_action_row_new ();
      gtk_widget_set_name (row, name);
      title = g_markup_escape_text (_(claim->paraphrase), -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (verdict->condition != NULL)
        {
          g_autofree char *condition = g_markup_escape_text (verdict->condition, -1);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), condition);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_verdict_label (verdict->kind));
      gtk_widget_set_tooltip_text (row, verdict->evidence);
      gtk_list_box_append (self->overview_list, row);
    }

  /* Translators: the overview's tally, e.g. "3 supported, 2 contradicted, 1 depends, 11 not tested yet" */
  summary = g_strdup_printf (_("%u supported, %u contradicted, %u depend on a condition, %u not tested yet"),
                             counts[TRADEOFF_VERDICT_SUPPORTED], counts[TRADEOFF_VERDICT_CONTRADICTED],
                             counts[TRADEOFF_VERDICT_DEPENDS], counts[TRADEOFF_VERDICT_NOT_TESTED]);
  gtk_label_set_text (self->overview_summary, summary);
}

static void
tradeoff_guidance_panel_dispose (GObject *object)
{
  TradeoffGuidancePanel *self = (TradeoffGuidancePanel *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_GUIDANCE_PANEL);
  g_clear_pointer (&self->verdicts, g_ptr_array_unref);

  G_OBJECT_CLASS (tradeoff_guidance_panel_parent_class)->dispose (object);
}

static void
tradeoff_guidance_panel_class_init (TradeoffGuidancePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tradeoff_guidance_panel_dispose;

  /**
   * TradeoffGuidancePanel::test-claim:
   * @claim_id: the claim's id
   * @scenario: (type gpointer): the claim's TradeoffScenario, borrowed for the emission
   *
   * The user asked to run the scenario that tests the claim.
   */
  signals[TEST_CLAIM] = g_signal_new ("test-claim",
                                      G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-guidance-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffGuidancePanel, stack);
  gtk_widget_class_bind_template_child (widget_class, TradeoffGuidancePanel, current_box);
  gtk_widget_class_bind_template_child (widget_class, TradeoffGuidancePanel, overview_summary);
  gtk_widget_class_bind_template_child (widget_class, TradeoffGuidancePanel, overview_list);
}

static void
tradeoff_guidance_panel_init (TradeoffGuidancePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->current_kind = TRADEOFF_WORKLOAD_REQUEST;
}

GtkWidget *
tradeoff_guidance_panel_new (void)
{
  return g_object_new (TRADEOFF_TYPE_GUIDANCE_PANEL, NULL);
}

void
tradeoff_guidance_panel_set_guidance (TradeoffGuidancePanel  *self,
                                      const TradeoffGuidance *guidance)
{
  g_return_if_fail (TRADEOFF_IS_GUIDANCE_PANEL (self));

  self->guidance = guidance;
  g_clear_pointer (&self->verdicts, g_ptr_array_unref);
  rebuild_current (self);
  rebuild_overview (self);
}

void
tradeoff_guidance_panel_set_results (TradeoffGuidancePanel *self,
                                     GPtrArray             *results,
                                     TradeoffWorkloadKind   current_kind)
{
  const TradeoffGuidance *guidance;
  g_autoptr(GPtrArray) none = NULL;

  g_return_if_fail (TRADEOFF_IS_GUIDANCE_PANEL (self));
  g_return_if_fail (current_kind <= TRADEOFF_WORKLOAD_STREAMING);

  guidance = get_guidance (self);
  if (guidance == NULL)
    return;

  if (results == NULL)
    results = none = g_ptr_array_new ();

  g_clear_pointer (&self->verdicts, g_ptr_array_unref);
  self->verdicts = tradeoff_guidance_judge_all (guidance, results);
  self->current_kind = current_kind;

  rebuild_current (self);
  rebuild_overview (self);
}

const char *
tradeoff_guidance_panel_get_page (TradeoffGuidancePanel *self)
{
  g_return_val_if_fail (TRADEOFF_IS_GUIDANCE_PANEL (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
tradeoff_guidance_panel_set_page (TradeoffGuidancePanel *self,
                                  const char            *page)
{
  g_return_if_fail (TRADEOFF_IS_GUIDANCE_PANEL (self));
  g_return_if_fail (g_strcmp0 (page, "current") == 0 || g_strcmp0 (page, "overview") == 0);

  gtk_stack_set_visible_child_name (self->stack, page);
}
