// The live histogram behind progress()'s p99: the final Histogram's buckets, summed correctly
// over threads, and the percentile of what was recorded between two readings.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "histogram.h"
#include "live_latency.h"

namespace evb {
namespace {

TEST(LiveLatency, EmptyIsZero) {
  LiveLatency::Counts sums = LiveLatency::empty();
  EXPECT_EQ(LiveLatency::percentile(sums, 99.0), 0u);
}

TEST(LiveLatency, PercentileWithinOneThirtySecond) {
  LiveLatency a;
  for (uint64_t v = 1; v <= 100000; ++v) a.record(v * 1000);  // 1 us .. 100 ms, uniform
  LiveLatency::Counts sums = LiveLatency::empty();
  a.add_to(sums);
  for (double q : {50.0, 90.0, 99.0, 99.9}) {
    double want = q / 100.0 * 100000.0 * 1000.0;
    double got = static_cast<double>(LiveLatency::percentile(sums, q));
    EXPECT_LE(std::fabs(got - want) / want, 1.0 / 32 + 1e-3) << "q=" << q;
  }
}

TEST(LiveLatency, SumsThreadsAndReadsWhileWriting) {
  LiveLatency a, b;
  std::thread w([&] {
    for (int i = 0; i < 200000; ++i) a.record(5000);
  });
  for (int i = 0; i < 100; ++i) {  // concurrent reads see a consistent prefix, never garbage
    LiveLatency::Counts s = LiveLatency::empty();
    a.add_to(s);
    uint64_t p = LiveLatency::percentile(s, 50);
    EXPECT_TRUE(p == 0 || (p > 4800 && p < 5200));
  }
  w.join();
  for (int i = 0; i < 100000; ++i) b.record(50000);
  LiveLatency::Counts sums = LiveLatency::empty();
  a.add_to(sums);
  b.add_to(sums);
  EXPECT_NEAR(static_cast<double>(LiveLatency::percentile(sums, 50)), 5000, 5000.0 / 32);
  EXPECT_NEAR(static_cast<double>(LiveLatency::percentile(sums, 99)), 50000, 50000.0 / 32);
}

TEST(LiveLatency, SameBucketAsTheFinalHistogram) {
  LiveLatency live;
  Histogram final_h;
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 100000; ++i) {  // xorshift: latencies from 1 us to about 67 ms
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    uint64_t ns = 1000 + (x >> 38);
    live.record(ns);
    final_h.record(ns);
  }
  LiveLatency::Counts sums = LiveLatency::empty();
  live.add_to(sums);
  for (double q : {50.0, 90.0, 99.0, 99.9}) {
    uint64_t f = final_h.percentile(q);
    EXPECT_EQ(LiveLatency::index_of(LiveLatency::percentile(sums, q)), Histogram::index_of(f)) << "q=" << q;
  }
}

TEST(LiveLatency, PercentileOfWhatWasRecordedSinceAReading) {
  LiveLatency a;
  for (int i = 0; i < 1000; ++i) a.record(9000000);  // an earlier, slow second
  LiveLatency::Counts base = LiveLatency::empty();
  a.add_to(base);
  for (int i = 0; i < 1000; ++i) a.record(1000000);  // the last second: 1 ms
  LiveLatency::Counts now = LiveLatency::empty();
  a.add_to(now);
  EXPECT_NEAR(static_cast<double>(LiveLatency::percentile(now, 99, &base)), 1e6, 1e6 / 256);
  EXPECT_NEAR(static_cast<double>(LiveLatency::percentile(now, 99)), 9e6, 9e6 / 256);
}

TEST(LiveLatency, ClampsHugeValues) {
  LiveLatency a;
  a.record(UINT64_MAX);
  LiveLatency::Counts sums = LiveLatency::empty();
  a.add_to(sums);
  EXPECT_GT(LiveLatency::percentile(sums, 100), 1ull << 42);
}

}  // namespace
}  // namespace evb
