/* tradeoff-histogram.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A log-linear latency histogram in the manner of HdrHistogram: values in
 * microseconds from 1 us to 1 hour, kept to a fixed number of significant
 * digits (3 for runs, 2 for timeline intervals), in fixed memory chosen at
 * creation. Recording is O(1) and never allocates; histograms with the same
 * precision merge by adding counts; any percentile can be read back. */

#define TRADEOFF_HISTOGRAM_MAX_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

typedef struct _TradeoffHistogram TradeoffHistogram;

typedef struct
{
  /* Private */
  const TradeoffHistogram *histogram;
  gsize                    index;
} TradeoffHistogramIter;

TradeoffHistogram *tradeoff_histogram_new            (guint                     significant_digits);
TradeoffHistogram *tradeoff_histogram_copy           (const TradeoffHistogram  *self);
void               tradeoff_histogram_free           (TradeoffHistogram        *self);
void               tradeoff_histogram_reset          (TradeoffHistogram        *self);
guint              tradeoff_histogram_get_significant_digits
                                                     (const TradeoffHistogram  *self);
/* The layout, as HdrHistogram's footer reports it ("Buckets", "SubBuckets"). */
guint              tradeoff_histogram_get_bucket_count
                                                     (const TradeoffHistogram  *self);
guint              tradeoff_histogram_get_sub_bucket_count
                                                     (const TradeoffHistogram  *self);
/* Values below 1 are recorded as 1, above the maximum as the maximum. */
void               tradeoff_histogram_record         (TradeoffHistogram        *self,
                                                      gint64                    value_us);
void               tradeoff_histogram_record_n       (TradeoffHistogram        *self,
                                                      gint64                    value_us,
                                                      guint64                   count);
/* Adds the counts of @other; its precision may differ (values are re-bucketed). */
void               tradeoff_histogram_merge          (TradeoffHistogram        *self,
                                                      const TradeoffHistogram  *other);
guint64            tradeoff_histogram_get_count      (const TradeoffHistogram  *self);
/* As HdrHistogram: the lowest value of the smallest value's bucket and the
 * highest of the largest's (so no percentile exceeds the max); 0 when empty.
 * Mean and standard deviation count each value at its bucket's midpoint. */
gint64             tradeoff_histogram_get_min        (const TradeoffHistogram  *self);
gint64             tradeoff_histogram_get_max        (const TradeoffHistogram  *self);
double             tradeoff_histogram_get_mean       (const TradeoffHistogram  *self);
double             tradeoff_histogram_get_stddev     (const TradeoffHistogram  *self);
/* @percentile in [0, 100]; the value at or below which that share of the
 * recorded values lies (the highest equivalent value of its bucket, as
 * HdrHistogram reports). 0 when empty. */
gint64             tradeoff_histogram_get_percentile (const TradeoffHistogram  *self,
                                                      double                    percentile);
/* Iterates the non-empty buckets in increasing order of value; @value_us is
 * the bucket's highest value, and recording it again lands in the same bucket. */
void               tradeoff_histogram_iter_init      (TradeoffHistogramIter    *iter,
                                                      const TradeoffHistogram  *self);
gboolean           tradeoff_histogram_iter_next      (TradeoffHistogramIter    *iter,
                                                      gint64                   *value_us,
                                                      guint64                  *count);
/* {"significant_digits": 3, "unit": "us", "buckets": [[value_us, count], ...]} */
JsonNode          *tradeoff_histogram_to_json        (const TradeoffHistogram  *self);
TradeoffHistogram *tradeoff_histogram_from_json      (JsonNode                 *node,
                                                      GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffHistogram, tradeoff_histogram_free)

G_END_DECLS
