#include "histogram.h"

#include <cmath>

namespace evb {

void Histogram::merge(const Histogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  sum_ += other.sum_;
  if (other.total_ && other.min_ < min_) min_ = other.min_;
  if (other.max_ > max_) max_ = other.max_;
}

void Histogram::clear() {
  for (auto& c : counts_) c = 0;
  total_ = 0;
  sum_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
}

uint64_t Histogram::percentile(double q) const {
  if (total_ == 0) return 0;
  if (q <= 0) return min_;  // the smallest value is known exactly, not just its bucket
  if (q > 100) q = 100;
  // The rank of the q-th percentile, at least 1 so that p0 is the smallest value.
  uint64_t rank = static_cast<uint64_t>(std::ceil(q / 100.0 * static_cast<double>(total_)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      uint64_t v = representative(i);
      // The extremes are known exactly; a midpoint must not lie outside them.
      if (v > max_) v = max_;
      if (v < min_) v = min_;
      return v;
    }
  }
  return max_;
}

}  // namespace evb
