// The generator's newer features against real sockets, for every backend this machine can
// run: a literal body on the wire, a connect timeout of its own, answers counted by exact
// status code, and the window's latencies kept second by second (the seconds add up to the
// window's histogram exactly).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "hostile_peer.h"
#include "http_response.h"
#include "interval_latency.h"
#include "load_backend.h"
#include "load_client.h"
#include "load_request.h"

namespace evb {
namespace {

TEST(LoadRequestBody, LiteralBodyIsSentAsBytesWithItsLength) {
  LoadOptions o;
  o.port = 8080;
  o.method = "POST";
  o.body = std::string("a\0b\xff", 4);
  o.has_body = true;
  std::string r = load_request_build(o);
  EXPECT_NE(r.find("Content-Length: 4\r\n"), std::string::npos);
  EXPECT_EQ(r.substr(r.size() - 4), o.body);
  o.echo = true;
  EXPECT_EQ(load_request_build(o), o.body);
}

TEST(LoadRequestBody, EmptyLiteralBodySaysContentLengthZero) {
  LoadOptions o;
  o.method = "POST";
  o.has_body = true;
  std::string r = load_request_build(o);
  EXPECT_NE(r.find("Content-Length: 0\r\n"), std::string::npos);
  EXPECT_EQ(r.substr(r.size() - 4), "\r\n\r\n");
}

TEST(IntervalLatencyTest, SecondsMergeBucketByBucket) {
  IntervalLatency a, b;
  a.record(0, 1000);
  a.record(0, 1000);
  a.record(2, 5000000);
  a.flush();
  b.record(0, 1000);
  b.record(1, 300);
  b.record(3, 7);
  b.flush();
  a.merge(b);
  ASSERT_EQ(a.seconds().size(), 4u);
  ASSERT_EQ(a.seconds()[0].size(), 1u);
  EXPECT_EQ(a.seconds()[0][0].second, 3u);
  EXPECT_EQ(IntervalLatency::representative_ns(a.seconds()[0][0].first),
            Histogram::representative(Histogram::index_of(1000)));
  EXPECT_EQ(a.seconds()[1][0].second, 1u);
  EXPECT_EQ(a.seconds()[2][0].second, 1u);
  EXPECT_EQ(a.seconds()[3][0].first, 7u);
  a.truncate(2);
  EXPECT_EQ(a.seconds().size(), 2u);
}

TEST(ResponseBody, LengthAndHashAfterDechunking) {
  const std::string r =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nHello, \r\n7\r\nWorld!!\r\n0\r\n\r\n";
  ResponseParser p;
  p.reset();
  p.set_hash_body(true);
  size_t used = 0;
  ASSERT_EQ(p.feed(r.data(), r.size(), &used), ResponseParser::kDone);
  EXPECT_EQ(used, r.size());
  EXPECT_EQ(p.body_length(), 14u);
  EXPECT_EQ(p.body_hash(), ResponseParser::hash_bytes(ResponseParser::kHashSeed, "Hello, World!!", 14));
  // FNV-1a 64 of "a", as published: the JS side computes the same (src/load/body-hash.ts).
  EXPECT_EQ(ResponseParser::hash_bytes(ResponseParser::kHashSeed, "a", 1), 0xaf63dc4c8601ec8cull);
  p.reset();
  EXPECT_EQ(p.body_length(), 0u);
}

class LoadFeaturesTest : public ::testing::TestWithParam<LoadOptions::Backend> {
 protected:
  void SetUp() override {
    std::string why = load_backend_unavailable(GetParam());
    if (!why.empty()) GTEST_SKIP() << why;
  }
  LoadOptions options(int port) {
    LoadOptions o;
    o.port = port;
    o.threads = 2;
    o.connections = 4;
    o.pipeline = 4;
    o.path = "/plaintext";
    o.duration_s = 2.5;
    o.timeout_ms = 1000;
    o.backend = GetParam();
    return o;
  }
};

TEST_P(LoadFeaturesTest, SecondsAndStatusCodesAddUpToTheWindow) {
  HostilePeer peer(HostilePeer::kOk);
  LoadOptions o = options(peer.port());
  LoadClient client(o);
  LoadReport rep = client.run();
  peer.stop();
  const LoadStats& s = rep.stats;
  ASSERT_GT(s.requests, 0u);
  EXPECT_EQ(s.status_codes[200], s.requests);
  ASSERT_EQ(s.per_second.size(), 3u);
  ASSERT_LE(s.intervals.seconds().size(), 3u);
  Histogram sum;
  for (size_t k = 0; k < s.intervals.seconds().size(); ++k) {
    uint64_t n = 0;
    for (const auto& b : s.intervals.seconds()[k]) {
      n += b.second;
      sum.record(IntervalLatency::representative_ns(b.first), b.second);
    }
    EXPECT_EQ(n, s.per_second[k]) << "second " << k;
  }
  EXPECT_EQ(sum.count(), s.latency.count());
  EXPECT_EQ(Histogram::index_of(sum.percentile(99)), Histogram::index_of(s.latency.percentile(99)));
}

TEST_P(LoadFeaturesTest, ConnectTimeoutCountsConnectErrors) {
  // A listener that never accepts, with the smallest backlog: once its queue is full the
  // kernel drops further SYNs, so those connects hang until their own deadline.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(fd, 0), 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  LoadOptions o = options(ntohs(a.sin_port));
  o.threads = 1;
  o.pipeline = 1;
  o.connections = 8;
  o.duration_s = 0.8;
  o.timeout_ms = 5000;
  o.connect_timeout_ms = 100;
  LoadClient client(o);
  LoadReport rep = client.run();
  ::close(fd);
  const LoadStats& s = rep.stats;
  EXPECT_GT(s.errors[kLoadErrConnect], 0u);
  EXPECT_EQ(s.errors[kLoadErrTimeout], 0u);
  EXPECT_EQ(s.sent, s.completed_total + s.failed + s.unfinished);
}

TEST_P(LoadFeaturesTest, CheckCountsEveryAnswerUnlikeTheExpectedOne) {
  for (int pipeline : {1, 8}) {
    HostilePeer peer(HostilePeer::kTenthDiffers);
    LoadOptions o = options(peer.port());
    o.pipeline = pipeline;
    o.duration_s = 10;
    o.requests = 1000;  // all in the window (no warm-up), and the peer's every 10th is 100
    o.check_status = 200;
    o.check_length = 13;
    o.check_body = true;
    o.check_body_hash = ResponseParser::hash_bytes(ResponseParser::kHashSeed, "Hello, World!", 13);
    LoadClient client(o);
    LoadReport rep = client.run();
    peer.stop();
    const LoadStats& s = rep.stats;
    ASSERT_EQ(s.requests, 1000u);
    EXPECT_EQ(s.mismatched, 100u);
    EXPECT_EQ(s.mismatch[kCheckStatus], 100u);
    EXPECT_EQ(s.mismatch[kCheckLength], 100u);
    EXPECT_EQ(s.mismatch[kCheckBody], 100u);
    EXPECT_EQ(s.status_codes[404], 100u);
    EXPECT_EQ(s.sent, s.completed_total + s.failed + s.unfinished);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LoadFeaturesTest, ::testing::Values(LoadOptions::kEpoll, LoadOptions::kIoUring),
                         [](const ::testing::TestParamInfo<LoadOptions::Backend>& i) {
                           return std::string(i.param == LoadOptions::kEpoll ? "epoll" : "io_uring");
                         });

}  // namespace
}  // namespace evb
