#include "interval_latency.h"

namespace evb {

void IntervalLatency::flush() {
  if (current_ < 0 || open_.count() == 0) return;
  size_t sec = static_cast<size_t>(current_);
  if (seconds_.size() <= sec) seconds_.resize(sec + 1);
  Second& out = seconds_[sec];
  out.clear();
  open_.for_each_index([&](size_t i, uint64_t n) { out.emplace_back(static_cast<uint32_t>(i), n); });
  open_.clear();
}

void IntervalLatency::merge(const IntervalLatency& other) {
  if (seconds_.size() < other.seconds_.size()) seconds_.resize(other.seconds_.size());
  for (size_t s = 0; s < other.seconds_.size(); ++s) {
    const Second& b = other.seconds_[s];
    if (b.empty()) continue;
    Second& a = seconds_[s];
    Second sum;
    sum.reserve(a.size() + b.size());
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
        sum.push_back(a[i++]);
      } else if (i == a.size() || b[j].first < a[i].first) {
        sum.push_back(b[j++]);
      } else {
        sum.emplace_back(a[i].first, a[i].second + b[j].second);
        ++i;
        ++j;
      }
    }
    a.swap(sum);
  }
}

}  // namespace evb
