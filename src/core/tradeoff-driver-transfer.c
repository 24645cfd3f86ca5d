/* tradeoff-driver-transfer.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Transfers: what each kind writes back (requests, chat publishers and
 * subscribers, streams), starting one, and what follows when one ends. */

#define G_LOG_DOMAIN "tradeoff-driver"

#include "config.h"

#include <string.h>

#include "tradeoff-driver-private.h"

static size_t
on_discard_write_cb (char   *ptr,
                     size_t  size,
                     size_t  nmemb,
                     void   *user_data)
{
  Transfer *tr = user_data;

  tr->bytes += size * nmemb;
  return size * nmemb;
}

static void
handle_sse_line (Transfer   *tr,
                 const char *line,
                 gsize       len,
                 gint64      now)
{
  const char *p;
  const char *end = line + len;
  gint64 intended;
  gint64 sent;

  if (len < 5 || memcmp (line, "data:", 5) != 0)
    return;

  p = line + 5;
  while (p < end && *p == ' ')
    p++;
  if (end - p < 2 || p[0] != 'i' || p[1] != '=')
    return;
  intended = g_ascii_strtoll (p + 2, (char **) &p, 10);
  while (p < end && *p == ' ')
    p++;
  if (end - p < 2 || p[0] != 's' || p[1] != '=')
    return;
  sent = g_ascii_strtoll (p + 2, NULL, 10);
  if (intended <= 0 || sent <= 0)
    return;

  driver_record_done (tr->thread, now, now - intended, now - sent, len);
  if (in_window (tr->thread, sent))
    {
      stats_lock (tr->thread);
      tr->thread->stats.deliveries_received++;
      stats_unlock (tr->thread);
    }
}

static size_t
on_subscribe_write_cb (char   *ptr,
                       size_t  size,
                       size_t  nmemb,
                       void   *user_data)
{
  Transfer *tr = user_data;
  gsize n = size * nmemb;
  gint64 now = now_us ();
  gsize start = 0;

  g_string_append_len (tr->line, ptr, n);
  for (gsize i = 0; i < tr->line->len; i++)
    {
      if (tr->line->str[i] == '\n')
        {
          gsize len = i - start;

          if (len > 0 && tr->line->str[start + len - 1] == '\r')
            len--;
          handle_sse_line (tr, tr->line->str + start, len, now);
          start = i + 1;
        }
    }
  if (start > 0)
    g_string_erase (tr->line, 0, start);
  return n;
}

static size_t
on_subscribe_header_cb (char   *buffer,
                        size_t  size,
                        size_t  nitems,
                        void   *user_data)
{
  Transfer *tr = user_data;
  gsize n = size * nitems;

  /* The blank line ends the headers: the server has registered us. */
  if (!tr->subscribed && (n == 2 && buffer[0] == '\r' && buffer[1] == '\n'))
    {
      long status = 0;

      curl_easy_getinfo (tr->easy, CURLINFO_RESPONSE_CODE, &status);
      if (status == 200)
        {
          tr->subscribed = TRUE;
          g_atomic_int_inc (&tr->thread->subscribed);
          g_atomic_int_inc (&tr->thread->driver->room_subscribers[tr->room]);
        }
    }
  return n;
}

static size_t
on_stream_write_cb (char   *ptr,
                    size_t  size,
                    size_t  nmemb,
                    void   *user_data)
{
  Transfer *tr = user_data;
  DriverThread *t = tr->thread;
  const TradeoffWorkload *w = &t->driver->workload;
  gsize n = size * nmemb;
  gint64 now = now_us ();
  double us_per_chunk = w->chunk_bytes * 1e6 / tr->rate;

  tr->bytes += n;
  driver_record_bytes (t, now, n);

  /* Chunk k (from 0) is due at the stream's start plus k chunk times. */
  while (tr->bytes >= (tr->next_chunk + 1) * (guint64) w->chunk_bytes)
    {
      gint64 due = tr->sent + (gint64) (tr->next_chunk * us_per_chunk);
      gint64 late = MAX (now - due, 0);
      gint64 late_since_previous = late;

      /* Uncorrected: late only against the previous chunk's arrival, as a
       * reader that forgives a stall would see it. */
      if (tr->next_chunk > 0)
        late_since_previous = MAX (now - (tr->last_chunk_at + (gint64) us_per_chunk), 0);
      driver_record_done (t, now, late, late_since_previous, 0);
      tr->last_chunk_at = now;
      tr->next_chunk++;
    }
  return n;
}

void
driver_transfer_init (DriverThread *t,
                      Transfer     *tr,
                      TransferKind  kind)
{
  const TradeoffWorkload *w = &t->driver->workload;

  tr->thread = t;
  tr->kind = kind;
  tr->easy = curl_easy_init ();
  driver_transfer_setup_common (tr);

  switch (kind)
    {
    case TRANSFER_REQUEST:
      curl_easy_setopt (tr->easy, CURLOPT_CURLU, t->uh);
      curl_easy_setopt (tr->easy, CURLOPT_REQUEST_TARGET, t->request_target);
      curl_easy_setopt (tr->easy, CURLOPT_POSTFIELDSIZE, (long) t->driver->request_body_len);
      curl_easy_setopt (tr->easy, CURLOPT_POSTFIELDS, t->driver->request_body);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEFUNCTION, on_discard_write_cb);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEDATA, tr);
      break;

    case TRANSFER_PUBLISH:
      tr->body = g_malloc (MAX (w->message_bytes, 64) + 64);
      curl_easy_setopt (tr->easy, CURLOPT_CURLU, t->uh);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEFUNCTION, on_discard_write_cb);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEDATA, tr);
      break;

    case TRANSFER_SUBSCRIBE:
      tr->line = g_string_new (NULL);
      tr->url = g_strdup_printf ("%s/chat/room%u", t->driver->base_url, tr->room);
      curl_easy_setopt (tr->easy, CURLOPT_URL, tr->url);
      curl_easy_setopt (tr->easy, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEFUNCTION, on_subscribe_write_cb);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEDATA, tr);
      curl_easy_setopt (tr->easy, CURLOPT_HEADERFUNCTION, on_subscribe_header_cb);
      curl_easy_setopt (tr->easy, CURLOPT_HEADERDATA, tr);
      break;

    case TRANSFER_STREAM:
      curl_easy_setopt (tr->easy, CURLOPT_URL, t->driver->stream_url);
      curl_easy_setopt (tr->easy, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEFUNCTION, on_stream_write_cb);
      curl_easy_setopt (tr->easy, CURLOPT_WRITEDATA, tr);
      if (tr->rate < (double) w->rate_bytes_per_s)
        curl_easy_setopt (tr->easy, CURLOPT_MAX_RECV_SPEED_LARGE, (curl_off_t) tr->rate);
      break;

    default:
      g_assert_not_reached ();
    }
}

void
driver_transfer_clear (Transfer *tr)
{
  if (tr->easy != NULL)
    {
      if (tr->active)
        curl_multi_remove_handle (tr->shard->multi, tr->easy);
      curl_easy_cleanup (tr->easy);
    }
  if (tr->line != NULL)
    g_string_free (tr->line, TRUE);
  g_free (tr->body);
  g_free (tr->url);
}

void
driver_transfer_start (Transfer *tr,
                       gint64    intended,
                       gint64    now)
{
  DriverThread *t = tr->thread;
  TradeoffDriver *d = t->driver;

  g_assert (!tr->active);

  tr->intended = intended;
  tr->sent = now;
  tr->bytes = 0;
  tr->next_chunk = 0;
  tr->last_chunk_at = now;
  tr->subscribed = FALSE;
  if (tr->line != NULL)
    g_string_truncate (tr->line, 0);

  if (tr->kind == TRANSFER_PUBLISH)
    {
      guint room = t->next_room;
      gsize len;

      t->next_room = (t->next_room + 1) % d->workload.rooms;
      tr->room = room;
      len = g_snprintf (tr->body, 64, "i=%" G_GINT64_FORMAT " s=%" G_GINT64_FORMAT " ",
                        intended, now);
      if (len < d->workload.message_bytes)
        {
          memset (tr->body + len, 'x', d->workload.message_bytes - len);
          len = d->workload.message_bytes;
        }
      tr->body[len] = '\0';
      curl_easy_setopt (tr->easy, CURLOPT_REQUEST_TARGET, t->publish_targets[room]);
      curl_easy_setopt (tr->easy, CURLOPT_POSTFIELDSIZE, (long) len);
      curl_easy_setopt (tr->easy, CURLOPT_POSTFIELDS, tr->body);
    }

  if (tr->kind == TRANSFER_REQUEST || tr->kind == TRANSFER_PUBLISH)
    {
      if (in_window (t, now))
        {
          stats_lock (t);
          t->stats.sent++;
          stats_unlock (t);
        }
      t->in_flight++;
    }

  tr->active = TRUE;
  curl_multi_add_handle (tr->shard->multi, tr->easy);
}

/* A transfer has ended, or timed out: record it, then start the next
 * one, restart it later or free its connection. */
void
driver_on_transfer_done (DriverThread *t,
                         Transfer     *tr,
                         CURLcode      code,
                         gint64        now)
{
  TradeoffDriver *d = t->driver;
  long status = 0;
  gboolean ok;

  tr->active = FALSE;
  curl_easy_getinfo (tr->easy, CURLINFO_RESPONSE_CODE, &status);
  ok = code == CURLE_OK && status >= 200 && status < 300;

  switch (tr->kind)
    {
    case TRANSFER_REQUEST:
    case TRANSFER_PUBLISH:
      t->in_flight--;
      if (ok && tr->kind == TRANSFER_REQUEST)
        driver_record_done (t, now, now - tr->intended, now - tr->sent, tr->bytes);
      else if (ok)
        {
          /* The server answers once the message is queued to every
           * subscriber of the room: each of them should see it. */
          guint expected = (guint) g_atomic_int_get (&d->room_subscribers[tr->room]);

          stats_lock (t);
          if (in_window (t, now))
            t->stats.published++;
          if (in_window (t, tr->sent))
            t->stats.deliveries_expected += expected;
          stats_unlock (t);
        }
      else
        {
          driver_note_error (t, code, status);
          driver_record_failure (t, now, tr->intended, code == CURLE_OPERATION_TIMEDOUT);
        }

      if (t->stopping)
        break;
      if (d->workload.arrival_mode == TRADEOFF_ARRIVAL_CLOSED)
        {
          if (now >= d->measure_end_us)
            break;
          if (d->workload.think_ms <= 0)
            driver_transfer_start (tr, now, now);
          else
            driver_heap_push (t, now + (gint64) (d->workload.think_ms * 1000), tr);
        }
      else
        driver_slot_free (t, tr, now);
      break;

    case TRANSFER_SUBSCRIBE:
      if (tr->subscribed)
        {
          g_atomic_int_add (&t->subscribed, -1);
          g_atomic_int_add (&d->room_subscribers[tr->room], -1);
        }
      if (t->stopping || t->ending)
        break;
      driver_record_failure (t, now, now, FALSE);
      driver_heap_push (t, now + SUBSCRIBE_RETRY_US, tr);
      break;

    case TRANSFER_STREAM:
      if (t->stopping || t->ending)
        break;
      if (!ok)
        {
          driver_record_failure (t, now, now, code == CURLE_OPERATION_TIMEDOUT);
          driver_heap_push (t, now + SUBSCRIBE_RETRY_US, tr);
        }
      else
        driver_transfer_start (tr, now, now);
      break;

    default:
      g_assert_not_reached ();
    }
}
