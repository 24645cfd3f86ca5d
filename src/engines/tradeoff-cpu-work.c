/* tradeoff-cpu-work.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* CPU work is real arithmetic: a small dense matrix-vector product, the inner
 * loop of a batched inference, repeated until the calling thread's own CPU
 * clock has advanced by the amount asked for. Time spent descheduled or
 * waiting for a lock does not count, so a thread that shares a core or a GIL
 * takes longer in wall time, exactly as a real computation would. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <time.h>

#include "tradeoff-cpu-work.h"

#define DIM 32

gint64
tradeoff_thread_cpu_time_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return g_get_monotonic_time ();

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static double
matvec_round (double       *vec,
              const double *mat)
{
  double out[DIM];
  double norm = 0.0;

  for (guint i = 0; i < DIM; i++)
    {
      double acc = 0.0;

      for (guint j = 0; j < DIM; j++)
        acc += mat[i * DIM + j] * vec[j];
      out[i] = acc;
      norm += acc * acc;
    }

  /* Renormalise so values stay finite however many rounds run. */
  norm = norm > 0.0 ? 1.0 / __builtin_sqrt (norm) : 1.0;
  for (guint i = 0; i < DIM; i++)
    vec[i] = out[i] * norm + 1e-9;

  return vec[0];
}

double
tradeoff_cpu_work_run (guint64               cpu_us,
                       TradeoffCpuCheckpoint checkpoint,
                       gpointer              user_data)
{
  double mat[DIM * DIM];
  double vec[DIM];
  double checksum = 0.0;
  gint64 start;
  gint64 next_checkpoint;

  if (cpu_us == 0)
    return 0.0;

  for (guint i = 0; i < DIM * DIM; i++)
    mat[i] = ((i * 2654435761u) % 1000) / 1000.0 - 0.5;
  for (guint i = 0; i < DIM; i++)
    vec[i] = 1.0 / (i + 1);

  start = tradeoff_thread_cpu_time_us ();
  next_checkpoint = start + TRADEOFF_CPU_SLICE_US;

  for (;;)
    {
      gint64 now;

      /* About a microsecond of arithmetic between clock reads keeps the
       * clock's own cost (a system call) a small share of the work. */
      for (guint r = 0; r < 4; r++)
        checksum += matvec_round (vec, mat);

      now = tradeoff_thread_cpu_time_us ();
      if (now - start >= (gint64) cpu_us)
        break;

      if (checkpoint != NULL && now >= next_checkpoint)
        {
          checkpoint (user_data);
          next_checkpoint = tradeoff_thread_cpu_time_us () + TRADEOFF_CPU_SLICE_US;
        }
    }

  return checksum;
}

double
tradeoff_cpu_work_items (guint                 items,
                         guint64               cpu_us_per_item,
                         TradeoffCpuCheckpoint checkpoint,
                         gpointer              user_data)
{
  double checksum = 0.0;

  for (guint i = 0; i < items; i++)
    checksum += tradeoff_cpu_work_run (cpu_us_per_item, checkpoint, user_data);

  return checksum;
}
