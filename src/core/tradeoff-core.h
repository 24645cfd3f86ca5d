/* tradeoff-core.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Registers core's GResource (presets, guidance) once. A static library
 * drops objects nothing references, so core's modules call this before they
 * look anything up under /io/github/tradeoff/Tradeoff/. Thread-safe. */
void  tradeoff_core_ensure_resources (void);

/* @node as indented JSON text ending in a newline, with doubles in their
 * shortest exact form ("0.1", not "0.10000000000000001") and arrays of
 * plain values on one line, so saved files read well and diff cleanly. */
char *tradeoff_json_to_data          (JsonNode *node,
                                      gsize    *length);

/* Deep copies (json_node_copy() shares objects and arrays); NULL gives NULL. */
JsonNode   *tradeoff_json_node_copy   (JsonNode   *node);
JsonObject *tradeoff_json_object_copy (JsonObject *object);
/* Writes back the keys a file had and the model does not know (@extra may
 * be NULL), in the file's order; a key @object already has is the model's. */
void        tradeoff_json_object_add_extra (JsonObject *object,
                                            JsonObject *extra);

G_END_DECLS
