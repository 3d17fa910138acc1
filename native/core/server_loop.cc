#include "server_loop.h"
#include "portable.h"  // handbook: accept4, MSG_NOSIGNAL, affinity behind portable calls

#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace evb {
namespace {

constexpr size_t kRingBytes = 16384;     // > the 8 KiB header limit, so any head fits whole
constexpr size_t kHighWater = 65536;     // output held for a peer that does not read
constexpr size_t kMaxLingerBytes = 1 << 20;  // input discarded after an error answer, then close
constexpr size_t kMaxFreeRings = 64;     // pooled 16 KiB rings kept per loop (1 MiB); more are freed
constexpr size_t kMaxFreeConns = 1024;   // pooled connection objects kept per loop
constexpr size_t kTrimDrop = 256;        // this many fewer open connections than the peak: give
                                         // memory back to the system (malloc_trim) at the next sweep
constexpr int kAcceptBatch = 64;         // accepts per readiness event, so a flood cannot starve I/O
constexpr int64_t kListenPauseUs = 100000;   // listener rest when no descriptor can be had
constexpr int kEvents = 256;

// The timeouts' clock: the coarse clock is a vDSO read of the last tick, cheaper than the
// precise one, and its few milliseconds of resolution are nothing next to kSweepMs.
int64_t coarse_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t monotonic_us() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

bool is_reset(int err) { return err == ECONNRESET || err == EPIPE || err == ETIMEDOUT; }

}  // namespace

ServerLoop::ServerLoop(const LoopConfig& config, int listen_fd, ServerCounters* counters)
    : config_(config), listen_fd_(listen_fd), counters_(counters) {
  limits_.max_body_bytes = config.max_body_bytes;
  spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (poller_.init_error() == 0) poller_.add(listen_fd_, kReadable, &listen_tag_);
}

ServerLoop::~ServerLoop() {
  while (open_ != nullptr) close_conn(open_);
  for (ServerConn* c : free_conns_) delete c;
  for (RingBuffer* r : free_rings_) delete r;
  if (listen_fd_ >= 0) close(listen_fd_);
  if (spare_fd_ >= 0) close(spare_fd_);
}

void ServerLoop::stop() {
  stop_.store(true, std::memory_order_release);
  poller_.wake();
}

void ServerLoop::run() {
  if (config_.cpu >= 0) pin_thread(config_.cpu);  // best effort: an offline CPU leaves it unpinned
  name_thread("evb-loop");  // tells the loops apart in top and /proc
  PollEvent events[kEvents];
  now_ms_ = coarse_ms();
  next_sweep_ms_ = now_ms_ + kSweepMs;
  while (!stop_.load(std::memory_order_acquire)) {
    int64_t timeout = -1;  // microseconds; nothing to time: sleep until an event
    if (open_ != nullptr || peak_open_ >= open_count_ + kTrimDrop) {
      timeout = next_sweep_ms_ > now_ms_ ? (next_sweep_ms_ - now_ms_) * 1000 : 0;
    }
    if (listen_paused_until_ != 0) {
      int64_t rest = listen_paused_until_ - monotonic_us();
      rest = rest < 0 ? 0 : rest;
      timeout = timeout < 0 || rest < timeout ? rest : timeout;
    }
    int n = poller_.wait(events, kEvents, timeout);
    if (n < 0) continue;  // EINTR is already 0; anything else would repeat, but never busy-spins a
                          // healthy epoll fd
    now_ms_ = coarse_ms();            // vDSO, like time(): the hot path makes no clock syscall
    answers_.refresh(time(nullptr));  // Date stays exact to the second
    for (int i = 0; i < n; ++i) {
      if (events[i].data == &listen_tag_) {
        on_accept();
      } else {
        on_event(static_cast<ServerConn*>(events[i].data), events[i].events);
      }
    }
    if (listen_paused_until_ != 0) resume_listener_if_due();
    if (now_ms_ >= next_sweep_ms_) {
      sweep();
      next_sweep_ms_ = now_ms_ + kSweepMs;
    }
  }
}

// ---- accepting ----

void ServerLoop::on_accept() {
  for (int i = 0; i < kAcceptBatch; ++i) {
    int fd = accept_socket(listen_fd_, true);
    if (fd < 0) {
      int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) return;
      if (err == EINTR || err == ECONNABORTED) continue;
      if (err == EMFILE || err == ENFILE) {
        shed_connection();
        return;
      }
      counters_->bump(kErrAccept);
      return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ServerConn* c = take_conn();
    c->fd = fd;
    // Edge-triggered, both directions, registered once: the hot path makes no epoll_ctl call.
    if (poller_.add(fd, kReadable | kWritable | kEdge, c) < 0) {
      counters_->bump(kErrAccept);
      close(fd);
      c->fd = -1;
      free_conns_.push_back(c);
      continue;
    }
    counters_->bump(kConnAccepted);
    c->prev = nullptr;
    c->next = open_;
    if (open_ != nullptr) open_->prev = c;
    open_ = c;
    if (++open_count_ > peak_open_) peak_open_ = open_count_;
    // Until its first byte a new connection is idle, not late with a head: an open-loop client at
    // a low rate may open its connections long before it sends on each of them.
    c->timer = TimerKind::kIdle;
    int64_t ms = timeout_ms(config_.timeouts, TimerKind::kIdle);
    c->deadline_ms = ms > 0 ? now_ms_ + ms : kNever;
  }
}

// Out of descriptors: the pending connection would keep the level-triggered listener ready and
// the loop spinning. Free the spare descriptor, accept the connection and close it (the client
// sees a clean close instead of a hang), then take the spare back. Without a spare, rest the
// listener for a moment instead.
void ServerLoop::shed_connection() {
  counters_->bump(kErrEmfile);
  if (spare_fd_ >= 0) {
    close(spare_fd_);
    int fd = accept_socket(listen_fd_, false);
    if (fd >= 0) close(fd);
    spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) return;
  }
  poller_.remove(listen_fd_);
  listen_paused_until_ = monotonic_us() + kListenPauseUs;
}

void ServerLoop::resume_listener_if_due() {
  if (monotonic_us() < listen_paused_until_) return;
  listen_paused_until_ = 0;
  if (spare_fd_ < 0) spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  poller_.add(listen_fd_, kReadable, &listen_tag_);
}

// ---- connection I/O ----

void ServerLoop::on_event(ServerConn* c, uint32_t events) {
  if (c->fd < 0) return;  // closed earlier in this batch of events
  // The peer's FIN (EPOLLRDHUP) may share an edge with its last request: the short read that
  // takes the request must not end reading, or the EOF is never seen (a CLOSE-WAIT forever).
  if (events & kHangup) c->peer_hup = true;
  if (events & kWritable) {
    flush(c);
    if (c->paused && (c->out == nullptr || c->out->empty())) c->paused = false;
  }
  if (c->shut) {
    discard_input(c);
    return;
  }
  // Readable, hangup (read tells EOF from error), or resumed after a pause: the edge that
  // announced buffered input may have passed while paused, so drive() reads without one.
  drive(c);
}

void ServerLoop::drive(ServerConn* c) {
  bool http = config_.mode == ServerMode::kHttp;
again:
  if (http) process_http(c);  // requests left buffered by an earlier pause
  while (!c->stops_reading()) {
    RingBuffer*& ring = http ? c->in : c->out;
    if (ring == nullptr && (ring = take_ring(kRingBytes)) == nullptr) {
      c->failed = true;
      counters_->bump(kErrIo);
      break;
    }
    iovec iov[2];
    int k = ring->writable_iov(iov);
    if (k == 0) {
      if (http) {  // cannot happen (a head is refused at 8 KiB, bodies are consumed as they come),
        c->failed = true;  // but waiting here would wait forever
        counters_->bump(kErrIo);
      } else {
        c->paused = true;  // echo: the output is full until the peer reads
      }
      break;
    }
    size_t asked = iov[0].iov_len + (k == 2 ? iov[1].iov_len : 0);
    // One segment (the usual case, rings are reset when emptied): plain read, the cheaper call.
    ssize_t r = k == 1 ? read(c->fd, iov[0].iov_base, iov[0].iov_len) : readv(c->fd, iov, k);
    if (r > 0) {
      ring->commit(static_cast<size_t>(r));
      counters_->bump(kBytesIn, static_cast<uint64_t>(r));
      if (http) process_http(c);
      // A short read drained the socket (epoll(7)): the next byte raises a new edge, so the
      // read that would only return EAGAIN is skipped.
      if (static_cast<size_t>(r) < asked && !c->peer_hup) break;
      continue;
    }
    if (r == 0) {
      c->peer_closed = true;
      break;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    if (errno == EINTR) continue;
    counters_->bump(is_reset(errno) ? kErrReset : kErrIo);
    c->failed = true;
  }
  if (c->in != nullptr && c->in->empty()) give_ring(c->in);
  flush(c);  // the answers to everything read in this event leave in one write
  if (c->paused && c->out == nullptr && !c->failed) {
    // Paused above the high-water mark, and the socket took it all: no EPOLLOUT edge will come
    // to resume us, so carry on now.
    c->paused = false;
    goto again;
  }
  settle(c);
}

void ServerLoop::flush(ServerConn* c) {
  RingBuffer* out = c->out;
  if (out == nullptr || c->failed) return;
  while (!out->empty()) {
    iovec iov[2];
    int k = out->readable_iov(iov);
    size_t total = iov[0].iov_len + (k == 2 ? iov[1].iov_len : 0);
    // send/sendmsg rather than write/writev: MSG_NOSIGNAL, so a peer's reset is an EPIPE to count,
    // not a SIGPIPE to die of. send for one segment: no msghdr to copy in.
    ssize_t w;
    if (k == 1) {
      w = send(c->fd, iov[0].iov_base, iov[0].iov_len, kSendNoSignal);
    } else {
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = 2;
      w = sendmsg(c->fd, &msg, kSendNoSignal);
    }
    if (w > 0) {
      out->consume(static_cast<size_t>(w));
      counters_->bump(kBytesOut, static_cast<uint64_t>(w));
      if (config_.mode == ServerMode::kEcho) counters_->bump(kRequests, static_cast<uint64_t>(w));
      if (static_cast<size_t>(w) < total) break;  // send buffer full: EPOLLOUT's edge will come
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    counters_->bump(w < 0 && is_reset(errno) ? kErrReset : kErrIo);
    c->failed = true;
    break;
  }
  if (out->empty()) give_ring(c->out);
}

void ServerLoop::settle(ServerConn* c) {
  if (c->failed) {
    close_conn(c);
    return;
  }
  bool drained = c->out == nullptr;
  if (!drained) {  // more to write: the writable edge comes back here through on_event
    arm_timer(c);
    return;
  }
  if (c->peer_closed) {
    close_conn(c);
  } else if (c->closing) {
    bool unread = c->in != nullptr && !c->in->empty();
    if (!c->linger && !unread) {
      close_conn(c);
      return;
    }
    // Closing with unread input would send a RST that can destroy the answer still in flight
    // to the client: send FIN, discard what arrives, close at the peer's EOF (or the idle
    // timeout, armed once here: lingering is not extended by what the peer keeps sending).
    c->linger = c->shut = true;
    c->timer = TimerKind::kIdle;
    int64_t ms = timeout_ms(config_.timeouts, TimerKind::kIdle);
    c->deadline_ms = ms > 0 ? now_ms_ + ms : kNever;
    shutdown(c->fd, SHUT_WR);
    discard_input(c);
  } else {
    arm_timer(c);
  }
}

// Sets the connection's deadline for what it now waits on: the peer reading its output, the rest
// of a body, the rest of a head (absolute from its first byte), or the next request. A few
// branches and a store: this runs after every event.
void ServerLoop::arm_timer(ServerConn* c) {
  TimerKind k;
  if (config_.mode == ServerMode::kEcho || c->out != nullptr) {
    k = TimerKind::kIdle;  // echo, or output the peer has not read yet
  } else if (!c->framer.in_head()) {
    k = TimerKind::kBody;
  } else if (c->timer == TimerKind::kHeader) {
    return;  // the head's deadline stands however its bytes trickle in
  } else {
    k = c->in != nullptr ? TimerKind::kHeader : TimerKind::kIdle;
  }
  c->timer = k;
  int64_t ms = timeout_ms(config_.timeouts, k);
  c->deadline_ms = ms > 0 ? now_ms_ + ms : kNever;
}

// Every kSweepMs: closes the connections whose deadline passed, counted by what they were late
// for, then gives pooled memory back when many connections have gone.
void ServerLoop::sweep() {
  for (ServerConn* c = open_; c != nullptr;) {
    ServerConn* next = c->next;
    if (c->deadline_ms <= now_ms_) {
      counters_->bump(c->timer == TimerKind::kHeader ? kTimeoutHeader
                      : c->timer == TimerKind::kBody ? kTimeoutBody : kTimeoutIdle);
      close_conn(c);
    }
    c = next;
  }
  if (peak_open_ >= open_count_ + kTrimDrop || free_conns_.size() > kMaxFreeConns) trim_pools();
}

void ServerLoop::trim_pools() {
  while (free_conns_.size() > kMaxFreeConns) {
    delete free_conns_.back();
    free_conns_.pop_back();
  }
  peak_open_ = open_count_;
#ifdef __GLIBC__
  malloc_trim(0);  // freed buffers sit in this thread's arena until trimmed: RSS back near baseline
#endif
}

void ServerLoop::discard_input(ServerConn* c) {
  if (c->in != nullptr) {
    c->discarded += c->in->size();
    give_ring(c->in);
  }
  char sink[4096];
  for (;;) {
    ssize_t r = read(c->fd, sink, sizeof sink);
    if (r > 0) {
      c->discarded += static_cast<uint64_t>(r);
      if (c->discarded > kMaxLingerBytes) break;
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    break;  // EOF or error
  }
  close_conn(c);
}

// ---- HTTP ----

void ServerLoop::process_http(ServerConn* c) {
  uint64_t answered = 0;
  auto stopped = [c] { return c->paused || c->closing || c->failed; };
  while (!stopped()) {
    iovec seg[2];
    int k = c->in != nullptr ? c->in->readable_iov(seg) : 0;
    const char* p = k > 0 ? static_cast<const char*>(seg[0].iov_base) : nullptr;
    size_t n = k > 0 ? seg[0].iov_len : 0;
    // Frame the whole contiguous segment, then drop what was consumed in one step.
    size_t off = 0;
    for (;;) {
      size_t used = 0;
      FrameEvent e = c->framer.next(p + off, n - off, &used);
      off += used;
      if (e == FrameEvent::kNeedMore) {
        if (used > 0) continue;
        break;
      }
      switch (e) {
        case FrameEvent::kHead: on_head(c); break;
        case FrameEvent::kBody: on_body(c); break;
        case FrameEvent::kEnd: on_end(c); ++answered; break;
        default: on_error(c); break;
      }
      if (stopped()) break;
    }
    if (off > 0) c->in->consume(off);
    if (stopped() || k < 2) break;
    // The ring wraps: go on with its second segment, or, when a head straddles the wrap, make
    // the bytes contiguous and look again.
    if (off < n) c->in->linearize();
  }
  if (answered > 0) counters_->bump(kRequests, answered);
}

void ServerLoop::on_head(ServerConn* c) {
  const RequestHead& h = c->framer.head();
  c->conn_header = !h.keep_alive ? ConnHeader::kClose
                   : h.minor_version == 0 ? ConnHeader::kKeepAlive : ConnHeader::kNone;
  c->head_only = h.method_len == 4 && std::memcmp(h.method, "HEAD", 4) == 0;
  bool get = c->head_only || (h.method_len == 3 && std::memcmp(h.method, "GET", 3) == 0);
  if (get && h.path_len == 10 && std::memcmp(h.path, "/plaintext", 10) == 0) {
    c->route = Route::kPlaintext;
  } else if (h.method_len == 4 && std::memcmp(h.method, "POST", 4) == 0 && h.path_len == 5 &&
             std::memcmp(h.path, "/echo", 5) == 0) {
    c->route = Route::kEcho;
  } else {
    c->route = Route::kNotFound;
  }
  // curl and others hold a body back until told to send it (RFC 9110 10.1.1).
  if (h.expect_continue && (h.chunked || h.content_length > 0) && h.minor_version >= 1) {
    static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    put(c, kContinue, sizeof kContinue - 1);
  }
  if (c->route == Route::kEcho) {
    // The head goes out now and the body streams behind it under the output's back-pressure,
    // whatever its framing: a chunked body is echoed chunk by chunk, never gathered whole.
    char head[AnswerCache::kMaxEchoHead];
    size_t n;
    if (!h.chunked) {
      c->echo_framing = EchoFraming::kLength;
      n = answers_.echo_head(head, h.content_length, c->conn_header);
    } else if (h.minor_version >= 1) {
      c->echo_framing = EchoFraming::kChunked;
      n = answers_.echo_chunked_head(head, c->conn_header);
    } else {  // HTTP/1.0 has no chunked answers: the body runs to the close
      c->echo_framing = EchoFraming::kUntilClose;
      n = answers_.echo_chunked_head(head, ConnHeader::kClose, /*until_close=*/true);
    }
    put(c, head, n);
    return;
  }
  // Answered at once (any body is read and dropped), so pipelined answers stay in order.
  Answer which = c->route == Route::kPlaintext ? Answer::kPlaintext : Answer::kNotFound;
  AnswerBytes a = c->head_only ? answers_.head_only(which, c->conn_header) : answers_.get(which, c->conn_header);
  put(c, a.data, a.len);
}

void ServerLoop::on_body(ServerConn* c) {
  if (c->route != Route::kEcho) return;
  const char* p = c->framer.body();
  size_t n = c->framer.body_len();
  if (c->echo_framing == EchoFraming::kChunked) {
    if (n == 0) return;  // a zero-size chunk would end the answer's body
    char line[20];
    int k = 0;
    for (size_t v = n; v != 0; v >>= 4) line[k++] = "0123456789abcdef"[v & 15];
    char size_line[20];
    for (int i = 0; i < k; ++i) size_line[i] = line[k - 1 - i];
    size_line[k] = '\r';
    size_line[k + 1] = '\n';
    if (put(c, size_line, static_cast<size_t>(k) + 2) && put(c, p, n)) put(c, "\r\n", 2);
  } else {
    put(c, p, n);
  }
}

void ServerLoop::on_end(ServerConn* c) {
  if (c->route == Route::kEcho && c->echo_framing == EchoFraming::kChunked) put(c, "0\r\n\r\n", 5);
  if (!c->framer.head().keep_alive || (c->route == Route::kEcho && c->echo_framing == EchoFraming::kUntilClose))
    c->closing = true;
  c->timer = TimerKind::kNone;  // the next request's head gets a deadline of its own
}

void ServerLoop::on_error(ServerConn* c) {
  Answer a = Answer::kBadRequest;
  switch (c->framer.error_status()) {
    case 431: a = Answer::kHeaderTooLarge; counters_->bump(kErrHeaderTooLarge); break;
    case 413: a = Answer::kBodyTooLarge; counters_->bump(kErrBodyTooLarge); break;
    default: counters_->bump(kErrParse); break;
  }
  AnswerBytes bytes = answers_.get(a, ConnHeader::kClose);
  put(c, bytes.data, bytes.len);
  c->closing = true;
  c->linger = true;  // the client may still be sending the request we refused
}

// Appends to the output, growing it when one answer does not fit; pauses the connection above
// the high-water mark. False when memory ran out (the connection is then failed).
bool ServerLoop::put(ServerConn* c, const char* data, size_t n) {
  RingBuffer* out = c->out;
  if (out != nullptr && n <= out->free_space() && out->size() + n < kHighWater) {
    out->write(data, n);  // the hot path: a ring at hand with room, far from the mark
    return true;
  }
  if (c->out == nullptr && (c->out = take_ring(kRingBytes)) == nullptr) {
    c->failed = true;
    counters_->bump(kErrIo);
    return false;
  }
  out = c->out;
  if (out->free_space() < n && !out->reserve(out->size() + n)) {
    c->failed = true;
    counters_->bump(kErrIo);
    return false;
  }
  out->write(data, n);
  if (out->size() >= kHighWater) c->paused = true;
  return true;
}

// ---- pools ----

RingBuffer* ServerLoop::take_ring(size_t capacity) {
  if (!free_rings_.empty()) {
    RingBuffer* r = free_rings_.back();
    free_rings_.pop_back();
    return r;
  }
  return new (std::nothrow) RingBuffer(capacity);
}

void ServerLoop::give_ring(RingBuffer*& ring) {
  if (ring->capacity() > kRingBytes || free_rings_.size() >= kMaxFreeRings) {
    delete ring;  // grown for one large answer, or the pool is full: give the memory back
  } else {
    ring->clear();
    free_rings_.push_back(ring);
  }
  ring = nullptr;
}

ServerConn* ServerLoop::take_conn() {
  if (!free_conns_.empty()) {
    ServerConn* c = free_conns_.back();
    free_conns_.pop_back();
    return c;
  }
  ServerConn* c = new ServerConn();
  c->framer = RequestFramer(limits_);
  return c;
}

void ServerLoop::close_conn(ServerConn* c) {
  close(c->fd);  // also removes it from the epoll set: the fd is never duplicated
  c->fd = -1;
  if (c->in != nullptr) give_ring(c->in);
  if (c->out != nullptr) give_ring(c->out);
  c->framer.reset();
  if (c->prev != nullptr) c->prev->next = c->next;
  else open_ = c->next;
  if (c->next != nullptr) c->next->prev = c->prev;
  c->prev = c->next = nullptr;
  --open_count_;
  c->timer = TimerKind::kNone;
  c->discarded = 0;
  c->paused = c->closing = c->linger = c->shut = c->peer_closed = c->peer_hup = c->failed = false;
  counters_->bump(kConnClosed);
  free_conns_.push_back(c);
}

}  // namespace evb
