/* tradeoff-workload-editor.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The workload half of the scenario editor. One table describes every
 * numeric field of TradeoffWorkload: its name in the model, which
 * workload kinds use it, its unit, range and the tooltip saying what it
 * models. Rows are built from the table; each edit writes the struct
 * through the model's by-name accessors (tradeoff_workload_set_number),
 * asks the model whether the field is valid (tradeoff_workload_check_field)
 * and marks the row, so the rules live in one place, in core. */

#define G_LOG_DOMAIN "tradeoff-workload-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-workload-editor.h"

typedef enum
{
  GROUP_WORKLOAD,
  GROUP_ARRIVAL,
  GROUP_WORK,
} FieldGroup;

#define K_REQUEST   (1u << TRADEOFF_WORKLOAD_REQUEST)
#define K_ML        (1u << TRADEOFF_WORKLOAD_ML_BATCH)
#define K_CHAT      (1u << TRADEOFF_WORKLOAD_CHAT)
#define K_STREAMING (1u << TRADEOFF_WORKLOAD_STREAMING)
#define K_ALL       (K_REQUEST | K_ML | K_CHAT | K_STREAMING)

typedef struct
{
  const char *field;
  FieldGroup  group;
  guint       kinds;
  int         arrival;    /* -1 any, else the TradeoffArrivalMode it belongs to */
  const char *title;
  const char *unit;
  const char *tooltip;
  double      lower;
  double      upper;
  double      step;
  guint       digits;
} FieldInfo;

static const FieldInfo fields[] = {
  { "duration_s", GROUP_WORKLOAD, K_ALL, -1,
    N_("_Duration"), N_("s"),
    N_("How long each engine is measured, after the warm-up. Longer runs catch rarer stalls."),
    0, 3600, 1, 1 },
  { "warmup_s", GROUP_WORKLOAD, K_ALL, -1,
    N_("_Warm-up"), N_("s"),
    N_("Load applied before measuring starts, so start-up costs (new connections, thread creation, "
       "caches) are not counted."),
    0, 3600, 1, 1 },
  { "rate_per_s", GROUP_ARRIVAL, K_ALL, TRADEOFF_ARRIVAL_OPEN,
    N_("_Rate"), N_("per s"),
    N_("Requests started per second whatever the server does, like independent users who do not "
       "wait for each other."),
    0, 1000000, 10, 0 },
  { "clients", GROUP_ARRIVAL, K_ALL, TRADEOFF_ARRIVAL_CLOSED,
    N_("_Clients"), NULL,
    N_("Closed loop: this many clients each send a request, wait for the reply, think, then send "
       "the next one."),
    0, 100000, 1, 0 },
  { "think_ms", GROUP_ARRIVAL, K_ALL, TRADEOFF_ARRIVAL_CLOSED,
    N_("_Think time"), N_("ms"),
    N_("The pause of each closed-loop client between a reply and its next request."),
    0, 60000, 10, 0 },
  { "connections", GROUP_WORK, K_REQUEST | K_ML | K_CHAT, -1,
    N_("C_onnections"), NULL,
    N_("Connections the clients keep open and spread requests over. A pool server that holds one "
       "worker per connection needs a worker for each."),
    0, 100000, 10, 0 },
  { "cpu_us", GROUP_WORK, K_REQUEST | K_ML | K_CHAT, -1,
    N_("_CPU time"), N_("µs"),
    N_("Real computation the server does per request (parsing, templating, business logic). On an "
       "event loop it blocks every other connection while it runs."),
    0, 10000000, 10, 0 },
  { "batch", GROUP_WORK, K_ML, -1,
    N_("_Batch size"), N_("items"),
    N_("Items per request; the CPU cost of a request is the CPU time per item times this."),
    0, 4096, 1, 0 },
  { "wait_us", GROUP_WORK, K_REQUEST | K_ML | K_CHAT, -1,
    N_("_I/O wait"), N_("µs"),
    N_("Time the server waits without using the CPU, like a database query or a call to another "
       "service. A pool worker is blocked meanwhile; an event loop serves others."),
    0, 60000000, 100, 0 },
  { "request_bytes", GROUP_WORK, K_REQUEST | K_ML, -1,
    N_("Re_quest size"), N_("bytes"),
    N_("Size of each request body the clients send."),
    0, 64 * 1048576, 100, 0 },
  { "reply_bytes", GROUP_WORK, K_REQUEST | K_ML, -1,
    N_("Re_ply size"), N_("bytes"),
    N_("Size of each reply body the server sends back."),
    0, 64 * 1048576, 100, 0 },
  { "rooms", GROUP_WORK, K_CHAT, -1,
    N_("_Rooms"), NULL,
    N_("Subscribers are spread evenly over this many rooms; a message reaches everyone in its "
       "room."),
    0, 100000, 1, 0 },
  { "message_bytes", GROUP_WORK, K_CHAT, -1,
    N_("_Message size"), N_("bytes"),
    N_("Size of each published chat message."),
    0, 1048576, 10, 0 },
  { "streams", GROUP_WORK, K_STREAMING, -1,
    N_("_Streams"), NULL,
    N_("Downloads running at once, each holding a connection open for its whole length."),
    0, 100000, 10, 0 },
  { "stream_bytes", GROUP_WORK, K_STREAMING, -1,
    N_("Stream si_ze"), N_("bytes"),
    N_("Size of each download."),
    0, 1099511627776.0, 1024, 0 },
  { "rate_bytes_per_s", GROUP_WORK, K_STREAMING, -1,
    N_("Stream _rate"), N_("bytes/s"),
    N_("The pace of each stream, like video or a large export trickling out."),
    0, 1073741824.0, 1024, 0 },
  { "chunk_bytes", GROUP_WORK, K_STREAMING, -1,
    N_("C_hunk size"), N_("bytes"),
    N_("The server writes each stream in chunks of this size; a chunk more than a second late "
       "counts as a stall."),
    0, 16 * 1048576, 1024, 0 },
  { "slow_reader_fraction", GROUP_WORK, K_STREAMING, -1,
    N_("S_low readers"), N_("share"),
    N_("Share of clients that read at half rate, like phones on a poor network: they hold buffers "
       "and connections longer."),
    0, 1, 0.05, 2 },
};

struct _TradeoffWorkloadEditor
{
  GtkBox               parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *workload_group;
  AdwPreferencesGroup *arrival_group;
  AdwPreferencesGroup *work_group;
  AdwComboRow         *kind_row;
  AdwComboRow         *arrival_row;
  AdwComboRow         *distribution_row;

  /* Owned: one row per entry of fields[], in order */
  TradeoffSpinRow     *rows[G_N_ELEMENTS (fields)];

  /* Borrowed */
  TradeoffWorkload    *workload;

  guint                updating : 1;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffWorkloadEditor, tradeoff_workload_editor, GTK_TYPE_BOX)

static gboolean
field_shown (const TradeoffWorkload *workload,
             const FieldInfo        *info)
{
  if ((info->kinds & (1u << workload->kind)) == 0)
    return FALSE;
  if (info->arrival >= 0 && (TradeoffArrivalMode) info->arrival != workload->arrival_mode)
    return FALSE;
  return TRUE;
}

/* A few fields mean something else under some kinds; their titles and
 * tooltips say so. */
static void
retitle_rows (TradeoffWorkloadEditor *self)
{
  TradeoffWorkloadKind kind = self->workload->kind;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *title = _(fields[i].title);
      const char *tooltip = _(fields[i].tooltip);

      if (g_str_equal (fields[i].field, "connections") && kind == TRADEOFF_WORKLOAD_CHAT)
        {
          title = _("_Subscribers");
          tooltip = _("Clients holding a server-sent-event stream open, each idle until a message "
                      "for its room arrives. An event loop holds them for the price of a socket; "
                      "a pool that gives each one a worker needs a thread for each.");
        }
      else if (g_str_equal (fields[i].field, "cpu_us") && kind == TRADEOFF_WORKLOAD_ML_BATCH)
        {
          title = _("_CPU per item");
          tooltip = _("Real computation per item of the batch, like running a model on one "
                      "input; a request costs this times the batch size.");
        }
      else if (g_str_equal (fields[i].field, "cpu_us") && kind == TRADEOFF_WORKLOAD_CHAT)
        {
          tooltip = _("Real computation the server does for each published message before "
                      "fanning it out to the room.");
        }
      else if (g_str_equal (fields[i].field, "rate_per_s") && kind == TRADEOFF_WORKLOAD_CHAT)
        {
          tooltip = _("Messages published per second over all rooms together; each one is "
                      "delivered to every subscriber of its room.");
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rows[i]), title);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->rows[i]), tooltip);
    }

  switch (kind)
    {
    case TRADEOFF_WORKLOAD_CHAT:
      adw_preferences_group_set_title (self->work_group, _("Rooms and Messages"));
      break;
    case TRADEOFF_WORKLOAD_STREAMING:
      adw_preferences_group_set_title (self->work_group, _("Streams"));
      break;
    case TRADEOFF_WORKLOAD_ML_BATCH:
      adw_preferences_group_set_title (self->work_group, _("Work per Batch"));
      break;
    case TRADEOFF_WORKLOAD_REQUEST:
    default:
      adw_preferences_group_set_title (self->work_group, _("Work per Request"));
      break;
    }
}

static void
check_rows (TradeoffWorkloadEditor *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *problem = NULL;

      if (field_shown (self->workload, &fields[i]))
        problem = tradeoff_workload_check_field (self->workload, fields[i].field);
      tradeoff_spin_row_set_error (self->rows[i], problem);
    }
}

static void
sync_from_model (TradeoffWorkloadEditor *self)
{
  TradeoffWorkload *workload = self->workload;
  gboolean open;

  self->updating = TRUE;

  adw_combo_row_set_selected (self->kind_row, workload->kind);
  adw_combo_row_set_selected (self->arrival_row, workload->arrival_mode);
  adw_combo_row_set_selected (self->distribution_row, workload->distribution);

  open = workload->arrival_mode == TRADEOFF_ARRIVAL_OPEN;
  gtk_widget_set_visible (GTK_WIDGET (self->distribution_row), open);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      double value = 0;

      if (!tradeoff_workload_get_number (workload, fields[i].field, &value))
        g_warn_if_reached ();
      tradeoff_spin_row_set_value (self->rows[i], value);
      gtk_widget_set_visible (GTK_WIDGET (self->rows[i]), field_shown (workload, &fields[i]));
    }

  retitle_rows (self);
  check_rows (self);

  self->updating = FALSE;
}

static void
emit_changed (TradeoffWorkloadEditor *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_row_value_cb (TradeoffSpinRow        *row,
                 GParamSpec             *pspec,
                 TradeoffWorkloadEditor *self)
{
  g_autofree char *problem = NULL;
  guint i;

  if (self->updating || self->workload == NULL)
    return;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    if (self->rows[i] == row)
      break;
  g_assert (i < G_N_ELEMENTS (fields));

  if (!tradeoff_workload_set_number (self->workload, fields[i].field,
                                     tradeoff_spin_row_get_value (row)))
    g_warn_if_reached ();
  /* One field may bound another (warm-up against duration, say): check all. */
  check_rows (self);
  emit_changed (self);
}

static void
on_kind_selected_cb (TradeoffWorkloadEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  if (self->updating || self->workload == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  if ((TradeoffWorkloadKind) selected == self->workload->kind)
    return;

  tradeoff_workload_set_defaults (self->workload, (TradeoffWorkloadKind) selected);
  sync_from_model (self);
  emit_changed (self);
}

static void
on_arrival_selected_cb (TradeoffWorkloadEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->arrival_row);

  if (self->updating || self->workload == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  if ((TradeoffArrivalMode) selected == self->workload->arrival_mode)
    return;

  self->workload->arrival_mode = (TradeoffArrivalMode) selected;
  /* Switching to a closed loop without clients would be refused at once;
   * start from a value that runs. */
  if (self->workload->arrival_mode == TRADEOFF_ARRIVAL_CLOSED && self->workload->clients == 0)
    self->workload->clients = 16;
  if (self->workload->arrival_mode == TRADEOFF_ARRIVAL_OPEN && self->workload->rate_per_s <= 0)
    self->workload->rate_per_s = 100;
  sync_from_model (self);
  emit_changed (self);
}

static void
on_distribution_selected_cb (TradeoffWorkloadEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->distribution_row);

  if (self->updating || self->workload == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  if ((TradeoffDistribution) selected == self->workload->distribution)
    return;

  self->workload->distribution = (TradeoffDistribution) selected;
  emit_changed (self);
}

static void
tradeoff_workload_editor_dispose (GObject *object)
{
  TradeoffWorkloadEditor *self = TRADEOFF_WORKLOAD_EDITOR (object);

  self->workload = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_WORKLOAD_EDITOR);

  G_OBJECT_CLASS (tradeoff_workload_editor_parent_class)->dispose (object);
}

static void
tradeoff_workload_editor_class_init (TradeoffWorkloadEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tradeoff_workload_editor_dispose;

  /**
   * TradeoffWorkloadEditor::changed:
   *
   * The workload was edited (it may now be invalid).
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-workload-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffWorkloadEditor, workload_group);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWorkloadEditor, arrival_group);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWorkloadEditor, work_group);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWorkloadEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWorkloadEditor, arrival_row);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWorkloadEditor, distribution_row);
}

static void
tradeoff_workload_editor_init (TradeoffWorkloadEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const FieldInfo *info = &fields[i];
      AdwPreferencesGroup *group;

      self->rows[i] = g_object_new (TRADEOFF_TYPE_SPIN_ROW,
                                    "field", info->field,
                                    "title", _(info->title),
                                    "use-underline", TRUE,
                                    "unit", info->unit != NULL ? _(info->unit) : NULL,
                                    "lower", info->lower,
                                    "upper", info->upper,
                                    "step", info->step,
                                    "digits", info->digits,
                                    "tooltip-text", _(info->tooltip),
                                    NULL);
      g_signal_connect_object (self->rows[i], "notify::value",
                               G_CALLBACK (on_row_value_cb), self, 0);

      switch (info->group)
        {
        case GROUP_WORKLOAD:
          group = self->workload_group;
          break;
        case GROUP_ARRIVAL:
          group = self->arrival_group;
          break;
        case GROUP_WORK:
        default:
          group = self->work_group;
          break;
        }
      adw_preferences_group_add (group, GTK_WIDGET (self->rows[i]));
    }

  g_signal_connect_object (self->kind_row, "notify::selected",
                           G_CALLBACK (on_kind_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->arrival_row, "notify::selected",
                           G_CALLBACK (on_arrival_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->distribution_row, "notify::selected",
                           G_CALLBACK (on_distribution_selected_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
tradeoff_workload_editor_new (void)
{
  return g_object_new (TRADEOFF_TYPE_WORKLOAD_EDITOR, NULL);
}

void
tradeoff_workload_editor_set_workload (TradeoffWorkloadEditor *self,
                                       TradeoffWorkload       *workload)
{
  g_return_if_fail (TRADEOFF_IS_WORKLOAD_EDITOR (self));

  self->workload = workload;
  gtk_widget_set_sensitive (GTK_WIDGET (self), workload != NULL);
  if (workload != NULL)
    sync_from_model (self);
}

guint
tradeoff_workload_editor_get_n_errors (TradeoffWorkloadEditor *self)
{
  guint n = 0;

  g_return_val_if_fail (TRADEOFF_IS_WORKLOAD_EDITOR (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (tradeoff_spin_row_get_error (self->rows[i]) != NULL)
      n++;

  return n;
}

TradeoffSpinRow *
tradeoff_workload_editor_get_row (TradeoffWorkloadEditor *self,
                                  const char             *field)
{
  g_return_val_if_fail (TRADEOFF_IS_WORKLOAD_EDITOR (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].field, field))
      return self->rows[i];

  return NULL;
}

AdwComboRow *
tradeoff_workload_editor_get_kind_row (TradeoffWorkloadEditor *self)
{
  g_return_val_if_fail (TRADEOFF_IS_WORKLOAD_EDITOR (self), NULL);

  return self->kind_row;
}
