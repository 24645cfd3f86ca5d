/* tradeoff-presets.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The built-in scenarios. Their settings live in JSON files in core's
 * GResource (data/presets/), so a preset is loaded and validated exactly as
 * a user's file is; only the translated title and description live here.
 * Each is sized for a 2-core machine that also runs the load driver. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "tradeoff-core.h"
#include "tradeoff-presets.h"

#define PRESETS_PATH "/io/github/tradeoff/Tradeoff/presets/"

static const TradeoffPresetInfo presets[] = {
  { "hello-world",
    N_("Hello, world requests per second"),
    N_("Tiny requests at 2,000 a second: what each request costs in server CPU, and the "
       "requests per second per core that implies for each architecture.") },
  { "io-bound-api",
    N_("I/O-bound API"),
    N_("Every request waits 50 ms on a database. At 400 requests a second, 20 wait at once: "
       "a pool of 16 workers serves at most 320 a second and queues, while the event loop "
       "waits on all of them.") },
  { "chat-2000",
    N_("Chat, 2,000 users"),
    N_("2,000 subscribers in 20 rooms, one thread per connection against one event loop: "
       "compare the threads and memory each needs, and how fast messages arrive.") },
  { "streaming-200",
    N_("Live streaming, 200 viewers"),
    N_("200 streams paced at 128 KiB/s, a fifth of them slow readers: a pool of 64 workers "
       "makes the other viewers wait; watch chunk lateness and stalls.") },
  { "ml-batch",
    N_("ML batch inference"),
    N_("Batches of 8 items at 0.5 ms of CPU each, 280 a second: more than one core’s worth. "
       "With the GIL four workers share one core, without it they use both, and the event "
       "loop blocks unless it offloads the work.") },
  { "real-runtimes",
    N_("The real runtimes"),
    N_("Hello-sized requests as fast as 32 clients can send them, on Node.js (one process and a "
       "cluster) and Python (asyncio and a thread per connection) beside the built-in engines "
       "that model them: how close the models come, and the requests per second each runtime "
       "really does on this machine.") },
  { NULL, NULL, NULL }
};

static TradeoffPresetInfo translated[G_N_ELEMENTS (presets)];

const TradeoffPresetInfo *
tradeoff_presets_get_all (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
        {
          translated[i].id = presets[i].id;
          if (presets[i].id == NULL)
            break;
          translated[i].title = g_dgettext (GETTEXT_PACKAGE, presets[i].title);
          translated[i].description = g_dgettext (GETTEXT_PACKAGE, presets[i].description);
        }
      g_once_init_leave (&initialized, 1);
    }

  return translated;
}

const TradeoffPresetInfo *
tradeoff_presets_lookup (const char *id)
{
  const TradeoffPresetInfo *all = tradeoff_presets_get_all ();

  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; all[i].id != NULL; i++)
    if (g_str_equal (all[i].id, id))
      return &all[i];

  return NULL;
}

TradeoffScenario *
tradeoff_presets_load (const char  *id,
                       GError     **error)
{
  const TradeoffPresetInfo *info;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  TradeoffScenario *scenario;
  gsize length;
  const char *data;

  g_return_val_if_fail (id != NULL, NULL);

  if ((info = tradeoff_presets_lookup (id)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No built-in scenario is called “%s”; “tradeoff-cli presets” lists them"),
                   id);
      return NULL;
    }

  tradeoff_core_ensure_resources ();
  path = g_strconcat (PRESETS_PATH, id, ".tradeoff.json", NULL);
  if (!(bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error)))
    return NULL;

  data = g_bytes_get_data (bytes, &length);
  if (!(scenario = tradeoff_scenario_load_data (data, length, error)))
    return NULL;

  /* The file's name is English; show the title in the user's language. */
  g_free (scenario->name);
  scenario->name = g_strdup (info->title);

  return scenario;
}
