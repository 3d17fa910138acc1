#include "load_client.h"

#include <netdb.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "load_backend.h"
#include "load_clock.h"
#include "load_plan.h"
#include "load_thread.h"

namespace evb {
namespace {

socklen_t resolve(const std::string& host, int port, sockaddr_storage* out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  std::string service = std::to_string(port);
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
  if (rc != 0 || res == nullptr) throw std::runtime_error("cannot resolve " + host + ": " + gai_strerror(rc));
  socklen_t len = res->ai_addrlen;
  std::memcpy(out, res->ai_addr, len);
  freeaddrinfo(res);
  return len;
}

// Numeric source addresses of the target's family (JS checked them; a wrong family is an error
// here too, since a socket of one family cannot bind an address of the other).
void resolve_sources(const LoadOptions& o, LoadPlan* plan) {
  for (const std::string& a : o.source_addresses) {
    addrinfo hints{};
    hints.ai_family = plan->addr.ss_family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* res = nullptr;
    int rc = getaddrinfo(a.c_str(), nullptr, &hints, &res);
    if (rc != 0 || res == nullptr)
      throw std::runtime_error("source address " + a + " is not a numeric address of the target's family");
    sockaddr_storage s{};
    std::memcpy(&s, res->ai_addr, res->ai_addrlen);
    plan->source_len = res->ai_addrlen;
    freeaddrinfo(res);
    plan->sources.push_back(s);
  }
}

// Every connection is a descriptor: the soft limit goes up to the hard one, which any process
// may do (the JS side plans the connections per process from the hard limit: native-split.ts).
void raise_open_file_limit(int connections) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= static_cast<rlim_t>(connections) + 64) return;
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
}

uint64_t seconds_to_ns(double s) { return static_cast<uint64_t>(s * 1e9 + 0.5); }

}  // namespace

LoadClient::LoadClient(LoadOptions o) : opts_(std::move(o)) {}
LoadClient::~LoadClient() = default;

LoadReport LoadClient::run() {
  std::string why = load_backend_unavailable(opts_.backend, opts_.sqpoll);
  if (!why.empty()) throw std::runtime_error(why);
  sockaddr_storage addr{};
  socklen_t alen = resolve(opts_.host, opts_.port, &addr);
  raise_open_file_limit(opts_.connections);
  int nthreads = opts_.threads < opts_.connections ? opts_.threads : opts_.connections;
  {
    std::lock_guard<std::mutex> lock(mu_);
    plan_ = std::make_unique<LoadPlan>(opts_, addr, alen);
    plan_->head_request = opts_.method == "HEAD";
    resolve_sources(opts_, plan_.get());
    plan_->active = opts_.active < 0 || opts_.active > opts_.connections ? opts_.connections : opts_.active;
    if (opts_.rate > 0 && plan_->active > 0)
      plan_->interval_ns = static_cast<uint64_t>(1e9 * plan_->active / opts_.rate);
    // A little ahead, so every thread is up before the first request is due.
    plan_->t0 = load_now_ns() + 2000000;
    plan_->measure_start = plan_->t0 + seconds_to_ns(opts_.warmup_s);
    plan_->measure_end = plan_->measure_start + seconds_to_ns(opts_.duration_s);
    plan_->budget_left.store(opts_.requests);
    if (stopped_.load()) plan_->stop.store(true);
    int first = 0;
    for (int i = 0; i < nthreads; ++i) {
      int count = opts_.connections / nthreads + (i < opts_.connections % nthreads ? 1 : 0);
      threads_.push_back(LoadThread::create(*plan_, i, first, count));
      first += count;
    }
  }
  std::vector<std::thread> running;
  for (auto& t : threads_) running.emplace_back([&t] { t->run(); });
  for (auto& r : running) r.join();
  uint64_t finished = load_now_ns();
  done_.store(true);

  LoadReport report;
  report.backend = load_backend_name(opts_.backend);
  report.sqpoll = opts_.backend == LoadOptions::kIoUring && opts_.sqpoll;
  for (auto& t : threads_) {
    if (!t->fatal.empty()) throw std::runtime_error(t->fatal);
    report.stats.merge(t->stats);
  }
  uint64_t ramp_end = report.stats.connect.ramp_end_ns;
  report.ramp_s = ramp_end > plan_->t0 ? static_cast<double>(ramp_end - plan_->t0) / 1e9 : 0;
  uint64_t end = finished < plan_->measure_end ? finished : plan_->measure_end;
  report.duration_s = end > plan_->measure_start ? static_cast<double>(end - plan_->measure_start) / 1e9 : 0;
  if (report.stats.per_second.size() > 0 && end < plan_->measure_end) {
    // Stopped early: keep only the seconds that were measured (the last one may be partial).
    size_t secs = static_cast<size_t>((end - plan_->measure_start + 999999999ull) / 1000000000ull);
    if (secs < report.stats.per_second.size()) report.stats.per_second.resize(secs);
    report.stats.intervals.truncate(secs);
  }
  return report;
}

// The last second of the window whose answers are all counted, and its answers, read from the
// threads' live copies of stats.per_second. A second is complete once every thread has
// published a clock reading past its end (an answer is stamped before it is counted; threads
// publish every loop turn, and wake at least every few milliseconds), so the figure shown is
// the figure the result records.
void LoadClient::last_whole_second(LoadProgress& p) const {
  if (threads_.empty() || threads_.front()->live_seconds == 0) return;
  uint64_t settled = UINT64_MAX;
  for (const auto& t : threads_) settled = std::min(settled, t->progress_now.load(std::memory_order_acquire));
  if (settled <= plan_->measure_start) return;
  size_t seconds = threads_.front()->live_seconds;
  size_t over =
      settled >= plan_->measure_end ? seconds : static_cast<size_t>((settled - plan_->measure_start) / 1000000000ull);
  if (over == 0) return;
  size_t last = (over > seconds ? seconds : over) - 1;
  for (const auto& t : threads_) p.last_second_requests += t->live_per_second[last].load(std::memory_order_relaxed);
  p.last_second = last + 1;
}

LoadProgress LoadClient::progress() const {
  LoadProgress p;
  std::lock_guard<std::mutex> lock(mu_);
  if (!plan_) return p;
  uint64_t now = load_now_ns();
  LiveLatency::Counts sums = LiveLatency::empty();
  for (const auto& t : threads_) {
    p.requests += t->progress_completed.load(std::memory_order_relaxed);
    p.errors += t->progress_errors.load(std::memory_order_relaxed);
    p.sent += t->progress_sent.load(std::memory_order_relaxed);
    t->live_latency.add_to(sums);
  }
  p.p99_ns = LiveLatency::percentile(sums, 99.0);
  bool done = done_.load() || now >= plan_->measure_end;
  if (now >= plan_->measure_start) {
    // Latencies are recorded only inside the window, so the window's first second starts from
    // zero counts; a later second starts from the counts first seen in it (polled often, that
    // is within a poll of its start). Once done, the window's last second is the last shown.
    uint64_t at = now < plan_->measure_end ? now : plan_->measure_end;
    int64_t k = static_cast<int64_t>((at - plan_->measure_start) / 1000000000ull);
    if (done) ++k;  // the last (perhaps partial) second is over
    if (second_index_ < 0) second_base_ = LiveLatency::empty();
    if (k > second_index_) {
      if (second_index_ >= 0) {
        last_second_p99_ = LiveLatency::percentile(sums, 99.0, &second_base_);
        last_second_p50_ = LiveLatency::percentile(sums, 50.0, &second_base_);
      }
      second_base_ = sums;
      second_index_ = k;
    }
  }
  p.p99_last_second_ns = last_second_p99_;
  p.p50_last_second_ns = last_second_p50_;
  last_whole_second(p);
  p.elapsed_s = now > plan_->t0 ? static_cast<double>(now - plan_->t0) / 1e9 : 0;
  if (done) {
    p.phase = LoadProgress::kDone;
  } else {
    p.phase = now < plan_->measure_start ? LoadProgress::kWarmup : LoadProgress::kMeasure;
  }
  return p;
}

void LoadClient::stop() {
  stopped_.store(true);
  std::lock_guard<std::mutex> lock(mu_);
  if (!plan_) return;
  plan_->stop.store(true);
  for (auto& t : threads_) t->wake();
}

}  // namespace evb
