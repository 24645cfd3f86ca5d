/* tradeoff-runner.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The runner starts each engine of a scenario as a child process in its own
 * process group (so Ctrl+C in a terminal reaches only us, and we decide when
 * it dies), reads its port line, loads it with the driver while the sampler
 * watches its /proc entries, then stops it: SIGTERM, SIGKILL after 2 s, and
 * always a waitpid. Timeline points are built from the driver's 100 ms
 * intervals and the sampler's nearest sample; the points of intervals that
 * ended a while ago are sealed and kept, so a progress snapshot only
 * recomputes the last few. */

#define G_LOG_DOMAIN "tradeoff-runner"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tradeoff-driver.h"
#include "tradeoff-runner.h"
#include "tradeoff-sampler.h"

#define PORT_TIMEOUT_US     (10 * G_USEC_PER_SEC)
#define TERM_GRACE_US       (2 * G_USEC_PER_SEC)
#define PROGRESS_US         (100 * 1000)
#define SEAL_AFTER_US       (300 * 1000)
#define STARTUP_ESTIMATE_S  1.5

typedef struct
{
  GPid   pid;
  int    stdout_fd;
  int    stderr_fd;
  char  *stderr_path;
  int    status;
  guint  reaped : 1;
} Child;

typedef struct
{
  const TradeoffRunOptions *options;
  guint                     engine_index;
  guint                     n_engines;
  double                    engine_seconds;   /* expected length of one engine's run */
} RunState;

void
tradeoff_run_options_init (TradeoffRunOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->warmup_s = -1;
}

/* Finding programs and files. */

static char *
executable_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe == NULL)
    return NULL;
  return g_path_get_dirname (exe);
}

static gboolean
is_executable (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_access (path, X_OK) == 0;
}

char *
tradeoff_runner_find_cli (void)
{
  const char *env = g_getenv ("TRADEOFF_CLI");
  g_autofree char *dir = NULL;
  char *path;

  if (env != NULL && *env != '\0' && is_executable (env))
    return g_strdup (env);

  dir = executable_dir ();
  if (dir != NULL)
    {
      const char *candidates[] = { "tradeoff-cli", "cli/tradeoff-cli", "../src/cli/tradeoff-cli" };

      for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
        {
          path = g_build_filename (dir, candidates[i], NULL);
          if (is_executable (path))
            return path;
          g_free (path);
        }
    }

  path = g_build_filename (BINDIR, "tradeoff-cli", NULL);
  if (is_executable (path))
    return path;
  g_free (path);

  return g_find_program_in_path ("tradeoff-cli");
}

static gboolean
has_reference_scripts (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "node-http.js", NULL);

  return g_file_test (probe, G_FILE_TEST_IS_REGULAR);
}

/* $TRADEOFF_REFERENCE_DIR, the installed copy, then the source tree when
 * running uninstalled. */
static char *
find_reference_dir (void)
{
  const char *env = g_getenv ("TRADEOFF_REFERENCE_DIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "reference", NULL);
  g_autofree char *dir = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (has_reference_scripts (installed))
    return g_steal_pointer (&installed);

  env = g_getenv ("TRADEOFF_SOURCE_DIR");
  if (env != NULL && *env != '\0')
    {
      char *path = g_build_filename (env, "data", "reference", NULL);

      if (has_reference_scripts (path))
        return path;
      g_free (path);
    }

  /* build/src/cli/tradeoff-cli or build/tests/test-x: walk up to the tree. */
  dir = executable_dir ();
  for (guint up = 0; dir != NULL && up < 5; up++)
    {
      char *path = g_build_filename (dir, "data", "reference", NULL);
      char *parent;

      if (has_reference_scripts (path))
        return path;
      g_free (path);
      parent = g_path_get_dirname (dir);
      g_free (dir);
      dir = parent;
    }
  return g_steal_pointer (&installed);
}

/* The child process. */

static void
child_setup (gpointer user_data)
{
  /* Our own process group: a terminal's Ctrl+C reaches the runner, which
   * then stops the engine itself. Die with the runner's thread. */
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

static gboolean
child_reap_nohang (Child *child)
{
  int status;
  pid_t r;

  if (child->reaped || child->pid <= 0)
    return child->reaped;
  r = waitpid (child->pid, &status, WNOHANG);
  if (r == child->pid)
    {
      child->reaped = TRUE;
      child->status = status;
    }
  return child->reaped;
}

/* Waits up to @timeout_us for the child to exit and reaps it. A pidfd turns
 * readable when the process exits; without one (a kernel before 5.3, a
 * sandbox that forbids it) the wait looks again every 10 ms. */
static gboolean
child_wait_exit (Child  *child,
                 gint64  timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  int pidfd = -1;

  if (child_reap_nohang (child))
    return TRUE;
#ifdef SYS_pidfd_open
  pidfd = (int) syscall (SYS_pidfd_open, child->pid, 0);
#endif
  while (!child_reap_nohang (child))
    {
      gint64 left = deadline - g_get_monotonic_time ();
      struct pollfd pfd = { pidfd, POLLIN, 0 };

      if (left <= 0)
        break;
      if (poll (&pfd, pidfd >= 0 ? 1 : 0, (int) MIN ((left + 999) / 1000, pidfd >= 0 ? 1000 : 10)) < 0 &&
          errno != EINTR)
        break;
    }
  if (pidfd >= 0)
    close (pidfd);
  return child->reaped;
}

static void
child_signal (Child *child,
              int    sig)
{
  if (child->pid <= 0 || child->reaped)
    return;
  /* The group first (cluster workers), then the leader in case it has
   * not made its group yet. */
  kill (-child->pid, sig);
  kill (child->pid, sig);
}

/* Stops and reaps the child: SIGTERM, then SIGKILL after the grace period
 * (at once when @now is set). */
static void
child_stop (Child    *child,
            gboolean  now)
{
  if (child->pid > 0 && !child->reaped)
    {
      if (!now)
        {
          child_signal (child, SIGTERM);
          child_wait_exit (child, TERM_GRACE_US);
        }
      if (!child->reaped)
        {
          int status;

          child_signal (child, SIGKILL);
          if (waitpid (child->pid, &status, 0) == child->pid)
            child->status = status;
          child->reaped = TRUE;
        }
    }
  else if (child->pid > 0)
    {
      /* The leader is gone; do not leave its workers behind. */
      kill (-child->pid, SIGKILL);
    }

  if (child->stdout_fd >= 0)
    close (child->stdout_fd);
  child->stdout_fd = -1;
  if (child->stderr_fd >= 0)
    close (child->stderr_fd);
  child->stderr_fd = -1;
  if (child->stderr_path != NULL)
    {
      g_unlink (child->stderr_path);
      g_clear_pointer (&child->stderr_path, g_free);
    }
}

static char *
child_last_stderr_line (Child *child)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (child->stderr_path == NULL ||
      !g_file_get_contents (child->stderr_path, &contents, NULL, NULL))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (int i = (int) g_strv_length (lines) - 1; i >= 0; i--)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        return g_strdup (lines[i]);
    }
  return NULL;
}

static char *
child_exit_message (Child      *child,
                    const char *what)
{
  g_autofree char *last = child_last_stderr_line (child);
  g_autofree char *how = NULL;

  if (WIFEXITED (child->status))
    how = g_strdup_printf (_("exited with status %d"), WEXITSTATUS (child->status));
  else if (WIFSIGNALED (child->status))
    how = g_strdup_printf (_("was killed by signal %d"), WTERMSIG (child->status));
  else
    how = g_strdup (_("stopped"));

  if (last != NULL)
    return g_strdup_printf ("%s %s: %s", what, how, last);
  return g_strdup_printf ("%s %s", what, how);
}

static gboolean
child_spawn (char   **argv,
             Child   *child,
             GError **error)
{
  g_autoptr(GError) local_error = NULL;
  int stderr_fd;

  child->pid = -1;
  child->stdout_fd = -1;
  child->stderr_fd = -1;

  stderr_fd = g_file_open_tmp ("tradeoff-engine-XXXXXX.log", &child->stderr_path, error);
  if (stderr_fd < 0)
    return FALSE;
  child->stderr_fd = stderr_fd;

  if (!g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                                         child_setup, NULL,
                                         -1, -1, stderr_fd,
                                         NULL, NULL, 0,
                                         &child->pid, NULL, &child->stdout_fd, NULL,
                                         &local_error))
    {
      child->pid = -1;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Reads the engine's `{"port": N, ...}` line. */
static gboolean
child_read_port (Child         *child,
                 const char    *what,
                 GCancellable  *cancellable,
                 guint         *port,
                 char         **message)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + PORT_TIMEOUT_US;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  gint64 value;

  for (;;)
    {
      struct pollfd pfd = { child->stdout_fd, POLLIN, 0 };
      char buf[256];
      gssize n;
      int r;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (g_get_monotonic_time () >= deadline)
        {
          *message = g_strdup_printf (_("%s did not say its port within %d s"), what,
                                      (int) (PORT_TIMEOUT_US / G_USEC_PER_SEC));
          return FALSE;
        }

      r = poll (&pfd, 1, 50);
      if (r < 0 && errno != EINTR)
        {
          *message = g_strdup_printf ("%s: %s", what, g_strerror (errno));
          return FALSE;
        }
      if (r <= 0)
        {
          if (child_reap_nohang (child))
            {
              *message = child_exit_message (child, what);
              return FALSE;
            }
          continue;
        }

      n = read (child->stdout_fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          /* End of file: it exited, or closed its output. */
          if (child_wait_exit (child, 500 * 1000))
            *message = child_exit_message (child, what);
          else
            *message = g_strdup_printf (_("%s closed its output without saying its port"), what);
          return FALSE;
        }
      g_string_append_len (line, buf, n);
      if (memchr (buf, '\n', n) != NULL)
        break;
      if (line->len > 4096)
        break;
    }

  if (strchr (line->str, '\n') != NULL)
    *strchr (line->str, '\n') = '\0';

  if (!json_parser_load_from_data (parser, line->str, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      (object = json_node_get_object (root)) == NULL ||
      !json_object_has_member (object, "port") ||
      json_node_get_value_type (json_object_get_member (object, "port")) != G_TYPE_INT64 ||
      (value = json_object_get_int_member (object, "port")) <= 0 || value > 65535)
    {
      g_autofree char *shown = g_utf8_make_valid (line->str, MIN (line->len, 200));

      *message = g_strdup_printf (_("%s printed “%s” instead of its port line"), what, shown);
      return FALSE;
    }

  *port = (guint) value;
  return TRUE;
}

/* How to start each engine. */

static char **
engine_argv (const char               *cli,
             const TradeoffEngineSpec *spec,
             const TradeoffWorkload   *workload,
             char                    **what,
             char                    **message)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  switch (spec->kind)
    {
    case TRADEOFF_ENGINE_LOOP:
    case TRADEOFF_ENGINE_POOL:
      if (cli == NULL)
        {
          *message = g_strdup (_("tradeoff-cli was not found; set TRADEOFF_CLI to its path"));
          return NULL;
        }
      g_ptr_array_add (argv, g_strdup (cli));
      g_ptr_array_add (argv, g_strdup ("serve"));
      g_ptr_array_add (argv, g_strdup ("--engine"));
      g_ptr_array_add (argv, g_strdup (spec->kind == TRADEOFF_ENGINE_LOOP ? "loop" : "pool"));
      g_ptr_array_add (argv, g_strdup ("--port"));
      g_ptr_array_add (argv, g_strdup ("0"));
      g_ptr_array_add (argv, g_strdup ("--instances"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", MAX (spec->instances, 1)));
      if (spec->kind == TRADEOFF_ENGINE_LOOP)
        {
          g_ptr_array_add (argv, g_strdup ("--offload"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", spec->offload_workers));
        }
      else
        {
          g_ptr_array_add (argv, g_strdup ("--workers"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", MAX (spec->workers, 1)));
          if (spec->gil)
            g_ptr_array_add (argv, g_strdup ("--gil"));
          g_ptr_array_add (argv, g_strdup ("--switch-interval-ms"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", MAX (spec->switch_interval_ms, 1)));
          g_ptr_array_add (argv, g_strdup ("--connection-mode"));
          g_ptr_array_add (argv, g_strdup (tradeoff_connection_mode_to_string (spec->connection_mode)));
        }
      if (workload->kind == TRADEOFF_WORKLOAD_CHAT)
        {
          g_ptr_array_add (argv, g_strdup ("--expect-connections"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", workload->connections + 64));
        }
      *what = g_strdup (spec->kind == TRADEOFF_ENGINE_LOOP ? _("The event-loop engine")
                                                           : _("The thread-pool engine"));
      break;

    case TRADEOFF_ENGINE_REFERENCE:
      {
        const char *runtime = spec->runtime != NULL ? spec->runtime : "node";
        gboolean node = g_str_has_prefix (runtime, "node");
        const char *script;
        g_autofree char *dir = find_reference_dir ();
        g_autofree char *program = g_find_program_in_path (node ? "node" : "python3");
        char *script_path;

        if (g_str_equal (runtime, "node"))
          script = "node-http.js";
        else if (g_str_equal (runtime, "node-cluster"))
          script = "node-cluster.js";
        else if (g_str_equal (runtime, "python-asyncio"))
          script = "python-asyncio.py";
        else if (g_str_equal (runtime, "python-threads"))
          script = "python-threads.py";
        else
          {
            *message = g_strdup_printf (_("Unknown reference runtime “%s”"), runtime);
            return NULL;
          }

        if (program == NULL)
          {
            /* Inside the Flatpak sandbox only the runtime's own programs
             * exist: installing a package on the host would not help. */
            if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
              *message = g_strdup (node ? _("Node.js is not available inside the Flatpak sandbox; measure it from a native installation of Tradeoff, or start it yourself and add it as a URL engine")
                                        : _("Python 3 is not available inside the Flatpak sandbox; measure it from a native installation of Tradeoff, or start it yourself and add it as a URL engine"));
            else
              *message = g_strdup (node ? _("Node.js is not installed; install it with: sudo apt-get install nodejs")
                                        : _("Python 3 is not installed; install it with: sudo apt-get install python3"));
            return NULL;
          }

        script_path = g_build_filename (dir, script, NULL);
        if (!g_file_test (script_path, G_FILE_TEST_IS_REGULAR))
          {
            *message = g_strdup_printf (_("The reference back end %s was not found; set TRADEOFF_REFERENCE_DIR to its folder"),
                                        script_path);
            g_free (script_path);
            return NULL;
          }
        g_ptr_array_add (argv, g_steal_pointer (&program));
        g_ptr_array_add (argv, script_path);
        g_ptr_array_add (argv, g_strdup ("--port"));
        g_ptr_array_add (argv, g_strdup ("0"));
        /* The scenario format keeps no instance count for reference
         * engines, so the default of 1 means "as cluster mode is used":
         * one worker per core. Only an explicit count above one is passed. */
        if (g_str_equal (runtime, "node-cluster") && spec->instances > 1)
          {
            g_ptr_array_add (argv, g_strdup ("--workers"));
            g_ptr_array_add (argv, g_strdup_printf ("%u", spec->instances));
          }
        *what = g_strdup_printf (_("The reference back end %s"), script);
      }
      break;

    case TRADEOFF_ENGINE_URL:
    default:
      g_assert_not_reached ();
    }

  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&argv), FALSE);
}

/* Building a run from the driver and the sampler. */

static void
fill_point (TradeoffTimelinePoint  *point,
            guint                   index,
            TradeoffDriver         *driver,
            TradeoffSampler        *sampler)
{
  TradeoffDriverInterval iv;
  const double span = TRADEOFF_DRIVER_INTERVAL_US / 1e6;
  TradeoffSample sample;
  gint64 end;

  memset (point, 0, sizeof *point);
  tradeoff_driver_get_interval (driver, index, &iv);

  point->t_s = (index + 1) * span;
  point->completed_per_s = iv.completed / span;
  point->bytes_per_s = iv.bytes / span;
  point->errors_per_s = (iv.errors + iv.timeouts) / span;
  point->in_flight = iv.in_flight;
  if (tradeoff_histogram_get_count (iv.histogram) > 0)
    {
      point->p50_us = tradeoff_histogram_get_percentile (iv.histogram, 50);
      point->p99_us = tradeoff_histogram_get_percentile (iv.histogram, 99);
    }
  else
    {
      point->p50_us = NAN;
      point->p99_us = NAN;
    }
  tradeoff_driver_interval_clear (&iv);

  point->rss_bytes = NAN;
  point->cpu_percent = NAN;
  point->threads = NAN;
  point->connections = NAN;
  end = tradeoff_driver_get_measure_start_time (driver) + (gint64) (index + 1) * TRADEOFF_DRIVER_INTERVAL_US;
  if (sampler != NULL && tradeoff_sampler_get_sample_at (sampler, end, &sample))
    {
      point->rss_bytes = sample.rss_bytes;
      point->cpu_percent = sample.cpu_percent;
      point->threads = sample.threads;
      point->connections = sample.sockets;
    }
}

/* Appends the timeline to @run: the sealed points kept in @sealed, then
 * the intervals that ended but may still change. When @final, every
 * interval is sealed. */
static void
build_timeline (TradeoffRun     *run,
                GArray          *sealed,
                TradeoffDriver  *driver,
                TradeoffSampler *sampler,
                gboolean         final)
{
  gint64 measure_start = tradeoff_driver_get_measure_start_time (driver);
  guint n = tradeoff_driver_get_n_intervals (driver);
  guint ended;
  guint to_seal;
  gint64 now = g_get_monotonic_time ();

  if (measure_start == 0 || now < measure_start)
    {
      g_array_set_size (run->timeline, 0);
      return;
    }

  ended = MIN (n, (guint) ((now - measure_start) / TRADEOFF_DRIVER_INTERVAL_US));
  to_seal = now - measure_start > SEAL_AFTER_US
              ? MIN (n, (guint) ((now - measure_start - SEAL_AFTER_US) / TRADEOFF_DRIVER_INTERVAL_US))
              : 0;
  if (final)
    ended = to_seal = n;

  if (to_seal > sealed->len)
    {
      tradeoff_driver_seal_intervals (driver, to_seal);
      for (guint i = sealed->len; i < to_seal; i++)
        {
          TradeoffTimelinePoint point;

          fill_point (&point, i, driver, sampler);
          g_array_append_val (sealed, point);
        }
    }

  g_array_set_size (run->timeline, 0);
  g_array_append_vals (run->timeline, sealed->data, sealed->len);
  for (guint i = sealed->len; i < ended; i++)
    {
      TradeoffTimelinePoint point;

      fill_point (&point, i, driver, sampler);
      g_array_append_val (run->timeline, point);
    }
}

static void
build_summary (TradeoffRun     *run,
               TradeoffDriver  *driver,
               TradeoffSampler *sampler,
               gboolean         final)
{
  TradeoffRunSummary *s = &run->summary;
  TradeoffDriverTotals totals;
  TradeoffSamplerSummary sampled;
  gint64 measure_start = tradeoff_driver_get_measure_start_time (driver);
  gint64 measure_end = tradeoff_driver_get_measure_end_time (driver);
  double window;
  double offered = tradeoff_driver_get_offered_per_s (driver);
  double driver_load;
  g_autoptr(GString) note = g_string_new (NULL);

  tradeoff_driver_get_totals (driver, &totals);

  tradeoff_run_summary_init (s);
  s->completed = totals.completed;
  s->errors = totals.errors;
  s->timeouts = totals.timeouts;
  s->stalls = totals.stalls;
  window = totals.window_s;
  s->throughput_per_s = window > 0 ? totals.completed_in_window / window : 0;
  s->bytes_per_s = window > 0 ? totals.bytes_in_window / window : 0;
  s->achieved_per_s = s->throughput_per_s;
  s->offered_per_s = offered > 0 ? offered : s->achieved_per_s;

  tradeoff_histogram_free (run->histogram);
  tradeoff_histogram_free (run->histogram_uncorrected);
  run->histogram = g_steal_pointer (&totals.histogram);
  run->histogram_uncorrected = g_steal_pointer (&totals.histogram_uncorrected);
  tradeoff_run_summarize_latency (run);

  s->peak_rss_bytes = NAN;
  s->cpu_seconds = NAN;
  s->cpu_percent_mean = NAN;
  s->threads_max = NAN;
  s->server_cpu_us_per_request = NAN;
  s->capacity_per_core_per_s = NAN;
  if (sampler != NULL && measure_start != 0 &&
      tradeoff_sampler_summarize (sampler, measure_start,
                                  MIN (measure_end, g_get_monotonic_time ()), &sampled))
    {
      s->peak_rss_bytes = sampled.peak_rss_bytes;
      s->cpu_seconds = sampled.cpu_seconds;
      s->cpu_percent_mean = sampled.cpu_percent_mean;
      s->threads_max = sampled.threads_max;
      if (totals.completed_in_window > 0 && isfinite (sampled.cpu_seconds) && sampled.cpu_seconds > 0)
        {
          s->server_cpu_us_per_request = sampled.cpu_seconds * 1e6 / totals.completed_in_window;
          s->capacity_per_core_per_s = 1e6 / s->server_cpu_us_per_request;
        }
    }

  /* Was the driver the limit? Its threads busy all the time, or arrivals
   * sent late although a connection was free. */
  driver_load = window > 0 && totals.n_threads > 0
                  ? totals.driver_cpu_seconds / (window * totals.n_threads) : 0;
  s->driver_limited = FALSE;
  if (final && window > 0)
    {
      gboolean short_of_offer = offered > 0 && s->achieved_per_s < 0.9 * offered;
      gboolean closed = offered <= 0;

      if (driver_load > 0.9 && (closed || short_of_offer))
        {
          s->driver_limited = TRUE;
          g_string_append_printf (note,
                                  _("The driver was the limit: its %u thread(s) were busy %.0f%% of the time, "
                                    "so the engine may have more capacity than this run shows."),
                                  totals.n_threads, driver_load * 100);
        }
      else if (offered > 0 && short_of_offer && totals.dispatch_lag_mean_us > 5000)
        {
          s->driver_limited = TRUE;
          g_string_append_printf (note,
                                  _("The driver was the limit: it sent requests %.1f ms late on average "
                                    "while connections were free, and achieved %.0f of the %.0f per second offered."),
                                  totals.dispatch_lag_mean_us / 1000, s->achieved_per_s, offered);
        }
      if (totals.subscribe_timed_out)
        {
          if (note->len > 0)
            g_string_append_c (note, ' ');
          g_string_append_printf (note, _("Only %u of %u subscribers were connected when publishing began."),
                                  totals.subscribed, totals.subscribers);
        }
      if (totals.deliveries_received < totals.deliveries_expected)
        {
          guint64 lost = totals.deliveries_expected - totals.deliveries_received;

          if (note->len > 0)
            g_string_append_c (note, ' ');
          g_string_append_printf (note,
                                  _("%" PRIu64 " of %" PRIu64 " deliveries of messages published in the "
                                    "window never arrived: the server dropped them for slow subscribers, "
                                    "or they were still on their way when the run ended."),
                                  lost, totals.deliveries_expected);
        }
      if (totals.queue_drops > 0)
        {
          if (note->len > 0)
            g_string_append_c (note, ' ');
          g_string_append_printf (note, _("%" PRIu64 " arrivals were dropped: the client-side queue was full."),
                                  totals.queue_drops);
        }
    }
  g_free (run->note);
  run->note = note->len > 0 ? g_strdup (note->str) : NULL;

  /* Load that never once succeeded is a failed run, not a zero. */
  if (final && totals.completed == 0 && totals.errors + totals.timeouts > 0 && run->error == NULL)
    run->error = g_strdup_printf (_("Nothing succeeded: %" PRIu64 " errors and %" PRIu64 " timeouts; the first: %s"),
                                  totals.errors, totals.timeouts,
                                  totals.first_error[0] != '\0' ? totals.first_error : _("a timeout"));

  /* The driver's own figures, kept beside the summary: how much client CPU
   * the load cost, and how late it was sent. */
  if (final)
    {
      JsonObject *figures = json_object_new ();

      json_object_set_int_member (figures, "threads", totals.n_threads);
      json_object_set_double_member (figures, "cpu_seconds", totals.driver_cpu_seconds);
      json_object_set_double_member (figures, "busy_fraction", driver_load);
      json_object_set_int_member (figures, "sent", (gint64) totals.sent);
      if (totals.deliveries_expected > 0)
        {
          json_object_set_int_member (figures, "deliveries_expected", (gint64) totals.deliveries_expected);
          json_object_set_int_member (figures, "deliveries_lost",
                                      (gint64) (totals.deliveries_expected
                                                - MIN (totals.deliveries_received, totals.deliveries_expected)));
        }
      json_object_set_double_member (figures, "dispatch_lag_mean_us", totals.dispatch_lag_mean_us);
      json_object_set_double_member (figures, "dispatch_lag_max_us", totals.dispatch_lag_max_us);
      if (totals.completed_in_window > 0)
        json_object_set_double_member (figures, "cpu_us_per_completed",
                                       totals.driver_cpu_seconds * 1e6 / totals.completed_in_window);
      if (run->extra == NULL)
        run->extra = json_object_new ();
      json_object_set_object_member (run->extra, "driver", figures);
    }
  tradeoff_driver_totals_clear (&totals);
}

static void
emit_progress (RunState          *state,
               const char        *label,
               TradeoffRunPhase   phase,
               double             engine_elapsed,
               const TradeoffRun *run)
{
  TradeoffRunProgress progress = { 0 };
  double done;
  double total = state->engine_seconds * state->n_engines;

  if (state->options->progress == NULL)
    return;

  engine_elapsed = CLAMP (engine_elapsed, 0, state->engine_seconds);
  done = state->engine_index * state->engine_seconds + engine_elapsed;
  progress.engine_index = state->engine_index;
  progress.n_engines = state->n_engines;
  progress.engine_label = label;
  progress.phase = phase;
  progress.fraction = total > 0 ? CLAMP (done / total, 0, 1) : 0;
  progress.seconds_left = MAX (total - done, 0);
  progress.run = run;
  state->options->progress (&progress, state->options->progress_data);
}

static TradeoffRunPhase
run_phase_from_driver (TradeoffDriverPhase phase)
{
  switch (phase)
    {
    case TRADEOFF_DRIVER_PHASE_CONNECTING:
      return TRADEOFF_RUN_PHASE_STARTING;
    case TRADEOFF_DRIVER_PHASE_WARMUP:
      return TRADEOFF_RUN_PHASE_WARMUP;
    case TRADEOFF_DRIVER_PHASE_MEASURING:
      return TRADEOFF_RUN_PHASE_MEASURING;
    case TRADEOFF_DRIVER_PHASE_DRAINING:
    case TRADEOFF_DRIVER_PHASE_DONE:
    default:
      return TRADEOFF_RUN_PHASE_STOPPING;
    }
}

/* One engine. Returns NULL only when cancelled. */
static TradeoffRun *
run_engine (RunState                 *state,
            const TradeoffScenario   *scenario,
            const TradeoffEngineSpec *spec,
            const char               *cli,
            GCancellable             *cancellable)
{
  g_autoptr(TradeoffRun) run = tradeoff_run_new (spec);
  Child child = { .pid = -1, .stdout_fd = -1, .stderr_fd = -1 };
  g_autofree char *base_url = NULL;
  g_autofree char *what = NULL;
  g_autoptr(TradeoffSampler) sampler = NULL;
  TradeoffDriver *driver = NULL;
  TradeoffDriverOptions driver_options;
  g_autoptr(GArray) sealed = g_array_new (FALSE, FALSE, sizeof (TradeoffTimelinePoint));
  g_autoptr(GError) error = NULL;
  const char *label = spec->label != NULL ? spec->label : tradeoff_engine_kind_to_string (spec->kind);
  gint64 begun = g_get_monotonic_time ();
  gint64 last_progress = 0;
  gboolean cancelled = FALSE;

  emit_progress (state, label, TRADEOFF_RUN_PHASE_STARTING, 0, NULL);

  if (spec->kind == TRADEOFF_ENGINE_URL)
    {
      if (spec->url == NULL || *spec->url == '\0')
        {
          run->error = g_strdup (_("The engine has no URL"));
          return g_steal_pointer (&run);
        }
      base_url = g_strdup (spec->url);
    }
  else
    {
      g_auto(GStrv) argv = NULL;
      char *message = NULL;
      guint port = 0;

      argv = engine_argv (cli, spec, &scenario->workload, &what, &message);
      if (argv == NULL)
        {
          run->error = message;
          return g_steal_pointer (&run);
        }
      if (!child_spawn (argv, &child, &error))
        {
          run->error = g_strdup_printf (_("Could not start %s: %s"), argv[0], error->message);
          child_stop (&child, TRUE);
          return g_steal_pointer (&run);
        }
      if (!child_read_port (&child, what, cancellable, &port, &message))
        {
          child_stop (&child, message == NULL);
          if (message == NULL)
            return NULL;
          run->error = message;
          return g_steal_pointer (&run);
        }
      base_url = g_strdup_printf ("http://127.0.0.1:%u", port);
      sampler = tradeoff_sampler_new (child.pid, 100);
      tradeoff_sampler_start (sampler);
    }

  tradeoff_driver_options_init (&driver_options);
  driver_options.threads = state->options->driver_threads;
  driver = tradeoff_driver_new (&scenario->workload, base_url, &driver_options);
  if (!tradeoff_driver_start (driver, &error))
    {
      run->error = g_strdup_printf (_("Could not start the load: %s"), error->message);
      tradeoff_driver_free (driver);
      child_stop (&child, FALSE);
      return g_steal_pointer (&run);
    }

  for (;;)
    {
      gint64 now;

      if (g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          /* The engine dies at once; the driver's threads end right after. */
          child_stop (&child, TRUE);
          tradeoff_driver_stop (driver);
          break;
        }
      if (tradeoff_driver_wait (driver, 50))
        break;

      if (child.pid > 0 && child_reap_nohang (&child))
        {
          tradeoff_driver_stop (driver);
          run->error = child_exit_message (&child, what);
          break;
        }

      now = g_get_monotonic_time ();
      if (state->options->progress != NULL && now - last_progress >= PROGRESS_US)
        {
          TradeoffDriverPhase phase = tradeoff_driver_get_phase (driver);

          last_progress = now;
          build_timeline (run, sealed, driver, sampler, FALSE);
          build_summary (run, driver, sampler, FALSE);
          emit_progress (state, label, run_phase_from_driver (phase), (now - begun) / 1e6, run);
        }
    }

  if (!cancelled)
    {
      if (sampler != NULL)
        tradeoff_sampler_stop (sampler);
      build_timeline (run, sealed, driver, sampler, TRUE);
      build_summary (run, driver, sampler, TRUE);
      emit_progress (state, label, TRADEOFF_RUN_PHASE_STOPPING, (g_get_monotonic_time () - begun) / 1e6, run);
    }
  tradeoff_driver_free (driver);
  if (sampler != NULL)
    tradeoff_sampler_stop (sampler);
  child_stop (&child, cancelled);

  if (cancelled)
    return NULL;
  return g_steal_pointer (&run);
}

TradeoffResult *
tradeoff_runner_run (const TradeoffScenario   *scenario,
                     const TradeoffRunOptions *options,
                     GCancellable             *cancellable,
                     GError                  **error)
{
  g_autoptr(TradeoffScenario) as_run = NULL;
  g_autoptr(TradeoffResult) result = NULL;
  g_autofree char *cli = NULL;
  TradeoffRunOptions defaults;
  RunState state = { 0 };

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      tradeoff_run_options_init (&defaults);
      options = &defaults;
    }

  as_run = tradeoff_scenario_copy (scenario);
  if (options->duration_s > 0)
    as_run->workload.duration_s = options->duration_s;
  if (options->warmup_s >= 0)
    as_run->workload.warmup_s = options->warmup_s;
  if (!tradeoff_scenario_validate (as_run, error))
    return NULL;

  cli = options->cli_path != NULL ? g_strdup (options->cli_path) : tradeoff_runner_find_cli ();
  result = tradeoff_result_new (as_run);

  state.options = options;
  state.n_engines = as_run->engines->len;
  state.engine_seconds = as_run->workload.warmup_s + as_run->workload.duration_s + STARTUP_ESTIMATE_S;

  for (guint i = 0; i < as_run->engines->len; i++)
    {
      const TradeoffEngineSpec *spec = g_ptr_array_index (as_run->engines, i);
      TradeoffRun *run;

      state.engine_index = i;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      run = run_engine (&state, as_run, spec, cli, cancellable);
      if (run == NULL)
        {
          if (!g_cancellable_set_error_if_cancelled (cancellable, error))
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The run was cancelled"));
          return NULL;
        }
      g_ptr_array_add (result->runs, run);
    }

  return g_steal_pointer (&result);
}

/* The same in a thread. */

typedef struct
{
  TradeoffScenario   *scenario;
  TradeoffRunOptions  options;
  char               *cli_path;
  GMainContext       *context;
} AsyncData;

typedef struct
{
  TradeoffRunProgress      progress;
  char                    *label;
  TradeoffRun             *run;
  TradeoffRunProgressFunc  func;
  gpointer                 data;
} ProgressMessage;

static void
async_data_free (AsyncData *data)
{
  tradeoff_scenario_free (data->scenario);
  g_free (data->cli_path);
  g_main_context_unref (data->context);
  g_free (data);
}

static void
progress_message_free (gpointer data)
{
  ProgressMessage *message = data;

  g_free (message->label);
  if (message->run != NULL)
    tradeoff_run_free (message->run);
  g_free (message);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressMessage *message = data;

  message->func (&message->progress, message->data);
  return G_SOURCE_REMOVE;
}

static void
marshal_progress (const TradeoffRunProgress *progress,
                  gpointer                   user_data)
{
  AsyncData *data = user_data;
  ProgressMessage *message = g_new0 (ProgressMessage, 1);

  message->progress = *progress;
  message->label = g_strdup (progress->engine_label);
  message->run = progress->run != NULL ? tradeoff_run_copy (progress->run) : NULL;
  message->progress.engine_label = message->label;
  message->progress.run = message->run;
  message->func = data->options.progress;
  message->data = data->options.progress_data;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress,
                              message, progress_message_free);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *data = task_data;
  TradeoffRunOptions options = data->options;
  GError *error = NULL;
  TradeoffResult *result;

  options.cli_path = data->cli_path;
  if (options.progress != NULL)
    {
      options.progress = marshal_progress;
      options.progress_data = data;
    }

  result = tradeoff_runner_run (data->scenario, &options, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) tradeoff_result_free);
}

void
tradeoff_runner_run_async (const TradeoffScenario   *scenario,
                           const TradeoffRunOptions *options,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data;

  g_return_if_fail (scenario != NULL);

  data = g_new0 (AsyncData, 1);
  data->scenario = tradeoff_scenario_copy (scenario);
  if (options != NULL)
    data->options = *options;
  else
    tradeoff_run_options_init (&data->options);
  data->cli_path = g_strdup (data->options.cli_path);
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tradeoff_runner_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  /* Cancelling must reach the run itself so the engine is killed and
   * reaped before the task returns. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_in_thread);
}

TradeoffResult *
tradeoff_runner_run_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
