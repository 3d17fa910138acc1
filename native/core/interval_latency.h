// The window's latencies second by second: one Histogram per second, kept sparse (only the
// non-empty buckets) once its second is over, so a long run costs memory in proportion to the
// distinct latencies it saw, not 37 KB a second. One per load thread (a thread's clock only
// moves forward, so its seconds end in order); merged across threads at the end, bucket by
// bucket, which is exact: histograms add. Nothing here is thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "histogram.h"

namespace evb {

class IntervalLatency {
 public:
  using Bucket = std::pair<uint32_t, uint64_t>;  // (bucket index in Histogram's layout, count)
  using Second = std::vector<Bucket>;            // increasing bucket index

  // Records one latency answered in second `sec` of the window.
  void record(size_t sec, uint64_t ns) {
    if (static_cast<int64_t>(sec) != current_) {
      flush();
      current_ = static_cast<int64_t>(sec);
    }
    open_.record(ns);
  }

  // Ends the open second (call once the thread is done recording).
  void flush();
  // Adds other's seconds to ours, bucket by bucket (both flushed).
  void merge(const IntervalLatency& other);
  // Keeps the first n seconds only (a run stopped early).
  void truncate(size_t n) {
    if (seconds_.size() > n) seconds_.resize(n);
  }

  const std::vector<Second>& seconds() const { return seconds_; }
  static uint64_t representative_ns(uint32_t index) { return Histogram::representative(index); }

 private:
  std::vector<Second> seconds_;  // index = second of the window; empty = no answer in it
  Histogram open_;               // the second being recorded
  int64_t current_ = -1;
};

}  // namespace evb
