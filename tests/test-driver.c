/* test-driver.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The load driver against a real engine (`tradeoff-cli serve`) on
 * loopback. Margins are wide: a noisy 2-core machine, other tests running
 * beside this one. */

#include "config.h"

#include <curl/curl.h>
#include <math.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>

#include "tradeoff-driver.h"
#include "tradeoff-scenario.h"

typedef struct
{
  GPid  pid;
  guint port;
  char *url;
} Engine;

static void
child_setup (gpointer data)
{
  /* Never outlive a failed test. */
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

static void
engine_start (Engine     *engine,
              const char *first,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  const char *arg;
  va_list args;
  int out_fd;
  char *port;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TRADEOFF_CLI"));
  g_ptr_array_add (argv, "serve");
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, NULL);

  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL,
                            &engine->pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  port = strstr (line, "\"port\":");
  g_assert_nonnull (port);
  engine->port = (guint) g_ascii_strtoull (port + 7, NULL, 10);
  g_assert_cmpuint (engine->port, >, 0);
  engine->url = g_strdup_printf ("http://127.0.0.1:%u", engine->port);
}

static void
engine_stop (Engine *engine)
{
  int status;

  kill (engine->pid, SIGTERM);
  g_assert_cmpint (waitpid (engine->pid, &status, 0), ==, engine->pid);
  g_clear_pointer (&engine->url, g_free);
}

/* Open loop at a constant RATE, after a 0.3 s warm-up. */
static void
workload_open (TradeoffWorkload     *w,
               TradeoffWorkloadKind  kind,
               double                duration_s,
               double                rate)
{
  memset (w, 0, sizeof *w);
  w->kind = kind;
  w->duration_s = duration_s;
  w->warmup_s = 0.3;
  w->arrival_mode = TRADEOFF_ARRIVAL_OPEN;
  w->distribution = TRADEOFF_DISTRIBUTION_CONSTANT;
  w->rate_per_s = rate;
}

static void
workload_request (TradeoffWorkload *w,
                  double            duration_s,
                  double            rate)
{
  workload_open (w, TRADEOFF_WORKLOAD_REQUEST, duration_s, rate);
  w->connections = 32;
  w->cpu_us = 20;
  w->reply_bytes = 100;
}

/* Chat: RATE messages a second to ROOMS rooms of SUBSCRIBERS in all. */
static void
workload_chat (TradeoffWorkload *w,
               double            duration_s,
               double            rate,
               guint             subscribers,
               guint             rooms)
{
  workload_open (w, TRADEOFF_WORKLOAD_CHAT, duration_s, rate);
  w->connections = subscribers;
  w->rooms = rooms;
}

/* Runs the driver to the end; returns its totals (caller clears them). */
static TradeoffDriver *
run_driver (const TradeoffWorkload      *w,
            const char                  *url,
            const TradeoffDriverOptions *options,
            TradeoffDriverTotals        *totals)
{
  g_autoptr(GError) error = NULL;
  TradeoffDriver *driver = tradeoff_driver_new (w, url, options);
  gint64 deadline = g_get_monotonic_time () + (gint64) ((w->warmup_s + w->duration_s + 15) * G_USEC_PER_SEC);

  g_assert_true (tradeoff_driver_start (driver, &error));
  g_assert_no_error (error);
  while (!tradeoff_driver_wait (driver, 100))
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
  g_assert_cmpint (tradeoff_driver_get_phase (driver), ==, TRADEOFF_DRIVER_PHASE_DONE);
  tradeoff_driver_get_totals (driver, totals);
  return driver;
}

static void
test_driver_open_loop_rate (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w;
  TradeoffDriverTotals totals;
  TradeoffDriver *driver;
  double rate;

  engine_start (&engine, "--engine", "loop", NULL);
  workload_request (&w, 1.5, 2000);
  driver = run_driver (&w, engine.url, NULL, &totals);

  rate = totals.completed_in_window / totals.window_s;
  g_test_message ("open loop: %.0f/s of 2000 offered, lag %.0f us", rate, totals.dispatch_lag_mean_us);
  g_assert_cmpfloat (fabs (totals.window_s - 1.5), <, 0.01);
  g_assert_cmpfloat (rate, >, 1800);
  g_assert_cmpfloat (rate, <, 2200);
  g_assert_cmpuint (totals.errors, ==, 0);
  g_assert_cmpuint (totals.timeouts, ==, 0);
  g_assert_cmpuint (totals.offered, >=, 2900);
  g_assert_cmpuint (totals.offered, <=, 3100);
  g_assert_cmpuint (tradeoff_histogram_get_count (totals.histogram), ==, totals.completed);
  g_assert_cmpuint (tradeoff_histogram_get_count (totals.histogram_uncorrected), ==, totals.completed);
  /* From the intended start is never shorter than from the send. */
  g_assert_cmpint (tradeoff_histogram_get_percentile (totals.histogram, 50), >=,
                   tradeoff_histogram_get_percentile (totals.histogram_uncorrected, 50));
  g_assert_cmpuint (tradeoff_driver_get_n_intervals (driver), ==, 15);
  g_assert_cmpuint (totals.n_threads, ==, 1);

  /* The intervals add up to the window. */
  {
    guint64 sum = 0;

    for (guint i = 0; i < 15; i++)
      {
        TradeoffDriverInterval iv;

        tradeoff_driver_get_interval (driver, i, &iv);
        sum += iv.completed;
        g_assert_cmpuint (tradeoff_histogram_get_count (iv.histogram), ==, iv.completed);
        g_assert_cmpuint (tradeoff_histogram_get_significant_digits (iv.histogram), ==, 2);
        tradeoff_driver_interval_clear (&iv);
      }
    g_assert_cmpuint (sum, ==, totals.completed_in_window);
  }

  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  engine_stop (&engine);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The interquartile range of the arrivals per interval, counted by their
 * intended start: the schedule itself, whatever the machine's hiccups. */
static double
interval_spread (TradeoffDriver *driver,
                 double         *median_out)
{
  guint n = tradeoff_driver_get_n_intervals (driver);
  g_autofree double *counts = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      TradeoffDriverInterval iv;

      tradeoff_driver_get_interval (driver, i, &iv);
      counts[i] = iv.offered;
      tradeoff_driver_interval_clear (&iv);
    }
  qsort (counts, n, sizeof (double), compare_doubles);
  *median_out = counts[n / 2];
  return counts[(3 * n) / 4] - counts[n / 4];
}

static void
test_driver_poisson_vs_constant (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w;
  TradeoffDriverTotals totals;
  TradeoffDriver *driver;
  double median_constant, spread_constant;
  double median_poisson, spread_poisson;

  engine_start (&engine, "--engine", "loop", NULL);

  workload_request (&w, 3, 2000);
  driver = run_driver (&w, engine.url, NULL, &totals);
  spread_constant = interval_spread (driver, &median_constant);
  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);

  w.distribution = TRADEOFF_DISTRIBUTION_POISSON;
  driver = run_driver (&w, engine.url, NULL, &totals);
  spread_poisson = interval_spread (driver, &median_poisson);
  g_test_message ("per 100 ms: constant %.0f (IQR %.0f), Poisson %.0f (IQR %.0f)",
                  median_constant, spread_constant, median_poisson, spread_poisson);

  /* Both offer the rate, and it gets served. */
  g_assert_cmpfloat (median_constant, >=, 199);
  g_assert_cmpfloat (median_constant, <=, 201);
  g_assert_cmpfloat (median_poisson, >, 170);
  g_assert_cmpfloat (median_poisson, <, 230);
  g_assert_cmpfloat (totals.completed_in_window / totals.window_s, >, 1700);
  /* A constant schedule is flat. Poisson counts per interval have a
   * standard deviation of sqrt (200) = 14, an IQR of about 19. */
  g_assert_cmpfloat (spread_constant, <=, 1);
  g_assert_cmpfloat (spread_poisson, >, 8);
  g_assert_cmpfloat (spread_poisson, <, 45);
  /* 6,000 arrivals expected: within four standard deviations (77). */
  g_assert_cmpuint (totals.offered, >, 5690);
  g_assert_cmpuint (totals.offered, <, 6310);

  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  engine_stop (&engine);
}

static void
test_driver_closed_loop (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w;
  TradeoffDriverTotals totals;
  TradeoffDriver *driver;
  double rate;

  engine_start (&engine, "--engine", "loop", NULL);
  workload_request (&w, 1.5, 0);
  w.arrival_mode = TRADEOFF_ARRIVAL_CLOSED;
  w.clients = 4;
  w.think_ms = 10;
  driver = run_driver (&w, engine.url, NULL, &totals);

  /* Four clients, each at most one request per 10 ms of thinking. */
  rate = totals.completed_in_window / totals.window_s;
  g_test_message ("closed loop: %.0f/s", rate);
  g_assert_cmpfloat (rate, >, 200);
  g_assert_cmpfloat (rate, <=, 410);
  g_assert_cmpfloat (tradeoff_driver_get_offered_per_s (driver), ==, 0);
  /* Closed loop: the intended start is the send. */
  g_assert_cmpint (tradeoff_histogram_get_percentile (totals.histogram, 50), ==,
                   tradeoff_histogram_get_percentile (totals.histogram_uncorrected, 50));
  g_assert_cmpint (tradeoff_histogram_get_percentile (totals.histogram, 99), ==,
                   tradeoff_histogram_get_percentile (totals.histogram_uncorrected, 99));
  g_assert_cmpuint (totals.errors, ==, 0);

  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  engine_stop (&engine);
}

typedef struct
{
  char   *url;
  gint64  at;
  long    status;
} StallRequest;

static gpointer
stall_thread (gpointer data)
{
  StallRequest *req = data;
  CURL *easy = curl_easy_init ();

  while (g_get_monotonic_time () < req->at)
    g_usleep (1000);
  curl_easy_setopt (easy, CURLOPT_URL, req->url);
  curl_easy_setopt (easy, CURLOPT_PROXY, "");
  curl_easy_setopt (easy, CURLOPT_POSTFIELDS, "");
  curl_easy_perform (easy);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &req->status);
  curl_easy_cleanup (easy);
  return NULL;
}

static void
test_driver_stall (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w;
  TradeoffDriverTotals totals;
  g_autoptr(GError) error = NULL;
  TradeoffDriver *driver;
  StallRequest req = { 0 };
  GThread *thread;
  gint64 corrected;
  gint64 uncorrected;
  gint64 worst_interval = 0;

  engine_start (&engine, "--engine", "loop", NULL);
  workload_request (&w, 4, 500);
  w.connections = 4;
  w.warmup_s = 0.2;

  driver = tradeoff_driver_new (&w, engine.url, NULL);
  g_assert_true (tradeoff_driver_start (driver, &error));
  /* One second of CPU on the loop, half a second into the window (on a
   * busy machine that second may take two or three). */
  req.url = g_strdup_printf ("%s/work?cpu_us=1000000", engine.url);
  req.at = tradeoff_driver_get_measure_start_time (driver) + G_USEC_PER_SEC / 2;
  thread = g_thread_new ("stall", stall_thread, &req);
  while (!tradeoff_driver_wait (driver, 100))
    ;
  g_thread_join (thread);
  g_assert_cmpint (req.status, ==, 200);
  tradeoff_driver_get_totals (driver, &totals);

  corrected = tradeoff_histogram_get_percentile (totals.histogram, 99);
  uncorrected = tradeoff_histogram_get_percentile (totals.histogram_uncorrected, 99);
  g_test_message ("stall: p99 %" G_GINT64_FORMAT " us from the intended start, %" G_GINT64_FORMAT
                  " us from the send", corrected, uncorrected);
  /* Arrivals kept coming during the stall and waited for a connection. */
  g_assert_cmpint (corrected, >=, 500 * 1000);
  g_assert_cmpint (uncorrected, <, corrected / 3);

  for (guint i = 0; i < tradeoff_driver_get_n_intervals (driver); i++)
    {
      TradeoffDriverInterval iv;

      tradeoff_driver_get_interval (driver, i, &iv);
      if (iv.completed > 0)
        worst_interval = MAX (worst_interval, tradeoff_histogram_get_percentile (iv.histogram, 99));
      tradeoff_driver_interval_clear (&iv);
    }
  g_assert_cmpint (worst_interval, >=, 500 * 1000);
  g_assert_cmpuint (totals.completed, >=, 1800);

  g_free (req.url);
  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  engine_stop (&engine);
}

static void
test_driver_errors (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w;
  TradeoffDriverTotals totals;
  TradeoffDriver *driver;
  g_autofree char *bad_path = NULL;

  engine_start (&engine, "--engine", "loop", NULL);
  workload_request (&w, 0.5, 200);
  w.warmup_s = 0;

  /* Non-2xx answers are errors, never completions. */
  bad_path = g_strdup_printf ("%s/no-such-prefix", engine.url);
  driver = run_driver (&w, bad_path, NULL, &totals);
  g_assert_cmpuint (totals.completed, ==, 0);
  g_assert_cmpuint (totals.errors, >=, 80);
  g_assert_cmpuint (totals.errors, <=, 110);
  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  engine_stop (&engine);

  /* Nothing listening any more: connection errors. */
  driver = run_driver (&w, bad_path, NULL, &totals);
  g_assert_cmpuint (totals.completed, ==, 0);
  g_assert_cmpuint (totals.errors, >=, 80);
  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
}

static void
test_driver_timeouts (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w;
  TradeoffDriverTotals totals;
  TradeoffDriverOptions options;
  TradeoffDriver *driver;
  guint64 in_window = 0;

  engine_start (&engine, "--engine", "loop", NULL);
  workload_request (&w, 1, 40);
  w.warmup_s = 0;
  w.cpu_us = 0;
  w.wait_us = 2 * G_USEC_PER_SEC;
  tradeoff_driver_options_init (&options);
  options.request_timeout_s = 0.3;
  options.drain_s = 0.5;

  /* Every request outlives its timeout: counted, not dropped. Those
   * sent in the first 0.7 s time out inside the window, 0.3 s after
   * they were sent, and show in its timeline; the rest are cut off by
   * the end of the run and counted then. */
  driver = run_driver (&w, engine.url, &options, &totals);
  for (guint i = 0; i < tradeoff_driver_get_n_intervals (driver); i++)
    {
      TradeoffDriverInterval iv;

      tradeoff_driver_get_interval (driver, i, &iv);
      in_window += iv.timeouts;
      tradeoff_driver_interval_clear (&iv);
    }
  g_test_message ("timeouts: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " in the window), errors %"
                  G_GUINT64_FORMAT, totals.timeouts, in_window, totals.errors);
  g_assert_cmpuint (totals.completed, ==, 0);
  g_assert_cmpuint (totals.timeouts + totals.errors, >=, 35);
  g_assert_cmpuint (totals.timeouts, >=, 30);
  g_assert_cmpuint (in_window, >=, 20);

  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  engine_stop (&engine);
}

static void
test_driver_bad_url (void)
{
  g_autoptr(GError) error = NULL;
  TradeoffWorkload w;
  TradeoffDriver *driver;

  /* A URL curl cannot parse fails the start with a message naming it,
   * rather than failing every request. */
  workload_request (&w, 1, 10);
  driver = tradeoff_driver_new (&w, "http://127.0.0.1:9/a b", NULL);
  g_assert_false (tradeoff_driver_start (driver, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "http://127.0.0.1:9/a b/work?"));
  tradeoff_driver_free (driver);
}

static void
test_driver_chat (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w = { 0 };
  TradeoffDriverTotals totals;
  TradeoffDriver *driver;
  double rate;

  engine_start (&engine, "--engine", "loop", NULL);
  workload_chat (&w, 1.5, 40, 200, 4);
  w.message_bytes = 120;
  w.cpu_us = 20;
  driver = run_driver (&w, engine.url, NULL, &totals);

  /* 40 messages a second, each to 50 subscribers. */
  rate = totals.completed_in_window / totals.window_s;
  g_test_message ("chat: %.0f deliveries/s of %.0f, p99 %" G_GINT64_FORMAT " us", rate,
                  tradeoff_driver_get_offered_per_s (driver),
                  tradeoff_histogram_get_percentile (totals.histogram, 99));
  g_assert_cmpfloat (tradeoff_driver_get_offered_per_s (driver), ==, 2000);
  g_assert_cmpuint (totals.subscribed, ==, 200);
  g_assert_false (totals.subscribe_timed_out);
  g_assert_cmpfloat (rate, >, 1600);
  g_assert_cmpfloat (rate, <, 2400);
  g_assert_cmpuint (totals.errors, ==, 0);
  g_assert_cmpuint (totals.published, >=, 50);
  /* A healthy server delivers every message to every subscriber. */
  g_test_message ("deliveries: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT,
                  totals.deliveries_received, totals.deliveries_expected);
  g_assert_cmpuint (totals.deliveries_expected, >=, 50 * 50);
  g_assert_cmpuint (totals.deliveries_received, <=, totals.deliveries_expected);
  g_assert_cmpuint (totals.deliveries_received, >=, totals.deliveries_expected * 99 / 100);
  g_assert_cmpint (tradeoff_histogram_get_percentile (totals.histogram, 99), <, G_USEC_PER_SEC);
  g_assert_cmpint (tradeoff_histogram_get_percentile (totals.histogram, 50), >=,
                   tradeoff_histogram_get_percentile (totals.histogram_uncorrected, 50));

  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  engine_stop (&engine);
}

/* A chat server that takes every message and delivers none: it answers
 * subscriptions and publishes as the wire contract says, then drops. */
typedef struct
{
  int        listen_fd;
  guint      port;
  GThread   *acceptor;
  GMutex     lock;
  GPtrArray *threads;
} LossyServer;

static gpointer
lossy_connection_main (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  GString *in = g_string_new (NULL);
  char buf[4096];

  for (;;)
    {
      const char *end = strstr (in->str, "\r\n\r\n");
      const char *length;
      gsize need;
      ssize_t n;

      if (end == NULL)
        {
          n = recv (fd, buf, sizeof buf, 0);
          if (n <= 0)
            break;
          g_string_append_len (in, buf, n);
          continue;
        }
      length = g_strstr_len (in->str, end - in->str, "Content-Length:");
      need = (end - in->str) + 4 + (length != NULL ? g_ascii_strtoull (length + 15, NULL, 10) : 0);
      if (in->len < need)
        {
          n = recv (fd, buf, sizeof buf, 0);
          if (n <= 0)
            break;
          g_string_append_len (in, buf, n);
          continue;
        }
      if (g_str_has_prefix (in->str, "GET /chat/"))
        {
          const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";

          /* Subscribed; nothing will ever come. */
          if (send (fd, head, strlen (head), MSG_NOSIGNAL) < 0)
            break;
          while (recv (fd, buf, sizeof buf, 0) > 0)
            ;
          break;
        }
      else
        {
          const char *reply = "HTTP/1.1 204 No Content\r\n\r\n";

          if (send (fd, reply, strlen (reply), MSG_NOSIGNAL) < 0)
            break;
          g_string_erase (in, 0, need);
        }
    }
  close (fd);
  g_string_free (in, TRUE);
  return NULL;
}

static gpointer
lossy_acceptor_main (gpointer data)
{
  LossyServer *server = data;

  for (;;)
    {
      int fd = accept (server->listen_fd, NULL, NULL);

      if (fd < 0)
        break;
      g_mutex_lock (&server->lock);
      g_ptr_array_add (server->threads, g_thread_new ("lossy", lossy_connection_main, GINT_TO_POINTER (fd)));
      g_mutex_unlock (&server->lock);
    }
  return NULL;
}

static void
lossy_server_start (LossyServer *server)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;

  server->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (server->listen_fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (server->listen_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (server->listen_fd, 128), ==, 0);
  g_assert_cmpint (getsockname (server->listen_fd, (struct sockaddr *) &addr, &len), ==, 0);
  server->port = ntohs (addr.sin_port);
  g_mutex_init (&server->lock);
  server->threads = g_ptr_array_new ();
  server->acceptor = g_thread_new ("lossy-accept", lossy_acceptor_main, server);
}

/* Call once every client has hung up. */
static void
lossy_server_stop (LossyServer *server)
{
  shutdown (server->listen_fd, SHUT_RDWR);
  g_thread_join (server->acceptor);
  close (server->listen_fd);
  for (guint i = 0; i < server->threads->len; i++)
    g_thread_join (g_ptr_array_index (server->threads, i));
  g_ptr_array_unref (server->threads);
  g_mutex_clear (&server->lock);
}

static void
test_driver_chat_lost (void)
{
  LossyServer server = { 0 };
  TradeoffWorkload w = { 0 };
  TradeoffDriverOptions options;
  TradeoffDriverTotals totals;
  TradeoffDriver *driver;
  g_autofree char *url = NULL;

  lossy_server_start (&server);
  url = g_strdup_printf ("http://127.0.0.1:%u", server.port);
  workload_chat (&w, 1, 20, 20, 2);
  w.message_bytes = 64;
  tradeoff_driver_options_init (&options);
  options.publishers = 4;
  options.threads = 1;
  driver = run_driver (&w, url, &options, &totals);

  /* Every publish succeeded, so every delivery was owed; none came. */
  g_test_message ("lossy chat: %" G_GUINT64_FORMAT " published, %" G_GUINT64_FORMAT " of %"
                  G_GUINT64_FORMAT " deliveries", totals.published, totals.deliveries_received,
                  totals.deliveries_expected);
  g_assert_cmpuint (totals.subscribed, ==, 20);
  g_assert_cmpuint (totals.errors, ==, 0);
  g_assert_cmpuint (totals.published, >=, 15);
  g_assert_cmpuint (totals.completed, ==, 0);
  g_assert_cmpuint (totals.deliveries_received, ==, 0);
  g_assert_cmpuint (totals.deliveries_expected, >=, 15 * 10);
  g_assert_cmpuint (totals.deliveries_expected, <=, 25 * 10);

  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  lossy_server_stop (&server);
}

static void
test_driver_streaming (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w = { 0 };
  TradeoffDriverTotals totals;
  TradeoffDriver *driver;
  double expected;
  double rate;
  double bytes_rate;

  engine_start (&engine, "--engine", "loop", NULL);
  w.kind = TRADEOFF_WORKLOAD_STREAMING;
  w.duration_s = 1.5;
  w.warmup_s = 0.3;
  w.arrival_mode = TRADEOFF_ARRIVAL_CLOSED;
  w.streams = 10;
  w.stream_bytes = 256 * 1024;
  w.rate_bytes_per_s = 64 * 1024;
  w.chunk_bytes = 4096;
  w.slow_reader_fraction = 0.2;
  driver = run_driver (&w, engine.url, NULL, &totals);

  /* Eight streams at 16 chunks/s, two slow readers at half that. */
  expected = 8 * 16 + 2 * 8;
  rate = totals.completed_in_window / totals.window_s;
  bytes_rate = totals.bytes_in_window / totals.window_s;
  g_test_message ("streaming: %.0f chunks/s of %.0f, %.0f bytes/s, p99 lateness %" G_GINT64_FORMAT " us",
                  rate, expected, bytes_rate, tradeoff_histogram_get_percentile (totals.histogram, 99));
  g_assert_cmpfloat (tradeoff_driver_get_offered_per_s (driver), ==, expected);
  g_assert_cmpfloat (rate, >, 0.7 * expected);
  g_assert_cmpfloat (rate, <, 1.3 * expected);
  g_assert_cmpfloat (bytes_rate, >, 0.7 * expected * 4096);
  g_assert_cmpfloat (bytes_rate, <, 1.3 * expected * 4096);
  g_assert_cmpuint (totals.stalls, ==, 0);
  g_assert_cmpuint (totals.errors, ==, 0);

  tradeoff_driver_totals_clear (&totals);
  tradeoff_driver_free (driver);
  engine_stop (&engine);
}

static void
test_driver_stop_early (void)
{
  Engine engine = { 0 };
  TradeoffWorkload w;
  g_autoptr(GError) error = NULL;
  TradeoffDriver *driver;
  gint64 begun;

  engine_start (&engine, "--engine", "loop", NULL);
  workload_request (&w, 30, 500);
  driver = tradeoff_driver_new (&w, engine.url, NULL);
  g_assert_true (tradeoff_driver_start (driver, &error));
  g_usleep (300 * 1000);
  begun = g_get_monotonic_time ();
  tradeoff_driver_stop (driver);
  g_assert_cmpint (g_get_monotonic_time () - begun, <, G_USEC_PER_SEC);
  g_assert_true (tradeoff_driver_wait (driver, 0));
  tradeoff_driver_stop (driver);
  tradeoff_driver_free (driver);
  engine_stop (&engine);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);

  g_test_add_func ("/driver/open-loop-rate", test_driver_open_loop_rate);
  g_test_add_func ("/driver/poisson-vs-constant", test_driver_poisson_vs_constant);
  g_test_add_func ("/driver/closed-loop", test_driver_closed_loop);
  g_test_add_func ("/driver/stall", test_driver_stall);
  g_test_add_func ("/driver/errors", test_driver_errors);
  g_test_add_func ("/driver/timeouts", test_driver_timeouts);
  g_test_add_func ("/driver/bad-url", test_driver_bad_url);
  g_test_add_func ("/driver/chat", test_driver_chat);
  g_test_add_func ("/driver/chat-lost", test_driver_chat_lost);
  g_test_add_func ("/driver/streaming", test_driver_streaming);
  g_test_add_func ("/driver/stop-early", test_driver_stop_early);

  return g_test_run ();
}
