/* wire-contract.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A reusable checker of the wire contract (FORMATS.md) for any back end:
 * our engines and the Node.js and Python references alike. It depends on GLib
 * and libcurl only. Every check runs over real loopback sockets. */

#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wire-contract.h"

#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS  5000

struct _WireServer
{
  GPid  pid;
  guint port;
  int   out_fd;
};

/* A server must not outlive a test that failed half-way: it would hold the
 * test's output pipes open. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

WireServer *
wire_server_start (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  WireServer *server = g_new0 (WireServer, 1);
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;
  const char *port_key;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                            die_with_parent, NULL, &server->pid, NULL, &server->out_fd, NULL, &error);
  g_assert_no_error (error);

  /* Read the first line of stdout, with a deadline. */
  while (strchr (line->str, '\n') == NULL)
    {
      struct pollfd pfd = { server->out_fd, POLLIN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();
      char buf[256];
      ssize_t n;

      if (left <= 0)
        g_error ("%s did not print its port within %d ms", argv[0], START_TIMEOUT_MS);
      if (poll (&pfd, 1, (int) (left / 1000) + 1) <= 0)
        continue;
      n = read (server->out_fd, buf, sizeof buf);
      if (n <= 0)
        g_error ("%s exited before printing its port", argv[0]);
      g_string_append_len (line, buf, n);
    }

  port_key = strstr (line->str, "\"port\"");
  g_assert_nonnull (port_key);
  port_key += strlen ("\"port\"");
  while (*port_key == ' ' || *port_key == ':')
    port_key++;
  server->port = (guint) g_ascii_strtoull (port_key, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  g_assert_cmpuint (server->port, <, 65536);

  return server;
}

guint
wire_server_get_port (WireServer *server)
{
  return server->port;
}

GPid
wire_server_get_pid (WireServer *server)
{
  return server->pid;
}

char *
wire_server_url (WireServer *server,
                 const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", server->port, path);
}

/* SIGTERM, then SIGKILL if it does not exit in time; returns the wait status
 * and frees SERVER. */
int
wire_server_stop (WireServer *server)
{
  gint64 deadline = g_get_monotonic_time () + STOP_TIMEOUT_MS * 1000;
  int status = 0;

  kill (server->pid, SIGTERM);
  for (;;)
    {
      pid_t r = waitpid (server->pid, &status, WNOHANG);

      if (r == server->pid || (r < 0 && errno != EINTR))
        break;
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("server %d ignored SIGTERM; killing it", (int) server->pid);
          kill (server->pid, SIGKILL);
          waitpid (server->pid, &status, 0);
          break;
        }
      g_usleep (5000);
    }

  g_spawn_close_pid (server->pid);
  close (server->out_fd);
  g_free (server);
  return status;
}

static size_t
append_cb (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *user_data)
{
  if (user_data != NULL)
    g_string_append_len (user_data, data, size * nmemb);
  return size * nmemb;
}

static CURL *
easy_new (const char *url)
{
  CURL *easy = curl_easy_init ();

  g_assert_nonnull (easy);
  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_PROXY, "");
  curl_easy_setopt (easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, append_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, NULL);
  return easy;
}

static void
easy_set_method (CURL       *easy,
                 const char *method,
                 const char *body)
{
  if (g_str_equal (method, "POST"))
    {
      curl_easy_setopt (easy, CURLOPT_POST, 1L);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE, (long) (body != NULL ? strlen (body) : 0));
      curl_easy_setopt (easy, CURLOPT_COPYPOSTFIELDS, body != NULL ? body : "");
    }
  else if (!g_str_equal (method, "GET"))
    {
      curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, method);
    }
}

long
wire_request (const char *method,
              const char *url,
              const char *body,
              GString    *out_body,
              double     *elapsed_s)
{
  CURL *easy = easy_new (url);
  long status = 0;
  gint64 start = g_get_monotonic_time ();
  CURLcode code;

  easy_set_method (easy, method, body);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, out_body);
  code = curl_easy_perform (easy);
  if (elapsed_s != NULL)
    *elapsed_s = (g_get_monotonic_time () - start) / 1e6;
  if (code == CURLE_OK)
    curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
  else
    g_test_message ("%s %s: %s", method, url, curl_easy_strerror (code));
  curl_easy_cleanup (easy);
  return status;
}

int
wire_connect (guint port)
{
  struct sockaddr_in addr = { 0 };
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

/* Sends DATA and reads until the server closes or TIMEOUT_MS of silence. */
char *
wire_raw_exchange (guint       port,
                   const char *data,
                   gsize       len,
                   guint       timeout_ms)
{
  GString *reply = g_string_new (NULL);
  int fd = wire_connect (port);
  gsize sent = 0;

  while (sent < len)
    {
      ssize_t n = send (fd, data + sent, len - sent, MSG_NOSIGNAL);

      if (n <= 0)
        break;
      sent += n;
    }

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      char buf[4096];
      ssize_t n;

      if (poll (&pfd, 1, timeout_ms) <= 0)
        break;
      n = recv (fd, buf, sizeof buf, 0);
      if (n <= 0)
        break;
      g_string_append_len (reply, buf, n);
    }

  close (fd);
  return g_string_free (reply, FALSE);
}

/* The checks */

/* Stops the server and fails if it crashed: it must exit (status 0) or die
 * of the SIGTERM it was sent, not of anything else (a sanitizer's report
 * exits 1, a crash is another signal). */
static void
stop_checked (WireServer *server)
{
  int status = wire_server_stop (server);

  if (WIFEXITED (status))
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  else
    g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGTERM);
}

typedef struct
{
  char **argv;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_strfreev (c->argv);
  g_free (c);
}

static void
test_health (gconstpointer data)
{
  const Case *c = data;
  WireServer *server = wire_server_start ((const char * const *) c->argv);
  g_autofree char *url = wire_server_url (server, "/health");
  g_autofree char *missing = wire_server_url (server, "/no-such-path");
  CURL *easy;
  long status = 0;
  long connects = -1;

  g_assert_cmpint (wire_request ("GET", url, NULL, NULL, NULL), ==, 200);
  g_assert_cmpint (wire_request ("GET", missing, NULL, NULL, NULL), ==, 404);

  /* Keep-alive: the second request reuses the first one's connection. */
  easy = easy_new (url);
  g_assert_cmpint (curl_easy_perform (easy), ==, CURLE_OK);
  g_assert_cmpint (curl_easy_perform (easy), ==, CURLE_OK);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo (easy, CURLINFO_NUM_CONNECTS, &connects);
  g_assert_cmpint (status, ==, 200);
  g_assert_cmpint (connects, ==, 0);
  curl_easy_cleanup (easy);

  stop_checked (server);
}

static void
test_work (gconstpointer data)
{
  const Case *c = data;
  WireServer *server = wire_server_start ((const char * const *) c->argv);
  g_autofree char *url = wire_server_url (server, "/work?cpu_us=5000&wait_us=50000&reply_bytes=12345");
  g_autofree char *empty = wire_server_url (server, "/work?cpu_us=0&wait_us=0&reply_bytes=0");
  g_autofree char *batch = wire_server_url (server, "/work?cpu_us=2000&items=3&reply_bytes=10");
  g_autoptr(GString) body = g_string_new (NULL);
  double elapsed = 0;

  g_assert_cmpint (wire_request ("POST", url, NULL, body, &elapsed), ==, 200);
  g_assert_cmpuint (body->len, ==, 12345);
  /* 5 ms of CPU and a 50 ms wait cannot take less than 50 ms. */
  g_assert_cmpfloat (elapsed, >=, 0.050);
  g_assert_cmpfloat (elapsed, <, 5.0);

  g_string_truncate (body, 0);
  g_assert_cmpint (wire_request ("POST", empty, NULL, body, NULL), ==, 200);
  g_assert_cmpuint (body->len, ==, 0);

  g_string_truncate (body, 0);
  g_assert_cmpint (wire_request ("POST", batch, NULL, body, &elapsed), ==, 200);
  g_assert_cmpuint (body->len, ==, 10);
  g_assert_cmpfloat (elapsed, >=, 0.006);

  stop_checked (server);
}

typedef struct
{
  gboolean chunked;
  gboolean event_stream;
  gboolean headers_done;
} HeaderInfo;

static size_t
header_cb (char   *data,
           size_t  size,
           size_t  nmemb,
           void   *user_data)
{
  HeaderInfo *info = user_data;
  gsize len = size * nmemb;
  g_autofree char *line = g_ascii_strdown (data, len);

  if (strstr (line, "transfer-encoding:") != NULL && strstr (line, "chunked") != NULL)
    info->chunked = TRUE;
  if (strstr (line, "content-type:") != NULL && strstr (line, "text/event-stream") != NULL)
    info->event_stream = TRUE;
  if (len == 2 && line[0] == '\r' && !g_str_has_prefix (line, "http/"))
    info->headers_done = TRUE;
  return len;
}

typedef struct
{
  GString *data;
  gint64   start;
  gint64   half_at;    /* when half the bytes had arrived */
  gsize    half;
} StreamRead;

static size_t
stream_write_cb (char   *data,
                 size_t  size,
                 size_t  nmemb,
                 void   *user_data)
{
  StreamRead *read = user_data;

  g_string_append_len (read->data, data, size * nmemb);
  if (read->half_at == 0 && read->data->len >= read->half)
    read->half_at = g_get_monotonic_time ();
  return size * nmemb;
}

static void
test_stream (gconstpointer data)
{
  const Case *c = data;
  WireServer *server = wire_server_start ((const char * const *) c->argv);
  /* 20 chunks of 10,000 bytes at 1,000,000 bytes/s: about 0.2 s. */
  g_autofree char *url = wire_server_url (server, "/stream?bytes=200000&rate=1000000&chunk=10000");
  StreamRead read = { g_string_new (NULL), g_get_monotonic_time (), 0, 100000 };
  HeaderInfo info = { 0 };
  CURL *easy = easy_new (url);
  long status = 0;
  double elapsed;
  double half;

  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, stream_write_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, &read);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, &info);
  g_assert_cmpint (curl_easy_perform (easy), ==, CURLE_OK);
  elapsed = (g_get_monotonic_time () - read.start) / 1e6;
  half = (read.half_at - read.start) / 1e6;
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup (easy);

  g_assert_cmpint (status, ==, 200);
  g_assert_true (info.chunked);
  g_assert_cmpuint (read.data->len, ==, 200000);
  /* Paced, not dumped: the whole takes most of its 0.2 s schedule and half
   * of it arrives well after the start; and it does not stall. */
  g_test_message ("stream: half at %.3f s, all at %.3f s", half, elapsed);
  g_assert_cmpfloat (elapsed, >=, 0.15);
  g_assert_cmpfloat (half, >=, 0.06);
  g_assert_cmpfloat (elapsed, <, 3.0);

  g_string_free (read.data, TRUE);
  stop_checked (server);
}

typedef struct
{
  CURL      *easy;
  GString   *data;
  HeaderInfo info;
} Subscriber;

static void
subscriber_init (Subscriber *sub,
                 WireServer *server,
                 const char *room)
{
  g_autofree char *path = g_strdup_printf ("/chat/%s", room);
  g_autofree char *url = wire_server_url (server, path);

  memset (sub, 0, sizeof *sub);
  sub->data = g_string_new (NULL);
  sub->easy = easy_new (url);
  curl_easy_setopt (sub->easy, CURLOPT_TIMEOUT_MS, 0L);
  curl_easy_setopt (sub->easy, CURLOPT_WRITEDATA, sub->data);
  curl_easy_setopt (sub->easy, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (sub->easy, CURLOPT_HEADERDATA, &sub->info);
}

/* Drives MULTI until DONE (SUBS, POST) says so, or TIMEOUT_MS passes. */
typedef gboolean (*DoneFunc) (Subscriber *subs,
                              guint       n_subs,
                              gpointer    data);

static gboolean
drive (CURLM      *multi,
       Subscriber *subs,
       guint       n_subs,
       DoneFunc    done,
       gpointer    data,
       guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      int running = 0;

      curl_multi_perform (multi, &running);
      if (done != NULL && done (subs, n_subs, data))
        return TRUE;
      curl_multi_poll (multi, NULL, 0, 20, NULL);
    }
  return FALSE;
}

static gboolean
all_subscribed (Subscriber *subs,
                guint       n_subs,
                gpointer    data)
{
  for (guint i = 0; i < n_subs; i++)
    if (!subs[i].info.headers_done)
      return FALSE;
  return TRUE;
}

typedef struct
{
  const char *needle;
  guint       first;
  guint       count;
  CURLM      *multi;
  CURL       *post;
  gboolean    post_done;
} Delivery;

static gboolean
delivered (Subscriber *subs,
           guint       n_subs,
           gpointer    data)
{
  Delivery *d = data;
  CURLMsg *msg;
  int left;

  while ((msg = curl_multi_info_read (d->multi, &left)) != NULL)
    if (msg->msg == CURLMSG_DONE && msg->easy_handle == d->post)
      d->post_done = TRUE;

  if (!d->post_done)
    return FALSE;
  for (guint i = d->first; i < d->first + d->count; i++)
    if (strstr (subs[i].data->str, d->needle) == NULL)
      return FALSE;
  return TRUE;
}

static CURL *
publish (CURLM      *multi,
         WireServer *server,
         const char *room,
         const char *message)
{
  g_autofree char *path = g_strdup_printf ("/chat/%s?cpu_us=200", room);
  g_autofree char *url = wire_server_url (server, path);
  CURL *post = easy_new (url);

  easy_set_method (post, "POST", message);
  curl_multi_add_handle (multi, post);
  return post;
}

static void
test_chat_fanout (gconstpointer data)
{
  const Case *c = data;
  WireServer *server = wire_server_start ((const char * const *) c->argv);
  Subscriber subs[4];
  CURLM *multi = curl_multi_init ();
  Delivery d = { 0 };
  long status = 0;

  /* Three subscribers in room "alpha", one in room "beta". */
  for (guint i = 0; i < 4; i++)
    {
      subscriber_init (&subs[i], server, i < 3 ? "alpha" : "beta");
      curl_multi_add_handle (multi, subs[i].easy);
    }
  g_assert_true (drive (multi, subs, 4, all_subscribed, NULL, 10000));
  for (guint i = 0; i < 4; i++)
    {
      curl_easy_getinfo (subs[i].easy, CURLINFO_RESPONSE_CODE, &status);
      g_assert_cmpint (status, ==, 200);
      g_assert_true (subs[i].info.event_stream);
    }

  d.multi = multi;
  d.needle = "data: hello alpha\n\n";
  d.first = 0;
  d.count = 3;
  d.post = publish (multi, server, "alpha", "hello alpha");
  g_assert_true (drive (multi, subs, 4, delivered, &d, 10000));
  curl_easy_getinfo (d.post, CURLINFO_RESPONSE_CODE, &status);
  g_assert_cmpint (status, ==, 204);
  curl_multi_remove_handle (multi, d.post);
  curl_easy_cleanup (d.post);

  /* The other room heard nothing, even a moment later. */
  drive (multi, subs, 4, NULL, NULL, 200);
  g_assert_null (strstr (subs[3].data->str, "data:"));

  /* And it is live: its own room's message arrives. */
  memset (&d, 0, sizeof d);
  d.multi = multi;
  d.needle = "data: hello beta\n\n";
  d.first = 3;
  d.count = 1;
  d.post = publish (multi, server, "beta", "hello beta");
  g_assert_true (drive (multi, subs, 4, delivered, &d, 10000));
  curl_easy_getinfo (d.post, CURLINFO_RESPONSE_CODE, &status);
  g_assert_cmpint (status, ==, 204);
  curl_multi_remove_handle (multi, d.post);
  curl_easy_cleanup (d.post);
  for (guint i = 0; i < 3; i++)
    g_assert_null (strstr (subs[i].data->str, "hello beta"));

  for (guint i = 0; i < 4; i++)
    {
      curl_multi_remove_handle (multi, subs[i].easy);
      curl_easy_cleanup (subs[i].easy);
      g_string_free (subs[i].data, TRUE);
    }
  curl_multi_cleanup (multi);
  stop_checked (server);
}

static void
test_bad_request (gconstpointer data)
{
  const Case *c = data;
  WireServer *server = wire_server_start ((const char * const *) c->argv);
  g_autofree char *health = wire_server_url (server, "/health");
  static const char garbage[] = "GARBAGE\r\n\r\n";
  g_autofree char *reply = wire_raw_exchange (wire_server_get_port (server), garbage,
                                              strlen (garbage), 2000);

  g_test_message ("reply to garbage: %.*s", (int) strcspn (reply, "\r\n"), reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 400") || g_str_has_prefix (reply, "HTTP/1.0 400"));
  g_assert_cmpint (wire_request ("GET", health, NULL, NULL, NULL), ==, 200);

  stop_checked (server);
}

void
wire_contract_add_tests (const char         *prefix,
                         const char * const *argv)
{
  static const struct
  {
    const char *name;
    GTestDataFunc func;
  } checks[] = {
    { "health", test_health },
    { "work", test_work },
    { "stream", test_stream },
    { "chat-fanout", test_chat_fanout },
    { "bad-request", test_bad_request },
  };

  g_return_if_fail (prefix != NULL);
  g_return_if_fail (argv != NULL && argv[0] != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s", prefix, checks[i].name);
      Case *c = g_new0 (Case, 1);

      c->argv = g_strdupv ((char **) argv);
      g_test_add_data_func_full (path, c, checks[i].func, case_free);
    }
}
