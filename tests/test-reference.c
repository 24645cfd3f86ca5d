/* test-reference.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reference back ends in data/reference/ (Node.js and Python, standard
 * library only) pass the same wire-contract tests as the built-in engines.
 * Where a runtime is missing, every test of its back ends skips visibly,
 * saying how to install it.
 *
 * On top of the shared contract, the checks that belong to these scripts:
 * the announce line names the engine and the process to sample, SIGINT and
 * SIGTERM end it with status 0, a client vanishing mid-stream harms nothing,
 * and node-cluster runs one worker per core as children of the primary and
 * fans a chat message out to subscribers held by every worker. */

#define G_LOG_DOMAIN "test-reference"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "wire-contract.h"

#define START_TIMEOUT_MS 20000
#define EXIT_TIMEOUT_MS  10000
#define IO_TIMEOUT_S     10

typedef struct
{
  const char *name;              /* test path and announced engine */
  const char *runtime;           /* looked up on PATH */
  const char *script;            /* in data/reference/ */
  const char *missing;           /* why the tests skip, and the fix */
} BackEnd;

static const BackEnd back_ends[] = {
  { "node", "node", "node-http.js",
    "node (16 or later) is not installed; install it with: sudo apt-get install nodejs" },
  { "node-cluster", "node", "node-cluster.js",
    "node (16 or later) is not installed; install it with: sudo apt-get install nodejs" },
  { "python-asyncio", "python3", "python-asyncio.py",
    "python3 (3.8 or later) is not installed; install it with: sudo apt-get install python3" },
  { "python-threads", "python3", "python-threads.py",
    "python3 (3.8 or later) is not installed; install it with: sudo apt-get install python3" },
};

static char *
script_path (const BackEnd *back_end)
{
  const char *source_dir = g_getenv ("TRADEOFF_SOURCE_DIR");

  if (source_dir != NULL)
    return g_build_filename (source_dir, "data", "reference", back_end->script, NULL);
  return g_build_filename (TEST_DATA_DIR, "..", "..", "data", "reference", back_end->script, NULL);
}

/* The runtime is on PATH and new enough for the scripts. */
static gboolean
runtime_usable (const char *runtime)
{
  g_autofree char *program = g_find_program_in_path (runtime);
  const char *flag;
  const char *code;
  int status = 0;

  if (program == NULL)
    return FALSE;

  if (g_str_equal (runtime, "node"))
    {
      flag = "-e";
      code = "process.exit(Number(process.versions.node.split('.')[0]) >= 16 ? 0 : 1)";
    }
  else
    {
      flag = "-c";
      code = "import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)";
    }

  {
    const char *argv[] = { program, flag, code, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL))
      return FALSE;
  }

  return g_spawn_check_wait_status (status, NULL);
}

static void
test_runtime_missing (gconstpointer data)
{
  const BackEnd *back_end = data;

  g_test_skip (back_end->missing);
}

/* A running back end, started the way Tradeoff starts it. */
typedef struct
{
  GSubprocess *process;
  guint16      port;
  gint64       pid;
  char        *engine;
} Server;

static void
server_free (Server *server)
{
  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
      g_object_unref (server->process);
    }
  g_free (server->engine);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

/* Reads the announce line, waiting at most START_TIMEOUT_MS. */
static char *
read_announce_line (GSubprocess *process)
{
  GInputStream *out = g_subprocess_get_stdout_pipe (process);
  int fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (out));
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;

  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char c;
      ssize_t n;

      if (left_ms <= 0)
        return NULL;
      if (poll (&pfd, 1, (int) left_ms) <= 0)
        continue;
      n = read (fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return NULL;
      if (c == '\n')
        return g_string_free (g_steal_pointer (&line), FALSE);
      g_string_append_c (line, c);
    }
}

static Server *
server_start (const BackEnd *back_end)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = script_path (back_end);
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { back_end->runtime, script, "--port", "0", NULL };
  JsonObject *object;

  server->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  line = read_announce_line (server->process);
  g_assert_nonnull (line);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));

  g_assert_true (json_object_has_member (object, "port"));
  g_assert_cmpint (json_object_get_int_member (object, "port"), >, 0);
  g_assert_cmpint (json_object_get_int_member (object, "port"), <=, G_MAXUINT16);
  server->port = json_object_get_int_member (object, "port");
  g_assert_true (json_object_has_member (object, "pid"));
  server->pid = json_object_get_int_member (object, "pid");
  g_assert_true (json_object_has_member (object, "engine"));
  server->engine = g_strdup (json_object_get_string_member (object, "engine"));

  return g_steal_pointer (&server);
}

static void
on_wait_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
on_wait_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits, at most EXIT_TIMEOUT_MS, for the server to exit by itself; returns
 * its wait status. */
static int
server_wait_exit (Server *server)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;
  gboolean timed_out = FALSE;
  guint timeout_id;
  int status;

  g_subprocess_wait_async (server->process, cancellable, on_wait_done_cb, &done);
  timeout_id = g_timeout_add (EXIT_TIMEOUT_MS, on_wait_timeout_cb, &timed_out);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  else
    {
      g_cancellable_cancel (cancellable);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (timed_out);

  status = g_subprocess_get_status (server->process);
  g_clear_object (&server->process);
  return status;
}

/* The direct children of PID, from /proc. */
static GArray *
child_pids (gint64 pid)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *after_comm;
      char state;
      gint64 ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      /* pid (comm) state ppid ...; comm may hold spaces and parentheses. */
      after_comm = strrchr (stat, ')');
      if (after_comm == NULL || sscanf (after_comm + 1, " %c %" G_GINT64_FORMAT, &state, &ppid) != 2)
        continue;
      if (ppid == pid && state != 'Z')
        {
          gint64 child = g_ascii_strtoll (name, NULL, 10);
          g_array_append_val (pids, child);
        }
    }
  return pids;
}

static gboolean
process_alive (gint64 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  g_autofree char *stat = NULL;
  const char *after_comm;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  after_comm = strrchr (stat, ')');
  return after_comm != NULL && after_comm[1] == ' ' && after_comm[2] != 'Z';
}

/* CPU seconds used so far by PID and its children (node-cluster's workers). */
static double
process_tree_cpu_s (gint64 pid)
{
  g_autoptr(GArray) pids = child_pids (pid);
  double total = 0;

  g_array_append_val (pids, pid);
  for (guint i = 0; i < pids->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat",
                                               g_array_index (pids, gint64, i));
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_comm;

      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      after_comm = strrchr (stat, ')');
      g_assert_nonnull (after_comm);
      /* After the comm: state(0) ppid(1) ... utime(11) stime(12). */
      fields = g_strsplit (after_comm + 2, " ", 16);
      g_assert_cmpuint (g_strv_length (fields), >, 12);
      total += (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
               / sysconf (_SC_CLK_TCK);
    }
  return total;
}

/* Minimal HTTP/1.1 over a plain socket: enough to hold chat streams open and
 * to walk away from a response halfway through. */
typedef struct
{
  GSocketConnection *connection;
  GDataInputStream  *in;
  GOutputStream     *out;
} Client;

static void
client_free (Client *client)
{
  if (client->connection != NULL)
    g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_clear_object (&client->in);
  g_clear_object (&client->connection);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static Client *
client_connect (guint16 port)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  Client *client = g_new0 (Client, 1);

  g_socket_client_set_timeout (socket_client, IO_TIMEOUT_S);
  g_socket_client_set_enable_proxy (socket_client, FALSE);
  client->connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  client->in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (client->connection)));
  g_data_input_stream_set_newline_type (client->in, G_DATA_STREAM_NEWLINE_TYPE_LF);
  client->out = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));
  return client;
}

static void
client_send (Client     *client,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (client->out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* One line without its CR LF; NULL at the end of the stream. */
static char *
client_read_line (Client *client)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (client->in, NULL, NULL, &error);

  g_assert_no_error (error);
  if (line != NULL)
    g_strchomp (line);
  return line;
}

/* Reads a response head; returns the status, and the Content-Length or -1. */
static guint
client_read_head (Client *client,
                  gint64 *content_length)
{
  g_autofree char *status_line = client_read_line (client);
  guint status = 0;

  g_assert_nonnull (status_line);
  g_assert_true (g_str_has_prefix (status_line, "HTTP/1.1 "));
  status = (guint) g_ascii_strtoull (status_line + strlen ("HTTP/1.1 "), NULL, 10);
  *content_length = -1;
  for (;;)
    {
      g_autofree char *line = client_read_line (client);

      g_assert_nonnull (line);
      if (line[0] == '\0')
        break;
      if (g_ascii_strncasecmp (line, "Content-Length:", strlen ("Content-Length:")) == 0)
        *content_length = g_ascii_strtoll (line + strlen ("Content-Length:"), NULL, 10);
    }
  return status;
}

static void
client_skip (Client *client,
             gsize   n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *buf = g_malloc (MAX (n, 1));
  gsize got = 0;

  g_input_stream_read_all (G_INPUT_STREAM (client->in), buf, n, &got, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got, ==, n);
}

/* A whole request and response on this connection; returns the status. */
static guint
client_request (Client     *client,
                const char *method,
                const char *target,
                const char *body)
{
  g_autofree char *request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Length: %zu\r\n\r\n%s",
                                              method, target, strlen (body), body);
  gint64 length;
  guint status;

  client_send (client, request);
  status = client_read_head (client, &length);
  if (length > 0)
    client_skip (client, length);
  return status;
}

static Client *
client_subscribe (guint16     port,
                  const char *room)
{
  g_autoptr(Client) client = client_connect (port);
  g_autofree char *request = g_strdup_printf ("GET /chat/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", room);
  gint64 length;

  client_send (client, request);
  g_assert_cmpuint (client_read_head (client, &length), ==, 200);
  g_assert_cmpint (length, ==, -1);
  return g_steal_pointer (&client);
}

/* The next server-sent event's data, read from its chunk. */
static char *
client_read_event (Client *client)
{
  g_autofree char *size_line = client_read_line (client);
  g_autofree char *data = NULL;
  gsize size;

  g_assert_nonnull (size_line);
  size = g_ascii_strtoull (size_line, NULL, 16);
  g_assert_cmpuint (size, >, strlen ("data: \n\n"));
  data = client_read_line (client);
  g_assert_nonnull (data);
  g_assert_true (g_str_has_prefix (data, "data: "));
  g_assert_cmpuint (strlen (data) + 2, ==, size);
  g_free (client_read_line (client));          /* the blank line ending the event */
  g_free (client_read_line (client));          /* the CR LF ending the chunk */
  return g_strdup (data + strlen ("data: "));
}

static void
test_announce_and_signal (const BackEnd *back_end,
                          int            signum)
{
  g_autoptr(Server) server = server_start (back_end);
  g_autoptr(Client) client = NULL;
  g_autofree char *pid = NULL;
  int status;

  /* The line names the engine and the process Tradeoff samples. */
  g_assert_cmpstr (server->engine, ==, back_end->name);
  pid = g_strdup_printf ("%" G_GINT64_FORMAT, server->pid);
  g_assert_cmpstr (g_subprocess_get_identifier (server->process), ==, pid);

  client = client_connect (server->port);
  g_assert_cmpuint (client_request (client, "GET", "/health", ""), ==, 200);

  g_assert_cmpint (kill ((pid_t) server->pid, signum), ==, 0);
  status = server_wait_exit (server);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static void
test_sigterm (gconstpointer data)
{
  test_announce_and_signal (data, SIGTERM);
}

static void
test_sigint (gconstpointer data)
{
  test_announce_and_signal (data, SIGINT);
}

/* Clients that leave mid-stream and mid-chat: the server carries on. */
static void
test_client_vanishes (gconstpointer data)
{
  const BackEnd *back_end = data;
  g_autoptr(Server) server = server_start (back_end);
  g_autoptr(Client) client = NULL;
  g_autoptr(Client) streamer = client_connect (server->port);
  g_autoptr(Client) subscriber = client_subscribe (server->port, "vanish");
  gint64 length;

  /* 64 MiB unpaced: far more than the socket buffers hold. */
  client_send (streamer, "GET /stream?bytes=67108864&chunk=65536 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  g_assert_cmpuint (client_read_head (streamer, &length), ==, 200);
  client_skip (streamer, 4096);
  g_clear_pointer (&streamer, client_free);
  g_clear_pointer (&subscriber, client_free);

  client = client_connect (server->port);
  for (guint i = 0; i < 20; i++)
    g_assert_cmpuint (client_request (client, "POST", "/chat/vanish", "anyone there?"), ==, 204);
  g_assert_cmpuint (client_request (client, "GET", "/health", ""), ==, 200);
}

/* CPU work is CPU the server really spends, and a wait spends none. */
static void
test_cpu_is_real (gconstpointer data)
{
  const BackEnd *back_end = data;
  g_autoptr(Server) server = server_start (back_end);
  g_autoptr(Client) client = client_connect (server->port);
  double before;
  double used;

  g_assert_cmpuint (client_request (client, "GET", "/health", ""), ==, 200);

  /* 4 items of 50 ms: 0.2 s of CPU. Clock ticks are 10 ms; the upper
   * bound only catches a runaway. */
  before = process_tree_cpu_s (server->pid);
  g_assert_cmpuint (client_request (client, "POST", "/work?cpu_us=50000&items=4", ""), ==, 200);
  used = process_tree_cpu_s (server->pid) - before;
  g_test_message ("%s: 0.2 s of CPU asked, %.3f s used", back_end->name, used);
  g_assert_cmpfloat (used, >=, 0.18);
  g_assert_cmpfloat (used, <, 2.0);

  /* A 0.3 s wait is a timer or a blocking sleep, not a busy loop. */
  before = process_tree_cpu_s (server->pid);
  g_assert_cmpuint (client_request (client, "POST", "/work?wait_us=300000", ""), ==, 200);
  used = process_tree_cpu_s (server->pid) - before;
  g_test_message ("%s: 0.3 s wait, %.3f s of CPU used", back_end->name, used);
  g_assert_cmpfloat (used, <, 0.1);
}

/* One worker per core, each a child of the announced primary; a chat message
 * reaches subscribers whichever worker accepted them. */
static void
test_cluster_workers (gconstpointer data)
{
  const BackEnd *back_end = data;
  g_autoptr(Server) server = server_start (back_end);
  g_autoptr(GArray) workers = child_pids (server->pid);
  g_autoptr(GPtrArray) subscribers = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  g_autoptr(Client) publisher = NULL;
  guint cores = g_get_num_processors ();
  int status;

  g_assert_cmpuint (workers->len, ==, cores);

  /* The primary hands connections to the workers in turn, so 3 per core
   * leaves every worker holding some. */
  for (guint i = 0; i < 3 * cores; i++)
    g_ptr_array_add (subscribers, client_subscribe (server->port, "lobby"));

  publisher = client_connect (server->port);
  g_assert_cmpuint (client_request (publisher, "POST", "/chat/lobby?cpu_us=100", "hello, all"), ==, 204);
  g_assert_cmpuint (client_request (publisher, "POST", "/chat/elsewhere", "not for lobby"), ==, 204);
  g_assert_cmpuint (client_request (publisher, "POST", "/chat/lobby", "second"), ==, 204);

  for (guint i = 0; i < subscribers->len; i++)
    {
      g_autofree char *first = client_read_event (g_ptr_array_index (subscribers, i));
      g_autofree char *second = client_read_event (g_ptr_array_index (subscribers, i));

      g_assert_cmpstr (first, ==, "hello, all");
      g_assert_cmpstr (second, ==, "second");
    }

  /* Stopping the primary stops every worker. */
  g_assert_cmpint (kill ((pid_t) server->pid, SIGTERM), ==, 0);
  status = server_wait_exit (server);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  for (guint i = 0; i < workers->len; i++)
    g_assert_false (process_alive (g_array_index (workers, gint64, i)));
}

int
main (int   argc,
      char *argv[])
{
  gboolean node_ok;
  gboolean python_ok;

  g_test_init (&argc, &argv, NULL);

  node_ok = runtime_usable ("node");
  python_ok = runtime_usable ("python3");

  for (guint i = 0; i < G_N_ELEMENTS (back_ends); i++)
    {
      const BackEnd *back_end = &back_ends[i];
      gboolean usable = g_str_equal (back_end->runtime, "node") ? node_ok : python_ok;
      g_autofree char *prefix = g_strdup_printf ("/reference/%s", back_end->name);
      g_autofree char *path = NULL;
      g_autofree char *script = NULL;

      if (!usable)
        {
          path = g_strdup_printf ("%s/runtime", prefix);
          g_test_add_data_func (path, back_end, test_runtime_missing);
          continue;
        }

      script = script_path (back_end);
      {
        const char *argv_server[] = { back_end->runtime, script, NULL };

        wire_contract_add_tests (prefix, argv_server);
      }

      path = g_strdup_printf ("%s/sigterm", prefix);
      g_test_add_data_func (path, back_end, test_sigterm);
      g_clear_pointer (&path, g_free);
      path = g_strdup_printf ("%s/sigint", prefix);
      g_test_add_data_func (path, back_end, test_sigint);
      g_clear_pointer (&path, g_free);
      path = g_strdup_printf ("%s/client-vanishes", prefix);
      g_test_add_data_func (path, back_end, test_client_vanishes);
      g_clear_pointer (&path, g_free);
      path = g_strdup_printf ("%s/cpu-is-real", prefix);
      g_test_add_data_func (path, back_end, test_cpu_is_real);
      if (g_str_equal (back_end->name, "node-cluster"))
        {
          g_clear_pointer (&path, g_free);
          path = g_strdup_printf ("%s/workers", prefix);
          g_test_add_data_func (path, back_end, test_cluster_workers);
        }
    }

  return g_test_run ();
}
