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
 * recomputes the last few.
 *
 * The code is split by concern, sharing tradeoff-runner-private.h: this
 * file (the run loop, progress and cancelling, the async API),
 * tradeoff-runner-command.c (finding programs, each engine's command
 * line), tradeoff-runner-child.c (the engine's child process) and
 * tradeoff-runner-figures.c (a run's timeline, summary and notes). */

#define G_LOG_DOMAIN "tradeoff-runner"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tradeoff-runner-private.h"

#define PROGRESS_US         (100 * 1000)
#define STARTUP_ESTIMATE_S  1.5

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

      argv = runner_engine_argv (cli, spec, &scenario->workload, &what, &message);
      if (argv == NULL)
        {
          run->error = message;
          return g_steal_pointer (&run);
        }
      if (!runner_child_spawn (argv, &child, &error))
        {
          run->error = g_strdup_printf (_("Could not start %s: %s"), argv[0], error->message);
          runner_child_stop (&child, TRUE);
          return g_steal_pointer (&run);
        }
      if (!runner_child_read_port (&child, what, cancellable, &port, &message))
        {
          runner_child_stop (&child, message == NULL);
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
      runner_child_stop (&child, FALSE);
      return g_steal_pointer (&run);
    }

  for (;;)
    {
      gint64 now;

      if (g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          /* The engine dies at once; the driver's threads end right after. */
          runner_child_stop (&child, TRUE);
          tradeoff_driver_stop (driver);
          break;
        }
      if (tradeoff_driver_wait (driver, 50))
        break;

      if (child.pid > 0 && runner_child_reap_nohang (&child))
        {
          tradeoff_driver_stop (driver);
          run->error = runner_child_exit_message (&child, what);
          break;
        }

      now = g_get_monotonic_time ();
      if (state->options->progress != NULL && now - last_progress >= PROGRESS_US)
        {
          TradeoffDriverPhase phase = tradeoff_driver_get_phase (driver);

          last_progress = now;
          runner_build_timeline (run, sealed, driver, sampler, FALSE);
          runner_build_summary (run, driver, sampler, FALSE);
          emit_progress (state, label, run_phase_from_driver (phase), (now - begun) / 1e6, run);
        }
    }

  if (!cancelled)
    {
      if (sampler != NULL)
        tradeoff_sampler_stop (sampler);
      runner_build_timeline (run, sealed, driver, sampler, TRUE);
      runner_build_summary (run, driver, sampler, TRUE);
      emit_progress (state, label, TRADEOFF_RUN_PHASE_STOPPING, (g_get_monotonic_time () - begun) / 1e6, run);
    }
  tradeoff_driver_free (driver);
  if (sampler != NULL)
    tradeoff_sampler_stop (sampler);
  runner_child_stop (&child, cancelled);

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
