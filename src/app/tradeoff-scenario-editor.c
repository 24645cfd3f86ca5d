/* tradeoff-scenario-editor.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The scenario's name, its workload and its engines, on one scrolling
 * page. After every edit the whole scenario is validated by the model, and
 * the verdict is the `valid` property the window binds Run to. */

#define G_LOG_DOMAIN "tradeoff-scenario-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-scenario-editor.h"

struct _TradeoffScenarioEditor
{
  AdwBin                  parent_instance;

  /* Template widgets */
  AdwEntryRow            *name_row;
  TradeoffWorkloadEditor *workload_editor;
  TradeoffEngineList     *engine_list;

  /* Borrowed */
  TradeoffScenario       *scenario;

  char                   *problem;
  guint                   updating : 1;
};

enum {
  PROP_0,
  PROP_VALID,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffScenarioEditor, tradeoff_scenario_editor, ADW_TYPE_BIN)

static void
revalidate (TradeoffScenarioEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  gboolean was_valid = self->problem == NULL;

  if (self->scenario == NULL)
    problem = g_strdup (_("No scenario is open"));
  else if (self->scenario->engines->len == 0)
    problem = g_strdup (_("engines: add at least one engine to run"));
  else if (!tradeoff_scenario_validate (self->scenario, &error))
    problem = g_strdup (error->message);

  if (g_strcmp0 (problem, self->problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_steal_pointer (&problem);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
  if (was_valid != (self->problem == NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
on_part_changed_cb (TradeoffScenarioEditor *self)
{
  if (self->updating)
    return;

  revalidate (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_name_changed_cb (TradeoffScenarioEditor *self)
{
  if (self->updating || self->scenario == NULL)
    return;

  g_free (self->scenario->name);
  self->scenario->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  on_part_changed_cb (self);
}

static void
tradeoff_scenario_editor_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  TradeoffScenarioEditor *self = TRADEOFF_SCENARIO_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, tradeoff_scenario_editor_get_valid (self));
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tradeoff_scenario_editor_dispose (GObject *object)
{
  TradeoffScenarioEditor *self = TRADEOFF_SCENARIO_EDITOR (object);

  self->scenario = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_SCENARIO_EDITOR);

  G_OBJECT_CLASS (tradeoff_scenario_editor_parent_class)->dispose (object);
}

static void
tradeoff_scenario_editor_finalize (GObject *object)
{
  TradeoffScenarioEditor *self = TRADEOFF_SCENARIO_EDITOR (object);

  g_free (self->problem);

  G_OBJECT_CLASS (tradeoff_scenario_editor_parent_class)->finalize (object);
}

static void
tradeoff_scenario_editor_class_init (TradeoffScenarioEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tradeoff_scenario_editor_get_property;
  object_class->dispose = tradeoff_scenario_editor_dispose;
  object_class->finalize = tradeoff_scenario_editor_finalize;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TRADEOFF_TYPE_WORKLOAD_EDITOR);
  g_type_ensure (TRADEOFF_TYPE_ENGINE_LIST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-scenario-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffScenarioEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffScenarioEditor, workload_editor);
  gtk_widget_class_bind_template_child (widget_class, TradeoffScenarioEditor, engine_list);
}

static void
tradeoff_scenario_editor_init (TradeoffScenarioEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->problem = g_strdup (_("No scenario is open"));

  g_signal_connect_object (self->name_row, "changed",
                           G_CALLBACK (on_name_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workload_editor, "changed",
                           G_CALLBACK (on_part_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine_list, "changed",
                           G_CALLBACK (on_part_changed_cb), self, G_CONNECT_SWAPPED);
}

void
tradeoff_scenario_editor_set_scenario (TradeoffScenarioEditor *self,
                                       TradeoffScenario       *scenario)
{
  g_return_if_fail (TRADEOFF_IS_SCENARIO_EDITOR (self));

  self->updating = TRUE;
  self->scenario = scenario;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         scenario != NULL && scenario->name != NULL ? scenario->name : "");
  tradeoff_workload_editor_set_workload (self->workload_editor,
                                         scenario != NULL ? &scenario->workload : NULL);
  tradeoff_engine_list_set_engines (self->engine_list,
                                    scenario != NULL ? scenario->engines : NULL);
  self->updating = FALSE;

  revalidate (self);
}

gboolean
tradeoff_scenario_editor_get_valid (TradeoffScenarioEditor *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SCENARIO_EDITOR (self), FALSE);

  return self->problem == NULL;
}

const char *
tradeoff_scenario_editor_get_problem (TradeoffScenarioEditor *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SCENARIO_EDITOR (self), NULL);

  return self->problem;
}

TradeoffWorkloadEditor *
tradeoff_scenario_editor_get_workload_editor (TradeoffScenarioEditor *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SCENARIO_EDITOR (self), NULL);

  return self->workload_editor;
}

TradeoffEngineList *
tradeoff_scenario_editor_get_engine_list (TradeoffScenarioEditor *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SCENARIO_EDITOR (self), NULL);

  return self->engine_list;
}
