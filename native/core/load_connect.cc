#include "load_connect.h"

#include <netinet/in.h>

#include <cerrno>

namespace evb {

ConnectError connect_error_kind(int err) {
  switch (err) {
    case ECONNREFUSED: return kConnErrRefused;
    case ETIMEDOUT: return kConnErrTimeout;
    case EADDRNOTAVAIL:
    case EADDRINUSE: return kConnErrAddrNotAvail;
    case EMFILE:
    case ENFILE: return kConnErrDescriptors;
    case ECONNRESET:
    case EPIPE: return kConnErrReset;
    case ENETUNREACH:
    case EHOSTUNREACH: return kConnErrUnreachable;
    default: return kConnErrOther;
  }
}

const char* connect_error_name(ConnectError kind) {
  static const char* const kNames[kConnErrKinds] = {"refused", "timeout",     "addrNotAvail", "descriptors",
                                                    "reset",   "unreachable", "other"};
  return kNames[kind];
}

ConnectPacer::ConnectPacer(double per_second, uint64_t start_ns) : next_ns_(start_ns) {
  if (per_second > 0) interval_ns_ = static_cast<uint64_t>(1e9 / per_second + 0.5);
  if (interval_ns_ == 0 && per_second > 0) interval_ns_ = 1;
}

bool ConnectPacer::take(uint64_t now) {
  if (interval_ns_ == 0) return true;
  if (now < next_ns_) return false;
  // A loop that wakes a little late (the poller's timeout is in milliseconds) catches up, so
  // the rate is the one asked for; one that was held up for longer starts again from now
  // rather than opening a burst, so the rate asked for stays a ceiling.
  if (now - next_ns_ > kMaxLagNs) next_ns_ = now;
  next_ns_ += interval_ns_;
  return true;
}

int bind_source(int fd, const sockaddr_storage& source, socklen_t len) {
#ifdef IP_BIND_ADDRESS_NO_PORT
  int one = 1;
  if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) < 0) return errno;
#endif
  if (bind(fd, reinterpret_cast<const sockaddr*>(&source), len) < 0) return errno;
  return 0;
}

}  // namespace evb
