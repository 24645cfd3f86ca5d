/* tradeoff-http-parser.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits promised by the wire contract. */
#define TRADEOFF_HTTP_MAX_HEADER_BYTES  (8 * 1024)
#define TRADEOFF_HTTP_MAX_BODY_BYTES    (1024 * 1024)

typedef enum
{
  TRADEOFF_HTTP_PARSE_INCOMPLETE,
  TRADEOFF_HTTP_PARSE_COMPLETE,
  TRADEOFF_HTTP_PARSE_ERROR,
} TradeoffHttpParseStatus;

typedef enum
{
  TRADEOFF_HTTP_METHOD_OTHER,
  TRADEOFF_HTTP_METHOD_GET,
  TRADEOFF_HTTP_METHOD_HEAD,
  TRADEOFF_HTTP_METHOD_POST,
} TradeoffHttpMethod;

/* A parsed request. Every pointer points into the caller's buffer, so it is
 * valid only until the caller consumes the request's bytes. */
typedef struct
{
  TradeoffHttpMethod  method;
  const char         *path;
  gsize               path_len;
  const char         *query;       /* after '?', or NULL */
  gsize               query_len;
  const char         *body;
  gsize               body_len;
  guint               minor_version;
  gboolean            keep_alive;
  gsize               total_len;   /* bytes the request took, headers and body */
  guint               error_status; /* 400, 413 or 431 when the parse failed */
  const char         *error_reason;
} TradeoffHttpRequest;

/* Incremental state: feed it the connection's unconsumed bytes each time more
 * arrive; it resumes scanning where it stopped, so a request delivered one
 * byte at a time costs linear time, not quadratic. */
typedef struct
{
  gsize    scan_pos;
  gsize    header_len;      /* 0 until the blank line has been seen */
  gsize    content_length;
  gsize    path_off;
  gsize    path_len;
  gsize    query_off;       /* 0 when there is no query */
  gsize    query_len;
  guint    minor_version;
  TradeoffHttpMethod method;
  guint    keep_alive : 1;
  guint    line_checked : 1;
  guint    expect_continue : 1;
  guint    continue_sent : 1;
} TradeoffHttpParser;

void                    tradeoff_http_parser_init    (TradeoffHttpParser  *parser);
void                    tradeoff_http_parser_reset   (TradeoffHttpParser  *parser);
TradeoffHttpParseStatus tradeoff_http_parser_execute (TradeoffHttpParser  *parser,
                                                      const char          *data,
                                                      gsize                len,
                                                      TradeoffHttpRequest *request);

gboolean                tradeoff_http_query_get_uint (const char          *query,
                                                      gsize                query_len,
                                                      const char          *name,
                                                      guint64              default_value,
                                                      guint64              max_value,
                                                      guint64             *value);

gboolean                tradeoff_http_parser_take_continue (TradeoffHttpParser *parser);

const char             *tradeoff_http_status_reason  (guint                status);

G_END_DECLS
