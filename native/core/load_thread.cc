#include "load_thread.h"
#include "portable.h"  // CPU pinning where the platform has it

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "load_arrival.h"
#include "load_clock.h"

namespace evb {
namespace {

// A connection's input buffer is allocated at its first read (an idle connection holds none of
// it: 16 KiB of which a page would be resident), then grows for long heads up to kInMax.
constexpr size_t kIdleCapacity = 16;
constexpr size_t kInCapacity = 16 * 1024;
constexpr size_t kInMax = 2 * ResponseParser::kMaxHead;
constexpr uint64_t kConnectBackoffNs = 1000000;  // 1 ms: no hot spin against a refused port
constexpr uint64_t kMaxDrainNs = 1000000000;     // in-flight answers awaited after the window
// Unpaced, the ramp opens this many connections per loop turn: full speed, yet the loop still
// reads completions between batches, so each connect's latency is timed when it finishes.
constexpr size_t kRampBatch = 256;
constexpr uint64_t kSweepNsPerConn = 2000;

// The HTTP/2 request: the HTTP/1.1 one's method, path and headers; Host becomes :authority and
// the headers HTTP/2 forbids (connection-specific, RFC 9113 8.2.2) are dropped.
H2Request h2_request_of(const LoadOptions& o) {
  H2Request r;
  r.method = o.method;
  r.scheme = o.tls ? "https" : "http";
  bool v6 = o.host.find(':') != std::string::npos;
  r.authority = (v6 ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port);
  r.path = o.path;
  for (const auto& h : o.headers) {
    std::string name = h.first;
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (name == "host") {
      r.authority = h.second;
      continue;
    }
    if (name == "connection" || name == "keep-alive" || name == "proxy-connection" || name == "transfer-encoding" ||
        name == "upgrade")
      continue;
    r.headers.emplace_back(name, h.second);
  }
  return r;
}

uint64_t thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<uint64_t>(t.tv_sec) * 1000000000ull + static_cast<uint64_t>(t.tv_nsec);
}

double per_thread(double total, const LoadOptions& o) {
  int threads = o.threads < o.connections ? o.threads : o.connections;
  return threads > 0 ? total / threads : total;
}

}  // namespace

LoadThread::LoadThread(LoadPlan& plan, int index, int first_conn, int count)
    : plan_(plan), index_(index), pacer_(per_thread(plan.opts.connect_rate, plan.opts), plan.t0) {
  const LoadOptions& o = plan.opts;
  uint64_t timeout_ns = static_cast<uint64_t>(o.timeout_ms) * 1000000ull;
  uint64_t connect_ns = static_cast<uint64_t>(o.connect_timeout_ms) * 1000000ull;
  if (connect_ns != 0 && connect_ns < timeout_ns) timeout_ns = connect_ns;
  sweep_ns_ = timeout_ns / 4;
  if (sweep_ns_ > 5000000) sweep_ns_ = 5000000;
  if (sweep_ns_ < 200000) sweep_ns_ = 200000;
  // A sweep visits every connection: with many, it runs less often (2 us per connection
  // between sweeps, so it stays a small share of a core), never less than 4 per timeout.
  uint64_t scaled = static_cast<uint64_t>(count) * kSweepNsPerConn;
  if (scaled > sweep_ns_) sweep_ns_ = scaled < timeout_ns / 4 ? scaled : timeout_ns / 4;
  depth_ = o.h2 ? static_cast<uint32_t>(o.h2_streams) : o.keep_alive ? static_cast<uint32_t>(o.pipeline) : 1;
  if (o.h2) h2_request_ = h2_request_of(o);
  uint64_t total = static_cast<uint64_t>(o.connections), active = static_cast<uint64_t>(plan.active);
  for (int i = 0; i < count; ++i) {
    auto c = std::make_unique<LoadConn>(static_cast<int>(depth_), kIdleCapacity);
    c->id = static_cast<uint32_t>(first_conn + i);
    // The active connections are spread evenly over the ids (so over the threads too); rank
    // is a connection's place among them.
    uint64_t rank = c->id * active / total;
    c->active = (c->id + 1) * active / total > rank;
    c->rng = arrival_seed(o.seed, c->id);
    // Stagger the schedules so the total is evenly spaced, not in bursts of A (poisson: the
    // first gap is itself exponential, so the phases are random).
    if (plan.interval_ns && c->active) {
      c->next_due =
          plan.t0 + (o.poisson ? arrival_gap(true, plan.interval_ns, &c->rng) : rank * plan.interval_ns / active);
    }
    conns_.push_back(std::move(c));
  }
  double secs = o.duration_s;
  size_t slots = static_cast<size_t>(secs);
  if (static_cast<double>(slots) < secs) ++slots;
  stats.per_second.assign(slots, 0);
  live_per_second.reset(new std::atomic<uint64_t>[slots]);
  for (size_t i = 0; i < slots; ++i) live_per_second[i].store(0, std::memory_order_relaxed);
  live_seconds = slots;
  scratch_.resize(kInMax);
}

void LoadThread::count_error(LoadError kind, uint64_t now, uint64_t n) {
  stats.errors_total += n;
  if (in_window(now)) stats.errors[kind] += n;
}

void LoadThread::publish(uint64_t now) {
  progress_completed.store(stats.completed_total, std::memory_order_relaxed);
  progress_errors.store(stats.errors_total, std::memory_order_relaxed);
  progress_sent.store(stats.sent, std::memory_order_relaxed);
  progress_now.store(now, std::memory_order_release);  // after the counts it vouches for
}

bool LoadThread::open(LoadConn& c, uint64_t now, bool requests_follow) {
  c.retry_at = 0;
  c.parser.reset(plan_.head_request);
  c.parser.set_hash_body(plan_.opts.check_body);
  c.echo_got = 0;
  c.connect_started = now;
  ++stats.connect.attempts;
  if (!io_open(c, now)) {
    ++stats.connect.errors[connect_error_kind(errno)];
    c.fd = -1;
    c.state = LoadConn::kClosed;
    count_error(kLoadErrConnect, now, 1);
    c.retry_at = now + kConnectBackoffNs;
    return false;
  }
  if (c.state == LoadConn::kOpen) {  // connect() finished at once
    if (plan_.opts.tls) {
      c.state = LoadConn::kConnecting;  // until the handshake is over
      if (requests_follow) {
        c.tls_start_due = true;  // fill_now() starts it
      } else {
        connected(c, now, 0);
      }
    } else {
      established(c, now);
    }
  }
  c.sent[c.head & c.mask] = now;  // the connect's own deadline while nothing is in flight
  return true;
}

void LoadThread::established(LoadConn& c, uint64_t now) {
  tcp_established(c, now);
  first_open(c, now);
}

// The TCP connect's own count and latency (with TLS, the handshake follows: its latency is
// recorded apart, in stats.tls).
void LoadThread::tcp_established(LoadConn& c, uint64_t now) {
  ConnectStats& k = stats.connect;
  ++k.opened;
  k.latency.record(now > c.connect_started ? now - c.connect_started : 0);
}

// The connection can carry requests (after the handshake with TLS): the ramp counts it.
void LoadThread::first_open(LoadConn& c, uint64_t now) {
  ConnectStats& k = stats.connect;
  if (!c.opened_once) {
    c.opened_once = true;
    ++k.first_opened;
    k.ramp_end_ns = now;
    if (k.first_opened == conns_.size()) k.ramp_cpu_ns = thread_cpu_ns();
  }
}

void LoadThread::connect_failed(LoadConn& c, int err, uint64_t now) {
  ++stats.connect.errors[connect_error_kind(err)];
  c.retry_at = now + kConnectBackoffNs;
  fail(c, kLoadErrConnect, now);
}

void LoadThread::handshaken(LoadConn& c, uint64_t now) {
  TlsError why = kTlsErrHandshake;
  if (!tls_.finished(c.ssl, now > c.handshake_started ? now - c.handshake_started : 0, &stats.tls, &why)) {
    tls_failed(c, why, now);
    return;
  }
  if (c.early == LoadConn::kEarlySent) early_settle(c);
  c.handshaking = false;
  c.state = LoadConn::kOpen;
  first_open(c, now);
  if (c.out_left != 0) {
    io_send(c, now);
  } else {
    fill(c, now);
  }
}

// Like a refused connect: counted by kind, the requests waiting on it lost as tls errors, and
// retried after the back-off (no hot spin against a server that speaks no TLS).
void LoadThread::tls_failed(LoadConn& c, TlsError why, uint64_t now) {
  c.retry_at = now + kConnectBackoffNs;
  tls_broke(c, why, now);
}

void LoadThread::tls_broke(LoadConn& c, TlsError why, uint64_t now) {
  ++stats.tls.errors[why];
  fail(c, kLoadErrTls, now);
}

void LoadThread::tls_read_ended(LoadConn& c, TlsClient::Step step, TlsError why, uint64_t now) {
  if (step == TlsClient::kClosed) {
    on_eof(c, now);
  } else {
    tls_broke(c, why, now);
  }
}

// When the session offered allows early data and the batch fits, the batch goes as early data.
// Keep-alive connections stage their first batch here, while still connecting (without
// keep-alive fill() staged it before the connect).
void LoadThread::early_begin(LoadConn& c, uint64_t now) {
  const LoadOptions& o = plan_.opts;
  if (!o.tls_early_data || o.h2) return;
  size_t room = tls_.early_data_room(c.ssl);
  if (room == 0) return;  // a first connection, or a ticket without early data: a normal handshake
  if (c.out_left == 0 && c.inflight == 0) {
    staging_early_ = true;
    fill_now(c, now);
    staging_early_ = false;
  }
  if (c.out_left != 0 && c.out_off == 0 && c.out_left <= room) c.early = LoadConn::kEarlyWriting;
}

TlsClient::Step LoadThread::early_write(LoadConn& c, uint64_t now) {
  while (c.out_left != 0) {
    TlsClient::Step step = TlsClient::kFailed;
    TlsError why = kTlsErrHandshake;
    long n = tls_.write_early(c.ssl, out_ptr(c), c.out_left, &step, &why);
    if (n > 0) {
      c.out_off += static_cast<size_t>(n);
      c.out_left -= static_cast<size_t>(n);
      continue;
    }
    if (step == TlsClient::kFailed) tls_failed(c, why, now);
    return step;
  }
  c.early = LoadConn::kEarlySent;
  ++stats.tls.early_data_sent;
  return TlsClient::kDone;
}

// A server that did not take the early data discarded it unread: the same batch is written
// again now, normally (its requests stay in flight, each counted once).
void LoadThread::early_settle(LoadConn& c) {
  c.early = LoadConn::kEarlyNone;
  if (tls_.early_data_accepted(c.ssl)) {
    ++stats.tls.early_data_accepted;
    return;
  }
  c.out_left += c.out_off;
  c.out_off = 0;
}

// A keep-alive connection opens when its back-off is over and the pacer lets it; else it waits
// for the later of the two.
bool LoadThread::open_paced(LoadConn& c, uint64_t now) {
  if (now < c.retry_at) return false;
  if (!pacer_.take(now)) {
    c.retry_at = pacer_.next();
    return false;
  }
  return open(c, now);
}

// Connections not yet opened, in order, as fast as the pacer allows.
void LoadThread::ramp(uint64_t now) {
  size_t batch = 0;
  while (ramp_next_ < conns_.size() && batch < kRampBatch) {
    if (plan_.opts.keep_alive && !pacer_.take(now)) break;
    LoadConn& c = *conns_[ramp_next_++];
    ++batch;
    if (!plan_.opts.keep_alive) {  // each request opens its own connection, when it is due
      fill(c, now);
      continue;
    }
    if (open(c, now) && c.state == LoadConn::kOpen) fill(c, now);
  }
  ramp_at_ = pacer_.paced() ? pacer_.next() : now;
}

void LoadThread::tick(uint64_t now) {
  if (!draining_ && ramp_next_ < conns_.size() && now >= ramp_at_) ramp(now);
  if (!draining_) run_due(now);
  if (now >= next_timer_) sweep(now);
}

void LoadThread::close_conn(LoadConn& c) {
  delete c.h2;  // its open streams are lost with the connection (counted by the caller)
  c.h2 = nullptr;
  c.h2_out.clear();
  c.h2_goaway = false;
  if (c.ssl != nullptr) tls_.close(c.ssl);
  c.ssl = nullptr;
  c.handshaking = false;
  c.tls_start_due = false;
  c.early = LoadConn::kEarlyNone;
  c.tls_out.clear();  // keeps its memory: a cancelled send may still point into it
  c.tls_out_off = 0;
  c.tls_sealed = false;
  if (c.fd >= 0) io_close(c);
  c.fd = -1;
  c.state = LoadConn::kClosed;
  c.in.clear();
  inflight_total_ -= c.inflight;
  c.inflight = 0;
  c.out_left = 0;
  c.out_off = 0;
  c.echo_got = 0;
  ++c.gen;
}

// Closes the connection and starts again: keep-alive connections reconnect at once (or after
// the back-off), the others when their next request is due (in fill()).
void LoadThread::restart(LoadConn& c, uint64_t now) {
  close_conn(c);
  if (draining_) return;
  if (plan_.opts.keep_alive) {
    if (open_paced(c, now) && c.state == LoadConn::kOpen) fill(c, now);
  } else {
    fill(c, now);
  }
  if (c.state == LoadConn::kClosed && c.retry_at > now && c.retry_at < next_timer_) next_timer_ = c.retry_at;
}

// Every request in flight on c is lost: each is counted once, as a failure of this kind (at
// least one error when none was in flight), and gives its place in the budget back.
void LoadThread::lose_inflight(LoadConn& c, LoadError kind, uint64_t now) {
  uint64_t lost = c.inflight;
  stats.failed += lost;
  count_error(kind, now, lost != 0 ? lost : 1);
  if (plan_.opts.requests != 0 && lost != 0) plan_.budget_left.fetch_add(lost, std::memory_order_relaxed);
}

void LoadThread::fail(LoadConn& c, LoadError kind, uint64_t now) {
  lose_inflight(c, kind, now);
  restart(c, now);
}

// Claims up to `want` requests from the budget (all of them when there is none).
uint32_t LoadThread::claim(uint32_t want) {
  if (plan_.opts.requests == 0) return want;
  uint64_t left = plan_.budget_left.load(std::memory_order_relaxed);
  while (left != 0) {
    uint64_t take = left < want ? left : want;
    if (plan_.budget_left.compare_exchange_weak(left, left - take, std::memory_order_relaxed)) {
      return static_cast<uint32_t>(take);
    }
  }
  return 0;
}

// Starts what can start now, then (open loop) arms the connection's next due time.
void LoadThread::fill(LoadConn& c, uint64_t now) {
  fill_now(c, now);
  note_due(c);
}

// Starts as many requests as the mode allows now: closed loop, enough to fill the pipeline;
// open loop, those whose intended time has come (timed from that time, however late).
void LoadThread::fill_now(LoadConn& c, uint64_t now) {
  if (draining_ || c.out_left != 0 || !c.active) return;
  uint32_t room = depth_ - c.inflight;
  if (room == 0 || (c.state == LoadConn::kConnecting && !staging_early_)) return;
  uint32_t k = room;
  uint64_t iv = plan_.interval_ns;
  bool poisson = plan_.opts.poisson;
  if (iv) {
    if (now < c.next_due) return;
    if (!poisson) {
      uint64_t due = (now - c.next_due) / iv + 1;
      if (due < k) k = static_cast<uint32_t>(due);
    } else {  // count the requests due by now on a copy of the schedule
      uint64_t at = c.next_due, rng = c.rng;
      uint32_t due = 0;
      while (due < k && at <= now) {
        ++due;
        at += arrival_gap(true, iv, &rng);
      }
      k = due;
    }
  }
  if (c.state == LoadConn::kClosed && (plan_.opts.keep_alive || now < c.retry_at)) return;
  k = claim(k);
  if (k == 0) return;
  // Keep-alive off: every request opens its connection (keep-alive on: closed only while
  // backing off after a failed connect, handled above).
  if (c.state == LoadConn::kClosed && !open(c, now, !plan_.opts.h2)) {
    if (plan_.opts.requests != 0) plan_.budget_left.fetch_add(k, std::memory_order_relaxed);
    return;
  }
  if (plan_.opts.h2) {
    h2_fill(c, k, now);
    return;
  }
  for (uint32_t i = 0; i < k; ++i) {
    uint32_t slot = (c.head + c.inflight + i) & c.mask;
    c.intended[slot] = iv ? c.next_due : now;
    c.sent[slot] = now;
    if (iv) c.next_due += arrival_gap(poisson, iv, &c.rng);
  }
  c.inflight += k;
  inflight_total_ += k;
  stats.sent += k;
  c.out_off = 0;
  c.out_left = plan_.batch.bytes(static_cast<int>(k));
  if (c.tls_start_due) {
    c.tls_start_due = false;
    connected(c, now, 0);
  } else if (c.state == LoadConn::kOpen) {
    io_send(c, now);
  }
}

void LoadThread::connected(LoadConn& c, uint64_t now, int err) {
  if (err != 0) {
    connect_failed(c, err, now);
    return;
  }
  if (plan_.opts.tls) {
    tcp_established(c, now);
    c.handshaking = true;
    c.handshake_started = now;
    io_handshake(c, now);
    return;
  }
  c.state = LoadConn::kOpen;
  established(c, now);
  if (c.out_left != 0) {
    io_send(c, now);
  } else {
    fill(c, now);
  }
}

void LoadThread::on_input(LoadConn& c, size_t n, uint64_t now) {
  if (in_window(now)) stats.bytes_read += n;
  if (plan_.opts.h2) {
    bool ok = h2_input(c, c.in.linearize(), c.in.size(), now);
    if (ok) c.in.clear();
    if (ok) fill(c, now);
    if (ok) h2_flush(c, now);
    return;
  }
  bool ok = plan_.opts.echo ? parse_echo(c, now) : parse_http(c, now);
  if (ok) fill(c, now);
}

bool LoadThread::ensure_input(LoadConn& c) { return c.in.capacity() >= kInCapacity || c.in.reserve(kInCapacity); }

bool LoadThread::on_input_bytes(LoadConn& c, const char* p, size_t n, uint64_t now) {
  uint32_t gen = c.gen;
  if (plan_.opts.h2) {
    if (in_window(now)) stats.bytes_read += n;
    if (!h2_input(c, p, n, now)) return false;
    fill(c, now);
    if (c.gen == gen) h2_flush(c, now);
    return c.gen == gen;
  }
  if (!ensure_input(c)) {
    fail(c, kLoadErrBadResponse, now);
    return false;
  }
  while (n != 0) {
    iovec w[2] = {};
    if (c.in.writable_iov(w) == 0) {
      fail(c, kLoadErrBadResponse, now);
      return false;
    }
    size_t m = n < w[0].iov_len ? n : w[0].iov_len;
    std::memcpy(w[0].iov_base, p, m);
    c.in.commit(m);
    p += m;
    n -= m;
    if (in_window(now)) stats.bytes_read += m;
    bool ok = plan_.opts.echo ? parse_echo(c, now) : parse_http(c, now);
    if (!ok || c.gen != gen) return false;
  }
  fill(c, now);
  return true;
}

void LoadThread::on_eof(LoadConn& c, uint64_t now) {
  // The peer closed. A close-framed body ends here; requests still unanswered are lost.
  if (!plan_.opts.echo && c.parser.on_eof() == ResponseParser::kDone && !c.parser.idle()) {
    int status = c.parser.status();
    unsigned diff = differs(c.parser);
    c.parser.reset(plan_.head_request);
    if (!complete(c, now, status, diff)) return;
  }
  if (c.inflight != 0 || !c.in.empty()) {
    fail(c, kLoadErrReset, now);
  } else {
    restart(c, now);
  }
}

// Records one answered request; false when there was none in flight (the connection is then
// already restarted as a bad response).
unsigned LoadThread::differs(const ResponseParser& p) const {
  const LoadOptions& o = plan_.opts;
  unsigned d = 0;
  if (o.check_status != 0 && p.status() != o.check_status) d |= 1u << kCheckStatus;
  if (o.check_length >= 0 && p.body_length() != static_cast<uint64_t>(o.check_length)) d |= 1u << kCheckLength;
  if (o.check_body && p.body_hash() != o.check_body_hash) d |= 1u << kCheckBody;
  return d;
}

bool LoadThread::complete(LoadConn& c, uint64_t now, int status, unsigned diff) {
  if (c.inflight == 0) {
    fail(c, kLoadErrBadResponse, now);
    return false;
  }
  uint64_t start = c.intended[c.head & c.mask];
  ++c.head;
  --c.inflight;
  --inflight_total_;
  record_answer(start, now, status, diff);
  return true;
}

// One answer, of a request meant to start at `start`: counted, and timed in the window.
void LoadThread::record_answer(uint64_t start, uint64_t now, int status, unsigned diff) {
  ++stats.completed_total;
  if (in_window(now)) {
    uint64_t latency = now > start ? now - start : 0;
    ++stats.requests;
    stats.latency.record(latency);
    live_latency.record(latency);
    size_t sec = static_cast<size_t>((now - plan_.measure_start) / 1000000000ull);
    if (sec < stats.per_second.size()) live_per_second[sec].store(++stats.per_second[sec], std::memory_order_relaxed);
    stats.intervals.record(sec, latency);
    if (diff != 0) {
      ++stats.mismatched;
      for (int f = 0; f < kCheckFields; ++f)
        if (diff & (1u << f)) ++stats.mismatch[f];
    }
    if (status >= 0 && static_cast<size_t>(status) < LoadStats::kStatusCodes) ++stats.status_codes[status];
    if (status != 0) {
      int cls = status / 100;
      if (cls >= 1 && cls <= 5) ++stats.status[cls];
      if (cls != 2) ++stats.errors[kLoadErrStatus];
    }
  }
  if (status != 0 && status / 100 != 2) ++stats.errors_total;
}

bool LoadThread::parse_http(LoadConn& c, uint64_t now) {
  const char* p = c.in.linearize();
  size_t n = c.in.size(), off = 0;
  while (off < n) {
    size_t used = 0;
    ResponseParser::Result r = c.parser.feed(p + off, n - off, &used);
    off += used;
    if (r == ResponseParser::kError) {
      fail(c, kLoadErrBadResponse, now);
      return false;
    }
    if (r == ResponseParser::kNeedMore) break;
    int status = c.parser.status();
    bool closes = c.parser.closes();
    unsigned diff = differs(c.parser);
    c.parser.reset(plan_.head_request);
    if (!complete(c, now, status, diff)) return false;
    if (closes || !plan_.opts.keep_alive) {
      // The server closes after this answer (or we asked it to): requests pipelined behind it
      // will never be answered. They are lost as if the server had closed under them.
      if (c.inflight != 0) {
        fail(c, kLoadErrReset, now);
      } else {
        restart(c, now);
      }
      return false;
    }
  }
  c.in.consume(off);
  if (c.in.empty()) {
    c.in.clear();
    return true;
  }
  size_t cap = c.in.capacity();
  if (c.in.full()) {  // a head longer than the buffer: grow (reserve also moves it to the front)
    if (cap >= kInMax) {
      fail(c, kLoadErrBadResponse, now);
      return false;
    }
    c.in.reserve(cap * 2);
    return true;
  }
  // Keep the partial answer at the front so the next read lands after it, contiguously.
  iovec w[2] = {};
  if (c.in.writable_iov(w) == 2 || w[0].iov_len < cap / 4) {
    size_t m = c.in.read(scratch_.data(), c.in.size());
    c.in.clear();
    c.in.write(scratch_.data(), m);
  }
  return true;
}

bool LoadThread::parse_echo(LoadConn& c, uint64_t now) {
  size_t n = c.in.size();
  c.in.clear();
  c.echo_got += n;
  uint64_t msg = plan_.batch.size();
  while (c.echo_got >= msg && msg != 0) {
    c.echo_got -= msg;
    if (!complete(c, now, 0)) return false;
  }
  return true;
}

// Timeouts, reconnects after a back-off, and (open loop) requests coming due.
void LoadThread::sweep(uint64_t now) {
  uint64_t next = now + sweep_ns_;
  uint64_t timeout_ns = static_cast<uint64_t>(plan_.opts.timeout_ms) * 1000000ull;
  uint64_t connect_ns = static_cast<uint64_t>(plan_.opts.connect_timeout_ms) * 1000000ull;
  for (size_t i = 0; i < ramp_next_; ++i) {  // those beyond are not opened yet (ramp())
    LoadConn& c = *conns_[i];
    if (c.state == LoadConn::kConnecting && connect_ns != 0) {
      // A connect has its own deadline (from open(), or the send of the requests it carries):
      // past it the connect failed, and the requests waiting on it with it.
      if (now - c.sent[c.head & c.mask] >= connect_ns) {
        if (c.handshaking) {
          tls_failed(c, kTlsErrTimeout, now);
        } else {
          connect_failed(c, ETIMEDOUT, now);
        }
        continue;
      }
    } else if (c.state != LoadConn::kClosed && (c.inflight != 0 || c.state == LoadConn::kConnecting)) {
      uint64_t since = oldest_sent(c);
      if (now - since >= timeout_ns) {
        // The oldest request timed out; those pipelined behind it go with it, each a timeout.
        if (c.handshaking) {
          tls_failed(c, kTlsErrTimeout, now);
          continue;
        }
        if (c.state == LoadConn::kConnecting) ++stats.connect.errors[kConnErrTimeout];
        fail(c, kLoadErrTimeout, now);
        continue;
      }
    }
    if (draining_) continue;
    if (c.state == LoadConn::kClosed && plan_.opts.keep_alive) {
      if (open_paced(c, now) && c.state == LoadConn::kOpen) fill(c, now);
      if (c.state == LoadConn::kClosed && c.retry_at < next) next = c.retry_at;
      continue;
    }
    fill(c, now);  // open loop: arms c's next due time (run_due())
    if (c.state == LoadConn::kClosed && c.retry_at > now && c.retry_at < next) next = c.retry_at;
  }
  next_timer_ = next;
}

bool LoadThread::should_stop(uint64_t now) {
  if (plan_.stop.load(std::memory_order_relaxed)) return true;
  // The budget is spent and every request of this thread answered (a failure elsewhere gives
  // places back only from a thread that still has requests in flight, and it sends them).
  if (plan_.opts.requests != 0 && inflight_total_ == 0 && plan_.budget_left.load(std::memory_order_relaxed) == 0)
    return true;
  if (!draining_ && now >= plan_.measure_end) {
    draining_ = true;
    next_timer_ = now;
  }
  return draining_ && (inflight_total_ == 0 || now >= plan_.measure_end + kMaxDrainNs);
}

uint64_t LoadThread::wake_at(uint64_t) const {
  uint64_t until = next_timer_;
  if (!draining_ && !due_.empty() && due_.front().at < until) until = due_.front().at;
  if (!draining_ && ramp_next_ < conns_.size() && ramp_at_ < until) until = ramp_at_;
  if (!draining_ && plan_.measure_end < until) until = plan_.measure_end;
  if (draining_ && plan_.measure_end + kMaxDrainNs < until) until = plan_.measure_end + kMaxDrainNs;
  return until;
}

// Open loop: c's next request waits in the due heap, once per due time (armed_due), when c
// could send it (not writing, room in the pipeline; open, or opening per request).
void LoadThread::note_due(LoadConn& c) {
  if (!plan_.interval_ns || !c.active || c.out_left != 0 || c.inflight >= depth_ || draining_) return;
  if (c.state == LoadConn::kConnecting || (c.state == LoadConn::kClosed && plan_.opts.keep_alive)) return;
  if (c.armed_due == c.next_due) return;
  c.armed_due = c.next_due;
  due_.push_back({c.next_due, &c});
  std::push_heap(due_.begin(), due_.end(), Due::later);
}

// The requests come due by now: each entry still current starts its connection's (a
// connection whose schedule moved on since has a newer entry; this one is dropped).
void LoadThread::run_due(uint64_t now) {
  while (!due_.empty() && due_.front().at <= now) {
    std::pop_heap(due_.begin(), due_.end(), Due::later);
    Due d = due_.back();
    due_.pop_back();
    if (d.conn->armed_due != d.at) continue;
    d.conn->armed_due = 0;
    fill(*d.conn, now);
  }
}

void LoadThread::run() {
  fatal = init();
  if (!fatal.empty()) return;
  const LoadOptions& o = plan_.opts;
  if (o.tls) {
    fatal = tls_.init({o.host, o.tls_ca_file, o.tls_insecure, o.tls_alpn, o.tls_resume, o.tls_early_data});
    if (!fatal.empty()) return;
  }
  if (!o.cpus.empty()) pin_thread(o.cpus[static_cast<size_t>(index_) % o.cpus.size()]);
  name_thread("evb-load");  // tells the generator's threads from Node's in top and /proc
  uint64_t now = load_now_ns();
  if (now < plan_.t0) {  // all threads start together, at t0
    timespec ts{0, static_cast<long>(plan_.t0 - now)};
    nanosleep(&ts, nullptr);
  }
  while ((now = load_now_ns()) < plan_.t0) {
  }
  ramp_at_ = now;  // the ramp opens the connections
  next_timer_ = now + sweep_ns_;
  loop();
  draining_ = true;  // no reconnect from here on
  for (auto& c : conns_) {
    stats.unfinished += c->inflight;
    close_conn(*c);
  }
  stats.intervals.flush();
  io_finish();
  publish(load_now_ns());
}

}  // namespace evb
