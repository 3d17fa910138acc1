// A log-linear latency histogram in nanoseconds (HdrHistogram's layout, fixed size): values
// below 256 ns are exact; above, each power of two is split into 128 equal buckets, so a
// bucket is never wider than 1/128 of its lowest value and its midpoint is within 1/256.
// One per load thread, merged at the end; nothing here is thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace evb {

class Histogram {
 public:
  static constexpr int kSubBits = 7;                        // 128 buckets per power of two
  static constexpr uint64_t kExact = 2u << kSubBits;        // values below are their own bucket
  static constexpr int kMaxBits = 42;                       // 2^43 ns > 2 h
  static constexpr uint64_t kMaxValue = (1ull << (kMaxBits + 1)) - 1;
  static constexpr size_t kBuckets = (kMaxBits - kSubBits + 1) * (1u << kSubBits) + (1u << kSubBits);

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

  static size_t index_of(uint64_t v) {
    if (v < kExact) return static_cast<size_t>(v);
    int m = 63 - __builtin_clzll(v);  // v in [2^m, 2^(m+1)), m >= kSubBits + 1
    int shift = m - kSubBits;         // v >> shift in [128, 256)
    return static_cast<size_t>(shift) * (1u << kSubBits) + static_cast<size_t>(v >> shift);
  }
  static uint64_t lowest(size_t i) {
    if (i < kExact) return i;
    size_t shift = i / (1u << kSubBits) - 1;
    uint64_t sub = (i % (1u << kSubBits)) + (1u << kSubBits);
    return sub << shift;
  }
  static uint64_t width(size_t i) { return i < kExact ? 1 : 1ull << (i / (1u << kSubBits) - 1); }
  static uint64_t representative(size_t i) { return lowest(i) + width(i) / 2; }

 private:
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace evb
