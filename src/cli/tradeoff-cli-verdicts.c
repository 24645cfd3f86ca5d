/* tradeoff-cli-verdicts.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `tradeoff-cli verdicts RESULT.json... [--json]`: the articles' claims
 * judged from the given result files, as text or as the JSON list that
 * FORMATS.md promises. */

#define G_LOG_DOMAIN "tradeoff-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tradeoff-cli.h"
#include "tradeoff-core.h"
#include "tradeoff-guidance.h"
#include "tradeoff-result.h"

/* Two spaces before the first line of @text, four before the others. */
static void
print_indented (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    printf ("%s%s\n", i == 0 ? "  " : "    ", lines[i]);
}

static void
print_text (const TradeoffGuidance *guidance,
            GPtrArray              *verdicts)
{
  for (guint i = 0; i < verdicts->len; i++)
    {
      const TradeoffVerdict *verdict = verdicts->pdata[i];
      const TradeoffClaim *claim = tradeoff_guidance_lookup (guidance, verdict->claim_id);
      g_autoptr(GString) sources = g_string_new (NULL);

      if (i > 0)
        printf ("\n");
      /* Translators: "gil-one-thread: Supported" */
      printf (_("%s: %s"), claim->id, tradeoff_verdict_kind_to_label (verdict->kind));
      printf ("\n");
      print_indented (_(claim->paraphrase));
      if (verdict->condition != NULL)
        {
          g_autofree char *line = g_strdup_printf (_("Condition: %s"), verdict->condition);
          print_indented (line);
        }
      if (verdict->basis != NULL)
        print_indented (verdict->basis);
      {
        g_autofree char *evidence = g_strdup_printf (_("Evidence: %s"), verdict->evidence);
        print_indented (evidence);
      }
      for (guint j = 0; j < claim->sources->len; j++)
        {
          g_autofree char *source = tradeoff_source_format (claim->sources->pdata[j]);

          if (j > 0)
            g_string_append (sources, _("; "));
          g_string_append (sources, source);
        }
      printf (_("  Sources: %s"), sources->str);
      printf ("\n");
      if (claim->contradicts->len > 0)
        {
          g_autofree char *others = NULL;

          g_ptr_array_add (claim->contradicts, NULL);
          others = g_strjoinv (", ", (char **) claim->contradicts->pdata);
          g_ptr_array_remove_index (claim->contradicts, claim->contradicts->len - 1);
          printf (_("  The articles disagree: see %s"), others);
          printf ("\n");
        }
    }
}

static void
print_json (const TradeoffGuidance *guidance,
            GPtrArray              *verdicts)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autofree char *text = NULL;

  for (guint i = 0; i < verdicts->len; i++)
    json_array_add_element (array, tradeoff_verdict_to_json (verdicts->pdata[i], guidance));
  json_node_set_array (root, array);

  text = tradeoff_json_to_data (root, NULL);
  fputs (text, stdout);
}

int
tradeoff_cli_verdicts (int    argc,
                       char **argv)
{
  g_auto(GStrv) files = NULL;
  gboolean as_json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  TradeoffGuidance *guidance;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print a JSON list of {id, verdict, condition, evidence, sources} for scripts"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("RESULT.json…") },
    { NULL }
  };

  context = g_option_context_new (_("— judge the articles’ claims from result files"));
  if (!tradeoff_cli_parse_options (context, entries, &argc, &argv, -1))
    return TRADEOFF_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    {
      tradeoff_cli_print_error (_("verdicts: at least one result file is required (tradeoff-cli verdicts RESULT.json…)"));
      return TRADEOFF_CLI_EXIT_USAGE;
    }

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  for (guint i = 0; files[i] != NULL; i++)
    {
      TradeoffResult *result = tradeoff_result_load_file (files[i], &error);

      if (result == NULL)
        {
          g_autofree char *display = g_filename_display_name (files[i]);

          tradeoff_cli_print_error (_("cannot read “%s”: %s"), display, error->message);
          return TRADEOFF_CLI_EXIT_USAGE;
        }
      g_ptr_array_add (results, result);
    }

  guidance = tradeoff_guidance_get_default (&error);
  if (guidance == NULL)
    {
      tradeoff_cli_print_error (_("the claims could not be loaded: %s"), error->message);
      return TRADEOFF_CLI_EXIT_FAILED;
    }

  verdicts = tradeoff_guidance_judge_all (guidance, results);
  if (as_json)
    print_json (guidance, verdicts);
  else
    print_text (guidance, verdicts);

  return TRADEOFF_CLI_EXIT_OK;
}
