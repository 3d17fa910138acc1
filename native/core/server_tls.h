// TLS for the native server (issue 24): one OpenSSL context per server (the certificate, ALPN
// http/1.1, optional kernel TLS offload) and one non-blocking SSL per connection, driven by the
// epoll loop's own reads and writes. Without OpenSSL in the build every call says unavailable.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <string>

namespace evb {

struct TlsServerContext;
struct TlsConn;

// "" when this build has OpenSSL, else why not.
std::string server_tls_unavailable();
// The OpenSSL library's version ("OpenSSL 3.0.19 27 Jan 2026"), "" without it.
std::string server_tls_version();

// Loads the PEM certificate chain and its key; ktls sets SSL_OP_ENABLE_KTLS; early_data lets
// TLS 1.3 clients send up to 16 KiB before the handshake ends (on resumption). nullptr with
// *error saying why (unreadable file, key not matching the certificate, no OpenSSL).
TlsServerContext* tls_context_new(const std::string& cert_file, const std::string& key_file, bool ktls, bool early_data,
                                  std::string* error);
void tls_context_free(TlsServerContext* ctx);

// A server-side SSL on the accepted socket; nullptr when out of memory.
TlsConn* tls_conn_new(TlsServerContext* ctx, int fd);
void tls_conn_free(TlsConn* c);

enum class TlsIo : unsigned char {
  kOk,      // bytes moved
  kWantIo,  // would block (either direction: the loop's next edge retries)
  kClosed,  // the peer's close_notify or EOF
  kReset,   // the socket failed (ECONNRESET, EPIPE)
  kError,   // a TLS failure: bad record, handshake alert, a plain-text client
};

// Like read(2) and send(2): the bytes moved (> 0, result kOk) or 0 with why not. The handshake
// runs inside them. A write that returned kWantIo must be retried with the same bytes first.
size_t tls_read(TlsConn* c, void* buf, size_t n, TlsIo* result);
size_t tls_write(TlsConn* c, const void* buf, size_t n, TlsIo* result);

// Sends close_notify (best effort, never blocks).
void tls_close_notify(TlsConn* c);

// True exactly once, after the handshake completed or early data was accepted; says whether it
// resumed a session, took early data, and whether the kernel took over sending and receiving
// (kTLS; not known yet when reported at the early data).
struct TlsHandshake {
  bool resumed = false;
  bool early_data = false;  // the client's early data was accepted (and read as the first bytes)
  bool ktls_send = false;
  bool ktls_recv = false;
};
bool tls_take_handshake(TlsConn* c, TlsHandshake* out);

}  // namespace evb
