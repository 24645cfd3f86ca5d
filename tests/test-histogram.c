/* test-histogram.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-histogram"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "tradeoff-histogram.h"

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The exact percentile of sorted @values as HdrHistogram defines its
 * rank: the value at rank max(1, round(p/100 * n)). */
static gint64
exact_percentile (const gint64 *values,
                  gsize         n,
                  double        percentile)
{
  guint64 rank = (guint64) (percentile / 100.0 * (double) n + 0.5);

  rank = MAX (rank, 1);
  return values[MIN (rank, n) - 1];
}

static void
check_against_exact (gint64 *values,
                     gsize   n,
                     guint   digits)
{
  g_autoptr(TradeoffHistogram) histogram = tradeoff_histogram_new (digits);
  const double percentiles[] = { 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100 };
  double tolerance = pow (10, -(double) digits);
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      tradeoff_histogram_record (histogram, values[i]);
      sum += (double) values[i];
    }

  qsort (values, n, sizeof (gint64), compare_gint64);

  g_assert_cmpuint (tradeoff_histogram_get_count (histogram), ==, n);
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    {
      gint64 exact = exact_percentile (values, n, percentiles[i]);
      gint64 got = tradeoff_histogram_get_percentile (histogram, percentiles[i]);

      /* The highest value of the exact value's bucket: never below it, and
       * within the precision above it. */
      g_assert_cmpint (got, >=, exact);
      g_assert_cmpfloat ((double) (got - exact), <=, tolerance * (double) exact + 1);
    }

  g_assert_cmpint (tradeoff_histogram_get_min (histogram), <=, values[0]);
  g_assert_cmpfloat (values[0] - tradeoff_histogram_get_min (histogram), <=,
                     tolerance * (double) values[0]);
  g_assert_cmpint (tradeoff_histogram_get_max (histogram), >=, values[n - 1]);
  g_assert_cmpfloat (tradeoff_histogram_get_max (histogram) - values[n - 1], <=,
                     tolerance * (double) values[n - 1] + 1);
  g_assert_cmpfloat (fabs (tradeoff_histogram_get_mean (histogram) - sum / (double) n), <=,
                     tolerance * sum / (double) n + 1);
}

static void
test_uniform (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  gsize n = 100000;
  g_autofree gint64 *values = g_new (gint64, n);

  for (gsize i = 0; i < n; i++)
    values[i] = g_rand_int_range (rand, 1, 2000000);
  check_against_exact (values, n, 3);

  for (gsize i = 0; i < n; i++)
    values[i] = g_rand_int_range (rand, 1, 2000000);
  check_against_exact (values, n, 2);
}

static gint64
log_normal (GRand  *rand,
            double  median,
            double  sigma)
{
  double u1 = g_rand_double (rand), u2 = g_rand_double (rand);
  double z = sqrt (-2 * log (1 - u1)) * cos (2 * G_PI * u2);

  return (gint64) (median * exp (sigma * z));
}

static void
test_log_normal (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  gsize n = 100000;
  g_autofree gint64 *values = g_new (gint64, n);

  for (gsize i = 0; i < n; i++)
    values[i] = MAX (1, log_normal (rand, 1500, 1.2));
  check_against_exact (values, n, 3);
}

static void
test_outliers (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  gsize n = 50000;
  g_autofree gint64 *values = g_new (gint64, n);

  /* Mostly a millisecond, with 0.5% stalls of seconds to an hour. */
  for (gsize i = 0; i < n; i++)
    {
      if (g_rand_int_range (rand, 0, 200) == 0)
        values[i] = g_rand_int_range (rand, 1000000, G_MAXINT32) + G_GINT64_CONSTANT (600000000);
      else
        values[i] = g_rand_int_range (rand, 800, 1200);
    }
  values[0] = TRADEOFF_HISTOGRAM_MAX_US;
  check_against_exact (values, n, 3);
}

static void
test_clamp (void)
{
  g_autoptr(TradeoffHistogram) histogram = tradeoff_histogram_new (3);

  g_assert_cmpint (tradeoff_histogram_get_percentile (histogram, 50), ==, 0);
  g_assert_cmpint (tradeoff_histogram_get_max (histogram), ==, 0);

  tradeoff_histogram_record (histogram, -5);
  tradeoff_histogram_record (histogram, 0);
  tradeoff_histogram_record (histogram, TRADEOFF_HISTOGRAM_MAX_US * 10);
  g_assert_cmpuint (tradeoff_histogram_get_count (histogram), ==, 3);
  g_assert_cmpint (tradeoff_histogram_get_min (histogram), ==, 1);
  g_assert_cmpint (tradeoff_histogram_get_percentile (histogram, 50), ==, 1);
  g_assert_cmpint (tradeoff_histogram_get_max (histogram), >=, TRADEOFF_HISTOGRAM_MAX_US);
  g_assert_cmpint (tradeoff_histogram_get_max (histogram), <=, TRADEOFF_HISTOGRAM_MAX_US * 1.001);

  /* Below 2,000 us a 3-digit histogram keeps every microsecond. */
  tradeoff_histogram_reset (histogram);
  g_assert_cmpuint (tradeoff_histogram_get_count (histogram), ==, 0);
  tradeoff_histogram_record_n (histogram, 1234, 10);
  tradeoff_histogram_record_n (histogram, 1999, 0);
  g_assert_cmpint (tradeoff_histogram_get_min (histogram), ==, 1234);
  g_assert_cmpint (tradeoff_histogram_get_max (histogram), ==, 1234);
  g_assert_cmpfloat (tradeoff_histogram_get_mean (histogram), ==, 1234);
  g_assert_cmpfloat (tradeoff_histogram_get_stddev (histogram), ==, 0);
  g_assert_cmpuint (tradeoff_histogram_get_count (histogram), ==, 10);
}

static void
test_memory (void)
{
  g_autoptr(TradeoffHistogram) three = tradeoff_histogram_new (3);
  g_autoptr(TradeoffHistogram) two = tradeoff_histogram_new (2);

  g_assert_cmpuint (tradeoff_histogram_get_sub_bucket_count (three), ==, 2048);
  g_assert_cmpuint (tradeoff_histogram_get_bucket_count (three), ==, 22);
  g_assert_cmpuint (tradeoff_histogram_get_sub_bucket_count (two), ==, 256);
  g_assert_cmpuint (tradeoff_histogram_get_significant_digits (two), ==, 2);
}

static void
test_merge (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autoptr(TradeoffHistogram) a = tradeoff_histogram_new (3);
  g_autoptr(TradeoffHistogram) b = tradeoff_histogram_new (3);
  g_autoptr(TradeoffHistogram) both = tradeoff_histogram_new (3);
  g_autoptr(TradeoffHistogram) coarse = tradeoff_histogram_new (2);
  g_autoptr(TradeoffHistogram) from_coarse = tradeoff_histogram_new (3);
  TradeoffHistogramIter iter_a, iter_b;
  gint64 va, vb;
  guint64 ca, cb;

  for (guint i = 0; i < 20000; i++)
    {
      gint64 x = log_normal (rand, 800, 0.8);
      gint64 y = log_normal (rand, 30000, 1.5);

      tradeoff_histogram_record (a, x);
      tradeoff_histogram_record (b, y);
      tradeoff_histogram_record (both, x);
      tradeoff_histogram_record (both, y);
      tradeoff_histogram_record (coarse, y);
    }

  tradeoff_histogram_merge (a, b);
  g_assert_cmpuint (tradeoff_histogram_get_count (a), ==, tradeoff_histogram_get_count (both));
  g_assert_cmpint (tradeoff_histogram_get_min (a), ==, tradeoff_histogram_get_min (both));
  g_assert_cmpint (tradeoff_histogram_get_max (a), ==, tradeoff_histogram_get_max (both));

  tradeoff_histogram_iter_init (&iter_a, a);
  tradeoff_histogram_iter_init (&iter_b, both);
  while (tradeoff_histogram_iter_next (&iter_a, &va, &ca))
    {
      g_assert_true (tradeoff_histogram_iter_next (&iter_b, &vb, &cb));
      g_assert_cmpint (va, ==, vb);
      g_assert_cmpuint (ca, ==, cb);
    }
  g_assert_false (tradeoff_histogram_iter_next (&iter_b, &vb, &cb));

  /* Different precisions: each percentile the coarse one reports survives. */
  tradeoff_histogram_merge (from_coarse, coarse);
  g_assert_cmpuint (tradeoff_histogram_get_count (from_coarse), ==, 20000);
  for (double p = 1; p <= 100; p += 0.7)
    g_assert_cmpint (tradeoff_histogram_get_percentile (from_coarse, p), ==,
                     tradeoff_histogram_get_percentile (coarse, p));
}

static void
test_iter_increasing (void)
{
  g_autoptr(TradeoffHistogram) histogram = tradeoff_histogram_new (3);
  TradeoffHistogramIter iter;
  gint64 value, last = 0;
  guint64 count, total = 0;

  for (gint64 v = 1; v < TRADEOFF_HISTOGRAM_MAX_US; v = v * 3 + 1)
    tradeoff_histogram_record_n (histogram, v, (guint64) v % 7 + 1);

  tradeoff_histogram_iter_init (&iter, histogram);
  while (tradeoff_histogram_iter_next (&iter, &value, &count))
    {
      g_assert_cmpint (value, >, last);
      g_assert_cmpuint (count, >, 0);
      last = value;
      total += count;
    }
  g_assert_cmpuint (total, ==, tradeoff_histogram_get_count (histogram));
}

static void
test_json (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(TradeoffHistogram) histogram = tradeoff_histogram_new (2);
  g_autoptr(TradeoffHistogram) loaded = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  for (guint i = 0; i < 5000; i++)
    tradeoff_histogram_record (histogram, log_normal (rand, 5000, 1));

  node = tradeoff_histogram_to_json (histogram);
  text = json_to_string (node, FALSE);
  g_assert_true (g_str_has_prefix (text, "{\"significant_digits\":2,\"unit\":\"us\",\"buckets\":[["));

  loaded = tradeoff_histogram_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tradeoff_histogram_get_significant_digits (loaded), ==, 2);
  g_assert_cmpuint (tradeoff_histogram_get_count (loaded), ==, 5000);
  g_assert_cmpint (tradeoff_histogram_get_min (loaded), ==, tradeoff_histogram_get_min (histogram));
  g_assert_cmpint (tradeoff_histogram_get_max (loaded), ==, tradeoff_histogram_get_max (histogram));
  g_assert_cmpfloat (tradeoff_histogram_get_mean (loaded), ==, tradeoff_histogram_get_mean (histogram));
  for (double p = 0; p <= 100; p += 0.5)
    g_assert_cmpint (tradeoff_histogram_get_percentile (loaded, p), ==,
                     tradeoff_histogram_get_percentile (histogram, p));

  {
    g_autoptr(JsonNode) again = tradeoff_histogram_to_json (loaded);

    text_again = json_to_string (again, FALSE);
    g_assert_cmpstr (text, ==, text_again);
  }

  bad = json_from_string ("{\"significant_digits\": 3, \"buckets\": [[10, -1]]}", NULL);
  g_assert_null (tradeoff_histogram_from_json (bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "histogram.buckets[0]"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/histogram/uniform", test_uniform);
  g_test_add_func ("/histogram/log-normal", test_log_normal);
  g_test_add_func ("/histogram/outliers", test_outliers);
  g_test_add_func ("/histogram/clamp", test_clamp);
  g_test_add_func ("/histogram/memory", test_memory);
  g_test_add_func ("/histogram/merge", test_merge);
  g_test_add_func ("/histogram/iter", test_iter_increasing);
  g_test_add_func ("/histogram/json", test_json);

  return g_test_run ();
}
