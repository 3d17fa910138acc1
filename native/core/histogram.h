// A log-linear latency histogram in nanoseconds (HdrHistogram's layout, fixed size): values
// below 256 ns are exact; above, each power of two is split into 128 equal buckets, so a
// bucket is never wider than 1/128 of its lowest value and its midpoint is within 1/256.
// One per load thread, merged at the end; nothing here is thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "log_linear.h"

namespace evb {

class Histogram : public LogLinear<7, 42> {  // 128 buckets per power of two, up to 2^43 ns > 2 h
 public:
  Histogram() : counts_(kBuckets, 0) {}

  // Values above kMaxValue are clamped to it (and still counted).
  void record(uint64_t ns, uint64_t n = 1) {
    if (ns > kMaxValue) ns = kMaxValue;
    counts_[index_of(ns)] += n;
    total_ += n;
    sum_ += static_cast<double>(ns) * static_cast<double>(n);
    if (ns < min_) min_ = ns;
    if (ns > max_) max_ = ns;
  }

  void merge(const Histogram& other);
  void clear();

  uint64_t count() const { return total_; }
  uint64_t min() const { return total_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return total_ ? sum_ / static_cast<double>(total_) : 0.0; }
  // The representative value of the bucket holding the q-th percentile (q in [0, 100]).
  uint64_t percentile(double q) const;

  // Calls f(representative_ns, count) for every non-empty bucket, in increasing order.
  template <typename F>
  void for_each(F f) const {
    for (size_t i = 0; i < kBuckets; ++i)
      if (counts_[i] != 0) f(representative(i), counts_[i]);
  }
  // The same, by bucket index (IntervalLatency keeps indexes: exact, and smaller).
  template <typename F>
  void for_each_index(F f) const {
    for (size_t i = 0; i < kBuckets; ++i)
      if (counts_[i] != 0) f(i, counts_[i]);
  }

 private:
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace evb
