#include "server_loop.h"
#include "portable.h"  // handbook: accept4, MSG_NOSIGNAL, affinity behind portable calls

#include <fcntl.h>
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

constexpr int kEvents = 256;
int64_t coarse_ms() { return server_coarse_ms(); }
int64_t monotonic_us() { return server_monotonic_us(); }
bool is_reset(int err) { return is_reset_errno(err); }

}  // namespace

using namespace server_limits;

ServerLoop::ServerLoop(const LoopConfig& config, int listen_fd, ServerCounters* counters)
    : ServerProtocol(config, counters), listen_fd_(listen_fd) {
  spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (poller_.init_error() == 0) poller_.add(listen_fd_, kReadable, &listen_tag_);
}

ServerLoop::~ServerLoop() {
  while (open_ != nullptr) close_conn(open_);
  if (listen_fd_ >= 0) close(listen_fd_);
  if (spare_fd_ >= 0) close(spare_fd_);
}

void ServerLoop::stop() {
  stop_.store(true, std::memory_order_release);
  poller_.wake();
}

void ServerLoop::run() {
  if (config_.cpu >= 0) pin_thread(config_.cpu);  // best effort: an offline CPU leaves it unpinned
  name_thread("evb-loop");                        // tells the loops apart in top and /proc
  PollEvent events[kEvents];
  now_ms_ = coarse_ms();
  next_sweep_ms_ = now_ms_ + kSweepMs;
  while (!stop_.load(std::memory_order_acquire)) {
    int64_t timeout = -1;  // microseconds; nothing to time: sleep until an event
    if (sweep_due()) {
      timeout = next_sweep_ms_ > now_ms_ ? (next_sweep_ms_ - now_ms_) * 1000 : 0;
    }
    if (listen_paused_until_ != 0) {
      int64_t rest = listen_paused_until_ - monotonic_us();
      rest = rest < 0 ? 0 : rest;
      timeout = timeout < 0 || rest < timeout ? rest : timeout;
    }
    int n = poller_.wait(events, kEvents, timeout);
    if (n < 0)
      continue;                       // EINTR is already 0; anything else would repeat, but never busy-spins a
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
    if (config_.tls != nullptr && (c->tls = tls_conn_new(config_.tls, fd)) == nullptr) {
      counters_->bump(kErrIo);  // no memory for the SSL: refuse the connection
      close(fd);
      c->fd = -1;
      free_conns_.push_back(c);
      continue;
    }
    // Edge-triggered, both directions, registered once: the hot path makes no epoll_ctl call.
    if (poller_.add(fd, kReadable | kWritable | kEdge, c) < 0) {
      counters_->bump(kErrAccept);
      close(fd);
      c->fd = -1;
      tls_conn_free(c->tls);
      c->tls = nullptr;
      free_conns_.push_back(c);
      continue;
    }
    link_conn(c);
    // Until its first byte a new connection is idle, not late with a head: an open-loop client at
    // a low rate may open its connections long before it sends on each of them.
    arm_idle(c);
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
      if (http) {          // cannot happen (a head is refused at 8 KiB, bodies are consumed as they come),
        c->failed = true;  // but waiting here would wait forever
        counters_->bump(kErrIo);
      } else {
        c->paused = true;  // echo: the output is full until the peer reads
      }
      break;
    }
    if (c->tls != nullptr) {
      if (!read_tls(c, ring, iov[0])) break;
      continue;
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

// One TLS read into the ring's first free segment: false when reading stops for this event
// (would block, the peer's close, a failure). Unlike a plain socket, a short read does not mean
// the socket is drained: OpenSSL may hold a whole record more, so reading goes on until it says
// it wants the socket.
bool ServerLoop::read_tls(ServerConn* c, RingBuffer* ring, const iovec& free) {
  TlsIo res;
  size_t r = tls_read(c->tls, free.iov_base, free.iov_len, &res);
  TlsHandshake hs;
  if (tls_take_handshake(c->tls, &hs)) {
    counters_->bump(hs.resumed ? kTlsResumed : kTlsHandshakes);
    if (hs.ktls_send) counters_->bump(kKtlsSend);
    if (hs.early_data) counters_->bump(kTlsEarlyData);
  }
  if (res == TlsIo::kOk) {
    ring->commit(r);
    counters_->bump(kBytesIn, r);
    if (config_.mode == ServerMode::kHttp) process_http(c);
    return true;
  }
  if (res == TlsIo::kClosed) c->peer_closed = true;
  if (res == TlsIo::kReset || res == TlsIo::kError) tls_failed(c, res);
  return false;
}

void ServerLoop::tls_failed(ServerConn* c, TlsIo res) {
  counters_->bump(res == TlsIo::kReset ? kErrReset : kErrTls);
  c->failed = true;
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
    if (c->tls != nullptr) {
      // One record stream: the segments go one at a time (OpenSSL has no writev).
      TlsIo res;
      w = static_cast<ssize_t>(tls_write(c->tls, iov[0].iov_base, iov[0].iov_len, &res));
      if (res != TlsIo::kOk) {
        if (res == TlsIo::kWantIo) break;
        tls_failed(c, res);
        break;
      }
    } else if (k == 1) {
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
      // Plain: a short send means the send buffer is full, and EPOLLOUT's edge will come. TLS: a
      // short write is one record out; the next says kWantIo if the socket is full.
      if (static_cast<size_t>(w) < total && c->tls == nullptr) break;
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
    arm_timer(c, c->out != nullptr);
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
    arm_idle(c);
    if (c->tls != nullptr) tls_close_notify(c->tls);
    shutdown(c->fd, SHUT_WR);
    discard_input(c);
  } else {
    arm_timer(c, c->out != nullptr);
  }
}

void ServerLoop::discard_input(ServerConn* c) {
  if (c->in != nullptr) {
    c->discarded += c->in->size();
    give_ring(c->in);
  }
  char sink[4096];
  for (;;) {
    ssize_t r;
    if (c->tls != nullptr) {
      TlsIo res;
      r = static_cast<ssize_t>(tls_read(c->tls, sink, sizeof sink, &res));
      if (res == TlsIo::kWantIo) return;
      if (res != TlsIo::kOk) break;
    } else {
      r = read(c->fd, sink, sizeof sink);
    }
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

void ServerLoop::close_conn(ServerConn* c) {
  tls_conn_free(c->tls);  // before the descriptor it writes to is closed
  c->tls = nullptr;
  close(c->fd);  // also removes it from the epoll set: the fd is never duplicated
  release_conn(c);
  free_conns_.push_back(c);
}

}  // namespace evb
