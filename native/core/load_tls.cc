#include "load_tls.h"

#include <cstring>

#if EVB_HAVE_TLS
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#endif

namespace evb {

const char* tls_error_name(TlsError kind) {
  static const char* const kNames[kTlsErrKinds] = {"handshake", "certificate", "alert", "timeout", "alpn"};
  return kNames[kind];
}

#if EVB_HAVE_TLS

std::string tls_unavailable() { return ""; }
std::string tls_library_version() { return OpenSSL_version(OPENSSL_VERSION); }

namespace {

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// The ALPN list in wire form: a length byte before each name.
std::string alpn_wire(const std::string& name) {
  if (name.empty()) return "";
  return std::string(1, static_cast<char>(name.size())) + name;
}

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

}  // namespace

// More unused tickets than this are not kept: a server sends one or two per handshake, and a
// thread's connections take them as fast as they come.
constexpr size_t kMaxFreshTickets = 16;

TlsClient::~TlsClient() {
  for (SSL_SESSION* t : fresh_) SSL_SESSION_free(t);
  if (session_ != nullptr) SSL_SESSION_free(session_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

std::string TlsClient::init(const TlsOptions& o) {
  opts_ = o;
  ip_name_ = is_ip_literal(o.server_name);
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr) return "TLS: cannot make a context: " + openssl_error();
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  // A peer that closes without close_notify (Connection: close, a plain server) is an end of
  // stream, not an error: the HTTP layer decides whether an answer was cut short.
  SSL_CTX_set_options(ctx_, SSL_OP_IGNORE_UNEXPECTED_EOF);
  // A short write resumes from where it stopped (the batch's offset moves on).
  SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_app_data(ctx_, this);
  // One read() per readable event takes all the socket holds (not a header, then a record).
  SSL_CTX_set_read_ahead(ctx_, 1);
  if (!o.insecure) {
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    int ok = o.ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx_)
                               : SSL_CTX_load_verify_locations(ctx_, o.ca_file.c_str(), nullptr);
    if (ok != 1)
      return "TLS: cannot load the CA certificates " + (o.ca_file.empty() ? "of the system" : o.ca_file) + ": " +
             openssl_error();
  }
  std::string alpn = alpn_wire(o.alpn);
  if (!alpn.empty() && SSL_CTX_set_alpn_protos(ctx_, reinterpret_cast<const unsigned char*>(alpn.data()),
                                               static_cast<unsigned>(alpn.size())) != 0)
    return "TLS: cannot set ALPN " + o.alpn;
  if (o.resume) {
    // Sessions are kept by on_new_session, not in OpenSSL's cache (one per thread suffices:
    // every connection goes to the same server).
    SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx_, &TlsClient::on_new_session);
  } else {
    SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx_, SSL_OP_NO_TICKET);
  }
  return "";
}

int TlsClient::on_new_session(ssl_st* s, ssl_session_st* sess) {
  auto* self = static_cast<TlsClient*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(s)));
  if (self->session_ != nullptr) SSL_SESSION_free(self->session_);
  self->session_ = sess;
  // A copy of its own: a connection changes the session it was given, and session_ must stay
  // as the server sent it for the copies offered when no unused ticket is left.
  SSL_SESSION* fresh = SSL_SESSION_dup(sess);
  if (fresh != nullptr) {
    self->fresh_.push_back(fresh);
    if (self->fresh_.size() > kMaxFreshTickets) {
      SSL_SESSION_free(self->fresh_.front());
      self->fresh_.pop_front();
    }
  }
  return 1;  // the reference is ours
}

ssl_st* TlsClient::start(int fd) {
  SSL* s = SSL_new(ctx_);
  if (s == nullptr) return nullptr;
  if (fd >= 0 && SSL_set_fd(s, fd) != 1) {
    SSL_free(s);
    return nullptr;
  }
  const std::string& name = opts_.server_name;
  if (!name.empty()) {
    if (!ip_name_) SSL_set_tlsext_host_name(s, name.c_str());  // SNI carries names only (RFC 6066)
    if (!opts_.insecure) {
      if (ip_name_) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(s), name.c_str());
      } else {
        SSL_set1_host(s, name.c_str());
      }
    }
  }
  if (opts_.resume) offer_session(s);
  SSL_set_connect_state(s);
  return s;
}

void TlsClient::offer_session(ssl_st* s) {
  if (!fresh_.empty()) {
    SSL_SESSION* t = fresh_.front();
    fresh_.pop_front();
    SSL_set_session(s, t);
    SSL_SESSION_free(t);  // the connection holds its own reference
    return;
  }
  if (session_ == nullptr) return;
  // A copy: OpenSSL marks a TLS 1.3 session used once as spent, and a server need not send a
  // new ticket on a resumed connection (Node's does not), so the newest ticket is offered again
  // when no unused one is left. RFC 8446 4.6.1 lets a server accept that; a browser avoids it
  // for privacy, a benchmark measures what resumption costs.
  SSL_SESSION* copy = SSL_SESSION_dup(session_);
  if (copy != nullptr) {
    SSL_set_session(s, copy);
    SSL_SESSION_free(copy);
  }
}

ssl_st* TlsClient::start_memory() {
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  int ok = in != nullptr && out != nullptr;
  if (!ok) {
    BIO_free(in);
    BIO_free(out);
    return nullptr;
  }
  // An empty input BIO says "retry" (want read), not end of file.
  BIO_set_mem_eof_return(in, -1);
  BIO_set_mem_eof_return(out, -1);
  SSL* s = start(-1);
  if (s == nullptr) {
    BIO_free(in);
    BIO_free(out);
    return nullptr;
  }
  SSL_set_bio(s, in, out);  // the SSL owns both now
  return s;
}

void TlsClient::feed(ssl_st* s, const char* p, size_t n) {
  size_t put = 0;
  BIO_write_ex(SSL_get_rbio(s), p, n, &put);  // a memory BIO takes all it is given
}

size_t TlsClient::take_output(ssl_st* s, std::string* out) {
  BIO* w = SSL_get_wbio(s);
  size_t n = BIO_ctrl_pending(w);
  if (n == 0) return 0;
  size_t at = out->size();
  out->resize(at + n);
  size_t got = 0;
  BIO_read_ex(w, &(*out)[at], n, &got);
  out->resize(at + got);
  return got;
}

TlsError TlsClient::failure_kind(ssl_st* s) const {
  if (!opts_.insecure && SSL_get_verify_result(s) != X509_V_OK) return kTlsErrCertificate;
  unsigned long e = ERR_peek_last_error();
  // OpenSSL files a received alert as reason SSL_AD_REASON_OFFSET + the alert's code.
  if (e != 0 && ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) >= SSL_AD_REASON_OFFSET) return kTlsErrAlert;
  return kTlsErrHandshake;
}

namespace {

TlsClient::Step step_of(int err) {
  switch (err) {
    case SSL_ERROR_WANT_READ: return TlsClient::kWantRead;
    case SSL_ERROR_WANT_WRITE: return TlsClient::kWantWrite;
    case SSL_ERROR_ZERO_RETURN: return TlsClient::kClosed;
    default: return TlsClient::kFailed;
  }
}

}  // namespace

TlsClient::Step TlsClient::handshake(ssl_st* s, TlsError* why) {
  int r = SSL_do_handshake(s);
  if (r == 1) return kDone;
  Step st = step_of(SSL_get_error(s, r));
  if (st == kClosed) st = kFailed;  // a close before the handshake ended
  if (st == kFailed) {
    *why = failure_kind(s);
    ERR_clear_error();
  }
  return st;
}

bool TlsClient::finished(ssl_st* s, uint64_t latency_ns, TlsStats* stats, TlsError* why) {
  const unsigned char* proto = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(s, &proto, &len);
  if (!opts_.alpn.empty() && opts_.alpn != "http/1.1" &&
      (len != opts_.alpn.size() || std::memcmp(proto, opts_.alpn.data(), len) != 0)) {
    *why = kTlsErrAlpn;  // h2 asked, the server chose HTTP/1.1 or nothing
    return false;
  }
  ++stats->handshakes;
  if (SSL_session_reused(s)) ++stats->resumed;
  stats->latency.record(latency_ns);
  if (stats->version.empty()) {
    stats->version = SSL_get_version(s);
    stats->cipher = SSL_get_cipher_name(s);
    stats->alpn.assign(reinterpret_cast<const char*>(proto), len);
  }
  return true;
}

long TlsClient::read(ssl_st* s, void* buf, size_t n, Step* step, TlsError* why) {
  size_t got = 0;
  int r = SSL_read_ex(s, buf, n, &got);
  if (r == 1) return static_cast<long>(got);
  *step = step_of(SSL_get_error(s, r));
  if (*step == kFailed) {
    *why = failure_kind(s);
    ERR_clear_error();
  }
  return 0;
}

long TlsClient::write(ssl_st* s, const void* buf, size_t n, Step* step, TlsError* why) {
  size_t put = 0;
  int r = SSL_write_ex(s, buf, n, &put);
  if (r == 1) return static_cast<long>(put);
  *step = step_of(SSL_get_error(s, r));
  if (*step == kFailed) {
    *why = failure_kind(s);
    ERR_clear_error();
  }
  return 0;
}

size_t TlsClient::early_data_room(ssl_st* s) const {
  SSL_SESSION* sess = SSL_get_session(s);
  return sess != nullptr ? SSL_SESSION_get_max_early_data(sess) : 0;
}

long TlsClient::write_early(ssl_st* s, const void* buf, size_t n, Step* step, TlsError* why) {
  size_t put = 0;
  int r = SSL_write_early_data(s, buf, n, &put);
  if (r == 1) return static_cast<long>(put);
  *step = step_of(SSL_get_error(s, r));
  if (*step == kClosed) *step = kFailed;  // a close before the handshake ended
  if (*step == kFailed) {
    *why = failure_kind(s);
    ERR_clear_error();
  }
  return 0;
}

bool TlsClient::early_data_accepted(ssl_st* s) const { return SSL_get_early_data_status(s) == SSL_EARLY_DATA_ACCEPTED; }

bool TlsClient::has_pending(ssl_st* s) const { return SSL_has_pending(s) == 1; }

void TlsClient::close(ssl_st* s) {
  // Marked as shut down, so OpenSSL does not count the session as broken and drop it.
  SSL_set_shutdown(s, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_free(s);
}

#else  // built without OpenSSL: LoadOptions.tls is refused before a run (tls_unavailable)

std::string tls_unavailable() {
  return "unavailable: built without OpenSSL (apt-get install libssl-dev, then npm run build:addon)";
}
std::string tls_library_version() { return ""; }
TlsClient::~TlsClient() {}
std::string TlsClient::init(const TlsOptions&) { return tls_unavailable(); }
// Never reached: init() failed, so the thread did not run.
ssl_st* TlsClient::start(int) { return nullptr; }
ssl_st* TlsClient::start_memory() { return nullptr; }
void TlsClient::feed(ssl_st*, const char*, size_t) {}
size_t TlsClient::take_output(ssl_st*, std::string*) { return 0; }
TlsClient::Step TlsClient::handshake(ssl_st*, TlsError*) { return kFailed; }
bool TlsClient::finished(ssl_st*, uint64_t, TlsStats*, TlsError*) { return false; }
long TlsClient::read(ssl_st*, void*, size_t, Step* step, TlsError*) { return (*step = kFailed), 0; }
long TlsClient::write(ssl_st*, const void*, size_t, Step* step, TlsError*) { return (*step = kFailed), 0; }
void TlsClient::close(ssl_st*) {}
bool TlsClient::has_pending(ssl_st*) const { return false; }
size_t TlsClient::early_data_room(ssl_st*) const { return 0; }
long TlsClient::write_early(ssl_st*, const void*, size_t, Step* step, TlsError*) { return (*step = kFailed), 0; }
bool TlsClient::early_data_accepted(ssl_st*) const { return false; }
void TlsClient::offer_session(ssl_st*) {}

#endif

}  // namespace evb
