// One load thread: its own poller and connections, run to the end of the window, then drained.
// The hot path per response is: read (one syscall, large buffer), parse in place, one write
// of the replacement batch; no allocation and no poller change unless a write falls short.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "load_conn.h"
#include "load_plan.h"
#include "load_stats.h"
#include "live_latency.h"
#include "poller.h"

namespace evb {

class LoadThread {
 public:
  // Connections first_conn .. first_conn + count - 1 (global ids, used to stagger open loop).
  LoadThread(LoadPlan& plan, int index, int first_conn, int count);
  void run();
  void wake() { poller_.wake(); }

  LoadStats stats;
  std::string fatal;  // why the thread could not run at all (empty when it ran)
  // Published every loop turn for progress(): responses and errors at any time.
  std::atomic<uint64_t> progress_completed{0};
  std::atomic<uint64_t> progress_errors{0};
  // The window's latencies, coarse, readable while the thread runs (progress's p99).
  LiveLatency live_latency;

 private:
  bool open(LoadConn& c, uint64_t now);
  void close_conn(LoadConn& c);
  void fail(LoadConn& c, LoadError kind, uint64_t now);
  void restart(LoadConn& c, uint64_t now);
  void fill(LoadConn& c, uint64_t now);
  void flush(LoadConn& c, uint64_t now);
  void on_event(LoadConn& c, uint32_t events, uint64_t now);
  void on_connected(LoadConn& c, uint64_t now);
  void on_readable(LoadConn& c, uint64_t now);
  bool parse_http(LoadConn& c, uint64_t now);
  bool parse_echo(LoadConn& c, uint64_t now);
  bool complete(LoadConn& c, uint64_t now, int status);
  void set_write_interest(LoadConn& c, bool on);
  void sweep(uint64_t now);
  void count_error(LoadError kind, uint64_t now);
  bool in_window(uint64_t now) const { return now >= plan_.measure_start && now < plan_.measure_end; }
  uint64_t inflight_total() const;

  LoadPlan& plan_;
  int index_;
  Poller poller_;
  std::vector<std::unique_ptr<LoadConn>> conns_;
  uint64_t next_timer_ = 0;  // when sweep() must run next
  uint64_t sweep_ns_;        // the longest gap between two sweeps (timeouts, reconnects)
  bool draining_ = false;
  std::vector<char> scratch_;  // for moving a partial answer to the front of its buffer    // after the window: no new requests, only answers awaited
};

}  // namespace evb
