// The native server's protocol, shared by its I/O backends (epoll: server_loop, io_uring:
// server_uring): request framing, answers, echo, back-pressure, timeouts and the rules for
// closing, plus the per-loop pools and the list of open connections. A backend reads bytes into
// a connection's ring, calls process_http, writes what put() queued, and decides in settle() what
// the connection waits for next; how bytes move is all it owns.
#pragma once
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "http_answer.h"
#include "ring_buffer.h"
#include "server_conn.h"
#include "server_counters.h"
#include "server_timeouts.h"
#include "server_tls.h"

namespace evb {

enum class ServerMode : uint8_t { kHttp, kEcho };

struct LoopConfig {
  ServerMode mode = ServerMode::kHttp;
  uint64_t max_body_bytes = 8u << 20;
  int cpu = -1;  // pin the thread to this CPU; -1: no pinning
  ServerTimeouts timeouts;
  TlsServerContext* tls = nullptr;  // TLS on every connection (epoll loops only); owned by Server
};

namespace server_limits {
constexpr size_t kRingBytes = 16384;         // > the 8 KiB header limit, so any head fits whole
constexpr size_t kHighWater = 65536;         // output held for a peer that does not read
constexpr size_t kMaxLingerBytes = 1 << 20;  // input discarded after an error answer, then close
constexpr size_t kMaxFreeRings = 64;         // pooled 16 KiB rings kept per loop (1 MiB); more are freed
constexpr size_t kMaxFreeConns = 1024;       // pooled connection objects kept per loop
constexpr size_t kTrimDrop = 256;            // this many fewer open connections than the peak: give
                                             // memory back to the system (malloc_trim) at the next sweep
constexpr int kAcceptBatch = 64;             // accepts per readiness event, so a flood cannot starve I/O
constexpr int64_t kListenPauseUs = 100000;   // listener rest when no descriptor can be had
}  // namespace server_limits

// The coarse clock of the timeouts (a vDSO read) and the precise one of the listener pause.
int64_t server_coarse_ms();
int64_t server_monotonic_us();
inline bool is_reset_errno(int err) { return err == ECONNRESET || err == EPIPE || err == ETIMEDOUT; }

class ServerProtocol {
 public:
  ServerProtocol(const LoopConfig& config, ServerCounters* counters);
  virtual ~ServerProtocol();
  ServerProtocol(const ServerProtocol&) = delete;
  ServerProtocol& operator=(const ServerProtocol&) = delete;

  // 0, or the errno of the backend's setup, with the call that failed.
  virtual int init_error() const = 0;
  virtual const char* init_call() const = 0;
  virtual void run() = 0;   // the thread body; returns once stop() was called
  virtual void stop() = 0;  // thread-safe

 protected:
  virtual void close_conn(ServerConn* c) = 0;  // closes the socket; then release_conn

  void process_http(ServerConn* c);
  bool put(ServerConn* c, const char* data, size_t n);
  // The connection's deadline for what it now waits on; output_pending: answers not yet written.
  void arm_timer(ServerConn* c, bool output_pending);
  void arm_idle(ServerConn* c);
  void sweep();
  bool sweep_due() const {
    return open_ != nullptr || trim_due_ || peak_open_ >= open_count_ + server_limits::kTrimDrop;
  }

  RingBuffer* take_ring(size_t capacity);
  void give_ring(RingBuffer*& ring);
  ServerConn* take_conn();
  void link_conn(ServerConn* c);     // a new connection joins the open list
  void release_conn(ServerConn* c);  // after its socket closed: rings, list, count (not the pool)

  LoopConfig config_;
  ServerCounters* counters_;
  AnswerCache answers_;
  FramerLimits limits_;
  std::atomic<bool> stop_{false};
  ServerConn* open_ = nullptr;  // open connections, a doubly linked list through the objects
  size_t open_count_ = 0;
  size_t peak_open_ = 0;  // the most open since the pools were last trimmed
  int64_t now_ms_ = 0;    // the loop's coarse clock, read once per wake-up
  int64_t next_sweep_ms_ = 0;
  std::vector<ServerConn*> free_conns_;  // owned; trimmed by the sweep, never during an event batch
  std::vector<RingBuffer*> free_rings_;
  bool trim_due_ = false;  // a ring grown for a large answer or input was freed: trim at the sweep

 private:
  void on_head(ServerConn* c);
  void on_body(ServerConn* c);
  void on_end(ServerConn* c);
  void on_error(ServerConn* c);
  void trim_pools();
};

}  // namespace evb
