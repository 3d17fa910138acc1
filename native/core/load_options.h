// What a load run is asked to do. Validated in JS (src/load/native-addon.ts); C++ trusts it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace evb {

struct LoadOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 1;
  int connections = 1;  // spread over the threads
  int pipeline = 1;     // requests in flight per connection
  double rate = 0;      // total requests per second; 0 = closed loop
  bool keep_alive = true;
  bool fast_open = false;  // TCP_FASTOPEN_CONNECT on every connect
  bool echo = false;       // raw TCP: a message of body_bytes, answered by the same bytes
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  size_t body_bytes = 0;
  // A literal body (bytes as given; Content-Length from its size). When set it replaces the
  // pattern of body_bytes, in echo mode too.
  std::string body;
  bool has_body = false;
  double warmup_s = 0;
  double duration_s = 1;
  int64_t timeout_ms = 2000;
  // How long a connect may take before it counts as a connect error; 0 = timeout_ms (and then
  // a connect that does not finish counts as a timeout, as before the field existed).
  int64_t connect_timeout_ms = 0;
  std::vector<int> cpus;  // thread i is pinned to cpus[i % size]; empty = not pinned
  // Request budget: the run ends once this many requests were answered (warm-up included), or
  // at the end of the window if that comes first. 0 = no budget. A failed request's place in
  // the budget is given back, so a budget run that ends on its own has exactly this many answers.
  uint64_t requests = 0;
  // --check: every answer compared with the expected one; a field is checked when set.
  int check_status = 0;       // 0 = not checked
  int64_t check_length = -1;  // body length after de-chunking; -1 = not checked
  bool check_body = false;    // compare the body's FNV-1a 64 hash (http_response.h) with:
  uint64_t check_body_hash = 0;
  enum Backend { kEpoll, kIoUring };
  Backend backend = kEpoll;
  bool sqpoll = false;  // io_uring: a kernel thread polls the submission queue (burns a core)
  // Connection scaling. Numeric addresses of the target's family; connection i binds to
  // source_addresses[i % size] (empty = the kernel chooses, as before).
  std::vector<std::string> source_addresses;
  double connect_rate = 0;  // connects per second over all threads; 0 = as fast as they go
  // Connections that send (spread evenly over the ids); the others are held open and idle.
  // -1 = all. With rate > 0 the rate is spread over the active ones only.
  int active = -1;
  bool poisson = false;  // open loop: exponential gaps (a Poisson process per connection)
  uint64_t seed = 1;     // the arrival PRNG's seed (load_arrival.h)
  // https: every connection speaks TLS (load_tls.h); the server name is `host`.
  bool tls = false;
  std::string tls_ca_file;    // "" = the system store
  bool tls_insecure = false;  // no certificate check
  std::string tls_alpn = "http/1.1";
  bool tls_resume = false;      // offer the last session ticket on reconnect
  bool tls_early_data = false;  // with tls_resume: a connection's first requests as TLS 1.3 early data
  // HTTP/2 (load_h2.h): h2c with prior knowledge over plain TCP, h2 over TLS (ALPN h2).
  bool h2 = false;
  int h2_streams = 1;      // concurrent streams per connection (replaces pipeline)
  uint32_t h2_window = 0;  // receive window asked of the server; 0 = nghttp2's default
};

}  // namespace evb
