/* tradeoff-application.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tradeoff-app"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-application.h"
#include "tradeoff-window.h"

struct _TradeoffApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (TradeoffApplication, tradeoff_application, ADW_TYPE_APPLICATION)

static GtkWindow *
get_or_create_window (TradeoffApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (tradeoff_window_new (self));

  return window;
}

static void
tradeoff_application_activate (GApplication *app)
{
  gtk_window_present (get_or_create_window (TRADEOFF_APPLICATION (app)));
}

static void
tradeoff_application_open (GApplication  *app,
                           GFile        **files,
                           int            n_files,
                           const char    *hint)
{
  GtkWindow *window = get_or_create_window (TRADEOFF_APPLICATION (app));

  for (int i = 0; i < n_files; i++)
    tradeoff_window_open_file (TRADEOFF_WINDOW (window), files[i]);

  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  TradeoffApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window lets it ask about unsaved work before quitting. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  TradeoffApplication *self = user_data;
  static const char *developers[] = { "The Tradeoff authors", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), window);
  adw_about_window_set_application_name (about, _("Tradeoff"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, _("The Tradeoff authors"));
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_website (about, "https://github.com/tradeoff/tradeoff");
  adw_about_window_set_issue_url (about, "https://github.com/tradeoff/tradeoff/issues");
  adw_about_window_set_comments (about,
                                 _("Measure an event-loop server against a thread-pool server "
                                   "under a workload like yours, on your own machine."));
  adw_about_window_set_copyright (about, "© 2026 The Tradeoff authors");
  /* Translators: replace with your names, one per line. */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
tradeoff_application_startup (GApplication *app)
{
  TradeoffApplication *self = TRADEOFF_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (tradeoff_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         shortcuts_accels);

  /* Light and dark follow the system; libadwaita does this when asked to
   * prefer the system's choice. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
tradeoff_application_dispose (GObject *object)
{
  TradeoffApplication *self = TRADEOFF_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tradeoff_application_parent_class)->dispose (object);
}

static void
tradeoff_application_class_init (TradeoffApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tradeoff_application_dispose;

  app_class->activate = tradeoff_application_activate;
  app_class->open = tradeoff_application_open;
  app_class->startup = tradeoff_application_startup;
}

static void
tradeoff_application_init (TradeoffApplication *self)
{
  self->settings = g_settings_new (BASE_ID);
}

TradeoffApplication *
tradeoff_application_new (const char        *application_id,
                          GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (TRADEOFF_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", "/io/github/tradeoff/Tradeoff",
                       NULL);
}

GSettings *
tradeoff_application_get_settings (TradeoffApplication *self)
{
  g_return_val_if_fail (TRADEOFF_IS_APPLICATION (self), NULL);

  return self->settings;
}
