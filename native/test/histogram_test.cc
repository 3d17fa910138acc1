// The latency histogram: bucket layout, precision bound, percentiles of known distributions,
// and merging across threads.
#include "histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace evb {
namespace {

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 0; v < Histogram::kExact; ++v) h.record(v);
  for (uint64_t v = 0; v < Histogram::kExact; ++v) EXPECT_EQ(Histogram::representative(Histogram::index_of(v)), v);
  EXPECT_EQ(h.count(), Histogram::kExact);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), Histogram::kExact - 1);
}

TEST(Histogram, BucketsTileTheRangeWithoutGapsOrOverlap) {
  for (size_t i = 1; i < Histogram::kBuckets; ++i)
    ASSERT_EQ(Histogram::lowest(i), Histogram::lowest(i - 1) + Histogram::width(i - 1)) << i;
  EXPECT_EQ(Histogram::index_of(Histogram::kMaxValue), Histogram::kBuckets - 1);
  // One hour in nanoseconds fits.
  EXPECT_LT(Histogram::index_of(3600ull * 1000000000ull), Histogram::kBuckets);
}

TEST(Histogram, RelativePrecisionIsBetterThanOneIn128) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200000; ++i) {
    // Log-uniform over 1 ns .. 1 h.
    double e = std::uniform_real_distribution<double>(0, std::log(3.6e12))(rng);
    uint64_t v = static_cast<uint64_t>(std::exp(e));
    size_t b = Histogram::index_of(v);
    ASSERT_LE(Histogram::lowest(b), v);
    ASSERT_LT(v, Histogram::lowest(b) + Histogram::width(b));
    double rep = static_cast<double>(Histogram::representative(b));
    ASSERT_LE(std::fabs(rep - static_cast<double>(v)), static_cast<double>(v) / 128.0) << v;
  }
}

TEST(Histogram, PercentilesOfAUniformDistribution) {
  Histogram h;
  // 1..1,000,000 us in ns, once each: the q-th percentile is q * 10,000 us.
  for (uint64_t us = 1; us <= 1000000; ++us) h.record(us * 1000);
  for (double q : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9}) {
    double want = q * 10000.0 * 1000.0;
    double got = static_cast<double>(h.percentile(q));
    EXPECT_NEAR(got, want, want / 128.0) << q;
  }
  EXPECT_EQ(h.percentile(100), 1000000000u);
  EXPECT_EQ(h.percentile(0), 1000u);
  EXPECT_NEAR(h.mean(), 500000.5 * 1000, 1);
}

TEST(Histogram, PercentilesOfAnExponentialDistribution) {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> exp(1.0 / 5e6);  // mean 5 ms
  Histogram h;
  std::vector<uint64_t> all;
  for (int i = 0; i < 100000; ++i) {
    uint64_t v = static_cast<uint64_t>(exp(rng)) + 1;
    all.push_back(v);
    h.record(v);
  }
  std::sort(all.begin(), all.end());
  for (double q : {50.0, 90.0, 99.0, 99.9}) {
    double exact = static_cast<double>(all[static_cast<size_t>(std::ceil(q / 100.0 * all.size())) - 1]);
    EXPECT_NEAR(static_cast<double>(h.percentile(q)), exact, exact / 128.0) << q;
  }
}

TEST(Histogram, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(1);
  Histogram a, b, all;
  for (int i = 0; i < 50000; ++i) {
    uint64_t v = rng() % 100000000;
    (i % 3 ? a : b).record(v);
    all.record(v);
  }
  Histogram merged;
  merged.merge(a);
  merged.merge(b);
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.min(), all.min());
  EXPECT_EQ(merged.max(), all.max());
  for (double q : {0.0, 25.0, 50.0, 75.0, 99.0, 100.0}) EXPECT_EQ(merged.percentile(q), all.percentile(q));
  std::vector<std::pair<uint64_t, uint64_t>> x, y;
  merged.for_each([&](uint64_t v, uint64_t n) { x.emplace_back(v, n); });
  all.for_each([&](uint64_t v, uint64_t n) { y.emplace_back(v, n); });
  EXPECT_EQ(x, y);
}

TEST(Histogram, EmptyAndClampedValues) {
  Histogram h;
  EXPECT_EQ(h.percentile(50), 0u);
  EXPECT_EQ(h.min(), 0u);
  h.record(UINT64_MAX, 3);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.max(), Histogram::kMaxValue);
  size_t buckets = 0;
  h.for_each([&](uint64_t, uint64_t n) {
    ++buckets;
    EXPECT_EQ(n, 3u);
  });
  EXPECT_EQ(buckets, 1u);
}

}  // namespace
}  // namespace evb
