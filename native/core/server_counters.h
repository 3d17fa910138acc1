// Counters of the native server, one block per loop thread. Each block has a single writer (its
// loop), so a bump is a relaxed load and store, not a locked add; stats() sums the blocks from
// any thread with relaxed loads. Errors are counted by kind, never fatal to the server.
#pragma once
#include <atomic>
#include <cstdint>

namespace evb {

enum ServerCounter : int {
  kConnAccepted,  // connections accepted, cumulative
  kConnClosed,    // connections closed, cumulative (open = accepted - closed)
  kRequests,      // HTTP: requests answered; echo: bytes echoed
  kBytesIn,
  kBytesOut,
  kErrParse,           // 400: malformed request line, header or chunk framing
  kErrHeaderTooLarge,  // 431
  kErrBodyTooLarge,    // 413
  kErrAccept,          // accept4 failures other than fd exhaustion
  kErrEmfile,          // connections shed because the process ran out of descriptors
  kErrReset,           // ECONNRESET / EPIPE from the peer
  kErrIo,              // other read/write errors, out of memory for a buffer
  kTimeoutHeader,      // closed: a request head (or the first one) did not arrive within the header timeout
  kTimeoutBody,        // closed: no body bytes arrived for the body timeout
  kTimeoutIdle,        // closed: idle between requests, or output unread by the peer, for the idle timeout
  kTlsHandshakes,      // TLS: full handshakes completed
  kTlsResumed,         // TLS: resumed handshakes completed (session tickets)
  kKtlsSend,           // TLS: connections whose sending the kernel took over (kTLS)
  kTlsEarlyData,       // TLS: resumed handshakes whose early data was accepted (--tls-early-data)
  kErrTls,             // TLS: connections closed on a TLS failure (bad record, alert, plain-text client)
  kServerCounterCount
};

// Names as reported by stats(), indexed by ServerCounter.
inline const char* server_counter_name(int i) {
  static const char* const kNames[kServerCounterCount] = {
      "connectionsTotal", "connectionsClosed", "requests",          "bytesIn",
      "bytesOut",         "errParse",          "errHeaderTooLarge", "errBodyTooLarge",
      "errAccept",        "errEmfile",         "errReset",          "errIo",
      "timeoutHeader",    "timeoutBody",       "timeoutIdle",       "tlsHandshakes",
      "tlsResumed",       "ktlsSend",          "tlsEarlyData",      "errTls"};
  return kNames[i];
}

struct alignas(64) ServerCounters {
  std::atomic<uint64_t> v[kServerCounterCount] = {};

  void bump(ServerCounter c, uint64_t n = 1) {
    v[c].store(v[c].load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  uint64_t get(ServerCounter c) const { return v[c].load(std::memory_order_relaxed); }
};

}  // namespace evb
