// Listening sockets for the server: one per loop thread, all bound to the same address with
// SO_REUSEPORT so the kernel spreads incoming connections over the loops.
#pragma once
#include <string>

namespace evb {

struct ListenOptions {
  std::string host = "127.0.0.1";
  int port = 0;        // 0: the kernel picks one (ask listener_port for it)
  int fast_open = 0;   // TCP_FASTOPEN queue length; 0 leaves it off
  int backlog = 4096;  // capped by net.core.somaxconn
  // Bind before enabling SO_REUSEPORT, so a port already in use (even by another reuseport
  // server of the same user, which the kernel would let us silently share) fails with
  // EADDRINUSE. The first listener binds this way; the others then join its port.
  bool exclusive_bind = true;
};

// Opens a nonblocking, close-on-exec listening socket. Returns the fd, or -errno with *failed_call
// naming the call that failed ("bind", "listen", ...).
int listener_open(const ListenOptions& options, const char** failed_call);

// The local port the socket is bound to, or -errno.
int listener_port(int fd);

}  // namespace evb
