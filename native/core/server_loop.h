// One epoll event-loop thread of the native server: its own poller, its own SO_REUSEPORT
// listener, its own connections, buffers and answer cache (the protocol: server_protocol.h).
// Nothing is shared with the other loops except the stop flag, so the hot path takes no lock.
#pragma once
#include <sys/uio.h>

#include <cstdint>

#include "poller.h"
#include "server_protocol.h"

namespace evb {

class ServerLoop final : public ServerProtocol {
 public:
  // Takes ownership of listen_fd. `counters` must outlive the loop.
  ServerLoop(const LoopConfig& config, int listen_fd, ServerCounters* counters);
  ~ServerLoop() override;

  int init_error() const override { return poller_.init_error(); }
  const char* init_call() const override { return "epoll_create1"; }
  void run() override;
  void stop() override;

 private:
  void on_accept();
  void shed_connection();
  void on_event(ServerConn* c, uint32_t events);
  void drive(ServerConn* c);
  bool read_tls(ServerConn* c, RingBuffer* ring, const iovec& free);
  void tls_failed(ServerConn* c, TlsIo res);
  void discard_input(ServerConn* c);
  void flush(ServerConn* c);
  void settle(ServerConn* c);
  void close_conn(ServerConn* c) override;
  void resume_listener_if_due();

  int listen_fd_;
  int spare_fd_ = -1;                // closed to accept-and-drop one connection when fds run out
  int64_t listen_paused_until_ = 0;  // monotonic us; 0: the listener is armed
  char listen_tag_ = 0;              // its address marks the listener's events
  Poller poller_;
};

}  // namespace evb
