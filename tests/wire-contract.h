/* wire-contract.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers g_test cases PREFIX/health, PREFIX/work, PREFIX/stream,
 * PREFIX/chat-fanout and PREFIX/bad-request. Each starts the server ARGV
 * (argv[0] looked up on PATH; it must print a line holding "port": N on
 * stdout once it listens), checks the wire contract of FORMATS.md over real
 * sockets with libcurl, and kills and reaps the server. Needs only GLib and
 * libcurl, so any back end can be checked with it. ARGV is copied. */
void wire_contract_add_tests (const char         *prefix,
                              const char * const *argv);

/* Helpers the checks use, shared with other tests. */
typedef struct _WireServer WireServer;

WireServer *wire_server_start    (const char * const *argv);
guint       wire_server_get_port (WireServer         *server);
GPid        wire_server_get_pid  (WireServer         *server);
char       *wire_server_url      (WireServer         *server,
                                  const char         *path);
int         wire_server_stop     (WireServer         *server);

/* One request on a fresh connection; returns the status (0 on a transport
 * error), the body in BODY if not NULL, and the wall time in ELAPSED_S. */
long        wire_request         (const char         *method,
                                  const char         *url,
                                  const char         *body,
                                  GString            *out_body,
                                  double             *elapsed_s);

/* Raw socket helpers. */
int         wire_connect         (guint               port);
char       *wire_raw_exchange    (guint               port,
                                  const char         *data,
                                  gsize               len,
                                  guint               timeout_ms);

G_END_DECLS
