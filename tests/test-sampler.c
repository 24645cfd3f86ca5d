/* test-sampler.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "tradeoff-sampler.h"

#define CHILD_MIB 50

/* The test child: touches 50 MiB, opens two sockets, and spins one extra
 * thread until killed. */

static gpointer
spin_thread (gpointer data)
{
  volatile guint64 x = 0;

  for (;;)
    x++;
  return NULL;
}

static int
child_main (void)
{
  gsize size = CHILD_MIB * 1024 * 1024;
  char *memory = g_malloc (size);
  int pair[2];

  /* Never outlive the test. */
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  /* Touch every page so it is resident. */
  memset (memory, 1, size);
  if (socketpair (AF_UNIX, SOCK_STREAM, 0, pair) != 0)
    return 1;
  g_thread_new ("spin", spin_thread, NULL);
  if (write (STDOUT_FILENO, "ready\n", 6) != 6)
    return 1;
  for (;;)
    pause ();
  return 0;
}

static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

static GPid
spawn_child (const char *self_path)
{
  const char *argv[] = { self_path, "--child", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;
  int out_fd;
  char buf[16];

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  /* Wait until it is ready. */
  g_assert_cmpint (read (out_fd, buf, sizeof buf), >, 0);
  close (out_fd);
  return pid;
}

static double
children_cpu_seconds (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* Kills and reaps the child; returns the CPU time the kernel charged it,
 * measured apart from /proc. */
static double
stop_child (GPid pid)
{
  double before = children_cpu_seconds ();
  int status;

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return children_cpu_seconds () - before;
}

static char *self_path;

static void
test_sampler_read_once (void)
{
  GPid pid = spawn_child (self_path);
  TradeoffSample sample;

  g_assert_true (tradeoff_sampler_read_once (pid, &sample));
  g_assert_cmpuint (sample.rss_bytes, >=, (guint64) (CHILD_MIB - 2) * 1024 * 1024);
  /* A GLib program might have its own helper threads: at least two. */
  g_assert_cmpuint (sample.threads, >=, 2);
  g_assert_cmpuint (sample.sockets, ==, 2);
  g_assert_cmpuint (sample.processes, ==, 1);

  stop_child (pid);
  g_assert_false (tradeoff_sampler_read_once (pid, &sample));
}

static void
test_sampler_thread (void)
{
  GPid pid = spawn_child (self_path);
  g_autoptr(TradeoffSampler) sampler = tradeoff_sampler_new (pid, 100);
  g_autoptr(GArray) samples = NULL;
  TradeoffSamplerSummary summary;
  TradeoffSample sample;
  gint64 start;
  gint64 end;

  tradeoff_sampler_start (sampler);
  start = g_get_monotonic_time ();
  g_usleep (1200 * 1000);
  end = g_get_monotonic_time ();
  tradeoff_sampler_stop (sampler);
  tradeoff_sampler_stop (sampler);

  samples = tradeoff_sampler_get_samples (sampler);
  /* About ten a second. */
  g_assert_cmpuint (samples->len, >=, 7);
  g_assert_cmpuint (samples->len, <=, (end - start) / 100000 + 4);

  g_assert_true (tradeoff_sampler_summarize (sampler, start, end, &summary));
  g_assert_cmpfloat (summary.peak_rss_bytes, >=, (CHILD_MIB - 2) * 1024.0 * 1024.0);
  g_assert_cmpfloat (summary.peak_rss_bytes, <, (CHILD_MIB + 60) * 1024.0 * 1024.0);
  g_assert_cmpfloat (summary.threads_max, >=, 2);
  g_assert_cmpfloat (summary.sockets_max, ==, 2);
  /* The spinning thread wants a whole core; with other tests running it
   * gets some share of one, and never more than all cores. */
  g_assert_cmpfloat (summary.cpu_percent_mean, >, 5);
  g_assert_cmpfloat (summary.cpu_percent_mean, <=, 100.0 * g_get_num_processors () + 15);
  g_assert_cmpfloat (summary.cpu_seconds, <=, 1.2 * (end - start) / 1e6 * g_get_num_processors ());

  g_assert_true (tradeoff_sampler_get_sample_at (sampler, start + 500 * 1000, &sample));
  g_assert_cmpint (sample.t_us, <=, start + 500 * 1000);
  g_assert_true (isfinite (sample.cpu_percent));

  /* The last sample's CPU time agrees with what the kernel charged the
   * child when it was reaped (it ran on a little after that sample). */
  {
    const TradeoffSample *last = &g_array_index (samples, TradeoffSample, samples->len - 1);
    double charged = stop_child (pid);

    g_test_message ("sampled %.2f s of CPU, charged %.2f s", last->cpu_seconds, charged);
    g_assert_cmpfloat (last->cpu_seconds, <=, charged + 0.02);
    g_assert_cmpfloat (last->cpu_seconds, >=, charged - 0.1 - 0.2 * charged);
    g_assert_cmpfloat (charged, >, 0.05);
  }
}

static void
test_sampler_children (void)
{
  /* A shell whose child is the test child: the sampler counts both. */
  g_autofree char *script = g_strdup_printf ("'%s' --child & wait", self_path);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;
  TradeoffSample sample = { 0 };
  GPid pid;
  int out_fd;
  char buf[16];
  int status;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read (out_fd, buf, sizeof buf), >, 0);
  close (out_fd);

  g_assert_true (tradeoff_sampler_read_once (pid, &sample));
  g_assert_cmpuint (sample.processes, ==, 2);
  g_assert_cmpuint (sample.rss_bytes, >=, (guint64) (CHILD_MIB - 2) * 1024 * 1024);

  /* Kill the grandchild through the shell's process listing. */
  {
    g_autofree char *children_path = g_strdup_printf ("/proc/%d/task/%d/children", pid, pid);
    g_autofree char *children = NULL;

    if (g_file_get_contents (children_path, &children, NULL, NULL))
      {
        g_auto(GStrv) ids = g_strsplit (g_strstrip (children), " ", -1);

        for (guint i = 0; ids[i] != NULL; i++)
          if (*ids[i] != '\0')
            kill (atoi (ids[i]), SIGKILL);
      }
  }
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
}

int
main (int    argc,
      char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "--child"))
    return child_main ();

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sampler/read-once", test_sampler_read_once);
  g_test_add_func ("/sampler/thread", test_sampler_thread);
  g_test_add_func ("/sampler/children", test_sampler_children);

  return g_test_run ();
}
