/* tradeoff-wire.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The wire contract (FORMATS.md), written once for both engines: routing a
 * parsed request to what it asks for, formatting response heads, and the chat
 * rooms. Engines differ only in how they wait and compute. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tradeoff-wire.h"

/* Upper bounds keep one request from asking for unbounded time or memory. */
#define MAX_CPU_US         (60 * G_USEC_PER_SEC)
#define MAX_WAIT_US        (60 * G_USEC_PER_SEC)
#define MAX_ITEMS          100000
#define MAX_REPLY_BYTES    (64 * 1024 * 1024)
#define MAX_STREAM_BYTES   (G_GUINT64_CONSTANT (16) * 1024 * 1024 * 1024)
#define MAX_STREAM_CHUNK   (1024 * 1024)
#define DEFAULT_CHUNK      16384
#define DEFAULT_STREAM     (1024 * 1024)

#define FILLER_LEN         (64 * 1024)

static char filler[FILLER_LEN];
static gsize filler_ready;

const char *
tradeoff_wire_filler (gsize *len)
{
  if (g_once_init_enter (&filler_ready))
    {
      for (gsize i = 0; i < FILLER_LEN; i++)
        filler[i] = 'a' + (i % 26);
      g_once_init_leave (&filler_ready, 1);
    }

  if (len != NULL)
    *len = FILLER_LEN;
  return filler;
}

static gboolean
path_equal (const TradeoffHttpRequest *request,
            const char                *path)
{
  gsize len = strlen (path);

  return request->path_len == len && memcmp (request->path, path, len) == 0;
}

static void
route_error (TradeoffRoute *route,
             guint          status,
             const char    *reason)
{
  route->kind = TRADEOFF_ROUTE_ERROR;
  route->status = status;
  route->reason = reason;
}

#define FAIL(status, reason) \
  G_STMT_START { route_error (route, status, reason); return; } G_STMT_END

static gboolean
room_char_ok (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

void
tradeoff_wire_route (const TradeoffHttpRequest *request,
                     TradeoffRoute             *route)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (route != NULL);

  memset (route, 0, sizeof *route);
  route->keep_alive = request->keep_alive;
  route->items = 1;

  if (path_equal (request, "/health"))
    {
      if (request->method != TRADEOFF_HTTP_METHOD_GET && request->method != TRADEOFF_HTTP_METHOD_HEAD)
        FAIL (405, "use GET for /health");
      route->kind = TRADEOFF_ROUTE_HEALTH;
      route->head_only = request->method == TRADEOFF_HTTP_METHOD_HEAD;
      return;
    }

  if (path_equal (request, "/work"))
    {
      if (request->method != TRADEOFF_HTTP_METHOD_POST)
        FAIL (405, "use POST for /work");
      if (!tradeoff_http_query_get_uint (request->query, request->query_len, "cpu_us", 0, MAX_CPU_US, &route->cpu_us))
        FAIL (400, "cpu_us must be a whole number of microseconds up to 60000000");
      if (!tradeoff_http_query_get_uint (request->query, request->query_len, "items", 1, MAX_ITEMS, &route->items))
        FAIL (400, "items must be a whole number up to 100000");
      if (route->cpu_us * route->items > MAX_CPU_US)
        FAIL (400, "cpu_us times items must be at most 60000000");
      if (!tradeoff_http_query_get_uint (request->query, request->query_len, "wait_us", 0, MAX_WAIT_US, &route->wait_us))
        FAIL (400, "wait_us must be a whole number of microseconds up to 60000000");
      if (!tradeoff_http_query_get_uint (request->query, request->query_len, "reply_bytes", 0, MAX_REPLY_BYTES, &route->reply_bytes))
        FAIL (400, "reply_bytes must be a whole number up to 67108864");
      route->kind = TRADEOFF_ROUTE_WORK;
      return;
    }

  if (path_equal (request, "/stream"))
    {
      if (request->method != TRADEOFF_HTTP_METHOD_GET)
        FAIL (405, "use GET for /stream");
      if (!tradeoff_http_query_get_uint (request->query, request->query_len, "bytes", DEFAULT_STREAM, MAX_STREAM_BYTES, &route->stream_bytes))
        FAIL (400, "bytes must be a whole number up to 17179869184");
      if (!tradeoff_http_query_get_uint (request->query, request->query_len, "rate", 0, G_MAXUINT32, &route->stream_rate))
        FAIL (400, "rate must be a whole number of bytes per second");
      if (!tradeoff_http_query_get_uint (request->query, request->query_len, "chunk", DEFAULT_CHUNK, MAX_STREAM_CHUNK, &route->stream_chunk)
          || route->stream_chunk == 0)
        FAIL (400, "chunk must be a whole number of bytes from 1 to 1048576");
      route->kind = TRADEOFF_ROUTE_STREAM;
      return;
    }

  if (request->path_len > 6 && memcmp (request->path, "/chat/", 6) == 0)
    {
      const char *room = request->path + 6;
      gsize room_len = request->path_len - 6;

      if (room_len > TRADEOFF_WIRE_ROOM_MAX)
        FAIL (404, "room names are at most 64 characters");
      for (gsize i = 0; i < room_len; i++)
        if (!room_char_ok (room[i]))
          FAIL (404, "room names use letters, digits, '-', '_' and '.'");
      memcpy (route->room, room, room_len);
      route->room[room_len] = '\0';

      if (request->method == TRADEOFF_HTTP_METHOD_GET)
        {
          route->kind = TRADEOFF_ROUTE_CHAT_SUBSCRIBE;
          return;
        }
      if (request->method != TRADEOFF_HTTP_METHOD_POST)
        FAIL (405, "use GET to subscribe and POST to publish");
      if (!tradeoff_http_query_get_uint (request->query, request->query_len, "cpu_us", 0, MAX_CPU_US, &route->cpu_us))
        FAIL (400, "cpu_us must be a whole number of microseconds up to 60000000");
      if (request->body_len > TRADEOFF_WIRE_MESSAGE_MAX)
        FAIL (413, "a chat message is at most 65536 bytes");
      if (memchr (request->body, '\n', request->body_len) != NULL
          || memchr (request->body, '\r', request->body_len) != NULL)
        FAIL (400, "a chat message is a single line");
      route->body = request->body;
      route->body_len = request->body_len;
      route->kind = TRADEOFF_ROUTE_CHAT_PUBLISH;
      return;
    }

  route_error (route, 404, "no such path");
}

static inline char *
put_str (char       *p,
         const char *s)
{
  gsize len = strlen (s);

  memcpy (p, s, len);
  return p + len;
}

static inline char *
put_uint (char    *p,
          guint64  value)
{
  char tmp[24];
  guint n = 0;

  do
    {
      tmp[n++] = '0' + value % 10;
      value /= 10;
    }
  while (value > 0);
  while (n > 0)
    *p++ = tmp[--n];
  return p;
}

/* BUF must hold TRADEOFF_WIRE_HEAD_MAX bytes. CONTENT_LENGTH < 0 means a
 * chunked body. Formatted by hand rather than with snprintf: this runs for
 * every response and is a measurable share of a hello request's cost. */
gsize
tradeoff_wire_format_head (char       *buf,
                           guint       status,
                           const char *content_type,
                           gint64      content_length,
                           gboolean    keep_alive)
{
  char *p = buf;

  g_assert (status >= 100 && status <= 999);
  g_assert (content_type == NULL || strlen (content_type) < 100);

  p = put_str (p, "HTTP/1.1 ");
  p = put_uint (p, status);
  *p++ = ' ';
  p = put_str (p, tradeoff_http_status_reason (status));
  p = put_str (p, "\r\n");
  if (content_type != NULL && status != 204)
    {
      p = put_str (p, "Content-Type: ");
      p = put_str (p, content_type);
      p = put_str (p, "\r\n");
    }
  if (status == 204)
    {
      /* No body, and no Content-Length (RFC 9110 8.6). */
    }
  else if (content_length >= 0)
    {
      p = put_str (p, "Content-Length: ");
      p = put_uint (p, content_length);
      p = put_str (p, "\r\n");
    }
  else
    {
      p = put_str (p, "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n");
    }
  if (!keep_alive)
    p = put_str (p, "Connection: close\r\n");
  p = put_str (p, "\r\n");

  g_assert (p - buf < TRADEOFF_WIRE_HEAD_MAX);
  return p - buf;
}

/* A complete error response with a one-line text body. 404 and 405 follow a
 * request that was read whole, so the connection can stay open if the client
 * wants it; the others mean the byte stream can no longer be trusted, so it
 * closes. */
gsize
tradeoff_wire_format_error (char       *buf,
                            guint       status,
                            const char *reason,
                            gboolean    keep_alive)
{
  keep_alive = keep_alive && (status == 404 || status == 405);
  gsize reason_len = strlen (reason);
  int n;

  g_assert (reason_len < 200);
  n = snprintf (buf, TRADEOFF_WIRE_HEAD_MAX,
                "HTTP/1.1 %u %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n%s%s\r\n%s\n",
                status, tradeoff_http_status_reason (status), reason_len + 1,
                status == 405 ? "Allow: GET, POST\r\n" : "",
                keep_alive ? "" : "Connection: close\r\n",
                reason);

  g_assert (n > 0 && n < TRADEOFF_WIRE_HEAD_MAX);
  return n;
}

gsize
tradeoff_wire_format_chunk_head (char  *buf,
                                 gsize  chunk_len)
{
  static const char hex[] = "0123456789abcdef";
  char tmp[20];
  gsize n = 0;
  gsize out = 0;

  do
    {
      tmp[n++] = hex[chunk_len & 0xf];
      chunk_len >>= 4;
    }
  while (chunk_len > 0);

  while (n > 0)
    buf[out++] = tmp[--n];
  buf[out++] = '\r';
  buf[out++] = '\n';
  return out;
}

/* Chat hub */

struct _TradeoffChatSubscriber
{
  gint               ref_count;
  GMutex             lock;
  GQueue             queue;       /* GBytes, oldest first */
  guint64            dropped;
  guint              limit;
  gboolean           active;
  TradeoffChatNotify notify;
  gpointer           user_data;
  char               room[TRADEOFF_WIRE_ROOM_MAX + 1];
};

struct _TradeoffChatHub
{
  GMutex      lock;
  GHashTable *rooms;              /* room name -> GPtrArray of subscribers */
  guint       queue_limit;
  guint       count;
};

TradeoffChatHub *
tradeoff_chat_hub_new (guint queue_limit)
{
  TradeoffChatHub *hub = g_new0 (TradeoffChatHub, 1);

  g_mutex_init (&hub->lock);
  hub->rooms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_ptr_array_unref);
  hub->queue_limit = queue_limit > 0 ? queue_limit : TRADEOFF_CHAT_QUEUE_LIMIT;
  return hub;
}

void
tradeoff_chat_hub_free (TradeoffChatHub *hub)
{
  if (hub == NULL)
    return;

  g_hash_table_unref (hub->rooms);
  g_mutex_clear (&hub->lock);
  g_free (hub);
}

TradeoffChatSubscriber *
tradeoff_chat_subscriber_ref (TradeoffChatSubscriber *subscriber)
{
  g_return_val_if_fail (subscriber != NULL, NULL);

  g_atomic_int_inc (&subscriber->ref_count);
  return subscriber;
}

void
tradeoff_chat_subscriber_unref (TradeoffChatSubscriber *subscriber)
{
  g_return_if_fail (subscriber != NULL);

  if (!g_atomic_int_dec_and_test (&subscriber->ref_count))
    return;

  g_queue_clear_full (&subscriber->queue, (GDestroyNotify) g_bytes_unref);
  g_mutex_clear (&subscriber->lock);
  g_free (subscriber);
}

/* Returns a reference the caller owns; the hub holds its own until
 * tradeoff_chat_hub_unsubscribe(). */
TradeoffChatSubscriber *
tradeoff_chat_hub_subscribe (TradeoffChatHub    *hub,
                             const char         *room,
                             TradeoffChatNotify  notify,
                             gpointer            user_data)
{
  TradeoffChatSubscriber *subscriber;
  GPtrArray *members;

  g_return_val_if_fail (hub != NULL, NULL);
  g_return_val_if_fail (room != NULL && strlen (room) <= TRADEOFF_WIRE_ROOM_MAX, NULL);

  subscriber = g_new0 (TradeoffChatSubscriber, 1);
  subscriber->ref_count = 2;
  g_mutex_init (&subscriber->lock);
  g_queue_init (&subscriber->queue);
  subscriber->limit = hub->queue_limit;
  subscriber->active = TRUE;
  subscriber->notify = notify;
  subscriber->user_data = user_data;
  g_strlcpy (subscriber->room, room, sizeof subscriber->room);

  g_mutex_lock (&hub->lock);
  members = g_hash_table_lookup (hub->rooms, room);
  if (members == NULL)
    {
      members = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_chat_subscriber_unref);
      g_hash_table_insert (hub->rooms, g_strdup (room), members);
    }
  g_ptr_array_add (members, subscriber);
  hub->count++;
  g_mutex_unlock (&hub->lock);

  return subscriber;
}

/* After this returns, the subscriber's notify function is never called again,
 * so its owner may free what user_data points to. */
void
tradeoff_chat_hub_unsubscribe (TradeoffChatHub        *hub,
                               TradeoffChatSubscriber *subscriber)
{
  GPtrArray *members;

  g_return_if_fail (hub != NULL);
  g_return_if_fail (subscriber != NULL);

  g_mutex_lock (&hub->lock);
  g_mutex_lock (&subscriber->lock);
  if (!subscriber->active)
    {
      g_mutex_unlock (&subscriber->lock);
      g_mutex_unlock (&hub->lock);
      return;
    }
  subscriber->active = FALSE;
  g_mutex_unlock (&subscriber->lock);

  members = g_hash_table_lookup (hub->rooms, subscriber->room);
  if (members != NULL)
    {
      hub->count--;
      /* The array's free function drops the hub's reference. */
      g_ptr_array_remove_fast (members, subscriber);
      if (members->len == 0)
        g_hash_table_remove (hub->rooms, subscriber->room);
    }
  g_mutex_unlock (&hub->lock);
}

/* One server-sent event, framed as one chunk of the chunked response:
 * "<hex length>\r\ndata: BODY\n\n\r\n". Formatted once, shared by every
 * subscriber. */
GBytes *
tradeoff_chat_message_new (const char *body,
                           gsize       body_len)
{
  gsize event_len = strlen ("data: ") + body_len + 2;
  char head[24];
  gsize head_len = tradeoff_wire_format_chunk_head (head, event_len);
  char *data = g_malloc (head_len + event_len + 2);
  char *p = data;

  memcpy (p, head, head_len);
  p += head_len;
  memcpy (p, "data: ", 6);
  p += 6;
  if (body_len > 0)
    memcpy (p, body, body_len);
  p += body_len;
  memcpy (p, "\n\n\r\n", 4);
  p += 4;

  return g_bytes_new_take (data, p - data);
}

guint
tradeoff_chat_hub_publish (TradeoffChatHub *hub,
                           const char      *room,
                           GBytes          *message)
{
  GPtrArray *members;
  guint delivered = 0;

  g_return_val_if_fail (hub != NULL, 0);
  g_return_val_if_fail (room != NULL, 0);
  g_return_val_if_fail (message != NULL, 0);

  g_mutex_lock (&hub->lock);
  members = g_hash_table_lookup (hub->rooms, room);
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      TradeoffChatSubscriber *subscriber = g_ptr_array_index (members, i);
      gboolean was_empty;

      g_mutex_lock (&subscriber->lock);
      was_empty = g_queue_is_empty (&subscriber->queue);
      if (subscriber->queue.length >= subscriber->limit)
        {
          g_bytes_unref (g_queue_pop_head (&subscriber->queue));
          subscriber->dropped++;
        }
      g_queue_push_tail (&subscriber->queue, g_bytes_ref (message));
      g_mutex_unlock (&subscriber->lock);

      if (was_empty && subscriber->notify != NULL)
        subscriber->notify (subscriber, subscriber->user_data);
      delivered++;
    }
  g_mutex_unlock (&hub->lock);

  return delivered;
}

guint
tradeoff_chat_hub_count (TradeoffChatHub *hub)
{
  guint count;

  g_return_val_if_fail (hub != NULL, 0);

  g_mutex_lock (&hub->lock);
  count = hub->count;
  g_mutex_unlock (&hub->lock);
  return count;
}

GBytes *
tradeoff_chat_subscriber_pop (TradeoffChatSubscriber *subscriber)
{
  GBytes *message;

  g_return_val_if_fail (subscriber != NULL, NULL);

  g_mutex_lock (&subscriber->lock);
  message = g_queue_pop_head (&subscriber->queue);
  g_mutex_unlock (&subscriber->lock);
  return message;
}

gboolean
tradeoff_chat_subscriber_is_active (TradeoffChatSubscriber *subscriber)
{
  gboolean active;

  g_return_val_if_fail (subscriber != NULL, FALSE);

  g_mutex_lock (&subscriber->lock);
  active = subscriber->active;
  g_mutex_unlock (&subscriber->lock);
  return active;
}

guint64
tradeoff_chat_subscriber_get_dropped (TradeoffChatSubscriber *subscriber)
{
  guint64 dropped;

  g_return_val_if_fail (subscriber != NULL, 0);

  g_mutex_lock (&subscriber->lock);
  dropped = subscriber->dropped;
  g_mutex_unlock (&subscriber->lock);
  return dropped;
}
