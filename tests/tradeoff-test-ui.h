/* tradeoff-test-ui.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Helpers the UI tests share: the program's set-up with one application,
 * iterating the main loop, finding widgets and hand-made results. */

#pragma once

#include <adwaita.h>

#include "tradeoff-application.h"
#include "tradeoff-window-private.h"
#include "tradeoff-window.h"

G_BEGIN_DECLS

/* Makes a temporary folder named after @name that holds the user's data
 * (the history), initialises GTK and libadwaita, and registers the one
 * application of the program: an application id can be registered on the
 * bus only once per process. */
void                 tradeoff_test_ui_init              (int                 *argc,
                                                         char              ***argv,
                                                         const char          *name);
/* Borrowed: valid until tradeoff_test_ui_run() returns. */
TradeoffApplication *tradeoff_test_ui_get_app           (void);
const char          *tradeoff_test_ui_get_tmp_dir       (void);
/* Runs the tests, then drops the application and the temporary folder. */
int                  tradeoff_test_ui_run               (void);

/* A new window of the application, presented, with what is pending run. */
TradeoffWindow      *tradeoff_test_new_window           (void);
/* Runs what is pending in the main context, without blocking. */
void                 tradeoff_test_iterate_main_loop    (void);
/* Iterates the main loop for @ms milliseconds. */
void                 tradeoff_test_wait_ms              (guint                ms);
/* Iterates the main loop until @window is not running, or fails after
 * @timeout_s; the seconds it took. */
double               tradeoff_test_wait_until_done      (TradeoffWindow      *window,
                                                         guint                timeout_s);
/* Iterates until the window's history has been read, or fails. */
void                 tradeoff_test_wait_history_loaded  (TradeoffWindow      *window);
/* Destroys @window without asking about unsaved changes. */
void                 tradeoff_test_destroy_window       (TradeoffWindow      *window);

GtkWidget           *tradeoff_test_find_type            (GtkWidget           *root,
                                                         GType                type);
GtkWidget           *tradeoff_test_find_named           (GtkWidget           *root,
                                                         const char          *name);
guint                tradeoff_test_count_children       (GtkWidget           *widget);
/* The visible message dialog, if any. */
AdwMessageDialog    *tradeoff_test_find_message_dialog  (void);
/* Sets a workload field through its row of the editor; it must be valid. */
void                 tradeoff_test_set_field            (TradeoffWindow      *window,
                                                         const char          *field,
                                                         double               value);

/* Adds a run of the engine described by @engine_json to @result. */
void                 tradeoff_test_add_run              (TradeoffResult      *result,
                                                         const char          *engine_json,
                                                         double               throughput,
                                                         double               cpu_percent);
/* A hand-made ML batch result: the GIL pool flat in workers, the loop on
 * one core alone and on two with offload workers. It supports
 * "gil-one-thread". */
TradeoffResult      *tradeoff_test_make_ml_batch_result (void);

G_END_DECLS
