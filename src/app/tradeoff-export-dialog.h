/* tradeoff-export-dialog.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tradeoff-export.h"

G_BEGIN_DECLS

#define TRADEOFF_TYPE_EXPORT_DIALOG (tradeoff_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TradeoffExportDialog, tradeoff_export_dialog, TRADEOFF, EXPORT_DIALOG, AdwWindow)

/* @result is copied. */
TradeoffExportDialog *tradeoff_export_dialog_new            (GtkWindow             *parent,
                                                             const TradeoffResult  *result,
                                                             TradeoffChartKind      kind);
void                  tradeoff_export_dialog_set_format     (TradeoffExportDialog  *self,
                                                             TradeoffExportFormat   format);
/* What the Export button does once a file is chosen; emits "exported" or
 * "failed" and closes the dialog. */
gboolean              tradeoff_export_dialog_export_to_file (TradeoffExportDialog  *self,
                                                             GFile                 *file);

G_END_DECLS
