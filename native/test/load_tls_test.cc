// The load client's TLS layer (load_tls.h) against an OpenSSL server in the same process, over
// memory BIOs (the io_uring path's own transport): what it negotiates and records, and the kind
// it gives each failure: a certificate that does not verify, a server without the ALPN
// protocol asked for, a peer that speaks no TLS.
#include <gtest/gtest.h>

#include <string>

#include "load_tls.h"

#if EVB_HAVE_TLS
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace evb {
namespace {

// A server context with a fresh P-256 key and a self-signed certificate for IP 127.0.0.1.
struct TestServer {
  SSL_CTX* ctx = nullptr;
  bool alpn_h1 = true;  // selects http/1.1 when offered, else selects nothing

  TestServer() {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("evbench test"), -1, -1,
                               0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx, cert);
    SSL_CTX_use_PrivateKey(ctx, key);
    SSL_CTX_set_alpn_select_cb(ctx, &TestServer::select, this);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~TestServer() { SSL_CTX_free(ctx); }

  static int select(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned inlen,
                    void* arg) {
    auto* self = static_cast<TestServer*>(arg);
    for (unsigned i = 0; self->alpn_h1 && i < inlen; i += 1u + in[i]) {
      if (std::string(reinterpret_cast<const char*>(in + i + 1), in[i]) == "http/1.1") {
        *out = in + i + 1;
        *outlen = in[i];
        return SSL_TLSEXT_ERR_OK;
      }
    }
    return SSL_TLSEXT_ERR_NOACK;
  }
};

// Moves bytes between the client's memory BIOs and a server SSL until both sides stop moving.
// Returns the client's last handshake step.
TlsClient::Step run_handshake(TlsClient& client, ssl_st* c, SSL* server, TlsError* why) {
  BIO* s_in = BIO_new(BIO_s_mem());
  BIO* s_out = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(s_in, -1);
  SSL_set_bio(server, s_in, s_out);
  SSL_set_accept_state(server);
  TlsClient::Step step = TlsClient::kWantRead;
  for (int round = 0; round < 20; ++round) {
    step = client.handshake(c, why);
    std::string wire;
    client.take_output(c, &wire);
    if (!wire.empty()) BIO_write(s_in, wire.data(), static_cast<int>(wire.size()));
    SSL_do_handshake(server);
    char buf[16384];
    int n = BIO_read(s_out, buf, sizeof buf);
    if (n > 0) client.feed(c, buf, static_cast<size_t>(n));
    if (step == TlsClient::kDone || step == TlsClient::kFailed) break;
  }
  return step;
}

TEST(TlsClient, NegotiatesAndRecordsTheHandshake) {
  TestServer srv;
  TlsClient client;
  ASSERT_EQ(client.init({"127.0.0.1", "", true, "http/1.1", false}), "");
  ssl_st* c = client.start_memory();
  SSL* s = SSL_new(srv.ctx);
  TlsError why = kTlsErrKinds;
  ASSERT_EQ(run_handshake(client, c, s, &why), TlsClient::kDone);
  TlsStats stats;
  ASSERT_TRUE(client.finished(c, 1234, &stats, &why));
  EXPECT_EQ(stats.handshakes, 1u);
  EXPECT_EQ(stats.resumed, 0u);
  EXPECT_EQ(stats.latency.count(), 1u);
  EXPECT_EQ(stats.version, "TLSv1.3");
  EXPECT_EQ(stats.alpn, "http/1.1");
  EXPECT_FALSE(stats.cipher.empty());
  client.close(c);
  SSL_free(s);
}

TEST(TlsClient, ASelfSignedCertificateFailsVerificationAsCertificate) {
  TestServer srv;
  TlsClient client;
  ASSERT_EQ(client.init({"127.0.0.1", "", false, "http/1.1", false}), "");  // the system store
  ssl_st* c = client.start_memory();
  SSL* s = SSL_new(srv.ctx);
  TlsError why = kTlsErrKinds;
  EXPECT_EQ(run_handshake(client, c, s, &why), TlsClient::kFailed);
  EXPECT_EQ(why, kTlsErrCertificate);
  client.close(c);
  SSL_free(s);
}

TEST(TlsClient, H2NotSelectedIsAnAlpnFailure) {
  TestServer srv;
  srv.alpn_h1 = false;
  TlsClient client;
  ASSERT_EQ(client.init({"127.0.0.1", "", true, "h2", false}), "");
  ssl_st* c = client.start_memory();
  SSL* s = SSL_new(srv.ctx);
  TlsError why = kTlsErrKinds;
  ASSERT_EQ(run_handshake(client, c, s, &why), TlsClient::kDone);
  TlsStats stats;
  EXPECT_FALSE(client.finished(c, 1, &stats, &why));
  EXPECT_EQ(why, kTlsErrAlpn);
  EXPECT_EQ(stats.handshakes, 0u);
  client.close(c);
  SSL_free(s);
}

TEST(TlsClient, APlainHttpAnswerIsAHandshakeFailure) {
  TlsClient client;
  ASSERT_EQ(client.init({"127.0.0.1", "", true, "http/1.1", false}), "");
  ssl_st* c = client.start_memory();
  TlsError why = kTlsErrKinds;
  EXPECT_EQ(client.handshake(c, &why), TlsClient::kWantRead);  // the ClientHello is out
  const std::string plain = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n";
  client.feed(c, plain.data(), plain.size());
  EXPECT_EQ(client.handshake(c, &why), TlsClient::kFailed);
  EXPECT_EQ(why, kTlsErrHandshake);
  client.close(c);
}

TEST(TlsClient, ACaFileThatDoesNotLoadIsSaidSo) {
  TlsClient client;
  std::string why = client.init({"127.0.0.1", "/no/such/ca.pem", false, "http/1.1", false});
  EXPECT_NE(why.find("/no/such/ca.pem"), std::string::npos) << why;
}

}  // namespace
}  // namespace evb

#else

TEST(TlsClient, SaysWhyItIsUnavailable) { EXPECT_NE(evb::tls_unavailable().find("OpenSSL"), std::string::npos); }

#endif
