// The native event-loop server: N loop threads, each with its own SO_REUSEPORT listener and
// poller (server_loop.h). This class binds, starts, counts and stops them; it has no Node types.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server_counters.h"
#include "server_protocol.h"
#include "server_tls.h"

namespace evb {

// The loops' I/O: epoll (server_loop) or io_uring (server_uring); the protocol is shared.
enum class ServerBackend : uint8_t { kEpoll, kIoUring };

// "" when the backend can run here, else why not (no liburing in this build, io_uring disabled).
std::string server_backend_unavailable(ServerBackend b);

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 1;
  ServerMode mode = ServerMode::kHttp;
  int fast_open = 0;                   // TCP_FASTOPEN queue length; 0: off
  uint64_t max_body_bytes = 8u << 20;  // 413 above it
  std::vector<int> cpus;               // loop i is pinned to cpus[i % size]; empty: not pinned
  ServerTimeouts timeouts;             // header, body, idle (server_timeouts.h)
  ServerBackend backend = ServerBackend::kEpoll;
  // TLS (issue 24): a PEM certificate chain and its key turn it on for every connection (epoll
  // loops only); ktls asks OpenSSL to hand the records to the kernel where it can.
  std::string tls_cert;
  std::string tls_key;
  bool ktls = false;
  bool tls_early_data = false;  // accept TLS 1.3 early data (server_tls.h)
};

struct ServerStats {
  uint64_t counters[kServerCounterCount];
  uint64_t connections_open;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // close()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every loop's listener and starts the threads. Returns the port, or -errno with
  // *failed_call naming what failed (valid while the Server lives). Only once per Server.
  int listen(const char** failed_call);

  ServerStats stats() const;  // any thread

  // Wakes and joins the loops; every connection is closed. Idempotent; any thread but a loop's.
  void close();

 private:
  ServerOptions options_;
  std::unique_ptr<ServerCounters[]> counters_;
  std::vector<std::unique_ptr<ServerProtocol>> loops_;
  std::vector<std::thread> threads_;
  bool listened_ = false;
  TlsServerContext* tls_ = nullptr;  // shared by the loops (SSL_CTX is thread-safe for SSL_new)
  std::string tls_error_;            // what *failed_call points at when the TLS set-up failed
};

}  // namespace evb
