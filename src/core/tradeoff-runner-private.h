/* tradeoff-runner-private.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tradeoff-driver.h"
#include "tradeoff-runner.h"
#include "tradeoff-sampler.h"

G_BEGIN_DECLS

/* What the runner's files share (see the design note in
 * tradeoff-runner.c): the engine's child process, and the functions one
 * file calls in another. */

typedef struct
{
  GPid   pid;
  int    stdout_fd;
  int    stderr_fd;
  char  *stderr_path;
  int    status;
  guint  reaped : 1;
} Child;

/* tradeoff-runner-command.c: what to start */
G_GNUC_INTERNAL
char **runner_engine_argv (const char               *cli,
                           const TradeoffEngineSpec *spec,
                           const TradeoffWorkload   *workload,
                           char                    **what,
                           char                    **message);

/* tradeoff-runner-child.c: the engine's child process */
G_GNUC_INTERNAL
gboolean  runner_child_spawn        (char          **argv,
                                     Child          *child,
                                     GError        **error);
G_GNUC_INTERNAL
gboolean  runner_child_read_port    (Child          *child,
                                     const char     *what,
                                     GCancellable   *cancellable,
                                     guint          *port,
                                     char          **message);
G_GNUC_INTERNAL
gboolean  runner_child_reap_nohang  (Child          *child);
G_GNUC_INTERNAL
void      runner_child_stop         (Child          *child,
                                     gboolean        now);
G_GNUC_INTERNAL
char     *runner_child_exit_message (Child          *child,
                                     const char     *what);

/* tradeoff-runner-figures.c: a run's figures from the driver and the sampler */
G_GNUC_INTERNAL
void runner_build_timeline (TradeoffRun     *run,
                            GArray          *sealed,
                            TradeoffDriver  *driver,
                            TradeoffSampler *sampler,
                            gboolean         final);
G_GNUC_INTERNAL
void runner_build_summary  (TradeoffRun     *run,
                            TradeoffDriver  *driver,
                            TradeoffSampler *sampler,
                            gboolean         final);

G_END_DECLS
