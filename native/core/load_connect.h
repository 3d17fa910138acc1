// Connections as a measured quantity: connect errors by kind (from the errno that failed the
// connect), the connect latency distribution, the ramp (how fast N connections were first
// opened), the pacing of connects (--connect-rate) and the source address a socket binds to.
#pragma once
#include <sys/socket.h>

#include <cstdint>

#include "histogram.h"

namespace evb {

enum ConnectError {
  kConnErrRefused,       // ECONNREFUSED: nothing listens, or the backlog is full
  kConnErrTimeout,       // ETIMEDOUT or the connect timeout passed
  kConnErrAddrNotAvail,  // EADDRNOTAVAIL / EADDRINUSE: the source address has no port left
  kConnErrDescriptors,   // EMFILE / ENFILE: the process or system is out of descriptors
  kConnErrReset,         // ECONNRESET / EPIPE during the handshake
  kConnErrUnreachable,   // ENETUNREACH / EHOSTUNREACH
  kConnErrOther,
  kConnErrKinds
};

ConnectError connect_error_kind(int err);
const char* connect_error_name(ConnectError kind);

// Counted over the whole run (connections are opened during the ramp, before the window).
struct ConnectStats {
  uint64_t attempts = 0;  // connect() calls made (a socket that could not be made counts too)
  uint64_t opened = 0;    // connects that succeeded
  uint64_t errors[kConnErrKinds] = {};
  uint64_t first_opened = 0;  // connections open at least once (<= the connections asked for)
  uint64_t ramp_end_ns = 0;   // when the last of those was first open (absolute clock)
  // CPU time of the load threads from their start until each had all its connections open
  // once (summed over the threads; a thread whose connections never all opened adds nothing).
  uint64_t ramp_cpu_ns = 0;
  Histogram latency;  // nanoseconds from connect() to established

  void merge(const ConnectStats& o) {
    attempts += o.attempts;
    opened += o.opened;
    for (int i = 0; i < kConnErrKinds; ++i) errors[i] += o.errors[i];
    first_opened += o.first_opened;
    if (o.ramp_end_ns > ramp_end_ns) ramp_end_ns = o.ramp_end_ns;
    ramp_cpu_ns += o.ramp_cpu_ns;
    latency.merge(o.latency);
  }
};

// Spaces connects evenly at `per_second` (0 = no pacing): take() says whether one may start now,
// next() when the next may. A lag of up to kMaxLagNs is caught up, a longer one is forgotten.
class ConnectPacer {
 public:
  ConnectPacer(double per_second, uint64_t start_ns);
  bool take(uint64_t now);
  uint64_t next() const { return next_ns_; }
  bool paced() const { return interval_ns_ != 0; }
  static constexpr uint64_t kMaxLagNs = 100000000;  // 100 ms

 private:
  uint64_t interval_ns_ = 0;
  uint64_t next_ns_ = 0;
};

// Binds fd to `source` with IP_BIND_ADDRESS_NO_PORT (the port is chosen at connect(), per
// destination, so one source address serves the whole ephemeral range for each target).
// Returns 0 or the errno of the failing call.
int bind_source(int fd, const sockaddr_storage& source, socklen_t len);

}  // namespace evb
