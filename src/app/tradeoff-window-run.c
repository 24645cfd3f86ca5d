/* tradeoff-window-run.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs, results and the history. A run goes through core's runner on a
 * worker thread; its progress arrives on the main loop with a snapshot of
 * the engine being measured, which is copied into a live result. The
 * charts are redrawn from it by a 100 ms timeout, so however often progress
 * comes the window redraws at most ten times a second and never blocks.
 * The last good result stays in `shown` until a run finishes; a failed or
 * cancelled run puts it back on screen. */

#define G_LOG_DOMAIN "tradeoff-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tradeoff-export-dialog.h"
#include "tradeoff-window-private.h"

#define REDRAW_INTERVAL_MS 100

static char *
format_time_left (double seconds)
{
  guint s;

  if (!isfinite (seconds) || seconds < 0)
    return g_strdup (_("a moment"));

  s = (guint) ceil (seconds);
  if (s < 60)
    /* Translators: time left in a run. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", s), s);

  /* Translators: time left in a run: minutes and seconds. */
  return g_strdup_printf (_("%u min %02u s"), s / 60, s % 60);
}

static const char *
phase_text (TradeoffRunPhase phase)
{
  switch (phase)
    {
    case TRADEOFF_RUN_PHASE_STARTING:
      return _("starting the server");
    case TRADEOFF_RUN_PHASE_WARMUP:
      return _("warming up");
    case TRADEOFF_RUN_PHASE_MEASURING:
      return _("measuring");
    case TRADEOFF_RUN_PHASE_STOPPING:
      return _("stopping the server");
    default:
      return "";
    }
}

static gboolean
redraw_tick_cb (gpointer data)
{
  TradeoffWindow *self = data;

  if (self->live_dirty && self->live != NULL)
    {
      self->live_dirty = FALSE;
      tradeoff_results_view_set_result (self->results_view, self->live, TRUE);
    }

  return G_SOURCE_CONTINUE;
}

static void
on_run_progress_cb (const TradeoffRunProgress *progress,
                    gpointer                   user_data)
{
  TradeoffWindow *self = user_data;
  g_autofree char *left = NULL;
  g_autofree char *text = NULL;
  GPtrArray *engines;

  if (self->disposed || !self->running || self->live == NULL)
    return;

  engines = self->live->scenario->engines;
  while (self->live->runs->len <= progress->engine_index
         && self->live->runs->len < engines->len)
    g_ptr_array_add (self->live->runs,
                     tradeoff_run_new (g_ptr_array_index (engines, self->live->runs->len)));

  if (progress->run != NULL && progress->engine_index < self->live->runs->len)
    {
      TradeoffRun **slot = (TradeoffRun **) &self->live->runs->pdata[progress->engine_index];

      tradeoff_run_free (*slot);
      *slot = tradeoff_run_copy (progress->run);
      self->live_dirty = TRUE;
    }

  left = format_time_left (progress->seconds_left);
  /* Translators: the run's progress: engine name, its number, how many
   * engines, what it is doing, time left. */
  text = g_strdup_printf (_("“%s” (%u of %u): %s · about %s left"),
                          progress->engine_label != NULL ? progress->engine_label : "",
                          progress->engine_index + 1, progress->n_engines,
                          phase_text (progress->phase), left);
  gtk_label_set_label (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress->fraction, 0, 1));
}

static void
finish_running (TradeoffWindow *self)
{
  self->running = FALSE;
  self->live_dirty = FALSE;
  g_clear_object (&self->run_cancellable);
  g_clear_handle_id (&self->redraw_source, g_source_remove);
  g_clear_pointer (&self->live, tradeoff_result_free);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
}

static void
report_run_errors (TradeoffWindow       *self,
                   const TradeoffResult *result)
{
  g_autoptr(GString) message = g_string_new (NULL);

  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (result->runs, i);

      if (run->error == NULL)
        continue;
      if (message->len > 0)
        g_string_append_c (message, '\n');
      /* Translators: an engine's name and why its run failed. */
      g_string_append_printf (message, _("“%s” could not run: %s"),
                              run->engine != NULL && run->engine->label != NULL
                              ? run->engine->label : "?",
                              run->error);
    }

  if (message->len > 0)
    tradeoff_window_show_error (self, message->str);
}

static gboolean
all_runs_failed (const TradeoffResult *result)
{
  for (guint i = 0; i < result->runs->len; i++)
    if (((const TradeoffRun *) g_ptr_array_index (result->runs, i))->error == NULL)
      return FALSE;

  return TRUE;
}

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  g_autoptr(TradeoffWindow) self = user_data;
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  const char *path;

  result = tradeoff_runner_run_finish (async_result, &error);
  if (self->disposed)
    return;

  finish_running (self);

  if (result == NULL)
    {
      /* The last good result goes back on screen. */
      tradeoff_results_view_set_result (self->results_view, self->shown, FALSE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tradeoff_window_toast (self, _("Run cancelled; the engines were stopped"));
      else
        {
          g_autofree char *message = g_strdup_printf (_("The run failed: %s"), error->message);

          tradeoff_window_show_error (self, message);
        }
      tradeoff_window_update_state (self);
      if (self->guidance_stale)
        tradeoff_window_update_guidance (self);
      return;
    }

  /* Nothing was measured: keep the last good result on screen and say why. */
  if (all_runs_failed (result))
    {
      tradeoff_results_view_set_result (self->results_view, self->shown, FALSE);
      report_run_errors (self, result);
      tradeoff_window_update_state (self);
      if (self->guidance_stale)
        tradeoff_window_update_guidance (self);
      return;
    }

  /* The guidance is brought up to date once, when the result is shown. */
  self->guidance_hold = TRUE;
  path = tradeoff_history_add (self->history, result, &save_error);
  self->guidance_hold = FALSE;
  tradeoff_window_remember_result (self, result, path);
  if (path != NULL)
    {
      const char *paths[] = { path, NULL };

      tradeoff_sidebar_set_compared (self->sidebar, paths);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("The run finished but could not be kept in the "
                                                    "history: %s"), save_error->message);

      tradeoff_window_show_error (self, message);
    }

  tradeoff_window_show_result (self, result);
  report_run_errors (self, result);
}

void
tradeoff_window_run_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);
  g_autofree char *cli = NULL;
  TradeoffRunOptions options;

  if (self->running || self->scenario == NULL || !tradeoff_scenario_editor_get_valid (self->editor))
    return;

  cli = tradeoff_runner_find_cli ();
  if (cli == NULL)
    {
      tradeoff_window_show_error (self, _("The engine program tradeoff-cli was not found, so "
                                          "nothing can run. Reinstall Tradeoff, or set TRADEOFF_CLI "
                                          "to the path of tradeoff-cli."));
      return;
    }

  tradeoff_window_show_error (self, NULL);

  self->running = TRUE;
  self->live_dirty = FALSE;
  self->run_cancellable = g_cancellable_new ();
  self->live = tradeoff_result_new (self->scenario);

  gtk_label_set_label (self->progress_label, _("Starting…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  self->redraw_source = g_timeout_add (REDRAW_INTERVAL_MS, redraw_tick_cb, self);

  tradeoff_run_options_init (&options);
  options.progress = on_run_progress_cb;
  options.progress_data = self;
  tradeoff_runner_run_async (self->scenario, &options, self->run_cancellable,
                             on_run_done_cb, g_object_ref (self));

  tradeoff_window_update_state (self);
}

void
tradeoff_window_stop_run (TradeoffWindow *self)
{
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

void
tradeoff_window_cancel_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);

  if (!self->running)
    return;

  gtk_label_set_label (self->progress_label, _("Stopping…"));
  tradeoff_window_stop_run (self);
}

static char *
local_time (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%H:%M:%S") : g_strdup (iso ? iso : "?");
}

void
tradeoff_window_show_history (TradeoffWindow     *self,
                              const char * const *paths)
{
  g_autoptr(TradeoffResult) merged = NULL;
  guint n = paths != NULL ? g_strv_length ((char **) paths) : 0;

  if (n == 0)
    {
      tradeoff_window_show_result (self, NULL);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      const TradeoffResult *result = tradeoff_history_get_result (self->history, paths[i], &error);

      if (result == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Could not read a past result: %s"),
                                                      error->message);

          tradeoff_window_show_error (self, message);
          continue;
        }

      if (n == 1)
        {
          tradeoff_window_show_result (self, result);
          return;
        }

      if (merged == NULL)
        {
          merged = tradeoff_result_copy (result);
          g_ptr_array_set_size (merged->runs, 0);
          g_free (merged->scenario->name);
          /* Translators: the title of several results shown together. */
          merged->scenario->name = g_strdup_printf (_("Comparison of %u runs"), n);
          /* Each run has its own start; the labels carry it. */
          g_clear_pointer (&merged->started_at, g_free);
        }

      /* Each run keeps its engine's name and gains the time it ran, so the
       * legend tells the runs apart. */
      for (guint j = 0; j < result->runs->len; j++)
        {
          TradeoffRun *run = tradeoff_run_copy (g_ptr_array_index (result->runs, j));
          g_autofree char *when = local_time (result->started_at);
          char *label = g_strdup_printf ("%s, %s", run->engine->label ? run->engine->label : "?",
                                         when);

          g_free (run->engine->label);
          run->engine->label = label;
          g_ptr_array_add (merged->runs, run);
        }
    }

  tradeoff_window_show_result (self, merged);
}

typedef struct
{
  TradeoffWindow *self;
  char           *path;
  GBytes         *contents;
} Deleted;

static void
deleted_free (gpointer data)
{
  Deleted *deleted = data;

  g_clear_weak_pointer (&deleted->self);
  g_free (deleted->path);
  g_bytes_unref (deleted->contents);
  g_free (deleted);
}

static void
on_undo_clicked_cb (AdwToast *toast,
                    Deleted  *deleted)
{
  g_autoptr(GError) error = NULL;

  if (deleted->self == NULL)
    return;

  if (!tradeoff_history_restore (deleted->self->history, deleted->path, deleted->contents, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not restore the result: %s"),
                                                  error->message);

      tradeoff_window_show_error (deleted->self, message);
    }
}

AdwToast *
tradeoff_window_delete_history (TradeoffWindow *self,
                                const char     *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *owned = g_strdup (path);
  g_auto(GStrv) compared = tradeoff_sidebar_get_compared (self->sidebar);
  gboolean was_shown = g_strv_contains ((const char * const *) compared, owned);
  Deleted *deleted;
  AdwToast *toast;

  if (!tradeoff_history_delete (self->history, owned, &contents, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not delete the result: %s"),
                                                  error->message);

      tradeoff_window_show_error (self, message);
      return NULL;
    }

  if (was_shown && !self->running)
    {
      g_auto(GStrv) left = tradeoff_sidebar_get_compared (self->sidebar);

      tradeoff_window_show_history (self, (const char * const *) left);
    }

  deleted = g_new0 (Deleted, 1);
  g_set_weak_pointer (&deleted->self, self);
  deleted->path = g_steal_pointer (&owned);
  deleted->contents = g_steal_pointer (&contents);

  toast = adw_toast_new (_("Result deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_clicked_cb), deleted,
                         (GClosureNotify) (void (*) (void)) deleted_free, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  return toast;
}

static void
on_exported_cb (TradeoffWindow *self,
                const char     *path)
{
  g_autofree char *base = g_path_get_basename (path);
  /* Translators: %s is a file name. */
  g_autofree char *message = g_strdup_printf (_("Exported “%s”"), base);

  tradeoff_window_toast (self, message);
}

static void
on_export_failed_cb (TradeoffWindow *self,
                     const char     *reason)
{
  g_autofree char *message = g_strdup_printf (_("Could not export: %s"), reason);

  tradeoff_window_show_error (self, message);
}

void
tradeoff_window_export_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);
  TradeoffExportDialog *dialog;

  if (self->shown == NULL || self->running)
    return;

  dialog = tradeoff_export_dialog_new (GTK_WINDOW (self), self->shown,
                                       tradeoff_results_view_get_visible_kind (self->results_view));
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_exported_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "failed", G_CALLBACK (on_export_failed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
tradeoff_window_copy_chart_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  TradeoffWindow *self = TRADEOFF_WINDOW (widget);
  TradeoffChartView *view;
  g_autoptr(GdkTexture) texture = NULL;
  int scale = gtk_widget_get_scale_factor (widget);
  int width;
  int height;

  if (self->shown == NULL || self->running)
    return;

  view = tradeoff_results_view_get_chart_view (self->results_view,
                                               tradeoff_results_view_get_visible_kind (self->results_view));
  width = gtk_widget_get_width (GTK_WIDGET (view));
  height = gtk_widget_get_height (GTK_WIDGET (view));
  /* What is seen, at the screen's resolution; a sensible size when the
   * chart is not on screen. */
  if (width < 100 || height < 100)
    {
      width = 1200;
      height = 800;
    }
  texture = tradeoff_chart_view_render_texture (view, width, height, scale);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), texture);
  tradeoff_window_toast (self, _("Chart copied"));
}
