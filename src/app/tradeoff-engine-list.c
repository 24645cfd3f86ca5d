/* tradeoff-engine-list.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The engines of the scenario, in the order they run. The array belongs
 * to the scenario; adding, removing or moving an engine edits it and
 * rebuilds the rows, keeping open the rows that were open. */

#define G_LOG_DOMAIN "tradeoff-engine-list"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-engine-list.h"

struct _TradeoffEngineList
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  GtkMenuButton       *add_button;
  AdwActionRow        *empty_row;

  /* Owned */
  GPtrArray           *rows;     /* TradeoffEngineRow*, in the group */

  /* Borrowed */
  GPtrArray           *engines;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffEngineList, tradeoff_engine_list, ADW_TYPE_PREFERENCES_GROUP)

static void on_row_changed_cb (TradeoffEngineList *self);
static void on_row_move_cb    (TradeoffEngineRow  *row,
                               int                 delta,
                               TradeoffEngineList *self);
static void on_row_remove_cb  (TradeoffEngineRow  *row,
                               TradeoffEngineList *self);

static void
rebuild (TradeoffEngineList *self,
         int                 expand_index)
{
  g_autoptr(GArray) expanded = g_array_new (FALSE, TRUE, sizeof (gboolean));

  for (guint i = 0; i < self->rows->len; i++)
    {
      gboolean was = adw_expander_row_get_expanded (g_ptr_array_index (self->rows, i));

      g_array_append_val (expanded, was);
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
    }
  g_ptr_array_set_size (self->rows, 0);

  if (self->engines == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->empty_row), self->engines->len == 0);

  for (guint i = 0; i < self->engines->len; i++)
    {
      GtkWidget *row = tradeoff_engine_row_new (g_ptr_array_index (self->engines, i),
                                                i, self->engines->len);

      if ((int) i == expand_index || (i < expanded->len && g_array_index (expanded, gboolean, i)))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

      g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "move", G_CALLBACK (on_row_move_cb), self, 0);
      g_signal_connect_object (row, "remove", G_CALLBACK (on_row_remove_cb), self, 0);
      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
    }
}

static guint
index_of_row (TradeoffEngineList *self,
              TradeoffEngineRow  *row)
{
  guint index = 0;

  if (!g_ptr_array_find (self->rows, row, &index))
    g_assert_not_reached ();

  return index;
}

static void
emit_changed (TradeoffEngineList *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_row_changed_cb (TradeoffEngineList *self)
{
  emit_changed (self);
}

static void
on_row_move_cb (TradeoffEngineRow  *row,
                int                 delta,
                TradeoffEngineList *self)
{
  tradeoff_engine_list_move (self, index_of_row (self, row), delta);
}

static void
on_row_remove_cb (TradeoffEngineRow  *row,
                  TradeoffEngineList *self)
{
  tradeoff_engine_list_remove (self, index_of_row (self, row));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TradeoffEngineList *self = TRADEOFF_ENGINE_LIST (widget);
  TradeoffEngineKind kind;

  if (tradeoff_engine_kind_from_string (g_variant_get_string (parameter, NULL), &kind))
    tradeoff_engine_list_add (self, kind);
}

static void
tradeoff_engine_list_dispose (GObject *object)
{
  TradeoffEngineList *self = TRADEOFF_ENGINE_LIST (object);

  self->engines = NULL;
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_ENGINE_LIST);

  G_OBJECT_CLASS (tradeoff_engine_list_parent_class)->dispose (object);
}

static void
tradeoff_engine_list_class_init (TradeoffEngineListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tradeoff_engine_list_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-engine-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineList, add_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineList, empty_row);

  gtk_widget_class_install_action (widget_class, "engines.add", "s", add_action);
}

static void
tradeoff_engine_list_init (TradeoffEngineList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
}

void
tradeoff_engine_list_set_engines (TradeoffEngineList *self,
                                  GPtrArray          *engines)
{
  g_return_if_fail (TRADEOFF_IS_ENGINE_LIST (self));

  self->engines = engines;
  gtk_widget_set_sensitive (GTK_WIDGET (self), engines != NULL);
  rebuild (self, -1);
}

void
tradeoff_engine_list_add (TradeoffEngineList *self,
                          TradeoffEngineKind  kind)
{
  g_return_if_fail (TRADEOFF_IS_ENGINE_LIST (self));
  g_return_if_fail (self->engines != NULL);

  g_ptr_array_add (self->engines, tradeoff_engine_spec_new (kind, NULL));
  rebuild (self, self->engines->len - 1);
  emit_changed (self);
}

void
tradeoff_engine_list_move (TradeoffEngineList *self,
                           guint               index,
                           int                 delta)
{
  gpointer spec;
  int target;

  g_return_if_fail (TRADEOFF_IS_ENGINE_LIST (self));
  g_return_if_fail (self->engines != NULL && index < self->engines->len);

  target = (int) index + delta;
  if (target < 0 || target >= (int) self->engines->len)
    return;

  spec = self->engines->pdata[index];
  self->engines->pdata[index] = self->engines->pdata[target];
  self->engines->pdata[target] = spec;
  rebuild (self, -1);
  emit_changed (self);
}

void
tradeoff_engine_list_remove (TradeoffEngineList *self,
                             guint               index)
{
  g_return_if_fail (TRADEOFF_IS_ENGINE_LIST (self));
  g_return_if_fail (self->engines != NULL && index < self->engines->len);

  /* The scenario's array owns its specs: removing frees the spec. */
  g_ptr_array_remove_index (self->engines, index);
  rebuild (self, -1);
  emit_changed (self);
}

guint
tradeoff_engine_list_get_n_errors (TradeoffEngineList *self)
{
  guint n = 0;

  g_return_val_if_fail (TRADEOFF_IS_ENGINE_LIST (self), 0);

  for (guint i = 0; i < self->rows->len; i++)
    if (tradeoff_engine_row_get_error (g_ptr_array_index (self->rows, i)) != NULL)
      n++;

  return n;
}

TradeoffEngineRow *
tradeoff_engine_list_get_row (TradeoffEngineList *self,
                              guint               index)
{
  g_return_val_if_fail (TRADEOFF_IS_ENGINE_LIST (self), NULL);

  if (index >= self->rows->len)
    return NULL;

  return g_ptr_array_index (self->rows, index);
}
