/* tradeoff-runner.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tradeoff-result.h"
#include "tradeoff-scenario.h"

G_BEGIN_DECLS

/* The run API shared by `tradeoff-cli run` and the window: each engine of a
 * scenario in turn is started as a child process (`tradeoff-cli serve`, or a
 * reference back end), loaded by the driver while the sampler reads its
 * /proc entries, then stopped and reaped, even when cancelled. A `url`
 * engine is loaded without starting or sampling anything. */

typedef enum
{
  TRADEOFF_RUN_PHASE_STARTING,
  TRADEOFF_RUN_PHASE_WARMUP,
  TRADEOFF_RUN_PHASE_MEASURING,
  TRADEOFF_RUN_PHASE_STOPPING,
} TradeoffRunPhase;

typedef struct
{
  guint              engine_index;
  guint              n_engines;
  const char        *engine_label;
  TradeoffRunPhase   phase;
  double             fraction;      /* of the whole scenario, 0 to 1 */
  double             seconds_left;  /* estimate for the whole scenario */
  /* A snapshot of the current engine's run so far (histograms, timeline,
   * summary as far as known); borrowed, valid only during the call. */
  const TradeoffRun *run;
} TradeoffRunProgress;

typedef void (*TradeoffRunProgressFunc) (const TradeoffRunProgress *progress,
                                         gpointer                   user_data);

typedef struct
{
  const char              *cli_path;       /* NULL: tradeoff_runner_find_cli () */
  double                   duration_s;     /* > 0 overrides the scenario's */
  double                   warmup_s;       /* >= 0 overrides the scenario's; < 0 keeps it */
  TradeoffRunProgressFunc  progress;       /* at most about 10 times a second */
  gpointer                 progress_data;
  guint                    driver_threads; /* 0: as many as the offered rate needs */
} TradeoffRunOptions;

void            tradeoff_run_options_init  (TradeoffRunOptions        *options);

/* The tradeoff-cli to start engines with: $TRADEOFF_CLI, else the one beside
 * the running executable (or in its cli/ folder, in the build tree), else
 * BINDIR, else PATH. NULL if none. */
char           *tradeoff_runner_find_cli   (void);

/* Blocking; call it from a worker thread. @progress is called on the
 * calling thread. Returns a result with one run per engine (a run whose
 * engine could not start carries its `error`, and the others still run), or
 * NULL with G_IO_ERROR_CANCELLED when @cancellable fires: the engine process
 * is killed at once. */
TradeoffResult *tradeoff_runner_run        (const TradeoffScenario    *scenario,
                                            const TradeoffRunOptions  *options,
                                            GCancellable              *cancellable,
                                            GError                   **error);

/* The same in a thread; @options->progress is called in the thread-default
 * main context of the caller, with data that stays valid during the call. */
void            tradeoff_runner_run_async  (const TradeoffScenario    *scenario,
                                            const TradeoffRunOptions  *options,
                                            GCancellable              *cancellable,
                                            GAsyncReadyCallback        callback,
                                            gpointer                   user_data);
TradeoffResult *tradeoff_runner_run_finish (GAsyncResult              *result,
                                            GError                   **error);

G_END_DECLS
