/* test-scenario.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-scenario"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradeoff-scenario.h"

#define EXAMPLE TEST_DATA_DIR "/formats-example.tradeoff.json"

/* A scenario using every kind of engine, as text to mutate. */
static const char *base_json =
  "{\"format\": \"tradeoff-scenario/1\", \"name\": \"Base\","
  " \"workload\": {\"kind\": \"request\", \"duration_s\": 5, \"warmup_s\": 1,"
  "   \"arrival\": {\"mode\": \"open\", \"rate_per_s\": 500, \"distribution\": \"constant\"},"
  "   \"connections\": 20, \"cpu_us\": 100, \"wait_us\": 0, \"request_bytes\": 10,"
  "   \"reply_bytes\": 20},"
  " \"engines\": ["
  "   {\"label\": \"Loop\", \"kind\": \"loop\", \"instances\": 1, \"offload_workers\": 0},"
  "   {\"label\": \"Pool\", \"kind\": \"pool\", \"workers\": 8, \"gil\": true,"
  "    \"switch_interval_ms\": 5, \"connection_mode\": \"per-request\", \"instances\": 1},"
  "   {\"label\": \"Mine\", \"kind\": \"url\", \"url\": \"http://127.0.0.1:9000/\"},"
  "   {\"label\": \"Node\", \"kind\": \"reference\", \"runtime\": \"node\"}]}";

static JsonNode *
base_node (void)
{
  return json_from_string (base_json, NULL);
}

static JsonObject *
member (JsonNode   *root,
        const char *path)
{
  JsonObject *object = json_node_get_object (root);
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_ascii_isdigit (parts[i][0]))
        object = json_array_get_object_element (json_object_get_array_member (object, "engines"),
                                                atoi (parts[i]));
      else
        object = json_object_get_object_member (object, parts[i]);
    }

  return object;
}

static void
test_load_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_load_file (EXAMPLE, &error);
  TradeoffEngineSpec *loop, *pool, *url;

  g_assert_no_error (error);
  g_assert_cmpstr (scenario->name, ==, "Chat, 2,000 users");
  g_assert_cmpint (scenario->workload.kind, ==, TRADEOFF_WORKLOAD_CHAT);
  g_assert_cmpfloat (scenario->workload.duration_s, ==, 10);
  g_assert_cmpfloat (scenario->workload.warmup_s, ==, 2);
  g_assert_cmpint (scenario->workload.arrival_mode, ==, TRADEOFF_ARRIVAL_OPEN);
  g_assert_cmpfloat (scenario->workload.rate_per_s, ==, 400);
  g_assert_cmpint (scenario->workload.distribution, ==, TRADEOFF_DISTRIBUTION_POISSON);
  g_assert_cmpuint (scenario->workload.connections, ==, 2000);
  g_assert_cmpuint (scenario->workload.rooms, ==, 20);
  g_assert_cmpuint (scenario->workload.message_bytes, ==, 200);
  g_assert_cmpuint (scenario->workload.cpu_us, ==, 20);
  g_assert_cmpuint (scenario->workload.wait_us, ==, 0);
  g_assert_null (scenario->workload.extra);

  g_assert_cmpuint (scenario->engines->len, ==, 3);
  loop = g_ptr_array_index (scenario->engines, 0);
  pool = g_ptr_array_index (scenario->engines, 1);
  url = g_ptr_array_index (scenario->engines, 2);
  g_assert_cmpstr (loop->label, ==, "Event loop");
  g_assert_cmpint (loop->kind, ==, TRADEOFF_ENGINE_LOOP);
  g_assert_cmpuint (loop->instances, ==, 1);
  g_assert_cmpuint (loop->offload_workers, ==, 0);
  g_assert_cmpint (pool->kind, ==, TRADEOFF_ENGINE_POOL);
  g_assert_cmpuint (pool->workers, ==, 64);
  g_assert_true (pool->gil);
  g_assert_cmpuint (pool->switch_interval_ms, ==, 5);
  g_assert_cmpint (pool->connection_mode, ==, TRADEOFF_CONNECTION_PER_CONNECTION);
  g_assert_cmpint (url->kind, ==, TRADEOFF_ENGINE_URL);
  g_assert_cmpstr (url->url, ==, "http://127.0.0.1:8080");
  g_assert_null (url->extra);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_load_file (EXAMPLE, &error);
  g_autoptr(TradeoffScenario) again = NULL;
  g_autoptr(TradeoffScenario) copy = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_again = NULL;
  g_autofree char *data_copy = NULL;
  g_autofree char *original = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  g_assert_no_error (error);
  data = tradeoff_scenario_to_data (scenario, NULL);
  again = tradeoff_scenario_load_data (data, -1, &error);
  g_assert_no_error (error);
  data_again = tradeoff_scenario_to_data (again, NULL);
  g_assert_cmpstr (data, ==, data_again);

  copy = tradeoff_scenario_copy (again);
  data_copy = tradeoff_scenario_to_data (copy, NULL);
  g_assert_cmpstr (data, ==, data_copy);

  /* The file FORMATS.md shows is what we write, key for key. */
  g_assert_true (g_file_get_contents (EXAMPLE, &original, NULL, NULL));
  a = json_from_string (original, NULL);
  b = json_from_string (data, NULL);
  g_assert_true (json_node_equal (a, b));
}

static void
test_unknown_kept (void)
{
  g_autoptr(JsonNode) root = base_node ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffScenario) scenario = NULL;
  g_autoptr(TradeoffScenario) reloaded = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data2 = NULL;
  g_autoptr(JsonNode) saved = NULL;
  JsonObject *object;
  g_autoptr(JsonArray) list = json_array_new ();

  json_array_add_int_element (list, 1);
  json_array_add_string_element (list, "two");
  json_object_set_string_member (json_node_get_object (root), "zz_author", "Ada");
  json_object_set_int_member (json_node_get_object (root), "aa_version", 7);
  json_object_set_array_member (member (root, "workload"), "x_tags", json_array_ref (list));
  /* A known key of another kind is kept too, as it was. */
  json_object_set_int_member (member (root, "workload"), "rooms", 3);
  json_object_set_string_member (member (root, "workload.arrival"), "x_burst", "yes");
  json_object_set_boolean_member (member (root, "1"), "x_pinned", TRUE);
  json_object_set_int_member (member (root, "1"), "offload_workers", 2);

  scenario = tradeoff_scenario_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (scenario->extra);
  g_assert_nonnull (scenario->workload.extra);
  g_assert_nonnull (scenario->workload.arrival_extra);

  data = tradeoff_scenario_to_data (scenario, NULL);
  saved = json_from_string (data, NULL);
  object = json_node_get_object (saved);
  g_assert_cmpstr (json_object_get_string_member (object, "zz_author"), ==, "Ada");
  g_assert_cmpint (json_object_get_int_member (object, "aa_version"), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (member (saved, "workload"),
                                                                         "x_tags")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (member (saved, "workload"), "rooms"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (member (saved, "workload.arrival"), "x_burst"),
                   ==, "yes");
  g_assert_true (json_object_get_boolean_member (member (saved, "1"), "x_pinned"));
  g_assert_cmpint (json_object_get_int_member (member (saved, "1"), "offload_workers"), ==, 2);

  /* Stable: the known keys first in their order, then the others as found. */
  g_assert_true (strstr (data, "\"format\"") < strstr (data, "\"engines\""));
  g_assert_true (strstr (data, "\"engines\"") < strstr (data, "\"zz_author\""));
  g_assert_true (strstr (data, "\"zz_author\"") < strstr (data, "\"aa_version\""));

  reloaded = tradeoff_scenario_load_data (data, -1, &error);
  g_assert_no_error (error);
  data2 = tradeoff_scenario_to_data (reloaded, NULL);
  g_assert_cmpstr (data, ==, data2);

  /* Switching the kind: the model's rooms win over the kept one. */
  tradeoff_workload_set_defaults (&reloaded->workload, TRADEOFF_WORKLOAD_CHAT);
  reloaded->workload.rooms = 12;
  g_clear_pointer (&data2, g_free);
  data2 = tradeoff_scenario_to_data (reloaded, NULL);
  g_assert_nonnull (strstr (data2, "\"rooms\": 12"));
  g_assert_null (strstr (data2, "\"rooms\": 3"));
}

typedef struct
{
  const char *path;      /* object to change: "workload", "workload.arrival", "1" (engines[1]) */
  const char *key;
  const char *json;      /* new value; NULL removes the key */
  const char *message;   /* expected start of the error message */
} Rule;

static const Rule rules[] = {
  { "workload", "duration_s", "0", "workload.duration_s: must be a positive number" },
  { "workload", "duration_s", "3601", "workload.duration_s: must be a positive number up to 3600" },
  { "workload", "warmup_s", "-1", "workload.warmup_s: must be between 0 and 3600, got -1" },
  { "workload.arrival", "rate_per_s", "-3",
    "workload.arrival.rate_per_s: must be a positive number, got -3" },
  { "workload.arrival", "rate_per_s", "0", "workload.arrival.rate_per_s: must be a positive number" },
  { "workload.arrival", "rate_per_s", "\"fast\"",
    "workload.arrival.rate_per_s: must be a number, got \"fast\"" },
  { "workload.arrival", "distribution", "\"bursty\"",
    "workload.arrival.distribution: must be one of constant, poisson" },
  { "workload.arrival", "mode", "\"half-open\"", "workload.arrival.mode: must be one of open, closed" },
  { "workload", "connections", "0", "workload.connections: must be between 1 and 100000, got 0" },
  { "workload", "connections", "100001", "workload.connections: must be between 1 and 100000" },
  { "workload", "connections", "2.5", "workload.connections: must be a whole number, got 2.5" },
  { "workload", "cpu_us", "10000001", "workload.cpu_us: must be between 0 and 10000000" },
  { "workload", "cpu_us", "-1", "workload.cpu_us: must be between 0 and 10000000, got -1" },
  { "workload", "kind", "\"batch\"", "workload.kind: must be one of request, ml-batch, chat, streaming" },
  { "workload", "kind", NULL, "workload.kind: must be one of" },
  { "1", "workers", "0", "engines[1].workers: must be between 1 and 10000, got 0" },
  { "1", "workers", "10001", "engines[1].workers: must be between 1 and 10000" },
  { "1", "instances", "0", "engines[1].instances: must be between 1 and 64" },
  { "1", "instances", "65", "engines[1].instances: must be between 1 and 64" },
  { "0", "offload_workers", "257", "engines[0].offload_workers: must be between 0 and 256" },
  { "1", "switch_interval_ms", "0", "engines[1].switch_interval_ms: must be between 1 and 1000" },
  { "1", "switch_interval_ms", "1001", "engines[1].switch_interval_ms: must be between 1 and 1000" },
  { "1", "gil", "\"yes\"", "engines[1].gil: must be true or false" },
  { "1", "connection_mode", "\"per-thread\"",
    "engines[1].connection_mode: must be one of per-connection, per-request" },
  { "2", "url", "\"https://example.com\"", "engines[2].url: must be an http:// address with a host" },
  { "2", "url", "\"http://\"", "engines[2].url: must be an http:// address with a host" },
  { "3", "runtime", "\"ruby\"",
    "engines[3].runtime: must be one of node, node-cluster, python-asyncio, python-threads" },
  { "0", "label", "\"  \"", "engines[0].label: must not be empty" },
  { "0", "label", "\"Pool\"", "engines[1].label: must be unique" },
  { "0", "kind", "\"fiber\"", "engines[0].kind: must be one of loop, pool, url, reference" },
};

static void
test_rules (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(JsonNode) root = base_node ();
      g_autoptr(GError) error = NULL;
      g_autoptr(TradeoffScenario) scenario = NULL;
      JsonObject *object = member (root, rules[i].path);

      g_test_message ("%s.%s = %s", rules[i].path, rules[i].key, rules[i].json);
      if (rules[i].json == NULL)
        json_object_remove_member (object, rules[i].key);
      else
        json_object_set_member (object, rules[i].key, json_from_string (rules[i].json, NULL));

      scenario = tradeoff_scenario_from_json (root, &error);
      g_assert_null (scenario);
      g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, rules[i].message))
        g_error ("expected “%s…”, got “%s”", rules[i].message, error->message);
    }
}

/* Rules that depend on the workload kind or arrival mode. */
static void
test_kind_rules (void)
{
  static const struct
  {
    const char *workload;
    const char *message;
  } cases[] = {
    { "{\"kind\": \"chat\", \"rooms\": 0}", "workload.rooms: must be between 1" },
    { "{\"kind\": \"chat\", \"message_bytes\": 0}", "workload.message_bytes: must be between 1" },
    { "{\"kind\": \"ml-batch\", \"batch\": 0}", "workload.batch: must be between 1" },
    { "{\"kind\": \"streaming\", \"chunk_bytes\": 0}", "workload.chunk_bytes: must be between 1" },
    { "{\"kind\": \"streaming\", \"streams\": 0}", "workload.streams: must be between 1" },
    { "{\"kind\": \"streaming\", \"slow_reader_fraction\": 1.5}",
      "workload.slow_reader_fraction: must be between 0 and 1, got 1.5" },
    { "{\"kind\": \"request\", \"arrival\": {\"mode\": \"closed\", \"clients\": 0}}",
      "workload.arrival.clients: must be between 1 and 100000, got 0" },
    { "{\"kind\": \"request\", \"arrival\": {\"mode\": \"closed\", \"think_ms\": -5}}",
      "workload.arrival.think_ms: must be between 0" },
    { "[1]", "workload: must be an object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = base_node ();
      g_autoptr(GError) error = NULL;
      g_autoptr(TradeoffScenario) scenario = NULL;

      json_object_set_member (json_node_get_object (root), "workload",
                              json_from_string (cases[i].workload, NULL));
      scenario = tradeoff_scenario_from_json (root, &error);
      g_assert_null (scenario);
      g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("expected “%s…”, got “%s”", cases[i].message, error->message);
    }

  {
    g_autoptr(JsonNode) root = base_node ();
    g_autoptr(GError) error = NULL;

    json_object_set_array_member (json_node_get_object (root), "engines", json_array_new ());
    g_assert_null (tradeoff_scenario_from_json (root, &error));
    g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "engines: must list at least one engine");
  }
}

static void
test_validate_model (void)
{
  g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  TradeoffEngineSpec *pool;

  g_assert_true (tradeoff_scenario_validate (scenario, &error));
  g_assert_no_error (error);
  g_assert_null (tradeoff_workload_check_field (&scenario->workload, "rate_per_s"));

  scenario->workload.rate_per_s = -3;
  g_assert_false (tradeoff_scenario_validate (scenario, &error));
  g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "workload.arrival.rate_per_s: must be a positive number, got -3");
  problem = tradeoff_workload_check_field (&scenario->workload, "rate_per_s");
  g_assert_cmpstr (problem, ==, "must be a positive number, got -3");
  g_clear_error (&error);

  /* Closed loop does not use the rate. */
  scenario->workload.arrival_mode = TRADEOFF_ARRIVAL_CLOSED;
  g_assert_true (tradeoff_scenario_validate (scenario, NULL));
  g_assert_null (tradeoff_workload_check_field (&scenario->workload, "rate_per_s"));

  pool = g_ptr_array_index (scenario->engines, 1);
  pool->workers = 0;
  g_clear_pointer (&problem, g_free);
  problem = tradeoff_engine_spec_check (pool, "engines[1]");
  g_assert_cmpstr (problem, ==, "engines[1].workers: must be between 1 and 10000, got 0");

  /* Saving refuses what could not be loaded again. */
  g_assert_false (tradeoff_scenario_save_file (scenario, "/nonexistent/never.json", &error));
  g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_INVALID);
}

static void
test_defaults (void)
{
  for (guint kind = TRADEOFF_WORKLOAD_REQUEST; kind <= TRADEOFF_WORKLOAD_STREAMING; kind++)
    {
      g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_new ();
      g_autoptr(TradeoffScenario) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;
      TradeoffWorkloadKind parsed;

      tradeoff_workload_set_defaults (&scenario->workload, kind);
      g_assert_cmpint (scenario->workload.kind, ==, kind);
      g_assert_true (tradeoff_workload_kind_from_string (tradeoff_workload_kind_to_string (kind),
                                                         &parsed));
      g_assert_cmpint (parsed, ==, kind);
      g_assert_true (tradeoff_scenario_validate (scenario, &error));
      g_assert_cmpfloat (scenario->workload.duration_s, <=, 30);

      data = tradeoff_scenario_to_data (scenario, NULL);
      loaded = tradeoff_scenario_load_data (data, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (loaded->workload.kind, ==, kind);
    }

  for (guint kind = TRADEOFF_ENGINE_LOOP; kind <= TRADEOFF_ENGINE_REFERENCE; kind++)
    {
      g_autoptr(TradeoffEngineSpec) spec = tradeoff_engine_spec_new (kind, NULL);
      g_autoptr(TradeoffEngineSpec) loaded = NULL;
      g_autoptr(JsonNode) node = tradeoff_engine_spec_to_json (spec);
      g_autoptr(GError) error = NULL;
      g_autofree char *problem = tradeoff_engine_spec_check (spec, "engine");

      g_assert_null (problem);
      loaded = tradeoff_engine_spec_from_json (node, "engine", &error);
      g_assert_no_error (error);
      g_assert_cmpint (loaded->kind, ==, kind);
      g_assert_cmpstr (loaded->label, ==, spec->label);
    }
}

static void
test_number_access (void)
{
  g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_new ();
  TradeoffWorkload *workload = &scenario->workload;
  double value = -1;

  /* Each kind of field, read and written by its file name. */
  g_assert_true (tradeoff_workload_set_number (workload, "rate_per_s", 250.5));
  g_assert_cmpfloat (workload->rate_per_s, ==, 250.5);
  g_assert_true (tradeoff_workload_get_number (workload, "rate_per_s", &value));
  g_assert_cmpfloat (value, ==, 250.5);

  g_assert_true (tradeoff_workload_set_number (workload, "connections", 41.6));
  g_assert_cmpuint (workload->connections, ==, 42);
  g_assert_true (tradeoff_workload_get_number (workload, "connections", &value));
  g_assert_cmpfloat (value, ==, 42);

  g_assert_true (tradeoff_workload_set_number (workload, "cpu_us", -7));
  g_assert_cmpuint (workload->cpu_us, ==, 0);
  g_assert_true (tradeoff_workload_set_number (workload, "stream_bytes", 5e9));
  g_assert_cmpuint (workload->stream_bytes, ==, G_GUINT64_CONSTANT (5000000000));
  g_assert_true (tradeoff_workload_get_number (workload, "stream_bytes", &value));
  g_assert_cmpfloat (value, ==, 5e9);

  /* A name that is no numeric field: FALSE, nothing read or written. */
  value = -1;
  g_assert_false (tradeoff_workload_get_number (workload, "no_such_field", &value));
  g_assert_cmpfloat (value, ==, -1);
  g_assert_false (tradeoff_workload_get_number (workload, "kind", &value));
  g_assert_false (tradeoff_workload_set_number (workload, "no_such_field", 3));
  g_assert_cmpfloat (workload->rate_per_s, ==, 250.5);
  g_assert_cmpuint (workload->connections, ==, 42);
}

static void
test_not_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tradeoff-scenario-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.tradeoff.json", NULL);

  g_assert_null (tradeoff_scenario_load_data ("{\n  \"format\": \"tradeoff-scenario/1\",\n  oops\n}", -1,
                                              &error));
  g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_PARSE);
  /* json-glib's position: line 2, where the member went wrong. */
  g_assert_nonnull (strstr (error->message, ":2:"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "not json at all", -1, NULL));
  g_assert_null (tradeoff_scenario_load_file (path, &error));
  g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "broken.tradeoff.json"));
  g_clear_error (&error);

  g_assert_null (tradeoff_scenario_load_data ("", -1, &error));
  g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_null (tradeoff_scenario_load_data ("[1, 2]", -1, &error));
  g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_null (tradeoff_scenario_load_data ("{\"name\": \"x\"}", -1, &error));
  g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, "format:"));
  g_clear_error (&error);

  g_assert_null (tradeoff_scenario_load_data ("{\"format\": \"tradeoff-scenario/9\"}", -1, &error));
  g_assert_error (error, TRADEOFF_SCENARIO_ERROR, TRADEOFF_SCENARIO_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "tradeoff-scenario/9"));
  g_clear_error (&error);

  g_assert_null (tradeoff_scenario_load_file ("/nonexistent/x.tradeoff.json", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_unlink (path);
  g_rmdir (dir);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_atomic_save (void)
{
  g_autoptr(TradeoffScenario) scenario = tradeoff_scenario_new ();
  g_autoptr(TradeoffScenario) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tradeoff-scenario-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "a.tradeoff.json", NULL);
  g_autofree char *missing_dir = g_build_filename (dir, "missing", NULL);
  g_autofree char *path = g_build_filename (dir, "mine.tradeoff.json", NULL);
  g_autofree char *blocker = g_build_filename (dir, "blocker", NULL);
  g_autofree char *inside = g_build_filename (blocker, "keep", NULL);
  g_autofree char *contents = NULL;

  /* Into a missing directory: an error, and nothing created. */
  g_assert_false (tradeoff_scenario_save_file (scenario, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing_dir, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 0);

  /* A good save, loaded back. */
  g_assert_true (tradeoff_scenario_save_file (scenario, path, &error));
  g_assert_no_error (error);
  loaded = tradeoff_scenario_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, scenario->name);

  /* Over something that cannot be replaced (a directory): it stays, and no
   * temporary file is left behind. */
  g_assert_cmpint (g_mkdir (blocker, 0700), ==, 0);
  g_assert_true (g_file_set_contents (inside, "precious", -1, NULL));
  g_assert_false (tradeoff_scenario_save_file (scenario, blocker, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (inside, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  g_assert_cmpuint (count_entries (dir), ==, 2);

  /* In a directory we may not write to: the old file is kept as it was.
   * (root may write anywhere, so this part needs an ordinary user.) */
  if (geteuid () != 0)
    {
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      scenario->workload.duration_s = 7;
      g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
      g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
      g_assert_false (tradeoff_scenario_save_file (scenario, path, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
      g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
      g_assert_cmpstr (before, ==, after);
    }

  g_unlink (inside);
  g_rmdir (blocker);
  g_unlink (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/load-example", test_load_example);
  g_test_add_func ("/scenario/round-trip", test_round_trip);
  g_test_add_func ("/scenario/unknown-kept", test_unknown_kept);
  g_test_add_func ("/scenario/rules", test_rules);
  g_test_add_func ("/scenario/kind-rules", test_kind_rules);
  g_test_add_func ("/scenario/validate-model", test_validate_model);
  g_test_add_func ("/scenario/defaults", test_defaults);
  g_test_add_func ("/scenario/number-access", test_number_access);
  g_test_add_func ("/scenario/not-json", test_not_json);
  g_test_add_func ("/scenario/atomic-save", test_atomic_save);

  return g_test_run ();
}
