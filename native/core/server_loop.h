// One event-loop thread of the native server: its own poller, its own SO_REUSEPORT listener,
// its own connections, buffers and answer cache. Nothing is shared with the other loops except
// the stop flag, so the hot path takes no lock.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "http_answer.h"
#include "poller.h"
#include "ring_buffer.h"
#include "server_conn.h"
#include "server_counters.h"
#include "server_timeouts.h"

namespace evb {

enum class ServerMode : uint8_t { kHttp, kEcho };

struct LoopConfig {
  ServerMode mode = ServerMode::kHttp;
  uint64_t max_body_bytes = 8u << 20;
  int cpu = -1;  // pin the thread to this CPU; -1: no pinning
  ServerTimeouts timeouts;
};

class ServerLoop {
 public:
  // Takes ownership of listen_fd. `counters` must outlive the loop.
  ServerLoop(const LoopConfig& config, int listen_fd, ServerCounters* counters);
  ~ServerLoop();
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  int init_error() const { return poller_.init_error(); }
  void run();   // the thread body; returns once stop() was called
  void stop();  // thread-safe

 private:
  void on_accept();
  void shed_connection();
  void on_event(ServerConn* c, uint32_t events);
  void drive(ServerConn* c);
  void process_http(ServerConn* c);
  void on_head(ServerConn* c);
  void on_body(ServerConn* c);
  void on_end(ServerConn* c);
  void on_error(ServerConn* c);
  void discard_input(ServerConn* c);
  bool put(ServerConn* c, const char* data, size_t n);
  void flush(ServerConn* c);
  void settle(ServerConn* c);
  void close_conn(ServerConn* c);
  void resume_listener_if_due();
  void arm_timer(ServerConn* c);
  void sweep();
  void trim_pools();

  RingBuffer* take_ring(size_t capacity);
  void give_ring(RingBuffer*& ring);
  ServerConn* take_conn();

  LoopConfig config_;
  int listen_fd_;
  int spare_fd_ = -1;           // closed to accept-and-drop one connection when fds run out
  int64_t listen_paused_until_ = 0;  // monotonic us; 0: the listener is armed
  char listen_tag_ = 0;         // its address marks the listener's events
  ServerCounters* counters_;
  Poller poller_;
  AnswerCache answers_;
  FramerLimits limits_;
  std::atomic<bool> stop_{false};
  ServerConn* open_ = nullptr;  // open connections, a doubly linked list through the objects
  size_t open_count_ = 0;
  size_t peak_open_ = 0;        // the most open since the pools were last trimmed
  int64_t now_ms_ = 0;          // the loop's coarse clock, read once per wake-up
  int64_t next_sweep_ms_ = 0;
  std::vector<ServerConn*> free_conns_;  // owned; trimmed by the sweep, never during an event batch
  std::vector<RingBuffer*> free_rings_;
};

}  // namespace evb
