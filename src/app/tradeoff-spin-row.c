/* tradeoff-spin-row.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A preference row holding one number: a spin button with its unit as a
 * suffix label. The row does not judge the value (the scenario model does,
 * through tradeoff_workload_check_field()); it shows the verdict it is
 * given: the `error` style class and the message as the subtitle, in place
 * of the row's usual hint. */

#define G_LOG_DOMAIN "tradeoff-spin-row"

#include "config.h"

#include <math.h>

#include "tradeoff-spin-row.h"

struct _TradeoffSpinRow
{
  AdwActionRow   parent_instance;

  GtkSpinButton *spin;
  GtkLabel      *unit_label;

  char          *field;
  char          *hint;
  char          *error;
};

enum {
  PROP_0,
  PROP_FIELD,
  PROP_UNIT,
  PROP_VALUE,
  PROP_DIGITS,
  PROP_LOWER,
  PROP_UPPER,
  PROP_STEP,
  PROP_HINT,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TradeoffSpinRow, tradeoff_spin_row, ADW_TYPE_ACTION_ROW)

static void
update_subtitle (TradeoffSpinRow *self)
{
  const char *subtitle = self->error != NULL ? self->error : self->hint;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle != NULL ? subtitle : "");
}

static void
on_spin_value_changed_cb (TradeoffSpinRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

static void
tradeoff_spin_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TradeoffSpinRow *self = TRADEOFF_SPIN_ROW (object);
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (self->spin);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_string (value, self->field);
      break;
    case PROP_UNIT:
      g_value_set_string (value, gtk_label_get_label (self->unit_label));
      break;
    case PROP_VALUE:
      g_value_set_double (value, gtk_spin_button_get_value (self->spin));
      break;
    case PROP_DIGITS:
      g_value_set_uint (value, gtk_spin_button_get_digits (self->spin));
      break;
    case PROP_LOWER:
      g_value_set_double (value, gtk_adjustment_get_lower (adj));
      break;
    case PROP_UPPER:
      g_value_set_double (value, gtk_adjustment_get_upper (adj));
      break;
    case PROP_STEP:
      g_value_set_double (value, gtk_adjustment_get_step_increment (adj));
      break;
    case PROP_HINT:
      g_value_set_string (value, self->hint);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tradeoff_spin_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TradeoffSpinRow *self = TRADEOFF_SPIN_ROW (object);
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (self->spin);
  const char *unit;

  switch (prop_id)
    {
    case PROP_FIELD:
      g_free (self->field);
      self->field = g_value_dup_string (value);
      break;
    case PROP_UNIT:
      unit = g_value_get_string (value);
      gtk_label_set_label (self->unit_label, unit != NULL ? unit : "");
      break;
    case PROP_VALUE:
      tradeoff_spin_row_set_value (self, g_value_get_double (value));
      break;
    case PROP_DIGITS:
      gtk_spin_button_set_digits (self->spin, g_value_get_uint (value));
      break;
    case PROP_LOWER:
      gtk_adjustment_set_lower (adj, g_value_get_double (value));
      break;
    case PROP_UPPER:
      gtk_adjustment_set_upper (adj, g_value_get_double (value));
      break;
    case PROP_STEP:
      gtk_adjustment_set_step_increment (adj, g_value_get_double (value));
      gtk_adjustment_set_page_increment (adj, g_value_get_double (value) * 10);
      break;
    case PROP_HINT:
      g_free (self->hint);
      self->hint = g_value_dup_string (value);
      update_subtitle (self);
      break;
    case PROP_ERROR:
      tradeoff_spin_row_set_error (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tradeoff_spin_row_finalize (GObject *object)
{
  TradeoffSpinRow *self = TRADEOFF_SPIN_ROW (object);

  g_free (self->field);
  g_free (self->hint);
  g_free (self->error);

  G_OBJECT_CLASS (tradeoff_spin_row_parent_class)->finalize (object);
}

static void
tradeoff_spin_row_class_init (TradeoffSpinRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tradeoff_spin_row_get_property;
  object_class->set_property = tradeoff_spin_row_set_property;
  object_class->finalize = tradeoff_spin_row_finalize;

  properties[PROP_FIELD] = g_param_spec_string ("field", NULL, NULL, NULL, flags);
  properties[PROP_UNIT] = g_param_spec_string ("unit", NULL, NULL, NULL, flags);
  properties[PROP_VALUE] = g_param_spec_double ("value", NULL, NULL,
                                                -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_DIGITS] = g_param_spec_uint ("digits", NULL, NULL, 0, 6, 0, flags);
  properties[PROP_LOWER] = g_param_spec_double ("lower", NULL, NULL,
                                                -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_UPPER] = g_param_spec_double ("upper", NULL, NULL,
                                                -G_MAXDOUBLE, G_MAXDOUBLE, 1e9, flags);
  properties[PROP_STEP] = g_param_spec_double ("step", NULL, NULL, 0, G_MAXDOUBLE, 1, flags);
  properties[PROP_HINT] = g_param_spec_string ("hint", NULL, NULL, NULL, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tradeoff_spin_row_init (TradeoffSpinRow *self)
{
  GtkAdjustment *adj = gtk_adjustment_new (0, 0, 1e9, 1, 10, 0);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->spin = GTK_SPIN_BUTTON (gtk_spin_button_new (adj, 1, 0));
  gtk_widget_set_valign (GTK_WIDGET (self->spin), GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (self->spin, TRUE);
  gtk_spin_button_set_update_policy (self->spin, GTK_UPDATE_IF_VALID);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->spin), 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spin));

  self->unit_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->unit_label), "dim-label");
  gtk_label_set_xalign (self->unit_label, 0);
  /* Always there, even empty, so that the spin buttons line up. */
  gtk_label_set_width_chars (self->unit_label, 5);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->unit_label));

  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->spin));

  g_signal_connect_object (self->spin, "value-changed",
                           G_CALLBACK (on_spin_value_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
tradeoff_spin_row_new (void)
{
  return g_object_new (TRADEOFF_TYPE_SPIN_ROW, NULL);
}

const char *
tradeoff_spin_row_get_field (TradeoffSpinRow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SPIN_ROW (self), NULL);

  return self->field;
}

double
tradeoff_spin_row_get_value (TradeoffSpinRow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SPIN_ROW (self), 0);

  return gtk_spin_button_get_value (self->spin);
}

void
tradeoff_spin_row_set_value (TradeoffSpinRow *self,
                             double           value)
{
  g_return_if_fail (TRADEOFF_IS_SPIN_ROW (self));

  if (!isfinite (value))
    value = 0;

  /* The row shows what the model holds, even outside the usual range, so
   * that a bad value in a file is seen and marked, not silently clamped. */
  if (value > gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (self->spin)))
    gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->spin), value);
  if (value < gtk_adjustment_get_lower (gtk_spin_button_get_adjustment (self->spin)))
    gtk_adjustment_set_lower (gtk_spin_button_get_adjustment (self->spin), value);

  gtk_spin_button_set_value (self->spin, value);
}

void
tradeoff_spin_row_set_range (TradeoffSpinRow *self,
                             double           lower,
                             double           upper)
{
  g_return_if_fail (TRADEOFF_IS_SPIN_ROW (self));

  gtk_spin_button_set_range (self->spin, lower, upper);
}

const char *
tradeoff_spin_row_get_error (TradeoffSpinRow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SPIN_ROW (self), NULL);

  return self->error;
}

void
tradeoff_spin_row_set_error (TradeoffSpinRow *self,
                             const char      *error)
{
  g_return_if_fail (TRADEOFF_IS_SPIN_ROW (self));

  if (g_strcmp0 (self->error, error) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (error);

  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  update_subtitle (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

GtkSpinButton *
tradeoff_spin_row_get_spin_button (TradeoffSpinRow *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SPIN_ROW (self), NULL);

  return self->spin;
}
