// The readiness backend of the load client (epoll on Linux, kqueue elsewhere, via Poller).
// The hot path per answer is: read (one syscall, into the connection's buffer), parse in
// place, one write of the replacement batch; no allocation and no poller change unless a write
// falls short.
#include "load_epoll.h"
#include "portable.h"  // socket flags and MSG_NOSIGNAL behind portable calls

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "load_clock.h"
#include "load_connect.h"
#include "poller.h"

namespace evb {
namespace {

class EpollLoadThread final : public LoadThread {
 public:
  EpollLoadThread(LoadPlan& plan, int index, int first_conn, int count) : LoadThread(plan, index, first_conn, count) {}
  void wake() override { poller_.wake(); }

 private:
  std::string init() override {
    return poller_.init_error() == 0 ? "" : "poller: errno " + std::to_string(poller_.init_error());
  }
  void loop() override;
  bool io_open(LoadConn& c, uint64_t now) override;
  void io_close(LoadConn& c) override { ::close(c.fd); }  // closing also removes it from the poller
  void io_send(LoadConn& c, uint64_t now) override;
  void io_handshake(LoadConn& c, uint64_t now) override;
  void set_write_interest(LoadConn& c, bool on);
  void on_event(LoadConn& c, uint32_t events, uint64_t now);
  void on_readable(LoadConn& c, uint64_t now);
  void send_tls(LoadConn& c, uint64_t now);
  void read_tls(LoadConn& c, uint64_t now);

  Poller poller_;
};

// Closes fd and fails with the errno of the call that failed (close must not change it).
bool fail_open(int fd) {
  int err = errno;
  ::close(fd);
  errno = err;
  return false;
}

bool EpollLoadThread::io_open(LoadConn& c, uint64_t) {
  int fd = stream_socket(plan_.addr.ss_family);
  if (fd < 0) return false;
  if (!plan_.sources.empty()) {
    int err = bind_source(fd, plan_.sources[c.id % plan_.sources.size()], plan_.source_len);
    if (err != 0) {
      errno = err;
      return fail_open(fd);
    }
  }
  int one = 1;
  // A held idle connection never writes: Nagle cannot delay it, and the call would be its cost.
  if (c.active) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef TCP_FASTOPEN_CONNECT
  // connect() then returns at once and the first write carries the request in the SYN
  // (when the kernel holds a cookie for the server; else a normal handshake follows).
  if (plan_.opts.fast_open) setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof one);
#endif
  int r = connect(fd, reinterpret_cast<const sockaddr*>(&plan_.addr), plan_.addr_len);
  if (r < 0 && errno != EINPROGRESS) return fail_open(fd);
  c.want_write = r != 0;
  if (poller_.add(fd, kReadable | (c.want_write ? uint32_t{kWritable} : 0u), &c) < 0) return fail_open(fd);
  c.fd = fd;
  c.state = r == 0 ? LoadConn::kOpen : LoadConn::kConnecting;
  return true;
}

void EpollLoadThread::set_write_interest(LoadConn& c, bool on) {
  if (c.want_write == on) return;
  c.want_write = on;
  poller_.modify(c.fd, kReadable | (on ? uint32_t{kWritable} : 0u), &c);
}

void EpollLoadThread::io_send(LoadConn& c, uint64_t now) {
  if (c.ssl != nullptr) {
    send_tls(c, now);
    return;
  }
  while (c.out_left != 0) {
    ssize_t n = send(c.fd, out_ptr(c), c.out_left, kSendNoSignal);
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
    if (c.state == LoadConn::kConnecting) {
      connect_failed(c, errno, now);
    } else {
      fail(c, kLoadErrReset, now);
    }
    return;
  }
  set_write_interest(c, false);
}

// The handshake runs over the socket itself (an fd BIO: no copy); the poller waits for what
// OpenSSL asks for.
void EpollLoadThread::io_handshake(LoadConn& c, uint64_t now) {
  if (c.ssl == nullptr) {
    if ((c.ssl = tls_.start(c.fd)) == nullptr) {
      tls_failed(c, kTlsErrHandshake, now);
      return;
    }
    early_begin(c, now);
  }
  if (c.early == LoadConn::kEarlyWriting) {  // the ClientHello, then the early data
    TlsClient::Step step = early_write(c, now);
    if (step == TlsClient::kFailed) return;
    if (step != TlsClient::kDone) {
      set_write_interest(c, step == TlsClient::kWantWrite);
      return;
    }
  }
  TlsError why = kTlsErrHandshake;
  switch (tls_.handshake(c.ssl, &why)) {
    case TlsClient::kDone: {
      set_write_interest(c, false);
      uint32_t gen = c.gen;
      handshaken(c, now);
      // Read ahead with the server's last flight, an answer (to early data) or a ticket may
      // already be in OpenSSL: the poller will not report it again.
      if (c.gen == gen && c.state == LoadConn::kOpen && tls_.has_pending(c.ssl)) read_tls(c, now);
      return;
    }
    case TlsClient::kWantRead: set_write_interest(c, false); return;
    case TlsClient::kWantWrite: set_write_interest(c, true); return;
    default: tls_failed(c, why, now); return;
  }
}

void EpollLoadThread::send_tls(LoadConn& c, uint64_t now) {
  while (c.out_left != 0) {
    TlsClient::Step step = TlsClient::kFailed;
    TlsError why = kTlsErrHandshake;
    long n = tls_.write(c.ssl, out_ptr(c), c.out_left, &step, &why);
    if (n > 0) {
      c.out_off += static_cast<size_t>(n);
      c.out_left -= static_cast<size_t>(n);
      continue;
    }
    if (step == TlsClient::kWantWrite) {
      set_write_interest(c, true);
      return;
    }
    if (step == TlsClient::kWantRead) return;  // a key update: resumed from on_event once readable
    fail(c, step == TlsClient::kClosed ? kLoadErrReset : kLoadErrTls, now);
    return;
  }
  set_write_interest(c, false);
}

// Reads while OpenSSL holds input: records it already read ahead are invisible to the poller,
// so one read per event could leave an answer unread. It stops when OpenSSL holds nothing,
// without the read() that would only say EAGAIN (the poller is level-triggered: more on the
// socket is another event).
void EpollLoadThread::read_tls(LoadConn& c, uint64_t now) {
  uint32_t gen = c.gen;
  for (;;) {
    iovec iov[2] = {};
    if (!ensure_input(c) || c.in.writable_iov(iov) == 0) {
      fail(c, kLoadErrBadResponse, now);
      return;
    }
    TlsClient::Step step = TlsClient::kFailed;
    TlsError why = kTlsErrHandshake;
    long r = tls_.read(c.ssl, iov[0].iov_base, iov[0].iov_len, &step, &why);
    if (r > 0) {
      c.in.commit(static_cast<size_t>(r));
      on_input(c, static_cast<size_t>(r), now);
      if (c.gen != gen || c.state != LoadConn::kOpen) return;
      if (!tls_.has_pending(c.ssl)) break;
      // The next read may return the answer to a request on_input just sent: it must be
      // stamped after that send, not with this event's time (else a latency near zero).
      now = load_now_ns();
      continue;
    }
    if (step == TlsClient::kWantRead) break;
    if (step == TlsClient::kWantWrite) {
      set_write_interest(c, true);
      return;
    }
    tls_read_ended(c, step, why, now);
    return;
  }
  if (c.out_left != 0) send_tls(c, now);  // a write that waited on a read
}

void EpollLoadThread::on_event(LoadConn& c, uint32_t events, uint64_t now) {
  if (c.handshaking) {
    io_handshake(c, now);
    return;
  }
  if (c.state == LoadConn::kConnecting) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    connected(c, now, err);
    if (c.state == LoadConn::kOpen && c.out_left == 0) set_write_interest(c, false);
    return;
  }
  if (c.state != LoadConn::kOpen) return;  // closed earlier in this batch
  if ((events & kWritable) && c.out_left != 0) {
    io_send(c, now);
    if (c.state != LoadConn::kOpen) return;
  }
  if (events & (kReadable | kHangup)) on_readable(c, now);
}

void EpollLoadThread::on_readable(LoadConn& c, uint64_t now) {
  if (c.ssl != nullptr) {
    read_tls(c, now);
    return;
  }
  iovec iov[2] = {};
  // Only the first free segment: the data then never wraps and parses in place. The buffer is
  // never full here (parse_http grows it or fails the connection).
  if (!ensure_input(c) || c.in.writable_iov(iov) == 0) {
    fail(c, kLoadErrBadResponse, now);
    return;
  }
  ssize_t r = read(c.fd, iov[0].iov_base, iov[0].iov_len);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
    fail(c, kLoadErrReset, now);
    return;
  }
  if (r == 0) {
    on_eof(c, now);
    return;
  }
  c.in.commit(static_cast<size_t>(r));
  on_input(c, static_cast<size_t>(r), now);
}

void EpollLoadThread::loop() {
  constexpr int kMaxEvents = 256;
  PollEvent evs[kMaxEvents];
  for (;;) {
    uint64_t now = load_now_ns();
    if (should_stop(now)) break;
    tick(now);
    uint64_t until = wake_at(now);
    int64_t wait_us = until > now ? static_cast<int64_t>((until - now + 999) / 1000) : 0;
    int n = poller_.wait(evs, kMaxEvents, wait_us);
    if (n < 0) {
      fatal = "poller wait: errno " + std::to_string(-n);
      break;
    }
    for (int i = 0; i < n; ++i) {
      LoadConn& c = *static_cast<LoadConn*>(evs[i].data);
      // One clock read per connection event: the answer's arrival, as close to the read as can be.
      on_event(c, evs[i].events, load_now_ns());
      note_due(c);
    }
    publish(now);
  }
}

}  // namespace

std::unique_ptr<LoadThread> make_epoll_load_thread(LoadPlan& plan, int index, int first_conn, int count) {
  return std::make_unique<EpollLoadThread>(plan, index, first_conn, count);
}

}  // namespace evb
