/* tradeoff-history.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tradeoff-result.h"

G_BEGIN_DECLS

typedef struct
{
  char *path;
  char *title;       /* the scenario's name */
  char *subtitle;    /* when, and the engines */
  char *started_at;  /* ISO 8601, for ordering */
} TradeoffHistoryEntry;

#define TRADEOFF_TYPE_HISTORY (tradeoff_history_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffHistory, tradeoff_history, TRADEOFF, HISTORY, GObject)

/* g_get_user_data_dir()/tradeoff/results */
char                       *tradeoff_history_default_dir (void);

TradeoffHistory            *tradeoff_history_new         (const char            *dir);
const char                 *tradeoff_history_get_dir     (TradeoffHistory       *self);
/* Reads the folder again; unreadable files are skipped with a warning. */
void                        tradeoff_history_reload      (TradeoffHistory       *self);
/* The same in a thread; "changed" follows when it is done. */
void                        tradeoff_history_reload_async (TradeoffHistory      *self);
gboolean                    tradeoff_history_is_loading  (TradeoffHistory       *self);
guint                       tradeoff_history_get_n_entries (TradeoffHistory     *self);
/* Newest first. */
const TradeoffHistoryEntry *tradeoff_history_get_entry   (TradeoffHistory       *self,
                                                          guint                  index);
/* Saves @result in the folder and lists it first; returns its path. */
const char                 *tradeoff_history_add         (TradeoffHistory       *self,
                                                          const TradeoffResult  *result,
                                                          GError               **error);
/* The result of an entry, loaded once and kept. */
const TradeoffResult       *tradeoff_history_get_result  (TradeoffHistory       *self,
                                                          const char            *path,
                                                          GError               **error);
/* Deletes the file; @contents receives what it held, for undo. */
gboolean                    tradeoff_history_delete      (TradeoffHistory       *self,
                                                          const char            *path,
                                                          GBytes               **contents,
                                                          GError               **error);
gboolean                    tradeoff_history_restore     (TradeoffHistory       *self,
                                                          const char            *path,
                                                          GBytes                *contents,
                                                          GError               **error);

G_END_DECLS
