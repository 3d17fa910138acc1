#include "server_tls.h"

#ifdef EVB_HAVE_TLS
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>

namespace evb {

struct TlsServerContext {
  SSL_CTX* ctx;
  bool early_data;
};

struct TlsConn {
  SSL* ssl;
  bool counted;  // the handshake was reported by tls_take_handshake
  // The context allows early data and SSL_read_early_data has not said FINISH yet: reads go
  // through it, and writes before the handshake's end are 0.5-RTT data (SSL_write_early_data).
  bool early;
  bool early_used;  // early data was read: answers to it may precede the handshake's end
};

namespace {

constexpr uint32_t kMaxEarlyData = 16 * 1024;

const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// ALPN: the server speaks HTTP/1.1 only; a client offering only h2 gets no agreement (the
// handshake fails with no_application_protocol, as RFC 7301 says).
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen,
                void*) {
  unsigned char* chosen = nullptr;
  int r = SSL_select_next_proto(&chosen, outlen, kHttp11, sizeof kHttp11, in, inlen);
  if (r != OPENSSL_NPN_NEGOTIATED) return SSL_TLSEXT_ERR_ALERT_FATAL;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

std::string last_error(const char* what) {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return std::string(what) + ": " + (e ? buf : "unknown OpenSSL error");
}

TlsIo io_result(TlsConn* c, int r) {
  int err = SSL_get_error(c->ssl, r);
  switch (err) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE: return TlsIo::kWantIo;
    case SSL_ERROR_ZERO_RETURN: return TlsIo::kClosed;
    case SSL_ERROR_SYSCALL: {
      int e = errno;
      ERR_clear_error();
      if (r == 0 || e == 0) return TlsIo::kClosed;  // EOF without close_notify
      return e == ECONNRESET || e == EPIPE ? TlsIo::kReset : TlsIo::kError;
    }
    default:
      ERR_clear_error();  // the error queue is per thread: never leave it for the next connection
      return TlsIo::kError;
  }
}

}  // namespace

std::string server_tls_unavailable() { return ""; }
std::string server_tls_version() { return OpenSSL_version(OPENSSL_VERSION); }

TlsServerContext* tls_context_new(const std::string& cert_file, const std::string& key_file, bool ktls, bool early_data,
                                  std::string* error) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) {
    *error = last_error("SSL_CTX_new");
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // The ring's head may move between a write that wanted more room and its retry; a partial
  // write is reported like send(2)'s.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  // A peer that closes without close_notify is a close, not a TLS failure: HTTP/1.1 frames its
  // own messages (OpenSSL 3 reports it as an error otherwise).
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | (ktls ? SSL_OP_ENABLE_KTLS : 0));
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    *error = last_error(("certificate " + cert_file).c_str());
  } else if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    *error = last_error(("key " + key_file).c_str());
  } else if (SSL_CTX_check_private_key(ctx) != 1) {
    *error = last_error("the key does not match the certificate");
  } else {
    SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
    if (early_data) {
      // OpenSSL's anti-replay stays on: with early data allowed its tickets are single-use
      // (kept in the server's session cache, removed when used), and a resumed connection
      // is sent a new one (num_tickets), so a client can keep resuming.
      SSL_CTX_set_max_early_data(ctx, kMaxEarlyData);
      SSL_CTX_set_recv_max_early_data(ctx, kMaxEarlyData);
    }
    return new TlsServerContext{ctx, early_data};
  }
  SSL_CTX_free(ctx);
  return nullptr;
}

void tls_context_free(TlsServerContext* ctx) {
  if (ctx == nullptr) return;
  SSL_CTX_free(ctx->ctx);
  delete ctx;
}

TlsConn* tls_conn_new(TlsServerContext* ctx, int fd) {
  SSL* ssl = SSL_new(ctx->ctx);
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    ERR_clear_error();
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return new TlsConn{ssl, false, ctx->early_data, false};
}

void tls_conn_free(TlsConn* c) {
  if (c == nullptr) return;
  // Marked as shut down: OpenSSL drops the session of a finished connection freed without a
  // close_notify from the session cache, and with early data allowed the cache is where the
  // tickets live (the last ticket sent on a Connection: close answer would die with it).
  SSL_set_shutdown(c->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_free(c->ssl);
  delete c;
}

// Early data comes first, read like any other bytes; FINISH (the client's EndOfEarlyData, or
// no early data at all) hands over to SSL_read_ex, which ends the handshake.
size_t read_early(TlsConn* c, void* buf, size_t n, TlsIo* result) {
  for (;;) {
    size_t got = 0;
    int r = SSL_read_early_data(c->ssl, buf, n, &got);
    if (r == SSL_READ_EARLY_DATA_ERROR) {
      *result = io_result(c, 0);
      return 0;
    }
    if (r == SSL_READ_EARLY_DATA_FINISH) c->early = false;
    if (got != 0) c->early_used = true;
    if (got != 0 || !c->early) {
      *result = TlsIo::kOk;
      return got;
    }
  }
}

size_t tls_read(TlsConn* c, void* buf, size_t n, TlsIo* result) {
  if (c->early) {
    size_t got = read_early(c, buf, n, result);
    if (got != 0 || c->early || *result != TlsIo::kOk) return got;
  }
  size_t got = 0;
  int r = SSL_read_ex(c->ssl, buf, n, &got);
  *result = r == 1 ? TlsIo::kOk : io_result(c, r);
  return r == 1 ? got : 0;
}

size_t tls_write(TlsConn* c, const void* buf, size_t n, TlsIo* result) {
  size_t put = 0;
  // An answer to early data leaves before the client's Finished (0.5-RTT data): SSL_write_ex
  // would refuse while early data is read, or wait for the Finished.
  bool half_rtt = c->early_used && !SSL_is_init_finished(c->ssl);
  int r = half_rtt ? SSL_write_early_data(c->ssl, buf, n, &put) : SSL_write_ex(c->ssl, buf, n, &put);
  *result = r == 1 ? TlsIo::kOk : io_result(c, r);
  return r == 1 ? put : 0;
}

void tls_close_notify(TlsConn* c) {
  if (SSL_is_init_finished(c->ssl)) SSL_shutdown(c->ssl);
  ERR_clear_error();
}

bool tls_take_handshake(TlsConn* c, TlsHandshake* out) {
  // Accepted early data reports the handshake too (it resumed): a connection answered before
  // the client's Finished may close, on Connection: close, before the handshake would end.
  if (c->counted || !(SSL_is_init_finished(c->ssl) || c->early_used)) return false;
  c->counted = true;
  out->resumed = SSL_session_reused(c->ssl) == 1;
  out->early_data = c->early_used;
  out->ktls_send = BIO_get_ktls_send(SSL_get_wbio(c->ssl)) == 1;
  out->ktls_recv = BIO_get_ktls_recv(SSL_get_rbio(c->ssl)) == 1;
  return true;
}

}  // namespace evb

#else  // no OpenSSL: the server runs plain HTTP only and says why TLS is unavailable

namespace evb {

struct TlsServerContext {};
struct TlsConn {};

std::string server_tls_unavailable() {
  return "this build of the native server has no OpenSSL (install libssl-dev and rebuild with npm run build:addon)";
}
std::string server_tls_version() { return ""; }
TlsServerContext* tls_context_new(const std::string&, const std::string&, bool, bool, std::string* error) {
  *error = server_tls_unavailable();
  return nullptr;
}
void tls_context_free(TlsServerContext*) {}
TlsConn* tls_conn_new(TlsServerContext*, int) { return nullptr; }
void tls_conn_free(TlsConn*) {}
size_t tls_read(TlsConn*, void*, size_t, TlsIo* result) {
  *result = TlsIo::kError;
  return 0;
}
size_t tls_write(TlsConn*, const void*, size_t, TlsIo* result) {
  *result = TlsIo::kError;
  return 0;
}
void tls_close_notify(TlsConn*) {}
bool tls_take_handshake(TlsConn*, TlsHandshake*) { return false; }

}  // namespace evb

#endif
