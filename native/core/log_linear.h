// The bucket layout HdrHistogram uses, fixed at compile time: values below 2^(SubBits+1) are
// their own bucket; above, each power of two is split into 2^SubBits equal buckets, so a bucket
// is never wider than 1/2^SubBits of its lowest value. Shared by the exact per-thread Histogram
// and the coarse LiveLatency.
#pragma once
#include <cstddef>
#include <cstdint>

namespace evb {

template <int SubBits, int MaxBits>
struct LogLinear {
  static constexpr int kSubBits = SubBits;
  static constexpr int kMaxBits = MaxBits;
  static constexpr uint64_t kExact = 2u << SubBits;                   // values below are their own bucket
  static constexpr uint64_t kMaxValue = (1ull << (MaxBits + 1)) - 1;  // larger values are clamped
  static constexpr size_t kBuckets = (MaxBits - SubBits + 1) * (1u << SubBits) + (1u << SubBits);

  static size_t index_of(uint64_t v) {
    if (v < kExact) return static_cast<size_t>(v);
    int m = 63 - __builtin_clzll(v);  // v in [2^m, 2^(m+1)), m >= SubBits + 1
    int shift = m - SubBits;          // v >> shift in [2^SubBits, 2^(SubBits+1))
    return static_cast<size_t>(shift) * (1u << SubBits) + static_cast<size_t>(v >> shift);
  }
  static uint64_t lowest(size_t i) {
    if (i < kExact) return i;
    size_t shift = i / (1u << SubBits) - 1;
    uint64_t sub = (i % (1u << SubBits)) + (1u << SubBits);
    return sub << shift;
  }
  static uint64_t width(size_t i) { return i < kExact ? 1 : 1ull << (i / (1u << SubBits) - 1); }
  static uint64_t representative(size_t i) { return lowest(i) + width(i) / 2; }
};

}  // namespace evb
