/* tradeoff-machine.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <sys/utsname.h>
#include <unistd.h>

#include "tradeoff-machine.h"

static char *
read_cpu_model (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL))
    return g_strdup ("unknown");

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "model name"))
        {
          const char *colon = strchr (lines[i], ':');

          if (colon != NULL)
            return g_strstrip (g_strdup (colon + 1));
        }
    }

  return g_strdup ("unknown");
}

TradeoffMachine *
tradeoff_machine_new_local (void)
{
  TradeoffMachine *self = g_new0 (TradeoffMachine, 1);
  struct utsname uts;
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  self->cores = g_get_num_processors ();
  self->cpu_model = read_cpu_model ();
  if (uname (&uts) == 0)
    self->kernel = g_strdup_printf ("%s %s", uts.sysname, uts.release);
  else
    self->kernel = g_strdup ("unknown");
  if (pages > 0 && page_size > 0)
    self->memory_bytes = (guint64) pages * (guint64) page_size;

  return self;
}

void
tradeoff_machine_free (TradeoffMachine *self)
{
  if (self == NULL)
    return;

  g_free (self->cpu_model);
  g_free (self->kernel);
  g_free (self);
}
