// What one load thread counted; merged across threads at the end. Errors are counted by kind
// and never stop a run (wrk's way): the count is the finding.
#pragma once
#include <cstdint>
#include <vector>

#include "histogram.h"

namespace evb {

enum LoadError { kErrConnect, kErrReset, kErrTimeout, kErrBadResponse, kErrStatus, kErrKinds };

struct LoadStats {
  uint64_t requests = 0;         // responses completed inside the measurement window
  uint64_t bytes_read = 0;       // bytes read inside the window
  uint64_t errors[kErrKinds] = {};  // inside the window
  uint64_t status[6] = {};       // responses inside the window by status / 100 (1xx..5xx)
  uint64_t completed_total = 0;  // responses completed at any time: warm-up, window, drain
  uint64_t errors_total = 0;     // errors at any time
  std::vector<uint64_t> per_second;  // responses per second of the window
  Histogram latency;             // nanoseconds, inside the window

  void merge(const LoadStats& o) {
    requests += o.requests;
    bytes_read += o.bytes_read;
    for (int i = 0; i < kErrKinds; ++i) errors[i] += o.errors[i];
    for (int i = 0; i < 6; ++i) status[i] += o.status[i];
    completed_total += o.completed_total;
    errors_total += o.errors_total;
    if (per_second.size() < o.per_second.size()) per_second.resize(o.per_second.size(), 0);
    for (size_t i = 0; i < o.per_second.size(); ++i) per_second[i] += o.per_second[i];
    latency.merge(o.latency);
  }
};

}  // namespace evb
