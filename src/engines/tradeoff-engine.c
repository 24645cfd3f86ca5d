/* tradeoff-engine.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The engine front: options, listening sockets, and dispatch to the loop or
 * the pool implementation. */

#define G_LOG_DOMAIN "tradeoff-engines"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tradeoff-engine-private.h"

#define LISTEN_BACKLOG 4096

struct _TradeoffEngine
{
  TradeoffEngineOptions options;
  TradeoffChatHub      *hub;
  TradeoffLoopEngine   *loop;
  TradeoffPoolEngine   *pool;
  guint                 port;
  guint                 started : 1;
};

G_DEFINE_QUARK (tradeoff-engine-error-quark, tradeoff_engine_error)

void
tradeoff_engine_options_init (TradeoffEngineOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->kind = TRADEOFF_ENGINE_LOOP;
  options->instances = 1;
  options->workers = 16;
  options->switch_interval_ms = 5;
  options->connection_mode = TRADEOFF_CONNECTION_PER_CONNECTION;
  options->idle_timeout_s = 30;
}

void
tradeoff_engine_tune_socket (int fd)
{
  int one = 1;

  /* Without it Nagle's algorithm and delayed ACKs add a 40 ms floor. */
  (void) setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int
bind_one (guint     port,
          gboolean  reuse_port,
          GError  **error)
{
  struct sockaddr_in addr;
  int one = 1;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, TRADEOFF_ENGINE_ERROR, TRADEOFF_ENGINE_ERROR_SOCKET,
                   _("cannot create a socket: %s"), g_strerror (saved));
      return -1;
    }

  (void) setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuse_port)
    (void) setsockopt (fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);

  memset (&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0
      || listen (fd, LISTEN_BACKLOG) != 0)
    {
      int saved = errno;

      close (fd);
      if (saved == EADDRINUSE)
        g_set_error (error, TRADEOFF_ENGINE_ERROR, TRADEOFF_ENGINE_ERROR_ADDRESS_IN_USE,
                     _("port %u is already in use"), port);
      else
        g_set_error (error, TRADEOFF_ENGINE_ERROR, TRADEOFF_ENGINE_ERROR_SOCKET,
                     _("cannot listen on 127.0.0.1:%u: %s"), port, g_strerror (saved));
      return -1;
    }

  return fd;
}

gboolean
tradeoff_engine_listen (guint    port,
                        guint    count,
                        int     *fds,
                        guint   *bound_port,
                        GError **error)
{
  struct sockaddr_in addr;
  socklen_t addr_len = sizeof addr;
  gboolean reuse_port = count > 1;

  g_return_val_if_fail (count > 0, FALSE);
  g_return_val_if_fail (fds != NULL, FALSE);

  /* SO_REUSEPORT would let us share a port another server of the same user
   * holds; a plain bind first tells "in use" apart. */
  if (reuse_port && port != 0)
    {
      int probe = bind_one (port, FALSE, error);

      if (probe < 0)
        return FALSE;
      close (probe);
    }

  for (guint i = 0; i < count; i++)
    fds[i] = -1;

  for (guint i = 0; i < count; i++)
    {
      fds[i] = bind_one (port, reuse_port, error);
      if (fds[i] < 0)
        {
          for (guint j = 0; j < i; j++)
            close (fds[j]);
          return FALSE;
        }
      if (i == 0)
        {
          if (getsockname (fds[0], (struct sockaddr *) &addr, &addr_len) != 0)
            {
              int saved = errno;

              close (fds[0]);
              g_set_error (error, TRADEOFF_ENGINE_ERROR, TRADEOFF_ENGINE_ERROR_SOCKET,
                           _("cannot read the bound port: %s"), g_strerror (saved));
              return FALSE;
            }
          port = ntohs (addr.sin_port);
        }
    }

  if (bound_port != NULL)
    *bound_port = port;
  return TRUE;
}

TradeoffEngine *
tradeoff_engine_new (const TradeoffEngineOptions *options)
{
  TradeoffEngine *engine;

  g_return_val_if_fail (options != NULL, NULL);

  engine = g_new0 (TradeoffEngine, 1);
  engine->options = *options;
  engine->options.instances = MAX (engine->options.instances, 1);
  engine->options.workers = MAX (engine->options.workers, 1);
  engine->options.switch_interval_ms = MAX (engine->options.switch_interval_ms, 1);
  engine->hub = tradeoff_chat_hub_new (TRADEOFF_CHAT_QUEUE_LIMIT);
  return engine;
}

gboolean
tradeoff_engine_start (TradeoffEngine  *engine,
                       GError         **error)
{
  g_autofree int *fds = NULL;
  gboolean ok;

  g_return_val_if_fail (engine != NULL, FALSE);
  g_return_val_if_fail (!engine->started, FALSE);

  fds = g_new (int, engine->options.instances);
  if (!tradeoff_engine_listen (engine->options.port, engine->options.instances, fds,
                               &engine->port, error))
    return FALSE;

  if (engine->options.kind == TRADEOFF_ENGINE_LOOP)
    {
      engine->loop = tradeoff_loop_engine_new (&engine->options, engine->hub);
      ok = tradeoff_loop_engine_start (engine->loop, fds, error);
    }
  else
    {
      engine->pool = tradeoff_pool_engine_new (&engine->options, engine->hub);
      ok = tradeoff_pool_engine_start (engine->pool, fds, error);
    }

  engine->started = TRUE;
  return ok;
}

guint
tradeoff_engine_get_port (TradeoffEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);

  return engine->port;
}

void
tradeoff_engine_stop (TradeoffEngine *engine)
{
  g_return_if_fail (engine != NULL);

  if (engine->loop != NULL)
    tradeoff_loop_engine_stop (engine->loop);
  if (engine->pool != NULL)
    tradeoff_pool_engine_stop (engine->pool);
}

void
tradeoff_engine_free (TradeoffEngine *engine)
{
  if (engine == NULL)
    return;

  tradeoff_engine_stop (engine);
  g_clear_pointer (&engine->loop, tradeoff_loop_engine_free);
  g_clear_pointer (&engine->pool, tradeoff_pool_engine_free);
  tradeoff_chat_hub_free (engine->hub);
  g_free (engine);
}
