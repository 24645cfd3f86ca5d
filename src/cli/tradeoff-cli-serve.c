/* tradeoff-cli-serve.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `tradeoff-cli serve`: runs one engine as an HTTP/1.1 server on 127.0.0.1
 * and prints {"port": N, "pid": P, "engine": E} once it accepts connections.
 * SIGINT and SIGTERM are blocked in every thread and taken synchronously with
 * sigwait() here, so no work happens in a signal handler. */

#define G_LOG_DOMAIN "tradeoff-cli"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tradeoff-cli.h"
#include "tradeoff-engine.h"

/* Descriptors the process needs besides connections: listeners, epoll sets,
 * eventfds, stdio, libuv's internals. */
#define RESERVED_FDS 64

static gboolean
parse_uint (const char *option,
            const char *text,
            guint       min,
            guint       max,
            guint      *out)
{
  guint64 value;
  g_autoptr(GError) error = NULL;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, min, max, &value, &error))
    {
      tradeoff_cli_print_error (_("%s must be a whole number from %u to %u, not “%s”"),
                                option, min, max, text != NULL ? text : "");
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

/* Raises the soft descriptor limit to the hard one; returns the new limit. */
static guint64
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      (void) setrlimit (RLIMIT_NOFILE, &limit);
      (void) getrlimit (RLIMIT_NOFILE, &limit);
    }
  return limit.rlim_cur;
}

int
tradeoff_cli_serve (int    argc,
                    char **argv)
{
  g_autofree char *engine_name = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *offload_text = NULL;
  g_autofree char *instances_text = NULL;
  g_autofree char *workers_text = NULL;
  g_autofree char *interval_text = NULL;
  g_autofree char *mode_text = NULL;
  g_autofree char *idle_text = NULL;
  g_autofree char *expect_text = NULL;
  gboolean gil = FALSE;
  GOptionEntry entries[] = {
    { "engine", 0, 0, G_OPTION_ARG_STRING, &engine_name, N_("The engine: loop or pool"), "ENGINE" },
    { "port", 0, 0, G_OPTION_ARG_STRING, &port_text, N_("Port on 127.0.0.1 (0 picks a free one; default 0)"), "P" },
    { "offload", 0, 0, G_OPTION_ARG_STRING, &offload_text, N_("Loop: threads that run CPU work (default 0)"), "N" },
    { "instances", 0, 0, G_OPTION_ARG_STRING, &instances_text, N_("Loops or pools sharing the port (default 1)"), "N" },
    { "workers", 0, 0, G_OPTION_ARG_STRING, &workers_text, N_("Pool: worker threads per instance (default 16)"), "N" },
    { "gil", 0, 0, G_OPTION_ARG_NONE, &gil, N_("Pool: a global interpreter lock per instance"), NULL },
    { "switch-interval-ms", 0, 0, G_OPTION_ARG_STRING, &interval_text, N_("Pool: the lock’s switch interval (default 5)"), "MS" },
    { "connection-mode", 0, 0, G_OPTION_ARG_STRING, &mode_text, N_("Pool: per-connection or per-request (default per-connection)"), "MODE" },
    { "idle-timeout-s", 0, 0, G_OPTION_ARG_STRING, &idle_text, N_("Close idle keep-alive connections after S seconds (default 30; 0 never)"), "S" },
    { "expect-connections", 0, 0, G_OPTION_ARG_STRING, &expect_text, N_("Fail at once unless this many connections fit"), "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffEngine) engine = NULL;
  TradeoffEngineOptions options;
  guint expect = 0;
  guint64 fd_limit;
  guint64 fits;
  sigset_t signals;
  int signal_number = 0;

  tradeoff_engine_options_init (&options);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Start an engine as an HTTP server on 127.0.0.1"));
  if (!tradeoff_cli_parse_options (context, entries, &argc, &argv, 0))
    return TRADEOFF_CLI_EXIT_USAGE;

  if (engine_name == NULL)
    {
      tradeoff_cli_print_error (_("--engine is required: loop or pool"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (g_str_equal (engine_name, "loop"))
    options.kind = TRADEOFF_ENGINE_LOOP;
  else if (g_str_equal (engine_name, "pool"))
    options.kind = TRADEOFF_ENGINE_POOL;
  else
    {
      tradeoff_cli_print_error (_("--engine must be loop or pool, not “%s”"), engine_name);
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  if ((port_text != NULL && !parse_uint ("--port", port_text, 0, 65535, &options.port))
      || (instances_text != NULL && !parse_uint ("--instances", instances_text, 1, 64, &options.instances))
      || (offload_text != NULL && !parse_uint ("--offload", offload_text, 0, 256, &options.offload_workers))
      || (workers_text != NULL && !parse_uint ("--workers", workers_text, 1, 10000, &options.workers))
      || (interval_text != NULL && !parse_uint ("--switch-interval-ms", interval_text, 1, 10000, &options.switch_interval_ms))
      || (idle_text != NULL && !parse_uint ("--idle-timeout-s", idle_text, 0, 86400, &options.idle_timeout_s))
      || (expect_text != NULL && !parse_uint ("--expect-connections", expect_text, 0, G_MAXINT, &expect)))
    return TRADEOFF_CLI_EXIT_USAGE;

  if (mode_text != NULL)
    {
      if (g_str_equal (mode_text, "per-connection"))
        options.connection_mode = TRADEOFF_CONNECTION_PER_CONNECTION;
      else if (g_str_equal (mode_text, "per-request"))
        options.connection_mode = TRADEOFF_CONNECTION_PER_REQUEST;
      else
        {
          tradeoff_cli_print_error (_("--connection-mode must be per-connection or per-request, not “%s”"),
                                    mode_text);
          return TRADEOFF_CLI_EXIT_USAGE;
        }
    }
  options.gil = gil;

  if (options.kind == TRADEOFF_ENGINE_LOOP
      && (gil || workers_text != NULL || interval_text != NULL || mode_text != NULL))
    {
      tradeoff_cli_print_error (_("--workers, --gil, --switch-interval-ms and --connection-mode apply to --engine pool"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }
  if (options.kind == TRADEOFF_ENGINE_POOL && offload_text != NULL)
    {
      tradeoff_cli_print_error (_("--offload applies to --engine loop"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  fd_limit = raise_fd_limit ();
  /* A pool subscriber also holds an eventfd. */
  fits = fd_limit > RESERVED_FDS ? (fd_limit - RESERVED_FDS) / (options.kind == TRADEOFF_ENGINE_POOL ? 2 : 1) : 0;
  if (expect > fits)
    {
      tradeoff_cli_print_error (_("only %" PRIu64 " connections fit in the file descriptor limit of %" PRIu64 ", not %u"),
                                fits, fd_limit, expect);
      return TRADEOFF_CLI_EXIT_FAILED;
    }

  /* Block the stop signals before any thread exists, so every engine thread
   * inherits the mask and only sigwait() below receives them. */
  sigemptyset (&signals);
  sigaddset (&signals, SIGINT);
  sigaddset (&signals, SIGTERM);
  pthread_sigmask (SIG_BLOCK, &signals, NULL);
  signal (SIGPIPE, SIG_IGN);

  engine = tradeoff_engine_new (&options);
  if (!tradeoff_engine_start (engine, &error))
    {
      tradeoff_cli_print_error ("%s", error->message);
      return TRADEOFF_CLI_EXIT_FAILED;
    }

  printf ("{\"port\": %u, \"pid\": %d, \"engine\": \"%s\"}\n",
          tradeoff_engine_get_port (engine), (int) getpid (), engine_name);
  fflush (stdout);

  while (sigwait (&signals, &signal_number) != 0)
    ;

  tradeoff_engine_stop (engine);
  return TRADEOFF_CLI_EXIT_OK;
}
