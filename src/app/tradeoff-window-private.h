/* tradeoff-window-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tradeoff-guidance-panel.h"
#include "tradeoff-history.h"
#include "tradeoff-results-view.h"
#include "tradeoff-runner.h"
#include "tradeoff-scenario-editor.h"
#include "tradeoff-sidebar.h"
#include "tradeoff-window.h"

G_BEGIN_DECLS

/* The window is one class split by concern: tradeoff-window.c (widgets,
 * actions, state), tradeoff-window-files.c (scenarios on disk, unsaved
 * changes) and tradeoff-window-run.c (runs, results, history, export). */

typedef void (*TradeoffWindowContinue) (TradeoffWindow *self,
                                        gpointer        data);

struct _TradeoffWindow
{
  AdwApplicationWindow    parent_instance;

  /* Template widgets */
  AdwToastOverlay        *toast_overlay;
  AdwHeaderBar           *header_bar;
  AdwWindowTitle         *window_title;
  GtkToggleButton        *sidebar_button;
  GtkMenuButton          *primary_menu_button;
  GtkStack               *run_stack;
  GtkButton              *run_button;
  GtkButton              *cancel_button;
  GtkRevealer            *error_revealer;
  GtkLabel               *error_label;
  GtkRevealer            *progress_revealer;
  GtkLabel               *progress_label;
  GtkProgressBar         *progress_bar;
  AdwFlap                *flap;
  TradeoffSidebar        *sidebar;
  GtkStack               *main_stack;
  AdwStatusPage          *status_page;
  GtkListBox             *welcome_list;
  GtkPaned               *paned;
  TradeoffScenarioEditor *editor;
  TradeoffResultsView    *results_view;
  GtkToggleButton        *guidance_button;
  AdwFlap                *guidance_flap;
  AdwBin                 *guidance_slot;
  TradeoffGuidancePanel  *guidance_panel;

  /* Owned */
  GSettings              *settings;
  TradeoffScenario       *scenario;        /* NULL until one is picked */
  char                   *scenario_path;   /* NULL: not saved to a file yet */
  char                   *preset_id;       /* the preset it came from, if any */
  TradeoffHistory        *history;
  TradeoffResult         *shown;           /* what the charts show when not running */
  GCancellable           *run_cancellable;
  TradeoffResult         *live;            /* the run so far */
  guint                   redraw_source;
  GtkFileChooserNative   *chooser;
  /* Every result run or opened in this window (TradeoffWindowKept*), for
   * the verdicts of the guidance panel. */
  GPtrArray              *session;
  TradeoffWorkloadKind    guidance_kind;   /* the kind the panel was last given */
  guint                   n_guidance_updates;

  /* What to do once unsaved changes are saved or discarded. */
  TradeoffWindowContinue  pending_func;
  gpointer                pending_data;
  GDestroyNotify          pending_destroy;

  guint                   dirty : 1;
  guint                   running : 1;
  guint                   live_dirty : 1;
  guint                   close_confirmed : 1;
  guint                   disposed : 1;
  guint                   guidance_stale : 1;  /* an update waits for the run to end */
  guint                   guidance_hold : 1;   /* updates wait for the caller */
};

/* tradeoff-window.c */
void     tradeoff_window_update_state      (TradeoffWindow         *self);
void     tradeoff_window_show_error        (TradeoffWindow         *self,
                                            const char             *message);
void     tradeoff_window_toast             (TradeoffWindow         *self,
                                            const char             *message);
void     tradeoff_window_set_scenario      (TradeoffWindow         *self,
                                            TradeoffScenario       *scenario,
                                            const char             *path,
                                            const char             *preset_id);

/* The guidance panel's verdicts come from every result of the session and
 * the one shown; cheap, but not redone while a run streams progress. */
void     tradeoff_window_remember_result   (TradeoffWindow         *self,
                                            const TradeoffResult   *result,
                                            const char             *history_path);
void     tradeoff_window_update_guidance   (TradeoffWindow         *self);

/* tradeoff-window-files.c */
void     tradeoff_window_maybe_discard     (TradeoffWindow         *self,
                                            TradeoffWindowContinue  func,
                                            gpointer                data,
                                            GDestroyNotify          destroy);
void     tradeoff_window_load_preset       (TradeoffWindow         *self,
                                            const char             *id);
void     tradeoff_window_add_recent        (TradeoffWindow         *self,
                                            const char             *path);
gboolean tradeoff_window_save_to           (TradeoffWindow         *self,
                                            const char             *path);
void     tradeoff_window_setup_drop        (TradeoffWindow         *self);
void     tradeoff_window_new_action        (GtkWidget              *widget,
                                            const char             *action_name,
                                            GVariant               *parameter);
void     tradeoff_window_open_action       (GtkWidget              *widget,
                                            const char             *action_name,
                                            GVariant               *parameter);
void     tradeoff_window_save_action       (GtkWidget              *widget,
                                            const char             *action_name,
                                            GVariant               *parameter);
void     tradeoff_window_save_as_action    (GtkWidget              *widget,
                                            const char             *action_name,
                                            GVariant               *parameter);

/* tradeoff-window-run.c */
void     tradeoff_window_run_action        (GtkWidget              *widget,
                                            const char             *action_name,
                                            GVariant               *parameter);
void     tradeoff_window_cancel_action     (GtkWidget              *widget,
                                            const char             *action_name,
                                            GVariant               *parameter);
void     tradeoff_window_export_action     (GtkWidget              *widget,
                                            const char             *action_name,
                                            GVariant               *parameter);
void     tradeoff_window_copy_chart_action (GtkWidget              *widget,
                                            const char             *action_name,
                                            GVariant               *parameter);
/* Shows @result (copied) on the charts, or the empty state for NULL. */
void     tradeoff_window_show_result       (TradeoffWindow         *self,
                                            const TradeoffResult   *result);
/* Shows the given history entries on the same axes. */
void     tradeoff_window_show_history      (TradeoffWindow         *self,
                                            const char * const     *paths);
/* Deletes a history entry; returns the toast offering undo (borrowed). */
AdwToast *tradeoff_window_delete_history   (TradeoffWindow         *self,
                                            const char             *path);
void     tradeoff_window_stop_run          (TradeoffWindow         *self);

G_END_DECLS
