/* test-window.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "tradeoff-application.h"
#include "tradeoff-window.h"

/* One application for the whole test program: an application id can be
 * registered on the bus only once per process. */
static TradeoffApplication *app;

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
iterate_main_loop (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_window_parts (void)
{
  TradeoffWindow *window;
  GtkWidget *header;
  GtkWidget *menu_button;
  GMenuModel *menu;
  GtkWidget *status;

  g_application_activate (G_APPLICATION (app));
  iterate_main_loop ();

  window = TRADEOFF_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (TRADEOFF_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  header = find_descendant (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  g_assert_nonnull (header);

  menu_button = find_descendant (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  /* Keyboard Shortcuts and About in one section, Quit in the other. */
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);

  status = find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), !=, "");

  /* The application actions the menu names exist and Quit has Ctrl+Q. */
  g_assert_true (g_action_map_lookup_action (G_ACTION_MAP (app), "quit") != NULL);
  g_assert_true (g_action_map_lookup_action (G_ACTION_MAP (app), "about") != NULL);
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");

    g_assert_cmpstr (accels[0], ==, "<Control>q");
  }

  /* The shortcuts window is loaded from the resource. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_main_loop ();
}

static void
test_window_size_kept (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  TradeoffWindow *window;
  int width, height;

  g_settings_set (settings, "window-size", "(ii)", 900, 640);
  window = tradeoff_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_present (GTK_WINDOW (window));
  iterate_main_loop ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  iterate_main_loop ();

  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = tradeoff_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/window/parts", test_window_parts);
  g_test_add_func ("/window/size-kept", test_window_size_kept);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
