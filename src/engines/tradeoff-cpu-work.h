/* tradeoff-cpu-work.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called between slices of work, about every TRADEOFF_CPU_SLICE_US of thread
 * CPU time, so a caller can yield a global lock or notice cancellation. */
typedef void (*TradeoffCpuCheckpoint) (gpointer user_data);

#define TRADEOFF_CPU_SLICE_US 50

gint64  tradeoff_thread_cpu_time_us (void);
double  tradeoff_cpu_work_run       (guint64               cpu_us,
                                     TradeoffCpuCheckpoint checkpoint,
                                     gpointer              user_data);
double  tradeoff_cpu_work_items     (guint                 items,
                                     guint64               cpu_us_per_item,
                                     TradeoffCpuCheckpoint checkpoint,
                                     gpointer              user_data);

G_END_DECLS
