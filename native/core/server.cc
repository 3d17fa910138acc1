#include "server.h"

#include <unistd.h>

#include <cerrno>

#include "listener.h"
#include "server_loop.h"
#include "server_uring.h"

namespace evb {

std::string server_backend_unavailable(ServerBackend b) {
  return b == ServerBackend::kIoUring ? uring_server_unavailable() : "";
}

Server::Server(ServerOptions options)
    : options_(std::move(options)), counters_(new ServerCounters[options_.threads > 0 ? options_.threads : 1]) {}

Server::~Server() {
  close();
  tls_context_free(tls_);  // after the loops: their connections' SSLs hold references to it
}

int Server::listen(const char** failed_call) {
  if (listened_) {
    *failed_call = "listen (already listening)";
    return -EALREADY;
  }
  if (options_.threads < 1) {
    *failed_call = "threads";
    return -EINVAL;
  }
  if (options_.backend == ServerBackend::kIoUring && !server_backend_unavailable(options_.backend).empty()) {
    *failed_call = "io_uring (unavailable here)";
    return -ENOSYS;
  }
  if (!options_.tls_cert.empty()) {
    if (options_.backend == ServerBackend::kIoUring) {
      *failed_call = "TLS (the io_uring loops have no TLS: use backend epoll)";
      return -ENOTSUP;
    }
    tls_ = tls_context_new(options_.tls_cert, options_.tls_key, options_.ktls, options_.tls_early_data, &tls_error_);
    if (tls_ == nullptr) {
      tls_error_ = "TLS: " + tls_error_;
      *failed_call = tls_error_.c_str();
      return -EINVAL;
    }
  }
  listened_ = true;
  ListenOptions lo;
  lo.host = options_.host;
  lo.port = options_.port;
  lo.fast_open = options_.fast_open;

  // Port 0: the first listener learns the port from the kernel; the others join it through
  // SO_REUSEPORT.
  std::vector<int> fds;
  int port = options_.port;
  for (int i = 0; i < options_.threads; ++i) {
    lo.port = port;
    lo.exclusive_bind = i == 0;
    int fd = listener_open(lo, failed_call);
    if (fd >= 0 && i == 0) {
      port = listener_port(fd);
      if (port < 0) {
        ::close(fd);
        *failed_call = "getsockname";
        fd = port;
      }
    }
    if (fd < 0) {
      for (int f : fds) ::close(f);
      return fd;
    }
    fds.push_back(fd);
  }

  LoopConfig config;
  config.mode = options_.mode;
  config.max_body_bytes = options_.max_body_bytes;
  config.timeouts = options_.timeouts;
  config.tls = tls_;
  for (int i = 0; i < options_.threads; ++i) {
    config.cpu = options_.cpus.empty() ? -1 : options_.cpus[static_cast<size_t>(i) % options_.cpus.size()];
    int fd = fds[static_cast<size_t>(i)];
    if (options_.backend == ServerBackend::kIoUring)
      loops_.push_back(make_uring_server_loop(config, fd, &counters_[i]));
    else
      loops_.push_back(std::make_unique<ServerLoop>(config, fd, &counters_[i]));
    if (int err = loops_.back()->init_error()) {
      for (size_t j = static_cast<size_t>(i) + 1; j < fds.size(); ++j) ::close(fds[j]);
      *failed_call = loops_.back()->init_call();  // a string literal: outlives the loop
      loops_.clear();                             // the loops made so far close their own listeners
      return -err;
    }
  }
  for (auto& loop : loops_) {
    ServerProtocol* l = loop.get();
    threads_.emplace_back([l] { l->run(); });
  }
  return port;
}

ServerStats Server::stats() const {
  ServerStats s{};
  int n = options_.threads > 0 ? options_.threads : 1;
  for (int t = 0; t < n; ++t) {
    for (int i = 0; i < kServerCounterCount; ++i) s.counters[i] += counters_[t].get(static_cast<ServerCounter>(i));
  }
  uint64_t accepted = s.counters[kConnAccepted], closed = s.counters[kConnClosed];
  s.connections_open = accepted > closed ? accepted - closed : 0;  // the two are read apart
  return s;
}

void Server::close() {
  for (auto& loop : loops_) loop->stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  loops_.clear();  // destructors close connections and listeners on this thread, loops stopped
}

}  // namespace evb
