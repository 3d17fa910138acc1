// A small misbehaving HTTP server on 127.0.0.1 for the load client's tests: one thread per
// connection, blocking sockets with short receive timeouts so every thread ends soon after
// stop(). Each behaviour is one way a server can be hostile to a load generator.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace evb {

class HostilePeer {
 public:
  enum Behavior {
    kOk,            // 200, Content-Length: 13, keep-alive
    kCloseHeader,   // answers the first request with Connection: close, then closes
    kCloseSilent,   // answers the first request (no close header), then closes
    kStall,         // reads, never answers
    kShortLength,   // Content-Length: 5 with a 13-byte body
    kLongLength,    // Content-Length: 100 with a 13-byte body
    kGarbage,       // bytes that are not HTTP
    kHuge,          // a 10 MB body per request
    kDrip,          // the answer one byte every 20 ms
    kEndlessHead,   // header lines without end
    kTenthDiffers,  // every 10th answer (over all connections) a 404 with a 14-byte chunked body
  };

  explicit HostilePeer(Behavior b) : behavior_(b) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(listen_fd_, 512);
    socklen_t len = sizeof a;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~HostilePeer() { stop(); }

  void stop() {
    if (stopping_.exchange(true)) return;
    acceptor_.join();
    std::vector<std::thread> ts;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ts.swap(threads_);
    }
    for (auto& t : ts) t.join();
    ::close(listen_fd_);
  }

  int port() const { return port_; }
  uint64_t answered() const { return answered_.load(); }

 private:
  void accept_loop() {
    while (!stopping_.load()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      timeval tv{0, 20000};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      std::lock_guard<std::mutex> lock(mu_);
      threads_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // Writes all of s unless the peer goes away or the server stops.
  bool send_all(int fd, const char* p, size_t n) {
    while (n != 0 && !stopping_.load()) {
      ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
      if (w > 0) {
        p += w;
        n -= static_cast<size_t>(w);
      } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        continue;
      } else {
        return false;
      }
    }
    return n == 0;
  }

  // One answer for one request; false when the connection must end.
  bool answer(int fd, bool first) {
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!";
    std::string out;
    switch (behavior_) {
      case kOk: out = ok; break;
      case kCloseHeader: out = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, World!"; break;
      case kCloseSilent: out = ok; break;
      case kTenthDiffers:
        out = nth_.fetch_add(1) % 10 == 9 ? "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nHello, "
                                            "\r\n7\r\nWorld!!\r\n0\r\n\r\n"
                                          : ok;
        break;
      case kStall: return true;
      case kShortLength: out = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHello, World!"; break;
      case kLongLength: out = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHello, World!"; break;
      case kGarbage: out = "\x01\x02 not http at all\r\n\r\n"; break;
      case kHuge: {
        static const std::string huge =
            "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n" + std::string(10485760, 'x');
        out = huge;
        break;
      }
      case kDrip:
        for (const char* p = ok; *p && !stopping_.load(); ++p) {
          if (!send_all(fd, p, 1)) return false;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return true;
      case kEndlessHead: {
        if (!first) return true;
        std::string line = "HTTP/1.1 200 OK\r\n";
        while (!stopping_.load() && send_all(fd, line.data(), line.size()))
          line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
        return false;
      }
    }
    if (!send_all(fd, out.data(), out.size())) return false;
    answered_.fetch_add(1);
    return behavior_ != kCloseHeader && behavior_ != kCloseSilent;
  }

  void serve(int fd) {
    std::string buf;
    char tmp[16384];
    bool first = true;
    while (!stopping_.load()) {
      ssize_t r = recv(fd, tmp, sizeof tmp, 0);
      if (r == 0) break;
      if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
        break;
      }
      buf.append(tmp, static_cast<size_t>(r));
      size_t end;
      bool open = true;
      while (open && (end = buf.find("\r\n\r\n")) != std::string::npos) {
        buf.erase(0, end + 4);
        open = answer(fd, first);
        first = false;
      }
      if (!open) break;
    }
    ::close(fd);
  }

  Behavior behavior_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> answered_{0};
  std::atomic<uint64_t> nth_{0};  // kTenthDiffers: answers decided so far
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

}  // namespace evb
