/* tradeoff-http-parser.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A strict HTTP/1.1 request parser shared by both engines (RFC 9112).
 *
 * The caller keeps the connection's unconsumed bytes in one buffer and calls
 * tradeoff_http_parser_execute() whenever more arrive. The parser remembers
 * how far it has looked for the end of the header block, and it rejects a bad
 * request line as soon as that line is complete (or as soon as a byte that
 * cannot belong to it arrives), so garbage is answered at once rather than
 * after the idle timeout. Once the headers are parsed it only waits for the
 * body. Offsets, not pointers, survive between calls because the caller may
 * move its buffer. Chunked request bodies are refused with 400: no client of
 * the wire contract sends them, and refusing is never a hang. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <string.h>

#include "tradeoff-http-parser.h"

void
tradeoff_http_parser_init (TradeoffHttpParser *parser)
{
  g_return_if_fail (parser != NULL);

  memset (parser, 0, sizeof *parser);
}

void
tradeoff_http_parser_reset (TradeoffHttpParser *parser)
{
  g_return_if_fail (parser != NULL);

  memset (parser, 0, sizeof *parser);
}

/* tchar from RFC 9110 section 5.6.2. */
static inline gboolean
is_tchar (guchar c)
{
  if (g_ascii_isalnum (c))
    return TRUE;
  return c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL;
}

static inline gboolean
is_target_char (guchar c)
{
  return c > 0x20 && c < 0x7f;
}

static inline gboolean
is_value_char (guchar c)
{
  return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static TradeoffHttpParseStatus
fail (TradeoffHttpRequest *request,
      guint                status,
      const char          *reason)
{
  request->error_status = status;
  request->error_reason = reason;
  return TRADEOFF_HTTP_PARSE_ERROR;
}

static gboolean
token_equal (const char *s,
             gsize       len,
             const char *word)
{
  return strlen (word) == len && g_ascii_strncasecmp (s, word, len) == 0;
}

/* Checks the start of a request line that has not ended yet, so a client
 * sending binary garbage without a line end is refused immediately. */
static gboolean
request_line_prefix_ok (const char *data,
                        gsize       len)
{
  gsize i = 0;

  while (i < len && is_tchar (data[i]))
    i++;
  if (i == len)
    return i <= 32;
  if (data[i] != ' ' || i == 0 || i > 32)
    return FALSE;
  i++;
  if (i < len && data[i] != '/')
    return FALSE;
  while (i < len && is_target_char (data[i]))
    i++;
  if (i == len)
    return TRUE;
  if (data[i] != ' ')
    return FALSE;
  i++;
  for (gsize j = 0; i < len && j < 8; i++, j++)
    if (data[i] != "HTTP/1.1"[j] && !((j == 5 || j == 7) && g_ascii_isdigit (data[i])))
      return FALSE;
  return i == len || data[i] == '\r';
}

static TradeoffHttpParseStatus
parse_request_line (TradeoffHttpParser  *parser,
                    const char          *line,
                    gsize                len,
                    gsize                line_off,
                    TradeoffHttpRequest *request)
{
  gsize i = 0;
  gsize method_len;
  gsize target_start;
  gsize target_end;

  while (i < len && is_tchar (line[i]))
    i++;
  method_len = i;
  if (method_len == 0 || i >= len || line[i] != ' ')
    return fail (request, 400, "malformed request line");

  /* Methods are case-sensitive: "get" is some other method. */
  if (method_len == 3 && memcmp (line, "GET", 3) == 0)
    parser->method = TRADEOFF_HTTP_METHOD_GET;
  else if (method_len == 4 && memcmp (line, "POST", 4) == 0)
    parser->method = TRADEOFF_HTTP_METHOD_POST;
  else if (method_len == 4 && memcmp (line, "HEAD", 4) == 0)
    parser->method = TRADEOFF_HTTP_METHOD_HEAD;
  else
    parser->method = TRADEOFF_HTTP_METHOD_OTHER;
  i++;
  target_start = i;
  if (i >= len || line[i] != '/')
    return fail (request, 400, "request target must start with /");
  while (i < len && is_target_char (line[i]))
    i++;
  target_end = i;
  if (i >= len || line[i] != ' ')
    return fail (request, 400, "malformed request target");
  i++;

  if (len - i != 8 || memcmp (line + i, "HTTP/", 5) != 0
      || !g_ascii_isdigit (line[i + 5]) || line[i + 6] != '.' || !g_ascii_isdigit (line[i + 7]))
    return fail (request, 400, "malformed HTTP version");
  if (line[i + 5] != '1' || (line[i + 7] != '0' && line[i + 7] != '1'))
    return fail (request, 505, "unsupported HTTP version");

  parser->minor_version = line[i + 7] - '0';
  parser->keep_alive = parser->minor_version == 1;

  parser->path_off = line_off + target_start;
  parser->path_len = target_end - target_start;
  parser->query_off = 0;
  parser->query_len = 0;
  for (gsize k = target_start; k < target_end; k++)
    {
      if (line[k] == '#')
        return fail (request, 400, "fragment in request target");
      if (line[k] == '?')
        {
          parser->path_len = k - target_start;
          parser->query_off = line_off + k + 1;
          parser->query_len = target_end - (k + 1);
          break;
        }
    }

  return TRADEOFF_HTTP_PARSE_INCOMPLETE;
}

static void
parse_connection_header (TradeoffHttpParser *parser,
                         const char         *value,
                         gsize               len)
{
  gsize i = 0;

  while (i < len)
    {
      gsize start;
      gsize end;

      while (i < len && (value[i] == ' ' || value[i] == '\t' || value[i] == ','))
        i++;
      start = i;
      while (i < len && value[i] != ',')
        i++;
      end = i;
      while (end > start && (value[end - 1] == ' ' || value[end - 1] == '\t'))
        end--;
      if (token_equal (value + start, end - start, "close"))
        parser->keep_alive = FALSE;
      else if (token_equal (value + start, end - start, "keep-alive"))
        parser->keep_alive = TRUE;
    }
}

static TradeoffHttpParseStatus
parse_headers (TradeoffHttpParser  *parser,
               const char          *data,
               TradeoffHttpRequest *request)
{
  gsize pos = 0;
  gsize end = parser->header_len;
  gboolean seen_length = FALSE;
  gboolean seen_host = FALSE;
  guint64 content_length = 0;
  const char *eol;
  TradeoffHttpParseStatus status;

  /* Empty lines before the request line are allowed (RFC 9112 2.2). */
  while (pos + 1 < end && data[pos] == '\r' && data[pos + 1] == '\n')
    pos += 2;

  eol = memchr (data + pos, '\r', end - pos);
  if (eol == NULL || eol[1] != '\n')
    return fail (request, 400, "malformed request line");
  status = parse_request_line (parser, data + pos, eol - (data + pos), pos, request);
  if (status == TRADEOFF_HTTP_PARSE_ERROR)
    return status;
  pos = eol - data + 2;

  /* Each header line: name ":" OWS value OWS CRLF. The block ends with the
   * empty line at end - 2. */
  while (pos < end - 2)
    {
      const char *line = data + pos;
      gsize line_len;
      gsize name_len = 0;
      const char *value;
      gsize value_len;

      eol = memchr (line, '\r', end - pos);
      if (eol == NULL || eol[1] != '\n')
        return fail (request, 400, "bare CR or LF in header");
      line_len = eol - line;
      if (memchr (line, '\n', line_len) != NULL)
        return fail (request, 400, "bare LF in header");

      if (line[0] == ' ' || line[0] == '\t')
        return fail (request, 400, "obsolete header line folding");
      while (name_len < line_len && is_tchar (line[name_len]))
        name_len++;
      if (name_len == 0 || name_len >= line_len || line[name_len] != ':')
        return fail (request, 400, "malformed header field");

      value = line + name_len + 1;
      value_len = line_len - name_len - 1;
      while (value_len > 0 && (value[0] == ' ' || value[0] == '\t'))
        value++, value_len--;
      while (value_len > 0 && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t'))
        value_len--;
      for (gsize k = 0; k < value_len; k++)
        if (!is_value_char (value[k]))
          return fail (request, 400, "control character in header value");

      if (token_equal (line, name_len, "content-length"))
        {
          guint64 v = 0;

          if (value_len == 0)
            return fail (request, 400, "empty Content-Length");
          for (gsize k = 0; k < value_len; k++)
            {
              if (!g_ascii_isdigit (value[k]))
                return fail (request, 400, "malformed Content-Length");
              if (v > G_MAXUINT64 / 10 - 1)
                return fail (request, 413, "request body too large");
              v = v * 10 + (value[k] - '0');
            }
          if (seen_length && v != content_length)
            return fail (request, 400, "conflicting Content-Length headers");
          seen_length = TRUE;
          content_length = v;
        }
      else if (token_equal (line, name_len, "transfer-encoding"))
        {
          return fail (request, 400, "Transfer-Encoding in a request is not supported");
        }
      else if (token_equal (line, name_len, "host"))
        {
          if (seen_host)
            return fail (request, 400, "more than one Host header");
          seen_host = TRUE;
        }
      else if (token_equal (line, name_len, "connection"))
        {
          parse_connection_header (parser, value, value_len);
        }
      else if (token_equal (line, name_len, "expect"))
        {
          if (token_equal (value, value_len, "100-continue"))
            parser->expect_continue = parser->minor_version == 1;
        }

      pos += line_len + 2;
    }

  if (parser->minor_version == 1 && !seen_host)
    return fail (request, 400, "missing Host header");
  if (content_length > TRADEOFF_HTTP_MAX_BODY_BYTES)
    return fail (request, 413, "request body too large");

  parser->content_length = content_length;
  return TRADEOFF_HTTP_PARSE_INCOMPLETE;
}

TradeoffHttpParseStatus
tradeoff_http_parser_execute (TradeoffHttpParser  *parser,
                              const char          *data,
                              gsize                len,
                              TradeoffHttpRequest *request)
{
  g_return_val_if_fail (parser != NULL, TRADEOFF_HTTP_PARSE_ERROR);
  g_return_val_if_fail (data != NULL || len == 0, TRADEOFF_HTTP_PARSE_ERROR);
  g_return_val_if_fail (request != NULL, TRADEOFF_HTTP_PARSE_ERROR);

  memset (request, 0, sizeof *request);

  if (parser->header_len == 0)
    {
      gsize limit = MIN (len, TRADEOFF_HTTP_MAX_HEADER_BYTES);
      gsize start = parser->scan_pos > 3 ? parser->scan_pos - 3 : 0;
      gsize skip = 0;
      const char *first_lf;

      /* Leading empty lines, then the request line. */
      while (skip + 1 < len && data[skip] == '\r' && data[skip + 1] == '\n')
        skip += 2;
      start = MAX (start, skip);
      first_lf = parser->line_checked ? NULL : memchr (data + skip, '\n', len - skip);
      if (!parser->line_checked && first_lf == NULL)
        {
          gsize n = len - skip;

          if (n > 0 && data[len - 1] == '\r')
            n--;
          if (!request_line_prefix_ok (data + skip, n))
            return fail (request, 400, "malformed request line");
        }
      else if (first_lf != NULL && (first_lf == data + skip || first_lf[-1] != '\r'))
        {
          return fail (request, 400, "bare LF in request line");
        }

      for (gsize i = start; i + 3 < limit; i++)
        {
          if (data[i + 3] != '\n')
            continue;
          if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r')
            {
              parser->header_len = i + 4;
              break;
            }
        }

      if (parser->header_len == 0)
        {
          if (first_lf != NULL)
            {
              /* The request line is complete; check it now. */
              const char *line = data + skip;
              TradeoffHttpParser probe = *parser;

              if (parse_request_line (&probe, line, first_lf - 1 - line, skip, request)
                  == TRADEOFF_HTTP_PARSE_ERROR)
                return TRADEOFF_HTTP_PARSE_ERROR;
              parser->line_checked = TRUE;
            }
          if (len >= TRADEOFF_HTTP_MAX_HEADER_BYTES)
            return fail (request, 431, "request header fields too large");
          parser->scan_pos = len;
          return TRADEOFF_HTTP_PARSE_INCOMPLETE;
        }

      if (parse_headers (parser, data, request) == TRADEOFF_HTTP_PARSE_ERROR)
        return TRADEOFF_HTTP_PARSE_ERROR;
    }

  if (len - parser->header_len < parser->content_length)
    return TRADEOFF_HTTP_PARSE_INCOMPLETE;

  request->method = parser->method;
  request->path = data + parser->path_off;
  request->path_len = parser->path_len;
  request->query = parser->query_off != 0 ? data + parser->query_off : NULL;
  request->query_len = parser->query_len;
  request->body = data + parser->header_len;
  request->body_len = parser->content_length;
  request->minor_version = parser->minor_version;
  request->keep_alive = parser->keep_alive;
  request->total_len = parser->header_len + parser->content_length;

  return TRADEOFF_HTTP_PARSE_COMPLETE;
}

/* TRUE once, when the headers asked for "100 Continue" and the body has not
 * arrived: the caller then sends the interim response. */
gboolean
tradeoff_http_parser_take_continue (TradeoffHttpParser *parser)
{
  g_return_val_if_fail (parser != NULL, FALSE);

  if (parser->header_len == 0 || !parser->expect_continue || parser->continue_sent
      || parser->content_length == 0)
    return FALSE;

  parser->continue_sent = TRUE;
  return TRUE;
}

/* Finds NAME in an application/x-www-form-urlencoded query and reads it as a
 * decimal integer. Absent: DEFAULT_VALUE. Present but not a number, or above
 * MAX_VALUE: FALSE (the caller answers 400). */
gboolean
tradeoff_http_query_get_uint (const char *query,
                              gsize       query_len,
                              const char *name,
                              guint64     default_value,
                              guint64     max_value,
                              guint64    *value)
{
  gsize name_len;
  gsize pos = 0;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  *value = default_value;
  if (query == NULL)
    return TRUE;

  name_len = strlen (name);
  while (pos < query_len)
    {
      const char *pair = query + pos;
      const char *amp = memchr (pair, '&', query_len - pos);
      gsize pair_len = amp != NULL ? (gsize) (amp - pair) : query_len - pos;

      if (pair_len > name_len && pair[name_len] == '=' && memcmp (pair, name, name_len) == 0)
        {
          guint64 v = 0;
          gsize digits = pair_len - name_len - 1;

          if (digits == 0 || digits > 19)
            return FALSE;
          for (gsize k = 0; k < digits; k++)
            {
              char c = pair[name_len + 1 + k];

              if (!g_ascii_isdigit (c))
                return FALSE;
              v = v * 10 + (c - '0');
            }
          if (v > max_value)
            return FALSE;
          *value = v;
          /* The last occurrence wins, as in most frameworks. */
        }

      pos += pair_len + 1;
    }

  return TRUE;
}

const char *
tradeoff_http_status_reason (guint status)
{
  switch (status)
    {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default:  return "Unknown";
    }
}
