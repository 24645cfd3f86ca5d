/* test-runner.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The runner and `tradeoff-cli run`: real engine processes, started,
 * loaded, sampled, stopped and reaped; failures reported per engine;
 * cancelling kills the engine at once. */

#include "config.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "tradeoff-runner.h"
#include "tradeoff-test-cli.h"

static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

/* Processes whose parent is us (zombies included). */
static guint
count_children (void)
{
  DIR *dir = opendir ("/proc");
  struct dirent *de;
  guint n = 0;
  int self = getpid ();

  g_assert_nonnull (dir);
  while ((de = readdir (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      char *p;

      if (de->d_name[0] < '1' || de->d_name[0] > '9')
        continue;
      path = g_strdup_printf ("/proc/%s/stat", de->d_name);
      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      p = strrchr (contents, ')');
      if (p != NULL && atoi (p + 4) == self)
        n++;
    }
  closedir (dir);
  return n;
}

static GPid
start_loop_engine (guint *port)
{
  const char *argv[] = { g_getenv ("TRADEOFF_CLI"), "serve", "--engine", "loop", "--port", "0", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  GPid pid;
  int out_fd;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (line, "\"port\":"));
  *port = (guint) g_ascii_strtoull (strstr (line, "\"port\":") + 7, NULL, 10);
  return pid;
}

static void
stop_engine (GPid pid)
{
  int status;

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
}

static TradeoffScenario *
small_scenario (double rate)
{
  TradeoffScenario *scenario = tradeoff_scenario_new ();

  tradeoff_workload_set_defaults (&scenario->workload, TRADEOFF_WORKLOAD_REQUEST);
  scenario->workload.duration_s = 1;
  scenario->workload.warmup_s = 0.2;
  scenario->workload.arrival_mode = TRADEOFF_ARRIVAL_OPEN;
  scenario->workload.distribution = TRADEOFF_DISTRIBUTION_CONSTANT;
  scenario->workload.rate_per_s = rate;
  scenario->workload.connections = 16;
  scenario->workload.cpu_us = 50;
  scenario->workload.wait_us = 0;
  g_ptr_array_set_size (scenario->engines, 0);
  return scenario;
}

static void
add_engine (TradeoffScenario   *scenario,
            TradeoffEngineSpec *spec)
{
  g_ptr_array_add (scenario->engines, spec);
}

typedef struct
{
  guint    calls;
  guint    with_run;
  double   last_fraction;
  gboolean monotonic;
  GThread *thread;
  gboolean wrong_thread;
} ProgressLog;

static void
on_progress (const TradeoffRunProgress *progress,
             gpointer                   user_data)
{
  ProgressLog *log = user_data;

  if (log->thread != NULL && g_thread_self () != log->thread)
    log->wrong_thread = TRUE;
  if (progress->fraction + 1e-9 < log->last_fraction)
    log->monotonic = FALSE;
  log->last_fraction = progress->fraction;
  log->calls++;
  if (progress->run != NULL)
    log->with_run++;
  g_assert_cmpuint (progress->engine_index, <, progress->n_engines);
  g_assert_nonnull (progress->engine_label);
}

static void
test_runner_url_engine (void)
{
  g_autoptr(TradeoffScenario) scenario = small_scenario (500);
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  TradeoffEngineSpec *spec;
  const TradeoffRun *run;
  JsonObject *summary;
  JsonArray *timeline;
  guint port;
  GPid pid = start_loop_engine (&port);

  spec = tradeoff_engine_spec_new (TRADEOFF_ENGINE_URL, "Someone else's server");
  g_free (spec->url);
  spec->url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  add_engine (scenario, spec);

  result = tradeoff_runner_run (scenario, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->runs->len, ==, 1);
  run = g_ptr_array_index (result->runs, 0);
  g_assert_null (run->error);
  g_assert_cmpfloat (run->summary.throughput_per_s, >, 400);
  g_assert_cmpfloat (run->summary.throughput_per_s, <, 600);
  /* Nothing to sample: unknown, never zero. */
  g_assert_true (isnan (run->summary.peak_rss_bytes));
  g_assert_true (isnan (run->summary.cpu_seconds));
  g_assert_true (isnan (run->summary.cpu_percent_mean));
  g_assert_true (isnan (run->summary.threads_max));
  g_assert_true (isnan (run->summary.server_cpu_us_per_request));
  g_assert_true (isnan (run->summary.capacity_per_core_per_s));
  g_assert_cmpuint (run->timeline->len, ==, 10);
  g_assert_true (isnan (g_array_index (run->timeline, TradeoffTimelinePoint, 0).rss_bytes));

  node = tradeoff_run_to_json (run);
  summary = json_object_get_object_member (json_node_get_object (node), "summary");
  g_assert_true (json_object_get_null_member (summary, "peak_rss_bytes"));
  g_assert_true (json_object_get_null_member (summary, "server_cpu_us_per_request"));
  g_assert_false (json_object_get_null_member (summary, "throughput_per_s"));
  timeline = json_object_get_array_member (json_node_get_object (node), "timeline");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (timeline, 0), "rss_bytes"));

  stop_engine (pid);
}

static void
test_runner_engines (void)
{
  g_autoptr(TradeoffScenario) scenario = small_scenario (1000);
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TradeoffRunOptions options;
  TradeoffEngineSpec *spec;
  ProgressLog log = { .monotonic = TRUE };

  add_engine (scenario, tradeoff_engine_spec_new (TRADEOFF_ENGINE_LOOP, "Loop"));
  spec = tradeoff_engine_spec_new (TRADEOFF_ENGINE_POOL, "Pool");
  spec->workers = 8;
  spec->gil = FALSE;
  add_engine (scenario, spec);

  tradeoff_run_options_init (&options);
  options.progress = on_progress;
  options.progress_data = &log;
  log.thread = g_thread_self ();
  options.duration_s = 1.2;

  result = tradeoff_runner_run (scenario, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->runs->len, ==, 2);
  g_assert_cmpfloat (result->scenario->workload.duration_s, ==, 1.2);

  for (guint i = 0; i < 2; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (result->runs, i);
      const TradeoffRunSummary *s = &run->summary;

      g_test_message ("%s: %.0f/s, %.1f MB, %.0f threads, %.0f us CPU a request",
                      run->engine->label, s->throughput_per_s, s->peak_rss_bytes / 1e6,
                      s->threads_max, s->server_cpu_us_per_request);
      g_assert_null (run->error);
      g_assert_cmpfloat (s->throughput_per_s, >, 850);
      g_assert_cmpfloat (s->throughput_per_s, <, 1150);
      g_assert_cmpfloat (s->offered_per_s, ==, 1000);
      g_assert_false (s->driver_limited);
      g_assert_cmpfloat (s->peak_rss_bytes, >, 1e6);
      g_assert_cmpfloat (s->threads_max, >=, i == 0 ? 1 : 8);
      /* 50 us of work a request, plus HTTP: more than 40 us, and not
       * absurdly more. */
      g_assert_cmpfloat (s->server_cpu_us_per_request, >, 40);
      g_assert_cmpfloat (s->server_cpu_us_per_request, <, 2000);
      g_assert_cmpfloat (fabs (s->capacity_per_core_per_s * s->server_cpu_us_per_request - 1e6), <, 1);
      g_assert_cmpfloat (s->cpu_percent_mean, >, 2);
      g_assert_cmpuint (run->timeline->len, ==, 12);
      g_assert_true (isfinite (g_array_index (run->timeline, TradeoffTimelinePoint, 5).rss_bytes));
      g_assert_cmpfloat (g_array_index (run->timeline, TradeoffTimelinePoint, 5).connections, >=, 1);
      g_assert_cmpfloat (s->latency_us.p99, >=, s->latency_us.p50);
      g_assert_cmpuint (tradeoff_histogram_get_count (run->histogram), ==, s->completed);
    }

  /* About ten a second, with snapshots, in order, on this thread. */
  g_assert_cmpuint (log.calls, >=, 15);
  g_assert_cmpuint (log.calls, <=, 60);
  g_assert_cmpuint (log.with_run, >=, 10);
  g_assert_true (log.monotonic);
  g_assert_false (log.wrong_thread);
  g_assert_cmpfloat (log.last_fraction, >, 0.5);
  g_assert_cmpuint (count_children (), ==, 0);
}

static char *
write_script (const char *dir,
              const char *name,
              const char *body)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\n%s\n", body);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static void
test_runner_failures (void)
{
  g_autoptr(TradeoffScenario) scenario = small_scenario (200);
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tradeoff-runner-XXXXXX", NULL);
  g_autofree char *garbage = write_script (dir, "garbage", "echo 'hello there'; sleep 30");
  g_autofree char *dies = write_script (dir, "dies", "echo 'serve: no such engine option' >&2; exit 3");
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  TradeoffRunOptions options;
  TradeoffEngineSpec *spec;
  const TradeoffRun *run;

  add_engine (scenario, tradeoff_engine_spec_new (TRADEOFF_ENGINE_LOOP, "Loop"));
  spec = tradeoff_engine_spec_new (TRADEOFF_ENGINE_REFERENCE, "Node");
  g_free (spec->runtime);
  spec->runtime = g_strdup ("node");
  add_engine (scenario, spec);
  scenario->workload.duration_s = 0.3;

  /* An engine that prints something else than its port line. */
  tradeoff_run_options_init (&options);
  options.cli_path = garbage;
  /* And no node on PATH. */
  g_setenv ("PATH", dir, TRUE);
  result = tradeoff_runner_run (scenario, &options, NULL, &error);
  g_setenv ("PATH", old_path, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (result->runs->len, ==, 2);
  run = g_ptr_array_index (result->runs, 0);
  g_test_message ("%s", run->error);
  g_assert_nonnull (run->error);
  g_assert_nonnull (strstr (run->error, "hello there"));
  run = g_ptr_array_index (result->runs, 1);
  g_test_message ("%s", run->error);
  g_assert_nonnull (run->error);
  g_assert_nonnull (strstr (run->error, "sudo apt-get install nodejs"));
  g_clear_pointer (&result, tradeoff_result_free);
  g_assert_cmpuint (count_children (), ==, 0);

  /* An engine that exits: its last stderr line says why. */
  g_ptr_array_set_size (scenario->engines, 1);
  options.cli_path = dies;
  result = tradeoff_runner_run (scenario, &options, NULL, &error);
  g_assert_no_error (error);
  run = g_ptr_array_index (result->runs, 0);
  g_test_message ("%s", run->error);
  g_assert_nonnull (run->error);
  g_assert_nonnull (strstr (run->error, "no such engine option"));
  g_assert_nonnull (strstr (run->error, "3"));
  g_assert_cmpuint (count_children (), ==, 0);

  g_unlink (garbage);
  g_unlink (dies);
  g_rmdir (dir);
}

typedef struct
{
  GMainLoop      *loop;
  TradeoffResult *result;
  GError         *error;
  ProgressLog     log;
} AsyncRun;

static void
on_run_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->result = tradeoff_runner_run_finish (res, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_runner_cancel (void)
{
  g_autoptr(TradeoffScenario) scenario = small_scenario (500);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TradeoffRunOptions options;
  AsyncRun run = { .log = { .monotonic = TRUE } };
  gint64 begun;

  add_engine (scenario, tradeoff_engine_spec_new (TRADEOFF_ENGINE_LOOP, "Loop"));
  add_engine (scenario, tradeoff_engine_spec_new (TRADEOFF_ENGINE_POOL, "Pool"));
  scenario->workload.duration_s = 20;

  tradeoff_run_options_init (&options);
  options.progress = on_progress;
  options.progress_data = &run.log;
  run.log.thread = g_thread_self ();
  run.loop = g_main_loop_new (NULL, FALSE);

  begun = g_get_monotonic_time ();
  tradeoff_runner_run_async (scenario, &options, cancellable, on_run_done, &run);
  g_timeout_add (1200, cancel_later, cancellable);
  g_main_loop_run (run.loop);

  g_assert_null (run.result);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - begun, <, 4 * G_USEC_PER_SEC);
  /* Progress came to this thread's main context. */
  g_assert_cmpuint (run.log.calls, >=, 3);
  g_assert_false (run.log.wrong_thread);
  /* The engine was killed and reaped before the run returned. */
  g_assert_cmpuint (count_children (), ==, 0);

  g_clear_error (&run.error);
  g_main_loop_unref (run.loop);
}

/* `tradeoff-cli run` */

static gboolean
one_line (const char *text)
{
  const char *nl = strchr (text, '\n');

  return nl != NULL && nl[1] == '\0';
}

static char *
save_scenario (const char             *dir,
               const TradeoffScenario *scenario)
{
  char *path = g_build_filename (dir, "scenario.tradeoff.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (tradeoff_scenario_save_file (scenario, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_cli_run (void)
{
  g_autoptr(TradeoffScenario) scenario = small_scenario (300);
  g_autofree char *dir = g_dir_make_tmp ("tradeoff-cli-run-XXXXXX", NULL);
  g_autofree char *scenario_path = NULL;
  g_autofree char *output = g_build_filename (dir, "result.json", NULL);
  g_autofree char *missing_dir = g_build_filename (dir, "no-such-folder", "result.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(TradeoffResult) result = NULL;
  g_autoptr(GError) error = NULL;

  add_engine (scenario, tradeoff_engine_spec_new (TRADEOFF_ENGINE_LOOP, "Loop engine"));
  scenario->workload.duration_s = 0.5;
  scenario_path = save_scenario (dir, scenario);

  {
    const char *args[] = { "run", scenario_path, "--output", output, NULL };

    g_assert_cmpint (tradeoff_test_run_cli_full (args, NULL, child_setup, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "Loop engine"));
    g_assert_nonnull (strstr (out, "p99"));
    result = tradeoff_result_load_file (output, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (result->runs->len, ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Bad arguments: one clear line, exit 2. */
  {
    const char *no_output[] = { "run", scenario_path, NULL };
    const char *both[] = { "run", scenario_path, "--preset", "hello-world", "--output", output, NULL };
    const char *no_file[] = { "run", "/nonexistent/x.tradeoff.json", "--output", output, NULL };
    const char *bad_dir[] = { "run", scenario_path, "--output", missing_dir, NULL };
    const char *bad_duration[] = { "run", scenario_path, "--duration", "-3", "--output", output, NULL };
    const char *bad_preset[] = { "run", "--preset", "no-such-preset", "--output", output, NULL };
    const char * const *cases[] = { no_output, both, no_file, bad_dir, bad_duration, bad_preset };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_assert_cmpint (tradeoff_test_run_cli_full (cases[i], NULL, child_setup, &out, &err), ==, 2);
        g_test_message ("%s", err);
        g_assert_true (one_line (err));
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
  }

  /* A failed run exits 1 and leaves the old file alone. */
  {
    const char *args[] = { "run", scenario_path, "--output", output, NULL };
    g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "TRADEOFF_CLI", "/bin/false", TRUE);
    g_autofree char *contents = NULL;

    g_file_set_contents (output, "keep me", -1, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tradeoff_test_run_cli_full (args, envp, child_setup, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "Loop engine"));
    g_assert_true (g_file_get_contents (output, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "keep me");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Ctrl+C: exit 130, nothing written, the engine gone. */
  {
    g_autofree char *interrupted = g_build_filename (dir, "interrupted.json", NULL);
    const char *argv[] = { g_getenv ("TRADEOFF_CLI"), "run", scenario_path, "--duration", "30",
                           "--output", interrupted, NULL };
    GPid pid;
    int status;
    gint64 begun;

    g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                   G_SPAWN_STDERR_TO_DEV_NULL, child_setup, NULL, &pid, &error);
    g_assert_no_error (error);
    g_usleep (1500 * 1000);
    begun = g_get_monotonic_time ();
    kill (pid, SIGINT);
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    g_assert_cmpint (g_get_monotonic_time () - begun, <, 3 * G_USEC_PER_SEC);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 130);
    g_assert_false (g_file_test (interrupted, G_FILE_TEST_EXISTS));
  }

  g_unlink (output);
  g_unlink (scenario_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/runner/url-engine", test_runner_url_engine);
  g_test_add_func ("/runner/engines", test_runner_engines);
  g_test_add_func ("/runner/failures", test_runner_failures);
  g_test_add_func ("/runner/cancel", test_runner_cancel);
  g_test_add_func ("/runner/cli-run", test_cli_run);

  return g_test_run ();
}
