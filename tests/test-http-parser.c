/* test-http-parser.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The strict HTTP/1.1 request parser and the routing of the wire contract:
 * a table of requests with their expected outcome, each fed whole, split at
 * every byte, and one byte at a time. */

#include "config.h"

#include <string.h>

#include "tradeoff-http-parser.h"
#include "tradeoff-wire.h"

typedef struct
{
  const char *name;
  const char *input;
  guint       status;       /* 0: parses completely; else the error status */
  const char *path;         /* expected path when complete */
  const char *query;
  gsize       body_len;
  gboolean    keep_alive;
} ParseCase;

static const ParseCase cases[] = {
  { "get", "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 0, "/health", NULL, 0, TRUE },
  { "query", "POST /work?cpu_us=10&wait_us=5 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    0, "/work", "cpu_us=10&wait_us=5", 0, TRUE },
  { "body", "POST /chat/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", 0, "/chat/a", NULL, 5, TRUE },
  { "http10-closes", "GET / HTTP/1.0\r\n\r\n", 0, "/", NULL, 0, FALSE },
  { "http10-keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 0, "/", NULL, 0, TRUE },
  { "connection-close", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0, "/", NULL, 0, FALSE },
  { "connection-list", "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, CLOSE\r\n\r\n", 0, "/", NULL, 0, FALSE },
  { "leading-crlf", "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 0, "/", NULL, 0, TRUE },
  { "ows-around-value", "GET / HTTP/1.1\r\nHost:   x  \r\nContent-Length:\t0\r\n\r\n", 0, "/", NULL, 0, TRUE },
  { "same-length-twice", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", 0, "/", NULL, 2, TRUE },
  { "other-method", "DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n", 0, "/x", NULL, 0, TRUE },

  { "garbage", "GARBAGE\r\n\r\n", 400 },
  { "binary", "\x01\x02\x03\xff", 400 },
  { "no-version", "GET /\r\nHost: x\r\n\r\n", 400 },
  { "bad-version", "GET / HTTP/1.x\r\nHost: x\r\n\r\n", 400 },
  { "http2", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505 },
  { "lowercase-version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400 },
  { "absolute-target", "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
  { "space-in-target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
  { "double-space", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
  { "bare-lf", "GET / HTTP/1.1\nHost: x\n\n", 400 },
  { "missing-host", "GET / HTTP/1.1\r\n\r\n", 400 },
  { "two-hosts", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400 },
  { "space-before-colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400 },
  { "obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n", 400 },
  { "no-colon", "GET / HTTP/1.1\r\nHost: x\r\nJunk\r\n\r\n", 400 },
  { "ctl-in-value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01" "b\r\n\r\n", 400 },
  { "bad-length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400 },
  { "negative-length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400 },
  { "conflicting-length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400 },
  { "chunked-request", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
  { "body-too-large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n", 413 },
  { "huge-length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413 },
  { "fragment", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
};

/* Feeds INPUT in pieces of STEP bytes (0: whole), growing the buffer as a
 * connection would, and returns the final status. */
static TradeoffHttpParseStatus
feed (const char          *input,
      gsize                len,
      gsize                step,
      TradeoffHttpRequest *request)
{
  TradeoffHttpParser parser;
  TradeoffHttpParseStatus status = TRADEOFF_HTTP_PARSE_INCOMPLETE;
  gsize have = step == 0 ? len : 0;

  tradeoff_http_parser_init (&parser);
  for (;;)
    {
      status = tradeoff_http_parser_execute (&parser, input, have, request);
      if (status != TRADEOFF_HTTP_PARSE_INCOMPLETE || have == len)
        return status;
      have = MIN (len, have + step);
    }
}

static void
check_case (const ParseCase *c,
            gsize            step)
{
  TradeoffHttpRequest request;
  gsize len = strlen (c->input);
  /* A copy of exactly LEN bytes, so reading past the data is caught by the
   * sanitizers. */
  g_autofree char *input = g_memdup2 (c->input, len);
  TradeoffHttpParseStatus status = feed (input, len, step, &request);

  if (c->status != 0)
    {
      g_assert_cmpint (status, ==, TRADEOFF_HTTP_PARSE_ERROR);
      g_assert_cmpuint (request.error_status, ==, c->status);
      g_assert_nonnull (request.error_reason);
      return;
    }

  g_assert_cmpint (status, ==, TRADEOFF_HTTP_PARSE_COMPLETE);
  g_assert_cmpuint (request.total_len, ==, len);
  g_assert_cmpuint (request.path_len, ==, strlen (c->path));
  g_assert_true (memcmp (request.path, c->path, request.path_len) == 0);
  if (c->query == NULL)
    g_assert_null (request.query);
  else
    {
      g_assert_cmpuint (request.query_len, ==, strlen (c->query));
      g_assert_true (memcmp (request.query, c->query, request.query_len) == 0);
    }
  g_assert_cmpuint (request.body_len, ==, c->body_len);
  g_assert_cmpint (request.keep_alive, ==, c->keep_alive);
}

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %s", cases[i].name);
      check_case (&cases[i], 0);
      check_case (&cases[i], 1);
      check_case (&cases[i], 7);
    }
}

/* Garbage is refused before a line ends, not after the idle timeout. */
static void
test_early_rejection (void)
{
  TradeoffHttpParser parser;
  TradeoffHttpRequest request;

  tradeoff_http_parser_init (&parser);
  g_assert_cmpint (tradeoff_http_parser_execute (&parser, "GE", 2, &request), ==,
                   TRADEOFF_HTTP_PARSE_INCOMPLETE);
  g_assert_cmpint (tradeoff_http_parser_execute (&parser, "GE\x7f", 3, &request), ==,
                   TRADEOFF_HTTP_PARSE_ERROR);
  g_assert_cmpuint (request.error_status, ==, 400);

  tradeoff_http_parser_init (&parser);
  g_assert_cmpint (tradeoff_http_parser_execute (&parser, "GET x", 5, &request), ==,
                   TRADEOFF_HTTP_PARSE_ERROR);
}

static void
test_header_limit (void)
{
  g_autoptr(GString) fits = g_string_new ("GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ");
  g_autoptr(GString) over = NULL;
  TradeoffHttpRequest request;

  /* Exactly 8 KiB of request line and headers parses. */
  while (fits->len < TRADEOFF_HTTP_MAX_HEADER_BYTES - 4)
    g_string_append_c (fits, 'a');
  g_string_append (fits, "\r\n\r\n");
  g_assert_cmpuint (fits->len, ==, TRADEOFF_HTTP_MAX_HEADER_BYTES);
  g_assert_cmpint (feed (fits->str, fits->len, 0, &request), ==, TRADEOFF_HTTP_PARSE_COMPLETE);
  g_assert_cmpint (feed (fits->str, fits->len, 1, &request), ==, TRADEOFF_HTTP_PARSE_COMPLETE);

  /* One byte more is 431, whether or not the end has arrived. */
  over = g_string_new (fits->str);
  g_string_insert_c (over, 30, 'a');
  g_assert_cmpint (feed (over->str, over->len, 0, &request), ==, TRADEOFF_HTTP_PARSE_ERROR);
  g_assert_cmpuint (request.error_status, ==, 431);
  g_assert_cmpint (feed (over->str, TRADEOFF_HTTP_MAX_HEADER_BYTES, 100, &request), ==,
                   TRADEOFF_HTTP_PARSE_ERROR);
  g_assert_cmpuint (request.error_status, ==, 431);
}

static void
test_body_limit (void)
{
  g_autofree char *head = g_strdup_printf ("POST /chat/r HTTP/1.1\r\nHost: x\r\nContent-Length: %u\r\n\r\n",
                                           TRADEOFF_HTTP_MAX_BODY_BYTES);
  gsize head_len = strlen (head);
  gsize len = head_len + TRADEOFF_HTTP_MAX_BODY_BYTES;
  g_autofree char *input = g_malloc (len);
  TradeoffHttpRequest request;

  memcpy (input, head, head_len);
  memset (input + head_len, 'b', TRADEOFF_HTTP_MAX_BODY_BYTES);

  /* 1 MiB exactly is accepted; the parser waits for all of it. */
  g_assert_cmpint (feed (input, len - 1, 0, &request), ==, TRADEOFF_HTTP_PARSE_INCOMPLETE);
  g_assert_cmpint (feed (input, len, 65536, &request), ==, TRADEOFF_HTTP_PARSE_COMPLETE);
  g_assert_cmpuint (request.body_len, ==, TRADEOFF_HTTP_MAX_BODY_BYTES);
}

static void
test_pipelined (void)
{
  static const char input[] =
    "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    "POST /work?reply_bytes=3 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
    "GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    "GET /par";
  static const char *paths[] = { "/health", "/work", "/stream" };
  TradeoffHttpParser parser;
  TradeoffHttpRequest request;
  gsize offset = 0;

  tradeoff_http_parser_init (&parser);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_assert_cmpint (tradeoff_http_parser_execute (&parser, input + offset, strlen (input) - offset, &request),
                       ==, TRADEOFF_HTTP_PARSE_COMPLETE);
      g_assert_cmpuint (request.path_len, ==, strlen (paths[i]));
      g_assert_true (memcmp (request.path, paths[i], request.path_len) == 0);
      g_assert_cmpint (request.keep_alive, ==, i < 2);
      offset += request.total_len;
      tradeoff_http_parser_reset (&parser);
    }
  /* The start of a fourth request waits for more. */
  g_assert_cmpint (tradeoff_http_parser_execute (&parser, input + offset, strlen (input) - offset, &request),
                   ==, TRADEOFF_HTTP_PARSE_INCOMPLETE);
}

static void
test_expect_continue (void)
{
  static const char input[] = "POST /chat/a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
  TradeoffHttpParser parser;
  TradeoffHttpRequest request;

  tradeoff_http_parser_init (&parser);
  g_assert_cmpint (tradeoff_http_parser_execute (&parser, input, strlen (input), &request), ==,
                   TRADEOFF_HTTP_PARSE_INCOMPLETE);
  g_assert_true (tradeoff_http_parser_take_continue (&parser));
  g_assert_false (tradeoff_http_parser_take_continue (&parser));
}

static void
test_query (void)
{
  static const char query[] = "cpu_us=250&wait_us=&items=x&reply_bytes=12&big=99999999999999999999&cpu_us=300";
  guint64 value = 0;

  g_assert_true (tradeoff_http_query_get_uint (query, strlen (query), "cpu_us", 0, G_MAXUINT64, &value));
  g_assert_cmpuint (value, ==, 300);
  g_assert_true (tradeoff_http_query_get_uint (query, strlen (query), "reply_bytes", 0, 100, &value));
  g_assert_cmpuint (value, ==, 12);
  g_assert_false (tradeoff_http_query_get_uint (query, strlen (query), "reply_bytes", 0, 10, &value));
  g_assert_true (tradeoff_http_query_get_uint (query, strlen (query), "absent", 7, 100, &value));
  g_assert_cmpuint (value, ==, 7);
  g_assert_false (tradeoff_http_query_get_uint (query, strlen (query), "wait_us", 0, 100, &value));
  g_assert_false (tradeoff_http_query_get_uint (query, strlen (query), "items", 0, 100, &value));
  g_assert_false (tradeoff_http_query_get_uint (query, strlen (query), "big", 0, G_MAXUINT64, &value));
  /* "us" must not match the end of "cpu_us". */
  g_assert_true (tradeoff_http_query_get_uint (query, strlen (query), "us", 5, 100, &value));
  g_assert_cmpuint (value, ==, 5);
}

typedef struct
{
  const char        *request;
  TradeoffRouteKind  kind;
  guint              status;
} RouteCase;

static void
test_routes (void)
{
  static const RouteCase routes[] = {
    { "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_HEALTH, 0 },
    { "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_HEALTH, 0 },
    { "POST /health HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 405 },
    { "POST /work?cpu_us=5&items=3&wait_us=7&reply_bytes=9 HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_WORK, 0 },
    { "GET /work HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 405 },
    { "POST /work?cpu_us=abc HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 400 },
    { "POST /work?cpu_us=60000000&items=2 HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 400 },
    { "GET /stream?bytes=10&rate=5&chunk=2 HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_STREAM, 0 },
    { "GET /stream?chunk=0 HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 400 },
    { "GET /chat/room-1 HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_CHAT_SUBSCRIBE, 0 },
    { "POST /chat/room-1?cpu_us=5 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi", TRADEOFF_ROUTE_CHAT_PUBLISH, 0 },
    { "POST /chat/r HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\na\nb", TRADEOFF_ROUTE_ERROR, 400 },
    { "PUT /chat/r HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 405 },
    { "GET /chat/ HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 404 },
    { "GET /chat/a%20b HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 404 },
    { "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", TRADEOFF_ROUTE_ERROR, 404 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      TradeoffHttpRequest request;
      TradeoffRoute route;

      g_test_message ("route %s", routes[i].request);
      g_assert_cmpint (feed (routes[i].request, strlen (routes[i].request), 0, &request), ==,
                       TRADEOFF_HTTP_PARSE_COMPLETE);
      tradeoff_wire_route (&request, &route);
      g_assert_cmpint (route.kind, ==, routes[i].kind);
      if (route.kind == TRADEOFF_ROUTE_ERROR)
        g_assert_cmpuint (route.status, ==, routes[i].status);
      if (route.kind == TRADEOFF_ROUTE_WORK)
        {
          g_assert_cmpuint (route.cpu_us, ==, 5);
          g_assert_cmpuint (route.items, ==, 3);
          g_assert_cmpuint (route.wait_us, ==, 7);
          g_assert_cmpuint (route.reply_bytes, ==, 9);
        }
      if (route.kind == TRADEOFF_ROUTE_CHAT_PUBLISH)
        {
          g_assert_cmpstr (route.room, ==, "room-1");
          g_assert_cmpuint (route.body_len, ==, 2);
        }
    }
}

static void
test_chat_hub (void)
{
  g_autoptr(TradeoffChatHub) hub = tradeoff_chat_hub_new (2);
  TradeoffChatSubscriber *a = tradeoff_chat_hub_subscribe (hub, "r", NULL, NULL);
  TradeoffChatSubscriber *b = tradeoff_chat_hub_subscribe (hub, "other", NULL, NULL);
  GBytes *message;
  gsize size;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = g_strdup_printf ("m%u", i);
      g_autoptr(GBytes) m = tradeoff_chat_message_new (body, strlen (body));

      g_assert_cmpuint (tradeoff_chat_hub_publish (hub, "r", m), ==, 1);
    }

  /* The queue holds two: the oldest was dropped and counted. */
  g_assert_cmpuint (tradeoff_chat_subscriber_get_dropped (a), ==, 1);
  message = tradeoff_chat_subscriber_pop (a);
  g_assert_cmpmem (g_bytes_get_data (message, &size), size, "a\r\ndata: m1\n\n\r\n", 15);
  g_bytes_unref (message);
  message = tradeoff_chat_subscriber_pop (a);
  g_bytes_unref (message);
  g_assert_null (tradeoff_chat_subscriber_pop (a));
  g_assert_null (tradeoff_chat_subscriber_pop (b));

  g_assert_cmpuint (tradeoff_chat_hub_count (hub), ==, 2);
  tradeoff_chat_hub_unsubscribe (hub, a);
  tradeoff_chat_hub_unsubscribe (hub, a);
  tradeoff_chat_hub_unsubscribe (hub, b);
  g_assert_cmpuint (tradeoff_chat_hub_count (hub), ==, 0);
  g_assert_false (tradeoff_chat_subscriber_is_active (a));
  tradeoff_chat_subscriber_unref (a);
  tradeoff_chat_subscriber_unref (b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/http-parser/table", test_table);
  g_test_add_func ("/engine/http-parser/early-rejection", test_early_rejection);
  g_test_add_func ("/engine/http-parser/header-limit", test_header_limit);
  g_test_add_func ("/engine/http-parser/body-limit", test_body_limit);
  g_test_add_func ("/engine/http-parser/pipelined", test_pipelined);
  g_test_add_func ("/engine/http-parser/expect-continue", test_expect_continue);
  g_test_add_func ("/engine/http-parser/query", test_query);
  g_test_add_func ("/engine/wire/routes", test_routes);
  g_test_add_func ("/engine/wire/chat-hub", test_chat_hub);

  return g_test_run ();
}
