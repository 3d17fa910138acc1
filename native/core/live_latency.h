// A coarse latency histogram that another thread may read while its owner records: 16 buckets
// per power of two (within 1/32 of a value at the bucket's midpoint), relaxed atomics. It exists
// only so progress() can show a p99 while the load runs; the exact figures come from Histogram.
// One writer per instance: a relaxed load and store, not a locked add, keeps recording cheap.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace evb {

class LiveLatency {
 public:
  static constexpr int kSubBits = 4;
  static constexpr int kMaxBits = 42;
  static constexpr uint64_t kExact = 2u << kSubBits;
  static constexpr size_t kBuckets = (kMaxBits - kSubBits + 1) * (1u << kSubBits) + (1u << kSubBits);
  using Counts = std::array<uint64_t, kBuckets>;

  void record(uint64_t ns) {
    if (ns >> (kMaxBits + 1)) ns = (1ull << (kMaxBits + 1)) - 1;
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
      if (seen >= rank) return lowest(i) + width(i) / 2;
    }
    return lowest(kBuckets - 1);
  }

  static size_t index_of(uint64_t v) {
    if (v < kExact) return static_cast<size_t>(v);
    int m = 63 - __builtin_clzll(v);
    int shift = m - kSubBits;
    return static_cast<size_t>(shift) * (1u << kSubBits) + static_cast<size_t>(v >> shift);
  }
  static uint64_t lowest(size_t i) {
    if (i < kExact) return i;
    size_t shift = i / (1u << kSubBits) - 1;
    uint64_t sub = (i % (1u << kSubBits)) + (1u << kSubBits);
    return sub << shift;
  }
  static uint64_t width(size_t i) { return i < kExact ? 1 : 1ull << (i / (1u << kSubBits) - 1); }

 private:
  std::array<std::atomic<uint64_t>, kBuckets> counts_{};
};

}  // namespace evb
