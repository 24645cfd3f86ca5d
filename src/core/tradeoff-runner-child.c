/* tradeoff-runner-child.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The engine's child process: spawning it in its own process group, its
 * port line, waiting for it on a pidfd, stopping and reaping it, and
 * saying how it ended (see the design note in tradeoff-runner.c). */

#define G_LOG_DOMAIN "tradeoff-runner"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tradeoff-runner-private.h"

#define PORT_TIMEOUT_US     (10 * G_USEC_PER_SEC)
#define TERM_GRACE_US       (2 * G_USEC_PER_SEC)

/* The child process. */

static void
child_setup (gpointer user_data)
{
  /* Our own process group: a terminal's Ctrl+C reaches the runner, which
   * then stops the engine itself. Die with the runner's thread. */
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

gboolean
runner_child_reap_nohang (Child *child)
{
  int status;
  pid_t r;

  if (child->reaped || child->pid <= 0)
    return child->reaped;
  r = waitpid (child->pid, &status, WNOHANG);
  if (r == child->pid)
    {
      child->reaped = TRUE;
      child->status = status;
    }
  return child->reaped;
}

/* Waits up to @timeout_us for the child to exit and reaps it. A pidfd turns
 * readable when the process exits; without one (a kernel before 5.3, a
 * sandbox that forbids it) the wait looks again every 10 ms. */
static gboolean
child_wait_exit (Child  *child,
                 gint64  timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  int pidfd = -1;

  if (runner_child_reap_nohang (child))
    return TRUE;
#ifdef SYS_pidfd_open
  pidfd = (int) syscall (SYS_pidfd_open, child->pid, 0);
#endif
  while (!runner_child_reap_nohang (child))
    {
      gint64 left = deadline - g_get_monotonic_time ();
      struct pollfd pfd = { pidfd, POLLIN, 0 };

      if (left <= 0)
        break;
      if (poll (&pfd, pidfd >= 0 ? 1 : 0, (int) MIN ((left + 999) / 1000, pidfd >= 0 ? 1000 : 10)) < 0 &&
          errno != EINTR)
        break;
    }
  if (pidfd >= 0)
    close (pidfd);
  return child->reaped;
}

static void
child_signal (Child *child,
              int    sig)
{
  if (child->pid <= 0 || child->reaped)
    return;
  /* The group first (cluster workers), then the leader in case it has
   * not made its group yet. */
  kill (-child->pid, sig);
  kill (child->pid, sig);
}

/* Stops and reaps the child: SIGTERM, then SIGKILL after the grace period
 * (at once when @now is set). */
void
runner_child_stop (Child    *child,
                   gboolean  now)
{
  if (child->pid > 0 && !child->reaped)
    {
      if (!now)
        {
          child_signal (child, SIGTERM);
          child_wait_exit (child, TERM_GRACE_US);
        }
      if (!child->reaped)
        {
          int status;

          child_signal (child, SIGKILL);
          if (waitpid (child->pid, &status, 0) == child->pid)
            child->status = status;
          child->reaped = TRUE;
        }
    }
  else if (child->pid > 0)
    {
      /* The leader is gone; do not leave its workers behind. */
      kill (-child->pid, SIGKILL);
    }

  if (child->stdout_fd >= 0)
    close (child->stdout_fd);
  child->stdout_fd = -1;
  if (child->stderr_fd >= 0)
    close (child->stderr_fd);
  child->stderr_fd = -1;
  if (child->stderr_path != NULL)
    {
      g_unlink (child->stderr_path);
      g_clear_pointer (&child->stderr_path, g_free);
    }
}

static char *
child_last_stderr_line (Child *child)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (child->stderr_path == NULL ||
      !g_file_get_contents (child->stderr_path, &contents, NULL, NULL))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (int i = (int) g_strv_length (lines) - 1; i >= 0; i--)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        return g_strdup (lines[i]);
    }
  return NULL;
}

char *
runner_child_exit_message (Child      *child,
                           const char *what)
{
  g_autofree char *last = child_last_stderr_line (child);
  g_autofree char *how = NULL;

  if (WIFEXITED (child->status))
    how = g_strdup_printf (_("exited with status %d"), WEXITSTATUS (child->status));
  else if (WIFSIGNALED (child->status))
    how = g_strdup_printf (_("was killed by signal %d"), WTERMSIG (child->status));
  else
    how = g_strdup (_("stopped"));

  if (last != NULL)
    return g_strdup_printf ("%s %s: %s", what, how, last);
  return g_strdup_printf ("%s %s", what, how);
}

gboolean
runner_child_spawn (char   **argv,
                    Child   *child,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  int stderr_fd;

  child->pid = -1;
  child->stdout_fd = -1;
  child->stderr_fd = -1;

  stderr_fd = g_file_open_tmp ("tradeoff-engine-XXXXXX.log", &child->stderr_path, error);
  if (stderr_fd < 0)
    return FALSE;
  child->stderr_fd = stderr_fd;

  if (!g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                                         child_setup, NULL,
                                         -1, -1, stderr_fd,
                                         NULL, NULL, 0,
                                         &child->pid, NULL, &child->stdout_fd, NULL,
                                         &local_error))
    {
      child->pid = -1;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Reads the engine's `{"port": N, ...}` line. */
gboolean
runner_child_read_port (Child         *child,
                        const char    *what,
                        GCancellable  *cancellable,
                        guint         *port,
                        char         **message)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + PORT_TIMEOUT_US;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  gint64 value;

  for (;;)
    {
      struct pollfd pfd = { child->stdout_fd, POLLIN, 0 };
      char buf[256];
      gssize n;
      int r;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (g_get_monotonic_time () >= deadline)
        {
          *message = g_strdup_printf (_("%s did not say its port within %d s"), what,
                                      (int) (PORT_TIMEOUT_US / G_USEC_PER_SEC));
          return FALSE;
        }

      r = poll (&pfd, 1, 50);
      if (r < 0 && errno != EINTR)
        {
          *message = g_strdup_printf ("%s: %s", what, g_strerror (errno));
          return FALSE;
        }
      if (r <= 0)
        {
          if (runner_child_reap_nohang (child))
            {
              *message = runner_child_exit_message (child, what);
              return FALSE;
            }
          continue;
        }

      n = read (child->stdout_fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          /* End of file: it exited, or closed its output. */
          if (child_wait_exit (child, 500 * 1000))
            *message = runner_child_exit_message (child, what);
          else
            *message = g_strdup_printf (_("%s closed its output without saying its port"), what);
          return FALSE;
        }
      g_string_append_len (line, buf, n);
      if (memchr (buf, '\n', n) != NULL)
        break;
      if (line->len > 4096)
        break;
    }

  if (strchr (line->str, '\n') != NULL)
    *strchr (line->str, '\n') = '\0';

  if (!json_parser_load_from_data (parser, line->str, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      (object = json_node_get_object (root)) == NULL ||
      !json_object_has_member (object, "port") ||
      json_node_get_value_type (json_object_get_member (object, "port")) != G_TYPE_INT64 ||
      (value = json_object_get_int_member (object, "port")) <= 0 || value > 65535)
    {
      g_autofree char *shown = g_utf8_make_valid (line->str, MIN (line->len, 200));

      *message = g_strdup_printf (_("%s printed “%s” instead of its port line"), what, shown);
      return FALSE;
    }

  *port = (guint) value;
  return TRUE;
}
