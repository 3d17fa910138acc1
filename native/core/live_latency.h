// A latency histogram that another thread may read while its owner records, with exactly the
// bucket layout of the final Histogram (LogLinear<7, 42>), so that the live figures and the
// final ones come from the same buckets: read after the run, the live p99 of the window is the
// final p99's bucket. Relaxed atomics, one writer per instance: a relaxed load and store, not
// a locked add, keeps recording cheap. progress() sums the threads' counts (37 KB each).
#pragma once
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "log_linear.h"

namespace evb {

class LiveLatency : public LogLinear<7, 42> {  // the Histogram's layout: 128 buckets per power of two
 public:
  using Counts = std::vector<uint64_t>;  // kBuckets entries

  LiveLatency() : counts_(new std::atomic<uint64_t>[kBuckets]) {
    for (size_t i = 0; i < kBuckets; ++i) counts_[i].store(0, std::memory_order_relaxed);
  }

  static Counts empty() { return Counts(kBuckets, 0); }

  void record(uint64_t ns) {
    if (ns > kMaxValue) ns = kMaxValue;
    std::atomic<uint64_t>& c = counts_[index_of(ns)];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  void add_to(Counts& sums) const {
    for (size_t i = 0; i < kBuckets; ++i) sums[i] += counts_[i].load(std::memory_order_relaxed);
  }

  // The midpoint of the bucket holding the q-th percentile of `sums` minus `base` (counts taken
  // earlier: the percentile of what was recorded in between); the rank rule is Histogram's.
  // 0 when nothing was recorded.
  static uint64_t percentile(const Counts& sums, double q, const Counts* base = nullptr) {
    uint64_t total = 0;
    for (size_t i = 0; i < kBuckets; ++i) total += sums[i] - (base ? (*base)[i] : 0);
    if (total == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(std::ceil(q / 100.0 * static_cast<double>(total)));
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
      seen += sums[i] - (base ? (*base)[i] : 0);
      if (seen >= rank) return representative(i);
    }
    return lowest(kBuckets - 1);
  }

 private:
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
};

}  // namespace evb
