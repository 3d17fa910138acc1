// The server's TLS (issue 24) over real loopback sockets: a certificate made for the test with the
// openssl binary, blocking OpenSSL clients that check it, and peers that do not speak TLS.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "server.h"
#include "server_tls.h"

#ifdef EVB_HAVE_TLS
#include <openssl/ssl.h>

namespace evb {
namespace {

int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
  return fd;
}

class ServerTls : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/evb-tls-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    cert_ = dir_ + "/cert.pem";
    key_ = dir_ + "/key.pem";
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost"
        " -addext subjectAltName=IP:127.0.0.1 -keyout " +
        key_ + " -out " + cert_ + " 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "no openssl binary to make the test's certificate";
    client_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(client_, cert_.c_str(), nullptr);
    SSL_CTX_set_verify(client_, SSL_VERIFY_PEER, nullptr);
  }
  void TearDown() override {
    if (client_ != nullptr) SSL_CTX_free(client_);
    std::system(("rm -rf " + dir_).c_str());
  }

  ServerOptions options() {
    ServerOptions o;
    o.port = 0;
    o.threads = 1;
    o.tls_cert = cert_;
    o.tls_key = key_;
    return o;
  }

  // A TLS connection offering `alpn` (wire format); nullptr when the handshake fails.
  SSL* handshake(int port, const unsigned char* alpn, unsigned alpn_len, int* fd_out) {
    int fd = connect_to(port);
    *fd_out = fd;
    SSL* ssl = SSL_new(client_);
    SSL_set_fd(ssl, fd);
    SSL_set_alpn_protos(ssl, alpn, alpn_len);
    SSL_set1_host(ssl, "127.0.0.1");
    if (SSL_connect(ssl) != 1) {
      SSL_free(ssl);
      close(fd);
      return nullptr;
    }
    return ssl;
  }

  // Sends `req` and reads until `want` has arrived (or 10 s, or the close).
  static std::string ask(SSL* ssl, const std::string& req, const std::string& want) {
    size_t off = 0;
    while (off < req.size()) {
      size_t put = 0;
      if (SSL_write_ex(ssl, req.data() + off, req.size() - off, &put) != 1) return "";
      off += put;
    }
    std::string got;
    char buf[65536];
    while (got.find(want) == std::string::npos) {
      size_t n = 0;
      if (SSL_read_ex(ssl, buf, sizeof buf, &n) != 1) break;
      got.append(buf, n);
    }
    return got;
  }

  std::string dir_, cert_, key_;
  SSL_CTX* client_ = nullptr;
};

const unsigned char kH1[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
const unsigned char kH2[] = {2, 'h', '2'};

TEST_F(ServerTls, AnswersOverTlsAndCountsTheHandshake) {
  Server server(options());
  const char* call = "listen";
  int port = server.listen(&call);
  ASSERT_GT(port, 0) << call;
  int fd;
  SSL* ssl = handshake(port, kH1, sizeof kH1, &fd);
  ASSERT_NE(ssl, nullptr);
  const unsigned char* proto = nullptr;
  unsigned proto_len = 0;
  SSL_get0_alpn_selected(ssl, &proto, &proto_len);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(proto), proto_len), "http/1.1");
  std::string r = ask(ssl, "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", "Hello, World!");
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  // 1 MiB echoed: the answer leaves in many records, partial writes and all.
  std::string body(1 << 20, 'e');
  body.back() = '!';
  std::string echo =
      ask(ssl, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
          std::string(64, 'e') + "!");
  EXPECT_NE(echo.find("Content-Length: 1048576\r\n"), std::string::npos);
  EXPECT_EQ(echo.size() - echo.find("\r\n\r\n") - 4, body.size());
  SSL_free(ssl);
  close(fd);
  ServerStats s = server.stats();
  EXPECT_EQ(s.counters[kTlsHandshakes], 1u);
  EXPECT_EQ(s.counters[kRequests], 2u);
  EXPECT_EQ(s.counters[kErrTls], 0u);
}

TEST_F(ServerTls, PlainTextAndH2OnlyClientsFailAloneAndTheServerServesOn) {
  Server server(options());
  const char* call = "listen";
  int port = server.listen(&call);
  ASSERT_GT(port, 0) << call;
  int plain = connect_to(port);
  const char req[] = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_GT(send(plain, req, sizeof req - 1, MSG_NOSIGNAL), 0);
  char buf[256];
  ssize_t n;
  while ((n = recv(plain, buf, sizeof buf, 0)) > 0) {
    EXPECT_NE(std::string(buf, static_cast<size_t>(n)).rfind("HTTP/1.1 200", 0), 0u);  // never answered in plain text
  }
  EXPECT_TRUE(n == 0 || errno == ECONNRESET) << std::strerror(errno);  // closed, not timed out
  close(plain);
  int fd;
  EXPECT_EQ(handshake(port, kH2, sizeof kH2, &fd), nullptr);  // no ALPN agreement: refused
  SSL* ssl = handshake(port, kH1, sizeof kH1, &fd);
  ASSERT_NE(ssl, nullptr);
  EXPECT_NE(ask(ssl, "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", "Hello, World!").find("Hello, World!"),
            std::string::npos);
  SSL_free(ssl);
  close(fd);
  EXPECT_GE(server.stats().counters[kErrTls], 1u);
}

TEST_F(ServerTls, ABadCertificateOrIoUringFailsListenWithTheReason) {
  ServerOptions o = options();
  o.tls_key = cert_;  // a certificate is not a key
  Server bad(o);
  const char* call = "listen";
  EXPECT_LT(bad.listen(&call), 0);
  EXPECT_EQ(std::string(call).rfind("TLS: key ", 0), 0u) << call;
  ServerOptions u = options();
  u.backend = ServerBackend::kIoUring;
  Server uring(u);
  EXPECT_EQ(uring.listen(&call), -ENOTSUP);
}

}  // namespace
}  // namespace evb

#else

TEST(ServerTls, UnavailableWithoutOpenSsl) { EXPECT_FALSE(evb::server_tls_unavailable().empty()); }

#endif
