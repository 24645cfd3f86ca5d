/* test-guidance.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-guidance"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "tradeoff-guidance.h"
#include "tradeoff-result.h"
#include "tradeoff-scenario.h"

#define MIB (1024.0 * 1024.0)

/* The claims of CLAIMS.md, which the shipped file must keep. */
static const char * const claims_md_ids[] = {
  "loop-few-threads", "loop-thousands", "gil-one-thread", "node-cpu-multithread",
  "node-cpu-weak", "rps-6x", "python-more-memory", "cheaper-hosting", "cluster-for-cores",
  "asyncio-io-ok", "cpu-needs-processes", "streams-gracefully", "blocking-stalls",
  "single-flow-slow", "data-intensive-loop",
};

static TradeoffGuidance *
load_shipped (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "guidance.json", NULL);
  g_autoptr(GError) error = NULL;
  TradeoffGuidance *guidance = tradeoff_guidance_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (guidance);
  return guidance;
}

/* Hand-made results. */

typedef struct
{
  const char *engine;     /* engine JSON without label */
  double      throughput; /* per second */
  double      p99_us;
  double      rss_mib;
  double      threads;
  double      cpu_percent;
  double      cpu_us_per_request;
  double      bytes_per_s;
} RunSpec;

#define W_ML    "{\"kind\": \"ml-batch\", \"duration_s\": 3, \"arrival\": {\"mode\": \"closed\", \"clients\": 8, \"think_ms\": 0}, \"connections\": 8, \"cpu_us\": 500, \"batch\": 4, \"wait_us\": 0}"
#define W_CHAT(n) "{\"kind\": \"chat\", \"duration_s\": 3, \"arrival\": {\"mode\": \"open\", \"rate_per_s\": 20, \"distribution\": \"poisson\"}, \"connections\": " #n ", \"rooms\": 10, \"message_bytes\": 200, \"cpu_us\": 20, \"wait_us\": 0}"
#define W_TINY  "{\"kind\": \"request\", \"duration_s\": 3, \"arrival\": {\"mode\": \"closed\", \"clients\": 32, \"think_ms\": 0}, \"connections\": 32, \"cpu_us\": 0, \"wait_us\": 0, \"reply_bytes\": 16}"
#define W_CPU   "{\"kind\": \"request\", \"duration_s\": 3, \"arrival\": {\"mode\": \"closed\", \"clients\": 8, \"think_ms\": 0}, \"connections\": 8, \"cpu_us\": 2000, \"wait_us\": 0, \"reply_bytes\": 256}"
#define W_OPEN  "{\"kind\": \"request\", \"duration_s\": 3, \"arrival\": {\"mode\": \"open\", \"rate_per_s\": 2000, \"distribution\": \"constant\"}, \"connections\": 32, \"cpu_us\": 0, \"wait_us\": 0, \"reply_bytes\": 16}"
#define W_IO    "{\"kind\": \"request\", \"duration_s\": 3, \"arrival\": {\"mode\": \"open\", \"rate_per_s\": 300, \"distribution\": \"constant\"}, \"connections\": 32, \"cpu_us\": 100, \"wait_us\": 20000, \"reply_bytes\": 512}"
#define W_STREAM "{\"kind\": \"streaming\", \"duration_s\": 3, \"arrival\": {\"mode\": \"closed\", \"clients\": 100, \"think_ms\": 0}, \"streams\": 100, \"stream_bytes\": 1048576, \"rate_bytes_per_s\": 65536, \"chunk_bytes\": 8192, \"slow_reader_fraction\": 0.2}"

#define LOOP        "{\"kind\": \"loop\", \"instances\": 1, \"offload_workers\": 0}"
#define LOOP_OFF2   "{\"kind\": \"loop\", \"instances\": 1, \"offload_workers\": 2}"
#define LOOP_INST2  "{\"kind\": \"loop\", \"instances\": 2, \"offload_workers\": 0}"
#define POOL_GIL(w) "{\"kind\": \"pool\", \"workers\": " #w ", \"gil\": true, \"connection_mode\": \"per-request\", \"instances\": 1}"
#define POOL_NOGIL(w) "{\"kind\": \"pool\", \"workers\": " #w ", \"gil\": false, \"connection_mode\": \"per-request\", \"instances\": 1}"
#define POOL_GIL_INST2 "{\"kind\": \"pool\", \"workers\": 2, \"gil\": true, \"connection_mode\": \"per-request\", \"instances\": 2}"
#define URL         "{\"kind\": \"url\", \"url\": \"http://127.0.0.1:8080\"}"
#define REF(r)      "{\"kind\": \"reference\", \"runtime\": \"" r "\"}"

#define X NAN

static double
unmeasured (double value)
{
  return value == 0 ? NAN : value;
}

static TradeoffResult *
make_result (const char    *workload,
             const RunSpec *runs)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(TradeoffScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  TradeoffResult *result;
  guint n = 0;

  while (runs[n].engine != NULL)
    n++;

  g_string_append_printf (json, "{\"format\": \"tradeoff-scenario/1\", \"name\": \"Hand-made\", "
                                "\"workload\": %s, \"engines\": [", workload);
  for (guint i = 0; i < n; i++)
    {
      /* The engine object with a unique label spliced in. */
      g_string_append_printf (json, "%s{\"label\": \"engine %u\", %s", i ? ", " : "", i, runs[i].engine + 1);
    }
  g_string_append (json, "]}");

  scenario = tradeoff_scenario_load_data (json->str, json->len, &error);
  g_assert_no_error (error);

  result = tradeoff_result_new (scenario);
  for (guint i = 0; i < n; i++)
    {
      TradeoffRun *run = tradeoff_run_new (scenario->engines->pdata[i]);

      /* Figures left out of a RunSpec (0) were not measured. */
      run->summary.completed = runs[i].throughput > 0 ? 1000 : 0;
      run->summary.throughput_per_s = runs[i].throughput;
      run->summary.latency_us.p99 = unmeasured (runs[i].p99_us);
      run->summary.peak_rss_bytes = unmeasured (runs[i].rss_mib) * MIB;
      run->summary.threads_max = unmeasured (runs[i].threads);
      run->summary.cpu_percent_mean = unmeasured (runs[i].cpu_percent);
      run->summary.server_cpu_us_per_request = unmeasured (runs[i].cpu_us_per_request);
      run->summary.capacity_per_core_per_s = 1e6 / run->summary.server_cpu_us_per_request;
      run->summary.bytes_per_s = unmeasured (runs[i].bytes_per_s);
      g_ptr_array_add (result->runs, run);
    }
  return result;
}

typedef struct
{
  const char          *claim;
  const char          *workload;
  RunSpec              runs[6];
  TradeoffVerdictKind  expected;
  const char          *condition;  /* substring of the condition, or NULL */
  const char          *basis;      /* substring of the basis, or NULL for none */
} Case;

static const Case cases[] = {
  /* gil-one-thread: one core at most, throughput flat in workers. */
  { "gil-one-thread", W_ML, { { POOL_GIL (2), 240, X, X, X, 98 }, { POOL_GIL (4), 245, X, X, X, 99 },
                              { POOL_GIL (8), 250, X, X, X, 99 } },
    TRADEOFF_VERDICT_SUPPORTED },
  { "gil-one-thread", W_ML, { { POOL_GIL (2), 240, X, X, X, 98 }, { POOL_GIL (8), 900, X, X, X, 190 } },
    TRADEOFF_VERDICT_CONTRADICTED },
  { "gil-one-thread", W_ML, { { POOL_GIL (2), 240, X, X, X, 98 }, { POOL_GIL (8), 420, X, X, X, 99 } },
    TRADEOFF_VERDICT_DEPENDS, "outside the lock" },
  { "gil-one-thread", W_ML, { { POOL_GIL (2), 240, X, X, X, 98 }, { POOL_GIL (8), 600, X, X, X, 99 } },
    TRADEOFF_VERDICT_DEPENDS, "overlapped their I/O" },
  { "gil-one-thread", W_ML, { { POOL_GIL (1), 240, X, X, X, 98 }, { POOL_GIL (4), 240 }, { POOL_NOGIL (4), 470 } },
    TRADEOFF_VERDICT_NOT_TESTED },

  /* node-cpu-multithread and node-cpu-weak: the same runs, opposite claims. */
  { "node-cpu-multithread", W_ML, { { LOOP, 490 }, { LOOP_OFF2, 950 } }, TRADEOFF_VERDICT_DEPENDS,
    "only with offload workers or several instances" },
  { "node-cpu-multithread", W_ML, { { LOOP, 490 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "node-cpu-multithread", W_ML, { { LOOP, 950 }, { LOOP_INST2, 1800 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "node-cpu-multithread", W_ML, { { LOOP, 700 } }, TRADEOFF_VERDICT_DEPENDS, "a little more than one core" },
  { "node-cpu-multithread", W_ML, { { POOL_GIL (4), 240 } }, TRADEOFF_VERDICT_NOT_TESTED },
  { "node-cpu-weak", W_ML, { { LOOP, 490 }, { LOOP_OFF2, 950 } }, TRADEOFF_VERDICT_DEPENDS,
    "only without offload workers" },
  { "node-cpu-weak", W_ML, { { LOOP, 490 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "node-cpu-weak", W_ML, { { LOOP, 950 }, { LOOP_OFF2, 1800 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "node-cpu-weak", W_ML, { { LOOP, 490 }, { LOOP_OFF2, 500 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "node-cpu-weak", W_TINY, { { LOOP, 20000 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* loop-few-threads: threads and memory, loop against pool. */
  { "loop-few-threads", W_CHAT (1000), { { LOOP, 2000, X, 20, 2 }, { POOL_GIL (1000), 2000, X, 60, 1003 } },
    TRADEOFF_VERDICT_SUPPORTED },
  { "loop-few-threads", W_CHAT (1000), { { LOOP, 2000, X, 80, 2 }, { POOL_GIL (1000), 2000, X, 60, 1003 } },
    TRADEOFF_VERDICT_DEPENDS, "far fewer threads, but not less memory" },
  { "loop-few-threads", W_CHAT (1000), { { LOOP, 2000, X, 70, 900 }, { POOL_GIL (1000), 2000, X, 60, 1003 } },
    TRADEOFF_VERDICT_CONTRADICTED },
  { "loop-few-threads", W_CHAT (1000), { { REF ("node"), 2000, X, 40, 11 }, { REF ("python-threads"), 2000, X, 60, 1003 } },
    TRADEOFF_VERDICT_SUPPORTED },
  { "loop-few-threads", W_CHAT (100), { { LOOP, 2000, X, 20, 2 }, { POOL_GIL (100), 2000, X, 60, 103 } },
    TRADEOFF_VERDICT_NOT_TESTED },

  /* loop-thousands: on-time deliveries at 2,000 subscribers. */
  { "loop-thousands", W_CHAT (2000), { { LOOP, 4000, 50000 }, { POOL_GIL (64), 130, 40000 } },
    TRADEOFF_VERDICT_SUPPORTED },
  { "loop-thousands", W_CHAT (2000), { { LOOP, 4000, 3e6 }, { POOL_GIL (64), 130, 40000 } },
    TRADEOFF_VERDICT_DEPENDS, "delivered more messages" },
  { "loop-thousands", W_CHAT (2000), { { LOOP, 100, 3e6 }, { POOL_GIL (64), 130, 40000 } },
    TRADEOFF_VERDICT_CONTRADICTED },
  { "loop-thousands", W_CHAT (200), { { LOOP, 4000, 50000 } }, TRADEOFF_VERDICT_NOT_TESTED },
  /* A pool whose threads are all held by subscribers delivers nothing: that counts. */
  { "loop-thousands", W_CHAT (2000), { { LOOP, 4000, 50000 }, { POOL_GIL (64), 0 } }, TRADEOFF_VERDICT_SUPPORTED },

  /* rps-6x: judged on capacity per core (server CPU per request), not on
   * the achieved rate, which in an open-loop run is just the offered one.
   * The real runtimes first, the models otherwise. */
  { "rps-6x", W_OPEN, { { REF ("node"), 2000, X, X, X, X, 15.4 }, { REF ("python-threads"), 2000, X, X, X, X, 82.6 },
                        { LOOP, 2000, X, X, X, X, 33 }, { POOL_GIL (32), 2000, X, X, X, X, 36 } },
    TRADEOFF_VERDICT_SUPPORTED, NULL, "real runtimes" },
  { "rps-6x", W_OPEN, { { LOOP, 2000, X, X, X, X, 33 }, { POOL_GIL (32), 2000, X, X, X, X, 36 } },
    TRADEOFF_VERDICT_CONTRADICTED, NULL, "built-in models" },
  /* Equal achieved rates, yet the loop costs a sixth of the CPU: supported. */
  { "rps-6x", W_OPEN, { { LOOP, 2000, X, X, X, X, 10 }, { POOL_GIL (32), 2000, X, X, X, X, 60 } },
    TRADEOFF_VERDICT_SUPPORTED, NULL, "built-in models" },
  { "rps-6x", W_TINY, { { REF ("node"), 30000, X, X, X, X, 33 }, { REF ("python-threads"), 10000, X, X, X, X, 100 } },
    TRADEOFF_VERDICT_DEPENDS, "less than claimed", "real runtimes" },
  { "rps-6x", W_TINY, { { REF ("node"), 130000, X, X, X, X, 7.7 }, { REF ("python-threads"), 10000, X, X, X, X, 100 } },
    TRADEOFF_VERDICT_DEPENDS, "further ahead", "real runtimes" },
  /* Throughput alone decides nothing: without the server's CPU (a url
   * engine, or a run the sampler missed) the claim is not tested. */
  { "rps-6x", W_TINY, { { REF ("node"), 65000 }, { REF ("python-threads"), 12100 }, { LOOP, 30000 },
                        { POOL_GIL (32), 5000 } },
    TRADEOFF_VERDICT_NOT_TESTED },
  { "rps-6x", W_TINY, { { URL, 65000 }, { URL, 12100 } }, TRADEOFF_VERDICT_NOT_TESTED },
  { "rps-6x", W_ML, { { LOOP, 490, X, X, X, X, 2000 }, { POOL_GIL (4), 240, X, X, X, X, 4000 } },
    TRADEOFF_VERDICT_NOT_TESTED },

  /* python-more-memory */
  { "python-more-memory", W_TINY, { { REF ("python-threads"), 1000, X, 45 }, { REF ("node"), 1000, X, 99 } },
    TRADEOFF_VERDICT_CONTRADICTED, NULL, "real runtimes" },
  { "python-more-memory", W_TINY, { { POOL_GIL (1000), 1000, X, 100 }, { LOOP, 1000, X, 50 } },
    TRADEOFF_VERDICT_SUPPORTED, NULL, "built-in models" },
  { "python-more-memory", W_TINY, { { POOL_GIL (16), 1000, X, 50 }, { LOOP, 1000, X, 48 } },
    TRADEOFF_VERDICT_DEPENDS, "number of threads decides" },
  { "python-more-memory", W_TINY, { { LOOP, 1000, X, 48 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* cheaper-hosting: CPU per request. */
  { "cheaper-hosting", W_TINY, { { REF ("node"), 1000, X, X, X, X, 20 }, { REF ("python-threads"), 1000, X, X, X, X, 60 } },
    TRADEOFF_VERDICT_SUPPORTED, NULL, "real runtimes" },
  { "cheaper-hosting", W_TINY, { { LOOP, 1000, X, X, X, X, 30 }, { POOL_GIL (16), 1000, X, X, X, X, 31 } },
    TRADEOFF_VERDICT_DEPENDS, "same CPU time per request", "built-in models" },
  { "cheaper-hosting", W_TINY, { { LOOP, 1000, X, X, X, X, 60 }, { POOL_GIL (16), 1000, X, X, X, X, 20 } },
    TRADEOFF_VERDICT_CONTRADICTED },
  { "cheaper-hosting", W_TINY, { { LOOP, 1000 }, { POOL_GIL (16), 1000 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* cluster-for-cores */
  { "cluster-for-cores", W_CPU, { { LOOP, 480 }, { LOOP_INST2, 900 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "cluster-for-cores", W_CPU, { { LOOP, 480 }, { LOOP_INST2, 500 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "cluster-for-cores", W_CPU, { { LOOP, 480 }, { LOOP_INST2, 620 } }, TRADEOFF_VERDICT_DEPENDS, "only partly" },
  { "cluster-for-cores", W_TINY, { { LOOP, 480 }, { LOOP_INST2, 900 } }, TRADEOFF_VERDICT_NOT_TESTED },
  { "cluster-for-cores", W_CPU, { { REF ("node"), 480 }, { REF ("node-cluster"), 910 }, { LOOP, 480 }, { LOOP_INST2, 500 } },
    TRADEOFF_VERDICT_SUPPORTED, NULL, "Node.js in cluster mode" },
  { "cluster-for-cores", W_CPU, { { REF ("node"), 480 }, { LOOP, 480 }, { LOOP_INST2, 500 } },
    TRADEOFF_VERDICT_CONTRADICTED, NULL, "built-in event loop" },

  /* asyncio-io-ok: queueing beyond the 20.1 ms of service. */
  { "asyncio-io-ok", W_IO, { { LOOP, 300, 22000 } }, TRADEOFF_VERDICT_SUPPORTED, NULL, "built-in event loop" },
  { "asyncio-io-ok", W_IO, { { LOOP, 300, 120000 } }, TRADEOFF_VERDICT_DEPENDS, "requests queued" },
  { "asyncio-io-ok", W_IO, { { LOOP, 300, 900000 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "asyncio-io-ok", W_IO, { { REF ("python-asyncio"), 300, 25000 }, { LOOP, 300, 900000 } },
    TRADEOFF_VERDICT_SUPPORTED, NULL, "real runtime" },
  { "asyncio-io-ok", W_CPU, { { LOOP, 300, 22000 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* cpu-needs-processes */
  { "cpu-needs-processes", W_ML, { { POOL_GIL (4), 240 }, { POOL_NOGIL (4), 470 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "cpu-needs-processes", W_ML, { { POOL_GIL (4), 240 }, { POOL_GIL_INST2, 460 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "cpu-needs-processes", W_ML, { { POOL_GIL (4), 240 }, { POOL_NOGIL (4), 250 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "cpu-needs-processes", W_ML, { { POOL_GIL (4), 240 }, { POOL_NOGIL (4), 320 } }, TRADEOFF_VERDICT_DEPENDS,
    "only partly" },
  { "cpu-needs-processes", W_ML, { { POOL_GIL (4), 240 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* python-cpu-heavy-ok: true only with native code or processes. */
  { "python-cpu-heavy-ok", W_ML, { { POOL_GIL (4), 240 }, { POOL_NOGIL (4), 950 } }, TRADEOFF_VERDICT_DEPENDS,
    "native code" },
  { "python-cpu-heavy-ok", W_ML, { { POOL_GIL (4), 240 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "python-cpu-heavy-ok", W_ML, { { POOL_GIL (4), 950 }, { POOL_NOGIL (4), 1800 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "python-cpu-heavy-ok", W_ML, { { LOOP, 490 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* gil-io-threads-scale */
  { "gil-io-threads-scale", W_IO, { { POOL_GIL (2), 95 }, { POOL_GIL (16), 300 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "gil-io-threads-scale", W_IO, { { POOL_GIL (2), 290 }, { POOL_GIL (16), 300 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "gil-io-threads-scale", W_IO, { { POOL_GIL (2), 220 }, { POOL_GIL (16), 300 } }, TRADEOFF_VERDICT_DEPENDS,
    "only a little" },
  { "gil-io-threads-scale", W_IO, { { POOL_GIL (16), 300 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* streams-gracefully: chunk lateness, under a millisecond counts as on time. */
  { "streams-gracefully", W_STREAM, { { LOOP, 800, 5000 }, { POOL_GIL (32), 250, 2e6 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "streams-gracefully", W_STREAM, { { LOOP, 800, 500 }, { POOL_GIL (32), 800, 300 } }, TRADEOFF_VERDICT_DEPENDS,
    "both kept their schedules" },
  { "streams-gracefully", W_STREAM, { { LOOP, 800, 2e6 }, { POOL_GIL (32), 800, 5000 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "streams-gracefully", W_IO, { { LOOP, 800, 5000 }, { POOL_GIL (32), 250, 2e6 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* blocking-stalls: wait 20 ms, service 20.1 ms. */
  { "blocking-stalls", W_IO, { { POOL_GIL (4), 200, 2e6 }, { LOOP, 300, 21000 } }, TRADEOFF_VERDICT_SUPPORTED },
  { "blocking-stalls", W_IO, { { POOL_GIL (4), 300, 21000 }, { LOOP, 300, 21000 } }, TRADEOFF_VERDICT_CONTRADICTED },
  { "blocking-stalls", W_IO, { { POOL_GIL (4), 300, 22600 }, { LOOP, 300, 21000 } }, TRADEOFF_VERDICT_DEPENDS,
    "barely exceeded" },
  { "blocking-stalls", W_IO, { { POOL_GIL (64), 300, 21000 }, { LOOP, 300, 21000 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* single-flow-slow: CPU per request. */
  { "single-flow-slow", W_TINY, { { REF ("python-threads"), 1000, X, X, X, X, 60 }, { REF ("node"), 1000, X, X, X, X, 20 } },
    TRADEOFF_VERDICT_SUPPORTED, NULL, "real runtimes" },
  { "single-flow-slow", W_TINY, { { REF ("python-threads"), 1000, X, X, X, X, 25 }, { REF ("node"), 1000, X, X, X, X, 20 } },
    TRADEOFF_VERDICT_DEPENDS, "per-request overhead" },
  { "single-flow-slow", W_TINY, { { POOL_GIL (16), 1000, X, X, X, X, 10 }, { LOOP, 1000, X, X, X, X, 30 } },
    TRADEOFF_VERDICT_CONTRADICTED, NULL, "built-in models" },
  { "single-flow-slow", W_TINY, { { LOOP, 1000, X, X, X, X, 30 } }, TRADEOFF_VERDICT_NOT_TESTED },

  /* data-intensive-loop: CPU per megabyte. */
  { "data-intensive-loop", W_STREAM, { { LOOP, 800, 1000, X, X, 20, X, 10e6 }, { POOL_GIL (32), 800, 1000, X, X, 40, X, 10e6 } },
    TRADEOFF_VERDICT_SUPPORTED },
  { "data-intensive-loop", W_STREAM, { { LOOP, 800, 1000, X, X, 40, X, 10e6 }, { POOL_GIL (32), 800, 1000, X, X, 40, X, 10e6 } },
    TRADEOFF_VERDICT_DEPENDS, "same CPU per megabyte" },
  { "data-intensive-loop", W_STREAM, { { LOOP, 800, 1000, X, X, 60, X, 10e6 }, { POOL_GIL (32), 800, 1000, X, X, 40, X, 10e6 } },
    TRADEOFF_VERDICT_CONTRADICTED },
  { "data-intensive-loop", W_STREAM, { { LOOP, 800, 1000, X, X, 60, X, 10e6 } }, TRADEOFF_VERDICT_NOT_TESTED },
};

static void
test_rule_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  g_autoptr(TradeoffVerdict) verdict = NULL;
  const TradeoffClaim *claim = tradeoff_guidance_lookup (guidance, c->claim);

  g_assert_nonnull (claim);
  g_ptr_array_add (results, make_result (c->workload, c->runs));

  verdict = tradeoff_guidance_judge (guidance, claim, results);
  g_test_message ("%s: %s; condition: %s; evidence: %s; basis: %s", c->claim,
                  tradeoff_verdict_kind_to_string (verdict->kind), verdict->condition,
                  verdict->evidence, verdict->basis);

  g_assert_cmpstr (verdict->claim_id, ==, c->claim);
  g_assert_cmpstr (tradeoff_verdict_kind_to_string (verdict->kind), ==,
                   tradeoff_verdict_kind_to_string (c->expected));
  g_assert_nonnull (verdict->evidence);
  g_assert_cmpstr (verdict->evidence, !=, "");

  if (c->expected == TRADEOFF_VERDICT_DEPENDS)
    g_assert_nonnull (verdict->condition);
  if (c->condition != NULL)
    g_assert_nonnull (strstr (verdict->condition, c->condition));
  if (c->basis != NULL)
    g_assert_nonnull (strstr (verdict->basis, c->basis));

  if (c->expected == TRADEOFF_VERDICT_NOT_TESTED)
    {
      g_assert_cmpuint (verdict->figures->len, ==, 0);
      g_assert_true (g_str_has_prefix (verdict->evidence, "Needs"));
    }
  else
    g_assert_cmpuint (verdict->figures->len, >, 0);
}

/* Every claim reaches at least two verdicts in the table, and every claim
 * of the file is in it. */
static void
test_rule_table_covers_claims (void)
{
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();

  for (guint i = 0; i < guidance->claims->len; i++)
    {
      const TradeoffClaim *claim = guidance->claims->pdata[i];
      guint reached = 0;

      for (guint k = TRADEOFF_VERDICT_NOT_TESTED; k <= TRADEOFF_VERDICT_DEPENDS; k++)
        for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
          if (g_str_equal (cases[j].claim, claim->id) && cases[j].expected == k)
            {
              reached |= 1u << k;
              break;
            }

      /* Not tested, and at least two of supported, contradicted, depends. */
      if (!(reached & (1u << TRADEOFF_VERDICT_NOT_TESTED)) ||
          !(reached == 0x7 || reached == 0xb || reached == 0xd || reached == 0xf))
        g_error ("claim %s: the table reaches too few verdicts (mask %x)", claim->id, reached);
    }
}

static void
test_evidence_text (void)
{
  static const RunSpec runs[] = {
    { POOL_GIL (2), 812 }, { POOL_GIL (4), 798 }, { NULL },
  };
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  g_autoptr(TradeoffVerdict) verdict = NULL;
  const TradeoffVerdictFigure *figure;

  g_ptr_array_add (results, make_result (W_ML, runs));
  verdict = tradeoff_guidance_judge (guidance, tradeoff_guidance_lookup (guidance, "gil-one-thread"), results);

  g_assert_cmpint (verdict->kind, ==, TRADEOFF_VERDICT_SUPPORTED);
  g_assert_nonnull (strstr (verdict->evidence, "pool with GIL: 2 workers 812 req/s, 4 workers 798 req/s"));
  g_assert_cmpfloat_with_epsilon (verdict->value, 798.0 / 812.0, 1e-9);
  g_assert_cmpuint (verdict->figures->len, ==, 2);
  figure = verdict->figures->pdata[1];
  g_assert_cmpstr (figure->figure, ==, "throughput_per_s");
  g_assert_cmpfloat (figure->value, ==, 798);
  g_assert_cmpstr (figure->label, ==, "pool with GIL, 4 workers");
  g_assert_cmpstr (figure->text, ==, "798 req/s");
}

/* The most recent result decides; failed runs never count. */
static void
test_latest_result_and_failed_runs (void)
{
  static const RunSpec old_runs[] = { { POOL_GIL (2), 240 }, { POOL_GIL (8), 900 }, { NULL } };
  static const RunSpec new_runs[] = { { POOL_GIL (2), 240 }, { POOL_GIL (8), 250 }, { NULL } };
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  const TradeoffClaim *claim = tradeoff_guidance_lookup (guidance, "gil-one-thread");
  TradeoffVerdict *verdict;
  TradeoffResult *latest;
  TradeoffRun *run;

  g_ptr_array_add (results, make_result (W_ML, old_runs));
  g_ptr_array_add (results, make_result (W_ML, new_runs));
  verdict = tradeoff_guidance_judge (guidance, claim, results);
  g_assert_cmpint (verdict->kind, ==, TRADEOFF_VERDICT_SUPPORTED);
  tradeoff_verdict_free (verdict);

  /* With its 8-worker run failed, the latest result no longer sweeps: the older one decides. */
  latest = results->pdata[1];
  run = latest->runs->pdata[1];
  run->error = g_strdup ("the engine did not start");
  verdict = tradeoff_guidance_judge (guidance, claim, results);
  g_assert_cmpint (verdict->kind, ==, TRADEOFF_VERDICT_CONTRADICTED);
  tradeoff_verdict_free (verdict);

  /* Nor does the older one once its 8-worker run failed too. */
  run = ((TradeoffResult *) results->pdata[0])->runs->pdata[1];
  run->error = g_strdup ("the engine crashed");
  verdict = tradeoff_guidance_judge (guidance, claim, results);
  g_assert_cmpint (verdict->kind, ==, TRADEOFF_VERDICT_NOT_TESTED);
  tradeoff_verdict_free (verdict);

  /* No results at all. */
  g_ptr_array_set_size (results, 0);
  verdict = tradeoff_guidance_judge (guidance, claim, results);
  g_assert_cmpint (verdict->kind, ==, TRADEOFF_VERDICT_NOT_TESTED);
  tradeoff_verdict_free (verdict);
}

/* Figures held back by the load driver say so. */
static void
test_driver_limited (void)
{
  static const RunSpec runs[] = {
    { REF ("node"), 30000, X, X, X, X, 33 }, { REF ("python-threads"), 10000, X, X, X, X, 100 }, { NULL },
  };
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  const TradeoffClaim *claim = tradeoff_guidance_lookup (guidance, "rps-6x");
  TradeoffResult *result = make_result (W_TINY, runs);
  TradeoffVerdict *verdict;

  g_ptr_array_add (results, result);
  verdict = tradeoff_guidance_judge (guidance, claim, results);
  g_assert_null (strstr (verdict->evidence, "driver"));
  tradeoff_verdict_free (verdict);

  ((TradeoffRun *) result->runs->pdata[0])->summary.driver_limited = TRUE;
  verdict = tradeoff_guidance_judge (guidance, claim, results);
  g_assert_nonnull (strstr (verdict->evidence, "the load driver was the limit"));
  /* Capacity comes from CPU per request, so it stands; the note says why. */
  g_assert_nonnull (strstr (verdict->evidence, "estimated from its CPU time per request"));
  g_assert_cmpint (verdict->kind, ==, TRADEOFF_VERDICT_DEPENDS);
  tradeoff_verdict_free (verdict);
}

/* Requests per second are judged on capacity: runs whose server CPU was
 * not measured leave the claim open and say what is missing, however far
 * apart their achieved rates are. */
static void
test_capacity_unmeasured (void)
{
  static const RunSpec runs[] = { { REF ("node"), 80000 }, { REF ("python-threads"), 12000 }, { NULL } };
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  const TradeoffClaim *claim = tradeoff_guidance_lookup (guidance, "rps-6x");
  g_autoptr(TradeoffVerdict) verdict = NULL;

  g_ptr_array_add (results, make_result (W_TINY, runs));
  verdict = tradeoff_guidance_judge (guidance, claim, results);
  g_test_message ("%s", verdict->evidence);
  g_assert_cmpint (verdict->kind, ==, TRADEOFF_VERDICT_NOT_TESTED);
  g_assert_nonnull (strstr (verdict->evidence, "with the server's CPU time measured"));
  g_assert_cmpuint (verdict->figures->len, ==, 0);
}

/* A sweep over a workload parameter spans results. */
static void
test_sweep_across_results (void)
{
  static const char *data =
    "{\"format\": \"tradeoff-guidance/1\","
    " \"sources\": {\"s\": {\"title\": \"T\"}},"
    " \"claims\": [{\"id\": \"flat\", \"paraphrase\": \"P\", \"sources\": [\"s\"], \"workloads\": \"chat\","
    "   \"rule\": {\"type\": \"sweep\", \"figure\": \"p99_us\", \"by\": \"connections\","
    "     \"select\": {\"label\": \"event loop\", \"engine\": \"loop\"},"
    "     \"bands\": [{\"below\": 3, \"verdict\": \"supported\"}, {\"verdict\": \"contradicted\"}]},"
    "   \"scenario\": {\"format\": \"tradeoff-scenario/1\", \"name\": \"S\", \"workload\": {\"kind\": \"chat\"},"
    "     \"engines\": [{\"label\": \"L\", \"kind\": \"loop\"}]}}]}";
  static const RunSpec small[] = { { LOOP, 100, 2000 }, { NULL } };
  static const RunSpec large[] = { { LOOP, 100, 4000 }, { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffGuidance) guidance = tradeoff_guidance_new_from_data (data, -1, &error);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  g_autoptr(TradeoffVerdict) verdict = NULL;

  g_assert_no_error (error);
  g_ptr_array_add (results, make_result (W_CHAT (2000), large));
  g_ptr_array_add (results, make_result (W_CHAT (100), small));
  verdict = tradeoff_guidance_judge (guidance, guidance->claims->pdata[0], results);
  g_assert_cmpint (verdict->kind, ==, TRADEOFF_VERDICT_SUPPORTED);
  g_assert_cmpfloat_with_epsilon (verdict->value, 2.0, 1e-9);
  g_assert_nonnull (strstr (verdict->evidence, "100 connections"));
  g_assert_nonnull (strstr (verdict->evidence, "2000 connections"));
}

/* The shipped file. */

static void
test_shipped_loads (void)
{
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  g_autoptr(GError) error = NULL;
  TradeoffGuidance *resource;

  for (guint i = 0; i < G_N_ELEMENTS (claims_md_ids); i++)
    if (tradeoff_guidance_lookup (guidance, claims_md_ids[i]) == NULL)
      g_error ("CLAIMS.md's claim %s is missing from data/guidance.json", claims_md_ids[i]);

  for (guint i = 0; i < guidance->claims->len; i++)
    {
      const TradeoffClaim *claim = guidance->claims->pdata[i];
      g_autoptr(TradeoffScenario) scenario = NULL;

      g_test_message ("claim %s", claim->id);
      g_assert_cmpuint (claim->sources->len, >, 0);
      g_assert_cmpuint (claim->workload_mask, !=, 0);
      g_assert_cmpuint (strlen (claim->paraphrase), >, 20);

      scenario = tradeoff_claim_dup_scenario (claim, &error);
      g_assert_no_error (error);
      g_assert_nonnull (scenario);
      /* Short enough to test a claim on the spot. */
      g_assert_cmpfloat (scenario->workload.duration_s, <=, 5);
      g_assert_cmpfloat (scenario->workload.duration_s, >=, 3);
      g_assert_true (tradeoff_claim_speaks_to (claim, scenario->workload.kind));
    }

  /* The documents' disagreement is a group. */
  {
    const TradeoffConflict *conflict = tradeoff_guidance_find_conflict (guidance, "node-cpu-weak");
    const TradeoffClaim *claim = tradeoff_guidance_lookup (guidance, "node-cpu-multithread");

    g_assert_nonnull (conflict);
    g_assert_true (conflict == tradeoff_guidance_find_conflict (guidance, "node-cpu-multithread"));
    g_assert_cmpuint (claim->contradicts->len, ==, 1);
    g_assert_cmpstr (claim->contradicts->pdata[0], ==, "node-cpu-weak");
    g_assert_nonnull (claim->conflict_note);
  }

  /* The same file, through core's resource. */
  resource = tradeoff_guidance_get_default (&error);
  g_assert_no_error (error);
  g_assert_nonnull (resource);
  g_assert_true (resource == tradeoff_guidance_get_default (NULL));
  g_assert_cmpuint (resource->claims->len, ==, guidance->claims->len);
}

static void
test_strings_in_sync (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "build-aux", "guidance-strings.py", NULL);
  g_autofree char *json = g_test_build_filename (G_TEST_DIST, "..", "data", "guidance.json", NULL);
  g_autofree char *strings = g_test_build_filename (G_TEST_DIST, "..", "src", "core",
                                                    "tradeoff-guidance-strings.c", NULL);
  g_autofree char *potfiles = g_test_build_filename (G_TEST_DIST, "..", "po", "POTFILES.in", NULL);
  g_autofree char *potfiles_text = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "python3", script, "--check", json, strings, NULL };
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s", err);

  g_file_get_contents (potfiles, &potfiles_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (potfiles_text, "src/core/tradeoff-guidance-strings.c\n"));
}

/* Malformed guidance: one clear message naming the claim and the field. */

typedef struct
{
  const char *name;
  const char *claim;       /* the claim object, or NULL to use the whole document */
  const char *document;
  int         code;
  const char *message[3];  /* substrings */
} Broken;

#define GOOD_RULE "{\"type\": \"value\", \"figure\": \"p99_us\", \"select\": {\"label\": \"loop\", \"engine\": \"loop\"}, " \
                  "\"bands\": [{\"below\": 1000, \"verdict\": \"supported\"}, {\"verdict\": \"contradicted\"}]}"
#define GOOD_SCENARIO "{\"format\": \"tradeoff-scenario/1\", \"name\": \"S\", \"workload\": {\"kind\": \"request\"}, " \
                      "\"engines\": [{\"label\": \"L\", \"kind\": \"loop\"}]}"
#define CLAIM(rule, scenario) "{\"id\": \"c1\", \"paraphrase\": \"P\", \"sources\": [\"s\"], \"workloads\": [\"request\"], " \
                              "\"rule\": " rule ", \"scenario\": " scenario "}"

static const Broken broken[] = {
  { "not-json", NULL, "{\"format\": ", TRADEOFF_GUIDANCE_ERROR_PARSE, { "not valid JSON" } },
  { "format", NULL, "{\"format\": \"tradeoff-guidance/9\"}", TRADEOFF_GUIDANCE_ERROR_FORMAT, { "format", "tradeoff-guidance/9" } },
  { "verdict", CLAIM ("{\"type\": \"value\", \"figure\": \"p99_us\", \"select\": {\"label\": \"l\"}, "
                      "\"bands\": [{\"below\": 1, \"verdict\": \"supported\"}, {\"verdict\": \"maybe\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.bands[1].verdict", "maybe" } },
  { "figure", CLAIM ("{\"type\": \"value\", \"figure\": \"speed\", \"select\": {\"label\": \"l\"}, "
                     "\"bands\": [{\"below\": 1, \"verdict\": \"supported\"}, {\"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.figure", "speed" } },
  { "rule-type", CLAIM ("{\"type\": \"guess\"}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.type", "guess" } },
  { "selection-key", CLAIM ("{\"type\": \"value\", \"figure\": \"p99_us\", \"select\": {\"label\": \"l\", \"engien\": \"loop\"}, "
                            "\"bands\": [{\"below\": 1, \"verdict\": \"supported\"}, {\"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.select.engien", "unknown key" } },
  { "selection-label", CLAIM ("{\"type\": \"ratio\", \"figure\": \"p99_us\", \"a\": {\"label\": \"l\"}, \"b\": {\"engine\": \"pool\"}, "
                              "\"bands\": [{\"below\": 1, \"verdict\": \"supported\"}, {\"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.b.label", "missing" } },
  { "engine", CLAIM ("{\"type\": \"value\", \"figure\": \"p99_us\", \"select\": {\"label\": \"l\", \"engine\": \"fork\"}, "
                     "\"bands\": [{\"below\": 1, \"verdict\": \"supported\"}, {\"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.select.engine" } },
  { "bands-order", CLAIM ("{\"type\": \"value\", \"figure\": \"p99_us\", \"select\": {\"label\": \"l\"}, "
                          "\"bands\": [{\"below\": 5, \"verdict\": \"supported\"}, {\"below\": 2, \"verdict\": \"depends\", \"condition\": \"c\"}, "
                          "{\"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.bands[1].below", "greater" } },
  { "bands-open", CLAIM ("{\"type\": \"value\", \"figure\": \"p99_us\", \"select\": {\"label\": \"l\"}, "
                         "\"bands\": [{\"below\": 5, \"verdict\": \"supported\"}, {\"below\": 9, \"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.bands[1].below", "open-ended" } },
  { "depends-condition", CLAIM ("{\"type\": \"value\", \"figure\": \"p99_us\", \"select\": {\"label\": \"l\"}, "
                                "\"bands\": [{\"below\": 5, \"verdict\": \"depends\"}, {\"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.bands[0].condition" } },
  { "first-of-basis", CLAIM ("{\"type\": \"first-of\", \"rules\": [" GOOD_RULE ", " GOOD_RULE "]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.rules[0].basis" } },
  { "range", CLAIM ("{\"type\": \"value\", \"figure\": \"p99_us\", \"select\": {\"label\": \"l\", \"workers\": {\"min\": 8, \"max\": 2}}, "
                    "\"bands\": [{\"below\": 1, \"verdict\": \"supported\"}, {\"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.select.workers", "min" } },
  { "sweep-by", CLAIM ("{\"type\": \"sweep\", \"figure\": \"p99_us\", \"by\": \"colour\", \"select\": {\"label\": \"l\"}, "
                       "\"bands\": [{\"below\": 1, \"verdict\": \"supported\"}, {\"verdict\": \"contradicted\"}]}", GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "rule.by", "colour" } },
  { "scenario-missing", "{\"id\": \"c1\", \"paraphrase\": \"P\", \"sources\": [\"s\"], \"workloads\": [\"request\"], \"rule\": " GOOD_RULE "}",
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "scenario", "missing" } },
  { "scenario-invalid", CLAIM (GOOD_RULE, "{\"format\": \"tradeoff-scenario/1\", \"name\": \"S\", \"workload\": {\"kind\": \"request\", "
                                          "\"duration_s\": -3}, \"engines\": [{\"label\": \"L\", \"kind\": \"loop\"}]}"),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "scenario", "duration_s" } },
  { "source", "{\"id\": \"c1\", \"paraphrase\": \"P\", \"sources\": [\"zz\"], \"workloads\": [\"request\"], \"rule\": " GOOD_RULE
              ", \"scenario\": " GOOD_SCENARIO "}",
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "sources[0]", "zz" } },
  { "workload-kind", "{\"id\": \"c1\", \"paraphrase\": \"P\", \"sources\": [\"s\"], \"workloads\": [\"video\"], \"rule\": " GOOD_RULE
                     ", \"scenario\": " GOOD_SCENARIO "}",
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "workloads", "video" } },
  { "paraphrase", "{\"id\": \"c1\", \"paraphrase\": 3, \"sources\": [\"s\"], \"workloads\": [\"request\"], \"rule\": " GOOD_RULE
                  ", \"scenario\": " GOOD_SCENARIO "}",
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "paraphrase", "string" } },
  { "id", "{\"paraphrase\": \"P\"}", NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claims[0].id", "missing" } },
  { "duplicate", CLAIM (GOOD_RULE, GOOD_SCENARIO) ", " CLAIM (GOOD_RULE, GOOD_SCENARIO),
    NULL, TRADEOFF_GUIDANCE_ERROR_INVALID, { "claim “c1”", "id", "twice" } },
  { "conflict", NULL,
    "{\"format\": \"tradeoff-guidance/1\", \"sources\": {\"s\": {\"title\": \"T\"}}, \"claims\": [" CLAIM (GOOD_RULE, GOOD_SCENARIO) "],"
    " \"conflicts\": [{\"note\": \"n\", \"claims\": [\"c1\", \"c9\"]}]}",
    TRADEOFF_GUIDANCE_ERROR_INVALID, { "conflicts[0].claims", "c9" } },
};

static void
test_malformed (gconstpointer data)
{
  const Broken *b = data;
  g_autoptr(TradeoffGuidance) guidance = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;

  if (b->claim != NULL)
    document = g_strdup_printf ("{\"format\": \"tradeoff-guidance/1\", \"sources\": {\"s\": {\"title\": \"T\"}}, "
                                "\"claims\": [%s]}", b->claim);
  else
    document = g_strdup (b->document);

  guidance = tradeoff_guidance_new_from_data (document, -1, &error);
  g_assert_null (guidance);
  g_assert_error (error, TRADEOFF_GUIDANCE_ERROR, b->code);
  g_test_message ("%s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (b->message) && b->message[i] != NULL; i++)
    if (strstr (error->message, b->message[i]) == NULL)
      g_error ("“%s” does not mention “%s”", error->message, b->message[i]);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_malformed_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "guidance-broken.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TradeoffGuidance) guidance = tradeoff_guidance_new_from_file (path, &error);

  g_assert_null (guidance);
  g_assert_error (error, TRADEOFF_GUIDANCE_ERROR, TRADEOFF_GUIDANCE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "claim “gil-one-thread”: rule.bands[0].verdict: must be one of supported, "
                   "contradicted, depends, got “probably”");
}

/* The verdict as JSON, as FORMATS.md promises. */
static void
test_verdict_json (void)
{
  static const RunSpec runs[] = {
    { REF ("node"), 2000, X, X, X, X, 12.5 }, { REF ("python-threads"), 2000, X, X, X, X, 80 }, { NULL },
  };
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tradeoff_result_free);
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *sources;

  g_ptr_array_add (results, make_result (W_TINY, runs));
  verdicts = tradeoff_guidance_judge_all (guidance, results);
  g_assert_cmpuint (verdicts->len, ==, guidance->claims->len);

  for (guint i = 0; i < verdicts->len; i++)
    {
      TradeoffVerdict *verdict = verdicts->pdata[i];

      if (!g_str_equal (verdict->claim_id, "rps-6x"))
        continue;
      node = tradeoff_verdict_to_json (verdict, guidance);
    }
  g_assert_nonnull (node);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "rps-6x");
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "supported");
  g_assert_true (json_object_get_null_member (object, "condition"));
  g_test_message ("evidence: %s", json_object_get_string_member (object, "evidence"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "evidence"),
                            "Node.js: 80000 req/s per core (12.5 µs of CPU per request)"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "evidence"),
                            "Python threads: 12500 req/s per core (80.0 µs of CPU per request)"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "evidence"), "the article says 6.7"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "basis"), "real runtimes"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "value"), 80.0 / 12.5, 1e-9);
  g_assert_cmpfloat (json_object_get_double_member (object, "claimed"), ==, 6.7);
  sources = json_object_get_array_member (object, "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 0), "publisher"),
                   ==, "BoomDevs");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "figures")), ==, 2);
}

/* tradeoff-cli verdicts, as scripts see it. */

static int
run_cli (const char * const *args,
         char              **out,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TRADEOFF_CLI");
  int status;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_cli_verdicts (void)
{
  static const RunSpec runs[] = {
    { POOL_GIL (2), 240 }, { POOL_GIL (8), 250 }, { LOOP, 490 }, { LOOP_OFF2, 950 }, { NULL },
  };
  g_autoptr(TradeoffResult) result = make_result (W_ML, runs);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *dir = g_dir_make_tmp ("test-guidance-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *broken_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(TradeoffGuidance) guidance = load_shipped ();
  JsonArray *array;
  gboolean seen_gil = FALSE;

  g_assert_no_error (error);
  path = g_build_filename (dir, "result.json", NULL);
  g_assert_true (tradeoff_result_save_file (result, path, &error));
  g_assert_no_error (error);

  /* --json: a list of {id, verdict, condition, evidence, sources}, one per claim. */
  {
    const char *args[] = { "verdicts", path, "--json", NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, guidance->claims->len);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *verdict = json_object_get_string_member (object, "verdict");

      g_assert_true (json_object_has_member (object, "id"));
      g_assert_true (json_object_has_member (object, "condition"));
      g_assert_true (json_object_has_member (object, "evidence"));
      g_assert_true (json_object_has_member (object, "sources"));
      g_assert_true (g_str_equal (verdict, "supported") || g_str_equal (verdict, "contradicted") ||
                     g_str_equal (verdict, "depends") || g_str_equal (verdict, "not-tested"));
      if (g_str_equal (json_object_get_string_member (object, "id"), "gil-one-thread"))
        {
          g_assert_cmpstr (verdict, ==, "supported");
          seen_gil = TRUE;
        }
      if (g_str_equal (json_object_get_string_member (object, "id"), "node-cpu-weak"))
        {
          g_assert_cmpstr (verdict, ==, "depends");
          g_assert_nonnull (strstr (json_object_get_string_member (object, "condition"), "without offload"));
        }
    }
  g_assert_true (seen_gil);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Text: each claim with its verdict, condition, evidence and sources. */
  {
    const char *args[] = { "verdicts", path, NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  }
  g_assert_nonnull (strstr (out, "gil-one-thread: Supported\n"));
  g_assert_nonnull (strstr (out, "Condition: only without offload workers"));
  g_assert_nonnull (strstr (out, "pool with GIL: 2 workers 240 req/s, 8 workers 250 req/s"));
  g_assert_nonnull (strstr (out, "Sources: “Python vs Node.js”, BoomDevs, 2025"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A bad file: one line, exit 2. */
  broken_path = g_build_filename (dir, "broken_path.json", NULL);
  g_assert_true (g_file_set_contents (broken_path, "{\"format\": \"tradeoff-result/1\", \"runs\": 3", -1, &error));
  {
    const char *args[] = { "verdicts", path, broken_path, "--json", NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
  }
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "broken_path.json"));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* No file at all: a usage error. */
  {
    const char *args[] = { "verdicts", NULL };

    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
  }

  g_unlink (broken_path);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/guidance/shipped/loads", test_shipped_loads);
  g_test_add_func ("/guidance/shipped/strings-in-sync", test_strings_in_sync);
  g_test_add_func ("/guidance/rules/table-covers-claims", test_rule_table_covers_claims);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/guidance/rules/%s/%u-%s", cases[i].claim, i,
                                               tradeoff_verdict_kind_to_string (cases[i].expected));
      g_test_add_data_func (path, &cases[i], test_rule_case);
    }
  g_test_add_func ("/guidance/rules/evidence-text", test_evidence_text);
  g_test_add_func ("/guidance/rules/latest-result-and-failed-runs", test_latest_result_and_failed_runs);
  g_test_add_func ("/guidance/rules/sweep-across-results", test_sweep_across_results);
  g_test_add_func ("/guidance/rules/driver-limited", test_driver_limited);
  g_test_add_func ("/guidance/rules/capacity-unmeasured", test_capacity_unmeasured);
  g_test_add_func ("/guidance/verdict-json", test_verdict_json);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_strdup_printf ("/guidance/malformed/%s", broken[i].name);
      g_test_add_data_func (path, &broken[i], test_malformed);
    }
  g_test_add_func ("/guidance/malformed/file", test_malformed_file);
  g_test_add_func ("/guidance/cli-verdicts", test_cli_verdicts);

  return g_test_run ();
}
