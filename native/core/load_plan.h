// Everything the load threads share, fixed before they start (only `stop` changes later).
#pragma once
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "load_options.h"
#include "load_request.h"

namespace evb {

struct LoadPlan {
  LoadPlan(const LoadOptions& o, const sockaddr_storage& a, socklen_t alen)
      : opts(o), addr(a), addr_len(alen), batch(load_request_build(o), o.pipeline) {}

  LoadOptions opts;
  sockaddr_storage addr;
  socklen_t addr_len;
  RequestBatch batch;
  bool head_request = false;   // HEAD: responses carry no body
  uint64_t t0 = 0;             // load starts (warm-up begins)
  uint64_t measure_start = 0;  // warm-up ends, the window begins
  uint64_t measure_end = 0;    // the window ends; in-flight requests are then drained
  uint64_t interval_ns = 0;    // open loop: mean gap between two requests of one active connection; 0 = closed loop
  std::vector<sockaddr_storage> sources;  // opts.source_addresses, resolved (same family as addr)
  socklen_t source_len = 0;
  int active = 0;  // connections that send (opts.active resolved)
  std::atomic<bool> stop{false};
  // Request budget (opts.requests): requests not yet claimed by a thread; a thread claims its
  // batch before sending and gives back the places of requests that failed.
  std::atomic<uint64_t> budget_left{0};
};

}  // namespace evb
