// The io_uring backend of the native server's loops (issue 17): the protocol is ServerProtocol's
// (server_protocol.h), as for epoll; only the way bytes move differs.
#pragma once
#include <memory>
#include <string>

#include "server_protocol.h"

namespace evb {

// "" when a loop can run here; else why not (no liburing at build time, io_uring_setup refused,
// an operation or feature the kernel lacks).
std::string uring_server_unavailable();

// Takes ownership of listen_fd. nullptr in a build without liburing (check the above first).
std::unique_ptr<ServerProtocol> make_uring_server_loop(const LoopConfig& config, int listen_fd,
                                                       ServerCounters* counters);

}  // namespace evb
