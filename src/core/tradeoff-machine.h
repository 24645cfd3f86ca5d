/* tradeoff-machine.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a result records about the machine it was measured on. */
typedef struct
{
  guint    cores;
  char    *cpu_model;
  char    *kernel;
  guint64  memory_bytes;
} TradeoffMachine;

TradeoffMachine *tradeoff_machine_new_local (void);
void             tradeoff_machine_free      (TradeoffMachine *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffMachine, tradeoff_machine_free)

G_END_DECLS
