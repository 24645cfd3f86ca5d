/* tradeoff-window.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tradeoff-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-window.h"

struct _TradeoffWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwHeaderBar         *header_bar;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  AdwStatusPage        *status_page;

  /* Owned */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (TradeoffWindow, tradeoff_window, ADW_TYPE_APPLICATION_WINDOW)

static void
save_window_state (TradeoffWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
tradeoff_window_close_request (GtkWindow *window)
{
  save_window_state (TRADEOFF_WINDOW (window));

  return GTK_WINDOW_CLASS (tradeoff_window_parent_class)->close_request (window);
}

static void
tradeoff_window_dispose (GObject *object)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tradeoff_window_parent_class)->dispose (object);
}

static void
tradeoff_window_class_init (TradeoffWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tradeoff_window_dispose;
  window_class->close_request = tradeoff_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TradeoffWindow, status_page);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "win.open-primary-menu", NULL);
}

static void
open_primary_menu_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  TradeoffWindow *self = user_data;

  gtk_menu_button_popup (self->primary_menu_button);
}

static const GActionEntry win_actions[] = {
  { "open-primary-menu", open_primary_menu_action },
};

static void
tradeoff_window_init (TradeoffWindow *self)
{
  int width;
  int height;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);

  self->settings = g_settings_new (BASE_ID);
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

TradeoffWindow *
tradeoff_window_new (TradeoffApplication *application)
{
  g_return_val_if_fail (TRADEOFF_IS_APPLICATION (application), NULL);

  return g_object_new (TRADEOFF_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
tradeoff_window_open_file (TradeoffWindow *self,
                           GFile          *file)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (TRADEOFF_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  message = g_strdup_printf (_("Opening “%s” needs the workload editor, which is not here yet"), name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}
