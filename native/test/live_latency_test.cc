// The live histogram behind progress()'s p99: coarse by design, but within its bound, and
// summed correctly over threads.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "live_latency.h"

namespace evb {
namespace {

TEST(LiveLatency, EmptyIsZero) {
  LiveLatency::Counts sums{};
  EXPECT_EQ(LiveLatency::percentile(sums, 99.0), 0u);
}

TEST(LiveLatency, PercentileWithinOneThirtySecond) {
  LiveLatency a;
  for (uint64_t v = 1; v <= 100000; ++v) a.record(v * 1000);  // 1 us .. 100 ms, uniform
  LiveLatency::Counts sums{};
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
    LiveLatency::Counts s{};
    a.add_to(s);
    uint64_t p = LiveLatency::percentile(s, 50);
    EXPECT_TRUE(p == 0 || (p > 4800 && p < 5200));
  }
  w.join();
  for (int i = 0; i < 100000; ++i) b.record(50000);
  LiveLatency::Counts sums{};
  a.add_to(sums);
  b.add_to(sums);
  EXPECT_NEAR(static_cast<double>(LiveLatency::percentile(sums, 50)), 5000, 5000.0 / 32);
  EXPECT_NEAR(static_cast<double>(LiveLatency::percentile(sums, 99)), 50000, 50000.0 / 32);
}

TEST(LiveLatency, ClampsHugeValues) {
  LiveLatency a;
  a.record(UINT64_MAX);
  LiveLatency::Counts sums{};
  a.add_to(sums);
  EXPECT_GT(LiveLatency::percentile(sums, 100), 1ull << 42);
}

}  // namespace
}  // namespace evb
