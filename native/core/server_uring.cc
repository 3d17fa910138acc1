// The io_uring backend of the native server. One multishot accept per loop; one multishot
// receive per connection into a provided buffer ring (nothing re-armed per request); every send
// of a loop turn leaves with the turn's one io_uring_submit_and_wait_timeout, which also waits for
// the next completions; the ring's own descriptor is registered (no file lookup per enter). The
// protocol is ServerProtocol's, as for epoll, and so are the timeouts (the same sweep, the same
// coarse clock).
#include "server_uring.h"

#ifdef EVB_HAVE_LIBURING
#include <liburing.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "uring_buffers.h"
#include "uring_probe.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include "portable.h"

namespace evb {
namespace {

using namespace server_limits;

// user_data: a connection's address with the operation in its low bits (objects are 8-aligned);
// the listener's and the wake-up's operations carry no connection.
enum Op : uint64_t { kOpAccept = 1, kOpRecv = 2, kOpSend = 3, kOpWake = 4, kOpCancel = 5 };
constexpr uint64_t kOpMask = 7;
constexpr uint32_t kBufSize = 8192;  // one receive buffer (bytes are copied into the connection's ring)
constexpr uint32_t kBufCount = 256;  // per loop (2 MiB), shared by its connections
constexpr uint16_t kGroup = 0;

uint64_t tag(Op op, const ServerConn* c) { return reinterpret_cast<uint64_t>(c) | op; }

// Single issuer with deferred task work (6.1+): completions are run when this thread enters the
// ring, never by interrupting it; falling back to cooperative task work, then to none. Made
// disabled: the ring is set up on the thread that calls listen() (so errors reach it) and
// enabled by the loop's own thread, which becomes its single issuer.
int setup_ring(io_uring* ring, unsigned entries) {
  const unsigned tries[] = {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_COOP_TASKRUN, 0};
  int r = -EINVAL;
  for (unsigned flags : tries) {
    io_uring_params p{};
    p.flags = flags | IORING_SETUP_R_DISABLED;
    r = io_uring_queue_init_params(entries, ring, &p);
    if (r != -EINVAL) return r;
  }
  return r;
}

class UringServerLoop final : public ServerProtocol {
 public:
  UringServerLoop(const LoopConfig& config, int listen_fd, ServerCounters* counters);
  ~UringServerLoop() override;

  int init_error() const override { return init_error_; }
  const char* init_call() const override { return init_call_; }
  void run() override;
  void stop() override;

 private:
  void init();
  io_uring_sqe* sqe();
  void arm_accept();
  void arm_wake();
  void arm_recv(ServerConn* c);
  void cancel_recv(ServerConn* c);
  void on_cqe(const io_uring_cqe* cqe);
  void on_accept(const io_uring_cqe* cqe);
  void shed_connection();
  void on_recv(ServerConn* c, const io_uring_cqe* cqe);
  bool take_input(ServerConn* c, const char* data, size_t n);
  void on_send(ServerConn* c, int res);
  void queue_flush(ServerConn* c);
  void submit_flushes();
  void after_io(ServerConn* c);
  void settle(ServerConn* c);
  void close_conn(ServerConn* c) override;
  void op_done(ServerConn* c);
  void teardown();
  int64_t wait_us() const;

  int listen_fd_;
  int spare_fd_ = -1;
  int wake_fd_ = -1;
  uint64_t wake_value_ = 0;  // the eventfd read's target
  int init_error_ = 0;
  const char* init_call_ = "io_uring_setup";
  io_uring ring_{};
  bool ring_ok_ = false;
  UringBuffers bufs_;  // released only once the ring is gone (the kernel writes into them)
  bool accept_armed_ = false;
  bool emfile_seen_ = false;           // the last accept failed with EMFILE once: re-armed to re-read the limit
  int64_t listen_paused_until_ = 0;    // monotonic us; 0: the accept is armed or due
  std::vector<ServerConn*> flushes_;   // connections with output queued this turn
  std::vector<ServerConn*> rearm_;     // receives to arm again this turn
  std::vector<ServerConn*> draining_;  // closed, with requests still in the kernel
};

UringServerLoop::UringServerLoop(const LoopConfig& config, int listen_fd, ServerCounters* counters)
    : ServerProtocol(config, counters), listen_fd_(listen_fd) {
  spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  init();
}

void UringServerLoop::init() {
  int r = setup_ring(&ring_, 4096);
  if (r < 0) {
    init_error_ = -r;
    return;
  }
  ring_ok_ = true;
  if ((r = bufs_.setup(&ring_, kBufCount, kBufSize, kGroup)) < 0) {
    init_error_ = -r;
    init_call_ = bufs_.failed_call();
    return;
  }
  wake_fd_ = eventfd(0, EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    init_error_ = errno;
    init_call_ = "eventfd";
  }
}

// run() tore the ring down on its own thread (the ring's single issuer); a loop that never ran
// tears it down here. No buffer, socket or connection object is used by the kernel after this.
UringServerLoop::~UringServerLoop() {
  if (ring_ok_) io_uring_queue_exit(&ring_);
  ring_ok_ = false;
  while (open_ != nullptr) close_conn(open_);
  for (ServerConn* c : draining_) {
    if (c->sending != nullptr) give_ring(c->sending);
    delete c;
  }
  bufs_.release();
  if (listen_fd_ >= 0) close(listen_fd_);
  if (spare_fd_ >= 0) close(spare_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

void UringServerLoop::stop() {
  stop_.store(true, std::memory_order_release);
  uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
}

io_uring_sqe* UringServerLoop::sqe() { return uring_next_sqe(&ring_); }

void UringServerLoop::arm_accept() {
  io_uring_sqe* s = sqe();
  if (s == nullptr) return;
  io_uring_prep_multishot_accept(s, listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  io_uring_sqe_set_data64(s, kOpAccept);
  accept_armed_ = true;
}

void UringServerLoop::arm_wake() {
  io_uring_sqe* s = sqe();
  if (s == nullptr) return;
  io_uring_prep_read(s, wake_fd_, &wake_value_, sizeof wake_value_, 0);
  io_uring_sqe_set_data64(s, kOpWake);
}

void UringServerLoop::arm_recv(ServerConn* c) {
  io_uring_sqe* s = sqe();
  if (s == nullptr) {
    c->failed = true;
    return;
  }
  io_uring_prep_recv_multishot(s, c->fd, nullptr, 0, 0);
  s->flags |= IOSQE_BUFFER_SELECT;
  s->buf_group = kGroup;
  io_uring_sqe_set_data64(s, tag(kOpRecv, c));
  c->recv_armed = true;
  ++c->ops;
}

// Paused above the high-water mark: stop the multishot receive so the peer meets TCP's flow
// control, as with epoll; bytes already on their way are kept.
void UringServerLoop::cancel_recv(ServerConn* c) {
  io_uring_sqe* s = sqe();
  if (s == nullptr) return;
  io_uring_prep_cancel64(s, tag(kOpRecv, c), 0);
  io_uring_sqe_set_data64(s, kOpCancel);
}

int64_t UringServerLoop::wait_us() const {
  int64_t timeout = -1;
  if (sweep_due()) timeout = next_sweep_ms_ > now_ms_ ? (next_sweep_ms_ - now_ms_) * 1000 : 0;
  if (listen_paused_until_ != 0) {
    int64_t rest = listen_paused_until_ - server_monotonic_us();
    rest = rest < 0 ? 0 : rest;
    timeout = timeout < 0 || rest < timeout ? rest : timeout;
  }
  return timeout;
}

void UringServerLoop::run() {
  if (config_.cpu >= 0) pin_thread(config_.cpu);
  name_thread("evb-uring");
  // By hand: liburing 2.3 declares io_uring_enable_rings but its library does not export it.
  if (syscall(__NR_io_uring_register, ring_.ring_fd, IORING_REGISTER_ENABLE_RINGS, nullptr, 0) < 0) {
    counters_->bump(kErrIo);
    return;
  }
  io_uring_register_ring_fd(&ring_);  // best effort (5.18+): enter without a descriptor lookup
  now_ms_ = server_coarse_ms();
  next_sweep_ms_ = now_ms_ + kSweepMs;
  arm_accept();
  arm_wake();
  while (!stop_.load(std::memory_order_acquire)) {
    int64_t us = wait_us();
    __kernel_timespec ts{us / 1000000, (us % 1000000) * 1000};
    io_uring_cqe* first = nullptr;
    int r = io_uring_submit_and_wait_timeout(&ring_, &first, 1, us < 0 ? nullptr : &ts, nullptr);
    if (r < 0 && r != -ETIME && r != -EINTR && r != -EBUSY && r != -EAGAIN) {
      counters_->bump(kErrIo);
      break;  // the ring itself failed: nothing this loop can serve
    }
    now_ms_ = server_coarse_ms();
    answers_.refresh(time(nullptr));
    unsigned head, seen = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      on_cqe(cqe);
      ++seen;
    }
    io_uring_cq_advance(&ring_, seen);
    bufs_.publish();
    submit_flushes();  // before the sweep, which may free pooled objects the lists point to
    if (listen_paused_until_ != 0 && server_monotonic_us() >= listen_paused_until_) {
      listen_paused_until_ = 0;
      if (spare_fd_ < 0) spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
      arm_accept();
    }
    if (now_ms_ >= next_sweep_ms_) {
      sweep();
      next_sweep_ms_ = now_ms_ + kSweepMs;
    }
  }
  teardown();
}

// On the loop's thread, once stopped: an accept the kernel completed but this loop has not seen
// holds a socket no one would close (its client would wait forever), so the accept is cancelled
// and the completions left are collected, for at most 100 ms, before the ring goes; then every
// connection is closed.
void UringServerLoop::teardown() {
  if (accept_armed_) {
    io_uring_sqe* s = sqe();
    if (s != nullptr) {
      io_uring_prep_cancel64(s, kOpAccept, 0);
      io_uring_sqe_set_data64(s, kOpCancel);
    }
  }
  for (int round = 0; round < 10 && accept_armed_; ++round) {
    __kernel_timespec ts{0, 10 * 1000 * 1000};
    io_uring_cqe* first = nullptr;
    io_uring_submit_and_wait_timeout(&ring_, &first, 1, &ts, nullptr);
    unsigned head, seen = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      if ((io_uring_cqe_get_data64(cqe) & kOpMask) == kOpAccept) {
        if (cqe->res >= 0) close(cqe->res);
        if (!(cqe->flags & IORING_CQE_F_MORE)) accept_armed_ = false;
      }
      ++seen;
    }
    io_uring_cq_advance(&ring_, seen);
  }
  io_uring_queue_exit(&ring_);
  ring_ok_ = false;
  while (open_ != nullptr) close_conn(open_);
}

void UringServerLoop::on_cqe(const io_uring_cqe* cqe) {
  uint64_t ud = io_uring_cqe_get_data64(cqe);
  Op op = static_cast<Op>(ud & kOpMask);
  ServerConn* c = reinterpret_cast<ServerConn*>(ud & ~kOpMask);
  switch (op) {
    case kOpAccept: on_accept(cqe); return;
    case kOpWake:
      if (!stop_.load(std::memory_order_acquire)) arm_wake();
      return;
    case kOpRecv:
      if (!(cqe->flags & IORING_CQE_F_MORE)) {
        c->recv_armed = false;
        op_done(c);
      }
      if (c->fd < 0) {  // closed while the receive was in the kernel
        bufs_.give_back(cqe);
        return;
      }
      on_recv(c, cqe);
      return;
    case kOpSend:
      c->send_busy = false;
      op_done(c);
      if (c->fd >= 0) on_send(c, cqe->res);
      return;
    default: bufs_.give_back(cqe); return;
  }
}

// A closed connection's object waits, out of the pool, for its last request to leave the kernel.
void UringServerLoop::op_done(ServerConn* c) {
  --c->ops;
  if (c->fd < 0 && c->ops == 0) {
    if (c->sending != nullptr) give_ring(c->sending);
    for (size_t i = 0; i < draining_.size(); ++i) {
      if (draining_[i] != c) continue;
      draining_[i] = draining_.back();
      draining_.pop_back();
      break;
    }
    free_conns_.push_back(c);
  }
}

// ---- accepting ----

void UringServerLoop::on_accept(const io_uring_cqe* cqe) {
  if (!(cqe->flags & IORING_CQE_F_MORE)) accept_armed_ = false;
  int fd = cqe->res;
  if (fd < 0) {
    // The accept read the descriptor limit when it was armed: a limit raised since makes a stale
    // EMFILE, so the first one only re-arms (reading the limit again); a second one is real.
    bool out_of_fds = fd == -EMFILE || fd == -ENFILE;
    bool stale_maybe = out_of_fds && !emfile_seen_;
    emfile_seen_ = stale_maybe;
    if (stale_maybe && accept_armed_) {  // still armed with the old limit: cancel, then re-arm
      io_uring_sqe* s = sqe();
      if (s != nullptr) {
        io_uring_prep_cancel64(s, kOpAccept, 0);
        io_uring_sqe_set_data64(s, kOpCancel);
      }
    } else if (out_of_fds && !stale_maybe) {
      shed_connection();
    } else if (!out_of_fds && fd != -EINTR && fd != -ECONNABORTED && fd != -ECANCELED) {
      counters_->bump(kErrAccept);
    }
    if (!accept_armed_ && listen_paused_until_ == 0 && !stop_.load(std::memory_order_acquire)) arm_accept();
    return;
  }
  emfile_seen_ = false;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ServerConn* c = take_conn();
  c->fd = fd;
  link_conn(c);
  arm_idle(c);  // until its first byte a new connection is idle, as with epoll
  arm_recv(c);
  if (c->failed) close_conn(c);
  if (!accept_armed_ && listen_paused_until_ == 0) arm_accept();
}

// Out of descriptors, as with epoll: accept-and-drop one connection with the spare descriptor,
// or rest the listener for a moment.
void UringServerLoop::shed_connection() {
  counters_->bump(kErrEmfile);
  if (spare_fd_ >= 0) {
    close(spare_fd_);
    int fd = accept_socket(listen_fd_, true);
    if (fd >= 0) close(fd);
    spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) return;
  }
  listen_paused_until_ = server_monotonic_us() + kListenPauseUs;
}

// ---- connection I/O ----

// Bytes from the kernel's buffer into the connection's ring (HTTP: the input to frame; echo: the
// output to send back). A ring grows for what arrived after a pause was asked for.
bool UringServerLoop::take_input(ServerConn* c, const char* data, size_t n) {
  bool http = config_.mode == ServerMode::kHttp;
  RingBuffer*& ring = http ? c->in : c->out;
  if (ring == nullptr && (ring = take_ring(kRingBytes)) == nullptr) return false;
  if (ring->free_space() < n && !ring->reserve(ring->size() + n)) return false;
  ring->write(data, n);
  counters_->bump(kBytesIn, n);
  if (!http && ring->size() >= kHighWater) c->paused = true;
  return true;
}

void UringServerLoop::on_recv(ServerConn* c, const io_uring_cqe* cqe) {
  int res = cqe->res;
  if (res > 0) {
    const char* data = bufs_.data(cqe);
    if (c->shut) {  // lingering after a closing answer: only counting what is dropped
      c->discarded += static_cast<uint64_t>(res);
      bufs_.give_back(cqe);
      if (c->discarded > kMaxLingerBytes) close_conn(c);
      return;
    }
    if (!take_input(c, data, static_cast<size_t>(res))) {
      c->failed = true;
      counters_->bump(kErrIo);
    }
    bufs_.give_back(cqe);
    if (config_.mode == ServerMode::kHttp && !c->failed) process_http(c);
    if (!c->recv_armed && !c->stops_reading() && !c->failed) rearm_.push_back(c);
    after_io(c);
    return;
  }
  bufs_.give_back(cqe);
  if (res == 0) {
    c->peer_closed = true;
    if (c->shut) {
      close_conn(c);
      return;
    }
  } else if (res == -ENOBUFS) {
    if (!c->recv_armed) rearm_.push_back(c);  // every buffer was in use: they come back this turn
    return;
  } else if (res == -ECANCELED) {
    // Resumed, or lingering (discarding to EOF), since the cancel was asked for.
    if ((c->shut || !c->stops_reading()) && !c->recv_armed) rearm_.push_back(c);
    return;
  } else {
    counters_->bump(is_reset_errno(-res) ? kErrReset : kErrIo);
    c->failed = true;
  }
  after_io(c);
}

void UringServerLoop::on_send(ServerConn* c, int res) {
  if (res < 0) {
    counters_->bump(is_reset_errno(-res) ? kErrReset : kErrIo);
    c->failed = true;
    settle(c);
    return;
  }
  RingBuffer* s = c->sending;
  s->consume(static_cast<size_t>(res));
  counters_->bump(kBytesOut, static_cast<uint64_t>(res));
  if (config_.mode == ServerMode::kEcho) counters_->bump(kRequests, static_cast<uint64_t>(res));
  if (s->empty()) give_ring(c->sending);
  if (c->sending != nullptr) queue_flush(c);
  if (c->paused && c->sending == nullptr && c->out == nullptr) {
    // Everything written: read and frame again (requests may wait in the input ring).
    c->paused = false;
    if (config_.mode == ServerMode::kHttp) process_http(c);
    if (!c->recv_armed && !c->stops_reading()) rearm_.push_back(c);
  }
  after_io(c);  // what the buffered requests answered is queued too
}

// After input was taken: answers queued for this turn's sends, a pause stops the receive.
void UringServerLoop::after_io(ServerConn* c) {
  if (c->in != nullptr && c->in->empty()) give_ring(c->in);
  if (c->out != nullptr) queue_flush(c);
  // Not reading (paused, closing, the peer's EOF): stop the receive, so a peer that keeps sending
  // meets TCP's flow control as with epoll rather than growing the input. Lingering re-arms it.
  if (c->recv_armed && c->stops_reading() && !c->failed) cancel_recv(c);
  settle(c);
}

void UringServerLoop::queue_flush(ServerConn* c) {
  if (c->flush_queued) return;
  c->flush_queued = true;
  flushes_.push_back(c);
}

// One send per connection with output, all prepared now and submitted by the turn's one enter.
// The ring in flight is set aside (`sending`) so that answers framed meanwhile go to a fresh one.
void UringServerLoop::submit_flushes() {
  for (ServerConn* c : flushes_) {
    c->flush_queued = false;
    if (c->fd < 0 || c->failed) continue;
    if (c->sending == nullptr) {
      if (c->out == nullptr || c->out->empty()) continue;
      c->sending = c->out;
      c->out = nullptr;
    } else if (c->send_busy) {
      continue;  // a send is in the kernel: its completion queues the rest
    }
    if (c->send_busy) continue;
    io_uring_sqe* s = sqe();
    if (s == nullptr) continue;
    const char* p = c->sending->linearize();  // rings are reset when emptied: rarely moves bytes
    io_uring_prep_send(s, c->fd, p, c->sending->size(), kSendNoSignal);
    io_uring_sqe_set_data64(s, tag(kOpSend, c));
    ++c->ops;
    c->send_busy = true;
  }
  flushes_.clear();
  for (ServerConn* c : rearm_)
    if (c->fd >= 0 && !c->recv_armed && (c->shut || !c->stops_reading())) arm_recv(c);
  rearm_.clear();
}

// What the connection waits on after an event, as epoll's settle: close, linger, or a deadline.
void UringServerLoop::settle(ServerConn* c) {
  if (c->failed) {
    close_conn(c);
    return;
  }
  if (c->out != nullptr || c->sending != nullptr) {
    arm_timer(c, true);
    return;
  }
  if (c->peer_closed) {
    close_conn(c);
  } else if (c->closing) {
    bool unread = c->in != nullptr && !c->in->empty();
    if (c->shut) return;
    if (!c->linger && !unread) {
      close_conn(c);
      return;
    }
    // As with epoll: FIN, then drop what arrives until the peer's EOF or the idle timeout.
    c->linger = c->shut = true;
    arm_idle(c);
    if (c->in != nullptr) {
      c->discarded += c->in->size();
      give_ring(c->in);
    }
    shutdown(c->fd, SHUT_WR);
    if (!c->recv_armed) rearm_.push_back(c);
  } else {
    arm_timer(c, false);
  }
}

void UringServerLoop::close_conn(ServerConn* c) {
  if (c->ops > 0 && ring_ok_) {
    // Cancel by user_data, not by descriptor: the number may belong to a new socket by the time
    // the cancel runs. The kernel holds the socket until its requests end; then it closes.
    io_uring_sqe* s = sqe();
    if (s != nullptr) {
      io_uring_prep_cancel64(s, tag(kOpRecv, c), 0);
      io_uring_sqe_set_data64(s, kOpCancel);
    }
    if ((s = sqe()) != nullptr) {
      io_uring_prep_cancel64(s, tag(kOpSend, c), 0);
      io_uring_sqe_set_data64(s, kOpCancel);
    }
  }
  close(c->fd);
  release_conn(c);
  c->recv_armed = false;  // flush_queued stays: the turn's flush list skips a closed connection
  if (c->ops == 0 || !ring_ok_) {
    c->ops = 0;
    c->send_busy = false;
    if (c->sending != nullptr) give_ring(c->sending);
    free_conns_.push_back(c);
  } else {
    draining_.push_back(c);
  }
}

}  // namespace

std::string uring_server_unavailable() {
  io_uring ring{};
  int r = setup_ring(&ring, 8);
  if (r < 0) return std::string("io_uring: io_uring_setup: ") + std::strerror(-r) + uring_disabled_sysctl();
  io_uring_probe* probe = io_uring_get_probe_ring(&ring);
  bool ok = probe != nullptr && io_uring_opcode_supported(probe, IORING_OP_ACCEPT) &&
            io_uring_opcode_supported(probe, IORING_OP_RECV) && io_uring_opcode_supported(probe, IORING_OP_SEND) &&
            io_uring_opcode_supported(probe, IORING_OP_ASYNC_CANCEL) &&
            io_uring_opcode_supported(probe, IORING_OP_READ);
  if (probe != nullptr) io_uring_free_probe(probe);
  std::string why = ok ? "" : "io_uring: the kernel lacks accept, receive, send, read or cancel operations";
  if (why.empty()) why = uring_buf_ring_unavailable(&ring);
  io_uring_queue_exit(&ring);
  return why;
}

std::unique_ptr<ServerProtocol> make_uring_server_loop(const LoopConfig& config, int listen_fd,
                                                       ServerCounters* counters) {
  return std::make_unique<UringServerLoop>(config, listen_fd, counters);
}

}  // namespace evb

#else  // no liburing at build time

namespace evb {

std::string uring_server_unavailable() {
  return "io_uring: this build has no liburing (install liburing-dev and rebuild with CMake; the node-gyp build "
         "never has it)";
}

std::unique_ptr<ServerProtocol> make_uring_server_loop(const LoopConfig&, int, ServerCounters*) { return nullptr; }

}  // namespace evb

#endif
