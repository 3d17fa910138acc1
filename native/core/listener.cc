#include "listener.h"
#include "portable.h"  // handbook: socket flags behind a portable call

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace evb {

int listener_open(const ListenOptions& o, const char** failed_call) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  char port[16];
  std::snprintf(port, sizeof port, "%d", o.port);
  addrinfo* res = nullptr;
  int gai = getaddrinfo(o.host.empty() ? nullptr : o.host.c_str(), port, &hints, &res);
  if (gai != 0) {
    *failed_call = "getaddrinfo";
    return gai == EAI_SYSTEM ? -errno : -EADDRNOTAVAIL;
  }
  int fd = stream_socket(res->ai_family);
  int err = 0;
  const char* call = "socket";
  if (fd >= 0) {
    int one = 1;
    call = "setsockopt(SO_REUSEADDR)";
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) err = errno;
    // Accepted sockets inherit TCP_NODELAY from the listener on Linux; the loop sets it again
    // on each accepted socket for the platforms that do not.
    if (err == 0) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (err == 0 && !o.exclusive_bind && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) {
      err = errno;
      call = "setsockopt(SO_REUSEPORT)";
    }
    if (err == 0 && bind(fd, res->ai_addr, res->ai_addrlen) < 0) {
      err = errno;
      call = "bind";
    }
    // Set after an exclusive bind: the listeners that bind next still join this one's port.
    if (err == 0 && o.exclusive_bind && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) {
      err = errno;
      call = "setsockopt(SO_REUSEPORT)";
    }
    if (err == 0 && o.fast_open > 0 &&
        setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN, &o.fast_open, sizeof o.fast_open) < 0) {
      err = errno;
      call = "setsockopt(TCP_FASTOPEN)";
    }
    if (err == 0 && listen(fd, o.backlog) < 0) {
      err = errno;
      call = "listen";
    }
  } else {
    err = errno;
  }
  freeaddrinfo(res);
  if (err != 0) {
    if (fd >= 0) close(fd);
    *failed_call = call;
    return -err;
  }
  return fd;
}

int listener_port(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) return -errno;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return -EAFNOSUPPORT;
}

}  // namespace evb
