// TLS for the load client (OpenSSL 3): one client context per load thread (no lock shared
// between threads on the hot path), a session kept for resumption, handshakes and their
// failures counted by kind. Built only when CMake found OpenSSL (EVB_HAVE_TLS); without it
// tls_unavailable() says why and nothing here is used.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "histogram.h"

struct ssl_st;
struct ssl_ctx_st;
struct ssl_session_st;

namespace evb {

// Why a handshake failed. A failure after the handshake (a bad record, an alert mid-stream) is
// a kAlert or kHandshake too: the connection's requests are lost as tls errors.
enum TlsError {
  kTlsErrHandshake,    // the peer spoke no TLS (a plain server), or the handshake broke off
  kTlsErrCertificate,  // the server's certificate did not verify (chain, name, dates)
  kTlsErrAlert,        // the server sent a fatal alert
  kTlsErrTimeout,      // no handshake within the connect timeout
  kTlsErrAlpn,         // the server did not select the protocol asked for (ALPN)
  kTlsErrKinds
};
const char* tls_error_name(TlsError kind);

struct TlsStats {
  uint64_t handshakes = 0;           // completed, full and resumed
  uint64_t resumed = 0;              // of those, resumed from a session ticket
  uint64_t early_data_sent = 0;      // connections whose first requests went as TLS 1.3 early data
  uint64_t early_data_accepted = 0;  // of those, accepted by the server (the others were sent again)
  uint64_t errors[kTlsErrKinds] = {};
  Histogram latency;  // nanoseconds from the TCP connect's end to the handshake's end
  // As negotiated on the first completed handshake ("" before one).
  std::string version, cipher, alpn;

  void merge(const TlsStats& o) {
    handshakes += o.handshakes;
    resumed += o.resumed;
    early_data_sent += o.early_data_sent;
    early_data_accepted += o.early_data_accepted;
    for (int i = 0; i < kTlsErrKinds; ++i) errors[i] += o.errors[i];
    latency.merge(o.latency);
    if (version.empty()) {
      version = o.version;
      cipher = o.cipher;
      alpn = o.alpn;
    }
  }
};

struct TlsOptions {
  std::string server_name;  // the URL's host: SNI (when a name) and the name the certificate must carry
  std::string ca_file;      // "" = the system store
  bool insecure = false;    // no certificate check
  std::string alpn;         // "http/1.1" or "h2"; "" = no ALPN
  bool resume = false;      // offer the last session ticket on every new connection
  bool early_data = false;  // with resume: the first requests as early data where the ticket allows
};

// "" when this build speaks TLS, else why not (and how to fix it).
std::string tls_unavailable();
// The OpenSSL version the build runs with ("" without TLS).
std::string tls_library_version();

// One thread's TLS: its context, and the session it resumes.
class TlsClient {
 public:
  TlsClient() = default;
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;
  ~TlsClient();

  // "" or why the context could not be made (a CA file that does not load).
  std::string init(const TlsOptions& o);
  // A client connection on the connected socket fd, nullptr when memory ran out.
  ssl_st* start(int fd);
  // A client connection over two memory BIOs, for a completion backend (io_uring): the ring
  // receives ciphertext that feed() hands to OpenSSL, and sends what take_output() drains.
  ssl_st* start_memory();
  void feed(ssl_st* s, const char* p, size_t n);
  // Appends the ciphertext OpenSSL has produced to *out; returns how many bytes.
  size_t take_output(ssl_st* s, std::string* out);
  enum Step { kDone, kWantRead, kWantWrite, kFailed, kClosed };
  // Drives the handshake; on kFailed *why is its kind.
  Step handshake(ssl_st* s, TlsError* why);
  // After kDone: counts the handshake (latency_ns) and notes what was negotiated; false (and
  // *why) when the server did not select the ALPN protocol asked for.
  bool finished(ssl_st* s, uint64_t latency_ns, TlsStats* stats, TlsError* why);
  // Bytes moved (> 0), or the step that stops it (kWantRead, kWantWrite, kClosed at the peer's
  // close, kFailed with *why).
  long read(ssl_st* s, void* buf, size_t n, Step* step, TlsError* why);
  long write(ssl_st* s, const void* buf, size_t n, Step* step, TlsError* why);
  // How many bytes of early data the session offered on s allows (0: none, a full handshake).
  size_t early_data_room(ssl_st* s) const;
  // Like write(), before the handshake ends, as TLS 1.3 early data (SSL_write_early_data).
  long write_early(ssl_st* s, const void* buf, size_t n, Step* step, TlsError* why);
  // After kDone: whether the server took the early data (else it was discarded unread).
  bool early_data_accepted(ssl_st* s) const;
  // OpenSSL holds input not yet returned by read() (read ahead from the socket, or decrypted):
  // another read() returns it without waiting on the socket.
  bool has_pending(ssl_st* s) const;
  // Frees the connection without a close_notify (as wrk does), keeping its session resumable.
  void close(ssl_st* s);

 private:
  static int on_new_session(ssl_st* s, ssl_session_st* sess);
  void offer_session(ssl_st* s);  // resume: an unused ticket, else a copy of the newest
  TlsError failure_kind(ssl_st* s) const;

  ssl_ctx_st* ctx_ = nullptr;
  ssl_session_st* session_ = nullptr;  // the newest ticket the server gave (resume)
  // Tickets not offered yet, oldest first (each also referenced here). A server with OpenSSL's
  // anti-replay (on by default once it allows early data) takes a ticket once: offered again,
  // it is unknown there and the handshake is a full one. So each is offered on one connection;
  // only when none is left does a connection get a copy of the newest (session_).
  std::deque<ssl_session_st*> fresh_;
  TlsOptions opts_;
  bool ip_name_ = false;  // server_name is an IP literal: no SNI, the certificate must carry the IP
};

}  // namespace evb
