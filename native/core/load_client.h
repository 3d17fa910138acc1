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

#include "load_options.h"
#include "load_stats.h"

namespace evb {

struct LoadPlan;
class LoadThread;

struct LoadReport {
  LoadStats stats;
  double duration_s = 0;  // the window as measured (shorter when stopped early)
  const char* backend = "epoll";
};

struct LoadProgress {
  enum Phase { kIdle, kWarmup, kMeasure, kDone };
  Phase phase = kIdle;
  double elapsed_s = 0;  // since the load started
  uint64_t requests = 0;  // answers received so far, warm-up included
  uint64_t errors = 0;
  uint64_t sent = 0;  // requests sent so far, warm-up included
  uint64_t p99_ns = 0;  // of the window so far, coarse (LiveLatency); 0 before any answer
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

 private:
  LoadOptions opts_;
  mutable std::mutex mu_;  // guards plan_ and threads_ against progress()/stop()
  std::unique_ptr<LoadPlan> plan_;
  std::vector<std::unique_ptr<LoadThread>> threads_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> done_{false};
};

}  // namespace evb
