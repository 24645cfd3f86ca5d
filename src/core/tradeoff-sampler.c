/* tradeoff-sampler.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The sampler reads /proc/PID/stat (CPU ticks, threads, RSS pages) and
 * counts the socket entries of /proc/PID/fd, for the process and every
 * descendant. Descendants are found by scanning /proc for parent ids once a
 * second, which is enough for cluster workers that live for the whole run. */

#define G_LOG_DOMAIN "tradeoff-sampler"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "tradeoff-sampler.h"

#define RESCAN_US G_USEC_PER_SEC

struct _TradeoffSampler
{
  GPid      pid;
  guint     interval_ms;
  GThread  *thread;
  GMutex    lock;
  GCond     cond;
  gboolean  stop;
  GArray   *samples;        /* TradeoffSample, guarded by lock */
  GArray   *pids;           /* GPid: the process and its descendants (sampler thread only) */
  gint64    last_scan_us;
};

typedef struct
{
  gboolean ok;
  int      ppid;
  guint64  ticks;
  guint    threads;
  guint64  rss_pages;
} ProcStat;

static gboolean
read_small_file (const char *path,
                 char       *buf,
                 gsize       size)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gssize n;

  if (fd < 0)
    return FALSE;
  n = read (fd, buf, size - 1);
  close (fd);
  if (n <= 0)
    return FALSE;
  buf[n] = '\0';
  return TRUE;
}

static ProcStat
read_stat (GPid pid)
{
  ProcStat st = { 0 };
  char path[64];
  char buf[1024];
  char *p;
  char *fields[64];
  guint n = 0;

  g_snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if (!read_small_file (path, buf, sizeof buf))
    return st;

  /* The command name may hold spaces and parentheses: start after the last ')'. */
  p = strrchr (buf, ')');
  if (p == NULL)
    return st;
  p++;
  while (*p != '\0' && n < G_N_ELEMENTS (fields))
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      fields[n++] = p;
      while (*p != ' ' && *p != '\0')
        p++;
      if (*p == ' ')
        *p++ = '\0';
    }
  /* fields[0] is field 3 (state). */
  if (n < 22)
    return st;
  st.ppid = atoi (fields[1]);
  st.ticks = g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
  st.threads = (guint) g_ascii_strtoull (fields[17], NULL, 10);
  st.rss_pages = g_ascii_strtoull (fields[21], NULL, 10);
  /* A zombie has no memory and no threads worth counting. */
  st.ok = fields[0][0] != 'Z' && fields[0][0] != 'X';
  return st;
}

static guint
count_sockets (GPid pid)
{
  char path[64];
  char link[64];
  DIR *dir;
  struct dirent *de;
  guint n = 0;
  int dfd;

  g_snprintf (path, sizeof path, "/proc/%d/fd", (int) pid);
  dir = opendir (path);
  if (dir == NULL)
    return 0;
  dfd = dirfd (dir);
  while ((de = readdir (dir)) != NULL)
    {
      gssize len;

      if (de->d_name[0] == '.')
        continue;
      len = readlinkat (dfd, de->d_name, link, sizeof link - 1);
      if (len > 7 && memcmp (link, "socket:", 7) == 0)
        n++;
    }
  closedir (dir);
  return n;
}

/* The process and its descendants, from a scan of /proc. */
static void
scan_descendants (GPid    root,
                  GArray *pids)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (int) * 2);
  DIR *dir;
  struct dirent *de;

  g_array_set_size (pids, 0);
  g_array_append_val (pids, root);

  dir = opendir ("/proc");
  if (dir == NULL)
    return;
  while ((de = readdir (dir)) != NULL)
    {
      int pair[2];
      ProcStat st;

      if (de->d_name[0] < '1' || de->d_name[0] > '9')
        continue;
      pair[0] = atoi (de->d_name);
      if (pair[0] == root)
        continue;
      st = read_stat (pair[0]);
      if (!st.ok)
        continue;
      pair[1] = st.ppid;
      g_array_append_vals (all, pair, 1);
    }
  closedir (dir);

  /* Breadth first: add the children of every process found so far. */
  for (guint i = 0; i < pids->len; i++)
    {
      GPid parent = g_array_index (pids, GPid, i);

      for (guint j = 0; j < all->len; j++)
        {
          int *pair = &((int *) all->data)[j * 2];

          if (pair[1] == parent)
            g_array_append_val (pids, pair[0]);
        }
    }
}

static gboolean
read_pids (GArray         *pids,
           TradeoffSample *sample)
{
  static long ticks_per_s = 0;
  static long page_size = 0;
  guint64 ticks = 0;
  gboolean root_alive = FALSE;

  if (ticks_per_s == 0)
    ticks_per_s = MAX (sysconf (_SC_CLK_TCK), 1);
  if (page_size == 0)
    page_size = MAX (sysconf (_SC_PAGESIZE), 1);

  memset (sample, 0, sizeof *sample);
  for (guint i = 0; i < pids->len; i++)
    {
      GPid pid = g_array_index (pids, GPid, i);
      ProcStat st = read_stat (pid);

      if (!st.ok)
        continue;
      if (i == 0)
        root_alive = TRUE;
      ticks += st.ticks;
      sample->threads += st.threads;
      sample->rss_bytes += st.rss_pages * (guint64) page_size;
      sample->sockets += count_sockets (pid);
      sample->processes++;
    }
  sample->cpu_seconds = (double) ticks / ticks_per_s;
  sample->t_us = g_get_monotonic_time ();
  sample->cpu_percent = NAN;
  return root_alive;
}

gboolean
tradeoff_sampler_read_once (GPid            pid,
                            TradeoffSample *sample)
{
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (GPid));

  g_return_val_if_fail (pid > 0, FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  scan_descendants (pid, pids);
  return read_pids (pids, sample);
}

static void
take_sample (TradeoffSampler *self)
{
  TradeoffSample sample;
  gint64 now = g_get_monotonic_time ();

  if (self->last_scan_us == 0 || now - self->last_scan_us >= RESCAN_US)
    {
      scan_descendants (self->pid, self->pids);
      self->last_scan_us = now;
    }
  if (!read_pids (self->pids, &sample))
    return;

  g_mutex_lock (&self->lock);
  if (self->samples->len > 0)
    {
      const TradeoffSample *prev = &g_array_index (self->samples, TradeoffSample,
                                                   self->samples->len - 1);
      double dt = (sample.t_us - prev->t_us) / 1e6;

      /* A worker that exited takes its CPU time with it: never negative. */
      if (dt > 0)
        sample.cpu_percent = MAX (sample.cpu_seconds - prev->cpu_seconds, 0) / dt * 100.0;
    }
  g_array_append_val (self->samples, sample);
  g_mutex_unlock (&self->lock);
}

static gpointer
sampler_thread_main (gpointer data)
{
  TradeoffSampler *self = data;

  for (;;)
    {
      gint64 deadline;

      take_sample (self);

      deadline = g_get_monotonic_time () + (gint64) self->interval_ms * 1000;
      g_mutex_lock (&self->lock);
      while (!self->stop)
        {
          if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
            break;
        }
      if (self->stop)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      g_mutex_unlock (&self->lock);
    }

  take_sample (self);
  return NULL;
}

TradeoffSampler *
tradeoff_sampler_new (GPid  pid,
                      guint interval_ms)
{
  TradeoffSampler *self;

  g_return_val_if_fail (pid > 0, NULL);

  self = g_new0 (TradeoffSampler, 1);
  self->pid = pid;
  self->interval_ms = interval_ms > 0 ? interval_ms : 100;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->samples = g_array_new (FALSE, FALSE, sizeof (TradeoffSample));
  self->pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  return self;
}

void
tradeoff_sampler_start (TradeoffSampler *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->thread == NULL);

  self->thread = g_thread_new ("sampler", sampler_thread_main, self);
}

void
tradeoff_sampler_stop (TradeoffSampler *self)
{
  g_return_if_fail (self != NULL);

  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->stop = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (g_steal_pointer (&self->thread));
}

void
tradeoff_sampler_free (TradeoffSampler *self)
{
  if (self == NULL)
    return;

  tradeoff_sampler_stop (self);
  g_array_unref (self->samples);
  g_array_unref (self->pids);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

GArray *
tradeoff_sampler_get_samples (TradeoffSampler *self)
{
  GArray *copy;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  copy = g_array_sized_new (FALSE, FALSE, sizeof (TradeoffSample), self->samples->len);
  g_array_append_vals (copy, self->samples->data, self->samples->len);
  g_mutex_unlock (&self->lock);
  return copy;
}

/* Index of the last sample at or before @t_us, or 0. Lock held. */
static guint
find_at (GArray *samples,
         gint64  t_us)
{
  guint lo = 0;
  guint hi = samples->len;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (samples, TradeoffSample, mid).t_us <= t_us)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

gboolean
tradeoff_sampler_get_sample_at (TradeoffSampler *self,
                                gint64           t_us,
                                TradeoffSample  *sample)
{
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (self->samples->len > 0)
    {
      *sample = g_array_index (self->samples, TradeoffSample, find_at (self->samples, t_us));
      found = TRUE;
    }
  g_mutex_unlock (&self->lock);
  return found;
}

gboolean
tradeoff_sampler_summarize (TradeoffSampler        *self,
                            gint64                  start_us,
                            gint64                  end_us,
                            TradeoffSamplerSummary *summary)
{
  const TradeoffSample *a;
  const TradeoffSample *b;
  guint ia;
  guint ib;
  double window;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  summary->peak_rss_bytes = NAN;
  summary->cpu_seconds = NAN;
  summary->cpu_percent_mean = NAN;
  summary->threads_max = NAN;
  summary->sockets_max = NAN;

  g_mutex_lock (&self->lock);
  if (self->samples->len == 0)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }

  ia = find_at (self->samples, start_us);
  ib = find_at (self->samples, end_us);
  /* The first sample at or after the end, when there is one. */
  if (g_array_index (self->samples, TradeoffSample, ib).t_us < end_us && ib + 1 < self->samples->len)
    ib++;

  summary->peak_rss_bytes = 0;
  summary->threads_max = 0;
  summary->sockets_max = 0;
  for (guint i = ia; i <= ib; i++)
    {
      const TradeoffSample *s = &g_array_index (self->samples, TradeoffSample, i);

      summary->peak_rss_bytes = MAX (summary->peak_rss_bytes, (double) s->rss_bytes);
      summary->threads_max = MAX (summary->threads_max, (double) s->threads);
      summary->sockets_max = MAX (summary->sockets_max, (double) s->sockets);
    }

  a = &g_array_index (self->samples, TradeoffSample, ia);
  b = &g_array_index (self->samples, TradeoffSample, ib);
  window = (end_us - start_us) / 1e6;
  if (b->t_us > a->t_us && window > 0)
    {
      double span = (b->t_us - a->t_us) / 1e6;
      double used = MAX (b->cpu_seconds - a->cpu_seconds, 0);

      /* The samples straddle the window: scale the rate to its length. */
      summary->cpu_seconds = used / span * window;
      summary->cpu_percent_mean = used / span * 100.0;
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}
