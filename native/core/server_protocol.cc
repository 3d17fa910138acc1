#include "server_protocol.h"
#include "portable.h"  // the coarse clock where the platform has one

#if defined(__linux__)
#include <malloc.h>  // malloc_trim (glibc); macOS has no <malloc.h>
#endif

#include <cstring>
#include <ctime>
#include <new>

namespace evb {

using namespace server_limits;

// The timeouts' clock: the coarse clock is a vDSO read of the last tick, cheaper than the
// precise one, and its few milliseconds of resolution are nothing next to kSweepMs.
int64_t server_coarse_ms() {
  timespec ts;
  clock_gettime(kCoarseMonotonic, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t server_monotonic_us() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

ServerProtocol::ServerProtocol(const LoopConfig& config, ServerCounters* counters)
    : config_(config), counters_(counters) {
  limits_.max_body_bytes = config.max_body_bytes;
}

// The backend closed its connections in its own destructor (close_conn is virtual).
ServerProtocol::~ServerProtocol() {
  for (ServerConn* c : free_conns_) delete c;
  for (RingBuffer* r : free_rings_) delete r;
}

// Sets the connection's deadline for what it now waits on: the peer reading its output, the rest
// of a body, the rest of a head (absolute from its first byte), or the next request. A few
// branches and a store: this runs after every event.
void ServerProtocol::arm_timer(ServerConn* c, bool output_pending) {
  TimerKind k;
  if (config_.mode == ServerMode::kEcho || output_pending) {
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

void ServerProtocol::arm_idle(ServerConn* c) {
  c->timer = TimerKind::kIdle;
  int64_t ms = timeout_ms(config_.timeouts, TimerKind::kIdle);
  c->deadline_ms = ms > 0 ? now_ms_ + ms : kNever;
}

// Every kSweepMs: closes the connections whose deadline passed, counted by what they were late
// for, then gives pooled memory back when many connections have gone.
void ServerProtocol::sweep() {
  for (ServerConn* c = open_; c != nullptr;) {
    ServerConn* next = c->next;
    if (c->deadline_ms <= now_ms_) {
      counters_->bump(c->timer == TimerKind::kHeader ? kTimeoutHeader
                      : c->timer == TimerKind::kBody ? kTimeoutBody
                                                     : kTimeoutIdle);
      close_conn(c);
    }
    c = next;
  }
  if (trim_due_ || peak_open_ >= open_count_ + kTrimDrop || free_conns_.size() > kMaxFreeConns) trim_pools();
  trim_due_ = false;
}

void ServerProtocol::trim_pools() {
  while (free_conns_.size() > kMaxFreeConns) {
    delete free_conns_.back();
    free_conns_.pop_back();
  }
  peak_open_ = open_count_;
#ifdef __GLIBC__
  malloc_trim(0);  // freed buffers sit in this thread's arena until trimmed: RSS back near baseline
#endif
}

// ---- HTTP ----

void ServerProtocol::process_http(ServerConn* c) {
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
        case FrameEvent::kEnd:
          on_end(c);
          ++answered;
          break;
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

void ServerProtocol::on_head(ServerConn* c) {
  const RequestHead& h = c->framer.head();
  c->conn_header = !h.keep_alive          ? ConnHeader::kClose
                   : h.minor_version == 0 ? ConnHeader::kKeepAlive
                                          : ConnHeader::kNone;
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
    c->streaming = true;
    return;
  }
  // Answered at once (any body is read and dropped), so pipelined answers stay in order.
  Answer which = c->route == Route::kPlaintext ? Answer::kPlaintext : Answer::kNotFound;
  AnswerBytes a = c->head_only ? answers_.head_only(which, c->conn_header) : answers_.get(which, c->conn_header);
  put(c, a.data, a.len);
}

void ServerProtocol::on_body(ServerConn* c) {
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

void ServerProtocol::on_end(ServerConn* c) {
  if (c->route == Route::kEcho && c->echo_framing == EchoFraming::kChunked) put(c, "0\r\n\r\n", 5);
  if (!c->framer.head().keep_alive || (c->route == Route::kEcho && c->echo_framing == EchoFraming::kUntilClose))
    c->closing = true;
  c->streaming = false;
  c->timer = TimerKind::kNone;  // the next request's head gets a deadline of its own
}

// An error before any answer to the request is answered with its status. One inside a streamed
// echo body comes after a 200 head and whole chunks: an error answer there would be read as chunk
// data (a second response inside the first), so the connection closes instead, and the missing
// last chunk (or the short body) tells the client the answer is incomplete (RFC 9112 8).
void ServerProtocol::on_error(ServerConn* c) {
  Answer a = Answer::kBadRequest;
  switch (c->framer.error_status()) {
    case 431:
      a = Answer::kHeaderTooLarge;
      counters_->bump(kErrHeaderTooLarge);
      break;
    case 413:
      a = Answer::kBodyTooLarge;
      counters_->bump(kErrBodyTooLarge);
      break;
    default: counters_->bump(kErrParse); break;
  }
  if (!c->streaming) {
    AnswerBytes bytes = answers_.get(a, ConnHeader::kClose);
    put(c, bytes.data, bytes.len);
  }
  c->closing = true;
  c->linger = true;  // the client may still be sending the request we refused
}

// Appends to the output, growing it when one answer does not fit; pauses the connection above
// the high-water mark. False when memory ran out (the connection is then failed).
bool ServerProtocol::put(ServerConn* c, const char* data, size_t n) {
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

RingBuffer* ServerProtocol::take_ring(size_t capacity) {
  if (!free_rings_.empty()) {
    RingBuffer* r = free_rings_.back();
    free_rings_.pop_back();
    return r;
  }
  return new (std::nothrow) RingBuffer(capacity);
}

void ServerProtocol::give_ring(RingBuffer*& ring) {
  if (ring->capacity() > kRingBytes || free_rings_.size() >= kMaxFreeRings) {
    if (ring->capacity() > kRingBytes) trim_due_ = true;  // large frees leave RSS up until trimmed
    delete ring;  // grown for one large answer, or the pool is full: give the memory back
  } else {
    ring->clear();
    free_rings_.push_back(ring);
  }
  ring = nullptr;
}

ServerConn* ServerProtocol::take_conn() {
  if (!free_conns_.empty()) {
    ServerConn* c = free_conns_.back();
    free_conns_.pop_back();
    return c;
  }
  ServerConn* c = new ServerConn();
  c->framer = RequestFramer(limits_);
  return c;
}

void ServerProtocol::link_conn(ServerConn* c) {
  counters_->bump(kConnAccepted);
  c->prev = nullptr;
  c->next = open_;
  if (open_ != nullptr) open_->prev = c;
  open_ = c;
  if (++open_count_ > peak_open_) peak_open_ = open_count_;
}

void ServerProtocol::release_conn(ServerConn* c) {
  c->fd = -1;
  if (c->in != nullptr) give_ring(c->in);
  if (c->out != nullptr) give_ring(c->out);
  c->framer.reset();
  if (c->prev != nullptr)
    c->prev->next = c->next;
  else
    open_ = c->next;
  if (c->next != nullptr) c->next->prev = c->prev;
  c->prev = c->next = nullptr;
  --open_count_;
  c->timer = TimerKind::kNone;
  c->discarded = 0;
  c->paused = c->closing = c->linger = c->shut = c->peer_closed = c->peer_hup = c->failed = false;
  c->streaming = false;
  counters_->bump(kConnClosed);
}

}  // namespace evb
