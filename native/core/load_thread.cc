#include "load_thread.h"
#include "portable.h"  // handbook: MSG_NOSIGNAL, affinity, socket flags behind portable calls

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "load_clock.h"

namespace evb {
namespace {

constexpr size_t kInCapacity = 16 * 1024;        // grows for long heads, up to kInMax
constexpr size_t kInMax = 2 * ResponseParser::kMaxHead;
constexpr uint64_t kConnectBackoffNs = 1000000;  // 1 ms: no hot spin against a refused port
constexpr uint64_t kMaxDrainNs = 1000000000;     // in-flight answers awaited after the window

}  // namespace

LoadThread::LoadThread(LoadPlan& plan, int index, int first_conn, int count) : plan_(plan), index_(index) {
  const LoadOptions& o = plan.opts;
  uint64_t timeout_ns = static_cast<uint64_t>(o.timeout_ms) * 1000000ull;
  sweep_ns_ = timeout_ns / 4;
  if (sweep_ns_ > 5000000) sweep_ns_ = 5000000;
  if (sweep_ns_ < 200000) sweep_ns_ = 200000;
  int depth = o.keep_alive ? o.pipeline : 1;
  uint64_t total_conns = static_cast<uint64_t>(o.connections);
  for (int i = 0; i < count; ++i) {
    auto c = std::make_unique<LoadConn>(depth, kInCapacity);
    c->id = static_cast<uint32_t>(first_conn + i);
    // Stagger the connections' schedules so the total is evenly spaced, not in bursts of C.
    if (plan.interval_ns) c->next_due = plan.t0 + c->id * plan.interval_ns / total_conns;
    conns_.push_back(std::move(c));
  }
  double secs = o.duration_s;
  size_t slots = static_cast<size_t>(secs);
  if (static_cast<double>(slots) < secs) ++slots;
  stats.per_second.assign(slots, 0);
  scratch_.resize(kInMax);
}

void LoadThread::count_error(LoadError kind, uint64_t now) {
  ++stats.errors_total;
  if (in_window(now)) ++stats.errors[kind];
}

bool LoadThread::open(LoadConn& c, uint64_t now) {
  const LoadOptions& o = plan_.opts;
  c.retry_at = 0;
  int fd = stream_socket(plan_.addr.ss_family);
  if (fd < 0) {
    count_error(kErrConnect, now);
    c.retry_at = now + kConnectBackoffNs;
    return false;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef TCP_FASTOPEN_CONNECT
  // connect() then returns at once and the first write carries the request in the SYN
  // (when the kernel holds a cookie for the server; else a normal handshake follows).
  if (o.fast_open) setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof one);
#endif
  int r = connect(fd, reinterpret_cast<const sockaddr*>(&plan_.addr), plan_.addr_len);
  if (r < 0 && errno != EINPROGRESS) {
    ::close(fd);
    count_error(kErrConnect, now);
    c.retry_at = now + kConnectBackoffNs;
    return false;
  }
  c.fd = fd;
  c.state = r == 0 ? LoadConn::kOpen : LoadConn::kConnecting;
  c.want_write = r != 0;
  c.parser.reset(plan_.head_request);
  c.echo_got = 0;
  c.sent[c.head & c.mask] = now;  // the connect's own deadline while nothing is in flight
  if (poller_.add(fd, kReadable | (c.want_write ? uint32_t{kWritable} : 0u), &c) < 0) {
    ::close(fd);
    c.fd = -1;
    c.state = LoadConn::kClosed;
    count_error(kErrConnect, now);
    c.retry_at = now + kConnectBackoffNs;
    return false;
  }
  return true;
}

void LoadThread::close_conn(LoadConn& c) {
  if (c.fd >= 0) ::close(c.fd);  // closing also removes it from the poller
  c.fd = -1;
  c.state = LoadConn::kClosed;
  c.want_write = false;
  c.in.clear();
  c.inflight = 0;
  c.out_left = 0;
  c.out_off = 0;
  c.echo_got = 0;
}

// Closes the connection and starts again: keep-alive connections reconnect at once (or after
// the back-off), the others when their next request is due (in fill()).
void LoadThread::restart(LoadConn& c, uint64_t now) {
  close_conn(c);
  if (draining_) return;
  if (plan_.opts.keep_alive) {
    if (now >= c.retry_at && open(c, now) && c.state == LoadConn::kOpen) fill(c, now);
  } else {
    fill(c, now);
  }
  if (c.state == LoadConn::kClosed && c.retry_at > now && c.retry_at < next_timer_) next_timer_ = c.retry_at;
}

void LoadThread::fail(LoadConn& c, LoadError kind, uint64_t now) {
  count_error(kind, now);
  restart(c, now);
}

void LoadThread::set_write_interest(LoadConn& c, bool on) {
  if (c.want_write == on) return;
  c.want_write = on;
  poller_.modify(c.fd, kReadable | (on ? uint32_t{kWritable} : 0u), &c);
}

// Starts as many requests as the mode allows now: closed loop, enough to fill the pipeline;
// open loop, those whose intended time has come (timed from that time, however late).
void LoadThread::fill(LoadConn& c, uint64_t now) {
  if (draining_ || c.out_left != 0) return;
  const LoadOptions& o = plan_.opts;
  uint32_t depth = o.keep_alive ? static_cast<uint32_t>(o.pipeline) : 1;
  uint32_t room = depth - c.inflight;
  if (room == 0 || c.state == LoadConn::kConnecting) return;
  uint32_t k = room;
  uint64_t iv = plan_.interval_ns;
  if (iv) {
    if (now < c.next_due) return;
    uint64_t due = (now - c.next_due) / iv + 1;
    if (due < k) k = static_cast<uint32_t>(due);
  }
  if (c.state == LoadConn::kClosed) {
    // Keep-alive off: every request opens its connection; keep-alive on: closed only while
    // backing off after a failed connect.
    if (o.keep_alive || now < c.retry_at || !open(c, now)) return;
  }
  for (uint32_t i = 0; i < k; ++i) {
    uint32_t slot = (c.head + c.inflight + i) & c.mask;
    c.intended[slot] = iv ? c.next_due + i * iv : now;
    c.sent[slot] = now;
  }
  if (iv) c.next_due += k * iv;
  c.inflight += k;
  c.out_off = 0;
  c.out_left = plan_.batch.bytes(static_cast<int>(k));
  if (c.state == LoadConn::kOpen) flush(c, now);
}

void LoadThread::flush(LoadConn& c, uint64_t now) {
  while (c.out_left != 0) {
    ssize_t n = send(c.fd, plan_.batch.data() + c.out_off, c.out_left, kSendNoSignal);
    if (n > 0) {
      c.out_off += static_cast<size_t>(n);
      c.out_left -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINPROGRESS)) {
      set_write_interest(c, true);
      return;
    }
    fail(c, c.state == LoadConn::kConnecting ? kErrConnect : kErrReset, now);
    return;
  }
  set_write_interest(c, false);
}

void LoadThread::on_connected(LoadConn& c, uint64_t now) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  if (err != 0) {
    close_conn(c);
    count_error(kErrConnect, now);
    c.retry_at = now + kConnectBackoffNs;
    if (c.retry_at < next_timer_) next_timer_ = c.retry_at;
    return;
  }
  c.state = LoadConn::kOpen;
  if (c.out_left != 0) {
    flush(c, now);
  } else {
    set_write_interest(c, false);
    fill(c, now);
  }
}

void LoadThread::on_event(LoadConn& c, uint32_t events, uint64_t now) {
  if (c.state == LoadConn::kConnecting) {
    on_connected(c, now);
    return;
  }
  if (c.state != LoadConn::kOpen) return;  // closed earlier in this batch
  if ((events & kWritable) && c.out_left != 0) {
    flush(c, now);
    if (c.state != LoadConn::kOpen) return;
  }
  if (events & (kReadable | kHangup)) on_readable(c, now);
}

void LoadThread::on_readable(LoadConn& c, uint64_t now) {
  iovec iov[2] = {};
  // Only the first free segment: the data then never wraps and parses in place. The buffer is
  // never full here (parse_http grows it or fails the connection).
  if (c.in.writable_iov(iov) == 0) {
    fail(c, kErrBadResponse, now);
    return;
  }
  ssize_t r = read(c.fd, iov[0].iov_base, iov[0].iov_len);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
    fail(c, kErrReset, now);
    return;
  }
  if (r == 0) {
    // The peer closed. A close-framed body ends here; requests still unanswered are lost.
    if (!plan_.opts.echo && c.parser.on_eof() == ResponseParser::kDone && !c.parser.idle()) {
      int status = c.parser.status();
      c.parser.reset(plan_.head_request);
      if (!complete(c, now, status)) return;
    }
    if (c.inflight != 0 || !c.in.empty()) {
      fail(c, kErrReset, now);
    } else {
      restart(c, now);
    }
    return;
  }
  c.in.commit(static_cast<size_t>(r));
  if (in_window(now)) stats.bytes_read += static_cast<uint64_t>(r);
  bool ok = plan_.opts.echo ? parse_echo(c, now) : parse_http(c, now);
  if (ok) fill(c, now);
}

// Records one answered request; false when there was none in flight (the connection is then
// already restarted as a bad response).
bool LoadThread::complete(LoadConn& c, uint64_t now, int status) {
  if (c.inflight == 0) {
    fail(c, kErrBadResponse, now);
    return false;
  }
  uint32_t slot = c.head & c.mask;
  uint64_t start = c.intended[slot];
  ++c.head;
  --c.inflight;
  ++stats.completed_total;
  if (in_window(now)) {
    ++stats.requests;
    stats.latency.record(now > start ? now - start : 0);
    live_latency.record(now > start ? now - start : 0);
    size_t sec = static_cast<size_t>((now - plan_.measure_start) / 1000000000ull);
    if (sec < stats.per_second.size()) ++stats.per_second[sec];
    if (status != 0) {
      int cls = status / 100;
      if (cls >= 1 && cls <= 5) ++stats.status[cls];
      if (cls != 2) ++stats.errors[kErrStatus];
    }
  }
  if (status != 0 && status / 100 != 2) ++stats.errors_total;
  return true;
}

bool LoadThread::parse_http(LoadConn& c, uint64_t now) {
  const char* p = c.in.linearize();
  size_t n = c.in.size(), off = 0;
  while (off < n) {
    size_t used = 0;
    ResponseParser::Result r = c.parser.feed(p + off, n - off, &used);
    off += used;
    if (r == ResponseParser::kError) {
      fail(c, kErrBadResponse, now);
      return false;
    }
    if (r == ResponseParser::kNeedMore) break;
    int status = c.parser.status();
    bool closes = c.parser.closes();
    c.parser.reset(plan_.head_request);
    if (!complete(c, now, status)) return false;
    if (closes || !plan_.opts.keep_alive) {
      // The server closes after this answer (or we asked it to): requests pipelined behind it
      // will never be answered; start afresh.
      restart(c, now);
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
      fail(c, kErrBadResponse, now);
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

uint64_t LoadThread::inflight_total() const {
  uint64_t n = 0;
  for (const auto& c : conns_) n += c->inflight;
  return n;
}

// Timeouts, reconnects after a back-off, and (open loop) requests coming due.
void LoadThread::sweep(uint64_t now) {
  uint64_t next = now + sweep_ns_;
  uint64_t timeout_ns = static_cast<uint64_t>(plan_.opts.timeout_ms) * 1000000ull;
  uint32_t depth = plan_.opts.keep_alive ? static_cast<uint32_t>(plan_.opts.pipeline) : 1;
  for (auto& cp : conns_) {
    LoadConn& c = *cp;
    if (c.state != LoadConn::kClosed && (c.inflight != 0 || c.state == LoadConn::kConnecting)) {
      uint64_t since = c.sent[c.head & c.mask];
      if (now - since >= timeout_ns) {
        fail(c, kErrTimeout, now);
        continue;
      }
    }
    if (draining_) continue;
    if (c.state == LoadConn::kClosed && plan_.opts.keep_alive) {
      if (now >= c.retry_at) {
        if (open(c, now) && c.state == LoadConn::kOpen) fill(c, now);
      }
      if (c.state == LoadConn::kClosed && c.retry_at < next) next = c.retry_at;
      continue;
    }
    fill(c, now);
    if (plan_.interval_ns && c.out_left == 0 && c.inflight < depth && c.state != LoadConn::kConnecting) {
      uint64_t at = c.next_due > c.retry_at ? c.next_due : c.retry_at;
      if (at < next) next = at;
    } else if (!plan_.interval_ns && c.state == LoadConn::kClosed && c.retry_at < next) {
      next = c.retry_at;
    }
  }
  next_timer_ = next;
}

void LoadThread::run() {
  if (poller_.init_error() != 0) {
    fatal = "poller: errno " + std::to_string(poller_.init_error());
    return;
  }
  const LoadOptions& o = plan_.opts;
  if (!o.cpus.empty()) pin_thread(o.cpus[static_cast<size_t>(index_) % o.cpus.size()]);
  uint64_t now = load_now_ns();
  if (now < plan_.t0) {  // all threads start together, at t0
    timespec ts{0, static_cast<long>(plan_.t0 - now)};
    nanosleep(&ts, nullptr);
  }
  while ((now = load_now_ns()) < plan_.t0) {
  }
  next_timer_ = now;  // the first sweep opens the connections
  constexpr int kMaxEvents = 256;
  PollEvent evs[kMaxEvents];
  uint32_t depth = o.keep_alive ? static_cast<uint32_t>(o.pipeline) : 1;

  for (;;) {
    now = load_now_ns();
    if (plan_.stop.load(std::memory_order_relaxed)) break;
    if (!draining_ && now >= plan_.measure_end) {
      draining_ = true;
      next_timer_ = now;
    }
    if (draining_ && (inflight_total() == 0 || now >= plan_.measure_end + kMaxDrainNs)) break;
    if (now >= next_timer_) sweep(now);
    uint64_t until = next_timer_;
    if (!draining_ && plan_.measure_end < until) until = plan_.measure_end;
    int64_t wait_us = until > now ? static_cast<int64_t>((until - now + 999) / 1000) : 0;
    int n = poller_.wait(evs, kMaxEvents, wait_us);
    if (n < 0) {
      fatal = "poller wait: errno " + std::to_string(-n);
      break;
    }
    for (int i = 0; i < n; ++i) {
      LoadConn& c = *static_cast<LoadConn*>(evs[i].data);
      // One clock read per connection event: the answer's arrival, as close to the read as can be.
      uint64_t t = load_now_ns();
      on_event(c, evs[i].events, t);
      if (plan_.interval_ns && c.out_left == 0 && c.inflight < depth && c.next_due < next_timer_ &&
          c.state == LoadConn::kOpen)
        next_timer_ = c.next_due;
    }
    progress_completed.store(stats.completed_total, std::memory_order_relaxed);
    progress_errors.store(stats.errors_total, std::memory_order_relaxed);
  }
  for (auto& c : conns_) close_conn(*c);
  progress_completed.store(stats.completed_total, std::memory_order_relaxed);
  progress_errors.store(stats.errors_total, std::memory_order_relaxed);
}

}  // namespace evb
