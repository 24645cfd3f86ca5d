/* tradeoff-histogram.c
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The layout follows HdrHistogram: the first bucket holds the values below
 * sub_bucket_count at a resolution of 1 us; every following bucket covers
 * twice the range of the one before at half the resolution, and only its
 * upper half is stored (the lower half is the previous bucket). With
 * sub_bucket_count = 2^ceil(log2(2 * 10^digits)), every value is kept to
 * within 10^-digits of itself. Counts live in one flat array, so recording
 * is a couple of shifts and an increment. */

#define G_LOG_DOMAIN "tradeoff-core"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tradeoff-histogram.h"

struct _TradeoffHistogram
{
  guint    significant_digits;
  guint    sub_bucket_count_magnitude;
  guint    sub_bucket_half_count_magnitude;
  gint64   sub_bucket_count;
  gint64   sub_bucket_half_count;
  gint64   sub_bucket_mask;
  guint    bucket_count;
  gsize    counts_len;
  guint64  total_count;
  gint64   min_value;   /* raw; G_MAXINT64 when empty */
  gint64   max_value;   /* raw; 0 when empty */
  guint64 *counts;
};

static inline guint
bucket_index_of (const TradeoffHistogram *self,
                 gint64                   value)
{
  /* The position of the highest set bit, with the values of the first
   * bucket all mapped to bucket 0. */
  guint pow2ceiling = 64 - __builtin_clzll ((guint64) (value | self->sub_bucket_mask));

  return pow2ceiling - (self->sub_bucket_half_count_magnitude + 1);
}

static inline gsize
counts_index_of (const TradeoffHistogram *self,
                 gint64                   value)
{
  guint bucket_index = bucket_index_of (self, value);
  gint64 sub_bucket_index = value >> bucket_index;
  gsize bucket_base_index = (gsize) (bucket_index + 1) << self->sub_bucket_half_count_magnitude;

  return bucket_base_index + (gsize) (sub_bucket_index - self->sub_bucket_half_count);
}

static inline gint64
value_from_index (const TradeoffHistogram *self,
                  gsize                    index)
{
  gint64 bucket_index = (gint64) (index >> self->sub_bucket_half_count_magnitude) - 1;
  gint64 sub_bucket_index = (gint64) (index & (gsize) (self->sub_bucket_half_count - 1))
                            + self->sub_bucket_half_count;

  if (bucket_index < 0)
    {
      sub_bucket_index -= self->sub_bucket_half_count;
      bucket_index = 0;
    }

  return sub_bucket_index << bucket_index;
}

static inline gint64
range_size_of (const TradeoffHistogram *self,
               gint64                   value)
{
  guint bucket_index = bucket_index_of (self, value);
  gint64 sub_bucket_index = value >> bucket_index;

  if (sub_bucket_index >= self->sub_bucket_count)
    bucket_index++;

  return G_GINT64_CONSTANT (1) << bucket_index;
}

static inline gint64
lowest_equivalent (const TradeoffHistogram *self,
                   gint64                   value)
{
  guint bucket_index = bucket_index_of (self, value);
  gint64 sub_bucket_index = value >> bucket_index;

  return sub_bucket_index << bucket_index;
}

static inline gint64
highest_equivalent (const TradeoffHistogram *self,
                    gint64                   value)
{
  return lowest_equivalent (self, value) + range_size_of (self, value) - 1;
}

static inline gint64
median_equivalent (const TradeoffHistogram *self,
                   gint64                   value)
{
  return lowest_equivalent (self, value) + (range_size_of (self, value) >> 1);
}

static inline gint64
clamp_value (gint64 value_us)
{
  return CLAMP (value_us, 1, TRADEOFF_HISTOGRAM_MAX_US);
}

TradeoffHistogram *
tradeoff_histogram_new (guint significant_digits)
{
  TradeoffHistogram *self;
  gint64 largest_single_unit = 2;
  gint64 smallest_untrackable;
  guint buckets_needed = 1;

  g_return_val_if_fail (significant_digits >= 1 && significant_digits <= 4, NULL);

  for (guint i = 0; i < significant_digits; i++)
    largest_single_unit *= 10;

  self = g_new0 (TradeoffHistogram, 1);
  self->significant_digits = significant_digits;
  self->sub_bucket_count_magnitude = (guint) ceil (log2 ((double) largest_single_unit));
  self->sub_bucket_half_count_magnitude = self->sub_bucket_count_magnitude - 1;
  self->sub_bucket_count = G_GINT64_CONSTANT (1) << self->sub_bucket_count_magnitude;
  self->sub_bucket_half_count = self->sub_bucket_count / 2;
  self->sub_bucket_mask = self->sub_bucket_count - 1;

  smallest_untrackable = self->sub_bucket_count;
  while (smallest_untrackable <= TRADEOFF_HISTOGRAM_MAX_US)
    {
      smallest_untrackable <<= 1;
      buckets_needed++;
    }
  self->bucket_count = buckets_needed;
  self->counts_len = (gsize) (buckets_needed + 1) * (gsize) self->sub_bucket_half_count;
  self->counts = g_new0 (guint64, self->counts_len);
  self->min_value = G_MAXINT64;
  self->max_value = 0;

  g_assert (counts_index_of (self, TRADEOFF_HISTOGRAM_MAX_US) < self->counts_len);

  return self;
}

TradeoffHistogram *
tradeoff_histogram_copy (const TradeoffHistogram *self)
{
  TradeoffHistogram *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->counts = g_memdup2 (self->counts, self->counts_len * sizeof (guint64));

  return copy;
}

void
tradeoff_histogram_free (TradeoffHistogram *self)
{
  if (self == NULL)
    return;

  g_free (self->counts);
  g_free (self);
}

void
tradeoff_histogram_reset (TradeoffHistogram *self)
{
  g_return_if_fail (self != NULL);

  memset (self->counts, 0, self->counts_len * sizeof (guint64));
  self->total_count = 0;
  self->min_value = G_MAXINT64;
  self->max_value = 0;
}

guint
tradeoff_histogram_get_significant_digits (const TradeoffHistogram *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->significant_digits;
}

/* The number of power-of-two buckets and of sub-buckets in each, as
 * HdrHistogram reports them in the footer of a percentile distribution. */
guint
tradeoff_histogram_get_bucket_count (const TradeoffHistogram *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->bucket_count;
}

guint
tradeoff_histogram_get_sub_bucket_count (const TradeoffHistogram *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint) self->sub_bucket_count;
}

void
tradeoff_histogram_record_n (TradeoffHistogram *self,
                             gint64             value_us,
                             guint64            count)
{
  gint64 value;

  g_return_if_fail (self != NULL);

  if (count == 0)
    return;

  value = clamp_value (value_us);
  self->counts[counts_index_of (self, value)] += count;
  self->total_count += count;
  if (value < self->min_value)
    self->min_value = value;
  if (value > self->max_value)
    self->max_value = value;
}

void
tradeoff_histogram_record (TradeoffHistogram *self,
                           gint64             value_us)
{
  tradeoff_histogram_record_n (self, value_us, 1);
}

void
tradeoff_histogram_merge (TradeoffHistogram       *self,
                          const TradeoffHistogram *other)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (other != NULL);

  if (other->total_count == 0)
    return;

  if (other->significant_digits == self->significant_digits)
    {
      for (gsize i = 0; i < self->counts_len; i++)
        self->counts[i] += other->counts[i];
      self->total_count += other->total_count;
      self->min_value = MIN (self->min_value, other->min_value);
      self->max_value = MAX (self->max_value, other->max_value);
      return;
    }

  /* Buckets of different precisions nest (both are power-of-two aligned),
   * so recording each of @other's buckets at its highest equivalent value
   * keeps every percentile @other reported. */
  for (gsize i = 0; i < other->counts_len; i++)
    {
      if (other->counts[i] != 0)
        tradeoff_histogram_record_n (self,
                                     highest_equivalent (other, value_from_index (other, i)),
                                     other->counts[i]);
    }
}

guint64
tradeoff_histogram_get_count (const TradeoffHistogram *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->total_count;
}

gint64
tradeoff_histogram_get_min (const TradeoffHistogram *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->total_count == 0)
    return 0;

  return lowest_equivalent (self, self->min_value);
}

gint64
tradeoff_histogram_get_max (const TradeoffHistogram *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->total_count == 0)
    return 0;

  return highest_equivalent (self, self->max_value);
}

double
tradeoff_histogram_get_mean (const TradeoffHistogram *self)
{
  double total = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (self->total_count == 0)
    return 0;

  for (gsize i = 0; i < self->counts_len; i++)
    {
      if (self->counts[i] != 0)
        total += (double) self->counts[i]
                 * (double) median_equivalent (self, value_from_index (self, i));
    }

  return total / (double) self->total_count;
}

double
tradeoff_histogram_get_stddev (const TradeoffHistogram *self)
{
  double mean;
  double total = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (self->total_count == 0)
    return 0;

  mean = tradeoff_histogram_get_mean (self);
  for (gsize i = 0; i < self->counts_len; i++)
    {
      if (self->counts[i] != 0)
        {
          double dev = (double) median_equivalent (self, value_from_index (self, i)) - mean;

          total += dev * dev * (double) self->counts[i];
        }
    }

  return sqrt (total / (double) self->total_count);
}

gint64
tradeoff_histogram_get_percentile (const TradeoffHistogram *self,
                                   double                   percentile)
{
  guint64 count_at_percentile;
  guint64 total = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (self->total_count == 0)
    return 0;

  if (!(percentile > 0))
    return tradeoff_histogram_get_min (self);
  percentile = MIN (percentile, 100.0);

  count_at_percentile = (guint64) ((percentile / 100.0) * (double) self->total_count + 0.5);
  count_at_percentile = MAX (count_at_percentile, 1);

  for (gsize i = 0; i < self->counts_len; i++)
    {
      total += self->counts[i];
      if (total >= count_at_percentile)
        return highest_equivalent (self, value_from_index (self, i));
    }

  return tradeoff_histogram_get_max (self);
}

void
tradeoff_histogram_iter_init (TradeoffHistogramIter   *iter,
                              const TradeoffHistogram *self)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (self != NULL);

  iter->histogram = self;
  iter->index = 0;
}

/* @value_us is the highest value of the bucket (the value a percentile
 * falling in it reports); recording it again lands in the same bucket. */
gboolean
tradeoff_histogram_iter_next (TradeoffHistogramIter *iter,
                              gint64                *value_us,
                              guint64               *count)
{
  const TradeoffHistogram *self;

  g_return_val_if_fail (iter != NULL, FALSE);

  self = iter->histogram;
  while (iter->index < self->counts_len)
    {
      gsize i = iter->index++;

      if (self->counts[i] != 0)
        {
          if (value_us != NULL)
            *value_us = highest_equivalent (self, value_from_index (self, i));
          if (count != NULL)
            *count = self->counts[i];
          return TRUE;
        }
    }

  return FALSE;
}

JsonNode *
tradeoff_histogram_to_json (const TradeoffHistogram *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  TradeoffHistogramIter iter;
  gint64 value;
  guint64 count;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "significant_digits");
  json_builder_add_int_value (builder, self->significant_digits);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, "us");
  json_builder_set_member_name (builder, "buckets");
  json_builder_begin_array (builder);
  tradeoff_histogram_iter_init (&iter, self);
  while (tradeoff_histogram_iter_next (&iter, &value, &count))
    {
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, value);
      json_builder_add_int_value (builder, (gint64) count);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
read_integer (JsonNode  *node,
              gint64    *out)
{
  double d;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      d = json_node_get_double (node);
      if (d != floor (d) || fabs (d) > 9e15)
        return FALSE;
      *out = (gint64) d;
      return TRUE;
    default:
      return FALSE;
    }
}

TradeoffHistogram *
tradeoff_histogram_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(TradeoffHistogram) self = NULL;
  JsonObject *object;
  JsonArray *buckets;
  gint64 digits = 3;
  guint n_buckets;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "histogram: %s", _("must be an object"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (json_object_has_member (object, "significant_digits")
      && (!read_integer (json_object_get_member (object, "significant_digits"), &digits)
          || digits < 1 || digits > 4))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "histogram.significant_digits: %s", _("must be a whole number from 1 to 4"));
      return NULL;
    }

  if (json_object_has_member (object, "unit")
      && g_strcmp0 (json_object_get_string_member_with_default (object, "unit", ""), "us") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "histogram.unit: %s", _("must be “us”"));
      return NULL;
    }

  if (!json_object_has_member (object, "buckets")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "buckets")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "histogram.buckets: %s", _("must be a list of [value_us, count] pairs"));
      return NULL;
    }

  self = tradeoff_histogram_new ((guint) digits);
  buckets = json_object_get_array_member (object, "buckets");
  n_buckets = json_array_get_length (buckets);
  for (guint i = 0; i < n_buckets; i++)
    {
      JsonNode *pair = json_array_get_element (buckets, i);
      JsonArray *array;
      gint64 value, count;

      if (!JSON_NODE_HOLDS_ARRAY (pair)
          || json_array_get_length ((array = json_node_get_array (pair))) != 2
          || !read_integer (json_array_get_element (array, 0), &value)
          || !read_integer (json_array_get_element (array, 1), &count)
          || value < 0 || count < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "histogram.buckets[%u]: %s", i,
                       _("must be a pair of non-negative whole numbers"));
          return NULL;
        }

      tradeoff_histogram_record_n (self, value, (guint64) count);
    }

  return g_steal_pointer (&self);
}
