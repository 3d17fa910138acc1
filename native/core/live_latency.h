// A coarse latency histogram that another thread may read while its owner records: 16 buckets
// per power of two (within 1/32 of a value at the bucket's midpoint), relaxed atomics. It exists
// only so progress() can show a p99 while the load runs; the exact figures come from Histogram.
// One writer per instance: a relaxed load and store, not a locked add, keeps recording cheap.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "log_linear.h"

namespace evb {

class LiveLatency : public LogLinear<4, 42> {  // 16 buckets per power of two
 public:
  using Counts = std::array<uint64_t, kBuckets>;

  void record(uint64_t ns) {
    if (ns > kMaxValue) ns = kMaxValue;
    std::atomic<uint64_t>& c = counts_[index_of(ns)];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  void add_to(Counts& sums) const {
    for (size_t i = 0; i < kBuckets; ++i) sums[i] += counts_[i].load(std::memory_order_relaxed);
  }

  // The midpoint of the bucket holding the q-th percentile of summed counts; 0 when empty.
  static uint64_t percentile(const Counts& sums, double q) {
    uint64_t total = 0;
    for (uint64_t c : sums) total += c;
    if (total == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(q / 100.0 * static_cast<double>(total) + 0.5);
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
      seen += sums[i];
      if (seen >= rank) return representative(i);
    }
    return lowest(kBuckets - 1);
  }

 private:
  std::array<std::atomic<uint64_t>, kBuckets> counts_{};
};

}  // namespace evb
