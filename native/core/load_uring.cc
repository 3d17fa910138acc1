// The io_uring backend of the load client. Per loop turn one system call
// (io_uring_submit_and_wait_timeout) hands the kernel every send queued during the turn and
// waits for completions; answers arrive through one multishot receive per connection into a
// provided buffer ring (no receive is re-armed per answer); connections are registered
// descriptors (no file lookup per operation). The protocol is LoadThread's, as for epoll.
#include "load_uring.h"

#ifdef EVB_HAVE_LIBURING
#include <liburing.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include "uring_buffers.h"
#include "uring_probe.h"

#include <cerrno>
#include <cstring>

#include "load_clock.h"
#include "load_connect.h"

namespace evb {
namespace {

enum Op : uint64_t { kOpConnect = 1, kOpRecv = 2, kOpSend = 3, kOpCancel = 4 };

uint64_t tag(Op op, uint32_t conn, uint32_t gen) {
  return static_cast<uint64_t>(op) | (static_cast<uint64_t>(conn) << 4) | (static_cast<uint64_t>(gen) << 32);
}

uint32_t pow2_at_least(uint32_t n) {
  uint32_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

// Sets up a ring: SQPOLL when asked; else single issuer with deferred task work (6.1+),
// falling back to cooperative task work, then to none. 0 or -errno.
int setup_ring(io_uring* ring, unsigned entries, bool sqpoll) {
  io_uring_params p{};
  if (sqpoll) {
    p.flags = IORING_SETUP_SQPOLL;
    p.sq_thread_idle = 1000;
    return io_uring_queue_init_params(entries, ring, &p);
  }
  const unsigned tries[] = {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_COOP_TASKRUN, 0};
  int r = -EINVAL;
  for (unsigned flags : tries) {
    p = io_uring_params{};
    p.flags = flags;
    r = io_uring_queue_init_params(entries, ring, &p);
    if (r != -EINVAL) return r;
  }
  return r;
}

class UringLoadThread final : public LoadThread {
 public:
  UringLoadThread(LoadPlan& plan, int index, int first_conn, int count) : LoadThread(plan, index, first_conn, count) {}
  ~UringLoadThread() override;
  // The loop wakes at least every sweep (5 ms at most) and then sees plan.stop.
  void wake() override {}

 private:
  static constexpr uint32_t kBufSize = 8192;
  static constexpr uint16_t kGroup = 0;

  std::string init() override;
  void loop() override;
  bool io_open(LoadConn& c, uint64_t now) override;
  void io_close(LoadConn& c) override;
  void io_send(LoadConn& c, uint64_t now) override;
  void io_finish() override { release(); }
  void release();
  io_uring_sqe* sqe();
  void arm_recv(LoadConn& c);
  void submit_sends();
  void on_cqe(const io_uring_cqe* cqe, uint64_t now);
  void on_recv(LoadConn& c, const io_uring_cqe* cqe, uint64_t now);
  void on_sent(LoadConn& c, int res, uint64_t now);
  // TLS over memory BIOs: the ring moves ciphertext, OpenSSL works in memory.
  void io_handshake(LoadConn& c, uint64_t now) override;
  void tls_flush(LoadConn& c);
  void tls_input(LoadConn& c, const char* p, size_t n, uint64_t now);
  bool tls_busy(const LoadConn& c) const { return c.send_queued || c.send_busy; }
  uint32_t slot(const LoadConn& c) const { return c.id - first_id_; }

  io_uring ring_{};
  bool ring_ok_ = false;
  UringBuffers bufs_;  // released only once the ring is gone (the kernel writes into them)
  uint32_t first_id_ = 0;
  std::vector<std::pair<LoadConn*, uint32_t>> sends_;  // queued this turn (connection, its gen)
  std::vector<LoadConn*> rearm_;                       // receives to arm again this turn
  std::vector<char> tls_plain_;                        // TLS: plaintext read out of OpenSSL
};

std::string UringLoadThread::init() {
  if (plan_.opts.tls) tls_plain_.resize(kBufSize * 2);
  first_id_ = conns_.empty() ? 0 : conns_.front()->id;
  uint32_t n = static_cast<uint32_t>(conns_.size());
  unsigned entries = pow2_at_least(n * 2 + 64);
  if (entries > 4096) entries = 4096;
  int r = setup_ring(&ring_, entries, plan_.opts.sqpoll);
  if (r < 0) return std::string("io_uring: io_uring_setup: ") + std::strerror(-r) + uring_disabled_sysctl();
  ring_ok_ = true;
  r = io_uring_register_files_sparse(&ring_, n);
  if (r < 0) return std::string("io_uring: registering descriptors: ") + std::strerror(-r);
  uint32_t nbufs = pow2_at_least(n * 2);
  nbufs = nbufs < 64 ? 64 : nbufs > 4096 ? 4096 : nbufs;
  r = bufs_.setup(&ring_, nbufs, kBufSize, kGroup);
  if (r < 0) return std::string("io_uring: ") + bufs_.failed_call() + ": " + std::strerror(-r);
  sends_.reserve(n);
  rearm_.reserve(n);
  return "";
}

UringLoadThread::~UringLoadThread() { release(); }

// With deferred task work, cancelled requests finish (and let go of their sockets) only when
// the ring is entered again: tearing the ring down ends them all at once.
void UringLoadThread::release() {
  if (ring_ok_) io_uring_queue_exit(&ring_);  // also unregisters the buffer ring and the descriptors
  ring_ok_ = false;
  bufs_.release();
}

io_uring_sqe* UringLoadThread::sqe() { return uring_next_sqe(&ring_); }

bool UringLoadThread::io_open(LoadConn& c, uint64_t) {
  // A blocking socket: io_uring waits for readiness itself, and O_NONBLOCK would only turn
  // waits into -EAGAIN completions.
  int fd = socket(plan_.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  if (!plan_.sources.empty()) {
    int err = bind_source(fd, plan_.sources[c.id % plan_.sources.size()], plan_.source_len);
    if (err != 0) {
      ::close(fd);
      errno = err;
      return false;
    }
  }
  int one = 1;
  // A held idle connection never writes: Nagle cannot delay it, and the call would be its cost.
  if (c.active) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef TCP_FASTOPEN_CONNECT
  // As with epoll: the connect completes at once and the first send carries the SYN.
  if (plan_.opts.fast_open) setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof one);
#endif
  int idx = static_cast<int>(slot(c));
  int r = io_uring_register_files_update(&ring_, static_cast<unsigned>(idx), &fd, 1);
  ::close(fd);  // the registered table holds the socket now
  if (r < 0) {
    errno = -r;
    return false;
  }
  io_uring_sqe* s = sqe();
  if (s == nullptr) {
    errno = EBUSY;
    return false;
  }
  io_uring_prep_connect(s, idx, reinterpret_cast<const sockaddr*>(&plan_.addr), plan_.addr_len);
  s->flags |= IOSQE_FIXED_FILE;
  io_uring_sqe_set_data64(s, tag(kOpConnect, slot(c), c.gen));
  c.fd = idx;
  c.state = LoadConn::kConnecting;
  c.send_queued = c.send_busy = c.recv_armed = false;
  return true;
}

void UringLoadThread::io_close(LoadConn& c) {
  // Cancel what is in the kernel for this descriptor, then empty its slot (which closes the
  // socket once the cancelled requests let go of it). The cancel must be processed before the
  // slot changes, hence its own submit.
  io_uring_sqe* s = sqe();
  if (s != nullptr) {
    io_uring_prep_cancel_fd(s, c.fd, IORING_ASYNC_CANCEL_ALL);
    s->cancel_flags |= IORING_ASYNC_CANCEL_FD_FIXED;
    io_uring_sqe_set_data64(s, tag(kOpCancel, slot(c), c.gen));
    io_uring_submit(&ring_);
  }
  int none = -1;
  io_uring_register_files_update(&ring_, static_cast<unsigned>(c.fd), &none, 1);
  c.send_queued = c.send_busy = c.recv_armed = false;
}

void UringLoadThread::io_send(LoadConn& c, uint64_t now) {
  if (c.ssl != nullptr) {
    // The batch's bytes are encrypted at once (a memory BIO takes them all); they count as
    // written when their ciphertext has gone (on_sent).
    if (c.out_left != 0 && !c.tls_sealed) {
      TlsClient::Step step = TlsClient::kFailed;
      TlsError why = kTlsErrHandshake;
      if (tls_.write(c.ssl, out_ptr(c), c.out_left, &step, &why) != static_cast<long>(c.out_left)) {
        tls_broke(c, why, now);
        return;
      }
      c.tls_sealed = true;
    }
    tls_flush(c);
    return;
  }
  if (c.send_queued || c.send_busy) return;
  c.send_queued = true;
  sends_.emplace_back(&c, c.gen);
}

void UringLoadThread::arm_recv(LoadConn& c) {
  io_uring_sqe* s = sqe();
  if (s == nullptr) return;
  io_uring_prep_recv_multishot(s, c.fd, nullptr, 0, 0);
  s->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
  s->buf_group = kGroup;
  io_uring_sqe_set_data64(s, tag(kOpRecv, slot(c), c.gen));
  c.recv_armed = true;
}

// Every send queued during the turn, prepared together; they leave with the turn's one submit.
void UringLoadThread::submit_sends() {
  for (auto& q : sends_) {
    LoadConn& c = *q.first;
    if (c.gen != q.second || !c.send_queued) continue;
    c.send_queued = false;
    const char* p = out_ptr(c);
    size_t n = c.out_left;
    if (c.ssl != nullptr) {
      p = c.tls_out.data() + c.tls_out_off;
      n = c.tls_out.size() - c.tls_out_off;
    } else if (c.state != LoadConn::kOpen) {
      continue;
    }
    if (n == 0) continue;
    io_uring_sqe* s = sqe();
    if (s == nullptr) continue;
    io_uring_prep_send(s, c.fd, p, n, MSG_NOSIGNAL);
    s->flags |= IOSQE_FIXED_FILE;
    io_uring_sqe_set_data64(s, tag(kOpSend, slot(c), c.gen));
    c.send_busy = true;
  }
  sends_.clear();
  for (LoadConn* c : rearm_)
    if ((c->state == LoadConn::kOpen || c->handshaking) && !c->recv_armed) arm_recv(*c);
  rearm_.clear();
}

void UringLoadThread::on_recv(LoadConn& c, const io_uring_cqe* cqe, uint64_t now) {
  bool more = (cqe->flags & IORING_CQE_F_MORE) != 0;
  if (!more) c.recv_armed = false;
  if (cqe->res > 0) {
    const char* data = bufs_.data(cqe);
    uint32_t gen = c.gen;
    bool alive = true;
    if (c.ssl != nullptr) {
      tls_input(c, data, static_cast<size_t>(cqe->res), now);
      alive = c.gen == gen;
    } else {
      alive = on_input_bytes(c, data, static_cast<size_t>(cqe->res), now);
    }
    bufs_.give_back(cqe);
    if (alive && !more && (c.state == LoadConn::kOpen || c.handshaking)) rearm_.push_back(&c);
    return;
  }
  bufs_.give_back(cqe);
  if (c.handshaking && cqe->res != -ENOBUFS && cqe->res != -ECANCELED) {
    tls_failed(c, kTlsErrHandshake, now);  // closed or reset before the handshake ended
  } else if (cqe->res == 0) {
    on_eof(c, now);
  } else if (cqe->res == -ENOBUFS) {
    rearm_.push_back(&c);  // every buffer was in use: they come back this turn
  } else if (cqe->res != -ECANCELED) {
    fail(c, kLoadErrReset, now);
  }
}

void UringLoadThread::on_sent(LoadConn& c, int res, uint64_t now) {
  c.send_busy = false;
  if (res < 0) {
    if (c.handshaking) {
      tls_failed(c, kTlsErrHandshake, now);
    } else {
      fail(c, kLoadErrReset, now);
    }
    return;
  }
  if (c.ssl != nullptr) {
    c.tls_out_off += static_cast<size_t>(res);
    if (c.tls_out_off < c.tls_out.size()) {
      io_send(c, now);  // the rest of this ciphertext
      return;
    }
    c.tls_out.clear();
    c.tls_out_off = 0;
    tls_flush(c);  // what OpenSSL produced meanwhile
    if (tls_busy(c) || !c.tls_sealed) return;
    // All of the batch's ciphertext has gone: its requests are written.
    c.tls_sealed = false;
    res = static_cast<int>(c.out_left);
  }
  c.out_off += static_cast<size_t>(res);
  c.out_left -= static_cast<size_t>(res);
  if (c.out_left != 0) {
    io_send(c, now);
  } else {
    fill(c, now);  // answers may have come first and found the pipeline still sending
  }
}

// Queues a send of what OpenSSL has produced, unless a send of this connection is under way
// (its completion calls this again): one send in the kernel per connection, as without TLS.
void UringLoadThread::tls_flush(LoadConn& c) {
  if (tls_busy(c)) return;
  if (c.tls_out_off == c.tls_out.size()) {
    c.tls_out.clear();
    c.tls_out_off = 0;
  }
  tls_.take_output(c.ssl, &c.tls_out);
  if (c.tls_out_off == c.tls_out.size()) return;
  c.send_queued = true;
  sends_.emplace_back(&c, c.gen);
}

void UringLoadThread::io_handshake(LoadConn& c, uint64_t now) {
  if (c.ssl == nullptr) {
    if ((c.ssl = tls_.start_memory()) == nullptr) {
      tls_failed(c, kTlsErrHandshake, now);
      return;
    }
    early_begin(c, now);
  }
  // Early data: into the memory BIO whole, leaving with the ClientHello in one send.
  if (c.early == LoadConn::kEarlyWriting && early_write(c, now) == TlsClient::kFailed) return;
  TlsError why = kTlsErrHandshake;
  TlsClient::Step step = tls_.handshake(c.ssl, &why);
  if (step == TlsClient::kFailed) {
    tls_failed(c, why, now);
    return;
  }
  uint32_t gen = c.gen;
  // Done: the first requests are encrypted behind the client's Finished, one send for both.
  if (step == TlsClient::kDone) handshaken(c, now);
  if (c.gen == gen && c.ssl != nullptr) tls_flush(c);  // the ClientHello, or the Finished
}

// Ciphertext from the ring: through OpenSSL, then the plaintext to the protocol.
void UringLoadThread::tls_input(LoadConn& c, const char* p, size_t n, uint64_t now) {
  tls_.feed(c.ssl, p, n);
  if (c.handshaking) {
    io_handshake(c, now);
    if (c.handshaking || c.state != LoadConn::kOpen) return;  // more to come, or failed
  }
  uint32_t gen = c.gen;
  for (;;) {
    TlsClient::Step step = TlsClient::kFailed;
    TlsError why = kTlsErrHandshake;
    long r = tls_.read(c.ssl, tls_plain_.data(), tls_plain_.size(), &step, &why);
    if (r > 0) {
      if (!on_input_bytes(c, tls_plain_.data(), static_cast<size_t>(r), now) || c.gen != gen) return;
      continue;
    }
    if (step == TlsClient::kWantRead) break;
    tls_read_ended(c, step, why, now);
    return;
  }
  tls_flush(c);  // a reply OpenSSL owes the server (a key update)
}

void UringLoadThread::on_cqe(const io_uring_cqe* cqe, uint64_t now) {
  uint64_t ud = io_uring_cqe_get_data64(cqe);
  Op op = static_cast<Op>(ud & 0xf);
  uint32_t idx = static_cast<uint32_t>((ud >> 4) & 0xfffffff);
  uint32_t gen = static_cast<uint32_t>(ud >> 32);
  if (op == kOpCancel || idx >= conns_.size()) {
    bufs_.give_back(cqe);
    return;
  }
  LoadConn& c = *conns_[idx];
  if (gen != c.gen) {  // a late completion of a connection closed since
    bufs_.give_back(cqe);
    return;
  }
  switch (op) {
    case kOpConnect:
      connected(c, now, cqe->res < 0 ? -cqe->res : 0);
      if ((c.state == LoadConn::kOpen || c.handshaking) && c.gen == gen && !c.recv_armed) arm_recv(c);
      break;
    case kOpRecv: on_recv(c, cqe, now); break;
    case kOpSend: on_sent(c, cqe->res, now); break;
    case kOpCancel: break;
  }
}

void UringLoadThread::loop() {
  for (;;) {
    uint64_t now = load_now_ns();
    if (should_stop(now)) break;
    tick(now);
    submit_sends();
    uint64_t until = wake_at(now);
    uint64_t wait_ns = until > now ? until - now : 0;
    __kernel_timespec ts{static_cast<long long>(wait_ns / 1000000000ull),
                         static_cast<long long>(wait_ns % 1000000000ull)};
    io_uring_cqe* first = nullptr;
    int r = io_uring_submit_and_wait_timeout(&ring_, &first, 1, &ts, nullptr);
    if (r < 0 && r != -ETIME && r != -EINTR && r != -EBUSY && r != -EAGAIN) {
      fatal = std::string("io_uring wait: ") + std::strerror(-r);
      break;
    }
    // One clock read per batch of completions: they arrived together.
    now = load_now_ns();
    unsigned head, seen = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      on_cqe(cqe, now);
      ++seen;
    }
    io_uring_cq_advance(&ring_, seen);
    bufs_.publish();
    publish(now);  // open loop: fill() armed each connection's next due time (load_thread.cc)
  }
}

}  // namespace

std::string uring_load_unavailable(bool sqpoll) {
  io_uring ring{};
  int r = setup_ring(&ring, 8, sqpoll);
  if (r < 0) return std::string("io_uring: io_uring_setup: ") + std::strerror(-r) + uring_disabled_sysctl();
  io_uring_probe* probe = io_uring_get_probe_ring(&ring);
  bool ok = probe != nullptr && io_uring_opcode_supported(probe, IORING_OP_RECV) &&
            io_uring_opcode_supported(probe, IORING_OP_CONNECT) &&
            io_uring_opcode_supported(probe, IORING_OP_ASYNC_CANCEL);
  if (probe != nullptr) io_uring_free_probe(probe);
  std::string why = ok ? "" : "io_uring: the kernel lacks receive, connect or cancel operations";
  // The features the loop needs beyond the opcodes: a sparse descriptor table (5.19) and a
  // provided buffer ring (5.19); multishot receive came with 6.0.
  if (why.empty() && (r = io_uring_register_files_sparse(&ring, 1)) < 0)
    why = std::string("io_uring: registered descriptors: ") + std::strerror(-r);
  if (why.empty()) why = uring_buf_ring_unavailable(&ring);
  io_uring_queue_exit(&ring);
  return why;
}

std::unique_ptr<LoadThread> make_uring_load_thread(LoadPlan& plan, int index, int first_conn, int count) {
  return std::make_unique<UringLoadThread>(plan, index, first_conn, count);
}

}  // namespace evb

#else  // no liburing at build time

namespace evb {

std::string uring_load_unavailable(bool) {
  return "io_uring: this build has no liburing (install liburing-dev and rebuild with CMake; the node-gyp build "
         "never has it)";
}

std::unique_ptr<LoadThread> make_uring_load_thread(LoadPlan&, int, int, int) { return nullptr; }

}  // namespace evb

#endif
