// The load client: resolves the target, spreads the connections over T threads, runs them
// for warm-up + window (+ a short drain of in-flight answers) and merges what they counted.
// run() blocks; progress() and stop() may be called from any other thread meanwhile.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "live_latency.h"
#include "load_options.h"
#include "load_stats.h"

namespace evb {

struct LoadPlan;
class LoadThread;

struct LoadReport {
  LoadStats stats;
  double duration_s = 0;  // the window as measured (shorter when stopped early)
  const char* backend = "epoll";
  bool sqpoll = false;  // io_uring with a kernel submission-polling thread
  // From the load's start to when the last connection was first open (stats.connect); 0 when
  // none opened.
  double ramp_s = 0;
};

struct LoadProgress {
  enum Phase { kIdle, kWarmup, kMeasure, kDone };
  Phase phase = kIdle;
  double elapsed_s = 0;   // since the load started
  uint64_t requests = 0;  // answers received so far, warm-up included
  uint64_t errors = 0;
  uint64_t sent = 0;  // requests sent so far, warm-up included
  // p99 of the window so far: from the final histogram's buckets, so once the run is done it
  // is the final p99's bucket midpoint. 0 before any answer.
  uint64_t p99_ns = 0;
  // p99 of the last whole second of the window (once done: of the window's last second,
  // partial or not); 0 until the first second is over.
  uint64_t p99_last_second_ns = 0;
  uint64_t p50_last_second_ns = 0;  // the same second's median
  // The last whole second of the window (1-based; 0 until the first is over) and its answers,
  // summed from the counters the result's per-second timeline is made of.
  uint64_t last_second = 0;
  uint64_t last_second_requests = 0;
};

class LoadClient {
 public:
  explicit LoadClient(LoadOptions o);
  ~LoadClient();
  // Throws std::runtime_error when the run cannot start (address, poller); counted errors
  // (connect, reset, ...) never throw.
  LoadReport run();
  LoadProgress progress() const;
  void stop();
  const LoadOptions& options() const { return opts_; }

 private:
  void last_whole_second(LoadProgress& p) const;
  LoadOptions opts_;
  mutable std::mutex mu_;  // guards plan_ and threads_ against progress()/stop()
  std::unique_ptr<LoadPlan> plan_;
  std::vector<std::unique_ptr<LoadThread>> threads_;
  std::atomic<bool> stopped_{false};
  // progress()'s view of the seconds of the window, guarded by mu_: the summed counts when the
  // current second began (as first observed), its index, and the last finished second's p99.
  mutable std::vector<uint64_t> second_base_;
  mutable int64_t second_index_ = -1;
  mutable uint64_t last_second_p99_ = 0;
  mutable uint64_t last_second_p50_ = 0;
  std::atomic<bool> done_{false};
};

}  // namespace evb
