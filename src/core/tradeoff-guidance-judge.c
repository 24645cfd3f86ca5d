/* tradeoff-guidance-judge.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Judging the claims: each rule of tradeoff-guidance.c's language measured
 * on the results at hand, mapped through its bands to a verdict, with the
 * figures that decided it. */

#define G_LOG_DOMAIN "tradeoff-guidance"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tradeoff-guidance-private.h"

static TradeoffVerdict *
apply_bands (const TradeoffRule *rule,
             double              value)
{
  for (guint i = 0; i < rule->bands->len; i++)
    {
      const Band *band = &g_array_index (rule->bands, Band, i);

      if (isnan (band->below) || value < band->below)
        {
          TradeoffVerdict *verdict = tradeoff_guidance_verdict_new (band->verdict);

          verdict->value = value;
          verdict->claimed = rule->claimed;
          if (band->condition != NULL)
            verdict->condition = g_strdup (_(band->condition));
          return verdict;
        }
    }
  g_assert_not_reached ();
}

static TradeoffVerdict *
judge_ratio (const TradeoffRule *rule,
             GPtrArray          *results)
{
  TradeoffVerdict *verdict;
  gboolean unmeasured = FALSE;

  /* The most recent result that has both sides decides: same scenario, same load. */
  for (guint i = results->len; i > 0; i--)
    {
      const TradeoffResult *result = results->pdata[i - 1];
      TradeoffWorkloadKind kind = result->scenario->workload.kind;
      g_autofree char *text_a = NULL;
      g_autofree char *text_b = NULL;
      g_autofree char *text_ratio = NULL;
      double a = tradeoff_guidance_selection_figure (rule->a, result, rule->figure, NULL);
      double b = tradeoff_guidance_selection_figure (rule->b, result, rule->figure, NULL);
      double shown_a = a;
      double shown_b = b;
      double ratio;

      if (isnan (a) || isnan (b))
        {
          unmeasured = unmeasured ||
                       (tradeoff_guidance_selection_has_run (rule->a, result) &&
                        tradeoff_guidance_selection_has_run (rule->b, result));
          continue;
        }

      if (!isnan (rule->floor))
        {
          a = MAX (a, rule->floor);
          b = MAX (b, rule->floor);
        }
      if (b > 0)
        ratio = a / b;
      else if (a > 0)
        ratio = INFINITY;
      else
        ratio = 1.0;

      verdict = apply_bands (rule, ratio);
      tradeoff_guidance_add_figure (verdict, _(rule->a->label), rule->figure, kind, shown_a);
      tradeoff_guidance_add_figure (verdict, _(rule->b->label), rule->figure, kind, shown_b);

      text_a = tradeoff_guidance_format_figure (rule->figure, kind, shown_a);
      text_b = tradeoff_guidance_format_figure (rule->figure, kind, shown_b);
      text_ratio = tradeoff_guidance_format_ratio (rule, ratio);
      /* Translators: "event loop: 812 req/s; pool with GIL: 798 req/s; ratio 1.02 (in “Scenario”)" */
      verdict->evidence = g_strdup_printf (_("%s: %s; %s: %s; %s (in “%s”)"),
                                           _(rule->a->label), text_a, _(rule->b->label), text_b,
                                           text_ratio, result->scenario->name ? result->scenario->name : "");
      tradeoff_guidance_note_driver_limit (verdict, rule->figure,
                                           tradeoff_guidance_selection_driver_limited (rule->a, result) ||
                                           tradeoff_guidance_selection_driver_limited (rule->b, result));
      return verdict;
    }

  verdict = tradeoff_guidance_verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
  if (unmeasured &&
      (rule->figure == FIGURE_CAPACITY_PER_CORE || rule->figure == FIGURE_SERVER_CPU_US_PER_REQUEST))
    /* Translators: completes "Needs %s" */
    verdict->evidence = g_strdup_printf (_("a run of %s and a run of %s in the same scenario, with the "
                                           "server's CPU time measured (a url engine has none)"),
                                         _(rule->a->label), _(rule->b->label));
  else
    /* Translators: completes "Needs %s" */
    verdict->evidence = g_strdup_printf (_("a run of %s and a run of %s in the same scenario"),
                                         _(rule->a->label), _(rule->b->label));
  return verdict;
}

typedef struct
{
  double  param;
  GArray *values;  /* double */
} Group;

static void
group_clear (gpointer data)
{
  Group *group = data;

  g_clear_pointer (&group->values, g_array_unref);
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  return tradeoff_guidance_compare_doubles (&((const Group *) a)->param,
                                            &((const Group *) b)->param);
}

static void
collect_groups (const TradeoffRule   *rule,
                const TradeoffResult *result,
                GArray               *groups)
{
  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = result->runs->pdata[i];
      double param;
      double value;
      Group *group = NULL;

      if (!tradeoff_guidance_selection_matches (rule->a, result, run))
        continue;
      param = tradeoff_guidance_param_value (result, run, rule->by);
      value = tradeoff_guidance_figure_value (result, run, rule->figure);
      if (isnan (param) || !isfinite (value))
        continue;

      for (guint j = 0; j < groups->len && group == NULL; j++)
        if (g_array_index (groups, Group, j).param == param)
          group = &g_array_index (groups, Group, j);
      if (group == NULL)
        {
          Group fresh = { param, g_array_new (FALSE, FALSE, sizeof (double)) };

          g_array_append_val (groups, fresh);
          group = &g_array_index (groups, Group, groups->len - 1);
        }
      g_array_append_val (group->values, value);
    }
}

static TradeoffVerdict *
judge_sweep (const TradeoffRule *rule,
             GPtrArray          *results)
{
  g_autoptr(GArray) groups = NULL;
  const TradeoffResult *source = NULL;
  TradeoffVerdict *verdict;
  GString *list;
  double first;
  double last;
  double ratio;

  if (tradeoff_guidance_param_is_engine (rule->by))
    {
      /* Engine parameters sweep within one scenario: the most recent one
       * with at least two values. */
      for (guint i = results->len; i > 0; i--)
        {
          g_clear_pointer (&groups, g_array_unref);
          groups = g_array_new (FALSE, FALSE, sizeof (Group));
          g_array_set_clear_func (groups, group_clear);
          collect_groups (rule, results->pdata[i - 1], groups);
          if (groups->len >= 2)
            {
              source = results->pdata[i - 1];
              break;
            }
        }
    }
  else
    {
      groups = g_array_new (FALSE, FALSE, sizeof (Group));
      g_array_set_clear_func (groups, group_clear);
      for (guint i = 0; i < results->len; i++)
        {
          collect_groups (rule, results->pdata[i], groups);
          if (groups->len > 0 && source == NULL)
            source = results->pdata[i];
        }
    }

  if (groups == NULL || groups->len < 2)
    {
      verdict = tradeoff_guidance_verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
      /* Translators: completes "Needs %s": "runs of pool with GIL at two or more values of workers" */
      verdict->evidence = g_strdup_printf (_("runs of %s at two or more values of %s"),
                                           _(rule->a->label), tradeoff_guidance_param_names[rule->by]);
      return verdict;
    }

  g_array_sort (groups, compare_groups);
  first = tradeoff_guidance_pick_value (rule->a->pick, g_array_index (groups, Group, 0).values);
  last = tradeoff_guidance_pick_value (rule->a->pick,
                                       g_array_index (groups, Group, groups->len - 1).values);
  if (first > 0)
    ratio = last / first;
  else
    ratio = last > 0 ? INFINITY : 1.0;

  verdict = apply_bands (rule, ratio);

  list = g_string_new (NULL);
  for (guint i = 0; i < groups->len; i++)
    {
      const Group *group = &g_array_index (groups, Group, i);
      double value = tradeoff_guidance_pick_value (rule->a->pick, group->values);
      TradeoffWorkloadKind kind = source->scenario->workload.kind;
      g_autofree char *param = tradeoff_guidance_format_param (rule->by, group->param);
      g_autofree char *text = tradeoff_guidance_format_figure (rule->figure, kind, value);
      g_autofree char *label = g_strdup_printf ("%s, %s", _(rule->a->label), param);

      tradeoff_guidance_add_figure (verdict, label, rule->figure, kind, value);
      if (i > 0)
        g_string_append (list, _(", "));
      /* Translators: "1 worker 812 req/s" */
      g_string_append_printf (list, _("%s %s"), param, text);
    }

  {
    g_autofree char *text_ratio = tradeoff_guidance_format_ratio (rule, ratio);
    g_autofree char *items = g_string_free (list, FALSE);

    /* Translators: "pool with GIL: 1 worker 812 req/s, 8 workers 798 req/s; largest over smallest: ratio 0.98" */
    verdict->evidence = g_strdup_printf (_("%s: %s; largest over smallest: %s"),
                                         _(rule->a->label), items, text_ratio);
  }
  return verdict;
}

static TradeoffVerdict *
judge_value (const TradeoffRule *rule,
             GPtrArray          *results)
{
  TradeoffVerdict *verdict;

  for (guint i = results->len; i > 0; i--)
    {
      const TradeoffResult *result = results->pdata[i - 1];
      TradeoffWorkloadKind kind = result->scenario->workload.kind;
      g_autofree char *text = NULL;
      double value = tradeoff_guidance_selection_figure (rule->a, result, rule->figure, NULL);

      if (isnan (value))
        continue;

      verdict = apply_bands (rule, value);
      tradeoff_guidance_add_figure (verdict, _(rule->a->label), rule->figure, kind, value);
      text = tradeoff_guidance_format_figure (rule->figure, kind, value);
      /* Translators: "plain event loop: 0.98 cores of work done (in “Scenario”)" */
      verdict->evidence = g_strdup_printf (_("%s: %s (in “%s”)"), _(rule->a->label), text,
                                           result->scenario->name ? result->scenario->name : "");
      tradeoff_guidance_note_driver_limit (verdict, rule->figure,
                                           tradeoff_guidance_selection_driver_limited (rule->a, result));
      return verdict;
    }

  verdict = tradeoff_guidance_verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
  /* Translators: completes "Needs %s" */
  verdict->evidence = g_strdup_printf (_("a run of %s"), _(rule->a->label));
  return verdict;
}

static TradeoffVerdict *judge_rule (const TradeoffRule *rule,
                                    GPtrArray          *results);

static TradeoffVerdict *
judge_first_of (const TradeoffRule *rule,
                GPtrArray          *results)
{
  g_autoptr(GPtrArray) needs = g_ptr_array_new_with_free_func (g_free);
  TradeoffVerdict *verdict;

  for (guint i = 0; i < rule->rules->len; i++)
    {
      const TradeoffRule *sub = rule->rules->pdata[i];

      verdict = judge_rule (sub, results);
      if (verdict->kind != TRADEOFF_VERDICT_NOT_TESTED)
        {
          g_free (verdict->basis);
          verdict->basis = g_strdup (_(sub->basis));
          return verdict;
        }
      g_ptr_array_add (needs, g_steal_pointer (&verdict->evidence));
      tradeoff_verdict_free (verdict);
    }

  g_ptr_array_add (needs, NULL);
  verdict = tradeoff_guidance_verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
  /* Translators: joins the alternatives that would each test a claim */
  verdict->evidence = g_strjoinv (_(", or "), (char **) needs->pdata);
  return verdict;
}

static TradeoffVerdict *
judge_all (const TradeoffRule *rule,
           GPtrArray          *results)
{
  g_autoptr(GPtrArray) subs = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_verdict_free);
  g_autoptr(GPtrArray) evidence = g_ptr_array_new ();
  g_autoptr(GPtrArray) holds = g_ptr_array_new ();
  g_autoptr(GPtrArray) depends = g_ptr_array_new ();
  TradeoffVerdictKind agreed = TRADEOFF_VERDICT_NOT_TESTED;
  gboolean disagree = FALSE;
  TradeoffVerdict *verdict;
  guint n_tested = 0;

  for (guint i = 0; i < rule->rules->len; i++)
    {
      const TradeoffRule *sub_rule = rule->rules->pdata[i];
      TradeoffVerdict *sub = judge_rule (sub_rule, results);

      g_ptr_array_add (subs, sub);
      if (sub->kind == TRADEOFF_VERDICT_NOT_TESTED)
        continue;

      n_tested++;
      if (agreed == TRADEOFF_VERDICT_NOT_TESTED)
        agreed = sub->kind;
      else if (agreed != sub->kind)
        disagree = TRUE;

      if (sub->kind == TRADEOFF_VERDICT_SUPPORTED && sub_rule->holds != NULL)
        g_ptr_array_add (holds, (gpointer) _(sub_rule->holds));
      if (sub->kind == TRADEOFF_VERDICT_DEPENDS && sub->condition != NULL)
        g_ptr_array_add (depends, sub->condition);
    }

  if (n_tested == 0)
    {
      for (guint i = 0; i < subs->len; i++)
        {
          char *need = ((TradeoffVerdict *) subs->pdata[i])->evidence;

          if (!g_ptr_array_find_with_equal_func (evidence, need, g_str_equal, NULL))
            g_ptr_array_add (evidence, need);
        }
      g_ptr_array_add (evidence, NULL);
      verdict = tradeoff_guidance_verdict_new (TRADEOFF_VERDICT_NOT_TESTED);
      /* Translators: joins the runs that would test a claim */
      verdict->evidence = g_strjoinv (_("; and "), (char **) evidence->pdata);
      return verdict;
    }

  /* The measured parts, then what the untested parts need. */
  for (guint i = 0; i < subs->len; i++)
    {
      TradeoffVerdict *sub = subs->pdata[i];

      if (sub->kind == TRADEOFF_VERDICT_NOT_TESTED)
        {
          char *need = g_strdup_printf (_("Needs %s"), sub->evidence);

          g_free (sub->evidence);
          sub->evidence = need;
        }
      g_ptr_array_add (evidence, sub->evidence);
    }

  if (!disagree && agreed != TRADEOFF_VERDICT_DEPENDS)
    verdict = tradeoff_guidance_verdict_new (agreed);
  else
    {
      verdict = tradeoff_guidance_verdict_new (TRADEOFF_VERDICT_DEPENDS);
      if (holds->len > 0)
        {
          g_ptr_array_add (holds, NULL);
          verdict->condition = g_strjoinv (_("; "), (char **) holds->pdata);
        }
      else if (depends->len > 0)
        {
          g_ptr_array_add (depends, NULL);
          verdict->condition = g_strjoinv (_("; "), (char **) depends->pdata);
        }
      else
        verdict->condition = g_strdup (_(rule->condition));
    }

  /* With one part measured, its number is the claim's. */
  if (n_tested == 1)
    for (guint i = 0; i < subs->len; i++)
      {
        TradeoffVerdict *sub = subs->pdata[i];

        if (sub->kind != TRADEOFF_VERDICT_NOT_TESTED)
          {
            verdict->value = sub->value;
            verdict->claimed = sub->claimed;
          }
      }

  g_ptr_array_add (evidence, NULL);
  verdict->evidence = g_strjoinv ("\n", (char **) evidence->pdata);
  for (guint i = 0; i < subs->len; i++)
    {
      TradeoffVerdict *sub = subs->pdata[i];

      /* The figures move to the combined verdict. */
      g_ptr_array_set_free_func (sub->figures, NULL);
      for (guint j = 0; j < sub->figures->len; j++)
        g_ptr_array_add (verdict->figures, sub->figures->pdata[j]);
      g_ptr_array_set_size (sub->figures, 0);
    }
  return verdict;
}

static TradeoffVerdict *
judge_rule (const TradeoffRule *rule,
            GPtrArray          *results)
{
  switch (rule->type)
    {
    case RULE_RATIO:
      return judge_ratio (rule, results);
    case RULE_SWEEP:
      return judge_sweep (rule, results);
    case RULE_VALUE:
      return judge_value (rule, results);
    case RULE_FIRST_OF:
      return judge_first_of (rule, results);
    case RULE_ALL:
      return judge_all (rule, results);
    default:
      g_assert_not_reached ();
    }
}

TradeoffVerdict *
tradeoff_guidance_judge (const TradeoffGuidance *self,
                         const TradeoffClaim    *claim,
                         GPtrArray              *results)
{
  g_autoptr(GPtrArray) usable = NULL;
  TradeoffVerdict *verdict;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (claim != NULL, NULL);

  /* Results without a scenario cannot be matched; they are skipped. */
  usable = g_ptr_array_new ();
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      TradeoffResult *result = results->pdata[i];

      if (result != NULL && result->scenario != NULL && result->runs != NULL)
        g_ptr_array_add (usable, result);
    }

  verdict = judge_rule (claim->rule, usable);
  verdict->claim_id = g_strdup (claim->id);
  if (verdict->kind == TRADEOFF_VERDICT_NOT_TESTED)
    {
      /* Translators: "Needs a run of event loop and a run of thread pool in the same scenario" */
      char *need = g_strdup_printf (_("Needs %s"), verdict->evidence);

      g_free (verdict->evidence);
      verdict->evidence = need;
    }
  return verdict;
}

GPtrArray *
tradeoff_guidance_judge_all (const TradeoffGuidance *self,
                             GPtrArray              *results)
{
  GPtrArray *verdicts;

  g_return_val_if_fail (self != NULL, NULL);

  verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_verdict_free);
  for (guint i = 0; i < self->claims->len; i++)
    g_ptr_array_add (verdicts, tradeoff_guidance_judge (self, self->claims->pdata[i], results));
  return verdicts;
}
