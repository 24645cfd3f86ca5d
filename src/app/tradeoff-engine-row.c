/* tradeoff-engine-row.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One engine of the scenario: an expander row whose children are the
 * options of its kind. The model judges the values
 * (tradeoff_engine_spec_check); the message names the field, so the row
 * of that field is marked and the collapsed row shows the message too. */

#define G_LOG_DOMAIN "tradeoff-engine-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-engine-row.h"
#include "tradeoff-spin-row.h"

static const char * const runtimes[] = { "node", "node-cluster", "python-asyncio", "python-threads" };

struct _TradeoffEngineRow
{
  AdwExpanderRow      parent_instance;

  /* Template widgets */
  GtkImage           *error_icon;
  GtkButton          *up_button;
  GtkButton          *down_button;
  GtkButton          *remove_button;
  AdwEntryRow        *label_row;
  TradeoffSpinRow    *instances_row;
  TradeoffSpinRow    *offload_row;
  TradeoffSpinRow    *workers_row;
  AdwComboRow        *connection_row;
  AdwActionRow       *gil_row;
  GtkSwitch          *gil_switch;
  TradeoffSpinRow    *interval_row;
  AdwEntryRow        *url_row;
  AdwComboRow        *runtime_row;

  /* Borrowed */
  TradeoffEngineSpec *spec;

  guint               index;
  char               *error;
  guint               updating : 1;
};

enum {
  CHANGED,
  MOVE,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffEngineRow, tradeoff_engine_row, ADW_TYPE_EXPANDER_ROW)

static const char *
kind_title (TradeoffEngineKind kind)
{
  switch (kind)
    {
    case TRADEOFF_ENGINE_LOOP:
      return _("Event loop");
    case TRADEOFF_ENGINE_POOL:
      return _("Thread pool");
    case TRADEOFF_ENGINE_URL:
      return _("Your server");
    case TRADEOFF_ENGINE_REFERENCE:
      return _("Reference runtime");
    default:
      return "";
    }
}

static char *
describe (const TradeoffEngineSpec *spec)
{
  switch (spec->kind)
    {
    case TRADEOFF_ENGINE_LOOP:
      /* Translators: an engine's summary, e.g. "Event loop · 1 instance · 0 offload workers". */
      return g_strdup_printf (_("%s · %u instance(s) · %u offload worker(s)"),
                              kind_title (spec->kind), spec->instances, spec->offload_workers);
    case TRADEOFF_ENGINE_POOL:
      return g_strdup_printf (_("%s · %u worker(s) · %s"),
                              kind_title (spec->kind), spec->workers,
                              spec->gil ? _("with a global lock") : _("no global lock"));
    case TRADEOFF_ENGINE_URL:
      return g_strdup_printf ("%s · %s", kind_title (spec->kind), spec->url ? spec->url : "");
    case TRADEOFF_ENGINE_REFERENCE:
      return g_strdup_printf ("%s · %s", kind_title (spec->kind),
                              spec->runtime ? spec->runtime : "");
    default:
      return g_strdup ("");
    }
}

static GtkWidget *
row_for_field (TradeoffEngineRow *self,
               const char        *field)
{
  if (g_str_equal (field, "label"))
    return GTK_WIDGET (self->label_row);
  if (g_str_equal (field, "instances"))
    return GTK_WIDGET (self->instances_row);
  if (g_str_equal (field, "offload_workers"))
    return GTK_WIDGET (self->offload_row);
  if (g_str_equal (field, "workers"))
    return GTK_WIDGET (self->workers_row);
  if (g_str_equal (field, "connection_mode"))
    return GTK_WIDGET (self->connection_row);
  if (g_str_equal (field, "gil"))
    return GTK_WIDGET (self->gil_row);
  if (g_str_equal (field, "switch_interval_ms"))
    return GTK_WIDGET (self->interval_row);
  if (g_str_equal (field, "url"))
    return GTK_WIDGET (self->url_row);
  if (g_str_equal (field, "runtime"))
    return GTK_WIDGET (self->runtime_row);
  return NULL;
}

static void
check (TradeoffEngineRow *self)
{
  static const char * const all_fields[] = {
    "label", "instances", "offload_workers", "workers", "connection_mode", "gil",
    "switch_interval_ms", "url", "runtime",
  };
  g_autofree char *prefix = g_strdup_printf ("engines[%u]", self->index);
  g_autofree char *problem = tradeoff_engine_spec_check (self->spec, prefix);
  g_autofree char *field = NULL;
  g_autofree char *summary = NULL;

  /* "engines[1].workers: must be at least 1, got 0" names the field. */
  if (problem != NULL && g_str_has_prefix (problem, prefix) && problem[strlen (prefix)] == '.')
    {
      const char *start = problem + strlen (prefix) + 1;
      const char *end = strchr (start, ':');

      field = end != NULL ? g_strndup (start, end - start) : NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (all_fields); i++)
    {
      GtkWidget *row = row_for_field (self, all_fields[i]);
      gboolean bad = problem != NULL && g_strcmp0 (field, all_fields[i]) == 0;

      if (TRADEOFF_IS_SPIN_ROW (row))
        tradeoff_spin_row_set_error (TRADEOFF_SPIN_ROW (row), bad ? problem : NULL);
      else if (bad)
        gtk_widget_add_css_class (row, "error");
      else
        gtk_widget_remove_css_class (row, "error");
    }

  g_free (self->error);
  self->error = g_steal_pointer (&problem);

  gtk_widget_set_visible (GTK_WIDGET (self->error_icon), self->error != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_icon), self->error);
  if (self->error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");

  summary = self->error != NULL ? g_strdup (self->error) : describe (self->spec);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), summary);
}

/* Setting the text the user is typing would move the cursor. */
static void
set_text_if_changed (GtkEditable *editable,
                     const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text != NULL ? text : "") != 0)
    gtk_editable_set_text (editable, text != NULL ? text : "");
}

static void
sync_from_model (TradeoffEngineRow *self)
{
  TradeoffEngineSpec *spec = self->spec;
  gboolean loop = spec->kind == TRADEOFF_ENGINE_LOOP;
  gboolean pool = spec->kind == TRADEOFF_ENGINE_POOL;

  self->updating = TRUE;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 spec->label != NULL && *spec->label ? spec->label
                                                                     : kind_title (spec->kind));
  set_text_if_changed (GTK_EDITABLE (self->label_row), spec->label);
  tradeoff_spin_row_set_value (self->instances_row, spec->instances);
  tradeoff_spin_row_set_value (self->offload_row, spec->offload_workers);
  tradeoff_spin_row_set_value (self->workers_row, spec->workers);
  adw_combo_row_set_selected (self->connection_row, spec->connection_mode);
  gtk_switch_set_active (self->gil_switch, spec->gil);
  tradeoff_spin_row_set_value (self->interval_row, spec->switch_interval_ms);
  set_text_if_changed (GTK_EDITABLE (self->url_row), spec->url);
  adw_combo_row_set_selected (self->runtime_row, 0);
  for (guint i = 0; i < G_N_ELEMENTS (runtimes); i++)
    if (g_strcmp0 (spec->runtime, runtimes[i]) == 0)
      adw_combo_row_set_selected (self->runtime_row, i);

  gtk_widget_set_visible (GTK_WIDGET (self->instances_row), loop || pool);
  gtk_widget_set_visible (GTK_WIDGET (self->offload_row), loop);
  gtk_widget_set_visible (GTK_WIDGET (self->workers_row), pool);
  gtk_widget_set_visible (GTK_WIDGET (self->connection_row), pool);
  gtk_widget_set_visible (GTK_WIDGET (self->gil_row), pool);
  gtk_widget_set_visible (GTK_WIDGET (self->interval_row), pool);
  gtk_widget_set_sensitive (GTK_WIDGET (self->interval_row), spec->gil);
  gtk_widget_set_visible (GTK_WIDGET (self->url_row), spec->kind == TRADEOFF_ENGINE_URL);
  gtk_widget_set_visible (GTK_WIDGET (self->runtime_row), spec->kind == TRADEOFF_ENGINE_REFERENCE);

  check (self);

  self->updating = FALSE;
}

static void
edited (TradeoffEngineRow *self)
{
  sync_from_model (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_spin_value_cb (TradeoffEngineRow *self,
                  GParamSpec        *pspec,
                  TradeoffSpinRow   *row)
{
  guint value;

  if (self->updating)
    return;

  value = (guint) tradeoff_spin_row_get_value (row);
  if (row == self->instances_row)
    self->spec->instances = value;
  else if (row == self->offload_row)
    self->spec->offload_workers = value;
  else if (row == self->workers_row)
    self->spec->workers = value;
  else if (row == self->interval_row)
    self->spec->switch_interval_ms = value;
  edited (self);
}

static void
on_label_changed_cb (TradeoffEngineRow *self)
{
  if (self->updating)
    return;

  g_free (self->spec->label);
  self->spec->label = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->label_row)));
  edited (self);
}

static void
on_url_changed_cb (TradeoffEngineRow *self)
{
  if (self->updating)
    return;

  g_free (self->spec->url);
  self->spec->url = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
  edited (self);
}

static void
on_combo_selected_cb (TradeoffEngineRow *self,
                      GParamSpec        *pspec,
                      AdwComboRow       *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (row == self->connection_row)
    self->spec->connection_mode = (TradeoffConnectionMode) selected;
  else if (row == self->runtime_row && selected < G_N_ELEMENTS (runtimes))
    {
      g_free (self->spec->runtime);
      self->spec->runtime = g_strdup (runtimes[selected]);
    }
  edited (self);
}

static void
on_gil_active_cb (TradeoffEngineRow *self)
{
  if (self->updating)
    return;

  self->spec->gil = gtk_switch_get_active (self->gil_switch);
  edited (self);
}

static void
on_up_clicked_cb (TradeoffEngineRow *self)
{
  g_signal_emit (self, signals[MOVE], 0, -1);
}

static void
on_down_clicked_cb (TradeoffEngineRow *self)
{
  g_signal_emit (self, signals[MOVE], 0, 1);
}

static void
on_remove_clicked_cb (TradeoffEngineRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
tradeoff_engine_row_dispose (GObject *object)
{
  TradeoffEngineRow *self = TRADEOFF_ENGINE_ROW (object);

  self->spec = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_ENGINE_ROW);

  G_OBJECT_CLASS (tradeoff_engine_row_parent_class)->dispose (object);
}

static void
tradeoff_engine_row_finalize (GObject *object)
{
  TradeoffEngineRow *self = TRADEOFF_ENGINE_ROW (object);

  g_free (self->error);

  G_OBJECT_CLASS (tradeoff_engine_row_parent_class)->finalize (object);
}

static void
tradeoff_engine_row_class_init (TradeoffEngineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tradeoff_engine_row_dispose;
  object_class->finalize = tradeoff_engine_row_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The engine asks to move by -1 (up) or 1 (down). */
  signals[MOVE] = g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TRADEOFF_TYPE_SPIN_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-engine-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, error_icon);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, up_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, down_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, label_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, instances_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, offload_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, workers_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, connection_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, gil_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, gil_switch);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, interval_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, url_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffEngineRow, runtime_row);
  gtk_widget_class_bind_template_callback (widget_class, on_up_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_down_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
}

static void
tradeoff_engine_row_init (TradeoffEngineRow *self)
{
  TradeoffSpinRow *spins[4];

  gtk_widget_init_template (GTK_WIDGET (self));

  spins[0] = self->instances_row;
  spins[1] = self->offload_row;
  spins[2] = self->workers_row;
  spins[3] = self->interval_row;
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_connect_object (spins[i], "notify::value",
                             G_CALLBACK (on_spin_value_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection_row, "notify::selected",
                           G_CALLBACK (on_combo_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runtime_row, "notify::selected",
                           G_CALLBACK (on_combo_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->gil_switch, "notify::active",
                           G_CALLBACK (on_gil_active_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->label_row, "changed",
                           G_CALLBACK (on_label_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->url_row, "changed",
                           G_CALLBACK (on_url_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
tradeoff_engine_row_new (TradeoffEngineSpec *spec,
                         guint               index,
                         guint               n_engines)
{
  TradeoffEngineRow *self;

  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (TRADEOFF_TYPE_ENGINE_ROW, NULL);
  self->spec = spec;
  self->index = index;
  gtk_widget_set_sensitive (GTK_WIDGET (self->up_button), index > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->down_button), index + 1 < n_engines);
  sync_from_model (self);

  return GTK_WIDGET (self);
}

TradeoffEngineSpec *
tradeoff_engine_row_get_spec (TradeoffEngineRow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_ENGINE_ROW (self), NULL);

  return self->spec;
}

const char *
tradeoff_engine_row_get_error (TradeoffEngineRow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_ENGINE_ROW (self), NULL);

  return self->error;
}

GtkWidget *
tradeoff_engine_row_get_field_row (TradeoffEngineRow *self,
                                   const char        *field)
{
  g_return_val_if_fail (TRADEOFF_IS_ENGINE_ROW (self), NULL);

  return row_for_field (self, field);
}
