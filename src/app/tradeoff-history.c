/* tradeoff-history.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every finished run is a result file in one folder of the user's data
 * directory; the folder is the history, so it survives restarts and the
 * files can be copied, shared or opened with tradeoff-cli. File names start
 * with the UTC start time, so they sort by age. Deleting keeps the bytes
 * for undo: restoring writes them back under the same name. */

#define G_LOG_DOMAIN "tradeoff-history"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tradeoff-history.h"

struct _TradeoffHistory
{
  GObject     parent_instance;

  char         *dir;
  GPtrArray    *entries;   /* TradeoffHistoryEntry*, newest first */
  GHashTable   *results;   /* path -> TradeoffResult* */
  guint         loading;   /* reloads under way */
};

typedef struct
{
  GPtrArray  *entries;
  GHashTable *results;
} Scan;

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TradeoffHistory, tradeoff_history, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  TradeoffHistoryEntry *entry = data;

  g_free (entry->path);
  g_free (entry->title);
  g_free (entry->subtitle);
  g_free (entry->started_at);
  g_free (entry);
}

static char *
describe_when (const char *started_at)
{
  g_autoptr(GDateTime) utc = started_at ? g_date_time_new_from_iso8601 (started_at, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (started_at != NULL ? started_at : "");

  local = g_date_time_to_local (utc);
  /* Translators: a date and time in the history list, as strftime(3) takes it. */
  return g_date_time_format (local, _("%b %-d, %H:%M:%S"));
}

static TradeoffHistoryEntry *
entry_new (const char           *path,
           const TradeoffResult *result)
{
  TradeoffHistoryEntry *entry = g_new0 (TradeoffHistoryEntry, 1);
  g_autoptr(GString) engines = g_string_new (NULL);
  g_autofree char *when = describe_when (result->started_at);

  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (result->runs, i);

      if (engines->len > 0)
        g_string_append (engines, ", ");
      g_string_append (engines, run->engine != NULL && run->engine->label != NULL
                                ? run->engine->label : "?");
    }

  entry->path = g_strdup (path);
  entry->title = g_strdup (result->scenario != NULL && result->scenario->name != NULL
                           && *result->scenario->name
                           ? result->scenario->name : _("Untitled scenario"));
  entry->subtitle = g_strdup_printf ("%s · %s", when, engines->str);
  entry->started_at = g_strdup (result->started_at != NULL ? result->started_at : "");

  return entry;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const TradeoffHistoryEntry *ea = *(const TradeoffHistoryEntry * const *) a;
  const TradeoffHistoryEntry *eb = *(const TradeoffHistoryEntry * const *) b;
  int cmp = g_strcmp0 (eb->started_at, ea->started_at);

  return cmp != 0 ? cmp : g_strcmp0 (eb->path, ea->path);
}

static guint
find_entry (TradeoffHistory *self,
            const char      *path)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      const TradeoffHistoryEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->path, path))
        return i;
    }

  return G_MAXUINT;
}

static char *
slug (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; p != NULL && *p && out->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "result");

  return g_string_free (out, FALSE);
}

static void
tradeoff_history_finalize (GObject *object)
{
  TradeoffHistory *self = TRADEOFF_HISTORY (object);

  g_free (self->dir);
  g_ptr_array_unref (self->entries);
  g_hash_table_unref (self->results);

  G_OBJECT_CLASS (tradeoff_history_parent_class)->finalize (object);
}

static void
tradeoff_history_class_init (TradeoffHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tradeoff_history_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tradeoff_history_init (TradeoffHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) tradeoff_result_free);
}

char *
tradeoff_history_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "tradeoff", "results", NULL);
}

TradeoffHistory *
tradeoff_history_new (const char *dir)
{
  TradeoffHistory *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (TRADEOFF_TYPE_HISTORY, NULL);
  self->dir = g_strdup (dir);
  /* Reading every past result may take a while: never on the main thread. */
  tradeoff_history_reload_async (self);

  return self;
}

const char *
tradeoff_history_get_dir (TradeoffHistory *self)
{
  g_return_val_if_fail (TRADEOFF_IS_HISTORY (self), NULL);

  return self->dir;
}

/* Reads every result file of @dir; @known (may be NULL, read-only) saves
 * loading files already in memory. */
static Scan *
scan_dir (const char *dir_path,
          GHashTable *known)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  Scan *scan = g_new0 (Scan, 1);
  const char *name;

  scan->entries = g_ptr_array_new_with_free_func (entry_free);
  scan->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) tradeoff_result_free);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      const TradeoffResult *result;
      TradeoffResult *loaded;

      if (!g_str_has_suffix (name, ".json") || name[0] == '.')
        continue;

      path = g_build_filename (dir_path, name, NULL);
      result = known != NULL ? g_hash_table_lookup (known, path) : NULL;
      if (result == NULL)
        {
          loaded = tradeoff_result_load_file (path, &error);
          if (loaded == NULL)
            {
              g_warning ("Skipping result %s: %s", path, error->message);
              continue;
            }
          g_hash_table_insert (scan->results, g_strdup (path), loaded);
          result = loaded;
        }
      g_ptr_array_add (scan->entries, entry_new (path, result));
    }

  g_ptr_array_sort (scan->entries, compare_entries);

  return scan;
}

static void
scan_free (Scan *scan)
{
  g_ptr_array_unref (scan->entries);
  g_hash_table_unref (scan->results);
  g_free (scan);
}

/* Takes what a scan found; entries added meanwhile (a run finishing while
 * the folder was read) are kept. */
static void
apply_scan (TradeoffHistory *self,
            Scan            *scan)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  for (guint i = 0; i < self->entries->len; i++)
    {
      TradeoffHistoryEntry *entry = g_ptr_array_index (self->entries, i);
      gboolean found = FALSE;

      for (guint j = 0; j < scan->entries->len && !found; j++)
        found = g_str_equal (entry->path,
                             ((TradeoffHistoryEntry *) g_ptr_array_index (scan->entries, j))->path);
      if (!found && g_file_test (entry->path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (scan->entries, g_ptr_array_steal_index (self->entries, i--));
    }

  g_hash_table_iter_init (&iter, scan->results);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_replace (self->results, g_strdup (key), value);
      g_hash_table_iter_steal (&iter);
    }

  g_ptr_array_unref (self->entries);
  self->entries = g_ptr_array_ref (scan->entries);
  g_ptr_array_sort (self->entries, compare_entries);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
tradeoff_history_reload (TradeoffHistory *self)
{
  Scan *scan;

  g_return_if_fail (TRADEOFF_IS_HISTORY (self));

  scan = scan_dir (self->dir, self->results);
  /* A synchronous reload is the truth: drop entries whose file is gone. */
  g_ptr_array_set_size (self->entries, 0);
  apply_scan (self, scan);
  scan_free (scan);
}

static void
scan_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  /* The thread reads only the folder; the cache stays on the main thread. */
  g_task_return_pointer (task, scan_dir (task_data, NULL), (GDestroyNotify) scan_free);
}

static void
on_scan_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TradeoffHistory *self = TRADEOFF_HISTORY (source);
  Scan *scan = g_task_propagate_pointer (G_TASK (result), NULL);

  self->loading--;
  if (scan != NULL)
    {
      apply_scan (self, scan);
      scan_free (scan);
    }
}

void
tradeoff_history_reload_async (TradeoffHistory *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TRADEOFF_IS_HISTORY (self));

  self->loading++;
  /* The task holds the history until the folder is read. */
  task = g_task_new (self, NULL, on_scan_done_cb, NULL);
  g_task_set_task_data (task, g_strdup (self->dir), g_free);
  g_task_run_in_thread (task, scan_in_thread);
}

gboolean
tradeoff_history_is_loading (TradeoffHistory *self)
{
  g_return_val_if_fail (TRADEOFF_IS_HISTORY (self), FALSE);

  return self->loading > 0;
}

guint
tradeoff_history_get_n_entries (TradeoffHistory *self)
{
  g_return_val_if_fail (TRADEOFF_IS_HISTORY (self), 0);

  return self->entries->len;
}

const TradeoffHistoryEntry *
tradeoff_history_get_entry (TradeoffHistory *self,
                            guint            index)
{
  g_return_val_if_fail (TRADEOFF_IS_HISTORY (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_ptr_array_index (self->entries, index);
}

const char *
tradeoff_history_add (TradeoffHistory       *self,
                      const TradeoffResult  *result,
                      GError               **error)
{
  g_autofree char *stamp = NULL;
  g_autofree char *name_slug = NULL;
  g_autofree char *path = NULL;
  TradeoffHistoryEntry *entry;

  g_return_val_if_fail (TRADEOFF_IS_HISTORY (self), NULL);
  g_return_val_if_fail (result != NULL, NULL);

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the results folder %s: %s"), self->dir, g_strerror (saved));
      return NULL;
    }

  stamp = g_strdup (result->started_at != NULL ? result->started_at : "result");
  g_strcanon (stamp, "0123456789TZ-", '-');
  name_slug = slug (result->scenario != NULL ? result->scenario->name : NULL);

  for (guint n = 0; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *base = n == 0 ? g_strdup_printf ("%s-%s.json", stamp, name_slug)
                                     : g_strdup_printf ("%s-%s-%u.json", stamp, name_slug, n);

      g_free (path);
      path = g_build_filename (self->dir, base, NULL);
    }

  if (!tradeoff_result_save_file (result, path, error))
    return NULL;

  g_hash_table_insert (self->results, g_strdup (path), tradeoff_result_copy (result));
  entry = entry_new (path, result);
  g_ptr_array_add (self->entries, entry);
  g_ptr_array_sort (self->entries, compare_entries);
  g_signal_emit (self, signals[CHANGED], 0);

  return entry->path;
}

const TradeoffResult *
tradeoff_history_get_result (TradeoffHistory  *self,
                             const char       *path,
                             GError          **error)
{
  TradeoffResult *result;

  g_return_val_if_fail (TRADEOFF_IS_HISTORY (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  result = g_hash_table_lookup (self->results, path);
  if (result == NULL)
    {
      result = tradeoff_result_load_file (path, error);
      if (result == NULL)
        return NULL;
      g_hash_table_insert (self->results, g_strdup (path), result);
    }

  return result;
}

gboolean
tradeoff_history_delete (TradeoffHistory  *self,
                         const char       *path,
                         GBytes          **contents,
                         GError          **error)
{
  g_autofree char *data = NULL;
  g_autofree char *owned_path = NULL;
  gsize length = 0;
  guint index;

  g_return_val_if_fail (TRADEOFF_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  owned_path = g_strdup (path);
  if (!g_file_get_contents (owned_path, &data, &length, error))
    return FALSE;

  if (g_unlink (owned_path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not delete %s: %s"), owned_path, g_strerror (saved));
      return FALSE;
    }

  index = find_entry (self, owned_path);
  if (index != G_MAXUINT)
    g_ptr_array_remove_index (self->entries, index);
  g_hash_table_remove (self->results, owned_path);

  if (contents != NULL)
    *contents = g_bytes_new_take (g_steal_pointer (&data), length);

  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

gboolean
tradeoff_history_restore (TradeoffHistory  *self,
                          const char       *path,
                          GBytes           *contents,
                          GError          **error)
{
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (TRADEOFF_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  data = g_bytes_get_data (contents, &length);
  if (g_mkdir_with_parents (self->dir, 0700) != 0
      || !g_file_set_contents (path, data, length, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Could not create the results folder %s"), self->dir);
      return FALSE;
    }

  tradeoff_history_reload (self);

  return TRUE;
}
