/* tradeoff-wire.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tradeoff-http-parser.h"

G_BEGIN_DECLS

#define TRADEOFF_WIRE_ROOM_MAX          64
#define TRADEOFF_WIRE_MESSAGE_MAX       (64 * 1024)
#define TRADEOFF_WIRE_HEAD_MAX          512

typedef enum
{
  TRADEOFF_ROUTE_HEALTH,
  TRADEOFF_ROUTE_WORK,
  TRADEOFF_ROUTE_STREAM,
  TRADEOFF_ROUTE_CHAT_SUBSCRIBE,
  TRADEOFF_ROUTE_CHAT_PUBLISH,
  TRADEOFF_ROUTE_ERROR,
} TradeoffRouteKind;

/* What a request asks for, with every parameter checked and copied out of the
 * request buffer, so an engine may finish it later (after a timer or an
 * offloaded computation) without keeping the request bytes. */
typedef struct
{
  TradeoffRouteKind kind;
  guint             status;          /* ROUTE_ERROR: 400, 404, 405, ... */
  const char       *reason;          /* ROUTE_ERROR: static text */
  gboolean          head_only;       /* HEAD /health: no body */
  gboolean          keep_alive;
  guint64           cpu_us;          /* per item */
  guint64           items;
  guint64           wait_us;
  guint64           reply_bytes;
  guint64           stream_bytes;
  guint64           stream_rate;     /* bytes per second; 0 = unpaced */
  guint64           stream_chunk;
  char              room[TRADEOFF_WIRE_ROOM_MAX + 1];
  const char       *body;            /* CHAT_PUBLISH: the message, in the request buffer */
  gsize             body_len;
} TradeoffRoute;

void         tradeoff_wire_route          (const TradeoffHttpRequest *request,
                                           TradeoffRoute             *route);

gsize        tradeoff_wire_format_head    (char                      *buf,
                                           guint                      status,
                                           const char                *content_type,
                                           gint64                     content_length,
                                           gboolean                   keep_alive);
gsize        tradeoff_wire_format_error   (char                      *buf,
                                           guint                      status,
                                           const char                *reason,
                                           gboolean                   keep_alive);
gsize        tradeoff_wire_format_chunk_head (char                   *buf,
                                              gsize                   chunk_len);

/* Read-only filler bytes for bodies and chunks. */
const char  *tradeoff_wire_filler         (gsize                     *len);

#define TRADEOFF_WIRE_CHUNK_END     "0\r\n\r\n"
#define TRADEOFF_WIRE_CONTINUE      "HTTP/1.1 100 Continue\r\n\r\n"

/* Chat: rooms of subscribers, shared by every instance of an engine (it
 * stands in for the broker a real multi-process deployment would need).
 *
 * Backpressure: each subscriber has a bounded queue; when a slow subscriber's
 * queue is full the oldest message is dropped and counted, so a publisher is
 * never blocked by a slow reader and memory stays bounded. */
typedef struct _TradeoffChatHub        TradeoffChatHub;
typedef struct _TradeoffChatSubscriber TradeoffChatSubscriber;

/* Called by the publishing thread, under the hub's lock, when a message lands
 * in a subscriber's empty queue. Must be quick and must not call the hub. */
typedef void (*TradeoffChatNotify) (TradeoffChatSubscriber *subscriber,
                                    gpointer                user_data);

#define TRADEOFF_CHAT_QUEUE_LIMIT 256

TradeoffChatHub        *tradeoff_chat_hub_new            (guint                   queue_limit);
void                    tradeoff_chat_hub_free           (TradeoffChatHub        *hub);
TradeoffChatSubscriber *tradeoff_chat_hub_subscribe      (TradeoffChatHub        *hub,
                                                          const char             *room,
                                                          TradeoffChatNotify      notify,
                                                          gpointer                user_data);
void                    tradeoff_chat_hub_unsubscribe    (TradeoffChatHub        *hub,
                                                          TradeoffChatSubscriber *subscriber);
GBytes                 *tradeoff_chat_message_new        (const char             *body,
                                                          gsize                   body_len);
guint                   tradeoff_chat_hub_publish        (TradeoffChatHub        *hub,
                                                          const char             *room,
                                                          GBytes                 *message);
guint                   tradeoff_chat_hub_count          (TradeoffChatHub        *hub);

TradeoffChatSubscriber *tradeoff_chat_subscriber_ref     (TradeoffChatSubscriber *subscriber);
void                    tradeoff_chat_subscriber_unref   (TradeoffChatSubscriber *subscriber);
GBytes                 *tradeoff_chat_subscriber_pop     (TradeoffChatSubscriber *subscriber);
gboolean                tradeoff_chat_subscriber_is_active (TradeoffChatSubscriber *subscriber);
guint64                 tradeoff_chat_subscriber_get_dropped (TradeoffChatSubscriber *subscriber);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffChatHub, tradeoff_chat_hub_free)

G_END_DECLS
