// TLS 1.3 early data through the whole generator (load_thread.cc, both backends) over loopback:
// against the native server with early data on, every resumed connection's request goes early
// and is accepted (the server counts the same); against a server whose tickets offer early data
// but which rejects it, the request is sent again after the handshake, answered once, never
// lost; against a server without early data none is sent.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>

#include "load_backend.h"
#include "load_client.h"
#include "server.h"

#ifdef EVB_HAVE_TLS
#include <openssl/ssl.h>

namespace evb {
namespace {

constexpr uint64_t kBudget = 24;

// A blocking one-connection-at-a-time OpenSSL server whose tickets allow early data and which
// rejects it every time (the allow-early-data callback says no): what a server does when it
// cannot tell a replay, or after a restart with new ticket keys.
class RejectingServer {
 public:
  RejectingServer(const std::string& cert, const std::string& key) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str());
    SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_set_max_early_data(ctx_, 16384);
    SSL_CTX_set_allow_early_data_cb(
        ctx_, [](SSL*, void*) { return 0; }, nullptr);
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 16);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~RejectingServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
    SSL_CTX_free(ctx_);
  }
  int port() const { return port_; }
  int answered() const { return answered_.load(); }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      timeval tv{2, 0};
      setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      SSL* s = SSL_new(ctx_);
      SSL_set_fd(s, c);
      if (SSL_accept(s) == 1) answer(s);
      SSL_free(s);
      close(c);
    }
  }
  // Reads one request head and answers it, then closes (the client asked Connection: close).
  void answer(SSL* s) {
    std::string got;
    char buf[4096];
    while (got.find("\r\n\r\n") == std::string::npos) {
      int n = SSL_read(s, buf, sizeof buf);
      if (n <= 0) return;
      got.append(buf, static_cast<size_t>(n));
    }
    static const char kAnswer[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    if (SSL_write(s, kAnswer, sizeof kAnswer - 1) > 0) ++answered_;
    SSL_shutdown(s);
  }

  SSL_CTX* ctx_ = nullptr;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  std::thread thread_;
};

class LoadEarlyData : public ::testing::TestWithParam<LoadOptions::Backend> {
 protected:
  void SetUp() override {
    std::string why = load_backend_unavailable(GetParam());
    if (!why.empty()) GTEST_SKIP() << why;
    char tmpl[] = "/tmp/evb-early-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    cert_ = dir_ + "/cert.pem";
    key_ = dir_ + "/key.pem";
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost"
        " -addext subjectAltName=IP:127.0.0.1 -keyout " +
        key_ + " -out " + cert_ + " 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "no openssl binary to make the test's certificate";
  }
  void TearDown() override {
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }

  // One connection per request (keep-alive off), each resumed from a ticket, early data asked.
  LoadOptions options(int port) const {
    LoadOptions o;
    o.port = port;
    o.connections = 1;
    o.keep_alive = false;
    o.path = "/plaintext";
    o.duration_s = 5;
    o.timeout_ms = 2000;
    o.requests = kBudget;
    o.backend = GetParam();
    o.tls = true;
    o.tls_ca_file = cert_;
    o.tls_resume = true;
    o.tls_early_data = true;
    return o;
  }

  // Every request answered once, none failed: early data or not, nothing lost or doubled.
  static void expect_all_answered(const LoadStats& s) {
    EXPECT_EQ(s.completed_total, kBudget);
    EXPECT_EQ(s.sent, kBudget);
    EXPECT_EQ(s.failed, 0u);
    EXPECT_EQ(s.errors_total, 0u);
  }

  std::string dir_, cert_, key_;
};

TEST_P(LoadEarlyData, AcceptedByANativeServerThatAllowsIt) {
  ServerOptions so;
  so.port = 0;
  so.threads = 1;
  so.tls_cert = cert_;
  so.tls_key = key_;
  so.tls_early_data = true;
  Server server(so);
  const char* call = "listen";
  int port = server.listen(&call);
  ASSERT_GT(port, 0) << call;
  LoadStats s = LoadClient(options(port)).run().stats;
  ServerStats ss = server.stats();
  server.close();
  expect_all_answered(s);
  // Every connection after the first offers a ticket with early data. The server sends two
  // tickets per full handshake, and a resumed one's only after the client's Finished, when its
  // answer (0.5-RTT data, Connection: close) has already ended it: so two early connections per
  // full one, the third offering a spent ticket (a full handshake, its early data rejected).
  EXPECT_EQ(s.tls.early_data_sent, kBudget - 1);
  EXPECT_GE(s.tls.early_data_accepted, kBudget / 2);
  EXPECT_EQ(s.tls.resumed, s.tls.early_data_accepted);
  EXPECT_EQ(ss.counters[kTlsEarlyData], s.tls.early_data_accepted);
  EXPECT_EQ(ss.counters[kTlsResumed], s.tls.resumed);
  EXPECT_EQ(ss.counters[kRequests], kBudget);
}

// Single-use tickets (anti-replay) and a new ticket on every resumed connection: without early
// data each resumed connection reads its next ticket before its answer, and keeps resuming.
TEST_P(LoadEarlyData, ResumedConnectionsGetANewTicket) {
  ServerOptions so;
  so.port = 0;
  so.threads = 1;
  so.tls_cert = cert_;
  so.tls_key = key_;
  so.tls_early_data = true;
  Server server(so);
  const char* call = "listen";
  int port = server.listen(&call);
  ASSERT_GT(port, 0) << call;
  LoadOptions o = options(port);
  o.tls_early_data = false;
  LoadStats s = LoadClient(o).run().stats;
  server.close();
  expect_all_answered(s);
  EXPECT_EQ(s.tls.resumed, kBudget - 1);
  EXPECT_EQ(s.tls.early_data_sent, 0u);
}

TEST_P(LoadEarlyData, RejectedThenSentAgain) {
  RejectingServer server(cert_, key_);
  LoadStats s = LoadClient(options(server.port())).run().stats;
  expect_all_answered(s);
  EXPECT_GT(s.tls.early_data_sent, 0u);
  EXPECT_EQ(s.tls.early_data_accepted, 0u);
  EXPECT_EQ(server.answered(), static_cast<int>(kBudget));  // each request reached it once
}

TEST_P(LoadEarlyData, NoneSentToAServerWithoutIt) {
  ServerOptions so;
  so.port = 0;
  so.threads = 1;
  so.tls_cert = cert_;
  so.tls_key = key_;
  Server server(so);
  const char* call = "listen";
  int port = server.listen(&call);
  ASSERT_GT(port, 0) << call;
  LoadStats s = LoadClient(options(port)).run().stats;
  server.close();
  expect_all_answered(s);
  EXPECT_EQ(s.tls.resumed, kBudget - 1);
  EXPECT_EQ(s.tls.early_data_sent, 0u);
  EXPECT_EQ(s.tls.early_data_accepted, 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, LoadEarlyData, ::testing::Values(LoadOptions::kEpoll, LoadOptions::kIoUring),
                         [](const ::testing::TestParamInfo<LoadOptions::Backend>& i) {
                           return std::string(i.param == LoadOptions::kEpoll ? "epoll" : "io_uring");
                         });

}  // namespace
}  // namespace evb

#else

TEST(LoadEarlyData, NeedsOpenSsl) { GTEST_SKIP() << "built without OpenSSL"; }

#endif
