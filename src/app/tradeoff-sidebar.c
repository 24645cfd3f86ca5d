/* tradeoff-sidebar.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The sidebar: the built-in presets, the user's recent scenario files and
 * the history of results. It only reports what the user picked, through
 * signals; the window decides what to do (and asks about unsaved work). */

#define G_LOG_DOMAIN "tradeoff-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "tradeoff-presets.h"
#include "tradeoff-sidebar.h"

struct _TradeoffSidebar
{
  GtkBox           parent_instance;

  /* Template widgets */
  GtkListBox      *presets_list;
  GtkListBox      *files_list;
  GtkListBox      *history_list;
  GtkLabel        *history_hint;
  GtkLabel        *history_empty;
  GtkLabel        *files_empty;

  /* Owned */
  TradeoffHistory *history;

  guint            updating : 1;
};

enum {
  PRESET_ACTIVATED,
  FILE_ACTIVATED,
  HISTORY_ACTIVATED,
  HISTORY_DELETE,
  COMPARE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffSidebar, tradeoff_sidebar, GTK_TYPE_BOX)

static GtkWidget *
two_line_row (const char *title,
              const char *subtitle,
              const char *tooltip)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *subtitle_label = gtk_label_new (subtitle);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle_label, "caption");
  gtk_widget_add_css_class (subtitle_label, "dim-label");
  gtk_widget_set_visible (subtitle_label, subtitle != NULL && *subtitle != '\0');
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), subtitle_label);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, tooltip);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
on_compare_toggled_cb (TradeoffSidebar *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[COMPARE_CHANGED], 0);
}

static void
on_delete_clicked_cb (TradeoffSidebar *self,
                      GtkButton       *button)
{
  const char *path = g_object_get_data (G_OBJECT (button), "path");
  g_autofree char *owned = g_strdup (path);

  g_signal_emit (self, signals[HISTORY_DELETE], 0, owned);
}

static void
rebuild_history (TradeoffSidebar *self)
{
  guint n;

  clear_list (self->history_list);
  n = self->history != NULL ? tradeoff_history_get_n_entries (self->history) : 0;
  gtk_widget_set_visible (GTK_WIDGET (self->history_empty), n == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->history_hint), n >= 2);
  gtk_widget_set_visible (GTK_WIDGET (self->history_list), n > 0);

  for (guint i = 0; i < n; i++)
    {
      const TradeoffHistoryEntry *entry = tradeoff_history_get_entry (self->history, i);
      g_autofree char *tooltip = g_strdup_printf ("%s\n%s", entry->title, entry->subtitle);
      GtkWidget *row = two_line_row (entry->title, entry->subtitle, tooltip);
      GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");

      g_object_ref (box);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), NULL);

      gtk_widget_set_tooltip_text (check, _("Compare this run with the other ticked runs"));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_compare_toggled_cb), self,
                               G_CONNECT_SWAPPED);

      gtk_widget_add_css_class (delete, "flat");
      gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (delete, _("Delete this result"));
      g_object_set_data_full (G_OBJECT (delete), "path", g_strdup (entry->path), g_free);
      g_signal_connect_object (delete, "clicked", G_CALLBACK (on_delete_clicked_cb), self,
                               G_CONNECT_SWAPPED);

      gtk_box_append (GTK_BOX (outer), check);
      gtk_box_append (GTK_BOX (outer), box);
      gtk_box_append (GTK_BOX (outer), delete);
      g_object_unref (box);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), outer);

      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (entry->path), g_free);
      g_object_set_data (G_OBJECT (row), "check", check);
      gtk_list_box_append (self->history_list, row);
    }
}

static void
on_history_changed_cb (TradeoffSidebar *self)
{
  g_auto(GStrv) compared = tradeoff_sidebar_get_compared (self);

  rebuild_history (self);
  tradeoff_sidebar_set_compared (self, (const char * const *) compared);
}

static void
on_presets_row_activated_cb (TradeoffSidebar *self,
                             GtkListBoxRow   *row)
{
  g_signal_emit (self, signals[PRESET_ACTIVATED], 0, g_object_get_data (G_OBJECT (row), "id"));
}

static void
on_files_row_activated_cb (TradeoffSidebar *self,
                           GtkListBoxRow   *row)
{
  g_signal_emit (self, signals[FILE_ACTIVATED], 0, g_object_get_data (G_OBJECT (row), "path"));
}

static void
on_history_row_activated_cb (TradeoffSidebar *self,
                             GtkListBoxRow   *row)
{
  g_signal_emit (self, signals[HISTORY_ACTIVATED], 0, g_object_get_data (G_OBJECT (row), "path"));
}

static void
tradeoff_sidebar_dispose (GObject *object)
{
  TradeoffSidebar *self = TRADEOFF_SIDEBAR (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRADEOFF_TYPE_SIDEBAR);

  G_OBJECT_CLASS (tradeoff_sidebar_parent_class)->dispose (object);
}

static void
tradeoff_sidebar_class_init (TradeoffSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tradeoff_sidebar_dispose;

  signals[PRESET_ACTIVATED] = g_signal_new ("preset-activated", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FILE_ACTIVATED] = g_signal_new ("file-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[HISTORY_ACTIVATED] = g_signal_new ("history-activated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[HISTORY_DELETE] = g_signal_new ("history-delete", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[COMPARE_CHANGED] = g_signal_new ("compare-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tradeoff/Tradeoff/tradeoff-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, TradeoffSidebar, presets_list);
  gtk_widget_class_bind_template_child (widget_class, TradeoffSidebar, files_list);
  gtk_widget_class_bind_template_child (widget_class, TradeoffSidebar, history_list);
  gtk_widget_class_bind_template_child (widget_class, TradeoffSidebar, history_hint);
  gtk_widget_class_bind_template_child (widget_class, TradeoffSidebar, history_empty);
  gtk_widget_class_bind_template_child (widget_class, TradeoffSidebar, files_empty);
  gtk_widget_class_bind_template_callback (widget_class, on_presets_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_files_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_history_row_activated_cb);
}

static void
tradeoff_sidebar_init (TradeoffSidebar *self)
{
  const TradeoffPresetInfo *presets;

  gtk_widget_init_template (GTK_WIDGET (self));

  rebuild_history (self);
  tradeoff_sidebar_set_recent (self, NULL);

  presets = tradeoff_presets_get_all ();
  for (guint i = 0; presets != NULL && presets[i].id != NULL; i++)
    {
      GtkWidget *row = two_line_row (presets[i].title, NULL, presets[i].description);

      g_object_set_data_full (G_OBJECT (row), "id", g_strdup (presets[i].id), g_free);
      gtk_list_box_append (self->presets_list, row);
    }
}

void
tradeoff_sidebar_set_history (TradeoffSidebar *self,
                              TradeoffHistory *history)
{
  g_return_if_fail (TRADEOFF_IS_SIDEBAR (self));

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, history);
  if (history != NULL)
    g_signal_connect_swapped (history, "changed", G_CALLBACK (on_history_changed_cb), self);
  rebuild_history (self);
}

void
tradeoff_sidebar_set_recent (TradeoffSidebar    *self,
                             const char * const *paths)
{
  g_return_if_fail (TRADEOFF_IS_SIDEBAR (self));

  clear_list (self->files_list);
  gtk_widget_set_visible (GTK_WIDGET (self->files_empty), paths == NULL || paths[0] == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->files_list), paths != NULL && paths[0] != NULL);
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (paths[i]);
      g_autofree char *dir = g_path_get_dirname (paths[i]);
      g_autofree char *display_dir = NULL;
      const char *home = g_get_home_dir ();
      GtkWidget *row;

      if (g_str_has_suffix (base, ".tradeoff.json"))
        base[strlen (base) - strlen (".tradeoff.json")] = '\0';
      if (home != NULL && g_str_has_prefix (dir, home))
        display_dir = g_strconcat ("~", dir + strlen (home), NULL);
      else
        display_dir = g_strdup (dir);

      row = two_line_row (base, display_dir, paths[i]);
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (paths[i]), g_free);
      gtk_list_box_append (self->files_list, row);
    }
}

char **
tradeoff_sidebar_get_compared (TradeoffSidebar *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TRADEOFF_IS_SIDEBAR (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->history_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");

      if (check != NULL && gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (row), "path"));
    }

  return g_strv_builder_end (builder);
}

void
tradeoff_sidebar_set_compared (TradeoffSidebar    *self,
                               const char * const *paths)
{
  g_return_if_fail (TRADEOFF_IS_SIDEBAR (self));

  self->updating = TRUE;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->history_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");
      const char *path = g_object_get_data (G_OBJECT (row), "path");

      if (check != NULL)
        gtk_check_button_set_active (check, paths != NULL && path != NULL
                                            && g_strv_contains (paths, path));
    }
  self->updating = FALSE;
}

GtkListBox *
tradeoff_sidebar_get_presets_list (TradeoffSidebar *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SIDEBAR (self), NULL);

  return self->presets_list;
}

GtkListBox *
tradeoff_sidebar_get_history_list (TradeoffSidebar *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SIDEBAR (self), NULL);

  return self->history_list;
}

GtkListBox *
tradeoff_sidebar_get_files_list (TradeoffSidebar *self)
{
  g_return_val_if_fail (TRADEOFF_IS_SIDEBAR (self), NULL);

  return self->files_list;
}
