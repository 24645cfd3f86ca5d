/* test-cli.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "tradeoff-test-cli.h"

static void
test_cli_version (void)
{
  const char *args[] = { "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (tradeoff_test_run_cli (args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "tradeoff-cli " PACKAGE_VERSION "\n");
}

static void
test_cli_help (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (tradeoff_test_run_cli (args, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Usage: tradeoff-cli"));
  g_assert_nonnull (strstr (out, "--version"));
}

static void
test_cli_unknown_command (void)
{
  const char *args[] = { "frobnicate", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (tradeoff_test_run_cli (args, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  /* One clear line on stderr. */
  g_assert_nonnull (strstr (err, "frobnicate"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, strlen (err) - 1);
}

static void
test_cli_no_command (void)
{
  const char *args[] = { NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (tradeoff_test_run_cli (args, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "Usage"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/version", test_cli_version);
  g_test_add_func ("/cli/help", test_cli_help);
  g_test_add_func ("/cli/unknown-command", test_cli_unknown_command);
  g_test_add_func ("/cli/no-command", test_cli_no_command);

  return g_test_run ();
}
