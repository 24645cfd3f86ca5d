/* tradeoff-sampler.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Samples a process and its descendants (cluster workers) from /proc about
 * ten times a second on its own thread: resident memory, CPU time, threads
 * and open sockets. Times are g_get_monotonic_time () microseconds. */

typedef struct _TradeoffSampler TradeoffSampler;

typedef struct
{
  gint64  t_us;          /* when it was read */
  guint64 rss_bytes;
  double  cpu_seconds;   /* user + system, cumulative, all processes */
  double  cpu_percent;   /* since the previous sample; 100 = one core */
  guint   threads;
  guint   sockets;
  guint   processes;
} TradeoffSample;

typedef struct
{
  double peak_rss_bytes;
  double cpu_seconds;
  double cpu_percent_mean;
  double threads_max;
  double sockets_max;
} TradeoffSamplerSummary;

/* One reading of @pid and its descendants now. FALSE when @pid is gone. */
gboolean         tradeoff_sampler_read_once   (GPid                    pid,
                                               TradeoffSample         *sample);

TradeoffSampler *tradeoff_sampler_new         (GPid                    pid,
                                               guint                   interval_ms);
void             tradeoff_sampler_free        (TradeoffSampler        *self);
void             tradeoff_sampler_start       (TradeoffSampler        *self);
/* Takes a last sample and stops the thread. Idempotent. */
void             tradeoff_sampler_stop        (TradeoffSampler        *self);
/* The samples so far (copied; free with g_array_unref). */
GArray          *tradeoff_sampler_get_samples (TradeoffSampler        *self);
/* The latest sample at or before @t_us, or the first after it; FALSE when
 * there is none. */
gboolean         tradeoff_sampler_get_sample_at (TradeoffSampler      *self,
                                                 gint64                t_us,
                                                 TradeoffSample       *sample);
/* Figures over [@start_us, @end_us]: peak RSS and most threads of the
 * samples inside, CPU seconds between the samples around the window scaled
 * to its length. FALSE (and NANs) when nothing was sampled. */
gboolean         tradeoff_sampler_summarize   (TradeoffSampler        *self,
                                               gint64                  start_us,
                                               gint64                  end_us,
                                               TradeoffSamplerSummary *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffSampler, tradeoff_sampler_free)

G_END_DECLS
