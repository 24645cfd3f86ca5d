/* tradeoff-cli-run.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `tradeoff-cli run`: runs a scenario against its engines and writes the
 * result file. The run happens in a thread (tradeoff_runner_run_async);
 * this thread runs a main loop that shows progress and turns SIGINT and
 * SIGTERM into a cancel, so the engine is killed and reaped before we exit
 * with 130, without writing anything. */

#define G_LOG_DOMAIN "tradeoff-cli"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "tradeoff-cli.h"
#include "tradeoff-presets.h"
#include "tradeoff-runner.h"

typedef struct
{
  GMainLoop      *loop;
  GCancellable   *cancellable;
  TradeoffResult *result;
  GError         *error;
  gboolean        tty;
  gboolean        bar_shown;
  int             last_phase;
  int             last_engine;
  gint64          last_line_us;
  gboolean        interrupted;
} RunContext;

static const char *
phase_name (TradeoffRunPhase phase)
{
  switch (phase)
    {
    case TRADEOFF_RUN_PHASE_STARTING:
      return _("starting");
    case TRADEOFF_RUN_PHASE_WARMUP:
      return _("warming up");
    case TRADEOFF_RUN_PHASE_MEASURING:
      return _("measuring");
    case TRADEOFF_RUN_PHASE_STOPPING:
    default:
      return _("stopping");
    }
}

static void
on_progress_cb (const TradeoffRunProgress *progress,
                gpointer                   user_data)
{
  RunContext *ctx = user_data;
  gint64 now = g_get_monotonic_time ();
  double throughput = progress->run != NULL ? progress->run->summary.throughput_per_s : 0;

  if (ctx->tty)
    {
      const int width = 24;
      int filled = (int) (progress->fraction * width + 0.5);
      char bar[32];

      for (int i = 0; i < width; i++)
        bar[i] = i < filled ? '#' : '-';
      bar[width] = '\0';
      /* TRANSLATORS: the progress bar: engine label, its number, phase, seconds left. */
      fprintf (stderr, _("\r[%s] %3.0f%%  %s (%u/%u) %s, %.0f s left, %.0f/s\033[K"),
               bar, progress->fraction * 100, progress->engine_label,
               progress->engine_index + 1, progress->n_engines,
               phase_name (progress->phase), ceil (progress->seconds_left), throughput);
      fflush (stderr);
      ctx->bar_shown = TRUE;
      return;
    }

  /* Plain lines: one for each new phase, and one a second while measuring. */
  if ((int) progress->phase == ctx->last_phase && (int) progress->engine_index == ctx->last_engine &&
      now - ctx->last_line_us < G_USEC_PER_SEC)
    return;
  ctx->last_phase = progress->phase;
  ctx->last_engine = progress->engine_index;
  ctx->last_line_us = now;
  fprintf (stderr, _("%s (%u/%u): %s, %.0f s left, %.0f/s\n"),
           progress->engine_label, progress->engine_index + 1, progress->n_engines,
           phase_name (progress->phase), ceil (progress->seconds_left), throughput);
}

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunContext *ctx = user_data;

  ctx->result = tradeoff_runner_run_finish (result, &ctx->error);
  g_main_loop_quit (ctx->loop);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  RunContext *ctx = user_data;

  ctx->interrupted = TRUE;
  g_cancellable_cancel (ctx->cancellable);
  return G_SOURCE_CONTINUE;
}

static char *
format_latency (double us)
{
  if (!isfinite (us))
    return g_strdup ("—");
  if (us < 1000)
    return g_strdup_printf ("%.0f µs", us);
  if (us < 1000 * 1000)
    return g_strdup_printf ("%.1f ms", us / 1000);
  return g_strdup_printf ("%.2f s", us / 1e6);
}

static void
print_summary (const TradeoffResult *result)
{
  printf ("%-28s %12s %10s %10s %10s  %s\n", _("Engine"), _("Per second"), "p50", "p99",
          _("Peak RSS"), _("Note"));
  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (result->runs, i);
      const TradeoffRunSummary *s = &run->summary;
      const char *label = run->engine->label != NULL ? run->engine->label : "";
      g_autofree char *p50 = NULL;
      g_autofree char *p99 = NULL;
      g_autofree char *rss = NULL;

      if (run->error != NULL)
        {
          printf ("%-28s %s: %s\n", label, _("failed"), run->error);
          continue;
        }
      p50 = format_latency (s->latency_us.p50);
      p99 = format_latency (s->latency_us.p99);
      rss = isfinite (s->peak_rss_bytes) ? g_format_size ((guint64) s->peak_rss_bytes) : g_strdup ("—");
      printf ("%-28s %12.0f %10s %10s %10s  %s\n", label, s->throughput_per_s, p50, p99, rss,
              s->driver_limited ? _("driver-limited") : "");
    }
  for (guint i = 0; i < result->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (result->runs, i);

      if (run->error == NULL && run->note != NULL)
        printf ("%s: %s\n", run->engine->label != NULL ? run->engine->label : "", run->note);
    }
}

int
tradeoff_cli_run (int    argc,
                  char **argv)
{
  g_autofree char *preset = NULL;
  g_autofree char *output = NULL;
  g_autofree char *output_dir = NULL;
  double duration = 0;
  double warmup = -1;
  int driver_threads = 0;
  const GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Run a built-in scenario (see “tradeoff-cli presets”)"), N_("NAME") },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration, N_("Measure each engine for S seconds, overriding the scenario"), N_("S") },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &warmup, N_("Warm up each engine for S seconds, overriding the scenario"), N_("S") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the result file here"), N_("RESULT.json") },
    { "driver-threads", 0, 0, G_OPTION_ARG_INT, &driver_threads, N_("Load with N driver threads (default: as the rate needs)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffScenario) scenario = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TradeoffRunOptions options;
  RunContext ctx = { 0 };
  guint sigint_id;
  guint sigterm_id;
  guint failed = 0;
  int status;

  context = g_option_context_new (_("(SCENARIO.json | --preset NAME) --output RESULT.json"));
  g_option_context_set_summary (context, _("Run a scenario against its engines and write a result file."));
  if (!tradeoff_cli_parse_options (context, entries, &argc, &argv, 1))
    return TRADEOFF_CLI_EXIT_USAGE;
  if ((argc == 2) == (preset != NULL))
    {
      tradeoff_cli_print_error (_("run: give either a scenario file or --preset NAME"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (output == NULL || *output == '\0')
    {
      tradeoff_cli_print_error (_("run: --output RESULT.json is required"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (duration < 0 || !isfinite (duration) || (duration > 0 && duration < 0.1))
    {
      tradeoff_cli_print_error (_("run: --duration must be at least 0.1 seconds, got %g"), duration);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (!isfinite (warmup) || (warmup < 0 && warmup != -1))
    {
      tradeoff_cli_print_error (_("run: --warmup must be 0 or more seconds, got %g"), warmup);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (driver_threads < 0 || driver_threads > 256)
    {
      tradeoff_cli_print_error (_("run: --driver-threads must be from 1 to 256, got %d"), driver_threads);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  output_dir = g_path_get_dirname (output);
  if (!g_file_test (output_dir, G_FILE_TEST_IS_DIR))
    {
      tradeoff_cli_print_error (_("run: cannot write “%s”: the folder “%s” does not exist"), output, output_dir);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (g_file_test (output, G_FILE_TEST_IS_DIR))
    {
      tradeoff_cli_print_error (_("run: cannot write “%s”: it is a folder"), output);
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  if (preset != NULL)
    {
      if (tradeoff_presets_lookup (preset) == NULL)
        {
          tradeoff_cli_print_error (_("run: unknown preset “%s”; see “tradeoff-cli presets”"), preset);
          return TRADEOFF_CLI_EXIT_USAGE;
        }
      scenario = tradeoff_presets_load (preset, &error);
    }
  else
    scenario = tradeoff_scenario_load_file (argv[1], &error);

  if (scenario == NULL)
    {
      tradeoff_cli_print_error ("%s: %s", preset != NULL ? preset : argv[1], error->message);
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (duration > 0)
    scenario->workload.duration_s = duration;
  if (warmup >= 0)
    scenario->workload.warmup_s = warmup;
  if (!tradeoff_scenario_validate (scenario, &error))
    {
      tradeoff_cli_print_error ("%s: %s", preset != NULL ? preset : argv[1], error->message);
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  /* The default context: g_unix_signal_add () attaches there, and the
   * runner delivers progress to it. */
  ctx.loop = g_main_loop_new (NULL, FALSE);
  ctx.cancellable = cancellable;
  ctx.tty = isatty (STDERR_FILENO);
  ctx.last_phase = -1;
  ctx.last_engine = -1;

  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &ctx);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &ctx);

  tradeoff_run_options_init (&options);
  options.progress = on_progress_cb;
  options.progress_data = &ctx;
  options.driver_threads = (guint) driver_threads;

  tradeoff_runner_run_async (scenario, &options, cancellable, on_run_done_cb, &ctx);
  g_main_loop_run (ctx.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  /* Progress messages still queued would print after the result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_main_loop_unref (ctx.loop);

  if (ctx.bar_shown)
    fprintf (stderr, "\r\033[K");

  if (ctx.result == NULL)
    {
      if (g_error_matches (ctx.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || ctx.interrupted)
        {
          tradeoff_cli_print_error (_("run: interrupted; nothing was written"));
          g_clear_error (&ctx.error);
          return 130;
        }
      tradeoff_cli_print_error ("%s", ctx.error->message);
      g_clear_error (&ctx.error);
      return TRADEOFF_CLI_EXIT_FAILED;
    }

  for (guint i = 0; i < ctx.result->runs->len; i++)
    {
      const TradeoffRun *run = g_ptr_array_index (ctx.result->runs, i);

      if (run->error != NULL)
        {
          failed++;
          tradeoff_cli_print_error (_("run: %s failed: %s"),
                                    run->engine->label != NULL ? run->engine->label : "", run->error);
        }
    }

  status = failed > 0 ? TRADEOFF_CLI_EXIT_FAILED : TRADEOFF_CLI_EXIT_OK;
  if (failed < ctx.result->runs->len)
    {
      if (!tradeoff_result_save_file (ctx.result, output, &error))
        {
          tradeoff_cli_print_error (_("run: cannot write “%s”: %s"), output, error->message);
          status = TRADEOFF_CLI_EXIT_FAILED;
        }
      print_summary (ctx.result);
    }
  else
    tradeoff_cli_print_error (_("run: every engine failed; “%s” was not written"), output);

  tradeoff_result_free (ctx.result);
  return status;
}
