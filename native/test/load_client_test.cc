// The load client against real sockets, for every backend this machine can run: the request
// accounting (sent == answered + failed + unfinished, load_stats.h), the request budget, and
// servers that misbehave (issue 13): each run ends on time with its errors counted by kind.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "hostile_peer.h"
#include "load_backend.h"
#include "load_client.h"

namespace evb {
namespace {

struct Outcome {
  LoadReport report;
  double wall_s = 0;
};

class LoadClientTest : public ::testing::TestWithParam<LoadOptions::Backend> {
 protected:
  void SetUp() override {
    std::string why = load_backend_unavailable(GetParam());
    if (!why.empty()) GTEST_SKIP() << why;
  }

  LoadOptions options(int port, int pipeline = 1) {
    LoadOptions o;
    o.port = port;
    o.connections = 4;
    o.pipeline = pipeline;
    o.path = "/plaintext";
    o.duration_s = 0.4;
    o.timeout_ms = 300;
    o.backend = GetParam();
    return o;
  }

  static Outcome run(const LoadOptions& o) {
    auto t = std::chrono::steady_clock::now();
    LoadClient client(o);
    Outcome r;
    r.report = client.run();
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    return r;
  }

  // Every request is accounted for, and the run ended on time: the window, at most the 1 s
  // drain, and slack for a loaded machine.
  static void expect_accounted(const Outcome& r, const LoadOptions& o) {
    const LoadStats& s = r.report.stats;
    EXPECT_EQ(s.sent, s.completed_total + s.failed + s.unfinished);
    EXPECT_LT(r.wall_s, o.duration_s + 1.0 + 1.5);
  }
};

TEST_P(LoadClientTest, EveryRequestAnsweredAndCountedByTheServer) {
  for (int pipeline : {1, 16}) {
    HostilePeer peer(HostilePeer::kOk);
    LoadOptions o = options(peer.port(), pipeline);
    Outcome r = run(o);
    peer.stop();
    const LoadStats& s = r.report.stats;
    expect_accounted(r, o);
    EXPECT_GT(s.completed_total, 100u);
    EXPECT_EQ(s.completed_total, peer.answered());
    EXPECT_EQ(s.failed, 0u);
    EXPECT_EQ(s.unfinished, 0u);
    EXPECT_EQ(s.errors_total, 0u);
    EXPECT_EQ(s.latency.count(), s.requests);
  }
}

TEST_P(LoadClientTest, RequestsBehindACloseAreCountedAsLost) {
  for (auto b : {HostilePeer::kCloseHeader, HostilePeer::kCloseSilent}) {
    HostilePeer peer(b);
    LoadOptions o = options(peer.port(), 16);
    Outcome r = run(o);
    peer.stop();
    const LoadStats& s = r.report.stats;
    expect_accounted(r, o);
    EXPECT_GT(s.completed_total, 10u);
    EXPECT_EQ(s.completed_total, peer.answered());
    EXPECT_GE(s.failed, 15 * s.completed_total - 15 * 4);  // 15 lost behind each answer
    EXPECT_GT(s.errors[kLoadErrReset], 0u);
  }
}

TEST_P(LoadClientTest, ServerClosingAfterEachAnswerWithoutSayingSo) {
  // Without pipelining too: the next request goes out before the close arrives, and is lost.
  HostilePeer peer(HostilePeer::kCloseSilent);
  LoadOptions o = options(peer.port(), 1);
  Outcome r = run(o);
  peer.stop();
  const LoadStats& s = r.report.stats;
  expect_accounted(r, o);
  EXPECT_GT(s.completed_total, 10u);
  EXPECT_EQ(s.completed_total, peer.answered());
  EXPECT_GT(s.errors[kLoadErrReset], 0u);
  EXPECT_EQ(s.errors_total, s.failed);  // every error here is one lost request
}

TEST_P(LoadClientTest, ServerSayingCloseIsNoErrorWithoutPipelining) {
  HostilePeer peer(HostilePeer::kCloseHeader);
  LoadOptions o = options(peer.port(), 1);
  Outcome r = run(o);
  peer.stop();
  expect_accounted(r, o);
  EXPECT_GT(r.report.stats.completed_total, 10u);
  EXPECT_EQ(r.report.stats.completed_total, peer.answered());
  EXPECT_EQ(r.report.stats.errors_total, 0u);
}

TEST_P(LoadClientTest, StalledServerTimesOutEveryPipelinedRequest) {
  HostilePeer peer(HostilePeer::kStall);
  LoadOptions o = options(peer.port(), 8);
  Outcome r = run(o);
  peer.stop();
  const LoadStats& s = r.report.stats;
  expect_accounted(r, o);
  EXPECT_EQ(s.completed_total, 0u);
  EXPECT_GE(s.errors[kLoadErrTimeout], 8u * 4);
  EXPECT_EQ(s.errors[kLoadErrTimeout] % 8, 0u);
}

TEST_P(LoadClientTest, HostileAnswersEndOnTimeWithTheirErrorKind) {
  struct Case {
    HostilePeer::Behavior b;
    int pipeline;
    LoadError kind;
  };
  // A long Content-Length pipelined eats the next answers' bytes and then finds garbage; alone,
  // it waits for bytes that never come.
  for (Case k :
       {Case{HostilePeer::kShortLength, 4, kLoadErrBadResponse}, Case{HostilePeer::kLongLength, 1, kLoadErrTimeout},
        Case{HostilePeer::kLongLength, 4, kLoadErrBadResponse}, Case{HostilePeer::kGarbage, 4, kLoadErrBadResponse},
        Case{HostilePeer::kDrip, 4, kLoadErrTimeout}, Case{HostilePeer::kEndlessHead, 4, kLoadErrBadResponse}}) {
    HostilePeer peer(k.b);
    LoadOptions o = options(peer.port(), k.pipeline);
    o.duration_s = 0.8;  // the 300 ms timeouts fall inside the window
    Outcome r = run(o);
    peer.stop();
    expect_accounted(r, o);
    EXPECT_GT(r.report.stats.errors[k.kind], 0u) << "behavior " << k.b;
  }
}

TEST_P(LoadClientTest, TenMegabyteAnswersAreReadWhole) {
  HostilePeer peer(HostilePeer::kHuge);
  LoadOptions o = options(peer.port(), 1);
  o.connections = 2;
  o.timeout_ms = 5000;
  // Long enough that a whole 10 MiB answer ends inside the window on a busy machine (with the
  // 0.4 s default, one run in ~160 under a parallel vitest saw none end in time).
  o.duration_s = 2;
  Outcome r = run(o);
  peer.stop();
  const LoadStats& s = r.report.stats;
  expect_accounted(r, o);
  EXPECT_GT(s.requests, 0u);
  EXPECT_GE(s.bytes_read, s.requests * 10485760ull);
  EXPECT_EQ(s.errors_total, 0u);
}

TEST_P(LoadClientTest, RequestBudgetEndsWithExactlyThatManyAnswers) {
  HostilePeer peer(HostilePeer::kOk);
  LoadOptions o = options(peer.port(), 8);
  o.threads = 2;
  o.duration_s = 10;
  o.requests = 3000;
  Outcome r = run(o);
  peer.stop();
  EXPECT_EQ(r.report.stats.completed_total, 3000u);
  EXPECT_EQ(r.report.stats.sent, 3000u);
  EXPECT_EQ(peer.answered(), 3000u);
  EXPECT_LT(r.wall_s, 8.0);
}

TEST_P(LoadClientTest, RefusedPortCountsConnectErrorsWithNothingSent) {
  int port;
  {
    HostilePeer peer(HostilePeer::kOk);
    port = peer.port();
  }
  LoadOptions o = options(port, 1);
  o.duration_s = 0.2;
  Outcome r = run(o);
  expect_accounted(r, o);
  EXPECT_GT(r.report.stats.errors[kLoadErrConnect], 0u);
  EXPECT_EQ(r.report.stats.sent, 0u);
}

TEST_P(LoadClientTest, LiveP99AfterTheRunIsTheFinalP99) {
  HostilePeer peer(HostilePeer::kOk);
  LoadOptions o = options(peer.port(), 1);
  o.duration_s = 1.5;
  LoadClient client(o);
  std::atomic<bool> ran{false};
  std::thread poller([&] {  // as native-client.ts does: progress() every 10 ms
    while (!ran.load()) {
      client.progress();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  LoadReport rep = client.run();
  ran.store(true);
  poller.join();
  peer.stop();
  LoadProgress p = client.progress();
  ASSERT_GT(rep.stats.requests, 0u);
  EXPECT_EQ(p.phase, LoadProgress::kDone);
  // The same buckets: the live p99 is the final p99's bucket midpoint (the final one may be
  // clamped to the largest value seen).
  EXPECT_EQ(Histogram::index_of(p.p99_ns), Histogram::index_of(rep.stats.latency.percentile(99)));
  EXPECT_GT(p.p99_last_second_ns, 0u);  // the window's last second is shown too
}

TEST_P(LoadClientTest, LiveSecondsAreTheReportsPerSecondCounts) {
  HostilePeer peer(HostilePeer::kOk);
  LoadOptions o = options(peer.port(), 1);
  o.duration_s = 2.5;  // two whole seconds and a partial third
  LoadClient client(o);
  std::atomic<bool> ran{false};
  std::vector<std::pair<uint64_t, uint64_t>> seen;  // (second, its answers) as progress() showed them
  std::thread poller([&] {
    while (!ran.load()) {
      LoadProgress p = client.progress();
      if (p.phase == LoadProgress::kMeasure && p.last_second > 0)
        seen.emplace_back(p.last_second, p.last_second_requests);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  LoadReport rep = client.run();
  ran.store(true);
  poller.join();
  peer.stop();
  ASSERT_EQ(rep.stats.per_second.size(), 3u);
  // A whole second, once over, keeps its count: what was shown is what the report says.
  ASSERT_FALSE(seen.empty());
  for (const auto& [second, answers] : seen)
    EXPECT_EQ(answers, rep.stats.per_second[second - 1]) << "second " << second;
  LoadProgress done = client.progress();
  EXPECT_EQ(done.last_second, 3u);  // once done, the partial last second is the last shown
  EXPECT_EQ(done.last_second_requests, rep.stats.per_second[2]);
  EXPECT_GT(done.last_second_requests, 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, LoadClientTest, ::testing::Values(LoadOptions::kEpoll, LoadOptions::kIoUring),
                         [](const ::testing::TestParamInfo<LoadOptions::Backend>& i) {
                           return std::string(i.param == LoadOptions::kEpoll ? "epoll" : "io_uring");
                         });

}  // namespace
}  // namespace evb
